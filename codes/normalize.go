package codes

import (
	"strings"
	"unicode/utf8"
)

// Normalize returns s as the parsers read it: full-width ASCII forms (U+FF01–U+FF5E,
// such as １２３ and ＡＢ) folded to their ASCII letters, digits and signs, the
// ideographic space (U+3000) folded to a space, and white space around the code
// removed. Nothing else changes: case is kept, inner spaces stay (and make the code
// invalid), invalid UTF-8 is kept byte for byte. It does not allocate when s is
// already plain ASCII without surrounding white space.
func Normalize(s string) string {
	if plain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(c)
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteByte(byte(r - 0xFEE0))
		case r == 0x3000:
			b.WriteByte(' ')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return strings.TrimSpace(b.String())
}

// plain reports whether s is ASCII without white space or control characters at
// either end, so that Normalize would return it unchanged.
func plain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] <= ' ' || s[len(s)-1] <= ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
