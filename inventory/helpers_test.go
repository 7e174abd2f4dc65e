package inventory_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
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

var ctx = context.Background()

// at returns the instant in China Standard Time on 2025-05-d.
func at(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }

// onSale is an instant inside every test session's sales window.
var onSale = at(2, 12, 0)

// hallTemplate is a small hall: 一层 A区 and B区 of 5 rows of 10 seats, 二层 C区 of 3
// rows of 8 seats, with an aisle position after seat 5 of A区 rows.
func hallTemplate(t testing.TB, hall string) *venue.Template {
	t.Helper()
	tpl, err := venue.Build(venue.Spec{Hall: hall, Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{
			{From: 1, To: 5, Seats: venue.SeatRange{From: 1, To: 5}},
			{From: 1, To: 5, Seats: venue.SeatRange{From: 6, To: 10}, Gap: 1},
		}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, To: 5, Seats: venue.SeatRange{From: 1, To: 10}}}},
		{Floor: "二层", Area: "C区", Rows: []venue.RowBlock{{From: 1, To: 3, Seats: venue.SeatRange{From: 1, To: 8}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func seat(t testing.TB, tpl *venue.Template, floor, area, row, number string) venue.SeatID {
	t.Helper()
	id, ok := tpl.Lookup(venue.Location{Floor: floor, Area: area, Row: row, Number: number})
	if !ok {
		t.Fatalf("no seat %s %s %s %s", floor, area, row, number)
	}
	return id
}

// tiersAD are the tiers A–D of E.2.2.3.
func tiersAD() []inventory.Tier {
	return []inventory.Tier{
		{ID: "A", Name: "A档", Price: wht93.Yuan(880)},
		{ID: "B", Name: "B档", Price: wht93.Yuan(680)},
		{ID: "C", Name: "C档", Price: wht93.Yuan(480)},
		{ID: "D", Name: "D档", Price: wht93.Yuan(180)},
	}
}

// chartSpec prices A区 rows 1–2 at A, A区 rows 3–5 at B, B区 at C and C区 at D.
func chartSpec(sid string, tpl *venue.Template) inventory.ChartSpec {
	a := venue.AreaKey{Floor: "一层", Area: "A区"}
	return inventory.ChartSpec{
		SessionID: sid, Version: 1, Template: tpl, Tiers: tiersAD(),
		Prices: []inventory.Pricing{
			{Tier: "B", Selection: inventory.Selection{Areas: []venue.AreaKey{a}}},
			{Tier: "A", Selection: inventory.Selection{Rows: []inventory.RowKey{{AreaKey: a, Row: "1排"}, {AreaKey: a, Row: "2排"}}}},
			{Tier: "C", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "B区"}}}},
			{Tier: "D", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "二层", Area: "C区"}}}},
		},
	}
}

func mustChart(t testing.TB, spec inventory.ChartSpec) *inventory.Chart {
	t.Helper()
	c, err := inventory.NewChart(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hallCode(t testing.TB, s string) codes.HallCode {
	t.Helper()
	c, err := codes.ParseHallCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testSession is a seated session on 20 May, on sale from 1 May 10:00 until 20 May
// 19:00.
func testSession(t testing.TB, id string, limits session.Limits) session.Session {
	return session.Session{
		ID: id, PerformanceID: "perf-1", Name: "春之声交响音乐会 " + id,
		Type: codes.TypeCode(2001), Venue: "东城大剧院", Hall: "大剧场", HallCode: hallCode(t, "11010100101"),
		Seated: true, Date: wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start: at(20, 19, 30), End: at(20, 21, 30),
		TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModeNone, Limits: limits,
		Sales: session.Sales{Start: at(1, 10, 0), Stop: at(20, 19, 0), OpenedAt: at(1, 9, 0)},
	}
}

func channel(id string, kind session.ChannelKind) session.Channel {
	return session.Channel{ID: id, Name: "渠道 " + id, Kind: kind, Commission: decimal.RequireFromString("0.05")}
}

func authorize(t testing.TB, ch session.Channel, s session.Session, a session.Allocation) session.Authorization {
	t.Helper()
	auth, err := session.Authorize(&ch, &s, at(1, 0, 0), time.Time{}, a)
	if err != nil {
		t.Fatal(err)
	}
	return auth
}

// newSales opens the sales of a session on a fresh memory store.
func newSales(t testing.TB, st inventory.Store, cfg inventory.Config) *inventory.Sales {
	t.Helper()
	s, err := inventory.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// basicSales is a session "s1" of hallTemplate with tiers A–D sold through "web".
func basicSales(t testing.TB, limits session.Limits) (*inventory.Sales, *venue.Template) {
	t.Helper()
	tpl := hallTemplate(t, "大剧场")
	s := testSession(t, "s1", limits)
	c := mustChart(t, chartSpec("s1", tpl))
	return newSales(t, memory.NewInventory(), inventory.Config{
		Session: s, Chart: c, Channels: []session.Authorization{authorize(t, channel("web", session.OwnSales), s, session.Allocation{})},
	}), tpl
}

func blind(s string) realname.BlindIndex { return realname.BlindIndex(sha256.Sum256([]byte(s))) }

func wantRule(t testing.TB, err error, rule *wht93.Rule) {
	t.Helper()
	if !errors.Is(err, rule) {
		t.Fatalf("error %v, want %s", err, rule.Code())
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
