package wht93_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		s     string
		max   int
		allow string
		want  bool
	}{
		{"保利剧院", 4, "", true},
		{"保利剧院", 3, "", false}, // characters, not bytes
		{"a", 1, "", true},
		{"", 10, "", false},
		{"a", 0, "", false},
		{"A区 1排", 10, "", true}, // space inside
		{" A", 10, "", false},
		{"A ", 10, "", false},
		{"\u3000A", 10, "", false}, // ideographic space
		{"A\u00a0", 10, "", false}, // no-break space
		{"a\x00b", 10, "", false},
		{"a\x7fb", 10, "", false},
		{"a\u0085b", 10, "", false}, // C1 control
		{"a\nb", 10, "", false},
		{"a\nb", 10, "\n", true},
		{"a\r\nb", 10, "\n", false},
		{"a\r\n\tb", 10, "\t\n\r", true},
		{"a\n", 10, "\n", false}, // allowed inside, still space at the end
		{"\tb", 10, "\t", false},
		{"a\xffb", 10, "", false},
		{"\xe4\xb8", 10, "", false}, // cut in a character
		{"\uFFFD", 1, "", true},     // the replacement character itself is text
		{"a\u200bb", 10, "", true},  // format characters are not controls
	}
	for _, tt := range tests {
		if got := wht93.CleanText(tt.s, tt.max, tt.allow); got != tt.want {
			t.Errorf("CleanText(%q, %d, %q) = %v, want %v", tt.s, tt.max, tt.allow, got, tt.want)
		}
	}
}

// TestCleanTextProperty checks CleanText against its definition written another way.
func TestCleanTextProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := []rune{'a', '票', ' ', '\t', '\n', '\r', 0, 0x7f, 0x85, 0xa0, 0x3000, 0xfffd}
		rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 8).Draw(t, "runes")
		s := string(rs)
		if rapid.Bool().Draw(t, "invalid") {
			s += "\xff"
		}
		max := rapid.IntRange(0, 9).Draw(t, "max")
		allow := rapid.SampledFrom([]string{"", "\n", "\t\n\r"}).Draw(t, "allow")
		want := s != "" && utf8.ValidString(s) && utf8.RuneCountInString(s) <= max &&
			strings.TrimSpace(s) == s &&
			strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !strings.ContainsRune(allow, r) }) < 0
		if got := wht93.CleanText(s, max, allow); got != want {
			t.Fatalf("CleanText(%q, %d, %q) = %v, want %v", s, max, allow, got, want)
		}
	})
}

func ExampleCleanText() {
	fmt.Println(wht93.CleanText("国家大剧院", 50, ""))
	fmt.Println(wht93.CleanText("国家大剧院 ", 50, ""))
	fmt.Println(wht93.CleanText("第一行\n第二行", 50, ""))
	fmt.Println(wht93.CleanText("第一行\n第二行", 50, "\n"))
	// Output:
	// true
	// false
	// false
	// true
}
