package realname

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestBlindIndex(t *testing.T) {
	ix, err := NewBlindIndexer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	same := []string{acceptanceID, "11010119900307803x", "１１０１０１１９９００３０７８０３ｘ", " 11010119900307803X ", "110101900307803"}
	var first BlindIndex
	for i, n := range same {
		d, err := ParseResidentID(n, testToday)
		if err != nil {
			t.Fatal(err)
		}
		x := ix.Index(d)
		if i == 0 {
			first = x
		} else if x != first {
			t.Errorf("%q indexes differently", n)
		}
	}
	// Another number, another type with the same characters, another key: different.
	other, _ := ParseResidentID("11010519491231002X", testToday)
	mil, _ := Validate(TypeMilitaryID, acceptanceID, testToday)
	ix2, _ := NewBlindIndexer(bytes.Repeat([]byte{8}, 32))
	d, _ := ParseResidentID(acceptanceID, testToday)
	for name, x := range map[string]BlindIndex{"number": ix.Index(other), "type": ix.Index(mil), "key": ix2.Index(d)} {
		if x == first {
			t.Errorf("different %s, same index", name)
		}
	}
	s := first.String()
	if len(s) != 64 || strings.ToLower(s) != s || strings.Contains(s, acceptanceID) {
		t.Fatalf("String %q", s)
	}
	back, err := ParseBlindIndex(strings.ToUpper(s))
	if err != nil || back != first {
		t.Fatalf("ParseBlindIndex: %v", err)
	}
	js, _ := json.Marshal(first)
	var fromJSON BlindIndex
	if err := json.Unmarshal(js, &fromJSON); err != nil || fromJSON != first {
		t.Fatalf("JSON: %s %v", js, err)
	}
	for _, bad := range []string{"", "00", strings.Repeat("g", 64), strings.Repeat("0", 63)} {
		if _, err := ParseBlindIndex(bad); !errors.Is(err, ErrBlindIndex) {
			t.Errorf("ParseBlindIndex(%q): %v", bad, err)
		}
	}
	if _, err := NewBlindIndexer(make([]byte, 31)); !errors.Is(err, ErrBlindIndexKey) {
		t.Fatalf("short key: %v", err)
	}
}

// fullWidth writes ASCII in its full-width form.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x21 && r <= 0x7e {
			r += 0xFF01 - 0x21
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Equal normalised numbers have equal blind indexes, whatever their spelling.
func TestPropertyBlindIndexOfVariants(t *testing.T) {
	ix, _ := NewBlindIndexer(bytes.Repeat([]byte{7}, 32))
	rapid.Check(t, func(t *rapid.T) {
		n := genID(t)
		variant := n
		if rapid.Bool().Draw(t, "full width") {
			variant = fullWidth(variant)
		}
		if rapid.Bool().Draw(t, "lower x") {
			variant = strings.ReplaceAll(strings.ReplaceAll(variant, "X", "x"), "Ｘ", "ｘ")
		}
		variant = rapid.SampledFrom([]string{"", " ", "\t", "\u3000"}).Draw(t, "pad") + variant +
			rapid.SampledFrom([]string{"", " ", "\n"}).Draw(t, "pad after")
		a, err := ParseResidentID(n, testToday)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseResidentID(variant, testToday)
		if err != nil {
			t.Fatalf("%q: %v", variant, err)
		}
		if ix.Index(a) != ix.Index(b) {
			t.Fatalf("%q and %q index differently", n, variant)
		}
	})
}
