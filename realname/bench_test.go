package realname

import (
	"crypto/rand"
	"testing"

	idvalidator "github.com/guanguans/id-validator"
)

// BenchmarkValidateResidentID validates a valid, already half-width 18-digit ID
// number after the region data has loaded.
func BenchmarkValidateResidentID(b *testing.B) {
	if _, err := ParseResidentID(acceptanceID, testToday); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseResidentID(acceptanceID, testToday); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPeerIDValidator runs github.com/guanguans/id-validator v1.3.0 on the same
// number, in its loose mode (strict=false), for comparison.
func BenchmarkPeerIDValidator(b *testing.B) {
	if !idvalidator.IsValid(acceptanceID, false) {
		b.Fatal("peer rejects the number")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !idvalidator.IsValid(acceptanceID, false) {
			b.Fatal("peer rejects the number")
		}
	}
}

func BenchmarkValidateResidentIDFullWidth(b *testing.B) {
	const n = "１１０１０１１９９００３０７８０３ｘ"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseResidentID(n, testToday); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	ix, _ := NewBlindIndexer(make([]byte, 32))
	d, _ := ParseResidentID(acceptanceID, testToday)
	b.ReportAllocs()
	for b.Loop() {
		ix.Index(d)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	k, _ := NewKeyring(rand.Reader, "k1", map[string][]byte{"k1": make([]byte, 32)})
	p := []byte(acceptanceID)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Encrypt(p, "buyer.idNumber", "order-1"); err != nil {
			b.Fatal(err)
		}
	}
}
