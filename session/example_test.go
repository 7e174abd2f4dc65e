package session_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

func ExampleSession_CanSell() {
	s := session.Session{
		End: time.Date(2025, 5, 20, 21, 30, 0, 0, wht93.CST),
		Sales: session.Sales{
			OpenedAt: time.Date(2025, 4, 30, 12, 0, 0, 0, wht93.CST),
			Start:    time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST),
			Stop:     time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST),
		},
	}
	for _, now := range []time.Time{
		time.Date(2025, 5, 1, 9, 59, 0, 0, wht93.CST),
		time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST),
		time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST),
	} {
		fmt.Println(s.Status(now).Zh(), s.CanSell(now))
	}
	// Output:
	// 开票 sales.start: 尚未到开售时间 2025-05-01 10:00:00，不能购票 / the sale starts at 2025-05-01 10:00:00: tickets cannot be bought yet: "2025-05-01 09:59:00"
	// 售票中 <nil>
	// 售票结束 sales.stop: 已过停售时间 2025-05-20 19:00:00，不能购票 / the sale stopped at 2025-05-20 19:00:00: tickets cannot be bought: "2025-05-20 19:00:00"
}

func ExampleLimits_Check() {
	limits := session.Limits{PerOrder: 4, PerBuyer: 2}
	// The buyer already holds one ticket of the session and asks for two more.
	err := limits.Check(realname.ModeNone, session.Order{Tickets: 2}, session.Held{Buyer: 1})
	fmt.Println(err)
	// Output:
	// tickets: 已购 1 张，再购 2 张将超过每人限购 2 张 / 1 held and 2 more would exceed the limit of 2 per buyer: "2"
}

func ExamplePolicy_Quote() {
	p := session.Policy{
		ID: "early", Name: "早鸟八五折", PerformanceID: "perf-1",
		ValidFrom:  time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST),
		ValidUntil: time.Date(2025, 5, 8, 10, 0, 0, 0, wht93.CST),
		Discount:   &session.Discount{Kind: session.Rate, Rate: decimal.RequireFromString("0.85")},
	}
	q, err := p.Quote(time.Date(2025, 5, 2, 12, 0, 0, 0, wht93.CST), "web", []session.Line{
		{SessionID: "sess-1", Tier: "A", Price: wht93.Yuan(1280)},
		{SessionID: "sess-1", Tier: "D", Price: 18099}, // 180.99 × 0.85 = 153.8415 → 153.84
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Amounts, q.Total, q.Saved())
	// Output:
	// [1088.00 153.84] 1241.84 219.15
}

func ExampleBundle_Allocate() {
	pass := session.Bundle{Items: []session.BundleItem{
		{SessionID: "day-1", Quantity: 1},
		{SessionID: "day-2", Quantity: 1},
	}, Price: wht93.Yuan(1000)}
	amounts, err := pass.Allocate([]session.Line{
		{SessionID: "day-1", Tier: "A", Price: wht93.Yuan(800)},
		{SessionID: "day-2", Tier: "B", Price: wht93.Yuan(400)},
	})
	fmt.Println(amounts, err)
	// Output:
	// [666.67 333.33] <nil>
}

func ExampleEdit() {
	hall, _ := codes.ParseHallCode("11010100101")
	s := session.Session{
		ID: "sess-1", PerformanceID: "perf-1", Name: "5月20日晚场", Type: codes.TypeCode(2001),
		Venue: "东城大剧院", Hall: "大剧场", HallCode: hall, Seated: true,
		Date:  wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start: time.Date(2025, 5, 20, 19, 30, 0, 0, wht93.CST), End: time.Date(2025, 5, 20, 21, 30, 0, 0, wht93.CST),
		TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModeNone,
		Limits: session.Limits{PerBuyer: 2},
		Sales:  session.Sales{Start: time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST), Stop: time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST)},
	}
	edited := s
	edited.Limits.PerBuyer = 4
	_, changes, err := session.Edit(s, edited, "ops.wang", time.Date(2025, 5, 3, 15, 0, 0, 0, wht93.CST))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Println(c.Field, c.Old, "→", c.New, c.By, c.At.Format(time.DateTime))
	}
	// Output:
	// limits.perBuyer 2 → 4 ops.wang 2025-05-03 15:00:00
}

func ExampleSettle() {
	chs := []session.Channel{{ID: "partner", Name: "合作平台", Kind: session.Distribution, Commission: decimal.RequireFromString("0.05")}}
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, wht93.CST)
	records := []session.Record{
		{ChannelID: "partner", Kind: session.Sale, Tickets: 3, Amount: 54321, At: from.Add(time.Hour)},
		{ChannelID: "partner", Kind: session.Refund, Tickets: 1, Amount: 18107, At: from.Add(2 * time.Hour)},
	}
	got, err := session.Settle(chs, from, from.AddDate(0, 1, 0), records)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := got[0]
	fmt.Println("sales", s.Sales, "refunds", s.Refunds, "net", s.Net, "commission", s.Commission, "payable", s.Payable)
	// Output:
	// sales 543.21 refunds 181.07 net 362.14 commission 18.11 payable 344.03
}

func ExampleAuthorize() {
	partner := session.Channel{ID: "partner", Name: "合作平台", Kind: session.Distribution, Commission: decimal.RequireFromString("0.06")}
	s := session.Session{ID: "sess-1", Seated: true}
	auth, err := session.Authorize(&partner, &s,
		time.Date(2025, 5, 1, 10, 0, 0, 0, wht93.CST), time.Time{}, // until the sale stops
		session.Allocation{Quantity: 200, Tiers: []session.TierQuota{{Tier: "A", Quantity: 50}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 5, 2, 12, 0, 0, 0, wht93.CST)
	fmt.Println(auth.Permits(now, "sess-1"))
	// The channel has sold 190 tickets, 49 of them of tier A, and asks for 2 of A.
	fmt.Println(auth.CheckQuota("A", 190, 49, 2))
	// Output:
	// <nil>
	// tier: 渠道该票档已售 49 张，再售 2 张将超过配额 50 张 / the channel sold 49 of the tier and 2 more would exceed its quota of 50: "A"
}
