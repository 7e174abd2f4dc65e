package checkin_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
)

// TestDecideRecordedCode shows where a decision skips the signature check,
// and that nothing else is skipped. The checker's verifier holds another
// public key under the codes' key id, so that every signature fails: a code
// equal to the one its pass records is still admitted, and only such a code;
// a recorded code is still refused for every other reason.
func TestDecideRecordedCode(t *testing.T) {
	w := newWorld(t)
	w.digests = true
	doors := at(20, 19, 0)
	wrongKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x43}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	wrong := must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": wrongKey}))
	checker := func(r checkin.Rules) *checkin.Checker {
		return must[*checkin.Checker](t)(checkin.NewChecker("online", w.policy(r), wrong))
	}

	tk, good := w.issue(&w.sess, idZhang)
	_, twice := w.issue(&w.sess, idZhang)
	refunded, refCred := w.issue(&w.sess, idZhang)
	refunded = must[ticket.Ticket](t)(refunded.Refund(at(15, 10, 0), "观众申请退票"))
	rp := checkin.PassOf(&refunded)
	if err := rp.SetCredential(refCred); err != nil {
		t.Fatal(err)
	}
	must[int](t)(w.book.Put(rp))
	re, oldCred := w.issue(&w.sess, idZhang)
	re = must[ticket.Ticket](t)(re.Reissue(at(15, 10, 0)))
	newCred := w.sign(&re)
	np := checkin.PassOf(&re)
	if err := np.SetCredential(newCred); err != nil {
		t.Fatal(err)
	}
	must[int](t)(w.book.Put(np))
	// A host that re-issued without updating the digest: the pass at version 2
	// still holds the digest of version 1.
	stale, staleCred := w.issue(&w.sess, idZhang)
	stale = must[ticket.Ticket](t)(stale.Reissue(at(15, 10, 0)))
	sp := checkin.PassOf(&stale)
	sp.CodeDigest = ticket.CredentialDigest(staleCred)
	must[int](t)(w.book.Put(sp))
	w.digests = false
	_, unrecorded := w.issue(&w.sess, idZhang)
	forged, tampered := w.forgeries(good)
	ptid := checkin.Rules{PersonTicketID: true}
	zhang, li := w.holder(idZhang), w.holder(idLi)

	cases := []struct {
		name  string
		rules checkin.Rules
		scan  checkin.Scan
		want  *wht93.Rule // nil: accepted
	}{
		{"recorded code", checkin.Rules{}, qr("s", good, doors), nil},
		{"re-issued: the new recorded code", checkin.Rules{}, qr("s", newCred, doors), nil},
		{"人票证合一: all three", ptid, withID(qr("s", good, doors), zhang, true), nil},
		{"a code not recorded", checkin.Rules{}, qr("s", unrecorded, doors), checkin.ErrForged},
		{"forged with another key", checkin.Rules{}, qr("s", forged, doors), checkin.ErrForged},
		{"altered", checkin.Rules{}, qr("s", tampered, doors), checkin.ErrForged},
		{"recorded code after the show", checkin.Rules{}, qr("s", good, at(20, 21, 30)), checkin.ErrExpired},
		{"refunded, recorded", checkin.Rules{}, qr("s", refCred, doors), checkin.ErrRefunded},
		{"re-issued: the old code, no longer recorded", checkin.Rules{}, qr("s", oldCred, doors), checkin.ErrForged},
		{"re-issued: the old code, still recorded", checkin.Rules{}, qr("s", staleCred, doors), checkin.ErrSuperseded},
		{"人票证合一: another's document", ptid, withID(qr("s", good, doors), li, true), checkin.ErrIdentity},
		{"人票证合一: person not matched", ptid, withID(qr("s", good, doors), zhang, false), checkin.ErrIdentity},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := checker(tc.rules)
			pure := c.Decide(tc.scan, w.book, func(codes.TicketCode) int { return 0 })
			d := must[checkin.Decision](t)(c.Enter(ctx, memory.NewEntries(), tc.scan, w.book))
			if pure.Accepted != d.Accepted || pure.Code() != d.Code() {
				t.Fatalf("Decide %v and Enter %v disagree", pure, d)
			}
			switch {
			case tc.want == nil && (!d.Accepted || d.Entry.Count != 1):
				t.Fatalf("want accepted, got %v", d)
			case tc.want != nil && (d.Accepted || !errors.Is(d.Err(), tc.want)):
				t.Fatalf("want %s, got %v", tc.want.Code(), d)
			}
		})
	}
	// Entry counting holds on the recorded code: a second entry is refused
	// with the wording of E.2.7.
	c := checker(checkin.Rules{})
	st := memory.NewEntries()
	if d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("a", twice, doors), w.book)); !d.Accepted {
		t.Fatalf("first entry: %v", d)
	}
	if d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("b", twice, doors), w.book)); d.Accepted || !errors.Is(d.Err(), checkin.ErrMaxEntries) || d.Zh() != e27Message {
		t.Fatalf("second entry: %v", d)
	}
	// The same book and codes under the right key: the same answers.
	right := w.checker("online", checkin.Rules{})
	for _, cred := range []string{good, newCred} {
		if d := right.Decide(qr("s", cred, doors), w.book, func(codes.TicketCode) int { return 0 }); !d.Accepted {
			t.Fatalf("right key: %v", d)
		}
	}
	if p, _ := w.book.Pass(tk.Code); p.CodeDigest != ticket.CredentialDigest(good) {
		t.Fatal("the pass does not hold its code's digest")
	}
}

