package client_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

func fields(vs wht93.Violations) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Field+"="+v.Code())
	}
	sort.Strings(out)
	return out
}

// TestBadPayloadsSendNothing: every invalid request returns all its violations
// and nothing reaches the platform.
func TestBadPayloadsSendNothing(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	ctx := context.Background()
	dt := e.c.DateTime(time.Date(2024, 6, 1, 19, 0, 0, 0, wht93.CST))
	early := e.c.DateTime(time.Date(2024, 6, 1, 18, 0, 0, 0, wht93.CST))
	long := strings.Repeat("演", 51)
	code21 := "110101001012024060101"
	tooMany := seatedTickets("T", 201)
	cases := []struct {
		name string
		path string
		call func() error
		want []string
	}{
		{"venue list", client.PathVenueList, func() error {
			_, err := e.c.ListVenues(ctx, &client.VenueListRequest{PageNo: 0, PageSize: 201, VenueName: long, ProvinceID: 12})
			return err
		}, []string{"pageNo=client.field.range", "pageSize=client.field.range", "provinceId=client.field.code", "venueName=client.field.length"}},
		{"venue save, new venue", client.PathVenueSave, func() error {
			_, err := e.c.SaveVenue(ctx, &client.VenueSaveRequest{HasHall: 1, HasSeat: 1, SeatingCapacity: 5})
			return err
		}, []string{"cityId=client.field.required", "districtId=client.field.required", "hallName=client.field.required",
			"provinceId=client.field.required", "seatNum=client.field.range", "venueAddress=client.field.required", "venueName=client.field.required"}},
		{"venue save, enums", client.PathVenueSave, func() error {
			_, err := e.c.SaveVenue(ctx, &client.VenueSaveRequest{VenueCode: "12345678", HasHall: 2, HasSeat: 0})
			return err
		}, []string{"hasHall=client.field.enum", "seatingCapacity=client.field.range", "venueCode=codes.length"}},
		{"session codes", client.PathSessionCode, func() error {
			_, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "P", PerformanceName: "n", TypeID: 7001,
				SessionList: []client.SessionInfo{
					{SessionID: "s", SessionName: "n", HallCode: "1101010010", SessionStartTime: dt, SessionEndTime: early, HasSeat: 1, Tag: client.Int(3)},
					{SessionID: "s", SessionName: "n", HallCode: "110101001", SessionStartTime: "2024/06/01 19:00", SessionEndTime: dt, HasSeat: 0},
				}})
			return err
		}, []string{"sessionList[0].hallCode=codes.length", "sessionList[0].seatingChart=client.field.required",
			"sessionList[0].sessionEndTime=client.field.time_order", "sessionList[0].tag=client.field.enum",
			"sessionList[1].sessionId=client.batch.duplicate", "sessionList[1].sessionStartTime=client.field.datetime", "typeId=client.field.code"}},
		{"session codes, empty list", client.PathSessionCode, func() error {
			_, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{PerformanceID: "P", PerformanceName: "n", TypeID: 1001})
			return err
		}, []string{"sessionList=client.batch.empty"}},
		{"performance update", client.PathPerformanceUpdate, func() error {
			return e.c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{PosterURL: "https://x/" + strings.Repeat("a", 200)})
		}, []string{"performanceId=client.field.required", "posterUrl=client.field.length"}},
		{"session update", client.PathSessionUpdate, func() error {
			return e.c.UpdateSession(ctx, &client.UpdateSessionRequest{SessionID: "s", SessionCode: "11010100101202406010", SessionName: "n",
				SessionStartTime: dt, SessionEndTime: "", HallCode: "110101001", HasSeat: 1, PerformanceID: "p", SessionStatus: 3})
		}, []string{"hallCode=codes.length", "seatingChart=client.field.required", "sessionCode=codes.length",
			"sessionEndTime=client.field.required", "sessionStatus=client.field.enum"}},
		{"inventory", client.PathInventory, func() error {
			return e.c.ReportInventory(ctx, &client.ReportInventoryRequest{SessionCode: code21, PriceList: []client.PriceTier{
				{PerformanceID: "p", SessionID: "s", PriceID: "A", PriceName: "n", TicketPrice: -1, AvailableInventory: -2},
				{PerformanceID: "p", SessionID: "s", PriceID: "A"}}})
		}, []string{"priceList[0].availableInventory=client.field.range", "priceList[0].ticketPrice=client.field.range",
			"priceList[1].priceId=client.batch.duplicate", "priceList[1].priceName=client.field.required"}},
		{"tickets, 201", client.PathTicket, func() error {
			return e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: "p", SessionID: "s", SessionCode: code21, PriceID: "A", TicketList: tooMany})
		}, []string{"ticketList=client.batch.size"}},
		{"tickets, fields", client.PathTicket, func() error {
			return e.c.ReportTicket(ctx, &client.ReportTicketRequest{PerformanceID: "p", SessionID: "s", SessionCode: code21, PriceID: "A", TicketList: []client.TicketInfo{
				{TicketID: "1", AvailableSale: 1, FloorName: "1", AreaName: "A", RowName: "1", SeatNo: "1"},
				{TicketID: "2", AvailableSale: 3, FloorName: "1"},
				{TicketID: "3", AvailableSale: 1},
				{TicketID: "1", AvailableSale: 2, FloorName: "1", AreaName: "A", RowName: "1", SeatNo: "12345678901"},
			}})
		}, []string{"ticketList[1].availableSale=client.field.enum", "ticketList[1]=client.ticket.seat", "ticketList[2]=client.ticket.seat",
			"ticketList[3].seatNo=client.field.length", "ticketList[3].ticketId=client.batch.duplicate"}},
		{"order", client.PathOrder, func() error {
			return e.c.ReportOrder(ctx, &client.ReportOrderRequest{OrderID: "o", OrderTime: "2024-02-30 10:00:00", ChannelType: 3, ChannelName: strings.Repeat("渠", 31),
				TicketNum: 2, TotalAmount: 100, TicketType: 4, TicketMode: 0, AuthMode: 9, TicketOrderList: []client.TicketOrder{
					{TicketOrderID: "t", PerformanceID: "p", SessionID: "s", SessionCode: code21, PriceID: "A", TicketPrice: 100, TicketID: "1", TicketOrderAmount: -1}}})
		}, []string{"authMode=client.field.enum", "channelName=client.field.length", "channelType=client.field.enum", "orderTime=client.field.datetime",
			"ticketMode=client.field.enum", "ticketNum=client.order.ticket_num", "ticketOrderList[0].ticketOrderAmount=client.field.range", "ticketType=client.field.enum"}},
		{"refund", client.PathRefundOrder, func() error {
			return e.c.ReportRefund(ctx, &client.ReportRefundRequest{RefundOrderID: "r", OrderID: "o", TicketOrderList: []client.RefundTicket{{SessionCode: "1"}}})
		}, []string{"reason=client.field.required", "refundOrderTime=client.field.required", "ticketOrderList[0].sessionCode=codes.length",
			"ticketOrderList[0].ticketOrderId=client.field.required"}},
		{"checking", client.PathChecking, func() error {
			return e.c.ReportChecking(ctx, &client.ReportCheckingRequest{TicketList: []client.Checkin{{TicketID: "t", SessionID: "s", PriceID: "p",
				SessionCode: code21, CheckingTime: dt, CheckingType: 4, AuthType: 0}}})
		}, []string{"ticketList[0].authType=client.field.enum", "ticketList[0].checkingType=client.field.enum"}},
		{"nil request", client.PathTicket, func() error { return e.c.ReportTicket(ctx, nil) }, []string{"/report/ticket=client.request.nil"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			vs := wht93.ViolationsOf(err)
			if got := fields(vs); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("violations\n got %v\nwant %v\n err %v", got, tc.want, err)
			}
			if client.Classify(err) != client.Permanent {
				t.Fatalf("class %v", client.Classify(err))
			}
			if n := e.sim.Calls(tc.path); n != 0 {
				t.Fatalf("%d calls reached %s", n, tc.path)
			}
		})
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 0 {
		t.Fatalf("an invalid request fetched a token (%d calls)", n)
	}
}

