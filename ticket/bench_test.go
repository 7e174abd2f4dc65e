package ticket_test

import (
	"testing"

	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

func benchCredential(b *testing.B) ticket.Credential {
	sc := must[codes.SessionCode](b)(codes.ParseSessionCode(sessionCode))
	code := must[codes.TicketCode](b)(codes.RandomTicketCode(sc, detRand(1))) // 48 bytes, the longest generated
	return ticket.Credential{Ticket: code, Version: 3, NotBefore: at(10, 12, 0), NotAfter: at(20, 21, 30)}
}

// benchRevocations is a gate's revocation set of 100,000 superseded tickets of
// the session, none of them the benchmarks' credential.
func benchRevocations(b *testing.B) *ticket.RevocationSet {
	var rs ticket.RevocationSet
	sc := must[codes.SessionCode](b)(codes.ParseSessionCode(sessionCode))
	for i := range uint64(100_000) {
		rs.Supersede(must[codes.TicketCode](b)(codes.SequenceTicketCode(sc, i)), 2)
	}
	return &rs
}

// BenchmarkSignCredential: encoding and Ed25519 signing of one credential.
func BenchmarkSignCredential(b *testing.B) {
	s := signer(b)
	c := benchCredential(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCredential: what a gate does offline for one scan — decode,
// Ed25519 verification, validity and a revocation look-up in a set of 100,000
// tickets.
func BenchmarkVerifyCredential(b *testing.B) {
	v := verifier(b)
	text := must[string](b)(signer(b).Sign(benchCredential(b)))
	rs := benchRevocations(b)
	now := at(20, 19, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(text, now, rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCredential: decoding alone, without the signature check.
func BenchmarkParseCredential(b *testing.B) {
	text := must[string](b)(signer(b).Sign(benchCredential(b)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ticket.ParseCredential(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender: one 80×200 mm face to SVG.
func BenchmarkRender(b *testing.B) {
	l := layout80()
	v := faceValues(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Render("80x200", v); err != nil {
			b.Fatal(err)
		}
	}
}
