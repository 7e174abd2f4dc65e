package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/store/storetest"
	"github.com/piaowu/wht93/venue"
)

// The tests below are of the split of a session into parts by tier, on stores
// that split every session: the contract suite (storetest) on its charts of two
// tiers, and tests on charts of five tiers (five parts) of what only a split
// can get wrong.

func TestInventorySplit(t *testing.T) {
	storetest.TestInventory(t, func(*testing.T) inventory.Store { return newInventory(0) })
}

func TestSplitMin(t *testing.T) {
	s := NewInventory()
	if err := s.Create(context.Background(), partsChart(t, "small", 1)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.sessions.Load("small"); len(v.(*invSession).parts) != 1 {
		t.Fatalf("a session of 50 seats has %d parts", len(v.(*invSession).parts))
	}
}

var partsT0 = time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC)

// partsChart is one area of 5 rows of 10 seats, row r in tier T<r>.
func partsChart(t *testing.T, sid string, version int64) *inventory.Chart {
	t.Helper()
	tpl, err := venue.Build(venue.Spec{Hall: "厅", Sections: []venue.Section{{Floor: "一层", Area: "A区",
		Rows: []venue.RowBlock{{From: 1, To: 5, Seats: venue.SeatRange{From: 1, To: 10}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	spec := inventory.ChartSpec{SessionID: sid, Version: version, Template: tpl}
	for r := range 5 {
		id := fmt.Sprintf("T%d", r)
		spec.Tiers = append(spec.Tiers, inventory.Tier{ID: id, Price: wht93.Yuan(int64(100 * (r + 1)))})
		spec.Prices = append(spec.Prices, inventory.Pricing{Tier: id, Selection: inventory.Selection{
			Rows: []inventory.RowKey{{AreaKey: venue.AreaKey{Floor: "一层", Area: "A区"}, Row: fmt.Sprintf("%d排", r+1)}}}})
	}
	c, err := inventory.NewChart(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// splitStore returns a store that splits every session, with the session sid
// of partsChart created.
func splitStore(t *testing.T, sid string) (*Inventory, *inventory.Chart) {
	t.Helper()
	s := newInventory(0)
	c := partsChart(t, sid, 1)
	if err := s.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// seat returns seat n (0–9) of row r (0–4).
func seat(r, n int) venue.SeatID { return venue.SeatID(10*r + n) }

func holdOp(c *inventory.Chart, key string, seats ...venue.SeatID) *inventory.HoldOp {
	return &inventory.HoldOp{Chart: c, Hold: key, Owner: "o", Access: inventory.Access{Channel: "web"},
		Seats: seats, Now: partsT0, Expires: partsT0.Add(time.Minute)}
}

func saleOp(c *inventory.Chart, key string, seats ...venue.SeatID) *inventory.SaleOp {
	op := &inventory.SaleOp{Chart: c, Hold: key, Now: partsT0.Add(time.Second)}
	for _, id := range seats {
		op.Tickets = append(op.Tickets, inventory.Ticket{Session: c.SessionID(), Seat: id, Tier: c.Tiers()[c.TierOf(id)].ID,
			Order: key, Buyer: "b", Channel: "web", Amount: c.Tiers()[c.TierOf(id)].Price, SoldAt: partsT0})
	}
	return op
}

func TestPartsSplit(t *testing.T) {
	s, _ := splitStore(t, "split")
	v, _ := s.sessions.Load("split")
	if ss := v.(*invSession); len(ss.parts) != 5 || ss.used == nil {
		t.Fatalf("%d parts", len(ss.parts))
	}
}

// TestPartsKeyRace: holds of one key in different parts at the same instant:
// exactly one wins, every time; after its sale the key stays used everywhere.
func TestPartsKeyRace(t *testing.T) {
	ctx := context.Background()
	s, c := splitStore(t, "race")
	for round := range 10 {
		key := fmt.Sprintf("k%d", round)
		var wg sync.WaitGroup
		won := make([]bool, 5)
		errs := make([]error, 5)
		start := make(chan struct{})
		for r := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[r] = s.Hold(ctx, holdOp(c, key, seat(r, round)))
				won[r] = errs[r] == nil
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for r := range 5 {
			switch {
			case won[r] && winner >= 0:
				t.Fatalf("round %d: rows %d and %d both held key %s", round, winner, r, key)
			case won[r]:
				winner = r
			case !errors.Is(errs[r], inventory.ErrHoldKey):
				t.Fatalf("round %d, row %d: %v, want ErrHoldKey", round, r, errs[r])
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no hold won", round)
		}
		if _, err := s.Sell(ctx, saleOp(c, key, seat(winner, round))); err != nil {
			t.Fatal(err)
		}
		other := (winner + 1) % 5
		if _, err := s.Hold(ctx, holdOp(c, key, seat(other, 9))); !errors.Is(err, inventory.ErrHoldKey) {
			t.Fatalf("round %d: hold of a sold key in another part: %v", round, err)
		}
	}
}

// TestPartsSharedHash: keys whose hashes meet in the record of used parts
// hold independently; an expired key is free in another part.
func TestPartsSharedHash(t *testing.T) {
	ctx := context.Background()
	s, c := splitStore(t, "hash")
	v, _ := s.sessions.Load("hash")
	ss := v.(*invSession)
	n := uint32(4 * len(ss.used))
	var a, b string
	seen := map[uint32]string{}
	for i := 0; b == ""; i++ {
		k := fmt.Sprintf("key-%d", i)
		h := fnv(k) % n
		if o, ok := seen[h]; ok {
			a, b = o, k
		}
		seen[h] = k
	}
	if _, err := s.Hold(ctx, holdOp(c, a, seat(0, 0))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hold(ctx, holdOp(c, b, seat(1, 0))); err != nil {
		t.Fatalf("hold of %s, whose hash is %s's: %v", b, a, err)
	}
	if got := ss.usedParts(a); got != 0b11 {
		t.Fatalf("used parts %b", got)
	}
	// Key a expires; it is then free in part 2.
	later := holdOp(c, a, seat(2, 0))
	later.Now, later.Expires = partsT0.Add(time.Hour), partsT0.Add(time.Hour+time.Minute)
	if _, err := s.Hold(ctx, later); err != nil {
		t.Fatalf("hold of an expired key in another part: %v", err)
	}
	if n, err := s.Release(ctx, c, a, partsT0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("release: %d, %v", n, err)
	}
}

// TestPartsAcross: a hold and a sale over three parts, then the same sale
// again, a refund, a reconfiguration that moves a free seat to another tier,
// and the merged views.
func TestPartsAcross(t *testing.T) {
	ctx := context.Background()
	s, c := splitStore(t, "across")
	seats := []venue.SeatID{seat(3, 1), seat(0, 1), seat(4, 1)}
	got, err := s.Hold(ctx, holdOp(c, "x", seats...))
	if err != nil || len(got) != 3 || got[0] != seats[0] || got[2] != seats[2] {
		t.Fatalf("hold across parts: %v, %v", got, err)
	}
	// A hold that meets it in one part fails whole, naming the seat.
	_, err = s.Hold(ctx, holdOp(c, "y", seat(1, 1), seat(4, 1)))
	if !errors.Is(err, inventory.ErrSeatHeld) || !containsField(err, "seats[1]") {
		t.Fatalf("hold over a held seat: %v", err)
	}
	if sn, _ := s.Snapshot(ctx, c, partsT0); sn.States[seat(1, 1)] != inventory.Available {
		t.Fatal("a failed hold kept a seat")
	}
	// A sale of seats of the hold and one it does not hold: refused, naming it.
	if _, err := s.Sell(ctx, saleOp(c, "x", seat(3, 1), seat(2, 1))); !errors.Is(err, inventory.ErrNotHeld) || !containsField(err, "tickets[1].seat") {
		t.Fatalf("sale of an unheld seat: %v", err)
	}
	sold, err := s.Sell(ctx, saleOp(c, "x", seats...))
	if err != nil || len(sold) != 3 || sold[0].Serial+1 != sold[1].Serial || sold[1].Serial+1 != sold[2].Serial {
		t.Fatalf("sale across parts: %+v, %v", sold, err)
	}
	again, err := s.Sell(ctx, saleOp(c, "x", seats...))
	if err != nil || len(again) != 3 || again[0].Serial != sold[0].Serial || again[2].Serial != sold[2].Serial {
		t.Fatalf("the same sale again: %+v, %v", again, err)
	}
	all, err := s.Tickets(ctx, c)
	if err != nil || len(all) != 3 || all[0].Serial != sold[0].Serial || all[0].Seat != seats[0] || all[2].Seat != seats[2] {
		t.Fatalf("tickets: %+v, %v", all, err)
	}
	if _, err := s.Refund(ctx, c, sold[1].Serial, partsT0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refund(ctx, c, sold[1].Serial, partsT0.Add(time.Minute)); !errors.Is(err, inventory.ErrRefunded) {
		t.Fatalf("second refund: %v", err)
	}
	if _, err := s.Refund(ctx, c, 999, partsT0.Add(time.Minute)); !errors.Is(err, inventory.ErrTicketUnknown) {
		t.Fatalf("refund of an unknown serial: %v", err)
	}
	sn, err := s.Snapshot(ctx, c, partsT0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if sn.States[seats[0]] != inventory.Sold || sn.States[seats[1]] != inventory.Available || sn.States[seats[2]] != inventory.Sold ||
		sn.Sold[3] != wht93.Yuan(400) || sn.Sold[0] != 0 || sn.Sold[4] != wht93.Yuan(500) {
		t.Fatalf("snapshot: states %v, sold %v", []inventory.State{sn.States[seats[0]], sn.States[seats[1]], sn.States[seats[2]]}, sn.Sold)
	}

	// Version 2 moves row 1 (tier T0, part 0) into tier T2 except its sold
	// or held seats (none: seat 1 was refunded). The seat is then held and
	// sold in part 2, and the views follow it there.
	next := retier(t, c, 0, "T2")
	if err := s.Reconfigure(ctx, c, next, partsT0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hold(ctx, holdOp(c, "late", seat(0, 5))); !errors.Is(err, inventory.ErrStaleChart) {
		t.Fatalf("hold on the old chart: %v", err)
	}
	if _, err := s.Hold(ctx, holdOp(next, "z", seat(0, 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, saleOp(next, "z", seat(0, 1))); err != nil {
		t.Fatal(err)
	}
	sn, err = s.Snapshot(ctx, next, partsT0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if sn.States[seat(0, 1)] != inventory.Sold || sn.Sold[2] != wht93.Yuan(300) || sn.Sold[0] != 0 {
		t.Fatalf("snapshot after the change: %v, sold %v", sn.States[seat(0, 1)], sn.Sold)
	}
}

// retier returns the next version of c with row r in tier.
func retier(t *testing.T, c *inventory.Chart, r int, tier string) *inventory.Chart {
	t.Helper()
	spec := c.Spec()
	spec.Version++
	for i := range spec.Prices {
		if spec.Prices[i].Tier == fmt.Sprintf("T%d", r) {
			spec.Prices[i].Tier = tier
		}
	}
	next, err := inventory.NewChart(spec)
	if err != nil {
		t.Fatal(err)
	}
	return next
}

func containsField(err error, field string) bool {
	for _, v := range wht93.ViolationsOf(err) {
		if v.Field == field {
			return true
		}
	}
	return false
}
