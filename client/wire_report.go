package client

import (
	"strconv"

	"github.com/piaowu/wht93"
)

// SessionInfo is one entry of the sessionList of /performance/code (table A.16).
type SessionInfo struct {
	SessionID   string `json:"sessionId"`
	SessionName string `json:"sessionName"`
	// HallCode is an 11-digit hall code, or a 9-digit venue code (accepted too).
	HallCode         string   `json:"hallCode"`
	SessionStartTime DateTime `json:"sessionStartTime"`
	SessionEndTime   DateTime `json:"sessionEndTime"`
	// SeatingChart is the URL of the seating chart, required when HasSeat is Seated.
	SeatingChart string `json:"seatingChart,omitempty"`
	HasSeat      int    `json:"hasSeat"`
	// Tag is TagProduction or TagTest; nil sends nothing.
	Tag *int `json:"tag,omitempty"`
}

func (s *SessionInfo) validate(c *checker, hallKind string) {
	c.str("sessionId", s.SessionID, 50, true)
	c.str("sessionName", s.SessionName, 50, true)
	c.code("hallCode", s.HallCode, true, hallKind)
	sessionTimes(c, s.SessionStartTime, s.SessionEndTime)
	c.enum("hasSeat", s.HasSeat, Unseated, Seated)
	c.str("seatingChart", s.SeatingChart, 200, s.HasSeat == Seated)
	if s.Tag != nil {
		c.enum("tag", *s.Tag, TagProduction, TagTest)
	}
}

func sessionTimes(c *checker, start, end DateTime) {
	n := len(c.vs)
	c.f.check(&c.vs, "sessionStartTime", start)
	c.f.check(&c.vs, "sessionEndTime", end)
	if len(c.vs) == n {
		s, _ := c.f.Parse(start)
		e, _ := c.f.Parse(end)
		if e.Before(s) {
			c.vs = append(c.vs, ErrTimeOrder.At("sessionEndTime", string(end)))
		}
	}
}

// SessionCodeRequest is the body of /performance/code (table A.16): a performance
// and its sessions, answered with a session code per session.
type SessionCodeRequest struct {
	AccessToken     string `json:"accessToken"`
	PerformanceID   string `json:"performanceId"`
	PerformanceName string `json:"performanceName"`
	// Approval is the approval document number (演出批文号), required when the
	// show has one.
	Approval        string        `json:"approval,omitempty"`
	TypeID          int           `json:"typeId"`
	PosterURL       string        `json:"posterUrl,omitempty"`
	PerformanceDesc string        `json:"performanceDesc,omitempty"`
	Sponsor         string        `json:"sponsor,omitempty"`
	Performer       string        `json:"performer,omitempty"`
	SessionList     []SessionInfo `json:"sessionList"`
}

// Validate checks the request against table A.16.
func (r *SessionCodeRequest) Validate(f Format) wht93.Violations {
	c := checker{f: f}
	c.str("performanceId", r.PerformanceID, 50, true)
	c.str("performanceName", r.PerformanceName, 100, true)
	c.str("approval", r.Approval, 50, false)
	c.typeID("typeId", r.TypeID, true)
	c.str("posterUrl", r.PosterURL, 512, false)
	c.str("performanceDesc", r.PerformanceDesc, 10000, false)
	c.str("sponsor", r.Sponsor, 200, false)
	c.str("performer", r.Performer, 200, false)
	c.batch("sessionList", len(r.SessionList), 0)
	seen := map[string]int{}
	for i := range r.SessionList {
		s := &r.SessionList[i]
		sc := checker{f: f}
		s.validate(&sc, "hall|venue")
		sc.unique(seen, "sessionId", s.SessionID)
		c.nested("sessionList", i, sc.vs)
	}
	return c.vs
}

// SessionCodes is the data of /performance/code (table A.17): each sessionId
// mapped to the session code the platform gave it.
type SessionCodes map[string]string

