package inventory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/venue"
)

// The whole sales flow: a venue and its seat template, a performance with two
// sessions, tiers A–D, a policy of at most 2 tickets per buyer for the
// performance, sales through two channels, a reserved block issued by staff, and
// the box office of each session.
func Example() {
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	cst := func(d, h int) time.Time { return time.Date(2025, time.May, d, h, 0, 0, 0, wht93.CST) }

	// The venue, its hall and the hall's seat template (6.3.1).
	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 10}}}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 10}}}},
		{Floor: "二层", Area: "C区", Rows: []venue.RowBlock{{From: 1, To: 2, Seats: venue.SeatRange{From: 1, To: 10}}}},
	}})
	must(err)
	vc, _ := codes.ParseVenueCode("110101001")
	hc, _ := codes.ParseHallCode("11010100101")
	theatre := venue.Venue{
		Code: vc, Name: "东城大剧院", Province: 110000, City: 110100, District: 110101,
		Address: "东城区示例路1号", Type: codes.VenueTheatre, Operator: "东城剧院管理有限公司",
		Halls:   []venue.Hall{{Name: "大剧场", Code: hc, Seated: true, Seats: tpl.Len()}},
		Contact: "张三丰", Phone: "13812345678",
	}
	must(theatre.Validate())
	must(theatre.Halls[0].CheckTemplate(tpl))

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
	must(perf.Validate())
	must(perf.CheckSessions(sessions))

	// Two channels, and a policy: at most 2 tickets per buyer for the performance.
	web := session.Channel{ID: "web", Name: "官网", Kind: session.OwnSales, Commission: decimal.Zero}
	agent := session.Channel{ID: "agent", Name: "分销平台", Kind: session.Distribution, Commission: decimal.RequireFromString("0.05")}
	policy := session.Policy{ID: "limit-2", Name: "每人限购2张", PerformanceID: perf.ID,
		ValidFrom: cst(1, 0), ValidUntil: cst(21, 0), Limits: session.Limits{PerBuyer: 2}}

	// Each session's chart: tiers A–D, and a reserved block for guests.
	a, b, c := venue.AreaKey{Floor: "一层", Area: "A区"}, venue.AreaKey{Floor: "一层", Area: "B区"}, venue.AreaKey{Floor: "二层", Area: "C区"}
	guests := []venue.SeatID{}
	for _, n := range []string{"5号", "6号"} {
		id, _ := tpl.Lookup(venue.Location{Floor: "一层", Area: "A区", Row: "1排", Number: n})
		guests = append(guests, id)
	}
	store := memory.NewInventory()
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
		must(err)
		var auths []session.Authorization
		for _, ch := range []session.Channel{web, agent} {
			auth, err := session.Authorize(&ch, &s, cst(1, 0), time.Time{}, session.Allocation{})
			must(err)
			auths = append(auths, auth)
		}
		sales, err := inventory.New(store, inventory.Config{Session: s, Chart: chart, Channels: auths, Policies: []session.Policy{policy}})
		must(err)
		must(sales.Open(ctx))
		all = append(all, sales)
	}
	first, second := all[0], all[1]
	now := cst(2, 12)

	// A buyer takes the two best A seats of the first session on the website.
	sale, err := first.Buy(ctx, now, inventory.HoldRequest{Key: "web-1001", Buyer: "u1001", Channel: "web", Tier: "A", N: 2}, inventory.Purchase{})
	must(err)
	for _, t := range sale.Tickets {
		fmt.Println("sold", first.Chart().Label(t.Seat), t.Tier, t.Amount)
	}
	// A third ticket, in the second session, is over the policy's limit.
	_, err = second.Buy(ctx, now, inventory.HoldRequest{Key: "web-1002", Buyer: "u1001", Channel: "web", Tier: "C", N: 1}, inventory.Purchase{})
	fmt.Println(err)
	// Another buyer chooses two seats of the second session through the distributor.
	b35, _ := tpl.Lookup(venue.Location{Floor: "一层", Area: "B区", Row: "3排", Number: "5号"})
	sale, err = second.Buy(ctx, now, inventory.HoldRequest{Key: "agent-77", Buyer: "a77", Channel: "agent", Seats: []venue.SeatID{b35, b35 + 1}}, inventory.Purchase{})
	must(err)
	fmt.Println("sold", len(sale.Tickets), "through", sale.Tickets[0].Channel, "for", sale.Total)
	// The guests' seats are not for the public; staff issue them.
	_, err = first.Hold(ctx, now, inventory.HoldRequest{Key: "web-1003", Buyer: "u1003", Channel: "web", Seats: guests[:1]})
	fmt.Println(err)
	issued, err := first.Issue(ctx, now, "guest-1", "admin01", guests, inventory.Purchase{})
	must(err)
	fmt.Println("issued", len(issued.Tickets), "by", issued.Tickets[0].Staff)

	// The box office of each session (6.3.2.5).
	for _, sales := range all {
		box, err := sales.BoxOffice(ctx, now)
		must(err)
		fmt.Printf("%s: %d tickets, sold %d for %s, reserved %d, remaining %d of %s (estimate %s)\n", box.SessionID,
			box.Total.Tickets, box.Sold.Tickets, box.Sold.Fen, box.Reserved.Tickets, box.Remaining.Tickets, box.Remaining.Fen, box.Estimate)
	}
	// Output:
	// sold 一层 A区 1排 3号 A 880.00
	// sold 一层 A区 1排 4号 A 880.00
	// policies[limit-2].limits.tickets: 已购 2 张，再购 1 张将超过每人限购 2 张 / 2 held and 1 more would exceed the limit of 2 per buyer: "1"
	// sold 2 through agent for 960.00
	// seats[0]: 预留座位，仅限指定渠道销售或后台人工出票 / seat is reserved: only its channel may sell it, or staff issue it: "一层 A区 1排 5号"
	// issued 2 by admin01
	// sess-1: 100 tickets, sold 4 for 3520.00, reserved 0, remaining 96 of 50480.00 (estimate 54000.00)
	// sess-2: 100 tickets, sold 2 for 960.00, reserved 2, remaining 96 of 51280.00 (estimate 54000.00)
}