func TestReportOrdersLimit(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	orders := make([]client.ReportOrderRequest, 21)
	err := e.c.ReportOrders(context.Background(), orders)
	vs := wht93.ViolationsOf(err)
	if !vs.Has(client.ErrBatchSize) || !errors.Is(err, client.ErrRequired) {
		t.Fatalf("err = %v", err)
	}
	if vs[0].Field != "orders" || !strings.HasPrefix(vs[1].Field, "orders[0].") {
		t.Fatalf("fields %v", fields(vs))
	}
	if e.sim.Calls(client.PathOrder) != 0 {
		t.Fatal("sent")
	}
}

func TestViolationMessagesAreBilingual(t *testing.T) {
	r := client.ReportTicketRequest{PerformanceID: "p", SessionID: "s", SessionCode: "x", PriceID: "A",
		TicketList: []client.TicketInfo{{TicketID: "1", AvailableSale: 1}}}
	err := r.Validate(client.DefaultFormat()).Err()
	want := `sessionCode: 演出场次编码应为21位数字，实为1位 / session code must be 21 digits, got 1 characters: "x"; ` +
		`sessionCode: 第1位'x'不是数字 / character 1 'x' is not a digit: "x"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestFormat(t *testing.T) {
	f := client.DefaultFormat()
	at := time.Date(2024, 6, 1, 11, 30, 5, 0, time.UTC) // 19:30:05 in UTC+8
	if got := f.DateTime(at); got != "2024-06-01 19:30:05" {
		t.Fatal(got)
	}
	back, err := f.Parse("2024-06-01 19:30:05")
	if err != nil || !back.Equal(at) {
		t.Fatal(back, err)
	}
	for _, bad := range []client.DateTime{"2024-02-30 10:00:00", "2024-06-01T19:30:05", "2024-6-1 19:30:05", ""} {
		if _, err := f.Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	other := client.Format{Layout: "2006/01/02 15:04", Location: time.UTC}
	if got := other.DateTime(at); got != "2024/06/01 11:30" {
		t.Fatal(got)
	}
}
