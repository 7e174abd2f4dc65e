package inventory_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

func TestNewChartViolations(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	a := venue.AreaKey{Floor: "一层", Area: "A区"}
	for _, tc := range []struct {
		name  string
		edit  func(*inventory.ChartSpec)
		rule  *wht93.Rule
		field string
	}{
		{"no session", func(s *inventory.ChartSpec) { s.SessionID = "" }, inventory.ErrChart, "sessionId"},
		{"version 0", func(s *inventory.ChartSpec) { s.Version = 0 }, inventory.ErrChart, "version"},
		{"no tiers", func(s *inventory.ChartSpec) { s.Tiers = nil }, inventory.ErrChart, "tiers"},
		{"tier twice", func(s *inventory.ChartSpec) { s.Tiers[1].ID = "A" }, inventory.ErrTier, "tiers[1].id"},
		{"negative price", func(s *inventory.ChartSpec) { s.Tiers[2].Price = -1 }, wht93.ErrMoneyNegative, "tiers[2].price"},
		{"control character", func(s *inventory.ChartSpec) { s.Tiers[0].Name = "A\x07" }, inventory.ErrTier, "tiers[0].name"},
		{"unknown tier", func(s *inventory.ChartSpec) { s.Prices[0].Tier = "Z" }, inventory.ErrSelection, "prices[0].tier"},
		{"unknown area", func(s *inventory.ChartSpec) {
			s.Prices[0].Areas = []venue.AreaKey{{Floor: "三层", Area: "X区"}}
		}, inventory.ErrSelection, "prices[0].areas[0]"},
		{"unknown row", func(s *inventory.ChartSpec) {
			s.Prices[1].Rows[0].Row = "99排"
		}, inventory.ErrSelection, "prices[1].rows[0]"},
		{"seat out of range", func(s *inventory.ChartSpec) {
			s.Blocks = []inventory.Block{{Selection: inventory.Selection{Seats: []venue.SeatID{1000}}}}
		}, inventory.ErrSelection, "blocks[0].seats[0]"},
		{"quantity on a seated chart", func(s *inventory.ChartSpec) {
			s.Blocks = []inventory.Block{{Selection: inventory.Selection{Tier: "A", Quantity: 2}}}
		}, inventory.ErrSelection, "blocks[0].tier"},
		{"empty selection", func(s *inventory.ChartSpec) {
			s.Reservations = []inventory.Reservation{{Name: "预留"}}
		}, inventory.ErrSelection, "reservations[0]"},
		{"reservation without name", func(s *inventory.ChartSpec) {
			s.Reservations = []inventory.Reservation{{Selection: inventory.Selection{Areas: []venue.AreaKey{a}}}}
		}, inventory.ErrReservation, "reservations[0].name"},
		{"bad ticket type", func(s *inventory.ChartSpec) {
			s.Types = []inventory.Typing{{Type: 9, Selection: inventory.Selection{Areas: []venue.AreaKey{a}}}}
		}, inventory.ErrTicketType, "types[0].type"},
		{"unpriced seats", func(s *inventory.ChartSpec) { s.Prices = s.Prices[1:] }, inventory.ErrUnpriced, "prices"},
		{"wrong quantity", func(s *inventory.ChartSpec) { s.Tiers[3].Quantity = 25 }, inventory.ErrTierQuantity, "tiers[3].quantity"},
		{"stage not finite", func(s *inventory.ChartSpec) { s.Stage = &venue.Point{X: math.NaN()} }, inventory.ErrChart, "stage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := chartSpec("s1", tpl)
			tc.edit(&spec)
			_, err := inventory.NewChart(spec)
			if !errors.Is(err, tc.rule) {
				t.Fatalf("error %v, want %s", err, tc.rule.Code())
			}
			found := false
			for _, v := range wht93.ViolationsOf(err) {
				found = found || (v.Rule == tc.rule && v.Field == tc.field)
			}
			if !found {
				t.Fatalf("violations %v, want one at %q", err, tc.field)
			}
		})
	}
}

func TestNewChartEveryViolation(t *testing.T) {
	spec := chartSpec("s1", hallTemplate(t, "大剧场"))
	spec.Prices[0].Tier = "Z"
	spec.Blocks = []inventory.Block{{Note: "x\n", Selection: inventory.Selection{Seats: []venue.SeatID{-1}}}}
	_, err := inventory.NewChart(spec)
	vs := wht93.ViolationsOf(err)
	if len(vs) < 3 {
		t.Fatalf("want every violation at once, got %v", err)
	}
	// The unpriced seats are counted and one is named.
	if !strings.Contains(err.Error(), "30 个座位未划定票档") {
		t.Errorf("message %q", err)
	}
}

