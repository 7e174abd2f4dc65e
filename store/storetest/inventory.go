package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// TestInventory runs the conformance suite of [inventory.Store] on the stores
// that open makes. open is called once per subtest and must return an empty store
// of its own; it releases what it opens with t.Cleanup. (The model-based test
// runs each of its cases on a new session of one store.) The suite covers charts and versions, holds of specific
// seats (all or nothing) and best-available holds (compared with
// inventory.Board's choice), access to reserved, staff and blocked seats, holds
// that expire without any job, sales with purchase counters (all or nothing),
// idempotent sales, refunds, chart changes, unseated capacity, the ticket records
// of E.1.1, 1,000 concurrent buyers on overlapping seats and shared limits, and a
// state-machine test of random operations against a model. Each misbehaviour
// fails the subtest that found it.
func TestInventory(t *testing.T, open func(t *testing.T) inventory.Store) {
	cases := []struct {
		name string
		fn   func(*testing.T, inventory.Store)
	}{
		{"Charts", invTestCharts},
		{"HoldSeats", invTestHoldSeats},
		{"Access", invTestAccess},
		{"HoldBest", invTestHoldBest},
		{"Expiry", invTestExpiry},
		{"Sell", invTestSell},
		{"Counters", invTestCounters},
		{"Refund", invTestRefund},
		{"Reconfigure", invTestReconfigure},
		{"Unseated", invTestUnseated},
		{"OneTicketPerSeat", invTestOneTicketPerSeat},
		{"Concurrent", invTestConcurrent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
	t.Run("Model", func(t *testing.T) { invTestModel(t, open) })
}

var invCtx = context.Background()

// invT0 is the suite's clock origin.
var invT0 = time.Date(2025, time.May, 2, 12, 0, 0, 0, wht93.CST)

// invTemplate is the suite's hall: 一层 A区 rows 1–4 of seats 1–10 with an aisle
// between 5 and 6; 一层 B区 rows 1–4 of seats 1–8.
func invTemplate(t testing.TB) *venue.Template {
	t.Helper()
	tpl, err := venue.Build(venue.Spec{Hall: "测试厅", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{
			{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 5}},
			{From: 1, To: 4, Seats: venue.SeatRange{From: 6, To: 10}, Gap: 1},
		}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 8}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

var (
	invAreaA = venue.AreaKey{Floor: "一层", Area: "A区"}
	invAreaB = venue.AreaKey{Floor: "一层", Area: "B区"}
)

// invSpec is the suite's chart: tier A (500 yuan) on A区 rows 1–2, tier B (300
// yuan) on the rest; B区 4排 reserved for the channel "agent"; A区 4排 1号
// complimentary; B区 1排 1号 blocked.
func invSpec(sid string, tpl *venue.Template) inventory.ChartSpec {
	return inventory.ChartSpec{
		SessionID: sid, Version: 1, Template: tpl,
		Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(500)}, {ID: "B", Price: wht93.Yuan(300)}},
		Prices: []inventory.Pricing{
			{Tier: "B", Selection: inventory.Selection{Areas: []venue.AreaKey{invAreaA, invAreaB}}},
			{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: invAreaA, Row: "1排"}, {AreaKey: invAreaA, Row: "2排"}}}},
		},
		Reservations: []inventory.Reservation{{Name: "分销预留", Note: "B区4排", Channel: "agent",
			Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: invAreaB, Row: "4排"}}}}},
		Types:  []inventory.Typing{{Type: inventory.Complimentary, Selection: inventory.Selection{Seats: []venue.SeatID{invLookup(tpl, "A区", "4排", "1号")}}}},
		Blocks: []inventory.Block{{Note: "摄像机位", Selection: inventory.Selection{Seats: []venue.SeatID{invLookup(tpl, "B区", "1排", "1号")}}}},
	}
}

func invLookup(tpl *venue.Template, area, row, num string) venue.SeatID {
	id, ok := tpl.Lookup(venue.Location{Floor: "一层", Area: area, Row: row, Number: num})
	if !ok {
		panic("storetest: no seat " + area + row + num)
	}
	return id
}

type invFix struct {
	tpl   *venue.Template
	chart *inventory.Chart
}

