package refund_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"slices"

	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/refund"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// at returns the instant in China Standard Time on 2025-05-d at h:m.
func at(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }

// schedule is the tests' refund rules: ≥ 7 days 5 %, 1–7 days 20 %, < 24 h none.
func schedule() refund.Rules {
	return refund.Rules{Tiers: []refund.Tier{
		{Before: 7 * 24 * time.Hour, Fee: decimal.RequireFromString("0.05")},
		{Before: 24 * time.Hour, Fee: decimal.RequireFromString("0.2")},
		{Before: 0, NoRefund: true},
	}}
}

func detRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return rand.NewChaCha8(s)
}

func check(t tb, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var signingKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))

// world is one seated session on 20 May 2025 19:30 with 2 rows of 5 seats at
// tiers A (680 yuan) and B (380 yuan), sold through "web", in a memory
// inventory, with a ticket issuer and the gates' revocation list.
type world struct {
	sess    session.Session
	tpl     *venue.Template
	sales   *inventory.Sales
	issuer  *ticket.Issuer
	signer  *ticket.Signer
	revoked *ticket.RevocationSet
	desk    *refund.Desk
	codeN   int
}

func newWorld(t tb) *world {
	t.Helper()
	sc, err := codes.ParseSessionCode("110101001012025052001")
	check(t, err)
	hc, err := codes.ParseHallCode("11010100101")
	check(t, err)
	w := &world{sess: session.Session{
		ID: "sess-1", PerformanceID: "perf-1", Name: "春之声交响音乐会", Code: sc, Type: codes.TypeCode(2001),
		Venue: "东城大剧院", Hall: "大剧场", HallCode: hc, Seated: true, Date: wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start: at(20, 19, 30), End: at(20, 21, 30), TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModeNone,
		Sales: session.Sales{OpenedAt: at(1, 9, 0), Start: at(1, 10, 0), Stop: at(20, 19, 0)},
	}}
	w.tpl, err = venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 1, To: 2, Seats: venue.SeatRange{From: 1, To: 5}}}},
	}})
	check(t, err)
	area := venue.AreaKey{Floor: "一层", Area: "A区"}
	chart, err := inventory.NewChart(inventory.ChartSpec{SessionID: w.sess.ID, Version: 1, Template: w.tpl,
		Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(680)}, {ID: "B", Price: wht93.Yuan(380)}},
		Prices: []inventory.Pricing{
			{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: area, Row: "1排"}}}},
			{Tier: "B", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: area, Row: "2排"}}}},
		}})
	check(t, err)
	web := session.Channel{ID: "web", Name: "官网", Kind: session.OwnSales, Commission: decimal.Zero}
	auth, err := session.Authorize(&web, &w.sess, at(1, 0, 0), time.Time{}, session.Allocation{})
	check(t, err)
	w.sales, err = inventory.New(memory.NewInventory(), inventory.Config{Session: w.sess, Chart: chart, Channels: []session.Authorization{auth}})
	check(t, err)
	check(t, w.sales.Open(context.Background()))
	kr, err := realname.NewKeyring(detRand(7), "k1", map[string][]byte{"k1": bytes.Repeat([]byte{0x11}, 32)})
	check(t, err)
	ix, err := realname.NewBlindIndexer(bytes.Repeat([]byte{0x22}, 32))
	check(t, err)
	w.issuer, err = ticket.NewIssuer(kr, ix, detRand(9))
	check(t, err)
	w.signer, err = ticket.NewSigner("gate-2025", signingKey)
	check(t, err)
	w.revoked = &ticket.RevocationSet{}
	w.desk, err = refund.NewDesk(refund.Config{Rules: schedule(), Sales: []*inventory.Sales{w.sales}, Revoker: w.revoked})
	check(t, err)
	return w
}

// buy sells n seats of tier to an order at now and issues their tickets; it
// returns the items a refund of the order names.
func (w *world) buy(t tb, order, tier string, n int, now time.Time) ([]refund.Item, error) {
	sale, err := w.sales.Buy(context.Background(), now, inventory.HoldRequest{Key: order, Buyer: "u-" + order, Channel: "web", Tier: tier, N: n}, inventory.Purchase{})
	if err != nil {
		return nil, err
	}
	return w.issue(t, order, sale, now), nil
}

// issue issues the tickets of a sale.
func (w *world) issue(t tb, order string, sale *inventory.Sale, now time.Time) []refund.Item {
	var items []refund.Item
	for _, s := range sale.Tickets {
		seat, _ := w.tpl.Seat(s.Seat)
		w.codeN++
		code, err := codes.NewTicketCode(w.sess.Code, fmt.Sprintf("T%04d", w.codeN))
		check(t, err)
		tk, err := w.issuer.Issue(&w.sess, code, ticket.Sale{OrderID: order, BuyerID: s.Buyer, Seat: seat.Location, Tier: s.Tier,
			Price: s.Amount, Type: ticket.Sellable, Mode: session.Electronic, Delivery: ticket.Electronic}, now)
		check(t, err)
		items = append(items, refund.Item{Ticket: tk, Sale: s})
	}
	return items
}

func (w *world) box(t tb, now time.Time) *inventory.BoxOffice {
	t.Helper()
	b, err := w.sales.BoxOffice(context.Background(), now)
	check(t, err)
	return b
}

// desk2Sales returns the world's sales, for a second desk over the same
// inventory.
func (w *world) desk2Sales() []*inventory.Sales { return []*inventory.Sales{w.sales} }

func sortedStrings(s []string) []string { slices.Sort(s); return s }

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

// storeOf returns a new memory inventory holding the world's chart, for tests
// that wrap the store.
func storeOf(t tb, w *world) inventory.Store {
	st := memory.NewInventory()
	check(t, st.Create(context.Background(), w.sales.Chart()))
	return st
}

// stockOrder sells n seats of tier A to the order on 10 May through staff
// (the store of a rebuilt Sales has no channels) and issues their tickets.
func (w *world) stockOrder(t tb, order string, n int) []refund.Item {
	t.Helper()
	now := at(10, 12, 0)
	var seats []venue.SeatID
	for id := range venue.SeatID(n) {
		seats = append(seats, id)
	}
	sale, err := w.sales.Issue(context.Background(), now, order, "staff-1", seats, inventory.Purchase{})
	check(t, err)
	return w.issue(t, order, sale, now)
}
