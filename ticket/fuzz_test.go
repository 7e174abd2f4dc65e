package ticket_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/piaowu/wht93/ticket"
)

// FuzzParseCredential: the decoder never panics; what decodes re-encodes to the
// very same text; verification never panics and accepts only what decodes.
// Seeded from testdata/credentials.tsv.
func FuzzParseCredential(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.text)
	}
	f.Add(ticket.CredentialPrefix)
	f.Add(ticket.CredentialPrefix + strings.Repeat("_", ticket.MaxCredentialLen))
	v := verifier(f)
	var rs ticket.RevocationSet
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ticket.ParseCredential(text)
		c, verr := v.Verify(text, vectorsNow, &rs)
		if err != nil {
			if verr == nil {
				t.Fatalf("verified what does not parse: %q", text)
			}
			return
		}
		if got := s.String(); got != text {
			t.Fatalf("re-encoding differs:\n%q\n%q", text, got)
		}
		if verr == nil && c != s.Credential {
			t.Fatalf("verified %+v, parsed %+v", c, s.Credential)
		}
	})
}

// FuzzCredentialBinary fuzzes the binary layout under the base64 layer, where
// random bytes reach the field checks.
func FuzzCredentialBinary(f *testing.F) {
	for _, v := range loadVectors(f) {
		if raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(v.text, ticket.CredentialPrefix)); err == nil {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		text := ticket.CredentialPrefix + base64.RawURLEncoding.EncodeToString(raw)
		s, err := ticket.ParseCredential(text)
		if err != nil {
			return
		}
		if s.String() != text {
			t.Fatalf("re-encoding differs for %x", raw)
		}
		if s.Version == 0 || !s.NotBefore.Before(s.NotAfter) || s.Ticket.IsZero() || s.KeyID == "" {
			t.Fatalf("decoded an invalid credential: %+v", s.Credential)
		}
	})
}
