package ticket_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

// sameResult fails unless two verifications returned the same credential and
// the same violation, message for message.
func sameResult(t interface {
	Helper()
	Fatalf(format string, args ...any)
}, what string, c1 ticket.Credential, e1 error, c2 ticket.Credential, e2 error) {
	t.Helper()
	if c1 != c2 || (e1 == nil) != (e2 == nil) {
		t.Fatalf("%s: %+v, %v; want %+v, %v", what, c1, e1, c2, e2)
	}
	if e1 == nil {
		return
	}
	v1, v2 := wht93.ViolationsOf(e1), wht93.ViolationsOf(e2)
	if e1.Error() != e2.Error() || len(v1) != 1 || len(v2) != 1 || v1[0].Code() != v2[0].Code() {
		t.Fatalf("%s: %v; want %v", what, e1, e2)
	}
}

// knownWorld is a ticket with two versions of its code, a revocation set in
// which the first is superseded, and a verifier holding the right key and one
// holding another key under the same key id.
type knownWorld struct {
	right, wrong *ticket.Verifier
	v1, v2       string // codes of versions 1 and 2
	rs           ticket.RevocationSet
}

func newKnownWorld(t testing.TB) *knownWorld {
	tk := issued(t)
	sg := signer(t)
	text := func(x ticket.Ticket) string {
		return must[string](t)(sg.Sign(must[ticket.Credential](t)(ticket.CredentialOf(&x, at(10, 12, 0)))))
	}
	tk2 := must[ticket.Ticket](t)(tk.Reissue(at(12, 0, 0)))
	w := &knownWorld{right: verifier(t), v1: text(tk), v2: text(tk2)}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x43}, ed25519.SeedSize))
	w.wrong = must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": other.Public().(ed25519.PublicKey)}))
	w.rs.Apply(&tk2)
	return w
}

// TestVerifyKnownSameAsVerify: with the digest of the exact text, VerifyKnown
// answers what Verify answers for genuine codes — valid, not yet valid,
// expired, superseded, refunded, of an unknown key id — and with the digest
// of another text it answers what Verify answers for anything, the vectors'
// malformed, altered and forged texts included.
func TestVerifyKnownSameAsVerify(t *testing.T) {
	w := newKnownWorld(t)
	var refunded ticket.RevocationSet
	refunded.Cancel(must[ticket.Signed](t)(ticket.ParseCredential(w.v1)).Ticket)
	newOnly := must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2026": signer(t).PublicKey()}))
	cases := []struct {
		name string
		v    *ticket.Verifier
		text string
		now  time.Time
		live ticket.Liveness
		want *wht93.Rule // nil: valid
	}{
		{"genuine", w.right, w.v2, at(20, 19, 0), &w.rs, nil},
		{"genuine, no revocation list", w.right, w.v1, at(20, 19, 0), nil, nil},
		{"from its not-before instant", w.right, w.v2, at(10, 12, 0), &w.rs, nil},
		{"not yet valid", w.right, w.v2, at(10, 11, 59), &w.rs, ticket.ErrCredentialNotYet},
		{"expired at the end of the show", w.right, w.v2, at(20, 21, 30), &w.rs, ticket.ErrCredentialExpired},
		{"expired the day after", w.right, w.v2, at(21, 9, 0), &w.rs, ticket.ErrCredentialExpired},
		{"superseded", w.right, w.v1, at(20, 19, 0), &w.rs, ticket.ErrCredentialRevoked},
		{"refunded", w.right, w.v1, at(20, 19, 0), &refunded, ticket.ErrCredentialRevoked},
		{"key id no longer held", newOnly, w.v2, at(20, 19, 0), &w.rs, ticket.ErrCredentialKey},
	}
	for _, tc := range cases {
		c, err := tc.v.Verify(tc.text, tc.now, tc.live)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Fatalf("%s: Verify %v, want %v", tc.name, err, tc.want)
		}
		kc, kerr := tc.v.VerifyKnown(tc.text, tc.now, tc.live, ticket.CredentialDigest(tc.text))
		sameResult(t, tc.name+", its digest", kc, kerr, c, err)
		kc, kerr = tc.v.VerifyKnown(tc.text, tc.now, tc.live, [sha256.Size]byte{})
		sameResult(t, tc.name+", no digest", kc, kerr, c, err)
	}
	other := ticket.CredentialDigest(w.v2)
	for _, vec := range loadVectors(t) {
		if vec.text == w.v2 {
			continue
		}
		c, err := w.right.Verify(vec.text, vectorsNow, nil)
		kc, kerr := w.right.VerifyKnown(vec.text, vectorsNow, nil, other)
		sameResult(t, vec.note, kc, kerr, c, err)
	}
}