// UpdatePerformanceRequest is the body of /report/performance/update (table A.19).
type UpdatePerformanceRequest struct {
	AccessToken     string `json:"accessToken"`
	PerformanceID   string `json:"performanceId"`
	PerformanceName string `json:"performanceName,omitempty"`
	PerformanceDesc string `json:"performanceDesc,omitempty"`
	TypeID          int    `json:"typeId,omitempty"`
	PosterURL       string `json:"posterUrl,omitempty"`
	Sponsor         string `json:"sponsor,omitempty"`
	Performer       string `json:"performer,omitempty"`
	Approval        string `json:"approval,omitempty"`
}

// Validate checks the request against table A.19.
func (r *UpdatePerformanceRequest) Validate(Format) wht93.Violations {
	var c checker
	c.str("performanceId", r.PerformanceID, 50, true)
	c.str("performanceName", r.PerformanceName, 100, false)
	c.str("performanceDesc", r.PerformanceDesc, 10000, false)
	c.typeID("typeId", r.TypeID, false)
	c.str("posterUrl", r.PosterURL, 200, false)
	c.str("sponsor", r.Sponsor, 200, false)
	c.str("performer", r.Performer, 200, false)
	c.str("approval", r.Approval, 50, false)
	return c.vs
}

// UpdateSessionRequest is the body of /report/session/update (table A.22).
type UpdateSessionRequest struct {
	AccessToken      string   `json:"accessToken"`
	SessionID        string   `json:"sessionId"`
	SessionCode      string   `json:"sessionCode"`
	SessionName      string   `json:"sessionName"`
	SessionStartTime DateTime `json:"sessionStartTime"`
	SessionEndTime   DateTime `json:"sessionEndTime"`
	HallCode         string   `json:"hallCode"`
	HasSeat          int      `json:"hasSeat"`
	PerformanceID    string   `json:"performanceId"`
	SessionStatus    int      `json:"sessionStatus"`
	Tag              *int     `json:"tag,omitempty"`
	SeatingChart     string   `json:"seatingChart,omitempty"`
}

// Validate checks the request against table A.22.
func (r *UpdateSessionRequest) Validate(f Format) wht93.Violations {
	c := checker{f: f}
	c.str("sessionId", r.SessionID, 50, true)
	c.code("sessionCode", r.SessionCode, true, "session")
	c.str("sessionName", r.SessionName, 50, true)
	sessionTimes(&c, r.SessionStartTime, r.SessionEndTime)
	c.code("hallCode", r.HallCode, true, "hall")
	c.enum("hasSeat", r.HasSeat, Unseated, Seated)
	c.str("performanceId", r.PerformanceID, 50, true)
	c.enum("sessionStatus", r.SessionStatus, SessionNormal, SessionCancelled)
	if r.Tag != nil {
		c.enum("tag", *r.Tag, TagProduction, TagTest)
	}
	c.str("seatingChart", r.SeatingChart, 200, r.HasSeat == Seated)
	return c.vs
}

// PriceTier is one entry of the priceList of /report/inventory (table A.25).
type PriceTier struct {
	PerformanceID        string    `json:"performanceId"`
	SessionID            string    `json:"sessionId"`
	PriceID              string    `json:"priceId"`
	PriceName            string    `json:"priceName"`
	TicketPrice          wht93.Fen `json:"ticketPrice"`
	AvailableInventory   int       `json:"availableInventory"`
	UnavailableInventory int       `json:"unavailableInventory"`
}

// ReportInventoryRequest is the body of /report/inventory (table A.25): price
// tiers of one session, created or updated.
type ReportInventoryRequest struct {
	AccessToken string      `json:"accessToken"`
	SessionCode string      `json:"sessionCode"`
	PriceList   []PriceTier `json:"priceList"`
}

