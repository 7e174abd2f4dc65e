package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

func channels() []session.Channel {
	return []session.Channel{
		{ID: "web", Name: "官网", Kind: session.OwnSales},
		{ID: "partner", Name: "合作票务平台（测试渠道）", Kind: session.Distribution, Commission: decimal.RequireFromString("0.065"), Test: true},
	}
}

// E.2.2.9 销售渠道管理: a) the performance enables the test channel; b) the channel
// reads the show, sessions, face and chart (the host's API); c) it sells one ticket
// and both systems hold the order and the ticket. The SDK's part: the channel, its
// authorisation for the session, the allocation it sells from, and the settlement
// figures of what it sold.
func TestE229ChannelSettlement(t *testing.T) {
	chs := channels()
	test := &chs[1]
	if err := test.Validate(); err != nil || !test.Test {
		t.Fatalf("a) test channel: %v", err)
	}
	s := evening(t)
	auth, err := session.Authorize(test, &s, at(1, 10, 0), time.Time{}, session.Allocation{
		Quantity: 100,
		Tiers:    []session.TierQuota{{Tier: "A", Quantity: 20}},
		Areas:    []venue.AreaKey{{Floor: "二层", Area: "包厢"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !auth.Reserves(venue.AreaKey{Floor: "二层", Area: "包厢"}) || auth.Reserves(venue.AreaKey{Floor: "一层", Area: "A区"}) {
		t.Fatal("reserved areas")
	}
	// c) the channel sells one ticket inside its period and quota.
	if err := auth.Permits(at(3, 12, 0), s.ID); err != nil {
		t.Fatalf("c) not permitted: %v", err)
	}
	if err := auth.CheckQuota("A", 0, 0, 1); err != nil {
		t.Fatalf("c) quota: %v", err)
	}
	// Settlement over May: the test channel sold 1 ticket of A at 1280.00 and the
	// own channel 3 tickets for 2040.00, of which one (680.00) was refunded.
	records := []session.Record{
		{ChannelID: "partner", SessionID: "sess-1", Kind: session.Sale, Tickets: 1, Amount: wht93.Yuan(1280), At: at(3, 12, 0)},
		{ChannelID: "web", SessionID: "sess-1", Kind: session.Sale, Tickets: 3, Amount: wht93.Yuan(2040), At: at(4, 9, 0)},
		{ChannelID: "web", SessionID: "sess-1", Kind: session.Refund, Tickets: 1, Amount: wht93.Yuan(680), At: at(5, 9, 0)},
		{ChannelID: "partner", SessionID: "sess-1", Kind: session.Sale, Tickets: 1, Amount: wht93.Yuan(1280), At: time.Date(2025, 6, 1, 0, 0, 0, 0, wht93.CST)}, // June: left out
	}
	got, err := session.Settle(chs, at(1, 0, 0), time.Date(2025, 6, 1, 0, 0, 0, 0, wht93.CST), records)
	if err != nil {
		t.Fatal(err)
	}
	want := []session.Settlement{
		{ChannelID: "web", SoldTickets: 3, Sales: 204000, RefundedTickets: 1, Refunds: 68000, Net: 136000, Commission: 0, Payable: 136000},
		// 1280.00 × 6.5 % = 83.20
		{ChannelID: "partner", SoldTickets: 1, Sales: 128000, Net: 128000, Commission: 8320, Payable: 119680},
	}
	for i := range want {
		want[i].From, want[i].Until = at(1, 0, 0), time.Date(2025, 6, 1, 0, 0, 0, 0, wht93.CST)
		if got[i] != want[i] {
			t.Errorf("channel %s: got %+v, want %+v", want[i].ChannelID, got[i], want[i])
		}
	}
}

func TestAuthorizationRules(t *testing.T) {
	chs := channels()
	s := evening(t)
	auth, err := session.Authorize(&chs[0], &s, at(1, 10, 0), at(10, 0, 0), session.Allocation{Quantity: 10, Tiers: []session.TierQuota{{Tier: "A", Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		now     time.Time
		session string
		ok      bool
	}{
		{"before", at(1, 9, 0), "sess-1", false},
		{"inside", at(5, 0, 0), "sess-1", true},
		{"at the end", at(10, 0, 0), "sess-1", false},
		{"other session", at(5, 0, 0), "sess-2", false},
	} {
		if err := auth.Permits(tt.now, tt.session); (err == nil) != tt.ok || (err != nil && !errors.Is(err, session.ErrNotAuthorised)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	for _, tt := range []struct {
		tier             string
		total, inTier, n int
		ok               bool
	}{
		{"A", 0, 0, 4, true}, {"A", 0, 3, 2, false}, {"B", 9, 0, 1, true}, {"B", 9, 0, 2, false}, {"B", 0, 0, 0, false},
	} {
		if err := auth.CheckQuota(tt.tier, tt.total, tt.inTier, tt.n); (err == nil) != tt.ok {
			t.Errorf("quota %+v: %v", tt, err)
		}
	}
	bad := []session.Allocation{
		{Quantity: -1},
		{Quantity: 5, Tiers: []session.TierQuota{{Tier: "A", Quantity: 6}}},
		{Tiers: []session.TierQuota{{Tier: "A", Quantity: 1}, {Tier: "A", Quantity: 1}}},
		{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}, {Floor: "一层", Area: "A区"}}},
		{Areas: []venue.AreaKey{{Floor: "", Area: "A区"}}},
	}
	for _, a := range bad {
		if _, err := session.Authorize(&chs[0], &s, at(1, 0, 0), time.Time{}, a); !errors.Is(err, session.ErrAuthorization) {
			t.Errorf("%+v: %v", a, err)
		}
	}
	unseated := s
	unseated.Seated = false
	if _, err := session.Authorize(&chs[0], &unseated, at(1, 0, 0), time.Time{}, session.Allocation{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}}}); !errors.Is(err, session.ErrAuthorization) {
		t.Errorf("areas on an unseated session: %v", err)
	}
	if _, err := session.Authorize(&session.Channel{ID: "x", Name: "x", Kind: 3}, &s, at(1, 0, 0), time.Time{}, session.Allocation{}); !errors.Is(err, session.ErrChannel) {
		t.Errorf("bad channel: %v", err)
	}

	// Reserved areas must exist in the hall's template.
	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{{Floor: "一层", Area: "A区",
		Rows: []venue.RowBlock{{From: 1, Seats: venue.SeatRange{From: 1, To: 10}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	a := session.Authorization{ChannelID: "web", SessionID: "sess-1", From: at(1, 0, 0),
		Allocation: session.Allocation{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}, {Floor: "二层", Area: "包厢"}}}}
	err = a.CheckAreas(tpl)
	if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Field != "allocation.areas[1]" {
		t.Fatalf("CheckAreas: %v", err)
	}
}

func TestChannelValidate(t *testing.T) {
	for _, c := range []session.Channel{
		{ID: "x", Name: "x", Kind: session.OwnSales, Commission: decimal.RequireFromString("-0.1")},
		{ID: "x", Name: "x", Kind: session.OwnSales, Commission: decimal.RequireFromString("1.01")},
		{ID: "x", Name: "x", Kind: session.OwnSales, Commission: decimal.RequireFromString("0.00001")},
		{ID: "x", Name: "x", Kind: 0},
	} {
		if err := c.Validate(); !errors.Is(err, session.ErrChannel) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if err := (&session.Channel{ID: "x", Name: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", Kind: session.OwnSales}).Validate(); !errors.Is(err, session.ErrText) {
		t.Errorf("31-character name: %v", err)
	}
}

func TestSettleViolations(t *testing.T) {
	chs := channels()
	from, until := at(1, 0, 0), at(31, 0, 0)
	records := []session.Record{
		{ChannelID: "nobody", Kind: session.Sale, Tickets: 1, Amount: 1, At: at(2, 0, 0)},
		{ChannelID: "web", Kind: 3, Tickets: 1, Amount: 1, At: at(2, 0, 0)},
		{ChannelID: "web", Kind: session.Sale, Tickets: 1, Amount: -1, At: at(2, 0, 0)},
		{ChannelID: "web", Kind: session.Sale, Tickets: 1, Amount: 1},
	}
	_, err := session.Settle(chs, from, until, records)
	vs := wht93.ViolationsOf(err)
	if len(vs) != 4 || vs[0].Field != "records[0].channelId" || vs[3].Field != "records[3].at" {
		t.Fatalf("violations %v", vs)
	}
	if _, err := session.Settle(append(chs, chs[0]), from, until, nil); !errors.Is(err, session.ErrRecord) {
		t.Fatalf("channel twice: %v", err)
	}
	if _, err := session.Settle(chs, until, from, nil); !errors.Is(err, session.ErrRecord) {
		t.Fatalf("backwards period: %v", err)
	}
	big := []session.Record{
		{ChannelID: "web", Kind: session.Sale, Amount: 1 << 62, At: at(2, 0, 0)},
		{ChannelID: "web", Kind: session.Sale, Amount: 1 << 62, At: at(2, 0, 0)},
	}
	if _, err := session.Settle(chs, from, until, big); !errors.Is(err, wht93.ErrMoneyRange) {
		t.Fatalf("overflow: %v", err)
	}
	// More refunded than sold in the period: the commission comes back.
	got, err := session.Settle(chs, from, until, []session.Record{{ChannelID: "partner", Kind: session.Refund, Tickets: 1, Amount: 10000, At: at(2, 0, 0)}})
	if err != nil || got[1].Net != -10000 || got[1].Commission != -650 || got[1].Payable != -9350 {
		t.Fatalf("refund only: %+v %v", got, err)
	}
}

// Settlement figures add up: per channel, sales and refunds are the sums of its
// records in the period; Net = Sales − Refunds = Commission + Payable; the
// commission is within a fen of the exact rate; across channels the figures sum to
// the records'.
func TestPropertySettlementSums(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		chs := []session.Channel{
			{ID: "a", Name: "a", Kind: session.OwnSales, Commission: decimal.New(rapid.Int64Range(0, 10000).Draw(t, "ra"), -4)},
			{ID: "b", Name: "b", Kind: session.Distribution, Commission: decimal.New(rapid.Int64Range(0, 10000).Draw(t, "rb"), -4)},
		}
		from, until := at(1, 0, 0), at(11, 0, 0)
		var records []session.Record
		var sales, refunds wht93.Fen
		var sold int
		for range rapid.IntRange(0, 30).Draw(t, "n") {
			r := session.Record{
				ChannelID: rapid.SampledFrom([]string{"a", "b"}).Draw(t, "ch"),
				Kind:      session.RecordKind(rapid.IntRange(1, 2).Draw(t, "kind")),
				Tickets:   rapid.IntRange(0, 4).Draw(t, "tickets"),
				Amount:    wht93.Fen(rapid.Int64Range(0, 1e8).Draw(t, "amount")),
				At:        at(rapid.IntRange(1, 15).Draw(t, "day"), 12, 0),
			}
			records = append(records, r)
			if r.At.Before(until) {
				if r.Kind == session.Sale {
					sales += r.Amount
					sold += r.Tickets
				} else {
					refunds += r.Amount
				}
			}
		}
		got, err := session.Settle(chs, from, until, records)
		if err != nil {
			t.Fatal(err)
		}
		var gs, gr wht93.Fen
		var gsold int
		for i, s := range got {
			gs += s.Sales
			gr += s.Refunds
			gsold += s.SoldTickets
			if s.Net != s.Sales-s.Refunds || s.Commission+s.Payable != s.Net {
				t.Fatalf("%+v does not add up", s)
			}
			exact := decimal.NewFromInt(int64(s.Net)).Mul(chs[i].Commission)
			if exact.Sub(decimal.NewFromInt(int64(s.Commission))).Abs().GreaterThan(decimal.RequireFromString("0.5")) {
				t.Fatalf("commission %v for exact %v", s.Commission, exact)
			}
		}
		if gs != sales || gr != refunds || gsold != sold {
			t.Fatalf("totals %v/%v/%d, records %v/%v/%d", gs, gr, gsold, sales, refunds, sold)
		}
	})
}
