package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// TestInventoryReopen checks that a durable store keeps what it acknowledged:
// open returns an empty store and a function that closes it and opens it again
// (as a restarted process does). Charts and their versions, seat states, live and
// expired holds, tickets with every field, refunds, counters and ticket serials
// must all survive.
func TestInventoryReopen(t *testing.T, open func(t *testing.T) (inventory.Store, func() inventory.Store)) {
	st, reopen := open(t)
	f := invCreate(t, st, "reopen")
	c := f.chart
	a1, a2 := f.seat("A区", "1排", "4号"), f.seat("A区", "1排", "5号")
	b1, b2 := f.seat("B区", "2排", "1号"), f.seat("B区", "2排", "2号")
	short, long := f.seat("A区", "2排", "9号"), f.seat("A区", "3排", "9号")
	free := f.seat("B区", "3排", "3号")

	invMustHold(t, st, invHoldOp(c, "sold", invT0, a1, a2, b1))
	counters := []inventory.CounterAdd{{Key: "reopen/buyer", Add: 3, Max: 5}}
	op := invSaleOp(c, "sold", invT0, []venue.SeatID{a1, a2, b1}, counters...)
	op.Tickets[0].HasID, op.Tickets[0].ID = true, invBlind(7)
	op.Tickets[1].Staff = "clerk"
	sold := invMustSell(t, st, op)
	refunded, err := st.Refund(invCtx, c, sold[1].Serial, invT0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	h := invHoldOp(c, "short", invT0, short)
	h.Expires = invT0.Add(30 * time.Second)
	invMustHold(t, st, h)
	h = invHoldOp(c, "long", invT0, long, b2)
	h.Expires = invT0.Add(time.Hour)
	invMustHold(t, st, h)
	spec := c.Spec()
	spec.Version = 2
	spec.Blocks = append(spec.Blocks, inventory.Block{Note: "检修", Selection: inventory.Selection{Seats: []venue.SeatID{free}}})
	v2, err := inventory.NewChart(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Reconfigure(invCtx, c, v2, invT0); err != nil {
		t.Fatal(err)
	}
	before := invSnapshot(t, st, v2, invT0.Add(time.Minute))
	ticketsBefore, err := st.Tickets(invCtx, v2)
	if err != nil {
		t.Fatal(err)
	}

	st = reopen()
	now := invT0.Add(time.Minute)
	_, err = st.Snapshot(invCtx, c, now)
	mustRule(t, "Snapshot with the replaced chart after reopening", err, inventory.ErrStaleChart)
	after := invSnapshot(t, st, v2, now)
	if !slices.Equal(after.States, before.States) || !slices.Equal(after.Sold, before.Sold) {
		t.Fatalf("after reopening: states or sold amounts differ:\n%v %v\n%v %v", after.States, after.Sold, before.States, before.Sold)
	}
	invWantStates(t, st, v2, now, inventory.Available, short) // expired before and after
	invWantStates(t, st, v2, now, inventory.Held, long, b2)
	invWantStates(t, st, v2, now, inventory.Sold, a1, b1)
	ticketsAfter, err := st.Tickets(invCtx, v2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ticketsAfter) != len(ticketsBefore) {
		t.Fatalf("after reopening: %d tickets, want %d", len(ticketsAfter), len(ticketsBefore))
	}
	for i, a := range ticketsAfter {
		b := ticketsBefore[i]
		if a.Serial != b.Serial || a.Seat != b.Seat || a.Tier != b.Tier || a.Type != b.Type || a.Order != b.Order || a.Buyer != b.Buyer ||
			a.Channel != b.Channel || a.Staff != b.Staff || a.HasID != b.HasID || a.ID != b.ID || a.Amount != b.Amount ||
			!a.SoldAt.Equal(b.SoldAt) || !a.RefundedAt.Equal(b.RefundedAt) || !slices.Equal(a.Keys, b.Keys) || a.Session != b.Session {
			t.Fatalf("after reopening ticket %d = %+v, want %+v", i, a, b)
		}
	}
	if !ticketsAfter[1].RefundedAt.Equal(refunded.RefundedAt) {
		t.Fatalf("refund lost: %+v", ticketsAfter[1])
	}
	vals, err := st.Counters(invCtx, []string{"reopen/buyer"})
	if err != nil || vals[0] != 2 {
		t.Fatalf("counter after reopening = %v, %v; want 2", vals, err)
	}
	// The live hold still sells; its key, and the sold one, are still in use.
	_, err = st.Hold(invCtx, invHoldOp(v2, "sold", now, a2))
	mustRule(t, "Hold with a key used by a sale, after reopening", err, inventory.ErrHoldKey)
	_, err = st.Hold(invCtx, invHoldOp(v2, "long", now, a2))
	mustRule(t, "Hold with a live key, after reopening", err, inventory.ErrHoldKey)
	_, err = st.Hold(invCtx, invHoldOp(v2, "new", now, free))
	mustRule(t, "Hold of a seat blocked before reopening", err, inventory.ErrSeatBlocked)
	more := invMustSell(t, st, invSaleOp(v2, "long", now, []venue.SeatID{long, b2}, inventory.CounterAdd{Key: "reopen/buyer", Add: 2, Max: 5}))
	for _, tk := range more {
		for _, old := range ticketsBefore {
			if tk.Serial <= old.Serial {
				t.Fatalf("serial %d issued after reopening is not above %d", tk.Serial, old.Serial)
			}
		}
	}
	_, err = st.Sell(invCtx, invSaleOp(v2, "x", now, []venue.SeatID{a2}, inventory.CounterAdd{Key: "reopen/buyer", Add: 2, Max: 5}))
	if !errors.Is(err, inventory.ErrNotHeld) {
		t.Fatalf("Sell without a hold: %v", err)
	}
	invMustHold(t, st, invHoldOp(v2, "x", now, a2))
	_, err = st.Sell(invCtx, invSaleOp(v2, "x", now, []venue.SeatID{a2}, inventory.CounterAdd{Key: "reopen/buyer", Add: 1, Max: 4}))
	var ce *inventory.CapError
	if !errors.As(err, &ce) || ce.Counters[0].Value != 4 {
		t.Fatalf("counter after reopening: %v, want a CapError at 4", err)
	}
	// And once more, the last changes survive too.
	st = reopen()
	invWantStates(t, st, v2, now, inventory.Sold, long, b2)
	invWantStates(t, st, v2, now, inventory.Held, a2)
}
