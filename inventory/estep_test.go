package inventory_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/venue"
)

// E.1.1 出票规则: two venues, one performance each, at least four tickets sold in
// each on seats chosen at will; one seat, one ticket; eight ticket records.
func TestE1_1OneTicketPerSeat(t *testing.T) {
	st := memory.NewInventory()
	total := 0
	for i, v := range []string{"东城大剧院", "西城音乐厅"} {
		tpl := hallTemplate(t, v+"大厅")
		sid := []string{"venue1-s1", "venue2-s1"}[i]
		s := testSession(t, sid, session.Limits{})
		s.Venue, s.Hall = v, v+"大厅"
		sales := newSales(t, st, inventory.Config{
			Session: s, Chart: mustChart(t, chartSpec(sid, tpl)),
			Channels: []session.Authorization{authorize(t, channel("web", session.OwnSales), s, session.Allocation{})},
		})
		seats := []venue.SeatID{
			seat(t, tpl, "一层", "A区", "1排", "1号"), seat(t, tpl, "一层", "A区", "1排", "2号"),
			seat(t, tpl, "一层", "B区", "3排", "7号"), seat(t, tpl, "二层", "C区", "2排", "4号"),
		}
		for j, id := range seats {
			_, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o" + string(rune('a'+j)), Buyer: "buyer" + string(rune('a'+j)), Channel: "web", Seats: []venue.SeatID{id}}, inventory.Purchase{})
			if err != nil {
				t.Fatal(err)
			}
			// The seat cannot be sold a second time, to anyone.
			_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "again" + string(rune('a'+j)), Buyer: "other", Channel: "web", Seats: []venue.SeatID{id}}, inventory.Purchase{})
			wantRule(t, err, inventory.ErrSeatSold)
		}
		tickets := must[[]inventory.Ticket](t)(sales.Tickets(ctx))
		if len(tickets) != 4 {
			t.Fatalf("%s: %d ticket records, want 4", v, len(tickets))
		}
		bySeat := map[venue.SeatID]int{}
		for _, tk := range tickets {
			bySeat[tk.Seat]++
		}
		for id, n := range bySeat {
			if n != 1 {
				t.Errorf("%s: seat %d has %d tickets", v, id, n)
			}
		}
		total += len(tickets)
	}
	if total != 8 {
		t.Fatalf("%d ticket records in the store, want 8", total)
	}
}

// E.2.2.3 演出票价管理: tiers A–D set when the session is created; one session
// record; one ticket of tier A, B and C bought; three ticket records.
func TestE2_2_3Tiers(t *testing.T) {
	sales, _ := basicSales(t, session.Limits{})
	tiers := sales.Chart().Tiers()
	if len(tiers) != 4 || tiers[0].ID != "A" || tiers[3].ID != "D" {
		t.Fatalf("tiers %+v", tiers)
	}
	// 10 seats in A区 rows 1–2 … (the quantities follow the pricing).
	for _, w := range []struct {
		id string
		n  int
	}{{"A", 20}, {"B", 30}, {"C", 50}, {"D", 24}} {
		if tr, _ := sales.Chart().Tier(w.id); tr.Quantity != w.n {
			t.Errorf("tier %s quantity %d, want %d", w.id, tr.Quantity, w.n)
		}
	}
	for i, tier := range []string{"A", "B", "C"} {
		sale, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "order-" + tier, Buyer: "buyer", Channel: "web", Tier: tier, N: 1}, inventory.Purchase{})
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := sales.Chart().Tier(tier)
		if got := sale.Tickets[0]; got.Tier != tier || got.Amount != tr.Price {
			t.Errorf("sale %d: tier %s amount %s, want %s %s", i, got.Tier, got.Amount, tier, tr.Price)
		}
	}
	tickets := must[[]inventory.Ticket](t)(sales.Tickets(ctx))
	if len(tickets) != 3 {
		t.Fatalf("%d ticket records, want 3", len(tickets))
	}
}

