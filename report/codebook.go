package report

import (
	"fmt"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// ErrCodeBookEntry is a sessionId or session code that a [CodeBook] cannot
// keep: empty, longer than [MaxKey] bytes, not UTF-8, or holding NUL.
var ErrCodeBookEntry = wht93.NewRule("report.codebook.entry",
	"场次标识与场次编码须为1至256字节的UTF-8文本，不含NUL",
	"sessionId and session code must be 1 to 256 bytes of UTF-8 without NUL")

// ValidCodeEntry reports whether s can be kept in a [CodeBook] as a sessionId or
// a session code. A store looks up an invalid sessionId as simply unknown.
func ValidCodeEntry(s string) bool {
	if len(s) == 0 || len(s) > MaxKey || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return true
}

// CheckSessionCodes checks the codes of one SaveSessionCodes call and returns
// every violation of [ErrCodeBookEntry]. The values in the violations are masked
// (the first two characters and the length), since a sessionId is the vendor's
// own datum. Every CodeBook, ours and a host's, calls it before saving anything.
func CheckSessionCodes(codes map[string]string) error {
	var vs wht93.Violations
	for id, code := range codes {
		if !ValidCodeEntry(id) {
			vs = append(vs, ErrCodeBookEntry.At("codes", maskCodeEntry(id)))
		}
		if !ValidCodeEntry(code) {
			vs = append(vs, ErrCodeBookEntry.At("codes["+maskCodeEntry(id)+"]", maskCodeEntry(code)))
		}
	}
	return vs.Err()
}

// maskCodeEntry shows the first two runes and the length of an entry, never the
// whole of it.
func maskCodeEntry(s string) string {
	r := []rune(s)
	if len(r) <= 2 || !ValidCodeEntry(string(r[:2])) {
		return fmt.Sprintf("(%d bytes)", len(s))
	}
	return fmt.Sprintf("%s… (%d bytes)", string(r[:2]), len(s))
}
