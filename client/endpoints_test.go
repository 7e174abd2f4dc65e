package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/codes"
)

func TestEveryEndpointGood(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	ctx := context.Background()

	types, err := e.c.PerformanceTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(types) != len(platformsim.StandardTypes()) || types[0].TypeID != 10 || types[0].ParentTypeID.Valid {
		t.Fatalf("types = %+v", types[:2])
	}

	saved, err := e.c.SaveVenue(ctx, &client.VenueSaveRequest{ProvinceID: 420000, CityID: 420100, DistrictID: 420106,
		VenueName: "武昌新剧场", VenueAddress: "湖北省武汉市武昌区中山路1号", HasHall: client.HasHall, HallName: "一号厅",
		HasSeat: client.Seated, SeatNum: 800})
	if err != nil {
		t.Fatal(err)
	}
	if saved.VenueCode != "420106001" || saved.HallCode != "42010600101" {
		t.Fatalf("saved = %+v", saved)
	}
	if _, err := codes.ParseHallCode(saved.HallCode); err != nil {
		t.Fatalf("hall code %s: %v", saved.HallCode, err)
	}

	s := e.reportShow(t, "PERF-1")
	for _, code := range []string{s.seatedCode, s.standCode} {
		sc, err := codes.ParseSessionCode(code)
		if err != nil {
			t.Fatalf("session code %s: %v", code, err)
		}
		_ = sc
	}
	if s.seatedCode != s.seatedHall+"2024060101" || s.standCode != s.standHall+"2024060101" {
		t.Fatalf("codes %s %s for halls %s %s", s.seatedCode, s.standCode, s.seatedHall, s.standHall)
	}

	if err := e.c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{PerformanceID: s.perfID, Performer: "甲,乙"}); err != nil {
		t.Fatal(err)
	}
	dt := func(h int) client.DateTime { return e.c.DateTime(time.Date(2024, 6, 1, h, 0, 0, 0, wht93.CST)) }
	if err := e.c.UpdateSession(ctx, &client.UpdateSessionRequest{SessionID: s.seatedID, SessionCode: s.seatedCode,
		SessionName: "首演（改期）", SessionStartTime: dt(20), SessionEndTime: dt(22), HallCode: s.seatedHall,
		HasSeat: client.Seated, PerformanceID: s.perfID, SessionStatus: client.SessionNormal,
		SeatingChart: "https://example.cn/chart/1.png"}); err != nil {
		t.Fatal(err)
	}
	tickets := seatedTickets("T", 200)
	if err := e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID,
		SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketList: tickets}); err != nil {
		t.Fatal(err)
	}
	if err := e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.unseatedID,
		SessionCode: s.standCode, PriceID: s.standTier,
		TicketList: []client.TicketInfo{{TicketID: "U-1", AvailableSale: client.Sellable}}}); err != nil {
		t.Fatal(err)
	}
	order := client.ReportOrderRequest{OrderID: "O-1", OrderTime: dt(10), ChannelType: client.ChannelOwn, ChannelName: "官网",
		TicketNum: 2, TotalAmount: 76000, TicketType: client.TicketNormal, TicketMode: client.ModeElectronic, AuthMode: client.AuthPerTicket,
		TicketOrderList: []client.TicketOrder{
			{TicketOrderID: "O-1-1", PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketPrice: 38000, TicketID: "T-1", TicketOrderAmount: 38000},
			{TicketOrderID: "O-1-2", PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketPrice: 38000, TicketID: "T-2", TicketOrderAmount: 38000},
		}}
	order2 := order
	order2.OrderID, order2.TicketNum, order2.TotalAmount = "O-2", 1, 38000
	order2.TicketOrderList = []client.TicketOrder{{TicketOrderID: "O-2-1", PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketPrice: 38000, TicketID: "T-3", TicketOrderAmount: 38000}}
	if err := e.c.ReportOrders(ctx, []client.ReportOrderRequest{order, order2}); err != nil {
		t.Fatal(err)
	}
	if err := e.c.ReportRefund(ctx, &client.ReportRefundRequest{RefundOrderID: "R-1", OrderID: "O-1", Reason: "行程变更",
		RefundOrderTime: dt(12), TicketOrderList: []client.RefundTicket{{TicketOrderID: "O-1-2", SessionCode: s.seatedCode, TicketID: "T-2", RefundAmount: 34200}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.c.ReportChecking(ctx, &client.ReportCheckingRequest{TicketList: []client.Checkin{
		{TicketID: "T-1", SessionID: s.seatedID, PriceID: s.seatedTier, SessionCode: s.seatedCode, CheckingTime: dt(19), CheckingType: client.CheckQR, AuthType: client.CheckedReal}}}); err != nil {
		t.Fatal(err)
	}

	// What the simulator kept.
	c := e.sim.Counts()
	if c.Performances != 1 || c.Sessions != 2 || c.Tiers != 2 || c.Tickets != 201 || c.Orders != 2 || c.Refunds != 1 || c.Checkins != 1 {
		t.Fatalf("counts = %+v", c)
	}
	p, _ := e.sim.Performance(s.perfID)
	if p.Performer != "甲,乙" || p.Arrivals != 2 || p.TypeID != 1001 {
		t.Fatalf("performance = %+v", p)
	}
	ss, _ := e.sim.Session(s.seatedID)
	if ss.Session.SessionName != "首演（改期）" || ss.Arrivals != 2 || ss.SessionCode != s.seatedCode {
		t.Fatalf("session = %+v", ss)
	}
	tk, ok := e.sim.Ticket(s.seatedCode, "T-200")
	if !ok || tk.Ticket.RowName != "5排" || tk.Arrivals != 1 {
		t.Fatalf("ticket = %+v", tk)
	}
	o, _ := e.sim.Order("O-1")
	if o.Order.TotalAmount != 76000 || o.Order.AccessToken != "" || len(o.Order.TicketOrderList) != 2 {
		t.Fatalf("order = %+v", o)
	}
	r, _ := e.sim.Refund("R-1")
	if r.Refund.TicketOrderList[0].RefundAmount != 34200 {
		t.Fatalf("refund = %+v", r)
	}
	if got := e.sim.Checkins(s.seatedCode); len(got) != 1 || got[0].Checkin.TicketID != "T-1" {
		t.Fatalf("checkins = %+v", got)
	}
	// Re-sending is an upsert: arrivals count, records do not multiply.
	if err := e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID,
		SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketList: tickets[:10]}); err != nil {
		t.Fatal(err)
	}
	if tk, _ := e.sim.Ticket(s.seatedCode, "T-1"); tk.Arrivals != 2 || e.sim.Counts().Tickets != 201 {
		t.Fatalf("after resend: %+v, %+v", tk, e.sim.Counts())
	}
	if got := e.sim.Calls(client.PathAccessToken); got != 1 {
		t.Fatalf("%d token calls, want 1", got)
	}
}

