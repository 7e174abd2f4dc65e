package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

// sold is what the sales chapter leaves for the chapters after it.
type sold struct {
	sessions []session.Session
	sales    []*inventory.Sales
	template *venue.Template
	order    inventory.Sale    // the first session's web order "web-1001"
	holders  []realname.Holder // its real-name holders, one per ticket
}

// runSales walks through a sale on the store given (the embedded bolt file in
// main): a venue with a seat template, a performance with two sessions (the first
// real-name, one ID per ticket), tiers A–D, a policy of at most 2 tickets per
// buyer, sales through two channels, a reserved block issued by staff, and the
// box office at the end. ix makes the blind indexes that per-ID limits count.
func runSales(ctx context.Context, w io.Writer, store inventory.Store, ix *realname.BlindIndexer, today wht93.Date) (*sold, error) {
	var out sold
	cst := func(d, h int) time.Time { return time.Date(2025, time.May, d, h, 0, 0, 0, wht93.CST) }

	// The venue, its hall and the hall's seat template (6.3.1).
	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 10}}}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 10}}}},
		{Floor: "二层", Area: "C区", Rows: []venue.RowBlock{{From: 1, To: 2, Seats: venue.SeatRange{From: 1, To: 10}}}},
	}})
	if err != nil {
		return nil, err
	}
	vc, err := codes.ParseVenueCode("110101001")
	if err != nil {
		return nil, err
	}
	hc, err := codes.ParseHallCode("11010100101")
	if err != nil {
		return nil, err
	}
	theatre := venue.Venue{
		Code: vc, Name: "东城大剧院", Province: 110000, City: 110100, District: 110101,
		Address: "东城区示例路1号", Type: codes.VenueTheatre, Operator: "东城剧院管理有限公司",
		Halls:   []venue.Hall{{Name: "大剧场", Code: hc, Seated: true, Seats: tpl.Len()}},
		Contact: "张三丰", Phone: "13812345678",
	}
	if err := theatre.Validate(); err != nil {
		return nil, err
	}
	if err := theatre.Halls[0].CheckTemplate(tpl); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "venue %s %s, hall %s with a template of %d seats\n", theatre.Code, theatre.Name, hc, tpl.Len())

	// A performance with two sessions, on sale from 1 May (6.3.2.1, 6.3.2.2).
	perf := session.Performance{
		ID: "perf-1", Name: "春之声交响音乐会", Type: codes.TypeCode(2001),
		Approval: session.Approval{Number: "京演审字〔2025〕第0123号", From: wht93.Date{Year: 2025, Month: time.May, Day: 20},
			To: wht93.Date{Year: 2025, Month: time.May, Day: 21}, Venue: theatre.Name, Sessions: 2, Performers: []string{"东城交响乐团"}},
		Description: "东城交响乐团年度音乐会。", Programme: []string{"《春节序曲》"}, MinDuration: 90 * time.Minute,
		Notice: "1.2米以下儿童谢绝入场。", Organisers: []string{"东城文化有限公司"},
	}
	var sessions []session.Session
	for i, day := range []int{20, 21} {
		sessions = append(sessions, session.Session{
			ID: fmt.Sprintf("sess-%d", i+1), PerformanceID: perf.ID, Name: fmt.Sprintf("春之声 5月%d日", day), Type: perf.Type,
			Venue: theatre.Name, Hall: "大剧场", HallCode: hc, Seated: true, Date: wht93.Date{Year: 2025, Month: time.May, Day: day},
			Start: cst(day, 19), End: cst(day, 21), TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModeNone,
			Sales: session.Sales{OpenedAt: cst(1, 9), Start: cst(1, 10), Stop: cst(day, 18)},
		})
	}
	sessions[0].RealName = realname.ModePerTicket // 一票一证
	var ids []realname.BlindIndex
	for _, p := range [][2]string{{"张三", "11010119900307803X"}, {"李四", "11010519491231002X"},
		{"王五", "110101198505120010"}, {"赵六", "110105199208080024"}} {
		doc, err := realname.Validate(realname.TypeResidentID, p[1], today)
		if err != nil {
			return nil, err
		}
		h, err := realname.NewHolder(p[0], doc)
		if err != nil {
			return nil, err
		}
		out.holders = append(out.holders, h)
		ids = append(ids, ix.Index(doc))
	}
	if err := perf.Validate(); err != nil {
		return nil, err
	}
	if err := perf.CheckSessions(sessions); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "performance %q, %d sessions; before the sale opens: %v\n", perf.Name, len(sessions),
		sessions[0].CanSell(cst(1, 9)) != nil)

	// Two channels, and a policy: at most 2 tickets per buyer for the performance.
	web := session.Channel{ID: "web", Name: "官网", Kind: session.OwnSales, Commission: decimal.Zero}
	agent := session.Channel{ID: "agent", Name: "分销平台", Kind: session.Distribution, Commission: decimal.RequireFromString("0.05")}
	policy := session.Policy{ID: "limit-2", Name: "每人限购2张", PerformanceID: perf.ID,
		ValidFrom: cst(1, 0), ValidUntil: cst(21, 0), Limits: session.Limits{PerBuyer: 2}}

	// Each session's seating chart: tiers A–D, and a reserved block for guests.
	a, b, c := venue.AreaKey{Floor: "一层", Area: "A区"}, venue.AreaKey{Floor: "一层", Area: "B区"}, venue.AreaKey{Floor: "二层", Area: "C区"}
	var guests []venue.SeatID
	for _, n := range []string{"5号", "6号"} {
		id, ok := tpl.Lookup(venue.Location{Floor: "一层", Area: "A区", Row: "1排", Number: n})
		if !ok {
			return nil, fmt.Errorf("no seat 1排 %s", n)
		}
		guests = append(guests, id)
	}
	var all []*inventory.Sales
	for _, s := range sessions {
		chart, err := inventory.NewChart(inventory.ChartSpec{
			SessionID: s.ID, Version: 1, Template: tpl,
			Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(880)}, {ID: "B", Price: wht93.Yuan(680)}, {ID: "C", Price: wht93.Yuan(480)}, {ID: "D", Price: wht93.Yuan(180)}},
			Prices: []inventory.Pricing{
				{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: a, Row: "1排"}, {AreaKey: a, Row: "2排"}}}},
				{Tier: "B", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: a, Row: "3排"}, {AreaKey: a, Row: "4排"}}}},
				{Tier: "C", Selection: inventory.Selection{Areas: []venue.AreaKey{b}}},
				{Tier: "D", Selection: inventory.Selection{Areas: []venue.AreaKey{c}}},
			},
			Reservations: []inventory.Reservation{{Name: "嘉宾席", Note: "主办方嘉宾，后台出票", Selection: inventory.Selection{Seats: guests}}},
		})
		if err != nil {
			return nil, err
		}
		var auths []session.Authorization
		for _, ch := range []session.Channel{web, agent} {
			auth, err := session.Authorize(&ch, &s, cst(1, 0), time.Time{}, session.Allocation{})
			if err != nil {
				return nil, err
			}
			auths = append(auths, auth)
		}
		sales, err := inventory.New(store, inventory.Config{Session: s, Chart: chart, Channels: auths, Policies: []session.Policy{policy}})
		if err != nil {
			return nil, err
		}
		if err := sales.Open(ctx); err != nil {
			return nil, err
		}
		all = append(all, sales)
	}
	first, second := all[0], all[1]
	now := cst(2, 12)

	// A buyer takes the two best A seats of the first session on the website.
	sale, err := first.Buy(ctx, now, inventory.HoldRequest{Key: "web-1001", Buyer: "u1001", Channel: "web", Tier: "A", N: 2},
		inventory.Purchase{IDs: ids[:2]})
	if err != nil {
		return nil, err
	}
	out.order, out.holders = *sale, out.holders[:2]
	for _, t := range sale.Tickets {
		fmt.Fprintln(w, "sold", first.Chart().Label(t.Seat), "tier", t.Tier, t.Amount)
	}
	// A third ticket, in the second session, is over the policy's limit.
	if _, err := second.Buy(ctx, now, inventory.HoldRequest{Key: "web-1002", Buyer: "u1001", Channel: "web", Tier: "C", N: 1}, inventory.Purchase{}); err != nil {
		fmt.Fprintln(w, "refused:", err)
	}
	// Another buyer chooses two seats of the second session through the distributor.
	b35, ok := tpl.Lookup(venue.Location{Floor: "一层", Area: "B区", Row: "3排", Number: "5号"})
	if !ok {
		return nil, fmt.Errorf("no seat B区 3排 5号")
	}
	sale, err = second.Buy(ctx, now, inventory.HoldRequest{Key: "agent-77", Buyer: "a77", Channel: "agent", Seats: []venue.SeatID{b35, b35 + 1}}, inventory.Purchase{})
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "sold", len(sale.Tickets), "through", sale.Tickets[0].Channel, "for", sale.Total)
	// The guests' seats are not for the public; staff issue them.
	if _, err := first.Hold(ctx, now, inventory.HoldRequest{Key: "web-1003", Buyer: "u1003", Channel: "web", Seats: guests[:1]}); err != nil {
		fmt.Fprintln(w, "refused:", err)
	}
	issued, err := first.Issue(ctx, now, "guest-1", "admin01", guests, inventory.Purchase{IDs: ids[2:]})
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "issued", len(issued.Tickets), "reserved seats by", issued.Tickets[0].Staff)

	// The box office of each session (6.3.2.5).
	for _, sales := range all {
		box, err := sales.BoxOffice(ctx, now)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "box office %s: %d tickets, sold %d for %s, reserved %d, remaining %d worth %s (estimate %s)\n", box.SessionID,
			box.Total.Tickets, box.Sold.Tickets, box.Sold.Fen, box.Reserved.Tickets, box.Remaining.Tickets, box.Remaining.Fen, box.Estimate)
	}
	out.sessions, out.sales, out.template = sessions, all, tpl
	return &out, nil
}
