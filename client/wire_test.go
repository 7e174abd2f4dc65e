package client_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/piaowu/wht93/client"
)

func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(s ...string) []string { sort.Strings(s); return s }

// TestWireNamesAreTheTables: every field of every request and answer, filled
// in, marshals under exactly the names of its table in Appendix A.
func TestWireNamesAreTheTables(t *testing.T) {
	tag := client.Int(1)
	cases := []struct {
		table string
		v     any
		want  []string
	}{
		{"A.4", client.AccessTokenRequest{AppID: "a", Secret: "s"}, sorted("appId", "secret")},
		{"A.5", client.AccessTokenResponse{AccessToken: "t", ExpiresIn: 1}, sorted("accessToken", "expiresIn")},
		{"A.8", client.PerformanceType{TypeID: 1001, TypeName: "话剧", ParentTypeID: client.NullInt{Int: 10, Valid: true}, Level: 2},
			sorted("typeId", "typeName", "parentTypeId", "level")},
		{"A.10", client.VenueListRequest{AccessToken: "t", ProvinceID: 1, CityID: 1, DistrictID: 1, PageNo: 1, PageSize: 1, VenueName: "n"},
			sorted("accessToken", "provinceId", "cityId", "districtId", "pageNo", "pageSize", "venueName")},
		{"A.11", client.Venue{VenueCode: "v", VenueName: "n", HallNum: 1, ProvinceID: 1, CityID: 1, DistrictID: 1, VenueAddress: "a",
			VenueType: "t", ManagementCompany: "m", HallList: client.HallList{{}}},
			sorted("venueCode", "venueName", "hallNum", "provinceId", "cityId", "districtId", "venueAddress", "venueType", "managementCompany", "hallList")},
		{"A.11 hallList", client.Hall{HallName: "n", HallCode: "c", HasSeat: 1, SeatNum: 1, SeatingCapacity: 1, ManagementStatus: 1, EnableState: 1},
			sorted("hallName", "hallCode", "hasSeat", "seatNum", "seatingCapacity", "managementStatus", "enableState")},
		{"A.13", client.VenueSaveRequest{AccessToken: "t", VenueCode: "v", ProvinceID: 1, CityID: 1, DistrictID: 1, VenueName: "n",
			VenueAddress: "a", HasHall: 1, HallName: "h", HasSeat: 1, SeatNum: 1, SeatingCapacity: 1},
			sorted("accessToken", "venueCode", "provinceId", "cityId", "districtId", "venueName", "venueAddress", "hasHall", "hallName", "hasSeat", "seatNum", "seatingCapacity")},
		{"A.14", client.VenueSaveResponse{VenueCode: "v", HallCode: "h"}, sorted("venueCode", "hallCode")},
		{"A.16", client.SessionCodeRequest{AccessToken: "t", PerformanceID: "p", PerformanceName: "n", Approval: "a", TypeID: 1, PosterURL: "u",
			PerformanceDesc: "d", Sponsor: "s", Performer: "p", SessionList: []client.SessionInfo{{}}},
			sorted("accessToken", "performanceId", "performanceName", "approval", "typeId", "posterUrl", "performanceDesc", "sponsor", "performer", "sessionList")},
		{"A.16 sessionList", client.SessionInfo{SessionID: "s", SessionName: "n", HallCode: "h", SessionStartTime: "x", SessionEndTime: "y",
			SeatingChart: "c", HasSeat: 1, Tag: tag},
			sorted("sessionId", "sessionName", "hallCode", "sessionStartTime", "sessionEndTime", "seatingChart", "hasSeat", "tag")},
		{"A.19", client.UpdatePerformanceRequest{AccessToken: "t", PerformanceID: "p", PerformanceName: "n", PerformanceDesc: "d", TypeID: 1,
			PosterURL: "u", Sponsor: "s", Performer: "p", Approval: "a"},
			sorted("accessToken", "performanceId", "performanceName", "performanceDesc", "typeId", "posterUrl", "sponsor", "performer", "approval")},
		{"A.22", client.UpdateSessionRequest{AccessToken: "t", SessionID: "s", SessionCode: "c", SessionName: "n", SessionStartTime: "x",
			SessionEndTime: "y", HallCode: "h", HasSeat: 1, PerformanceID: "p", SessionStatus: 1, Tag: tag, SeatingChart: "c"},
			sorted("accessToken", "sessionId", "sessionCode", "sessionName", "sessionStartTime", "sessionEndTime", "hallCode", "hasSeat", "performanceId", "sessionStatus", "tag", "seatingChart")},
		{"A.25", client.ReportInventoryRequest{AccessToken: "t", SessionCode: "c", PriceList: []client.PriceTier{{}}},
			sorted("accessToken", "sessionCode", "priceList")},
		{"A.25 priceList", client.PriceTier{}, sorted("performanceId", "sessionId", "priceId", "priceName", "ticketPrice", "availableInventory", "unavailableInventory")},
		{"A.28", client.ReportTicketRequest{AccessToken: "t", PerformanceID: "p", SessionID: "s", SessionCode: "c", PriceID: "p", TicketList: []client.TicketInfo{{}}},
			sorted("accessToken", "performanceId", "sessionId", "sessionCode", "priceId", "ticketList")},
		{"A.28 ticketList", client.TicketInfo{TicketID: "t", AvailableSale: 1, FloorName: "f", AreaName: "a", RowName: "r", SeatNo: "s"},
			sorted("ticketId", "availableSale", "floorName", "areaName", "rowName", "seatNo")},
		{"A.31", client.ReportOrderRequest{AccessToken: "t", TicketOrderList: []client.TicketOrder{{}}},
			sorted("accessToken", "orderId", "orderTime", "channelType", "channelName", "ticketNum", "totalAmount", "ticketType", "ticketMode", "authMode", "ticketOrderList")},
		{"A.31 ticketOrderList", client.TicketOrder{},
			sorted("ticketOrderId", "performanceId", "sessionId", "sessionCode", "priceId", "ticketPrice", "ticketId", "ticketOrderAmount")},
		{"A.34", client.ReportRefundRequest{AccessToken: "t", TicketOrderList: []client.RefundTicket{{}}},
			sorted("accessToken", "refundOrderId", "orderId", "reason", "refundOrderTime", "ticketOrderList")},
		{"A.34 ticketOrderList", client.RefundTicket{TicketID: "t"}, sorted("ticketOrderId", "sessionCode", "ticketId", "refundAmount")},
		{"A.37", client.ReportCheckingRequest{AccessToken: "t"}, sorted("accessToken", "ticketList")},
		{"A.37 ticketList", client.Checkin{}, sorted("ticketId", "sessionId", "priceId", "sessionCode", "checkingTime", "checkingType", "authType")},
	}
	for _, tc := range cases {
		if got := jsonKeys(t, tc.v); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("table %s:\n got %v\nwant %v", tc.table, got, tc.want)
		}
	}
}

