package platformsim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/codes"
)

// PerformanceRecord is a performance as reported, with how many calls named it.
type PerformanceRecord struct {
	PerformanceID, PerformanceName, Approval string
	TypeID                                   int
	PosterURL, PerformanceDesc               string
	Sponsor, Performer                       string
	// Arrivals counts the /performance/code and /report/performance/update
	// calls that were accepted for it.
	Arrivals int
}

// SessionRecord is a session as reported, with its code.
type SessionRecord struct {
	PerformanceID string
	SessionCode   string
	Session       client.SessionInfo
	// Status is client.SessionNormal or client.SessionCancelled.
	Status   int
	Arrivals int
}

// TierRecord is a price tier as reported.
type TierRecord struct {
	SessionCode string
	Tier        client.PriceTier
	Arrivals    int
}

// TicketRecord is a ticket as reported.
type TicketRecord struct {
	SessionCode, PerformanceID, SessionID, PriceID string
	Ticket                                         client.TicketInfo
	Arrivals                                       int
}

// OrderRecord is an order as reported (its accessToken is not kept).
type OrderRecord struct {
	Order    client.ReportOrderRequest
	Arrivals int
}

// RefundRecord is a refund as reported (its accessToken is not kept).
type RefundRecord struct {
	Refund   client.ReportRefundRequest
	Arrivals int
}

// CheckinRecord is a check-in as reported, keyed by session, ticket and time.
type CheckinRecord struct {
	Checkin  client.Checkin
	Arrivals int
}

type venueRec struct {
	v       client.Venue
	seated  bool // for a venue without halls (hasHall = 0)
	halls   int
	created bool
}

type sessionKey struct{ code, id string }

// state is the simulator's data, guarded by Sim.mu.
type state struct {
	venues    []*venueRec
	venueBy   map[string]*venueRec
	hallBy    map[string]*client.Hall
	hallVenue map[string]*venueRec
	perDist   map[int64]int
	types     []client.PerformanceType
	typeOK    map[int]bool

	perfs    map[string]*PerformanceRecord
	sessions map[string]*SessionRecord // by sessionId
	byCode   map[string]*SessionRecord
	dayCount map[string]int // hall code + yyyymmdd → sessions numbered
	tiers    map[sessionKey]*TierRecord
	tickets  map[sessionKey]*TicketRecord
	seats    map[string]string // session code + seat → ticketId
	orders   map[string]*OrderRecord
	refunds  map[string]*RefundRecord
	checkins map[string]*CheckinRecord
}

func newState(seeds []VenueSeed, types []client.PerformanceType) (*state, error) {
	st := &state{
		venueBy: map[string]*venueRec{}, hallBy: map[string]*client.Hall{}, hallVenue: map[string]*venueRec{},
		perDist: map[int64]int{}, typeOK: map[int]bool{},
		perfs: map[string]*PerformanceRecord{}, sessions: map[string]*SessionRecord{}, byCode: map[string]*SessionRecord{},
		dayCount: map[string]int{}, tiers: map[sessionKey]*TierRecord{}, tickets: map[sessionKey]*TicketRecord{},
		seats: map[string]string{}, orders: map[string]*OrderRecord{}, refunds: map[string]*RefundRecord{},
		checkins: map[string]*CheckinRecord{},
	}
	st.types = append(st.types, types...)
	for _, t := range types {
		if t.Level == 2 {
			st.typeOK[t.TypeID] = true
		}
	}
	for _, vs := range seeds {
		v, err := st.addVenue(vs.DistrictID, vs.Name, vs.Address, false)
		if err != nil {
			return nil, fmt.Errorf("platformsim: venue %s: %w", vs.Name, err)
		}
		v.v.VenueType, v.v.ManagementCompany = vs.Type, vs.ManagementCompany
		for _, h := range vs.Halls {
			hall, err := st.addHall(v, h.Name, h.Seats > 0, h.Seats, h.Capacity)
			if err != nil {
				return nil, fmt.Errorf("platformsim: hall %s: %w", h.Name, err)
			}
			if h.ManagementStatus != 0 {
				hall.ManagementStatus = h.ManagementStatus
			}
			if h.Disabled {
				hall.EnableState = client.Disabled
			}
		}
	}
	return st, nil
}

// region checks that district is a county-level GB/T 2260 code in use and
// returns its province and city ids.
func regionOf(district int64) (province, city int64, err error) {
	r, ok := codes.LookupRegion(strconv.FormatInt(district, 10))
	if !ok || !r.InUse() || district%100 == 0 {
		return 0, 0, fmt.Errorf("districtId %d is not a county-level GB/T 2260 code in use", district)
	}
	return district / 10000 * 10000, district / 100 * 100, nil
}

