package realname

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"pgregory.net/rapid"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func testKeyring(t testing.TB, current string) *Keyring {
	t.Helper()
	k, err := NewKeyring(rand.Reader, current, map[string][]byte{"2025-01": key(1), "2026-01": key(2)})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyringRoundTripAndBinding(t *testing.T) {
	k := testKeyring(t, "2026-01")
	ct, err := k.Encrypt([]byte(acceptanceID), "buyer.idNumber", "order-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte(acceptanceID)) {
		t.Fatal("plaintext visible")
	}
	if id, err := CiphertextKeyID(ct); err != nil || id != "2026-01" {
		t.Fatalf("key id %q %v", id, err)
	}
	if ct[0] != 1 || int(ct[1]) != len("2026-01") || len(ct) != 2+7+12+len(acceptanceID)+16 {
		t.Fatalf("format: % x", ct)
	}
	pt, err := k.Decrypt(ct, "buyer.idNumber", "order-1")
	if err != nil || string(pt) != acceptanceID {
		t.Fatalf("decrypt %q %v", pt, err)
	}
	// Bound to field and record.
	for _, fr := range [][2]string{{"buyer.name", "order-1"}, {"buyer.idNumber", "order-2"}, {"", ""},
		{"buyer.idNumberorder-1", ""}} {
		if _, err := k.Decrypt(ct, fr[0], fr[1]); !errors.Is(err, ErrDecrypt) {
			t.Errorf("decrypt as %v: %v", fr, err)
		}
	}
	// Any flipped bit fails.
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		if _, err := k.Decrypt(bad, "buyer.idNumber", "order-1"); err == nil {
			t.Fatalf("flipped byte %d decrypts", i)
		}
	}
	// Two encryptions of one value differ (random nonces).
	ct2, _ := k.Encrypt([]byte(acceptanceID), "buyer.idNumber", "order-1")
	if bytes.Equal(ct, ct2) {
		t.Fatal("deterministic ciphertext")
	}
}

func TestKeyringRotation(t *testing.T) {
	old := testKeyring(t, "2025-01")
	ct, err := old.Encrypt([]byte("张三"), "buyer.name", "7")
	if err != nil {
		t.Fatal(err)
	}
	cur := testKeyring(t, "2026-01")
	if pt, err := cur.Decrypt(ct, "buyer.name", "7"); err != nil || string(pt) != "张三" {
		t.Fatalf("old ciphertext under new current key: %q %v", pt, err)
	}
	rotated, changed, err := cur.Rotate(ct, "buyer.name", "7")
	if err != nil || !changed {
		t.Fatalf("rotate: %v %v", changed, err)
	}
	if id, _ := CiphertextKeyID(rotated); id != "2026-01" {
		t.Fatalf("rotated under %q", id)
	}
	again, changed, err := cur.Rotate(rotated, "buyer.name", "7")
	if err != nil || changed || !bytes.Equal(again, rotated) {
		t.Fatalf("rotating a current ciphertext: %v %v", changed, err)
	}
	// Once the old key is dropped, old ciphertexts report the unknown key.
	only, err := NewKeyring(rand.Reader, "2026-01", map[string][]byte{"2026-01": key(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := only.Decrypt(ct, "buyer.name", "7"); !errors.Is(err, ErrKeyUnknown) {
		t.Fatalf("dropped key: %v", err)
	}
	if pt, err := only.Decrypt(rotated, "buyer.name", "7"); err != nil || string(pt) != "张三" {
		t.Fatalf("rotated: %q %v", pt, err)
	}
	// The same id under a different key does not decrypt.
	other, _ := NewKeyring(rand.Reader, "2026-01", map[string][]byte{"2026-01": key(3)})
	if _, err := other.Decrypt(rotated, "buyer.name", "7"); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestNewKeyringRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		rand    io.Reader
		current string
		keys    map[string][]byte
	}{
		"nil rand":        {nil, "a", map[string][]byte{"a": key(1)}},
		"short key":       {rand.Reader, "a", map[string][]byte{"a": make([]byte, 16)}},
		"missing current": {rand.Reader, "b", map[string][]byte{"a": key(1)}},
		"bad id":          {rand.Reader, "a b", map[string][]byte{"a b": key(1)}},
		"empty id":        {rand.Reader, "", map[string][]byte{"": key(1)}},
		"long id":         {rand.Reader, string(make([]byte, 65)), map[string][]byte{string(bytes.Repeat([]byte("a"), 65)): key(1)}},
		"no keys":         {rand.Reader, "a", nil},
	} {
		if _, err := NewKeyring(tc.rand, tc.current, tc.keys); !errors.Is(err, ErrKey) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewKeyring(rand.Reader, "x", map[string][]byte{"x": key(9)}); err != nil {
		t.Fatal(err)
	}
}

func TestDecryptMalformed(t *testing.T) {
	k := testKeyring(t, "2026-01")
	for _, ct := range [][]byte{nil, {}, {1}, {2, 1, 'a'}, {1, 0}, {1, 65}, {1, 1, 'a', 1, 2, 3},
		append([]byte{1, 1, ' '}, make([]byte, 40)...)} {
		if _, err := k.Decrypt(ct, "f", "r"); !errors.Is(err, ErrCiphertext) {
			t.Errorf("Decrypt(% x): %v", ct, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestEncryptRandFailure(t *testing.T) {
	k, _ := NewKeyring(failingReader{}, "a", map[string][]byte{"a": key(1)})
	if _, err := k.Encrypt([]byte("x"), "f", "r"); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%v", err)
	}
}

func TestPropertyEncryptDecryptRoundTrip(t *testing.T) {
	k := testKeyring(t, "2026-01")
	rapid.Check(t, func(t *rapid.T) {
		pt := rapid.SliceOf(rapid.Byte()).Draw(t, "plaintext")
		f := rapid.String().Draw(t, "field")
		r := rapid.String().Draw(t, "record")
		ct, err := k.Encrypt(pt, f, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := k.Decrypt(ct, f, r)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round trip: %q %v", got, err)
		}
		r2 := rapid.String().Draw(t, "other record")
		if r2 != r {
			if _, err := k.Decrypt(ct, f, r2); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("decrypted for another record: %v", err)
			}
		}
	})
}