func TestMoneyIsIntegerFen(t *testing.T) {
	b, _ := json.Marshal(client.PriceTier{TicketPrice: 38050})
	if !json.Valid(b) || !contains(string(b), `"ticketPrice":38050`) {
		t.Fatal(string(b))
	}
}

func TestLenientDecoding(t *testing.T) {
	var v client.Venue
	// hallList as "JSON text": a string holding the array.
	if err := json.Unmarshal([]byte(`{"venueCode":"110101001","hallList":"[{\"hallCode\":\"11010100101\",\"hasSeat\":1,\"seatNum\":100}]"}`), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.HallList) != 1 || v.HallList[0].SeatNum != 100 {
		t.Fatalf("%+v", v)
	}
	for in, want := range map[string]client.NullInt{`null`: {}, `""`: {}, `10`: {Int: 10, Valid: true}, `"20"`: {Int: 20, Valid: true}} {
		var n client.NullInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != want {
			t.Errorf("%s: %+v %v", in, n, err)
		}
	}
	var n client.NullInt
	if err := json.Unmarshal([]byte(`"ten"`), &n); err == nil {
		t.Error("ten accepted")
	}
	var h client.HallList
	if err := json.Unmarshal([]byte(`"[oops"`), &h); err == nil {
		t.Error("broken hallList accepted")
	}
}