// Validate checks the request against table A.25.
func (r *ReportInventoryRequest) Validate(Format) wht93.Violations {
	var c checker
	c.code("sessionCode", r.SessionCode, true, "session")
	c.batch("priceList", len(r.PriceList), 0)
	seen := map[string]int{}
	for i, p := range r.PriceList {
		var pc checker
		pc.str("performanceId", p.PerformanceID, 50, true)
		pc.str("sessionId", p.SessionID, 50, true)
		pc.str("priceId", p.PriceID, 50, true)
		pc.unique(seen, "priceId", p.PriceID)
		pc.str("priceName", p.PriceName, 100, true)
		pc.min("ticketPrice", int64(p.TicketPrice), 0)
		pc.min("availableInventory", int64(p.AvailableInventory), 0)
		pc.min("unavailableInventory", int64(p.UnavailableInventory), 0)
		c.nested("priceList", i, pc.vs)
	}
	return c.vs
}

// TicketInfo is one entry of the ticketList of /report/ticket (table A.28). The
// four seat fields are required for seated sessions.
type TicketInfo struct {
	TicketID      string `json:"ticketId"`
	AvailableSale int    `json:"availableSale"`
	FloorName     string `json:"floorName,omitempty"`
	AreaName      string `json:"areaName,omitempty"`
	RowName       string `json:"rowName,omitempty"`
	SeatNo        string `json:"seatNo,omitempty"`
}

// Seated reports whether any seat field is set.
func (t *TicketInfo) Seated() bool {
	return t.FloorName != "" || t.AreaName != "" || t.RowName != "" || t.SeatNo != ""
}

func (t *TicketInfo) fullSeat() bool {
	return t.FloorName != "" && t.AreaName != "" && t.RowName != "" && t.SeatNo != ""
}

// ReportTicketRequest is the body of /report/ticket (table A.28): at most 200
// tickets of one session and one price tier, created or updated.
type ReportTicketRequest struct {
	AccessToken   string       `json:"accessToken"`
	PerformanceID string       `json:"performanceId"`
	SessionID     string       `json:"sessionId"`
	SessionCode   string       `json:"sessionCode"`
	PriceID       string       `json:"priceId"`
	TicketList    []TicketInfo `json:"ticketList"`
}

// Validate checks the request against table A.28. Whether the session is seated is
// not in the request; the client checks that the seat fields of each ticket are all
// present or all absent and that the batch is uniform, and [ReportTicketRequest.ValidateSeated]
// checks them against a known seating.
func (r *ReportTicketRequest) Validate(Format) wht93.Violations {
	var c checker
	c.str("performanceId", r.PerformanceID, 50, true)
	c.str("sessionId", r.SessionID, 50, true)
	c.code("sessionCode", r.SessionCode, true, "session")
	c.str("priceId", r.PriceID, 50, true)
	c.batch("ticketList", len(r.TicketList), MaxTicketsPerCall)
	seen := map[string]int{}
	first := -1 // the first ticket whose seat fields are complete or absent
	for i := range r.TicketList {
		t := &r.TicketList[i]
		var tc checker
		tc.str("ticketId", t.TicketID, 50, true)
		tc.unique(seen, "ticketId", t.TicketID)
		tc.enum("availableSale", t.AvailableSale, Sellable, NotSellable)
		tc.str("floorName", t.FloorName, 10, false)
		tc.str("areaName", t.AreaName, 10, false)
		tc.str("rowName", t.RowName, 10, false)
		tc.str("seatNo", t.SeatNo, 10, false)
		switch {
		case t.Seated() && !t.fullSeat():
			tc.vs = append(tc.vs, ErrSeatFields.At("", t.TicketID))
		case first < 0:
			first = i
		case r.TicketList[first].Seated() != t.Seated():
			tc.vs = append(tc.vs, ErrSeatFields.Atf("", t.TicketID,
				"座位信息有无与 "+idx("ticketList", first)+" 不一致",
				"seat fields present or absent unlike "+idx("ticketList", first)))
		}
		c.nested("ticketList", i, tc.vs)
	}
	return c.vs
}

