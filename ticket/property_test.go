package ticket_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
const keyAlphabet = idAlphabet + "."

func genCredential(t *rapid.T) ticket.Credential {
	sc, _ := codes.ParseSessionCode(sessionCode)
	id := rapid.StringOfN(rapid.SampledFrom([]rune(idAlphabet)), 1, codes.MaxTicketIDLen, -1).Draw(t, "id")
	code, err := codes.NewTicketCode(sc, id)
	if err != nil {
		t.Fatal(err)
	}
	nb := rapid.Int64Range(-1<<40, 1<<40).Draw(t, "notBefore")
	na := nb + rapid.Int64Range(1, 1<<32).Draw(t, "duration")
	return ticket.Credential{
		Ticket:    code,
		Version:   rapid.Uint32Min(1).Draw(t, "version"),
		NotBefore: time.Unix(nb, 0),
		NotAfter:  time.Unix(na, 0),
		KeyID:     rapid.StringOfN(rapid.SampledFrom([]rune(keyAlphabet)), 1, 32, -1).Draw(t, "keyID"),
	}
}

// Encoding and decoding are inverse: a signed credential parses back to itself,
// re-encodes to the same text, and verifies within its validity.
func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCredential(t)
		s, err := ticket.NewSigner(c.KeyID, signingKey)
		if err != nil {
			t.Fatal(err)
		}
		text, err := s.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ticket.ParseCredential(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if p.String() != text || p.Ticket != c.Ticket || p.Version != c.Version || p.KeyID != c.KeyID ||
			!p.NotBefore.Equal(c.NotBefore) || !p.NotAfter.Equal(c.NotAfter) {
			t.Fatalf("round trip: %+v, want %+v", p.Credential, c)
		}
		v, _ := ticket.NewVerifier(map[string]ed25519.PublicKey{c.KeyID: s.PublicKey()})
		now := time.Unix(rapid.Int64Range(c.NotBefore.Unix(), c.NotAfter.Unix()-1).Draw(t, "now"), 0)
		if got, err := v.Verify(text, now, nil); err != nil || got != p.Credential {
			t.Fatalf("verify at %v: %v", now, err)
		}
	})
}

// Any single-bit change of an encoded credential is rejected: of the text (a
// character changed) or of the binary it encodes (re-encoded without re-signing).
func TestPropertyBitFlipRejected(t *testing.T) {
	v := verifier(t)
	s := signer(t)
	rapid.Check(t, func(t *rapid.T) {
		c := genCredential(t)
		text, _ := s.Sign(c)
		now := time.Unix(c.NotBefore.Unix(), 0)
		if _, err := v.Verify(text, now, nil); err != nil {
			t.Fatal(err)
		}
		b := []byte(text)
		i := rapid.IntRange(0, len(b)-1).Draw(t, "byte")
		b[i] ^= 1 << rapid.IntRange(0, 7).Draw(t, "bit")
		if got, err := v.Verify(string(b), now, nil); err == nil {
			t.Fatalf("flipped text verified: %+v", got)
		}

		raw, err := base64.RawURLEncoding.DecodeString(text[len(ticket.CredentialPrefix):])
		if err != nil {
			t.Fatal(err)
		}
		k := rapid.IntRange(0, len(raw)*8-1).Draw(t, "rawbit")
		raw[k/8] ^= 1 << (k % 8)
		flipped := ticket.CredentialPrefix + base64.RawURLEncoding.EncodeToString(raw)
		if got, err := v.Verify(flipped, now, nil); err == nil {
			t.Fatalf("flipped bit %d of the binary verified: %+v", k, got)
		}
	})
}

// Revocation updates commute: any order of the same updates leaves the same set,
// and it only ever narrows what is live.
func TestPropertyRevocationCommutes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc, _ := codes.ParseSessionCode(sessionCode)
		tickets := make([]codes.TicketCode, 3)
		for i := range tickets {
			tickets[i], _ = codes.NewTicketCode(sc, string(rune('A'+i)))
		}
		type op struct {
			ticket  int
			version uint32 // 0: cancel
		}
		ops := rapid.SliceOf(rapid.Custom(func(t *rapid.T) op {
			return op{rapid.IntRange(0, 2).Draw(t, "t"), rapid.Uint32Range(0, 6).Draw(t, "v")}
		})).Draw(t, "ops")
		perm := rapid.Permutation(ops).Draw(t, "perm")
		apply := func(ops []op) *ticket.RevocationSet {
			var rs ticket.RevocationSet
			for _, o := range ops {
				if o.version == 0 {
					rs.Cancel(tickets[o.ticket])
				} else {
					rs.Supersede(tickets[o.ticket], o.version)
				}
			}
			return &rs
		}
		a, b := apply(ops), apply(perm)
		for _, tc := range tickets {
			av, ak := a.LiveVersion(tc)
			bv, bk := b.LiveVersion(tc)
			if av != bv || ak != bk {
				t.Fatalf("%v: %d,%v vs %d,%v", tc, av, ak, bv, bk)
			}
			// The model: cancelled if any cancel, else the highest superseding version.
			want, known := uint32(0), false
			cancelled := false
			for _, o := range ops {
				if tickets[o.ticket] != tc {
					continue
				}
				known = true
				if o.version == 0 {
					cancelled = true
				}
				want = max(want, o.version)
			}
			if cancelled {
				want = 0
			}
			if av != want || ak != known {
				t.Fatalf("%v: got %d,%v want %d,%v", tc, av, ak, want, known)
			}
		}
	})
}