// invCreate creates the suite's chart for session sid in the store.
func invCreate(t testing.TB, st inventory.Store, sid string) invFix {
	t.Helper()
	tpl := invTemplate(t)
	c, err := inventory.NewChart(invSpec(sid, tpl))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Create(invCtx, c); err != nil {
		t.Fatalf("Create: %v", err)
	}
	return invFix{tpl: tpl, chart: c}
}

func (f invFix) seat(area, row, num string) venue.SeatID { return invLookup(f.tpl, area, row, num) }

var invPublic = inventory.Access{Channel: "web"}

func invHoldOp(c *inventory.Chart, key string, now time.Time, seats ...venue.SeatID) *inventory.HoldOp {
	return &inventory.HoldOp{Chart: c, Hold: key, Owner: "buyer", Access: invPublic, Seats: seats, Now: now, Expires: now.Add(10 * time.Minute)}
}

func invMustHold(t testing.TB, st inventory.Store, op *inventory.HoldOp) []venue.SeatID {
	t.Helper()
	got, err := st.Hold(invCtx, op)
	if err != nil {
		t.Fatalf("Hold %s: %v", op.Hold, err)
	}
	if len(op.Seats) > 0 && !slices.Equal(got, op.Seats) {
		t.Fatalf("Hold %s returned %v, want %v", op.Hold, got, op.Seats)
	}
	return got
}

// invSaleOp sells the seats of a hold at list price, with the counters given.
func invSaleOp(c *inventory.Chart, key string, now time.Time, seats []venue.SeatID, counters ...inventory.CounterAdd) *inventory.SaleOp {
	op := &inventory.SaleOp{Chart: c, Hold: key, Now: now, Counters: counters}
	var keys []string
	for _, ca := range counters {
		keys = append(keys, ca.Key)
	}
	for _, id := range seats {
		tier := c.Tiers()[c.TierOf(id)]
		op.Tickets = append(op.Tickets, inventory.Ticket{
			Session: c.SessionID(), Seat: id, Tier: tier.ID, Type: c.TypeOf(id), Order: key,
			Buyer: "buyer", Channel: "web", Amount: tier.Price, SoldAt: now, Keys: keys,
		})
	}
	return op
}

func invMustSell(t testing.TB, st inventory.Store, op *inventory.SaleOp) []inventory.Ticket {
	t.Helper()
	got, err := st.Sell(invCtx, op)
	if err != nil {
		t.Fatalf("Sell %s: %v", op.Hold, err)
	}
	if len(got) != len(op.Tickets) {
		t.Fatalf("Sell %s returned %d tickets, want %d", op.Hold, len(got), len(op.Tickets))
	}
	for i, tk := range got {
		w := op.Tickets[i]
		if tk.Serial <= 0 || tk.Seat != w.Seat || tk.Order != w.Order || tk.Amount != w.Amount || tk.Tier != w.Tier ||
			tk.Buyer != w.Buyer || tk.Channel != w.Channel || tk.Type != w.Type || !tk.Live() || !slices.Equal(tk.Keys, w.Keys) {
			t.Fatalf("Sell %s ticket %d = %+v, want %+v with a serial", op.Hold, i, tk, w)
		}
	}
	return got
}

func invSnapshot(t testing.TB, st inventory.Store, c *inventory.Chart, now time.Time) *inventory.Snapshot {
	t.Helper()
	sn, err := st.Snapshot(invCtx, c, now)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if len(sn.States) != c.Len() || len(sn.Sold) != len(c.Tiers()) || sn.Version != c.Version() {
		t.Fatalf("Snapshot has %d states, %d tiers, version %d; want %d, %d, %d", len(sn.States), len(sn.Sold), sn.Version, c.Len(), len(c.Tiers()), c.Version())
	}
	return sn
}

func invWantStates(t testing.TB, st inventory.Store, c *inventory.Chart, now time.Time, want inventory.State, seats ...venue.SeatID) {
	t.Helper()
	sn := invSnapshot(t, st, c, now)
	for _, id := range seats {
		if sn.States[id] != want {
			t.Fatalf("seat %s is %s at %s, want %s", c.Label(id), sn.States[id], now.Format(time.TimeOnly), want)
		}
	}
}

