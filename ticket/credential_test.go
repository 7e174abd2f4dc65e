package ticket_test

import (
	"bufio"
	"crypto/ed25519"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/ticket"
)

type vector struct {
	line     int
	expected string
	text     string
	note     string
}

// loadVectors reads testdata/credentials.tsv.
func loadVectors(t testing.TB) []vector {
	f, err := os.Open("testdata/credentials.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("line %d: %d fields", n, len(parts))
		}
		text := parts[1]
		if strings.HasPrefix(text, `"`) {
			if text, err = strconv.Unquote(text); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
		}
		out = append(out, vector{n, parts[0], text, parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// vectorsNow is the instant the vectors are checked at.
var vectorsNow = at(20, 19, 0)

func TestCredentialVectors(t *testing.T) {
	v := verifier(t)
	vs := loadVectors(t)
	if len(vs) < 25 {
		t.Fatalf("only %d vectors", len(vs))
	}
	for _, vec := range vs {
		c, err := v.Verify(vec.text, vectorsNow, nil)
		got := "valid"
		if err != nil {
			var viol *wht93.Violation
			if !errors.As(err, &viol) {
				t.Fatalf("line %d: untyped error %v", vec.line, err)
			}
			got = viol.Code()
			if len(wht93.ViolationsOf(err)) != 1 {
				t.Errorf("line %d: more than one violation: %v", vec.line, err)
			}
		}
		if got != vec.expected {
			t.Errorf("line %d (%s): got %s (%v), want %s", vec.line, vec.note, got, err, vec.expected)
			continue
		}
		if err == nil {
			if c.KeyID != "gate-2025" || c.Session().String() != sessionCode {
				t.Errorf("line %d: %+v", vec.line, c)
			}
			// What verifies parses and re-encodes to the same text.
			s, err := ticket.ParseCredential(vec.text)
			if err != nil || s.String() != vec.text || s.Credential != c {
				t.Errorf("line %d: parse %v", vec.line, err)
			}
		}
	}
}

func TestSignVerify(t *testing.T) {
	tk := issued(t)
	cred, err := ticket.CredentialOf(&tk, at(10, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	text, err := signer(t).Sign(cred)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, ticket.CredentialPrefix) || len(text) > ticket.MaxCredentialLen {
		t.Fatalf("text %q", text)
	}
	// Deterministic: the same credential signs to the same text.
	if again, _ := signer(t).Sign(cred); again != text {
		t.Fatal("signing is not deterministic")
	}
	got, err := verifier(t).Verify(text, at(20, 19, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	cred.KeyID = "gate-2025"
	if !got.NotBefore.Equal(cred.NotBefore) || !got.NotAfter.Equal(cred.NotAfter) || got.Ticket != cred.Ticket ||
		got.Version != 1 || got.KeyID != "gate-2025" {
		t.Fatalf("verified %+v, want %+v", got, cred)
	}
	// Validity: from not before, until (not at) the end of the show.
	for _, tc := range []struct {
		now  time.Time
		rule *wht93.Rule
	}{
		{at(10, 11, 59), ticket.ErrCredentialNotYet},
		{at(10, 12, 0), nil},
		{at(20, 21, 29), nil},
		{at(20, 21, 30), ticket.ErrCredentialExpired},
		{at(21, 9, 0), ticket.ErrCredentialExpired},
	} {
		_, err := verifier(t).Verify(text, tc.now, nil)
		if tc.rule == nil && err != nil || tc.rule != nil && !errors.Is(err, tc.rule) {
			t.Errorf("at %v: %v, want %v", tc.now, err, tc.rule)
		}
	}
	// Sub-second times are truncated to the second.
	c2 := cred
	c2.NotAfter = cred.NotAfter.Add(900 * time.Millisecond)
	s2, _ := ticket.ParseCredential(must[string](t)(signer(t).Sign(c2)))
	if !s2.NotAfter.Equal(cred.NotAfter) {
		t.Fatalf("not after %v", s2.NotAfter)
	}
}

func TestSignInvalid(t *testing.T) {
	tk := issued(t)
	good := must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))
	for _, tc := range []struct {
		name string
		edit func(*ticket.Credential)
	}{
		{"no ticket", func(c *ticket.Credential) { c.Ticket = zeroTicket }},
		{"version 0", func(c *ticket.Credential) { c.Version = 0 }},
		{"no start", func(c *ticket.Credential) { c.NotBefore = time.Time{} }},
		{"end before start", func(c *ticket.Credential) { c.NotAfter = c.NotBefore }},
		{"same second", func(c *ticket.Credential) { c.NotAfter = c.NotBefore.Add(500 * time.Millisecond) }},
	} {
		c := good
		tc.edit(&c)
		if _, err := signer(t).Sign(c); !errors.Is(err, ticket.ErrCredentialInput) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	refunded := must[ticket.Ticket](t)(tk.Refund(at(11, 0, 0), "退票"))
	if _, err := ticket.CredentialOf(&refunded, at(11, 0, 0)); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("credential of a refunded ticket: %v", err)
	}
	for _, id := range []string{"", "gate 1", strings.Repeat("k", 33), "网关"} {
		if _, err := ticket.NewSigner(id, signingKey); !errors.Is(err, ticket.ErrSigningKey) {
			t.Errorf("key id %q: %v", id, err)
		}
	}
	if _, err := ticket.NewSigner("k", signingKey[:32]); !errors.Is(err, ticket.ErrSigningKey) {
		t.Error("short private key accepted")
	}
	if _, err := ticket.NewVerifier(nil); !errors.Is(err, ticket.ErrSigningKey) {
		t.Error("verifier without keys")
	}
	if _, err := ticket.NewVerifier(map[string]ed25519.PublicKey{"k": make([]byte, 31)}); !errors.Is(err, ticket.ErrSigningKey) {
		t.Error("short public key accepted")
	}
}

// Key rotation: a gate holding the old and the new public key accepts both; a
// gate holding only the new one refuses the old credentials by their key id.
func TestKeyRotation(t *testing.T) {
	newKey := ed25519.NewKeyFromSeed([]byte(strings.Repeat("n", 32)))
	s2 := must[*ticket.Signer](t)(ticket.NewSigner("gate-2026", newKey))
	tk := issued(t)
	cred := must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))
	oldText := must[string](t)(signer(t).Sign(cred))
	newText := must[string](t)(s2.Sign(cred))
	both := must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{
		"gate-2025": signer(t).PublicKey(), "gate-2026": s2.PublicKey()}))
	only := must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2026": s2.PublicKey()}))
	for _, text := range []string{oldText, newText} {
		if _, err := both.Verify(text, at(20, 19, 0), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := only.Verify(oldText, at(20, 19, 0), nil); !errors.Is(err, ticket.ErrCredentialKey) {
		t.Fatalf("old key: %v", err)
	}
}

// One ticket, one live code (6.2.3): a re-issue supersedes the old version, a
// refund cancels every version, and updates arriving out of order change nothing.
func TestRevocation(t *testing.T) {
	v := verifier(t)
	sg := signer(t)
	tk := issued(t)
	now := at(20, 19, 0)
	text := func(x ticket.Ticket) string {
		return must[string](t)(sg.Sign(must[ticket.Credential](t)(ticket.CredentialOf(&x, at(10, 12, 0)))))
	}
	v1 := text(tk)
	tk2 := must[ticket.Ticket](t)(tk.Reissue(at(12, 0, 0)))
	v2 := text(tk2)

	var rs ticket.RevocationSet
	if _, known := rs.LiveVersion(tk.Code); known || rs.Len() != 0 {
		t.Fatal("empty set")
	}
	rs.Apply(&tk) // version 1: nothing to revoke
	if rs.Len() != 0 {
		t.Fatal("version 1 needs no entry")
	}
	rs.Apply(&tk2)
	if _, err := v.Verify(v1, now, &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Fatalf("superseded v1: %v", err)
	}
	if c, err := v.Verify(v2, now, &rs); err != nil || c.Version != 2 {
		t.Fatalf("live v2: %v", err)
	}
	// An older update after a newer one changes nothing.
	rs.Supersede(tk.Code, 1)
	if _, err := v.Verify(v1, now, &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Fatalf("older update undid a revocation: %v", err)
	}
	// A gate that has not heard of v3 yet still accepts it: the signature proves it.
	tk3 := must[ticket.Ticket](t)(tk2.Reissue(at(13, 0, 0)))
	if _, err := v.Verify(text(tk3), now, &rs); err != nil {
		t.Fatalf("newer version: %v", err)
	}
	// Refund: every version is revoked, and stays so.
	ref := must[ticket.Ticket](t)(tk3.Refund(at(14, 0, 0), "退票"))
	rs.Apply(&ref)
	rs.Supersede(tk.Code, 9)
	for _, x := range []string{v1, v2, text(tk3)} {
		if _, err := v.Verify(x, now, &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
			t.Fatalf("refunded: %v", err)
		}
	}
	if min, known := rs.LiveVersion(tk.Code); !known || min != 0 {
		t.Fatalf("cancelled entry %d %v", min, known)
	}
}

func TestParseCredentialErrorsMasked(t *testing.T) {
	long := strings.Repeat("A", 5000)
	_, err := ticket.ParseCredential(long)
	if !errors.Is(err, ticket.ErrCredentialFormat) || len(err.Error()) > 400 {
		t.Fatalf("long input: %d bytes of error", len(err.Error()))
	}
}