// ValidateSeated checks, on top of Validate, the seat fields against whether the
// session is seated: required for a seated session ("有座必传"), absent otherwise.
func (r *ReportTicketRequest) ValidateSeated(f Format, seated bool) wht93.Violations {
	vs := r.Validate(f)
	for i := range r.TicketList {
		t := &r.TicketList[i]
		if seated && !t.fullSeat() {
			vs = append(vs, ErrRequired.Atf(idx("ticketList", i)+".seatNo", t.TicketID,
				"有座场次必须填写楼层、区域、排、座", "a seated session needs floor, area, row and seat"))
		}
		if !seated && t.Seated() {
			vs = append(vs, ErrSeatFields.Atf(idx("ticketList", i), t.TicketID,
				"无座场次不应填写座位信息", "an unseated session has no seat fields"))
		}
	}
	return vs
}

// TicketOrder is one sub-order (票单) of /report/order (table A.31); a sub-order
// and a ticket are 1:1.
type TicketOrder struct {
	TicketOrderID     string    `json:"ticketOrderId"`
	PerformanceID     string    `json:"performanceId"`
	SessionID         string    `json:"sessionId"`
	SessionCode       string    `json:"sessionCode"`
	PriceID           string    `json:"priceId"`
	TicketPrice       wht93.Fen `json:"ticketPrice"`
	TicketID          string    `json:"ticketId"`
	TicketOrderAmount wht93.Fen `json:"ticketOrderAmount"`
}

// ReportOrderRequest is the body of /report/order (table A.31): one order in the
// table's literal shape (see spec/appendix-a.md on the "20 orders" ambiguity;
// [Client.ReportOrders] sends up to 20 of them in one step).
type ReportOrderRequest struct {
	AccessToken     string        `json:"accessToken"`
	OrderID         string        `json:"orderId"`
	OrderTime       DateTime      `json:"orderTime"`
	ChannelType     int           `json:"channelType"`
	ChannelName     string        `json:"channelName"`
	TicketNum       int           `json:"ticketNum"`
	TotalAmount     wht93.Fen     `json:"totalAmount"`
	TicketType      int           `json:"ticketType"`
	TicketMode      int           `json:"ticketMode"`
	AuthMode        int           `json:"authMode"`
	TicketOrderList []TicketOrder `json:"ticketOrderList"`
}

// Validate checks the request against table A.31.
func (r *ReportOrderRequest) Validate(f Format) wht93.Violations {
	c := checker{f: f}
	c.str("orderId", r.OrderID, 100, true)
	f.check(&c.vs, "orderTime", r.OrderTime)
	c.enum("channelType", r.ChannelType, ChannelOwn, ChannelDistribution)
	c.str("channelName", r.ChannelName, 30, true)
	c.min("ticketNum", int64(r.TicketNum), 1)
	c.min("totalAmount", int64(r.TotalAmount), 0)
	c.enum("ticketType", r.TicketType, TicketNormal, TicketStaff, TicketComplimentary)
	c.enum("ticketMode", r.TicketMode, ModePaper, ModeElectronic)
	c.enum("authMode", r.AuthMode, AuthNotRealName, AuthPerOrder, AuthPerTicket)
	c.batch("ticketOrderList", len(r.TicketOrderList), 0)
	if r.TicketNum >= 1 && len(r.TicketOrderList) > 0 && r.TicketNum != len(r.TicketOrderList) {
		c.vs = append(c.vs, ErrTicketNum.Atf("ticketNum", strconv.Itoa(r.TicketNum),
			"购票数量应等于票单数 "+strconv.Itoa(len(r.TicketOrderList)),
			"ticketNum must equal the number of sub-orders, "+strconv.Itoa(len(r.TicketOrderList))))
	}
	seenOrder, seenTicket := map[string]int{}, map[string]int{}
	for i, t := range r.TicketOrderList {
		var tc checker
		tc.str("ticketOrderId", t.TicketOrderID, 100, true)
		tc.unique(seenOrder, "ticketOrderId", t.TicketOrderID)
		tc.str("performanceId", t.PerformanceID, 50, true)
		tc.str("sessionId", t.SessionID, 50, true)
		tc.code("sessionCode", t.SessionCode, true, "session")
		tc.str("priceId", t.PriceID, 50, true)
		tc.min("ticketPrice", int64(t.TicketPrice), 0)
		tc.str("ticketId", t.TicketID, 50, true)
		tc.unique(seenTicket, "ticketId", t.SessionCode+"\x00"+t.TicketID)
		tc.min("ticketOrderAmount", int64(t.TicketOrderAmount), 0)
		c.nested("ticketOrderList", i, tc.vs)
	}
	return c.vs
}