func invTestCharts(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "charts")
	if err := st.Create(invCtx, f.chart); !errors.Is(err, inventory.ErrChartExists) {
		t.Fatalf("second Create: %v, want ErrChartExists", err)
	}
	sn := invSnapshot(t, st, f.chart, invT0)
	for id, s := range sn.States {
		if s != inventory.Available {
			t.Fatalf("new chart: seat %d is %s", id, s)
		}
	}
	for _, s := range sn.Sold {
		if s != 0 {
			t.Fatalf("new chart sold %v", sn.Sold)
		}
	}
	other, _ := inventory.NewChart(invSpec("nosuch", f.tpl))
	_, err := st.Hold(invCtx, invHoldOp(other, "h", invT0, 0))
	mustRule(t, "Hold on a session without chart", err, inventory.ErrNoChart)
	_, err = st.Snapshot(invCtx, other, invT0)
	mustRule(t, "Snapshot of a session without chart", err, inventory.ErrNoChart)
	spec := invSpec("charts", f.tpl)
	spec.Version = 2
	v2, _ := inventory.NewChart(spec)
	_, err = st.Hold(invCtx, invHoldOp(v2, "h", invT0, 0))
	mustRule(t, "Hold with a chart of another version", err, inventory.ErrStaleChart)
	_, err = st.Tickets(invCtx, v2)
	mustRule(t, "Tickets with a chart of another version", err, inventory.ErrStaleChart)
	if ts, err := st.Tickets(invCtx, f.chart); err != nil || len(ts) != 0 {
		t.Fatalf("Tickets of a new chart: %v %v", ts, err)
	}
}

func invTestHoldSeats(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "hold-seats")
	c := f.chart
	a1, a2, a3 := f.seat("A区", "1排", "1号"), f.seat("A区", "1排", "2号"), f.seat("A区", "1排", "3号")
	invMustHold(t, st, invHoldOp(c, "h1", invT0, a1, a2))
	// All or nothing: a2 is taken, so a3 is not held either.
	_, err := st.Hold(invCtx, invHoldOp(c, "h2", invT0, a3, a2))
	mustRule(t, "Hold of a held seat", err, inventory.ErrSeatHeld)
	if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Field != "seats[1]" || vs[0].Value != c.Label(a2) {
		t.Fatalf("violations %v, want one at seats[1] naming %q", vs, c.Label(a2))
	}
	invWantStates(t, st, c, invT0, inventory.Available, a3)
	invWantStates(t, st, c, invT0, inventory.Held, a1, a2)
	invMustHold(t, st, invHoldOp(c, "h2", invT0, a3))
	_, err = st.Hold(invCtx, invHoldOp(c, "h2", invT0, f.seat("A区", "3排", "3号")))
	mustRule(t, "Hold with a key in use", err, inventory.ErrHoldKey)
	a4 := f.seat("A区", "1排", "4号")
	_, err = st.Hold(invCtx, invHoldOp(c, "h3", invT0, a4, a4))
	mustRule(t, "Hold of a seat twice", err, inventory.ErrSeatTwice)
	_, err = st.Hold(invCtx, invHoldOp(c, "h3", invT0, a4, venue.SeatID(c.Len())))
	mustRule(t, "Hold of an unknown seat", err, inventory.ErrSeatUnknown)
	invWantStates(t, st, c, invT0, inventory.Available, a4)
	// Release gives the seats back; releasing again releases nothing.
	if n, err := st.Release(invCtx, c, "h1", invT0); err != nil || n != 2 {
		t.Fatalf("Release h1 = %d, %v; want 2", n, err)
	}
	if n, err := st.Release(invCtx, c, "h1", invT0); err != nil || n != 0 {
		t.Fatalf("Release h1 again = %d, %v; want 0", n, err)
	}
	if n, err := st.Release(invCtx, c, "never", invT0); err != nil || n != 0 {
		t.Fatalf("Release of an unknown hold = %d, %v; want 0", n, err)
	}
	invWantStates(t, st, c, invT0, inventory.Available, a1, a2)
	invMustHold(t, st, invHoldOp(c, "h1", invT0, a2, a1)) // the key is free again
}