func (st *state) addVenue(district int64, name, addr string, created bool) (*venueRec, error) {
	prov, city, err := regionOf(district)
	if err != nil {
		return nil, err
	}
	n := st.perDist[district] + 1
	if n > 999 {
		return nil, fmt.Errorf("district %d has 999 venues already", district)
	}
	st.perDist[district] = n
	v := &venueRec{created: created, v: client.Venue{
		VenueCode: fmt.Sprintf("%06d%03d", district, n), VenueName: name,
		ProvinceID: prov, CityID: city, DistrictID: district, VenueAddress: addr, HallList: client.HallList{},
	}}
	st.venues = append(st.venues, v)
	st.venueBy[v.v.VenueCode] = v
	return v, nil
}

func (st *state) addHall(v *venueRec, name string, seated bool, seats, capacity int) (*client.Hall, error) {
	if v.halls >= 99 {
		return nil, fmt.Errorf("venue %s has 99 halls already", v.v.VenueCode)
	}
	v.halls++
	h := client.Hall{HallName: name, HallCode: fmt.Sprintf("%s%02d", v.v.VenueCode, v.halls),
		ManagementStatus: client.StatusOpen, EnableState: client.Enabled}
	if seated {
		h.HasSeat, h.SeatNum = client.Seated, seats
	} else {
		h.HasSeat, h.SeatingCapacity = client.Unseated, capacity
	}
	v.v.HallList = append(v.v.HallList, h)
	v.v.HallNum = len(v.v.HallList)
	st.hallVenue[h.HallCode] = v
	for i := range v.v.HallList { // re-point after append may have moved the slice
		st.hallBy[v.v.HallList[i].HallCode] = &v.v.HallList[i]
	}
	return st.hallBy[h.HallCode], nil
}

// apiError is an answer with an error code.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return strconv.Itoa(e.code) + " " + e.msg }

func invalid(format string, args ...any) *apiError {
	return &apiError{code: client.CodeInvalidParams, msg: "请求参数非法 / invalid parameters: " + fmt.Sprintf(format, args...)}
}

func violations(vs wht93.Violations) *apiError {
	if len(vs) == 0 {
		return nil
	}
	msg := vs.Error()
	if r := []rune(msg); len(r) > 500 {
		msg = string(r[:497]) + "..."
	}
	return &apiError{code: client.CodeInvalidParams, msg: "请求参数非法 / invalid parameters: " + msg}
}

func (st *state) venueList(r *client.VenueListRequest) client.Page[client.Venue] {
	var match []client.Venue
	for _, v := range st.venues {
		if (r.ProvinceID != 0 && v.v.ProvinceID != r.ProvinceID) || (r.CityID != 0 && v.v.CityID != r.CityID) ||
			(r.DistrictID != 0 && v.v.DistrictID != r.DistrictID) ||
			(r.VenueName != "" && !strings.Contains(v.v.VenueName, r.VenueName)) {
			continue
		}
		match = append(match, v.v)
	}
	sort.Slice(match, func(i, j int) bool { return match[i].VenueCode < match[j].VenueCode })
	p := client.Page[client.Venue]{Page: r.PageNo, PageSize: r.PageSize, TotalRow: len(match), DataList: []client.Venue{}}
	from := (r.PageNo - 1) * r.PageSize
	if from < len(match) {
		to := min(from+r.PageSize, len(match))
		for _, v := range match[from:to] {
			v.HallList = append(client.HallList{}, v.HallList...)
			p.DataList = append(p.DataList, v)
		}
	}
	return p
}

func (st *state) venueSave(r *client.VenueSaveRequest) (*client.VenueSaveResponse, *apiError) {
	var v *venueRec
	if r.VenueCode != "" {
		if v = st.venueBy[r.VenueCode]; v == nil {
			return nil, invalid("venueCode %q 不存在 / unknown venue", r.VenueCode)
		}
	} else {
		prov, city, err := regionOf(r.DistrictID)
		if err != nil {
			return nil, invalid("%v", err)
		}
		if r.ProvinceID != prov || r.CityID != city {
			return nil, invalid("provinceId/cityId %d/%d 与 districtId %d 不符 / do not match the district", r.ProvinceID, r.CityID, r.DistrictID)
		}
		var aerr error
		if v, aerr = st.addVenue(r.DistrictID, r.VenueName, r.VenueAddress, true); aerr != nil {
			return nil, invalid("%v", aerr)
		}
		v.seated = r.HasSeat == client.Seated
	}
	out := &client.VenueSaveResponse{VenueCode: v.v.VenueCode}
	if r.HasHall == client.HasHall {
		for _, h := range v.v.HallList {
			if h.HallName == r.HallName {
				return nil, invalid("场所 %s 已有场厅 %q / the venue has that hall already: %s", v.v.VenueCode, r.HallName, h.HallCode)
			}
		}
		h, err := st.addHall(v, r.HallName, r.HasSeat == client.Seated, r.SeatNum, r.SeatingCapacity)
		if err != nil {
			return nil, invalid("%v", err)
		}
		out.HallCode = h.HallCode
	}
	return out, nil
}

