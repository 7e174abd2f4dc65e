package realname

import (
	"strings"
	"testing"
)

// A text passed as a name that holds digits (a document number in the wrong
// field) never comes back with its digits.
func TestMaskNameHidesDigits(t *testing.T) {
	for _, in := range []string{"00000019000100000X", "A1234567", "John 5mith", "11010119900307803X"} {
		got := MaskName(in)
		if strings.ContainsAny(got, "0123456789") {
			t.Errorf("MaskName(%q) = %q shows digits", in, got)
		}
	}
	if got := MaskName("John Smith"); got != "J*** S****" {
		t.Errorf("MaskName(John Smith) = %q", got)
	}
}