func invTestAccess(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "access")
	c := f.chart
	reserved := f.seat("B区", "4排", "3号")
	comp := f.seat("A区", "4排", "1号")
	blocked := f.seat("B区", "1排", "1号")
	for _, tc := range []struct {
		seat   venue.SeatID
		access inventory.Access
		rule   *wht93.Rule // nil: allowed
	}{
		{reserved, invPublic, inventory.ErrSeatReserved},
		{reserved, inventory.Access{Channel: "agent"}, nil},
		{comp, invPublic, inventory.ErrNotSellable},
		{comp, inventory.Access{Channel: "agent"}, inventory.ErrNotSellable},
		{blocked, invPublic, inventory.ErrSeatBlocked},
		{blocked, inventory.Access{Staff: true}, inventory.ErrSeatBlocked},
		{comp, inventory.Access{Staff: true}, nil},
		{f.seat("B区", "4排", "4号"), inventory.Access{Staff: true}, nil},
	} {
		op := invHoldOp(c, fmt.Sprintf("k%d-%v", tc.seat, tc.access.Staff), invT0, tc.seat)
		op.Access = tc.access
		_, err := st.Hold(invCtx, op)
		what := fmt.Sprintf("Hold of %s by %+v", c.Label(tc.seat), tc.access)
		if tc.rule == nil {
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			continue
		}
		mustRule(t, what, err, tc.rule)
	}
}