func TestSessionCodesNumberSessionsOfTheDay(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	ctx := context.Background()
	venues, err := e.c.AllVenues(ctx, client.VenueListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	hall := hallOf(t, venues, true)
	var list []client.SessionInfo
	for i, h := range []int{10, 14, 19} {
		start := time.Date(2024, 12, 31, h, 0, 0, 0, wht93.CST)
		list = append(list, client.SessionInfo{SessionID: string(rune('a' + i)), SessionName: "场次", HallCode: hall,
			SessionStartTime: e.c.DateTime(start), SessionEndTime: e.c.DateTime(start.Add(2 * time.Hour)),
			HasSeat: client.Seated, SeatingChart: "https://example.cn/c.png"})
	}
	got, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "P", PerformanceName: "跨年音乐会", TypeID: 2001, SessionList: list})
	if err != nil {
		t.Fatal(err)
	}
	want := client.SessionCodes{"a": hall + "2024123101", "b": hall + "2024123102", "c": hall + "2024123103"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	// Asking again gives the same codes; a new session that day is number 04.
	list = append(list, list[0])
	list[3].SessionID = "d"
	got, err = e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "P", PerformanceName: "跨年音乐会", TypeID: 2001, SessionList: list})
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != want["a"] || got["d"] != hall+"2024123104" {
		t.Fatalf("again: %v", got)
	}
}

