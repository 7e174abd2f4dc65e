package inventory

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// slowClean is cleanText without its ASCII shortcut.
func slowClean(s string, max int) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return !unicode.IsSpace(first) && !unicode.IsSpace(last)
}

func TestCleanTextShortcut(t *testing.T) {
	chars := rapid.SampledFrom([]rune{'a', 'Z', '0', ' ', '\t', '\n', 0x7f, 0x1f, '区', '\u00a0', '\u3000', '\u0085', -1})
	rapid.Check(t, func(rt *rapid.T) {
		rs := rapid.SliceOfN(chars, 0, 12).Draw(rt, "runes")
		var b []byte
		for _, r := range rs {
			if r == -1 {
				b = append(b, 0xff) // invalid UTF-8
				continue
			}
			b = utf8.AppendRune(b, r)
		}
		s := string(b)
		max := rapid.IntRange(1, 12).Draw(rt, "max")
		if got, want := cleanText(s, max), slowClean(s, max); got != want {
			rt.Fatalf("cleanText(%q, %d) = %v, want %v", s, max, got, want)
		}
	})
}