// invTestHoldBest compares best-available holds with what an inventory.Board,
// given the same operations, chooses.
func invTestHoldBest(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "best")
	c := f.chart
	ref := inventory.NewBoard(c)
	now := invT0
	best := func(key, tier string, n int, a inventory.Access, focus *venue.Point) ([]venue.SeatID, error) {
		op := &inventory.HoldOp{Chart: c, Hold: key, Owner: "o", Access: a, Tier: tier, N: n, Focus: focus, Now: now, Expires: now.Add(time.Hour)}
		want, werr := ref.Hold(op)
		got, err := st.Hold(invCtx, op)
		if (err == nil) != (werr == nil) || !slices.Equal(got, want) {
			t.Fatalf("best %s %s×%d: got %v %v, want %v %v", key, tier, n, got, err, want, werr)
		}
		return got, err
	}
	// The first group takes the middle of A区 1排: 1排 3–5 are adjacent, 5 and 6
	// are not (an aisle).
	got, _ := best("b1", "A", 3, invPublic, nil)
	for i := 1; i < len(got); i++ {
		if got[i] != got[i-1]+1 {
			t.Fatalf("first best hold %v is not adjacent", got)
		}
	}
	if lab := c.Label(got[0]); lab != "一层 A区 1排 3号" && lab != "一层 A区 1排 6号" {
		t.Fatalf("first best hold starts at %s", lab)
	}
	for i := 2; i <= 12; i++ {
		if _, err := best(fmt.Sprintf("b%d", i), "A", 1+i%4, invPublic, nil); err != nil {
			mustRule(t, "best hold", err, inventory.ErrSoldOut)
		}
	}
	_, err := best("big", "A", 21, invPublic, nil)
	mustRule(t, "best hold of more seats than the tier has", err, inventory.ErrSoldOut)
	// Channel and staff picks may use their reserved seats.
	if _, err := best("agent1", "B", 4, inventory.Access{Channel: "agent"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := best("staff1", "B", 2, inventory.Access{Staff: true}, nil); err != nil {
		t.Fatal(err)
	}
	// Releases and expiry feed the same choices.
	if _, err := st.Release(invCtx, c, "b1", now); err != nil {
		t.Fatal(err)
	}
	ref.Release("b1", now)
	if _, err := best("b13", "A", 2, invPublic, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if _, err := best("b14", "A", 4, invPublic, nil); err != nil {
		t.Fatal(err)
	}
}

func invTestExpiry(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "expiry")
	c := f.chart
	s1, s2 := f.seat("A区", "2排", "1号"), f.seat("A区", "2排", "2号")
	op := invHoldOp(c, "h1", invT0, s1, s2)
	op.Expires = invT0.Add(time.Minute)
	invMustHold(t, st, op)
	invWantStates(t, st, c, invT0.Add(time.Minute-time.Nanosecond), inventory.Held, s1, s2)
	// At the expiry instant the seats are available, with no job run.
	at := invT0.Add(time.Minute)
	invWantStates(t, st, c, at, inventory.Available, s1, s2)
	_, err := st.Sell(invCtx, invSaleOp(c, "h1", at, []venue.SeatID{s1, s2}))
	mustRule(t, "Sell of an expired hold", err, inventory.ErrNotHeld)
	// Another order holds s2; the expired key can be used again.
	invMustHold(t, st, invHoldOp(c, "h2", at, s2))
	invMustHold(t, st, invHoldOp(c, "h1", at, s1))
	if n, err := st.Release(invCtx, c, "h1", at); err != nil || n != 1 {
		t.Fatalf("Release = %d, %v; want 1", n, err)
	}
	// An expired hold releases nothing.
	op = invHoldOp(c, "h3", at, s1)
	op.Expires = at.Add(time.Second)
	invMustHold(t, st, op)
	if n, err := st.Release(invCtx, c, "h3", at.Add(time.Second)); err != nil || n != 0 {
		t.Fatalf("Release of an expired hold = %d, %v; want 0", n, err)
	}
	// A hold whose expiry is not after now is refused.
	op = invHoldOp(c, "h4", at, s1)
	op.Expires = at
	_, err = st.Hold(invCtx, op)
	mustRule(t, "Hold expiring now", err, inventory.ErrRequest)
}

func invTestSell(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "sell")
	c := f.chart
	s1, s2, s3 := f.seat("A区", "1排", "1号"), f.seat("A区", "1排", "2号"), f.seat("B区", "2排", "5号")
	invMustHold(t, st, invHoldOp(c, "o1", invT0, s1, s2, s3))
	// Selling seats the hold does not hold sells nothing.
	other := f.seat("A区", "1排", "9号")
	_, err := st.Sell(invCtx, invSaleOp(c, "o1", invT0, []venue.SeatID{s1, other}))
	mustRule(t, "Sell of a seat not held", err, inventory.ErrNotHeld)
	invWantStates(t, st, c, invT0, inventory.Held, s1)
	// Selling part of a hold leaves the rest held.
	tickets := invMustSell(t, st, invSaleOp(c, "o1", invT0, []venue.SeatID{s1, s3}))
	if tickets[0].Serial == tickets[1].Serial {
		t.Fatalf("two tickets with serial %d", tickets[0].Serial)
	}
	invWantStates(t, st, c, invT0, inventory.Sold, s1, s3)
	invWantStates(t, st, c, invT0, inventory.Held, s2)
	sn := invSnapshot(t, st, c, invT0)
	if sn.Sold[0] != wht93.Yuan(500) || sn.Sold[1] != wht93.Yuan(300) {
		t.Fatalf("sold amounts %v, want [500.00 300.00]", sn.Sold)
	}
	// A retried sale returns the same tickets.
	again, err := st.Sell(invCtx, invSaleOp(c, "o1", invT0.Add(time.Second), []venue.SeatID{s1, s3}))
	if err != nil || len(again) != 2 || again[0].Serial != tickets[0].Serial || again[1].Serial != tickets[1].Serial {
		t.Fatalf("retried Sell = %v, %v; want the same tickets", again, err)
	}
	// The key was used by a sale: no new hold with it.
	_, err = st.Hold(invCtx, invHoldOp(c, "o1", invT0, other))
	mustRule(t, "Hold with a key used by a sale", err, inventory.ErrHoldKey)
	// The rest of the hold sells too.
	invMustSell(t, st, invSaleOp(c, "o1", invT0, []venue.SeatID{s2}))
	_, err = st.Hold(invCtx, invHoldOp(c, "o2", invT0, s2))
	mustRule(t, "Hold of a sold seat", err, inventory.ErrSeatSold)
	all, err := st.Tickets(invCtx, c)
	if err != nil || len(all) != 3 {
		t.Fatalf("Tickets = %d, %v; want 3", len(all), err)
	}
	if !slices.IsSortedFunc(all, func(a, b inventory.Ticket) int { return int(a.Serial - b.Serial) }) {
		t.Fatalf("Tickets not by serial: %v", all)
	}
	if all[0].Buyer != "buyer" || !all[0].SoldAt.Equal(invT0) || all[0].Session != "sell" {
		t.Fatalf("ticket record %+v", all[0])
	}
}