func TestChartQuantitiesAndClasses(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	spec := chartSpec("s1", tpl)
	comp := seat(t, tpl, "一层", "B区", "1排", "1号")
	blocked := seat(t, tpl, "一层", "B区", "1排", "2号")
	res := seat(t, tpl, "一层", "B区", "1排", "3号")
	spec.Types = []inventory.Typing{{Type: inventory.Complimentary, Selection: inventory.Selection{Seats: []venue.SeatID{comp}}}}
	spec.Blocks = []inventory.Block{{Note: "摄像机位", Selection: inventory.Selection{Seats: []venue.SeatID{blocked}}}}
	spec.Reservations = []inventory.Reservation{{Name: "分销", Channel: "agent", Selection: inventory.Selection{Seats: []venue.SeatID{res, blocked}}}}
	c := mustChart(t, spec)
	for _, tc := range []struct {
		seat   venue.SeatID
		access inventory.Access
		ok     bool
	}{
		{comp, inventory.Access{Channel: "web"}, false},
		{comp, inventory.Access{Staff: true}, true},
		{blocked, inventory.Access{Staff: true}, false},
		{res, inventory.Access{Channel: "web"}, false},
		{res, inventory.Access{Channel: "agent"}, true},
		{res, inventory.Access{Staff: true}, true},
		{res + 1, inventory.Access{Channel: "web"}, true},
	} {
		if got := c.Allows(tc.access, tc.seat); got != tc.ok {
			t.Errorf("Allows(%+v, %s) = %v", tc.access, c.Label(tc.seat), got)
		}
	}
	if !c.Blocked(blocked) || c.Blocked(res) {
		t.Error("Blocked")
	}
	if _, ok := c.ReservedFor(blocked); ok {
		t.Error("a blocked seat is not reported as reserved")
	}
	est := c.Estimate()
	if est.Blocked.Tickets != 1 || est.Reserved.Tickets != 2 || est.Total.Tickets != 123 {
		t.Errorf("estimate %+v", est)
	}
	// The complimentary seat is worth nothing; the blocked seat is out of the total.
	if want := wht93.Yuan(20*880+30*680+48*480+24*180) - 0; est.Estimate != want {
		t.Errorf("estimate %s, want %s", est.Estimate, want)
	}
	// Two charts built from one spec are the same to a store.
	if c.Fingerprint() != mustChart(t, spec).Fingerprint() {
		t.Error("fingerprint differs")
	}
	spec.Version = 2
	if c.Fingerprint() == mustChart(t, spec).Fingerprint() {
		t.Error("fingerprint ignores the version")
	}
}

func TestUnseatedChart(t *testing.T) {
	c := mustChart(t, inventory.ChartSpec{
		SessionID: "ga", Version: 1,
		Tiers:        []inventory.Tier{{ID: "GA", Name: "普通", Price: wht93.Yuan(100), Quantity: 5}, {ID: "VIP", Price: wht93.Yuan(300), Quantity: 2}},
		Types:        []inventory.Typing{{Type: inventory.StaffTicket, Selection: inventory.Selection{Tier: "GA", Quantity: 1}}},
		Reservations: []inventory.Reservation{{Name: "分销", Channel: "agent", Selection: inventory.Selection{Tier: "GA", Quantity: 2}}},
	})
	if c.Seated() || c.Len() != 7 {
		t.Fatalf("seated %v len %d", c.Seated(), c.Len())
	}
	if got := c.Label(3); got != "普通 第4张" {
		t.Errorf("label %q", got)
	}
	// GA places: 0–1 open, 2–3 the agent's, 4 staff.
	for id, want := range []bool{true, true, false, false, false, true, true} {
		if got := c.Allows(inventory.Access{Channel: "web"}, venue.SeatID(id)); got != want {
			t.Errorf("place %d open: %v", id, got)
		}
	}
	_, err := inventory.NewChart(inventory.ChartSpec{SessionID: "ga", Version: 1,
		Tiers:  []inventory.Tier{{ID: "GA", Quantity: 2}},
		Blocks: []inventory.Block{{Selection: inventory.Selection{Tier: "GA", Quantity: 3}}}})
	if !errors.Is(err, inventory.ErrSelection) {
		t.Errorf("blocking more places than the tier has: %v", err)
	}
	_, err = inventory.NewChart(inventory.ChartSpec{SessionID: "ga", Version: 1, Tiers: []inventory.Tier{{ID: "GA"}}})
	if !errors.Is(err, inventory.ErrTierQuantity) {
		t.Errorf("an unseated tier without capacity: %v", err)
	}
}
