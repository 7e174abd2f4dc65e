package checkin_test

import (
	"bytes"
	"crypto/ed25519"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// at returns the instant in China Standard Time on 2025-05-d.
func at(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }

var today = wht93.Date{Year: 2025, Month: time.May, Day: 10}

// Document numbers: synthetic or published examples, no real person's (see
// realname/testdata/vectors.tsv).
const (
	idZhang = "11010119900307803X"
	idLi    = "11010519491231002X"
)

// fataler is what must needs of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func must[T any](t fataler) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func detRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return rand.NewChaCha8(s)
}

// world is a session with its keys, issuer, tickets and a book.
type world struct {
	t        testing.TB
	sess     session.Session
	other    session.Session
	issuer   *ticket.Issuer
	indexer  *realname.BlindIndexer
	signer   *ticket.Signer
	verifier *ticket.Verifier
	book     *checkin.Book
	n        int
	// digests: issue records each code's digest in its pass, as an online
	// side does (Pass.SetCredential).
	digests bool
}

var signingKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))

func newWorld(t testing.TB) *world {
	kr := must[*realname.Keyring](t)(realname.NewKeyring(detRand(7), "k1", map[string][]byte{"k1": bytes.Repeat([]byte{0x11}, 32)}))
	ix := must[*realname.BlindIndexer](t)(realname.NewBlindIndexer(bytes.Repeat([]byte{0x22}, 32)))
	w := &world{
		t:        t,
		sess:     evening(t, "sess-1", "110101001012025052001"),
		other:    evening(t, "sess-9", "110101001012025052002"),
		issuer:   must[*ticket.Issuer](t)(ticket.NewIssuer(kr, ix, detRand(9))),
		indexer:  ix,
		signer:   must[*ticket.Signer](t)(ticket.NewSigner("gate-2025", signingKey)),
		verifier: must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": signingKey.Public().(ed25519.PublicKey)})),
	}
	w.book = checkin.NewBook(w.sess.Code)
	return w
}

// evening is a seated real-name (一票一证) session on 20 May 2025, 19:30–21:30.
func evening(t testing.TB, id, code string) session.Session {
	return session.Session{
		ID: id, PerformanceID: "perf-1", Name: "春之声交响音乐会",
		Code:  must[codes.SessionCode](t)(codes.ParseSessionCode(code)),
		Type:  codes.TypeCode(2001),
		Venue: "东城大剧院", Hall: "大剧场",
		HallCode: must[codes.HallCode](t)(codes.ParseHallCode("11010100101")),
		Seated:   true,
		Date:     wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start:    at(20, 19, 30), End: at(20, 21, 30),
		TicketModes: session.ModesOf(session.Paper, session.Electronic),
		RealName:    realname.ModePerTicket,
		Sales:       session.Sales{Start: at(1, 10, 0), Stop: at(20, 19, 0), OpenedAt: at(1, 9, 0)},
	}
}

func (w *world) doc(number string) realname.Document {
	return must[realname.Document](w.t)(realname.Validate(realname.TypeResidentID, number, today))
}

// issue sells a ticket of s to a holder with the document number (a real-name
// e-ticket), puts its pass in the book when s is the world's session (with
// the code's digest when w.digests), and returns it with its credential text.
func (w *world) issue(s *session.Session, number string) (ticket.Ticket, string) {
	tk, cred := w.mint(s, number)
	if s.Code == w.sess.Code {
		p := checkin.PassOf(&tk)
		if w.digests {
			if err := p.SetCredential(cred); err != nil {
				w.t.Fatal(err)
			}
		}
		if _, err := w.book.Put(p); err != nil {
			w.t.Fatal(err)
		}
	}
	return tk, cred
}

// mint is issue without the book.
func (w *world) mint(s *session.Session, number string) (ticket.Ticket, string) {
	t := w.t
	w.n++
	code := must[codes.TicketCode](t)(codes.NewTicketCode(s.Code, "T"+strconv.Itoa(w.n)))
	h := must[realname.Holder](t)(realname.NewHolder("张三", w.doc(number)))
	seat := venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: strconv.Itoa(w.n) + "号"}
	tk := must[ticket.Ticket](t)(w.issuer.Issue(s, code, ticket.Sale{
		OrderID: "order-" + strconv.Itoa(w.n), BuyerID: "buyer-1", Seat: seat, Tier: "A", Price: wht93.Yuan(680),
		Type: ticket.Sellable, Mode: session.Electronic, Holder: h, Delivery: ticket.Electronic,
	}, at(10, 12, 0)))
	return tk, w.sign(&tk)
}

func (w *world) sign(tk *ticket.Ticket) string {
	c := must[ticket.Credential](w.t)(ticket.CredentialOf(tk, at(10, 12, 0)))
	return must[string](w.t)(w.signer.Sign(c))
}

func (w *world) put(tk *ticket.Ticket) {
	w.t.Helper()
	if _, err := w.book.Put(checkin.PassOf(tk)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) policy(r checkin.Rules) checkin.Policy {
	return must[checkin.Policy](w.t)(checkin.NewPolicy(&w.sess, r))
}

func (w *world) checker(node string, r checkin.Rules) *checkin.Checker {
	return must[*checkin.Checker](w.t)(checkin.NewChecker(node, w.policy(r), w.verifier))
}

// qr is a QR scan of the credential at gate 东1 at the instant.
func qr(id, cred string, when time.Time) checkin.Scan {
	return checkin.Scan{ID: id, Method: checkin.QR, Credential: cred, Gate: "东1", Device: "东1-01", At: when}
}

// card is an ID-card scan of the document at gate 东1 at the instant.
func card(w *world, id, number string, when time.Time) checkin.Scan {
	return checkin.Scan{ID: id, Method: checkin.IDCard, Holder: checkin.IDScan(w.indexer, w.doc(number)), Gate: "东1", Device: "东1-02", At: when}
}

// holder is the blind index an ID-card scan of the document number reads.
func (w *world) holder(number string) realname.BlindIndex {
	return checkin.IDScan(w.indexer, w.doc(number))
}

// withID is s with the holder's document read and the person matched (face)
// or not.
func withID(s checkin.Scan, h realname.BlindIndex, face bool) checkin.Scan {
	s.Holder, s.FaceMatched = h, face
	return s
}

// forgeries returns the code good signed again with another key under the
// same key id, and good with one character of its signature changed.
func (w *world) forgeries(good string) (forged, tampered string) {
	t := w.t
	otherKey := must[*ticket.Signer](t)(ticket.NewSigner("gate-2025", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))))
	forged = must[string](t)(otherKey.Sign(must[ticket.Signed](t)(ticket.ParseCredential(good)).Credential))
	tampered = good[:len(good)-3] + flip(good[len(good)-3]) + good[len(good)-2:]
	return forged, tampered
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