func invTestCounters(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "counters")
	c := f.chart
	s := func(n string) venue.SeatID { return f.seat("A区", "3排", n) }
	limit := func(add int64) []inventory.CounterAdd {
		return []inventory.CounterAdd{{Key: "counters/buyer", Add: add, Max: 3}, {Key: "counters/id", Add: add, Max: 4}, {Key: "counters/free", Add: add}}
	}
	invMustHold(t, st, invHoldOp(c, "o1", invT0, s("1号"), s("2号")))
	invMustSell(t, st, invSaleOp(c, "o1", invT0, []venue.SeatID{s("1号"), s("2号")}, limit(2)...))
	invMustHold(t, st, invHoldOp(c, "o2", invT0, s("3号"), s("4号")))
	_, err := st.Sell(invCtx, invSaleOp(c, "o2", invT0, []venue.SeatID{s("3号"), s("4号")}, limit(2)...))
	var ce *inventory.CapError
	if !errors.As(err, &ce) || len(ce.Counters) != 1 || ce.Counters[0] != (inventory.CounterValue{Key: "counters/buyer", Value: 2, Add: 2, Max: 3}) {
		t.Fatalf("Sell over a maximum: %v, want a CapError on counters/buyer 2+2 > 3", err)
	}
	// Nothing changed: the seats are still held, the counters as before.
	invWantStates(t, st, c, invT0, inventory.Held, s("3号"), s("4号"))
	vals, err := st.Counters(invCtx, []string{"counters/buyer", "counters/id", "counters/free", "counters/none"})
	if err != nil || !slices.Equal(vals, []int64{2, 2, 2, 0}) {
		t.Fatalf("Counters = %v, %v; want [2 2 2 0]", vals, err)
	}
	// One of the two fits.
	sold := invMustSell(t, st, invSaleOp(c, "o2", invT0, []venue.SeatID{s("3号")}, limit(1)...))
	// A refund gives back one to each counter of the ticket.
	if _, err := st.Refund(invCtx, c, sold[0].Serial, invT0); err != nil {
		t.Fatal(err)
	}
	vals, _ = st.Counters(invCtx, []string{"counters/buyer", "counters/id", "counters/free"})
	if !slices.Equal(vals, []int64{2, 2, 2}) {
		t.Fatalf("Counters after refund = %v, want [2 2 2]", vals)
	}
	invMustSell(t, st, invSaleOp(c, "o2", invT0, []venue.SeatID{s("4号")}, limit(1)...))
}

func invTestRefund(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "refund")
	c := f.chart
	s1 := f.seat("B区", "3排", "3号")
	invMustHold(t, st, invHoldOp(c, "o1", invT0, s1))
	sold := invMustSell(t, st, invSaleOp(c, "o1", invT0, []venue.SeatID{s1}))
	later := invT0.Add(time.Hour)
	rt, err := st.Refund(invCtx, c, sold[0].Serial, later)
	if err != nil || rt.Serial != sold[0].Serial || !rt.RefundedAt.Equal(later) || rt.Seat != s1 {
		t.Fatalf("Refund = %+v, %v", rt, err)
	}
	_, err = st.Refund(invCtx, c, sold[0].Serial, later)
	mustRule(t, "second Refund", err, inventory.ErrRefunded)
	_, err = st.Refund(invCtx, c, sold[0].Serial+1000, later)
	mustRule(t, "Refund of an unknown ticket", err, inventory.ErrTicketUnknown)
	invWantStates(t, st, c, later, inventory.Available, s1)
	if sn := invSnapshot(t, st, c, later); sn.Sold[1] != 0 {
		t.Fatalf("sold amounts after refund %v", sn.Sold)
	}
	// The seat sells again, with a new ticket; the refunded one stays on record.
	invMustHold(t, st, invHoldOp(c, "o2", later, s1))
	again := invMustSell(t, st, invSaleOp(c, "o2", later, []venue.SeatID{s1}))
	if again[0].Serial == sold[0].Serial {
		t.Fatal("a resold seat reused the refunded ticket's serial")
	}
	all, _ := st.Tickets(invCtx, c)
	if len(all) != 2 || all[0].Live() || !all[1].Live() {
		t.Fatalf("tickets %+v, want the refunded one and the live one", all)
	}
}