// TestSetCredential: a pass records the digest of its own ticket's code at
// its version, and refuses any other text without changing.
func TestSetCredential(t *testing.T) {
	w := newWorld(t)
	tk, cred := w.issue(&w.sess, idZhang)
	other, otherCred := w.issue(&w.sess, idLi)
	re := must[ticket.Ticket](t)(tk.Reissue(at(15, 0, 0)))
	p := checkin.PassOf(&tk)
	if p.HasCodeDigest() {
		t.Fatal("PassOf knows no code")
	}
	if err := p.SetCredential(cred); err != nil || p.CodeDigest != sha256.Sum256([]byte(cred)) || !p.HasCodeDigest() {
		t.Fatalf("SetCredential: %v", err)
	}
	rp := checkin.PassOf(&re)
	for name, tc := range map[string]struct {
		p    checkin.Pass
		text string
	}{
		"unreadable":        {checkin.PassOf(&tk), "https://example.cn/t/1"},
		"another ticket's":  {checkin.PassOf(&tk), otherCred},
		"the old version's": {rp, cred},
		"the new version's": {checkin.PassOf(&other), w.sign(&re)},
	} {
		before := tc.p
		err := tc.p.SetCredential(tc.text)
		if !errors.Is(err, checkin.ErrPass) || tc.p != before {
			t.Errorf("%s: %v, pass %+v", name, err, tc.p)
		}
		if err != nil && strings.Contains(err.Error(), tc.text) && len(tc.text) > 24 {
			t.Errorf("%s: the whole code is in the error: %v", name, err)
		}
	}
}

// TestBookCodeDigest: a digest recorded at the same version reaches the book
// and its replicas; a pass without one does not erase it; of two digests of
// one version the same one stays whatever the order; a re-issue replaces the
// digest with the new code's, or with none.
func TestBookCodeDigest(t *testing.T) {
	w := newWorld(t)
	tk, cred := w.issue(&w.sess, idZhang)
	plain := checkin.PassOf(&tk)
	a, b := plain, plain
	must[any](t)(nil, a.SetCredential(cred))
	alt := must[string](t)(w.signer.Sign(must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(11, 9, 0))))) // the same version signed again
	must[any](t)(nil, b.SetCredential(alt))
	if n := must[int](t)(w.book.Put(a)); n != 1 {
		t.Fatalf("the digest did not reach the book: %d changes", n)
	}
	if n := must[int](t)(w.book.Put(plain)); n != 0 {
		t.Fatal("a pass without a digest erased it")
	}
	high, low := a, b
	if bytes.Compare(a.CodeDigest[:], b.CodeDigest[:]) < 0 {
		high, low = b, a
	}
	for _, order := range [][]checkin.Pass{{plain, low, high}, {high, low, plain}, {low, plain, high}} {
		bk := checkin.NewBook(w.sess.Code)
		must[int](t)(bk.Put(order...))
		if p, _ := bk.Pass(tk.Code); p != high {
			t.Fatalf("order %v: the book holds digest %x", order, p.CodeDigest[:4])
		}
	}
	re := must[ticket.Ticket](t)(tk.Reissue(at(15, 0, 0)))
	if n := must[int](t)(w.book.Put(checkin.PassOf(&re))); n != 1 {
		t.Fatal("the re-issue did not replace the pass")
	}
	if p, _ := w.book.Pass(tk.Code); p.HasCodeDigest() {
		t.Fatal("the re-issued pass kept the old code's digest")
	}
}

// TestPassBinaryDigest: a pass with a digest round-trips in format 2, one
// without keeps format 1, as before.
func TestPassBinaryDigest(t *testing.T) {
	w := newWorld(t)
	tk, cred := w.issue(&w.sess, idZhang)
	p := checkin.PassOf(&tk)
	old := must[[]byte](t)(p.MarshalBinary())
	if old[0] != 1 {
		t.Fatalf("a pass without a digest encodes as format %d", old[0])
	}
	must[any](t)(nil, p.SetCredential(cred))
	b := must[[]byte](t)(p.MarshalBinary())
	if b[0] != 2 || len(b) != len(old)+sha256.Size || !bytes.Equal(b[1:len(old)], old[1:]) {
		t.Fatalf("format 2: %x", b)
	}
	var got checkin.Pass
	if err := got.UnmarshalBinary(b); err != nil || got.CodeDigest != p.CodeDigest || got.Ticket != p.Ticket {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if err := got.UnmarshalBinary(old); err != nil || got.HasCodeDigest() {
		t.Fatalf("format 1: %+v %v", got, err)
	}
}

// The host records the code it just issued in the ticket's pass: a gate then
// decides that exact code without verifying its signature again.
func ExamplePass_SetCredential() {
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 1, Seed: 2, NoCodeDigests: true})
	t, code := fx.Tickets[0], fx.Credentials[0]
	p := checkin.PassOf(&t)
	fmt.Println(p.HasCodeDigest())
	if err := p.SetCredential(code); err != nil {
		fmt.Println(err)
	}
	fmt.Println(p.HasCodeDigest(), p.CodeDigest == ticket.CredentialDigest(code))
	err := p.SetCredential(fx.Credentials[0][:40])
	fmt.Println(errors.Is(err, checkin.ErrPass))
	// Output:
	// false
	// true true
	// true
}
