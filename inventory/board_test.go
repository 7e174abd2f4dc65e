package inventory_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// pointsTemplate is one area of 5 rows of 9 seats with drawing coordinates: seat n
// of row r at (n, r).
func pointsTemplate(t *testing.T) *venue.Template {
	t.Helper()
	tpl, err := venue.Build(venue.Spec{Hall: "小厅", Sections: []venue.Section{{
		Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 1, To: 5, Seats: venue.SeatRange{From: 1, To: 9}}},
		Origin: &venue.Point{X: 1, Y: 1}, Pitch: venue.Point{X: 1, Y: 1},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func labels(c *inventory.Chart, ids []venue.SeatID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = c.Label(id)
	}
	return out
}

func TestPickDefault(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	c := mustChart(t, chartSpec("s1", tpl))
	b := inventory.NewBoard(c)
	web := inventory.Access{Channel: "web"}
	hold := func(key string, seats []venue.SeatID) {
		t.Helper()
		if _, err := b.Hold(&inventory.HoldOp{Chart: c, Hold: key, Access: web, Seats: seats, Now: onSale, Expires: onSale.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(tier string, n int) []string {
		t.Helper()
		ids, err := b.Pick(tier, n, web, nil, onSale)
		if err != nil {
			t.Fatal(err)
		}
		return labels(c, ids)
	}
	// A区 rows are 1–5 then an aisle then 6–10: the middle of the row is the aisle,
	// so a pair sits on one side of it.
	if got := pick("A", 2); !slices.Equal(got, []string{"一层 A区 1排 4号", "一层 A区 1排 5号"}) {
		t.Errorf("pair: %v", got)
	}
	// No row has 6 adjacent seats (5 on each side of the aisle): the 6 best single
	// seats, nearest the middle of the front row.
	if got := pick("A", 6); !slices.Equal(got, []string{"一层 A区 1排 3号", "一层 A区 1排 4号", "一层 A区 1排 5号", "一层 A区 1排 6号", "一层 A区 1排 7号", "一层 A区 1排 8号"}) {
		t.Errorf("six: %v", got)
	}
	// Take the front row's right half: the next pair is on its left half.
	hold("h1", []venue.SeatID{seat(t, tpl, "一层", "A区", "1排", "4号"), seat(t, tpl, "一层", "A区", "1排", "5号")})
	if got := pick("A", 2); !slices.Equal(got, []string{"一层 A区 1排 6号", "一层 A区 1排 7号"}) {
		t.Errorf("after a hold: %v", got)
	}
	// Fill row 1: the next group of 3 goes to row 2.
	for i, n := range []string{"1号", "2号", "3号", "6号", "7号", "8号", "9号", "10号"} {
		hold("f"+n, []venue.SeatID{seat(t, tpl, "一层", "A区", "1排", n)})
		_ = i
	}
	if got := pick("A", 3); got[0][len("一层 A区 "):len("一层 A区 2排")] != "2排" {
		t.Errorf("after row 1 filled: %v", got)
	}
	// A sold-out tier says so, with what is left: row 2's 10 seats.
	if ids, err := b.Pick("A", 10, web, nil, onSale); err != nil || len(ids) != 10 {
		t.Fatalf("the 10 left: %v %v", ids, err)
	}
	_, err := b.Pick("A", 11, web, nil, onSale)
	if !errors.Is(err, inventory.ErrSoldOut) || !strings.Contains(err.Error(), "可选座位 10 个") {
		t.Fatalf("11 of the 10 left: %v", err)
	}
}

func TestPickFocusAndStage(t *testing.T) {
	tpl := pointsTemplate(t)
	spec := inventory.ChartSpec{SessionID: "p", Version: 1, Template: tpl, Tiers: []inventory.Tier{{ID: "A", Price: 100}},
		Prices: []inventory.Pricing{{Tier: "A", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}}}}}}
	c := mustChart(t, spec)
	b := inventory.NewBoard(c)
	web := inventory.Access{Channel: "web"}
	// Nearest (9, 5): the back row's right end.
	ids, err := b.Pick("A", 2, web, &venue.Point{X: 9, Y: 5}, onSale)
	if err != nil || !slices.Equal(labels(c, ids), []string{"一层 A区 5排 8号", "一层 A区 5排 9号"}) {
		t.Fatalf("focus: %v %v", labels(c, ids), err)
	}
	// A stage at the left edge of row 3 makes that the default.
	spec.Stage = &venue.Point{X: 0, Y: 3}
	c = mustChart(t, spec)
	b = inventory.NewBoard(c)
	ids, err = b.Pick("A", 3, web, nil, onSale)
	if err != nil || !slices.Equal(labels(c, ids), []string{"一层 A区 3排 1号", "一层 A区 3排 2号", "一层 A区 3排 3号"}) {
		t.Fatalf("stage: %v %v", labels(c, ids), err)
	}
	// A template without coordinates cannot pick near a point.
	plain := mustChart(t, chartSpec("s", hallTemplate(t, "大剧场")))
	_, err = inventory.NewBoard(plain).Pick("A", 1, web, &venue.Point{}, onSale)
	if !errors.Is(err, inventory.ErrNoPoints) {
		t.Fatalf("focus without points: %v", err)
	}
}

func TestPickSinglesAndAccess(t *testing.T) {
	tpl := pointsTemplate(t)
	row1 := func(n ...int) []venue.SeatID {
		var out []venue.SeatID
		for _, k := range n {
			out = append(out, venue.SeatID(k-1))
		}
		return out
	}
	spec := inventory.ChartSpec{SessionID: "p", Version: 1, Template: tpl,
		Tiers:        []inventory.Tier{{ID: "A", Price: 100}, {ID: "B", Price: 50}},
		Prices:       []inventory.Pricing{{Tier: "B", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}}}}, {Tier: "A", Selection: inventory.Selection{Seats: row1(1, 2, 4, 6, 8, 9)}}},
		Reservations: []inventory.Reservation{{Name: "分销", Channel: "agent", Selection: inventory.Selection{Seats: row1(8, 9)}}},
	}
	c := mustChart(t, spec)
	b := inventory.NewBoard(c)
	// The public's A seats are 1, 2, 4, 6: no three adjacent, so the three best singles.
	ids, err := b.Pick("A", 3, inventory.Access{Channel: "web"}, nil, onSale)
	if err != nil || len(ids) != 3 {
		t.Fatalf("singles: %v %v", ids, err)
	}
	// Once 1–2 are held, the public has no pair left, but the agent has its own 8–9.
	if _, err := b.Hold(&inventory.HoldOp{Chart: c, Hold: "p", Access: inventory.Access{Channel: "web"}, Seats: row1(1, 2), Now: onSale, Expires: onSale.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ids, err = b.Pick("A", 2, inventory.Access{Channel: "web"}, nil, onSale)
	if err != nil || labels(c, ids)[0] != "一层 A区 1排 4号" {
		t.Fatalf("public singles: %v %v", labels(c, ids), err)
	}
	ids, err = b.Pick("A", 2, inventory.Access{Channel: "agent"}, nil, onSale)
	if err != nil || !slices.Equal(labels(c, ids), []string{"一层 A区 1排 8号", "一层 A区 1排 9号"}) {
		t.Fatalf("agent: %v %v", labels(c, ids), err)
	}
	_, err = b.Pick("A", 3, inventory.Access{Channel: "web"}, nil, onSale)
	if !errors.Is(err, inventory.ErrSoldOut) {
		t.Fatalf("public beyond its 2 free seats: %v", err)
	}
	if ids, err := b.Pick("A", 4, inventory.Access{Staff: true}, nil, onSale); err != nil || len(ids) != 4 {
		t.Fatalf("staff take the 4 free: %v %v", ids, err)
	}
}

func TestBoardExpiryAndRelease(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	c := mustChart(t, chartSpec("s1", tpl))
	b := inventory.NewBoard(c)
	web := inventory.Access{Channel: "web"}
	op := &inventory.HoldOp{Chart: c, Hold: "h", Access: web, Tier: "D", N: 4, Now: onSale, Expires: onSale.Add(time.Minute)}
	seats, err := b.Hold(op)
	if err != nil {
		t.Fatal(err)
	}
	if n := b.Available(3, web, onSale); n != 20 {
		t.Fatalf("available %d, want 20", n)
	}
	if n := b.Available(3, web, onSale.Add(time.Minute)); n != 24 {
		t.Fatalf("available after expiry %d, want 24", n)
	}
	if b.State(seats[0]) != inventory.Available {
		t.Fatal("expired hold still held")
	}
	if n := b.Release("h", onSale.Add(time.Minute)); n != 0 {
		t.Fatalf("released %d of an expired hold", n)
	}
	op.Now, op.Expires = onSale.Add(2*time.Minute), onSale.Add(time.Hour)
	if _, err := b.Hold(op); err != nil {
		t.Fatalf("the key of an expired hold is free again: %v", err)
	}
	if n := b.Release("h", op.Now); n != 4 {
		t.Fatalf("released %d, want 4", n)
	}
}

func TestBoardTicketsInSerialOrder(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	c := mustChart(t, chartSpec("s1", tpl))
	b := inventory.NewBoard(c)
	web := inventory.Access{Channel: "web"}
	serials := []int64{900, 5, 300} // a store whose serials do not increase
	for i, serial := range serials {
		key := string(rune('a' + i))
		id := venue.SeatID(i)
		if _, err := b.Hold(&inventory.HoldOp{Chart: c, Hold: key, Access: web, Seats: []venue.SeatID{id}, Now: onSale, Expires: onSale.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		op := &inventory.SaleOp{Chart: c, Hold: key, Now: onSale, Tickets: []inventory.Ticket{{Session: "s1", Seat: id, Tier: "A", Type: inventory.Sellable, Order: key, Amount: wht93.Yuan(1)}}}
		if done, err := b.CheckSale(op); err != nil || done != nil {
			t.Fatal(done, err)
		}
		s := serial
		b.ApplySale(op, func() int64 { return s })
	}
	var got []int64
	for _, tk := range b.Tickets() {
		got = append(got, tk.Serial)
	}
	if !slices.Equal(got, []int64{5, 300, 900}) {
		t.Fatalf("tickets by serial: %v", got)
	}
	if tk, err := b.Refund(300, onSale); err != nil || tk.Seat != 2 {
		t.Fatalf("refund 300: %+v %v", tk, err)
	}
	if err := b.Restore(nil, []inventory.Ticket{{Serial: 5}}); !errors.Is(err, inventory.ErrStore) {
		t.Fatalf("restoring a serial twice: %v", err)
	}
}
