package codes

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// The layout of Appendices B and C: each code is the one before it plus a part.
const (
	lenRegion  = 6  // GB/T 2260: province 2 + city 2 + district/county 2
	lenVenue   = 9  // + venue sequence within the district 3
	lenHall    = 11 // + hall sequence within the venue 2
	lenSession = 21 // + year 4 + month 2 + day 2 + session of the day 2
	lenType    = 4  // Appendix D: category 2 + type 2

	// MaxTicketLen is the most bytes a ticket code may have (clause 6.1.5).
	MaxTicketLen = 50
	// MaxTicketIDLen is the most bytes of a ticket's id: 50 less the session code.
	MaxTicketIDLen = MaxTicketLen - lenSession
)

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c-'0' <= 9 }

// firstNonDigit returns the index of the first byte of s that is not an ASCII
// digit, or -1.
func firstNonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return i
		}
	}
	return -1
}

// num returns the value of a short string of ASCII digits.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// fastPrefix reports whether t[:n] (n = 9, 11 or 21; len(t) >= n) is all digits
// and breaks no error-level rule: the region is known, and for a session code the
// date exists and the number is not 00. Warnings are not looked at. It does not
// allocate.
func fastPrefix(t string, n int) bool {
	var region uint32
	for i := 0; i < lenRegion; i++ {
		c := t[i] - '0'
		if c > 9 {
			return false
		}
		region = region*10 + uint32(c)
	}
	for i := lenRegion; i < n; i++ {
		if t[i]-'0' > 9 {
			return false
		}
	}
	if !regions().has(region) {
		return false
	}
	if n < lenSession {
		return true
	}
	y := num(t[11:15])
	m := num(t[15:17])
	d := num(t[17:19])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > wht93.DaysIn(y, time.Month(m)) {
		return false
	}
	return t[19] != '0' || t[20] != '0'
}

// checkLayout appends the violations of t[:n] (n = 6, 9, 11 or 21; len(t) >= n)
// against Appendices B and C to vs: non-digits, then each part made of digits in
// turn. Warnings are appended too; callers drop them with [wht93.Violations.Err].
func checkLayout(vs wht93.Violations, field, value, t string, n int) wht93.Violations {
	if i := firstNonDigit(t[:n]); i >= 0 {
		vs = append(vs, nonDigit(field, value, t, i))
	}
	part := func(a, b int) (string, bool) {
		p := t[a:b]
		return p, firstNonDigit(p) < 0
	}
	if p, ok := part(0, lenRegion); ok {
		vs = checkRegionPart(vs, field, value, p)
	}
	if n >= lenVenue {
		if p, ok := part(6, 9); ok && p == "000" {
			v := ErrVenueSequence.Atf(field, value,
				"演出场所序号（第7–9位）为000，序号应从001起", "venue sequence number (digits 7–9) is 000; numbering starts at 001")
			v.Warning = true
			vs = append(vs, v)
		}
	}
	if n >= lenHall {
		if p, ok := part(9, 11); ok && p == "00" {
			v := ErrHallSequence.Atf(field, value,
				"场厅序号（第10–11位）为00，序号应从01起", "hall sequence number (digits 10–11) is 00; numbering starts at 01")
			v.Warning = true
			vs = append(vs, v)
		}
	}
	if n >= lenSession {
		if p, ok := part(11, 19); ok {
			d := wht93.Date{Year: num(p[:4]), Month: time.Month(num(p[4:6])), Day: num(p[6:8])}
			if !d.Valid() {
				ds := p[:4] + "-" + p[4:6] + "-" + p[6:8]
				vs = append(vs, ErrSessionDate.Atf(field, value,
					"演出日期不存在："+ds+"（第12–19位）", "session date "+ds+" does not exist (digits 12–19)"))
			}
		}
		if p, ok := part(19, 21); ok && p == "00" {
			vs = append(vs, ErrSessionNumber.Atf(field, value,
				"当日场次序号（第20–21位）为00，应从01起", "session number of the day (digits 20–21) is 00; it counts from 01"))
		}
	}
	return vs
}

// checkRegionPart appends the violations of a 6-digit region code: unknown is an
// error, not in use a warning.
func checkRegionPart(vs wht93.Violations, field, value, code string) wht93.Violations {
	r, ok := LookupRegion(code)
	if !ok {
		return append(vs, ErrRegionUnknown.Atf(field, value,
			"行政区划代码"+code+"不存在（GB/T 2260，1981年以来）",
			"region code "+code+" is not in GB/T 2260 (any year since 1981)"))
	}
	if !r.InUse() {
		v := regionNotInUse(field, value, r)
		v.Warning = true
		vs = append(vs, v)
	}
	return vs
}

