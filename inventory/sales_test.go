package inventory_test

import (
	"errors"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/venue"
)

func TestNewChecksConfig(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", session.Limits{})
	c := mustChart(t, chartSpec("s1", tpl))
	agentAuth := authorize(t, channel("agent", session.Distribution), s, session.Allocation{Areas: []venue.AreaKey{{Floor: "二层", Area: "C区"}}})
	web := authorize(t, channel("web", session.OwnSales), s, session.Allocation{})
	other := s
	other.ID = "s2"
	otherPolicy := session.Policy{ID: "p", Name: "别的演出", PerformanceID: "perf-9", ValidFrom: at(1, 0, 0), ValidUntil: at(2, 0, 0)}
	for _, tc := range []struct {
		name string
		cfg  inventory.Config
		rule *wht93.Rule
	}{
		{"chart of another session", inventory.Config{Session: other, Chart: c}, inventory.ErrChart},
		{"unseated session", inventory.Config{Session: func() session.Session { x := s; x.Seated = false; return x }(), Chart: c}, inventory.ErrChart},
		{"reserved area not in the chart", inventory.Config{Session: s, Chart: c, Channels: []session.Authorization{agentAuth}}, inventory.ErrReservation},
		{"channel twice", inventory.Config{Session: s, Chart: c, Channels: []session.Authorization{web, web}}, session.ErrAuthorization},
		{"policy of another performance", inventory.Config{Session: s, Chart: c, Policies: []session.Policy{otherPolicy}}, session.ErrPolicyScope},
		{"hold time", inventory.Config{Session: s, Chart: c, HoldTTL: 25 * time.Hour}, inventory.ErrRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inventory.New(memory.NewInventory(), tc.cfg)
			wantRule(t, err, tc.rule)
		})
	}
}

func TestSalesWindowAndStaff(t *testing.T) {
	sales, tpl := basicSales(t, session.Limits{})
	before := at(1, 9, 30) // released, not on sale yet
	_, err := sales.Hold(ctx, before, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Tier: "A", N: 1})
	wantRule(t, err, session.ErrNotStarted)
	_, err = sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "nosuch", Tier: "A", N: 1})
	wantRule(t, err, session.ErrNotAuthorised)
	// Staff issue before the sale starts, not after the session.
	seat1 := seat(t, tpl, "一层", "A区", "1排", "1号")
	if _, err := sales.Issue(ctx, before, "i1", "admin", []venue.SeatID{seat1}, inventory.Purchase{}); err != nil {
		t.Fatal(err)
	}
	_, err = sales.Issue(ctx, at(21, 0, 0), "i2", "admin", []venue.SeatID{seat1 + 1}, inventory.Purchase{})
	wantRule(t, err, session.ErrSaleEnded)
	// A sale after the window closes is refused, even with a live hold.
	h, err := sales.Hold(ctx, at(20, 18, 50), inventory.HoldRequest{Key: "late", Buyer: "b2", Channel: "web", Tier: "D", N: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sales.Sell(ctx, at(20, 19, 0), h, inventory.Purchase{})
	wantRule(t, err, session.ErrSaleEnded)
}

func TestRefundGivesLimitsBack(t *testing.T) {
	sales, _ := basicSales(t, session.Limits{PerBuyer: 2})
	sale, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Tier: "C", N: 2}, inventory.Purchase{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o2", Buyer: "b1", Channel: "web", Tier: "C", N: 1}, inventory.Purchase{})
	wantRule(t, err, session.ErrLimitPerBuyer)
	rt, err := sales.Refund(ctx, onSale, sale.Tickets[0].Serial)
	if err != nil || rt.Live() {
		t.Fatalf("refund: %+v %v", rt, err)
	}
	if _, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o3", Buyer: "b1", Channel: "web", Seats: []venue.SeatID{rt.Seat}}, inventory.Purchase{}); err != nil {
		t.Fatalf("after a refund the buyer may buy again, the seat too: %v", err)
	}
	_, err = sales.Refund(ctx, onSale, rt.Serial)
	wantRule(t, err, inventory.ErrRefunded)
}

func TestChannelQuota(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", session.Limits{})
	agent := authorize(t, channel("agent", session.Distribution), s, session.Allocation{Quantity: 3, Tiers: []session.TierQuota{{Tier: "A", Quantity: 1}}})
	sales := newSales(t, memory.NewInventory(), inventory.Config{Session: s, Chart: mustChart(t, chartSpec("s1", tpl)), Channels: []session.Authorization{agent}})
	buy := func(key, tier string, n int) error {
		_, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: key, Buyer: key, Channel: "agent", Tier: tier, N: n}, inventory.Purchase{})
		return err
	}
	if err := buy("a1", "A", 1); err != nil {
		t.Fatal(err)
	}
	err := buy("a2", "A", 1)
	wantRule(t, err, session.ErrQuota)
	if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Field != "channel.tier" {
		t.Fatalf("violations %v", err)
	}
	if err := buy("a3", "B", 2); err != nil {
		t.Fatal(err)
	}
	wantRule(t, buy("a4", "B", 1), session.ErrQuota)
}

