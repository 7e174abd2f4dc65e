package codes

import (
	"database/sql/driver"
	"time"

	"github.com/piaowu/wht93"
)

// SessionCode is a session code of Appendix C: the 11-digit hall code, the date
// of the session as yyyymmdd, and the session's 2-digit number within that day,
// e.g. 110101001012024052701. The platform issues it when the session is reported
// (Appendix A.3.3.1).
//
// The zero SessionCode is no code — a session's code is empty until the platform
// issues it: it marshals to "" and is NULL in SQL, and "" unmarshals or scans to it.
// A SessionCode is an immutable value, comparable, and safe for concurrent use.
type SessionCode struct{ s string }

// CheckSessionCode normalises s (see [Normalize]) and checks it as a session
// code, returning every violation, warnings included: the rules of
// [CheckHallCode], an impossible date ([ErrSessionDate], such as 2023-02-29) and
// session number 00 ([ErrSessionNumber]) are errors. The code is zero when there
// is an error.
func CheckSessionCode(s string) (SessionCode, wht93.Violations) {
	t, vs := checkDigits(s, KindSession, lenSession)
	return SessionCode{t}, vs
}

// ParseSessionCode is [CheckSessionCode] returning an error (as
// [wht93.Violations]) only for error-level violations. For 21 ASCII digits it
// does not allocate once the region data has loaded.
func ParseSessionCode(s string) (SessionCode, error) {
	if len(s) == lenSession && fastPrefix(s, lenSession) {
		return SessionCode{s}, nil
	}
	c, vs := CheckSessionCode(s)
	return c, vs.Err()
}

// NewSessionCode returns the code of session number nth (1–99) of day d in hall.
func NewSessionCode(hall HallCode, d wht93.Date, nth int) (SessionCode, error) {
	var vs wht93.Violations
	if hall.IsZero() {
		vs = append(vs, emptyViolation(fieldHall, "", KindHall))
	}
	if !d.Valid() {
		ds := d.String()
		vs = append(vs, ErrSessionDate.Atf("date", ds, "演出日期不存在："+ds, "session date "+ds+" does not exist"))
	}
	if nth < 1 || nth > 99 {
		vs = append(vs, rangeViolation("number", nth, 1, 99))
	}
	if vs != nil {
		return SessionCode{}, vs
	}
	return SessionCode{hall.s + pad(d.Year, 4) + pad(int(d.Month), 2) + pad(d.Day, 2) + pad(nth, 2)}, nil
}

// String returns the 21 digits, or "" for the zero code.
func (c SessionCode) String() string { return c.s }

// IsZero reports whether c is the zero code.
func (c SessionCode) IsZero() bool { return c.s == "" }

// Kind returns [KindSession].
func (SessionCode) Kind() Kind { return KindSession }

// Hall returns the hall part (digits 1–11).
func (c SessionCode) Hall() HallCode { return HallCode{prefix(c.s, lenHall)} }

// Venue returns the venue part (digits 1–9).
func (c SessionCode) Venue() VenueCode { return VenueCode{prefix(c.s, lenVenue)} }

// RegionCode returns the region part (digits 1–6).
func (c SessionCode) RegionCode() RegionCode { return RegionCode{prefix(c.s, lenRegion)} }

// Region returns the GB/T 2260 row of the session's region (zero for the zero
// code).
func (c SessionCode) Region() Region { return c.RegionCode().Region() }

// VenueSequence returns the venue's sequence number (digits 7–9).
func (c SessionCode) VenueSequence() int { return numAt(c.s, 6, 9) }

// HallSequence returns the hall's sequence number (digits 10–11).
func (c SessionCode) HallSequence() int { return numAt(c.s, 9, 11) }

// Date returns the date of the session (digits 12–19); the zero Date for the zero
// code.
func (c SessionCode) Date() wht93.Date {
	if len(c.s) < lenSession {
		return wht93.Date{}
	}
	return wht93.Date{Year: num(c.s[11:15]), Month: time.Month(num(c.s[15:17])), Day: num(c.s[17:19])}
}

// Number returns the session's number within its day (digits 20–21).
func (c SessionCode) Number() int { return numAt(c.s, 19, 21) }

// AppendParts appends the region, the venue, the hall, their sequence numbers,
// the date and the session number.
func (c SessionCode) AppendParts(dst []Part) []Part {
	if c.s == "" {
		return dst
	}
	dst = regionParts(dst, c.s[:6])
	return append(dst,
		Part{Key: "venue", Label: "演出场所编码", Value: c.s[:9], Text: c.s[:9]},
		Part{Key: "venueSequence", Label: "演出场所序号", Value: c.s[6:9], Text: c.s[6:9]},
		Part{Key: "hall", Label: "演出场厅编码", Value: c.s[:11], Text: c.s[:11]},
		Part{Key: "hallSequence", Label: "场厅序号", Value: c.s[9:11], Text: c.s[9:11]},
		Part{Key: "date", Label: "演出日期", Value: c.s[11:19], Text: c.s[11:15] + "-" + c.s[15:17] + "-" + c.s[17:19]},
		Part{Key: "number", Label: "当日场次", Value: c.s[19:21], Text: c.s[19:21]})
}

// Parts returns the parts of [SessionCode.AppendParts].
func (c SessionCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the code; "" for the zero code.
func (c SessionCode) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText parses a code; "" gives the zero code.
func (c *SessionCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseSessionCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code.
func (c *SessionCode) Scan(src any) error { return scanCode(c, src, ParseSessionCode) }

// Value implements driver.Valuer: the zero code is NULL.
func (c SessionCode) Value() (driver.Value, error) { return valueCode(c.s) }
