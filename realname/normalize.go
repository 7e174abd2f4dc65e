package realname

import (
	"strings"
	"unicode"
)

// Normalize returns a document number in the form this package validates and
// indexes: surrounding white space (including the ideographic space U+3000 and a
// byte-order mark) trimmed, full-width forms folded to their ASCII counterparts
// (１２３ＡＢＣ to 123ABC, U+FF01–U+FF5E), and ASCII letters upper-cased (a
// trailing x of an ID number becomes X; passport letters are capitals).
//
// Nothing else is changed: inner spaces, hyphens and other characters stay, so
// that validation reports them instead of silently dropping them. A number that
// is already normalised is returned as is, without allocating.
func Normalize(s string) string {
	if normalized(s) {
		return s
	}
	s = strings.TrimFunc(s, trimmable)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - 0x21
		case r == 0x3000:
			r = ' '
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normalized reports whether s is printable ASCII without lower-case letters and
// without surrounding spaces: the common case, checked without allocating.
func normalized(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || (c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

func trimmable(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
}