// hallOf resolves a hall code (11) or a venue code (9) to the code that starts
// session codes and whether it is seated. A venue code stands for the venue
// itself: its session codes use hall number 00 (a decision of the simulator).
func (st *state) hallOf(code string) (hall string, seated bool, err *apiError) {
	if h := st.hallBy[code]; h != nil {
		if h.EnableState != client.Enabled {
			return "", false, invalid("场厅 %s 已禁用 / hall disabled", code)
		}
		return code, h.HasSeat == client.Seated, nil
	}
	if v := st.venueBy[code]; v != nil {
		return code + "00", v.seated, nil
	}
	return "", false, invalid("hallCode %q 不在标准场所库中 / not in the standard venue list; obtain one with /standard/venue/save", code)
}

func (st *state) sessionCode(f client.Format, r *client.SessionCodeRequest) (client.SessionCodes, *apiError) {
	if !st.typeOK[r.TypeID] {
		return nil, invalid("typeId %d 不在标准演出类型中 / not a standard performance type", r.TypeID)
	}
	type plan struct {
		s     client.SessionInfo
		hall  string
		date  string
		exist *SessionRecord
	}
	var plans []plan
	for i, s := range r.SessionList {
		hall, seated, err := st.hallOf(s.HallCode)
		if err != nil {
			err.msg = fmt.Sprintf("sessionList[%d]: %s", i, err.msg)
			return nil, err
		}
		if seated != (s.HasSeat == client.Seated) {
			return nil, invalid("sessionList[%d].hasSeat %d 与场厅 %s 不符 / does not match the hall", i, s.HasSeat, s.HallCode)
		}
		start, _ := f.Parse(s.SessionStartTime)
		p := plan{s: s, hall: hall, date: start.In(wht93.CST).Format("20060102")}
		if ex := st.sessions[s.SessionID]; ex != nil {
			if ex.PerformanceID != r.PerformanceID {
				return nil, invalid("sessionList[%d].sessionId %q 属于其他演出 / belongs to another performance", i, s.SessionID)
			}
			p.exist = ex
		}
		plans = append(plans, p)
	}
	out := client.SessionCodes{}
	for _, p := range plans {
		if p.exist != nil {
			p.exist.Session, p.exist.Arrivals = p.s, p.exist.Arrivals+1
			out[p.s.SessionID] = p.exist.SessionCode
			continue
		}
		day := p.hall + p.date
		n := st.dayCount[day] + 1
		if n > 99 {
			return nil, invalid("场厅 %s 当日场次已满99场 / 99 sessions that day already", p.hall)
		}
		st.dayCount[day] = n
		rec := &SessionRecord{PerformanceID: r.PerformanceID, SessionCode: fmt.Sprintf("%s%02d", day, n),
			Session: p.s, Status: client.SessionNormal, Arrivals: 1}
		st.sessions[p.s.SessionID] = rec
		st.byCode[rec.SessionCode] = rec
		out[p.s.SessionID] = rec.SessionCode
	}
	p := st.perfs[r.PerformanceID]
	if p == nil {
		p = &PerformanceRecord{PerformanceID: r.PerformanceID}
		st.perfs[r.PerformanceID] = p
	}
	p.PerformanceName, p.Approval, p.TypeID = r.PerformanceName, r.Approval, r.TypeID
	p.PosterURL, p.PerformanceDesc, p.Sponsor, p.Performer = r.PosterURL, r.PerformanceDesc, r.Sponsor, r.Performer
	p.Arrivals++
	return out, nil
}