// E.2.2.4 演出票价划分与票房测算: tiers priced on the chart; seats sold at will; the
// number and position of the seats of each area match the chart; the box office
// shows total, sold and remaining, in tickets and in fen.
func TestE2_2_4BoxOffice(t *testing.T) {
	sales, tpl := basicSales(t, session.Limits{})
	c := sales.Chart()
	est := c.Estimate()
	// 20×880 + 30×680 + 50×480 + 24×180 yuan.
	wantGross := wht93.Yuan(20*880 + 30*680 + 50*480 + 24*180)
	if est.Estimate != wantGross || est.Total.Fen != wantGross || est.Total.Tickets != 124 {
		t.Fatalf("estimate %s %+v, want %s for 124 seats", est.Estimate, est.Total, wantGross)
	}
	// The seats of each area are priced as drawn.
	for id, s := range tpl.Seats() {
		tier := c.Tiers()[c.TierOf(id)].ID
		var want string
		switch {
		case s.Area == "A区" && (s.Row == "1排" || s.Row == "2排"):
			want = "A"
		case s.Area == "A区":
			want = "B"
		case s.Area == "B区":
			want = "C"
		default:
			want = "D"
		}
		if tier != want {
			t.Fatalf("%s priced %s, want %s", s.Location, tier, want)
		}
	}
	sold := []venue.SeatID{
		seat(t, tpl, "一层", "A区", "1排", "5号"), seat(t, tpl, "一层", "A区", "4排", "6号"),
		seat(t, tpl, "一层", "B区", "2排", "2号"), seat(t, tpl, "一层", "B区", "2排", "3号"), seat(t, tpl, "二层", "C区", "3排", "8号"),
	}
	if _, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Seats: sold}, inventory.Purchase{}); err != nil {
		t.Fatal(err)
	}
	held := must[inventory.Hold](t)(sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "o2", Buyer: "b2", Channel: "web", Tier: "A", N: 2}))

	box := must[*inventory.BoxOffice](t)(sales.BoxOffice(ctx, onSale))
	soldFen := wht93.Yuan(880 + 680 + 480 + 480 + 180)
	if box.Sold.Tickets != 5 || box.Sold.Fen != soldFen {
		t.Errorf("sold %+v, want 5 tickets %s", box.Sold, soldFen)
	}
	if box.Held.Tickets != 2 || box.Held.Fen != wht93.Yuan(2*880) {
		t.Errorf("held %+v", box.Held)
	}
	if box.Total.Tickets != 124 || box.Total.Fen != wantGross {
		t.Errorf("total %+v, want 124 %s", box.Total, wantGross)
	}
	if left := box.Left(); left.Tickets != 124-5 || left.Fen != wantGross-soldFen {
		t.Errorf("left %+v, want %d %s", left, 124-5, wantGross-soldFen)
	}
	if box.Remaining.Tickets != 124-5-2 {
		t.Errorf("remaining %d, want %d", box.Remaining.Tickets, 124-7)
	}
	// Per area and tier, the public view matches the chart.
	pub := must[*inventory.PublicView](t)(sales.Public(ctx, onSale))
	want := map[string][3]int{ // area/tier -> tickets, sold, available
		"一层 A区/A": {20, 1, 20 - 1 - 2}, "一层 A区/B": {30, 1, 29},
		"一层 B区/C": {50, 2, 48}, "二层 C区/D": {24, 1, 23},
	}
	got := map[string][3]int{}
	for _, a := range pub.Areas {
		for _, pt := range a.Tiers {
			got[a.Area.String()+"/"+pt.Tier] = [3]int{pt.Tickets, pt.Sold, pt.Available}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("public areas %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("public %s = %v, want %v", k, got[k], w)
		}
	}
	if pub.OnSale != 124 || pub.Sold != 5 || pub.Available != 124-5-2 {
		t.Errorf("public totals %d %d %d", pub.OnSale, pub.Sold, pub.Available)
	}
	// Once the hold expires its seats are remaining again, without any job.
	later := held.Expires
	box = must[*inventory.BoxOffice](t)(sales.BoxOffice(ctx, later))
	if box.Held.Tickets != 0 || box.Remaining.Tickets != 124-5 {
		t.Errorf("after expiry: held %d remaining %d", box.Held.Tickets, box.Remaining.Tickets)
	}
}

