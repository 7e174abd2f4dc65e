package realname

import (
	"testing"

	idvalidator "github.com/guanguans/id-validator"
)

// The benchmark peer github.com/guanguans/id-validator v1.3.0 accepts numbers that
// are not ID numbers: it reads each character with cast.ToInt, so a letter or a
// space counts as the digit 0 in the check sum and passes its length-only check of
// the sequence number; its 15-digit branch checks no characters at all; and it
// accepts any birth year from 1800. This test pins those false accepts (if the peer
// is fixed, the test says so) and shows that Validate rejects each, with the rule.
func TestPeerFalseAccepts(t *testing.T) {
	for _, tc := range []struct {
		number string
		rule   string
		why    string
	}{
		{"110101199001010a15", "realname.charset", "letter in the sequence number, read as 0"},
		{"11010119900101 015", "realname.charset", "space in the sequence number, read as 0"},
		{"110101900101a01", "realname.charset", "letter in a 15-digit number"},
		{"11010190010100a", "realname.charset", "letter as the last character of a 15-digit number"},
		{"110101187001010017", "realname.birth_early", "born 1870"},
	} {
		if !idvalidator.IsValid(tc.number, false) {
			t.Errorf("%q (%s): the peer no longer accepts it; update this test", tc.number, tc.why)
		}
		_, err := ParseResidentID(tc.number, testToday)
		if err == nil {
			t.Errorf("%q (%s): accepted", tc.number, tc.why)
			continue
		}
		if got := codesOf(violationsOf(err)); len(got) != 1 || got[0] != tc.rule {
			t.Errorf("%q (%s): rules %v, want %s", tc.number, tc.why, got, tc.rule)
		}
	}
	// Both accept the acceptance vector.
	if !idvalidator.IsValid(acceptanceID, false) {
		t.Fatal("peer rejects the acceptance vector")
	}
}
