package codes

import (
	"database/sql/driver"
	"fmt"
	"strconv"

	"github.com/piaowu/wht93"
)

// RegionCode is a 6-digit GB/T 2260 code known to the embedded dataset, in use or
// not. The zero RegionCode is no code: it marshals to "" and is NULL in SQL.
// A RegionCode is an immutable value, comparable, and safe for concurrent use.
type RegionCode struct{ s string }

// CheckRegionCode normalises s (see [Normalize]) and checks it as a region code,
// returning every violation, warnings included: not 6 digits and unknown codes are
// errors, a code no longer in use ([ErrRegionAbolished]) a warning. The code is
// zero when there is an error.
func CheckRegionCode(s string) (RegionCode, wht93.Violations) {
	t, vs := checkDigits(s, KindRegion, lenRegion)
	return RegionCode{t}, vs
}

// ParseRegionCode is [CheckRegionCode] returning an error only for error-level
// violations. A code that is no longer in use parses.
func ParseRegionCode(s string) (RegionCode, error) {
	if _, ok := LookupRegion(s); ok {
		return RegionCode{s}, nil
	}
	c, vs := CheckRegionCode(s)
	return c, vs.Err()
}

// String returns the 6 digits, or "" for the zero code.
func (c RegionCode) String() string { return c.s }

// IsZero reports whether c is the zero code.
func (c RegionCode) IsZero() bool { return c.s == "" }

// Kind returns [KindRegion].
func (RegionCode) Kind() Kind { return KindRegion }

// Region returns the latest row of the code in GB/T 2260 (zero for the zero code).
func (c RegionCode) Region() Region {
	r, _ := LookupRegion(c.s)
	return r
}

// AppendParts appends the region with its name path (and its status when it is no
// longer in use).
func (c RegionCode) AppendParts(dst []Part) []Part {
	if c.s == "" {
		return dst
	}
	return regionParts(dst, c.s)
}