// E.2.2.6 预留设定: reserved seats with a note set when the session is created; the
// public cannot buy them; staff issue them from the back office.
func TestE2_2_6Reservations(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", session.Limits{})
	c2 := venue.AreaKey{Floor: "二层", Area: "C区"}
	agent := authorize(t, channel("agent", session.Distribution), s, session.Allocation{Areas: []venue.AreaKey{c2}})
	web := authorize(t, channel("web", session.OwnSales), s, session.Allocation{})
	spec := chartSpec("s1", tpl)
	vip := []venue.SeatID{seat(t, tpl, "一层", "A区", "1排", "5号"), seat(t, tpl, "一层", "A区", "1排", "6号")}
	spec.Reservations = append(inventory.ReservationsFor([]session.Authorization{agent}),
		inventory.Reservation{Name: "主办方预留", Note: "嘉宾席，由主办方人工出票", Selection: inventory.Selection{Seats: vip}})
	sales := newSales(t, memory.NewInventory(), inventory.Config{Session: s, Chart: mustChart(t, spec), Channels: []session.Authorization{web, agent}})

	// b) the reservation and its note are in the chart.
	r, ok := sales.Chart().ReservedFor(vip[0])
	if !ok || r.Note != "嘉宾席，由主办方人工出票" || r.Channel != "" {
		t.Fatalf("reservation %+v %v", r, ok)
	}
	box := sales.Chart().Estimate()
	if box.Reserved.Tickets != 24+2 {
		t.Errorf("reserved %d, want 26", box.Reserved.Tickets)
	}
	// c) the public cannot buy reserved seats, neither chosen nor best available.
	_, err := sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "p1", Buyer: "fan", Channel: "web", Seats: vip[:1]})
	wantRule(t, err, inventory.ErrSeatReserved)
	cSeat := seat(t, tpl, "二层", "C区", "1排", "1号")
	_, err = sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "p2", Buyer: "fan", Channel: "web", Seats: []venue.SeatID{cSeat}})
	wantRule(t, err, inventory.ErrSeatReserved)
	_, err = sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "p3", Buyer: "fan", Channel: "web", Tier: "D", N: 1})
	wantRule(t, err, inventory.ErrSoldOut) // tier D is all in the agent's area
	for i := 0; i < 20; i++ {
		h, err := sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "a" + string(rune('a'+i)), Buyer: "fan", Channel: "web", Tier: "A", N: 1})
		if err != nil {
			wantRule(t, err, inventory.ErrSoldOut)
			if i != 18 {
				t.Fatalf("public sold out of A after %d seats, want 18", i)
			}
			break
		}
		if h.Seats[0] == vip[0] || h.Seats[0] == vip[1] {
			t.Fatalf("public got reserved seat %d", h.Seats[0])
		}
	}
	// The agent's channel sells its area.
	sale, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "g1", Buyer: "fan2", Channel: "agent", Tier: "D", N: 2}, inventory.Purchase{})
	if err != nil {
		t.Fatal(err)
	}
	if sale.Tickets[0].Channel != "agent" {
		t.Errorf("channel %q", sale.Tickets[0].Channel)
	}
	// But not the staff-only reservation.
	_, err = sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "g2", Buyer: "fan2", Channel: "agent", Seats: vip})
	wantRule(t, err, inventory.ErrSeatReserved)
	// d) staff issue them.
	issued, err := sales.Issue(ctx, onSale, "vip-1", "admin01", vip, inventory.Purchase{})
	if err != nil {
		t.Fatal(err)
	}
	if len(issued.Tickets) != 2 || issued.Tickets[0].Staff != "admin01" || issued.Tickets[0].Amount != wht93.Yuan(880) {
		t.Errorf("issued %+v", issued.Tickets)
	}
}

