package realname

import (
	"bytes"
	"crypto/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidate: validation never panics, what validates re-validates to itself
// under its canonical number, its type is among the candidates, and no error
// shows a long number whole.
func FuzzValidate(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(uint8(v.typ), v.number)
	}
	f.Fuzz(func(t *testing.T, typ uint8, number string) {
		ty := DocType(typ % 12)
		d, err := Validate(ty, number, testToday)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("error with a document: %v", d)
			}
			vs := violationsOf(err)
			if len(vs) == 0 {
				t.Fatalf("error without violations: %v", err)
			}
			n := Normalize(number)
			if utf8.RuneCountInString(n) >= 15 && strings.Contains(err.Error(), n) {
				t.Fatalf("error reveals the number: %v", err)
			}
			return
		}
		again, err := Validate(ty, d.Number(), testToday)
		if err != nil || !again.Equal(d) {
			t.Fatalf("%q → %q does not re-validate: %v", number, d.Number(), err)
		}
		if !slices.Contains(Candidates(number, testToday), ty) {
			t.Fatalf("%q valid as %v but not a candidate", number, ty)
		}
		if strings.Contains(d.String(), d.Number()) && utf8.RuneCountInString(d.Number()) >= 4 {
			t.Fatalf("String reveals the number: %s", d)
		}
		_, _ = d.Region()
	})
}

// FuzzNormalize: normalisation is idempotent and masking keeps the length.
func FuzzNormalize(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.number)
	}
	f.Add("欧阳娜娜")
	f.Add("John Smith")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, Normalize(n))
		}
		if m := MaskNumber(s); utf8.RuneCountInString(m) != utf8.RuneCountInString(s) {
			t.Fatalf("MaskNumber(%q) = %q", s, m)
		}
		_ = MaskName(s)
	})
}

// FuzzDecrypt: the ciphertext decoder never panics and accepts nothing it did not
// make.
func FuzzDecrypt(f *testing.F) {
	k, err := NewKeyring(rand.Reader, "k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range []string{"", acceptanceID, "张三"} {
		ct, err := k.Encrypt([]byte(p), "buyer.idNumber", "1")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ct)
	}
	f.Add([]byte{})
	f.Add([]byte{1, 2, 'k', '1'})
	f.Fuzz(func(t *testing.T, ct []byte) {
		_, _ = CiphertextKeyID(ct)
		pt, err := k.Decrypt(ct, "buyer.idNumber", "1")
		if err == nil {
			// Only an untouched seed decrypts: re-encrypting must round-trip.
			again, err := k.Encrypt(pt, "buyer.idNumber", "1")
			if err != nil {
				t.Fatal(err)
			}
			if back, err := k.Decrypt(again, "buyer.idNumber", "1"); err != nil || !bytes.Equal(back, pt) {
				t.Fatalf("round trip: %v", err)
			}
		}
		_, _, _ = k.Rotate(ct, "buyer.idNumber", "1")
	})
}

// FuzzParseBlindIndex: what parses prints back as its lower-case form.
func FuzzParseBlindIndex(f *testing.F) {
	f.Add(strings.Repeat("0a", 32))
	f.Add(strings.Repeat("F", 64))
	f.Add("xyz")
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseBlindIndex(s)
		if err != nil {
			return
		}
		if x.String() != strings.ToLower(s) {
			t.Fatalf("%q → %q", s, x)
		}
	})
}

// FuzzParseDocType: what parses is a valid type whose own name parses back to it.
func FuzzParseDocType(f *testing.F) {
	for _, ty := range DocTypes() {
		f.Add(ty.String())
		f.Add(ty.Zh())
	}
	f.Add("身份证")
	f.Fuzz(func(t *testing.T, s string) {
		ty, err := ParseDocType(s)
		if err != nil {
			return
		}
		if !ty.Valid() {
			t.Fatalf("%q → invalid type %d", s, ty)
		}
		if back, err := ParseDocType(ty.String()); err != nil || back != ty {
			t.Fatalf("%v does not parse back", ty)
		}
	})
}