func invTestReconfigure(t *testing.T, st inventory.Store) {
	f := invCreate(t, st, "reconf")
	c := f.chart
	held, free := f.seat("A区", "3排", "1号"), f.seat("A区", "3排", "2号")
	invMustHold(t, st, invHoldOp(c, "h1", invT0, held))
	next := func(version int64, edit func(*inventory.ChartSpec)) *inventory.Chart {
		spec := c.Spec()
		spec.Version = version
		edit(&spec)
		nc, err := inventory.NewChart(spec)
		if err != nil {
			t.Fatal(err)
		}
		return nc
	}
	block := func(seats ...venue.SeatID) func(*inventory.ChartSpec) {
		return func(s *inventory.ChartSpec) {
			s.Blocks = append(s.Blocks, inventory.Block{Note: "维修", Selection: inventory.Selection{Seats: seats}})
		}
	}
	err := st.Reconfigure(invCtx, c, next(3, block(free)), invT0)
	mustRule(t, "Reconfigure skipping a version", err, inventory.ErrStaleChart)
	err = st.Reconfigure(invCtx, c, next(2, block(held, free)), invT0)
	mustRule(t, "Reconfigure blocking a held seat", err, inventory.ErrChangeTaken)
	v2 := next(2, block(free))
	if err := st.Reconfigure(invCtx, c, v2, invT0); err != nil {
		t.Fatal(err)
	}
	_, err = st.Hold(invCtx, invHoldOp(c, "h2", invT0, f.seat("A区", "3排", "5号")))
	mustRule(t, "Hold with the old chart", err, inventory.ErrStaleChart)
	_, err = st.Hold(invCtx, invHoldOp(v2, "h2", invT0, free))
	mustRule(t, "Hold of a newly blocked seat", err, inventory.ErrSeatBlocked)
	// The held seat kept its hold and sells under the new chart.
	invMustSell(t, st, invSaleOp(v2, "h1", invT0, []venue.SeatID{held}))
	// Repricing a sold seat is refused; repricing available seats is not.
	reprice := func(seats ...venue.SeatID) func(*inventory.ChartSpec) {
		return func(s *inventory.ChartSpec) {
			s.Prices = append(s.Prices, inventory.Pricing{Tier: "A", Selection: inventory.Selection{Seats: seats}})
		}
	}
	spec3 := func(seats ...venue.SeatID) *inventory.Chart {
		spec := v2.Spec()
		spec.Version = 3
		reprice(seats...)(&spec)
		nc, err := inventory.NewChart(spec)
		if err != nil {
			t.Fatal(err)
		}
		return nc
	}
	err = st.Reconfigure(invCtx, v2, spec3(held), invT0)
	mustRule(t, "Reconfigure repricing a sold seat", err, inventory.ErrChangeTaken)
	v3 := spec3(f.seat("A区", "4排", "9号"))
	if err := st.Reconfigure(invCtx, v2, v3, invT0); err != nil {
		t.Fatal(err)
	}
	op := &inventory.HoldOp{Chart: v3, Hold: "best", Owner: "o", Access: invPublic, Tier: "A", N: 1, Now: invT0, Expires: invT0.Add(time.Hour)}
	ref := inventory.NewBoard(v3)
	// The reference board has what the store has: one sold seat and one blocked.
	if err := ref.Sync([]inventory.SeatRecord{{Seat: held, State: inventory.Sold, Ticket: 1, Amount: wht93.Yuan(300)}}); err != nil {
		t.Fatal(err)
	}
	want, _ := ref.Hold(op)
	if got, err := st.Hold(invCtx, op); err != nil || !slices.Equal(got, want) {
		t.Fatalf("best hold after Reconfigure = %v, %v; want %v", got, err, want)
	}
	sn := invSnapshot(t, st, v3, invT0)
	if sn.Sold[1] != wht93.Yuan(300) {
		t.Fatalf("sold amounts %v after Reconfigure", sn.Sold)
	}
}