// Parts returns the parts of [RegionCode.AppendParts].
func (c RegionCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the code; "" for the zero code.
func (c RegionCode) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText parses a code; "" gives the zero code.
func (c *RegionCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseRegionCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code.
func (c *RegionCode) Scan(src any) error { return scanCode(c, src, ParseRegionCode) }

// Value implements driver.Valuer: the zero code is NULL.
func (c RegionCode) Value() (driver.Value, error) { return valueCode(c.s) }

// VenueCode is a venue code of Appendix B: the 6-digit region of the venue
// followed by its 3-digit sequence number within that district or county, e.g.
// 110101001. The platform issues it (Appendix A.3.2).
//
// The zero VenueCode is no code: it marshals to "" and is NULL in SQL, and ""
// unmarshals or scans to it, for the time before the platform has issued one.
// A VenueCode is an immutable value, comparable, and safe for concurrent use.
type VenueCode struct{ s string }

// CheckVenueCode normalises s (see [Normalize]) and checks it as a venue code,
// returning every violation, warnings included: the length, non-digits, an
// unknown region ([ErrRegionUnknown]) are errors; a region no longer in use
// ([ErrRegionAbolished]) and sequence number 000 ([ErrVenueSequence]) are warnings.
// The code is zero when there is an error.
func CheckVenueCode(s string) (VenueCode, wht93.Violations) {
	t, vs := checkDigits(s, KindVenue, lenVenue)
	return VenueCode{t}, vs
}

// ParseVenueCode is [CheckVenueCode] returning an error (as [wht93.Violations])
// only for error-level violations.
func ParseVenueCode(s string) (VenueCode, error) {
	if len(s) == lenVenue && fastPrefix(s, lenVenue) {
		return VenueCode{s}, nil
	}
	c, vs := CheckVenueCode(s)
	return c, vs.Err()
}

// NewVenueCode returns the code of venue number seq (1–999) in region. A new
// venue code needs a region in use: an abolished one is an error here, though
// parsing accepts existing codes that keep one.
func NewVenueCode(region RegionCode, seq int) (VenueCode, error) {
	var vs wht93.Violations
	if region.IsZero() {
		vs = append(vs, emptyViolation(fieldRegion, "", KindRegion))
	} else if r := region.Region(); !r.InUse() {
		vs = append(vs, regionNotInUse(fieldRegion, region.s, r))
	}
	if seq < 1 || seq > 999 {
		vs = append(vs, rangeViolation("venueSequence", seq, 1, 999))
	}
	if vs != nil {
		return VenueCode{}, vs
	}
	return VenueCode{region.s + pad(seq, 3)}, nil
}

// String returns the 9 digits, or "" for the zero code.
func (c VenueCode) String() string { return c.s }

// IsZero reports whether c is the zero code.
func (c VenueCode) IsZero() bool { return c.s == "" }

// Kind returns [KindVenue].
func (VenueCode) Kind() Kind { return KindVenue }

// RegionCode returns the region part (digits 1–6).
func (c VenueCode) RegionCode() RegionCode { return RegionCode{prefix(c.s, lenRegion)} }

// Region returns the GB/T 2260 row of the venue's region (zero for the zero code).
func (c VenueCode) Region() Region { return c.RegionCode().Region() }

// Sequence returns the venue's sequence number within its district (digits 7–9).
func (c VenueCode) Sequence() int { return numAt(c.s, 6, 9) }

// AppendParts appends the region and the venue sequence.
func (c VenueCode) AppendParts(dst []Part) []Part {
	if c.s == "" {
		return dst
	}
	dst = regionParts(dst, c.s[:6])
	return append(dst, Part{Key: "venueSequence", Label: "演出场所序号", Value: c.s[6:9], Text: c.s[6:9]})
}

// Parts returns the parts of [VenueCode.AppendParts].
func (c VenueCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the code; "" for the zero code.
func (c VenueCode) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText parses a code; "" gives the zero code.
func (c *VenueCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseVenueCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code.
func (c *VenueCode) Scan(src any) error { return scanCode(c, src, ParseVenueCode) }

// Value implements driver.Valuer: the zero code is NULL.
func (c VenueCode) Value() (driver.Value, error) { return valueCode(c.s) }

// HallCode is a hall code of Appendix B: the 9-digit venue code followed by the
// hall's 2-digit sequence number within the venue, e.g. 11010100101. The platform
// issues it (Appendix A.3.2).
//
// The zero HallCode is no code: it marshals to "" and is NULL in SQL, and ""
// unmarshals or scans to it. A HallCode is an immutable value, comparable, and
// safe for concurrent use.
type HallCode struct{ s string }

// CheckHallCode normalises s (see [Normalize]) and checks it as a hall code,
// returning every violation, warnings included: the rules of [CheckVenueCode],
// and hall sequence number 00 as a warning ([ErrHallSequence]). The code is zero
// when there is an error.
func CheckHallCode(s string) (HallCode, wht93.Violations) {
	t, vs := checkDigits(s, KindHall, lenHall)
	return HallCode{t}, vs
}

// ParseHallCode is [CheckHallCode] returning an error (as [wht93.Violations])
// only for error-level violations.
func ParseHallCode(s string) (HallCode, error) {
	if len(s) == lenHall && fastPrefix(s, lenHall) {
		return HallCode{s}, nil
	}
	c, vs := CheckHallCode(s)
	return c, vs.Err()
}

// NewHallCode returns the code of hall number seq (1–99) of venue.
func NewHallCode(venue VenueCode, seq int) (HallCode, error) {
	var vs wht93.Violations
	if venue.IsZero() {
		vs = append(vs, emptyViolation(fieldVenue, "", KindVenue))
	}
	if seq < 1 || seq > 99 {
		vs = append(vs, rangeViolation("hallSequence", seq, 1, 99))
	}
	if vs != nil {
		return HallCode{}, vs
	}
	return HallCode{venue.s + pad(seq, 2)}, nil
}

// String returns the 11 digits, or "" for the zero code.
func (c HallCode) String() string { return c.s }

// IsZero reports whether c is the zero code.
func (c HallCode) IsZero() bool { return c.s == "" }

// Kind returns [KindHall].
func (HallCode) Kind() Kind { return KindHall }

// Venue returns the venue part (digits 1–9).
func (c HallCode) Venue() VenueCode { return VenueCode{prefix(c.s, lenVenue)} }

// RegionCode returns the region part (digits 1–6).
func (c HallCode) RegionCode() RegionCode { return RegionCode{prefix(c.s, lenRegion)} }

// Region returns the GB/T 2260 row of the hall's region (zero for the zero code).
func (c HallCode) Region() Region { return c.RegionCode().Region() }

// VenueSequence returns the venue's sequence number (digits 7–9).
func (c HallCode) VenueSequence() int { return numAt(c.s, 6, 9) }

// Sequence returns the hall's sequence number within its venue (digits 10–11).
func (c HallCode) Sequence() int { return numAt(c.s, 9, 11) }

// AppendParts appends the region, the venue, the venue sequence and the hall
// sequence.
func (c HallCode) AppendParts(dst []Part) []Part {
	if c.s == "" {
		return dst
	}
	dst = regionParts(dst, c.s[:6])
	return append(dst,
		Part{Key: "venue", Label: "演出场所编码", Value: c.s[:9], Text: c.s[:9]},
		Part{Key: "venueSequence", Label: "演出场所序号", Value: c.s[6:9], Text: c.s[6:9]},
		Part{Key: "hallSequence", Label: "场厅序号", Value: c.s[9:11], Text: c.s[9:11]})
}

// Parts returns the parts of [HallCode.AppendParts].
func (c HallCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the code; "" for the zero code.
func (c HallCode) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText parses a code; "" gives the zero code.
func (c *HallCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseHallCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code.
func (c *HallCode) Scan(src any) error { return scanCode(c, src, ParseHallCode) }

// Value implements driver.Valuer: the zero code is NULL.
func (c HallCode) Value() (driver.Value, error) { return valueCode(c.s) }

// prefix returns s[:n], or "" when s is shorter (the zero code).
func prefix(s string, n int) string {
	if len(s) < n {
		return ""
	}
	return s[:n]
}

// numAt returns the number written in s[a:b], or 0 when s is shorter (the zero
// code).
func numAt(s string, a, b int) int {
	if len(s) < b {
		return 0
	}
	return num(s[a:b])
}

// pad formats n (0 <= n < 10^width) with leading zeros to width digits.
func pad(n, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// rangeViolation is the violation of [ErrRange] for a number outside [lo, hi].
func rangeViolation(field string, n, lo, hi int) *wht93.Violation {
	return ErrRange.Atf(field, strconv.Itoa(n),
		fmt.Sprintf("应在%d到%d之间", lo, hi), fmt.Sprintf("must be between %d and %d", lo, hi))
}