// A chart that leaves seats unpriced and names an unknown tier is refused with
// every violation at once.
func ExampleNewChart() {
	tpl, _ := venue.Build(venue.Spec{Hall: "小剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "池座", Rows: []venue.RowBlock{{From: 1, To: 2, Seats: venue.SeatRange{From: 1, To: 6}}}},
	}})
	_, err := inventory.NewChart(inventory.ChartSpec{
		SessionID: "sess-1", Version: 1, Template: tpl,
		Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(380)}},
		Prices: []inventory.Pricing{
			{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: venue.AreaKey{Floor: "一层", Area: "池座"}, Row: "1排"}}}},
			{Tier: "VIP", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: venue.AreaKey{Floor: "一层", Area: "池座"}, Row: "2排"}}}},
		},
	})
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v)
	}
	// Output:
	// prices[1].tier: 票档不存在 / no such tier: "VIP"
	// prices: 6 个座位未划定票档，例如 / 6 seats are not priced at any tier, for example: "一层 池座 2排 1号"
}

// Best available: two adjacent seats nearest the middle of the front row, then,
// once a row has no two adjacent seats left, the next row.
func ExampleBoard_Pick() {
	tpl, _ := venue.Build(venue.Spec{Hall: "小剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "池座", Rows: []venue.RowBlock{{From: 1, To: 3, Seats: venue.SeatRange{From: 1, To: 5}}}},
	}})
	chart, _ := inventory.NewChart(inventory.ChartSpec{SessionID: "sess-1", Version: 1, Template: tpl,
		Tiers:  []inventory.Tier{{ID: "A", Price: wht93.Yuan(380)}},
		Prices: []inventory.Pricing{{Tier: "A", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "池座"}}}}}})
	board := inventory.NewBoard(chart)
	now := time.Date(2025, 5, 2, 12, 0, 0, 0, wht93.CST)
	for i := range 4 {
		seats, err := board.Hold(&inventory.HoldOp{Chart: chart, Hold: fmt.Sprint("order-", i), Access: inventory.Access{Channel: "web"},
			Tier: "A", N: 2, Now: now, Expires: now.Add(15 * time.Minute)})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(chart.Label(seats[0]), "+", chart.Label(seats[1]))
	}
	// Output:
	// 一层 池座 1排 2号 + 一层 池座 1排 3号
	// 一层 池座 1排 4号 + 一层 池座 1排 5号
	// 一层 池座 2排 2号 + 一层 池座 2排 3号
	// 一层 池座 2排 4号 + 一层 池座 2排 5号
}

// The box-office estimate of a chart (票房测算): per tier, the seats and what they
// take at list price.
func ExampleChart_Estimate() {
	tpl, _ := venue.Build(venue.Spec{Hall: "小剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "池座", Rows: []venue.RowBlock{{From: 1, To: 4, Seats: venue.SeatRange{From: 1, To: 10}}}},
	}})
	stalls := venue.AreaKey{Floor: "一层", Area: "池座"}
	chart, err := inventory.NewChart(inventory.ChartSpec{SessionID: "sess-1", Version: 1, Template: tpl,
		Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(580)}, {ID: "B", Price: wht93.Yuan(280)}},
		Prices: []inventory.Pricing{
			{Tier: "B", Selection: inventory.Selection{Areas: []venue.AreaKey{stalls}}},
			{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: stalls, Row: "1排"}}}},
		},
		Types: []inventory.Typing{{Type: inventory.Complimentary, Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: stalls, Row: "4排"}}}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	est := chart.Estimate()
	for _, t := range est.Tiers {
		fmt.Printf("%s: %d seats, %s\n", t.Tier.ID, t.Total.Tickets, t.Total.Fen)
	}
	fmt.Println("estimate", est.Estimate, "of which reserved for staff issue:", est.Reserved.Tickets, "seats")
	// Output:
	// A: 10 seats, 5800.00
	// B: 30 seats, 5600.00
	// estimate 11400.00 of which reserved for staff issue: 10 seats
}