// regionNotInUse is the violation of [ErrRegionAbolished] for r.
func regionNotInUse(field, value string, r Region) *wht93.Violation {
	zh := fmt.Sprintf("行政区划代码%s（%s）已于%d年%s", r.Code, r.Path(), r.Until, r.Status)
	en := fmt.Sprintf("region code %s (%s) %s in %d", r.Code, r.Path(), r.Status.En(), r.Until)
	if len(r.Replacements) > 0 {
		zh += "，新代码" + joinCodes(r.Replacements, "、")
		en += ", now " + joinCodes(r.Replacements, ", ")
	}
	return ErrRegionAbolished.Atf(field, value, zh, en)
}

func joinCodes(cs []string, sep string) string { return strings.Join(cs, sep) }

// nonDigit is the violation of [ErrNonDigit] at byte i of t.
func nonDigit(field, value, t string, i int) *wht93.Violation {
	r, _ := utf8.DecodeRuneInString(t[i:])
	pos := utf8.RuneCountInString(t[:i]) + 1
	return ErrNonDigit.Atf(field, value,
		fmt.Sprintf("第%d位%q不是数字", pos, r), fmt.Sprintf("character %d %q is not a digit", pos, r))
}

// lengthViolation is the violation of [ErrLength] for a code of kind k that must
// have want bytes.
func lengthViolation(field, value, t string, k Kind, want int) *wht93.Violation {
	n := utf8.RuneCountInString(t)
	return ErrLength.Atf(field, value,
		fmt.Sprintf("%s应为%d位数字，实为%d位", k.Zh(), want, n),
		fmt.Sprintf("%s must be %d digits, got %d characters", k.En(), want, n))
}

// emptyViolation is the violation of [ErrEmpty] for a code of kind k.
func emptyViolation(field, value string, k Kind) *wht93.Violation {
	return ErrEmpty.Atf(field, value, k.Zh()+"为空", k.En()+" is empty")
}

// checkDigits checks a code of kind k that is exactly n digits laid out as in
// Appendices B and C (n = 6, 9, 11 or 21).
func checkDigits(s string, k Kind, n int) (string, wht93.Violations) {
	field := k.field()
	t := Normalize(s)
	switch {
	case t == "":
		return "", wht93.Violations{emptyViolation(field, s, k)}
	case len(t) != n:
		vs := wht93.Violations{lengthViolation(field, s, t, k, n)}
		if i := firstNonDigit(t); i >= 0 {
			vs = append(vs, nonDigit(field, s, t, i))
		}
		return "", vs
	}
	vs := checkLayout(nil, field, s, t, n)
	if vs.Err() != nil {
		return "", vs
	}
	return t, vs
}

// Part is one component of a code, for display: [SessionCode.Parts] of
// 110101001012024052701 yields the region 110101 (北京市 东城区), the venue and
// its sequence, the hall and its sequence, the date 2024-05-27 and the session
// number 01. A Part is a plain value.
type Part struct {
	Key   string `json:"key"`          // stable English key: "region", "date", …
	Label string `json:"label"`        // Chinese label: 行政区划, 演出日期, …
	Value string `json:"value"`        // the part as it is written in the code: "20240527"
	Text  string `json:"text"`         // what it means: "北京市 东城区", "2024-05-27"
	En    string `json:"en,omitempty"` // English text where there is one: "Spoken drama"
}

// regionParts appends the parts of a region code: the region with its name path,
// and its status when it is no longer in use.
func regionParts(dst []Part, code string) []Part {
	r, ok := LookupRegion(code)
	if !ok {
		return append(dst, Part{Key: "region", Label: "行政区划", Value: code, Text: code})
	}
	dst = append(dst, Part{Key: "region", Label: "行政区划", Value: code, Text: r.Path()})
	if !r.InUse() {
		y := strconv.Itoa(r.Until)
		zh, en := y+"年"+r.Status.String(), r.Status.En()+" in "+y
		if len(r.Replacements) > 0 {
			zh += "，新代码" + joinCodes(r.Replacements, "、")
			en += ", now " + joinCodes(r.Replacements, ", ")
		}
		dst = append(dst, Part{Key: "regionStatus", Label: "区划状态", Value: r.Status.String(), Text: zh, En: en})
	}
	return dst
}

// scanCode implements sql.Scanner for a code type: NULL and "" give the zero code,
// a string, []byte or int64 is parsed.
func scanCode[T any](dst *T, src any, parse func(string) (T, error)) error {
	var s string
	switch v := src.(type) {
	case nil:
		var zero T
		*dst = zero
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	default:
		return fmt.Errorf("codes: cannot scan %T into %T", src, *dst)
	}
	return unmarshalCode(dst, s, parse)
}

// unmarshalCode parses s into dst; an empty (or all-space) s gives the zero code.
// dst is unchanged on error.
func unmarshalCode[T any](dst *T, s string, parse func(string) (T, error)) error {
	if Normalize(s) == "" {
		var zero T
		*dst = zero
		return nil
	}
	c, err := parse(s)
	if err != nil {
		return err
	}
	*dst = c
	return nil
}

// valueCode implements driver.Valuer: the zero code is NULL.
func valueCode(s string) (driver.Value, error) {
	if s == "" {
		return nil, nil
	}
	return s, nil
}