func TestPolicyPricesAndBundleAmounts(t *testing.T) {
	sales, _ := basicSales(t, session.Limits{})
	// Amounts from a cross-session bundle's quote: at most the list price each.
	h, err := sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Tier: "D", N: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sales.Sell(ctx, onSale, h, inventory.Purchase{Amounts: []wht93.Fen{wht93.Yuan(150), wht93.Yuan(181)}})
	wantRule(t, err, inventory.ErrRequest)
	sale, err := sales.Sell(ctx, onSale, h, inventory.Purchase{Amounts: []wht93.Fen{wht93.Yuan(150), wht93.Yuan(160)}})
	if err != nil || sale.Total != wht93.Yuan(310) || sale.List != wht93.Yuan(360) {
		t.Fatalf("bundle sale %+v %v", sale, err)
	}
	// Selling again returns the same tickets (a retried call).
	again, err := sales.Sell(ctx, onSale, h, inventory.Purchase{Amounts: []wht93.Fen{wht93.Yuan(150), wht93.Yuan(160)}})
	if err != nil || again.Tickets[0].Serial != sale.Tickets[0].Serial {
		t.Fatalf("retried sale %+v %v", again, err)
	}
	_, err = sales.Sell(ctx, onSale, h, inventory.Purchase{Policy: "nosuch"})
	wantRule(t, err, session.ErrOutOfScope)
}

func TestReconfigureThroughSales(t *testing.T) {
	sales, _ := basicSales(t, session.Limits{})
	sold, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Tier: "C", N: 2}, inventory.Purchase{})
	if err != nil {
		t.Fatal(err)
	}
	// Reserve all of B区 for staff from now on: its sold seats stay sold.
	spec := sales.Chart().Spec()
	spec.Version = 2
	spec.Reservations = append(spec.Reservations, inventory.Reservation{Name: "工作预留", Note: "媒体区",
		Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "B区"}}}})
	next := mustChart(t, spec)
	v2, err := sales.Reconfigure(ctx, onSale, next)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v2.Hold(ctx, onSale, inventory.HoldRequest{Key: "o2", Buyer: "b2", Channel: "web", Tier: "C", N: 1})
	wantRule(t, err, inventory.ErrSoldOut)
	_, err = sales.Hold(ctx, onSale, inventory.HoldRequest{Key: "o3", Buyer: "b2", Channel: "web", Tier: "C", N: 1})
	wantRule(t, err, inventory.ErrStaleChart)
	box, err := v2.BoxOffice(ctx, onSale)
	if err != nil || box.Tiers[2].Sold.Tickets != 2 || box.Tiers[2].Reserved.Tickets != 48 {
		t.Fatalf("box office after the change: %+v %v", box, err)
	}
	// Blocking a sold seat is refused, naming it.
	spec.Version = 3
	spec.Blocks = []inventory.Block{{Note: "维修", Selection: inventory.Selection{Seats: []venue.SeatID{sold.Tickets[0].Seat}}}}
	_, err = v2.Reconfigure(ctx, onSale, mustChart(t, spec))
	wantRule(t, err, inventory.ErrChangeTaken)
	if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Value != v2.Chart().Label(sold.Tickets[0].Seat) {
		t.Fatalf("violations %v", err)
	}
}

func TestSeatMapAndPublicView(t *testing.T) {
	sales, tpl := basicSales(t, session.Limits{})
	a1 := seat(t, tpl, "一层", "A区", "1排", "1号")
	if _, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Seats: []venue.SeatID{a1}}, inventory.Purchase{}); err != nil {
		t.Fatal(err)
	}
	sn, err := sales.Snapshot(ctx, onSale)
	if err != nil {
		t.Fatal(err)
	}
	m := sales.Chart().SeatMap(sn, inventory.Access{Channel: "web"})
	if len(m) != 124 || m[a1].Selectable || !m[a1+1].Selectable || m[a1].Label != "一层 A区 1排 1号" || m[a1].Price != wht93.Yuan(880) {
		t.Fatalf("seat map %+v", m[a1])
	}
	// Unseated: no areas, said plainly.
	c := mustChart(t, inventory.ChartSpec{SessionID: "ga", Version: 1, Tiers: []inventory.Tier{{ID: "GA", Price: wht93.Yuan(100), Quantity: 50}}})
	pub := c.Public(&inventory.Snapshot{States: make([]inventory.State, 50), Sold: make([]wht93.Fen, 1)})
	if pub.Seated || pub.Areas != nil || pub.OnSale != 50 {
		t.Fatalf("unseated public view %+v", pub)
	}
}

func TestRealNamePerTicket(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", session.Limits{PerID: 1})
	s.RealName = realname.ModePerTicket
	sales := newSales(t, memory.NewInventory(), inventory.Config{Session: s, Chart: mustChart(t, chartSpec("s1", tpl)),
		Channels: []session.Authorization{authorize(t, channel("web", session.OwnSales), s, session.Allocation{})}})
	ids := []realname.BlindIndex{blind("a"), blind("b")}
	sale, err := sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o1", Buyer: "b1", Channel: "web", Tier: "B", N: 2}, inventory.Purchase{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if sale.Tickets[0].ID != ids[0] || sale.Tickets[1].ID != ids[1] {
		t.Fatal("each ticket carries its own document")
	}
	_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o2", Buyer: "b2", Channel: "web", Tier: "B", N: 2}, inventory.Purchase{IDs: ids[:1]})
	wantRule(t, err, session.ErrOrderIDs)
	_, err = sales.Buy(ctx, onSale, inventory.HoldRequest{Key: "o3", Buyer: "b2", Channel: "web", Tier: "B", N: 1}, inventory.Purchase{IDs: ids[1:]})
	wantRule(t, err, session.ErrLimitPerID)
	var v *wht93.Violation
	if !errors.As(err, &v) || v.Value == ids[1].String() {
		t.Fatalf("the violation must not carry the blind index: %v", err)
	}
}