// E.2.2.7 销售政策管理: a policy chosen for the session; a ticket bought within the
// policy's time, after the buyer's identity is checked, costs what the policy says;
// its record carries that amount. The policy's limit holds.
func TestE2_2_7Policy(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", session.Limits{})
	policy := session.Policy{
		ID: "early", Name: "早鸟八折", PerformanceID: "perf-1",
		ValidFrom: at(1, 10, 0), ValidUntil: at(8, 10, 0),
		Limits:   session.Limits{PerBuyer: 2, PerID: 2},
		RealName: realname.ModePerOrder,
		Discount: &session.Discount{Kind: session.Rate, Rate: decimal.RequireFromString("0.8")},
	}
	sales := newSales(t, memory.NewInventory(), inventory.Config{
		Session: s, Chart: mustChart(t, chartSpec("s1", tpl)),
		Channels: []session.Authorization{authorize(t, channel("web", session.OwnSales), s, session.Allocation{})},
		Policies: []session.Policy{policy},
	})
	id := blind("110101199003071234")
	// Without the buyer's document the real-name policy refuses the sale.
	_, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o0", Buyer: "buyer1", Channel: "web", Tier: "B", N: 1}, inventory.Purchase{Policy: "early"})
	wantRule(t, err, session.ErrOrderIDs)

	sale, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "buyer1", Channel: "web", Tier: "B", N: 1},
		inventory.Purchase{Policy: "early", IDs: []realname.BlindIndex{id}})
	if err != nil {
		t.Fatal(err)
	}
	if sale.Total != wht93.Yuan(544) || sale.List != wht93.Yuan(680) {
		t.Errorf("paid %s of %s, want 544.00 of 680.00", sale.Total, sale.List)
	}
	tickets := must[[]inventory.Ticket](t)(sales.Tickets(ctx))
	if len(tickets) != 1 || tickets[0].Amount != wht93.Yuan(544) || !tickets[0].HasID || tickets[0].ID != id {
		t.Fatalf("ticket records %+v", tickets)
	}
	// The limit of 2 per buyer: one more fits, two more do not.
	_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o2", Buyer: "buyer1", Channel: "web", Tier: "B", N: 2},
		inventory.Purchase{Policy: "early", IDs: []realname.BlindIndex{id}})
	wantRule(t, err, session.ErrLimitPerBuyer)
	wantRule(t, err, session.ErrLimitPerID)
	// Another account with the same document is held to the per-ID limit.
	_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o3", Buyer: "buyer2", Channel: "web", Tier: "B", N: 2},
		inventory.Purchase{Policy: "early", IDs: []realname.BlindIndex{id}})
	wantRule(t, err, session.ErrLimitPerID)
	if _, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o4", Buyer: "buyer2", Channel: "web", Tier: "B", N: 1},
		inventory.Purchase{Policy: "early", IDs: []realname.BlindIndex{id}}); err != nil {
		t.Fatal(err)
	}
	// Refused sales left nothing behind: 2 tickets, 28 B seats still remaining.
	box := must[*inventory.BoxOffice](t)(sales.BoxOffice(ctx, onSale))
	if box.Sold.Tickets != 2 || box.Held.Tickets != 0 || box.Tiers[1].Remaining.Tickets != 28 {
		t.Errorf("box office %+v", box)
	}
	// After the policy's period the discount no longer applies.
	_, err = sales.Buy(ctx, at(9, 12, 0), inventory.HoldRequest{Key: "o5", Buyer: "buyer3", Channel: "web", Tier: "B", N: 1},
		inventory.Purchase{Policy: "early", IDs: []realname.BlindIndex{blind("x")}})
	wantRule(t, err, session.ErrPolicyNotInEffect)
	_ = time.Second
}
