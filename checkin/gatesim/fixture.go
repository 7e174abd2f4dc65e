package gatesim

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
)

// FixtureOptions size a [Fixture]. It is a plain value.
type FixtureOptions struct {
	// Tickets is the number of valid tickets of the session (at least 1).
	Tickets int
	// Refunded and Void are how many more tickets of the session were refunded
	// and voided before the show.
	Refunded, Void int
	// Other is the number of tickets of another session (at the same venue, the
	// same evening), presented at the wrong gate.
	Other int
	// Seed makes the fixture: the same seed gives the same keys, documents and
	// tickets.
	Seed uint64
	// NoCodeDigests leaves the credential digests out of the book's passes
	// (Fixture.CodeDigests false): every code's signature is then verified at
	// the gate, as when the issuing side records no digest.
	NoCodeDigests bool
}

// Fixture is a session ready for check-in, made up for simulation and tests:
// an unseated real-name (一票一证) session on 20 May 2025, 19:30–21:30, at hall
// 11010100101, its tickets with their signed e-ticket credentials and their
// holders' document indexes, refunded and void tickets, tickets of the
// session after it, and the keys: a signer and its verifier, a blind indexer.
// The documents are synthetic resident ID numbers (valid check digits, birth
// dates from 1970, region 110101), never a real person's; the tickets keep
// them sealed, the fixture as blind indexes.
//
// A Fixture is read-only after NewFixture and safe for concurrent reads.
type Fixture struct {
	Session  session.Session
	Other    session.Session
	Signer   *ticket.Signer
	Verifier *ticket.Verifier
	Indexer  *realname.BlindIndexer

	// Tickets are the valid tickets, Credentials their QR texts and Holders the
	// blind indexes of their holders' documents, index for index.
	Tickets     []ticket.Ticket
	Credentials []string
	Holders     []realname.BlindIndex
	// Refunded and Void are closed tickets of the session, with the
	// credentials they had.
	Refunded, Void                       []ticket.Ticket
	RefundedCredentials, VoidCredentials []string
	// OtherCredentials are credentials of tickets of the Other session.
	OtherCredentials []string
	// CodeDigests says whether Book records each pass's credential digest
	// (checkin.Pass.SetCredential), as an online side does when it issues
	// the codes, so that gates verify those codes without their signature.
	// NewFixture sets it unless FixtureOptions.NoCodeDigests; to compare, copy
	// the fixture and change it in the copy.
	CodeDigests bool
}

// Doors is when the gates open in the fixture: an hour before the start.
func (f *Fixture) Doors() time.Time { return f.Session.Start.Add(-time.Hour) }

// NewFixture makes a fixture.
func NewFixture(o FixtureOptions) (*Fixture, error) {
	if o.Tickets < 1 || o.Refunded < 0 || o.Void < 0 || o.Other < 0 || o.Tickets+o.Refunded+o.Void > 5_000_000 {
		return nil, fmt.Errorf("gatesim: fixture of %d tickets, %d refunded, %d void, %d other: out of bounds", o.Tickets, o.Refunded, o.Void, o.Other)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x93))
	seed := func() []byte {
		b := make([]byte, 32)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	var chachaSeed [32]byte
	copy(chachaSeed[:], seed())
	src := rand.NewChaCha8(chachaSeed)
	kr, err := realname.NewKeyring(src, "sim", map[string][]byte{"sim": seed()})
	if err != nil {
		return nil, err
	}
	ix, err := realname.NewBlindIndexer(seed())
	if err != nil {
		return nil, err
	}
	issuer, err := ticket.NewIssuer(kr, ix, src)
	if err != nil {
		return nil, err
	}
	key := ed25519.NewKeyFromSeed(seed())
	signer, err := ticket.NewSigner("sim-2025", key)
	if err != nil {
		return nil, err
	}
	verifier, err := ticket.NewVerifier(map[string]ed25519.PublicKey{"sim-2025": key.Public().(ed25519.PublicKey)})
	if err != nil {
		return nil, err
	}
	f := &Fixture{Signer: signer, Verifier: verifier, Indexer: ix, CodeDigests: !o.NoCodeDigests}
	if f.Session, err = fixtureSession("sim-1", "110101001012025052001", 19); err != nil {
		return nil, err
	}
	if f.Other, err = fixtureSession("sim-2", "110101001012025052002", 22); err != nil {
		return nil, err
	}
	issuedAt := time.Date(2025, 5, 10, 12, 0, 0, 0, wht93.CST)
	today := wht93.Date{Year: 2025, Month: time.May, Day: 10}
	n := 0
	issue := func(s *session.Session) (ticket.Ticket, string, realname.BlindIndex, error) {
		n++
		code, err := codes.SequenceTicketCode(s.Code, uint64(n))
		if err != nil {
			return ticket.Ticket{}, "", realname.BlindIndex{}, err
		}
		doc, err := realname.Validate(realname.TypeResidentID, syntheticID(n), today)
		if err != nil {
			return ticket.Ticket{}, "", realname.BlindIndex{}, err
		}
		h, err := realname.NewHolder("观众", doc)
		if err != nil {
			return ticket.Ticket{}, "", realname.BlindIndex{}, err
		}
		t, err := issuer.Issue(s, code, ticket.Sale{OrderID: fmt.Sprintf("order-%d", n), BuyerID: "sim-buyer", Tier: "A",
			Price: wht93.Yuan(380), Type: ticket.Sellable, Mode: session.Electronic, Holder: h, Delivery: ticket.Electronic}, issuedAt)
		if err != nil {
			return ticket.Ticket{}, "", realname.BlindIndex{}, err
		}
		c, err := ticket.CredentialOf(&t, issuedAt)
		if err != nil {
			return ticket.Ticket{}, "", realname.BlindIndex{}, err
		}
		text, err := signer.Sign(c)
		return t, text, t.Holder.Index, err
	}
	f.Tickets = make([]ticket.Ticket, 0, o.Tickets)
	for range o.Tickets {
		t, c, h, err := issue(&f.Session)
		if err != nil {
			return nil, err
		}
		f.Tickets, f.Credentials, f.Holders = append(f.Tickets, t), append(f.Credentials, c), append(f.Holders, h)
	}
	closedAt := time.Date(2025, 5, 15, 10, 0, 0, 0, wht93.CST)
	for range o.Refunded {
		t, c, _, err := issue(&f.Session)
		if err == nil {
			t, err = t.Refund(closedAt, "观众退票")
		}
		if err != nil {
			return nil, err
		}
		f.Refunded, f.RefundedCredentials = append(f.Refunded, t), append(f.RefundedCredentials, c)
	}
	for range o.Void {
		t, c, _, err := issue(&f.Session)
		if err == nil {
			t, err = t.Void(closedAt, "出票错误")
		}
		if err != nil {
			return nil, err
		}
		f.Void, f.VoidCredentials = append(f.Void, t), append(f.VoidCredentials, c)
	}
	for range o.Other {
		_, c, _, err := issue(&f.Other)
		if err != nil {
			return nil, err
		}
		f.OtherCredentials = append(f.OtherCredentials, c)
	}
	return f, nil
}