func invTestUnseated(t *testing.T, st inventory.Store) {
	c, err := inventory.NewChart(inventory.ChartSpec{
		SessionID: "unseated", Version: 1,
		Tiers:        []inventory.Tier{{ID: "GA", Name: "普通票", Price: wht93.Yuan(280), Quantity: 10}, {ID: "VIP", Price: wht93.Yuan(880), Quantity: 3}},
		Reservations: []inventory.Reservation{{Name: "分销", Channel: "agent", Selection: inventory.Selection{Tier: "GA", Quantity: 2}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Create(invCtx, c); err != nil {
		t.Fatal(err)
	}
	best := func(key, tier string, n int, a inventory.Access) ([]venue.SeatID, error) {
		return st.Hold(invCtx, &inventory.HoldOp{Chart: c, Hold: key, Owner: "o", Access: a, Tier: tier, N: n, Now: invT0, Expires: invT0.Add(time.Minute)})
	}
	got, err := best("g1", "GA", 5, invPublic)
	if err != nil || len(got) != 5 {
		t.Fatalf("unseated hold: %v %v", got, err)
	}
	_, err = best("g2", "GA", 4, invPublic)
	mustRule(t, "unseated hold beyond the public capacity", err, inventory.ErrSoldOut)
	if _, err := best("g3", "GA", 3, invPublic); err != nil {
		t.Fatal(err)
	}
	if _, err := best("g4", "GA", 2, inventory.Access{Channel: "agent"}); err != nil {
		t.Fatal(err)
	}
	invMustSell(t, st, invSaleOp(c, "g1", invT0, got))
	// Expired holds give their capacity back.
	if got, err := best("g5", "GA", 5, invPublic); !errors.Is(err, inventory.ErrSoldOut) {
		t.Fatalf("full tier: %v %v", got, err)
	}
	later := invT0.Add(time.Minute)
	op := &inventory.HoldOp{Chart: c, Hold: "g6", Owner: "o", Access: invPublic, Tier: "GA", N: 3, Now: later, Expires: later.Add(time.Minute)}
	if _, err := st.Hold(invCtx, op); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	sn := invSnapshot(t, st, c, later)
	count := map[inventory.State]int{}
	for _, s := range sn.States {
		count[s]++
	}
	if count[inventory.Sold] != 5 || count[inventory.Held] != 3 || count[inventory.Available] != 5 || sn.Sold[0] != wht93.Yuan(5*280) {
		t.Fatalf("unseated snapshot %v sold %v", count, sn.Sold)
	}
}

// invTestOneTicketPerSeat is E.1.1: two sessions in two venues, four tickets each,
// eight ticket records, one ticket per seat.
func invTestOneTicketPerSeat(t *testing.T, st inventory.Store) {
	total := 0
	for _, sid := range []string{"venue-1", "venue-2"} {
		f := invCreate(t, st, sid)
		seats := []venue.SeatID{f.seat("A区", "1排", "1号"), f.seat("A区", "2排", "7号"), f.seat("B区", "3排", "3号"), f.seat("B区", "2排", "8号")}
		for i, id := range seats {
			key := fmt.Sprintf("%s-%d", sid, i)
			invMustHold(t, st, invHoldOp(f.chart, key, invT0, id))
			invMustSell(t, st, invSaleOp(f.chart, key, invT0, []venue.SeatID{id}))
			_, err := st.Hold(invCtx, invHoldOp(f.chart, key+"-again", invT0, id))
			mustRule(t, "second ticket for a seat", err, inventory.ErrSeatSold)
		}
		ts, err := st.Tickets(invCtx, f.chart)
		if err != nil || len(ts) != 4 {
			t.Fatalf("%s: %d tickets, %v", sid, len(ts), err)
		}
		total += len(ts)
	}
	if total != 8 {
		t.Fatalf("%d ticket records, want 8", total)
	}
}
