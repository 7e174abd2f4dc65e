package wht93

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText reports whether s is a clean text of 1 to max characters (runes):
// valid UTF-8, no control character other than those listed in allow (such as
// "\n" for a text of several lines), and no white space ([unicode.IsSpace]) at
// either end. It is the text check the packages of the SDK share; each keeps
// its own limits, rules and error texts around it.
func CleanText(s string, max int, allow string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ { // ids and keys are ASCII: no decoding
		c := s[i]
		if c >= utf8.RuneSelf {
			return cleanUnicode(s, max, allow)
		}
		if (c < 0x20 || c == 0x7f) && strings.IndexByte(allow, c) < 0 {
			return false
		}
	}
	return len(s) <= max && !unicode.IsSpace(rune(s[0])) && !unicode.IsSpace(rune(s[len(s)-1]))
}

// cleanUnicode is CleanText of a text that is not all ASCII.
func cleanUnicode(s string, max int, allow string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return false
	}
	n := 0
	for _, r := range s {
		if n++; n > max {
			return false
		}
		if unicode.IsControl(r) && !strings.ContainsRune(allow, r) {
			return false
		}
	}
	return true
}