func (st *state) performanceUpdate(r *client.UpdatePerformanceRequest) *apiError {
	p := st.perfs[r.PerformanceID]
	if p == nil {
		return invalid("performanceId %q 未上报 / not reported; obtain session codes first", r.PerformanceID)
	}
	if r.TypeID != 0 && !st.typeOK[r.TypeID] {
		return invalid("typeId %d 不在标准演出类型中 / not a standard performance type", r.TypeID)
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.PerformanceName, r.PerformanceName)
	set(&p.PerformanceDesc, r.PerformanceDesc)
	set(&p.PosterURL, r.PosterURL)
	set(&p.Sponsor, r.Sponsor)
	set(&p.Performer, r.Performer)
	set(&p.Approval, r.Approval)
	if r.TypeID != 0 {
		p.TypeID = r.TypeID
	}
	p.Arrivals++
	return nil
}

// session finds a reported session and checks that the ids agree.
func (st *state) session(field, code, sessionID, performanceID string) (*SessionRecord, *apiError) {
	s := st.byCode[code]
	if s == nil {
		return nil, invalid("%s: sessionCode %q 未由平台生成 / not issued by the platform", field, code)
	}
	if sessionID != "" && s.Session.SessionID != sessionID {
		return nil, invalid("%s: sessionId %q 与 sessionCode 不符 / does not match the session code", field, sessionID)
	}
	if performanceID != "" && s.PerformanceID != performanceID {
		return nil, invalid("%s: performanceId %q 与场次不符 / does not match the session", field, performanceID)
	}
	return s, nil
}

func (st *state) sessionUpdate(f client.Format, r *client.UpdateSessionRequest) *apiError {
	s, err := st.session("sessionCode", r.SessionCode, r.SessionID, r.PerformanceID)
	if err != nil {
		return err
	}
	if r.HallCode != s.Session.HallCode {
		hall, seated, herr := st.hallOf(r.HallCode)
		if herr != nil || len(hall) != 11 {
			return invalid("hallCode %q 不在标准场所库中 / not in the standard venue list", r.HallCode)
		}
		if seated != (r.HasSeat == client.Seated) {
			return invalid("hasSeat %d 与场厅 %s 不符 / does not match the hall", r.HasSeat, r.HallCode)
		}
	}
	s.Session.SessionName, s.Session.HallCode, s.Session.HasSeat = r.SessionName, r.HallCode, r.HasSeat
	s.Session.SessionStartTime, s.Session.SessionEndTime = r.SessionStartTime, r.SessionEndTime
	s.Session.SeatingChart, s.Session.Tag = r.SeatingChart, r.Tag
	s.Status = r.SessionStatus
	s.Arrivals++
	return nil
}

func (st *state) inventory(r *client.ReportInventoryRequest) *apiError {
	for i, p := range r.PriceList {
		if _, err := st.session(fmt.Sprintf("priceList[%d]", i), r.SessionCode, p.SessionID, p.PerformanceID); err != nil {
			return err
		}
	}
	for _, p := range r.PriceList {
		k := sessionKey{r.SessionCode, p.PriceID}
		t := st.tiers[k]
		if t == nil {
			t = &TierRecord{SessionCode: r.SessionCode}
			st.tiers[k] = t
		}
		t.Tier, t.Arrivals = p, t.Arrivals+1
	}
	return nil
}

func seatKey(code string, t *client.TicketInfo) string {
	return code + "\x00" + t.FloorName + "\x00" + t.AreaName + "\x00" + t.RowName + "\x00" + t.SeatNo
}

func (st *state) ticket(f client.Format, r *client.ReportTicketRequest) *apiError {
	s, err := st.session("sessionCode", r.SessionCode, r.SessionID, r.PerformanceID)
	if err != nil {
		return err
	}
	if st.tiers[sessionKey{r.SessionCode, r.PriceID}] == nil {
		return invalid("priceId %q 未上报 / price tier not reported for this session", r.PriceID)
	}
	if e := violations(r.ValidateSeated(f, s.Session.HasSeat == client.Seated).Errors()); e != nil {
		return e
	}
	if s.Session.HasSeat == client.Seated {
		batch := map[string]string{}
		for i := range r.TicketList {
			t := &r.TicketList[i]
			k := seatKey(r.SessionCode, t)
			if other, ok := st.seats[k]; ok && other != t.TicketID {
				return invalid("ticketList[%d]: 座位已属于票 %q / the seat belongs to ticket %q", i, other, other)
			}
			if other, ok := batch[k]; ok && other != t.TicketID {
				return invalid("ticketList[%d]: 同批重复座位 / seat repeated in the batch", i)
			}
			if old := st.tickets[sessionKey{r.SessionCode, t.TicketID}]; old != nil && seatKey(r.SessionCode, &old.Ticket) != k {
				delete(st.seats, seatKey(r.SessionCode, &old.Ticket))
			}
			batch[k] = t.TicketID
		}
		for k, id := range batch {
			st.seats[k] = id
		}
	}
	for _, t := range r.TicketList {
		k := sessionKey{r.SessionCode, t.TicketID}
		rec := st.tickets[k]
		if rec == nil {
			rec = &TicketRecord{SessionCode: r.SessionCode}
			st.tickets[k] = rec
		}
		rec.PerformanceID, rec.SessionID, rec.PriceID, rec.Ticket = r.PerformanceID, r.SessionID, r.PriceID, t
		rec.Arrivals++
	}
	return nil
}