// TestVerifyKnownAlteredFallsBack: a text that is not byte for byte the
// recorded one — altered in its signature or its body, or re-signed with
// another key under the same key id — gets the full check with the recorded
// digest and is refused as before.
func TestVerifyKnownAlteredFallsBack(t *testing.T) {
	w := newKnownWorld(t)
	recorded := ticket.CredentialDigest(w.v2)
	now := at(20, 19, 0)
	forger := must[*ticket.Signer](t)(ticket.NewSigner("gate-2025", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))))
	signed := must[ticket.Signed](t)(ticket.ParseCredential(w.v2))
	later := signed.Credential
	later.NotAfter = later.NotAfter.Add(24 * time.Hour)
	for name, text := range map[string]string{
		"signature altered":            w.v2[:len(w.v2)-3] + flip(w.v2[len(w.v2)-3]) + w.v2[len(w.v2)-2:],
		"version altered":              alterBody(signed, func(c *ticket.Credential) { c.Version = 9 }),
		"validity extended":            alterBody(signed, func(c *ticket.Credential) { c.NotAfter = later.NotAfter }),
		"forged with another key":      must[string](t)(forger.Sign(signed.Credential)),
		"forged, a day longer":         must[string](t)(forger.Sign(later)),
		"the recorded text, truncated": w.v2[:len(w.v2)-1],
	} {
		c, err := w.right.Verify(text, now, &w.rs)
		if err == nil {
			t.Fatalf("%s: verified", name)
		}
		kc, kerr := w.right.VerifyKnown(text, now, &w.rs, recorded)
		sameResult(t, name, kc, kerr, c, err)
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// alterBody returns the text of s with its body changed by edit and its
// signature kept.
func alterBody(s ticket.Signed, edit func(*ticket.Credential)) string {
	edit(&s.Credential)
	return s.String()
}

// TestVerifyKnownSkipsSignature shows the signature check skipped, and only
// it: a verifier holding another key under the credential's key id refuses
// every genuine code with Verify, and accepts the recorded one with its digest
// — with the same credential the right verifier returns — while still
// refusing it when it is not yet valid, expired or revoked, and refusing any
// other text.
func TestVerifyKnownSkipsSignature(t *testing.T) {
	w := newKnownWorld(t)
	now := at(20, 19, 0)
	if _, err := w.wrong.Verify(w.v2, now, &w.rs); !errors.Is(err, ticket.ErrCredentialSignature) {
		t.Fatalf("the wrong key verified: %v", err)
	}
	want := must[ticket.Credential](t)(w.right.Verify(w.v2, now, &w.rs))
	got, err := w.wrong.VerifyKnown(w.v2, now, &w.rs, ticket.CredentialDigest(w.v2))
	if err != nil || got != want {
		t.Fatalf("recorded code: %+v, %v; want %+v", got, err, want)
	}
	for _, tc := range []struct {
		text   string
		now    time.Time
		digest [sha256.Size]byte
		want   *wht93.Rule
	}{
		{w.v2, at(10, 11, 59), ticket.CredentialDigest(w.v2), ticket.ErrCredentialNotYet},
		{w.v2, at(20, 21, 30), ticket.CredentialDigest(w.v2), ticket.ErrCredentialExpired},
		{w.v1, now, ticket.CredentialDigest(w.v1), ticket.ErrCredentialRevoked},
		{w.v2, now, [sha256.Size]byte{}, ticket.ErrCredentialSignature},
		{w.v2, now, ticket.CredentialDigest(w.v1), ticket.ErrCredentialSignature},
		{w.v2, now, sha256.Sum256([]byte(w.v2 + " ")), ticket.ErrCredentialSignature},
	} {
		_, err := w.wrong.VerifyKnown(tc.text, tc.now, &w.rs, tc.digest)
		if !errors.Is(err, tc.want) {
			t.Errorf("%.20s… at %v: %v, want %s", tc.text, tc.now, err, tc.want.Code())
		}
	}
}

// TestVerifyKnownProperty: for any text near a recorded code — one character
// replaced, removed or added — VerifyKnown with the recorded digest answers
// exactly what Verify answers.
func TestVerifyKnownProperty(t *testing.T) {
	w := newKnownWorld(t)
	recorded := ticket.CredentialDigest(w.v2)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/="
	rapid.Check(t, func(rt *rapid.T) {
		b := []byte(w.v2)
		i := rapid.IntRange(0, len(b)-1).Draw(rt, "at")
		ch := alphabet[rapid.IntRange(0, len(alphabet)-1).Draw(rt, "char")]
		switch rapid.IntRange(0, 2).Draw(rt, "edit") {
		case 0:
			b[i] = ch
		case 1:
			b = append(b[:i], b[i+1:]...)
		default:
			b = append(b[:i], append([]byte{ch}, b[i:]...)...)
		}
		text := string(b)
		now := at(rapid.IntRange(9, 21).Draw(rt, "day"), 19, 0)
		c, err := w.right.Verify(text, now, &w.rs)
		kc, kerr := w.right.VerifyKnown(text, now, &w.rs, recorded)
		sameResult(rt, "edited text", kc, kerr, c, err)
	})
}

// BenchmarkVerifyKnownCredential: BenchmarkVerifyCredential for a recorded
// code: decode, key id, the digest comparison, validity and the revocation
// look-up, without the Ed25519 check.
func BenchmarkVerifyKnownCredential(b *testing.B) {
	v := verifier(b)
	text := must[string](b)(signer(b).Sign(benchCredential(b)))
	digest := ticket.CredentialDigest(text)
	rs := benchRevocations(b)
	now := at(20, 19, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyKnown(text, now, rs, digest); err != nil {
			b.Fatal(err)
		}
	}
}

// A gate given the digest of the code the issuing side recorded skips the
// signature check for that exact text, and only for it.
func ExampleVerifier_VerifyKnown() {
	t := exTicket()
	gate := check(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": exSigner.PublicKey()}))
	showtime := time.Date(2025, time.May, 20, 19, 15, 0, 0, wht93.CST)
	text := check(exSigner.Sign(check(ticket.CredentialOf(&t, t.IssuedAt))))
	recorded := ticket.CredentialDigest(text) // kept by the issuing side, sent to the gates

	c, err := gate.VerifyKnown(text, showtime, nil, recorded)
	fmt.Println(c.Version, err)
	_, err = gate.VerifyKnown(text[:len(text)-2]+"AA", showtime, nil, recorded) // not the recorded text: fully checked
	fmt.Println(errors.Is(err, ticket.ErrCredentialSignature) || errors.Is(err, ticket.ErrCredentialFormat))
	_, err = gate.VerifyKnown(text, t.NotAfter, nil, recorded) // everything else still applies
	fmt.Println(errors.Is(err, ticket.ErrCredentialExpired))
	// Output:
	// 1 <nil>
	// true
	// true
}

// A gate that keeps the recorded digests by ticket looks the digest up by the
// code the text decodes to.
func ExampleVerifier_VerifyRecorded() {
	t := exTicket()
	gate := check(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": exSigner.PublicKey()}))
	text := check(exSigner.Sign(check(ticket.CredentialOf(&t, t.IssuedAt))))
	book := map[codes.TicketCode][sha256.Size]byte{t.Code: ticket.CredentialDigest(text)}

	showtime := time.Date(2025, time.May, 20, 19, 15, 0, 0, wht93.CST)
	c, err := gate.VerifyRecorded(text, showtime, nil, func(code codes.TicketCode) [sha256.Size]byte { return book[code] })
	fmt.Println(c.Ticket == t.Code, err)
	// Output:
	// true <nil>
}

// TestVerifyRecordedLooksUpOnce checks that VerifyRecorded asks for the
// digest once, by the code the text decodes to, and not for a text that does
// not decode; and that it answers as VerifyKnown with that digest.
func TestVerifyRecordedLooksUpOnce(t *testing.T) {
	tk := exTicket()
	gate := check(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": exSigner.PublicKey()}))
	text := check(exSigner.Sign(check(ticket.CredentialOf(&tk, tk.IssuedAt))))
	showtime := time.Date(2025, time.May, 20, 19, 15, 0, 0, wht93.CST)
	var asked []codes.TicketCode
	lookup := func(code codes.TicketCode) [sha256.Size]byte {
		asked = append(asked, code)
		return ticket.CredentialDigest(text)
	}
	c1, e1 := gate.VerifyRecorded(text, showtime, nil, lookup)
	c2, e2 := gate.VerifyKnown(text, showtime, nil, ticket.CredentialDigest(text))
	if len(asked) != 1 || asked[0] != tk.Code {
		t.Fatalf("asked for %v, want once for %v", asked, tk.Code)
	}
	if fmt.Sprint(c1, e1) != fmt.Sprint(c2, e2) {
		t.Fatalf("VerifyRecorded: %+v, %v; VerifyKnown: %+v, %v", c1, e1, c2, e2)
	}
	asked = nil
	if _, err := gate.VerifyRecorded("not a credential", showtime, nil, lookup); !errors.Is(err, ticket.ErrCredentialFormat) || len(asked) != 0 {
		t.Fatalf("undecodable text: %v, asked %v", err, asked)
	}
}