// RefundTicket is one entry of the ticketOrderList of /report/refundOrder (table A.34).
type RefundTicket struct {
	TicketOrderID string `json:"ticketOrderId"`
	SessionCode   string `json:"sessionCode"`
	// TicketID is required for seated sessions.
	TicketID     string    `json:"ticketId,omitempty"`
	RefundAmount wht93.Fen `json:"refundAmount"`
}

// ReportRefundRequest is the body of /report/refundOrder (table A.34).
type ReportRefundRequest struct {
	AccessToken     string         `json:"accessToken"`
	RefundOrderID   string         `json:"refundOrderId"`
	OrderID         string         `json:"orderId"`
	Reason          string         `json:"reason"`
	RefundOrderTime DateTime       `json:"refundOrderTime"`
	TicketOrderList []RefundTicket `json:"ticketOrderList"`
}

// Validate checks the request against table A.34.
func (r *ReportRefundRequest) Validate(f Format) wht93.Violations {
	c := checker{f: f}
	c.str("refundOrderId", r.RefundOrderID, 100, true)
	c.str("orderId", r.OrderID, 100, true)
	c.str("reason", r.Reason, 200, true)
	f.check(&c.vs, "refundOrderTime", r.RefundOrderTime)
	c.batch("ticketOrderList", len(r.TicketOrderList), 0)
	seen := map[string]int{}
	for i, t := range r.TicketOrderList {
		var tc checker
		tc.str("ticketOrderId", t.TicketOrderID, 100, true)
		tc.unique(seen, "ticketOrderId", t.TicketOrderID)
		tc.code("sessionCode", t.SessionCode, true, "session")
		tc.str("ticketId", t.TicketID, 50, false)
		tc.min("refundAmount", int64(t.RefundAmount), 0)
		c.nested("ticketOrderList", i, tc.vs)
	}
	return c.vs
}

// Checkin is one entry of the ticketList of /report/checking (table A.37).
type Checkin struct {
	TicketID     string   `json:"ticketId"`
	SessionID    string   `json:"sessionId"`
	PriceID      string   `json:"priceId"`
	SessionCode  string   `json:"sessionCode"`
	CheckingTime DateTime `json:"checkingTime"`
	CheckingType int      `json:"checkingType"`
	AuthType     int      `json:"authType"`
}

// ReportCheckingRequest is the body of /report/checking (table A.37).
type ReportCheckingRequest struct {
	AccessToken string    `json:"accessToken"`
	TicketList  []Checkin `json:"ticketList"`
}

// Validate checks the request against table A.37 (and the limit of 200 entries,
// a decision of this project).
func (r *ReportCheckingRequest) Validate(f Format) wht93.Violations {
	c := checker{f: f}
	c.batch("ticketList", len(r.TicketList), MaxCheckinsPerCall)
	for i, t := range r.TicketList {
		tc := checker{f: f}
		tc.str("ticketId", t.TicketID, 50, true)
		tc.str("sessionId", t.SessionID, 50, true)
		tc.str("priceId", t.PriceID, 50, true)
		tc.code("sessionCode", t.SessionCode, true, "session")
		f.check(&tc.vs, "checkingTime", t.CheckingTime)
		tc.enum("checkingType", t.CheckingType, CheckQR, CheckIDCard, CheckPaper)
		tc.enum("authType", t.AuthType, CheckedReal, CheckedAnon)
		c.nested("ticketList", i, tc.vs)
	}
	return c.vs
}