func (st *state) order(r *client.ReportOrderRequest) *apiError {
	for i, t := range r.TicketOrderList {
		field := fmt.Sprintf("ticketOrderList[%d]", i)
		if _, err := st.session(field, t.SessionCode, t.SessionID, t.PerformanceID); err != nil {
			return err
		}
		if st.tiers[sessionKey{t.SessionCode, t.PriceID}] == nil {
			return invalid("%s: priceId %q 未上报 / price tier not reported", field, t.PriceID)
		}
	}
	rec := st.orders[r.OrderID]
	if rec == nil {
		rec = &OrderRecord{}
		st.orders[r.OrderID] = rec
	}
	cp := *r
	cp.AccessToken = ""
	cp.TicketOrderList = append([]client.TicketOrder(nil), r.TicketOrderList...)
	rec.Order, rec.Arrivals = cp, rec.Arrivals+1
	return nil
}

func (st *state) refund(r *client.ReportRefundRequest) *apiError {
	o := st.orders[r.OrderID]
	if o == nil {
		return invalid("orderId %q 未上报 / order not reported; report the order before its refunds", r.OrderID)
	}
	for i, t := range r.TicketOrderList {
		field := fmt.Sprintf("ticketOrderList[%d]", i)
		var sub *client.TicketOrder
		for j := range o.Order.TicketOrderList {
			if o.Order.TicketOrderList[j].TicketOrderID == t.TicketOrderID {
				sub = &o.Order.TicketOrderList[j]
			}
		}
		if sub == nil {
			return invalid("%s: ticketOrderId %q 不属于订单 / not a sub-order of the order", field, t.TicketOrderID)
		}
		if sub.SessionCode != t.SessionCode {
			return invalid("%s: sessionCode 与票单不符 / does not match the sub-order", field)
		}
		if s := st.byCode[t.SessionCode]; s != nil && s.Session.HasSeat == client.Seated && t.TicketID == "" {
			return invalid("%s: 有座场次必填 ticketId / ticketId required for a seated session", field)
		}
		if t.TicketID != "" && t.TicketID != sub.TicketID {
			return invalid("%s: ticketId 与票单不符 / does not match the sub-order", field)
		}
		if t.RefundAmount > sub.TicketOrderAmount {
			return invalid("%s: refundAmount %s 超过实收 %s / more than was received", field, t.RefundAmount, sub.TicketOrderAmount)
		}
	}
	rec := st.refunds[r.RefundOrderID]
	if rec == nil {
		rec = &RefundRecord{}
		st.refunds[r.RefundOrderID] = rec
	}
	cp := *r
	cp.AccessToken = ""
	cp.TicketOrderList = append([]client.RefundTicket(nil), r.TicketOrderList...)
	rec.Refund, rec.Arrivals = cp, rec.Arrivals+1
	return nil
}

func (st *state) checking(r *client.ReportCheckingRequest) *apiError {
	for i, c := range r.TicketList {
		field := fmt.Sprintf("ticketList[%d]", i)
		if _, err := st.session(field, c.SessionCode, c.SessionID, ""); err != nil {
			return err
		}
		t := st.tickets[sessionKey{c.SessionCode, c.TicketID}]
		if t == nil {
			return invalid("%s: ticketId %q 未上报 / ticket not reported; report tickets before check-ins", field, c.TicketID)
		}
		if t.PriceID != c.PriceID {
			return invalid("%s: priceId %q 与票不符 / does not match the ticket", field, c.PriceID)
		}
	}
	for _, c := range r.TicketList {
		k := c.SessionCode + "\x00" + c.TicketID + "\x00" + string(c.CheckingTime)
		rec := st.checkins[k]
		if rec == nil {
			rec = &CheckinRecord{}
			st.checkins[k] = rec
		}
		rec.Checkin, rec.Arrivals = c, rec.Arrivals+1
	}
	return nil
}