func TestVenuePaging(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	ctx := context.Background()
	for i := range 450 {
		if _, err := e.sim.AddVenue(platformsim.VenueSeed{DistrictID: 110105, Name: "朝阳小剧场" + string(rune('0'+i%10)),
			Halls: []platformsim.HallSeed{{Name: "厅", Seats: 100}}}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.c.AllVenues(ctx, client.VenueListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(platformsim.StandardVenues()) + 450; len(all) != want {
		t.Fatalf("%d venues, want %d", len(all), want)
	}
	if n := e.sim.Calls(client.PathVenueList); n != 3 {
		t.Fatalf("%d pages fetched, want 3", n)
	}
	seen := map[string]bool{}
	for _, v := range all {
		if seen[v.VenueCode] {
			t.Fatalf("venue %s twice", v.VenueCode)
		}
		seen[v.VenueCode] = true
	}
	// A filtered pull, and breaking out of the iterator early.
	bj, err := e.c.AllVenues(ctx, client.VenueListRequest{DistrictID: 110101})
	if err != nil || len(bj) != 1 || bj[0].VenueCode != "110101001" || bj[0].CityID != 110100 {
		t.Fatalf("filtered: %v %+v", err, bj)
	}
	n := 0
	for _, err := range e.c.Venues(ctx, client.VenueListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 5 {
			break
		}
	}
	if n != 5 {
		t.Fatal(n)
	}
}

func TestPlatformRefusesInconsistentData(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	ctx := context.Background()
	s := e.reportShow(t, "PERF-X")
	cases := []struct {
		name string
		call func() error
	}{
		{"unknown session code", func() error {
			return e.c.ReportInventory(ctx, &client.ReportInventoryRequest{SessionCode: s.seatedHall + "2030010101",
				PriceList: []client.PriceTier{{PerformanceID: s.perfID, SessionID: s.seatedID, PriceID: "p", PriceName: "p", TicketPrice: 1}}})
		}},
		{"seated session without seats", func() error {
			return e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID,
				SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketList: []client.TicketInfo{{TicketID: "x", AvailableSale: 1}}})
		}},
		{"unreported price tier", func() error {
			return e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.unseatedID,
				SessionCode: s.standCode, PriceID: "nope", TicketList: []client.TicketInfo{{TicketID: "x", AvailableSale: 1}}})
		}},
		{"refund before order", func() error {
			return e.c.ReportRefund(ctx, &client.ReportRefundRequest{RefundOrderID: "R", OrderID: "missing", Reason: "r",
				RefundOrderTime: e.c.DateTime(time.Now()), TicketOrderList: []client.RefundTicket{{TicketOrderID: "t", SessionCode: s.seatedCode, RefundAmount: 1}}})
		}},
		{"check-in of an unreported ticket", func() error {
			return e.c.ReportChecking(ctx, &client.ReportCheckingRequest{TicketList: []client.Checkin{{TicketID: "ghost",
				SessionID: s.seatedID, PriceID: s.seatedTier, SessionCode: s.seatedCode, CheckingTime: e.c.DateTime(time.Now()), CheckingType: 1, AuthType: 1}}})
		}},
		{"hall not in the list", func() error {
			_, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "P2", PerformanceName: "x", TypeID: 1001,
				SessionList: []client.SessionInfo{{SessionID: "z", SessionName: "z", HallCode: "11010199999", HasSeat: 0,
					SessionStartTime: e.c.DateTime(time.Now()), SessionEndTime: e.c.DateTime(time.Now().Add(time.Hour))}}})
			return err
		}},
		{"seat sold twice", func() error {
			a := seatedTickets("A", 1)
			b := seatedTickets("B", 1)
			if err := e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketList: a}); err != nil {
				return nil
			}
			return e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketList: b})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ce *client.Error
			if !errors.As(err, &ce) || ce.Code != client.CodeInvalidParams || !errors.Is(err, client.ErrInvalidParams) {
				t.Fatalf("err = %v, want a 4000 *client.Error", err)
			}
			if client.Classify(err) != client.Permanent || ce.Msg == "" || ce.Attempts != 1 {
				t.Fatalf("class %v, msg %q, attempts %d", client.Classify(err), ce.Msg, ce.Attempts)
			}
		})
	}
}