// Book returns a new book of the session's passes: valid, refunded and void,
// with their credential digests when f.CodeDigests.
func (f *Fixture) Book() (*checkin.Book, error) {
	b := checkin.NewBook(f.Session.Code)
	ps := make([]checkin.Pass, 0, len(f.Tickets)+len(f.Refunded)+len(f.Void))
	for k, ts := range [][]ticket.Ticket{f.Tickets, f.Refunded, f.Void} {
		texts := [][]string{f.Credentials, f.RefundedCredentials, f.VoidCredentials}[k]
		for i := range ts {
			p := checkin.PassOf(&ts[i])
			if f.CodeDigests {
				if err := p.SetCredential(texts[i]); err != nil {
					return nil, err
				}
			}
			ps = append(ps, p)
		}
	}
	if _, err := b.Put(ps...); err != nil {
		return nil, err
	}
	return b, nil
}

// Policy returns the session's policy under rules r.
func (f *Fixture) Policy(r checkin.Rules) (checkin.Policy, error) {
	return checkin.NewPolicy(&f.Session, r)
}

func fixtureSession(id, code string, hour int) (session.Session, error) {
	sc, err := codes.ParseSessionCode(code)
	if err != nil {
		return session.Session{}, err
	}
	hall, err := codes.ParseHallCode("11010100101")
	if err != nil {
		return session.Session{}, err
	}
	start := time.Date(2025, 5, 20, hour, 30, 0, 0, wht93.CST)
	if hour >= 22 {
		start = time.Date(2025, 5, 20, 22, 0, 0, 0, wht93.CST)
	}
	return session.Session{
		ID: id, PerformanceID: "sim-perf", Name: "模拟演出 " + id, Code: sc, Type: codes.TypeCode(2001),
		Venue: "模拟剧场", Hall: "大厅", HallCode: hall, Date: wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start: start, End: start.Add(2 * time.Hour), TicketModes: session.ModesOf(session.Electronic),
		RealName: realname.ModePerTicket,
		Sales:    session.Sales{Start: time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST), Stop: start, OpenedAt: time.Date(2025, 5, 1, 9, 0, 0, 0, wht93.CST)},
	}, nil
}

// syntheticID returns the n-th synthetic resident ID number: region 110101
// (东城区), a birth date from 1970-01-01 on, a sequence number and the check
// digit. Distinct n give distinct numbers up to 10,950 × 1,000.
func syntheticID(n int) string {
	day := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n/1000)%10950)
	body := fmt.Sprintf("110101%s%03d", day.Format("20060102"), n%1000)
	c, _ := realname.CheckDigit(body)
	return body + string(c)
}
