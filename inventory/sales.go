package inventory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

// DefaultHoldTTL is how long a hold lasts when neither the request nor the
// configuration says.
const DefaultHoldTTL = 15 * time.Minute

// Config is what the sales of one session follow: the session (its sales window,
// real-name mode and limits), its chart, the channels authorised to sell it, the
// performance's sales policies, and how long holds last.
//
// A Config is a plain value; New copies what it keeps.
type Config struct {
	Session session.Session
	Chart   *Chart
	// Channels are the authorisations of the channels that sell the session. Seats
	// of an area an authorisation reserves must be reserved for its channel in the
	// chart (ReservationsFor builds those reservations).
	Channels []session.Authorization
	// Policies are the performance's sales policies. Every policy that applies to a
	// ticket (Policy.Applies: in effect, the session, channel and tier in scope)
	// binds it with its limits; the one a purchase names prices it.
	Policies []session.Policy
	HoldTTL  time.Duration // 0: DefaultHoldTTL; at most 24 hours
}

// Sales sells the seats of one session through a Store: holds, sales, staff
// issues, refunds, box office. It checks every request against the standard's
// rules (sales window, channel authorisation and reservations, limits, prices)
// and lets the store apply it atomically; it checks what the store returns.
//
// A Sales is immutable and safe for concurrent use; its safety under concurrency
// is the store's (see Store).
type Sales struct {
	store    Store
	sess     session.Session
	chart    *Chart
	auths    map[string]*session.Authorization
	policies []*session.Policy
	byID     map[string]*session.Policy
	ttl      time.Duration
}

// New checks the configuration and returns the sales of its session.
func New(store Store, cfg Config) (*Sales, error) {
	var vs wht93.Violations
	if store == nil {
		vs = append(vs, ErrRequest.Atf("store", "nil", "没有库存存储", "no store"))
	}
	c := cfg.Chart
	if c == nil {
		return nil, append(vs, ErrChart.Atf("chart", "nil", "没有票图", "no chart")).Err()
	}
	if c.SessionID() != cfg.Session.ID {
		vs = append(vs, ErrChart.Atf("chart.sessionId", printable(c.SessionID()), "票图不属于该场次", "the chart is of another session"))
	}
	if c.Seated() != cfg.Session.Seated {
		vs = append(vs, ErrChart.Atf("chart.seated", strconv.FormatBool(c.Seated()), "票图与场次的有座/无座不符", "the chart is not seated as the session is"))
	}
	s := &Sales{store: store, sess: cfg.Session, chart: c, auths: make(map[string]*session.Authorization), byID: make(map[string]*session.Policy), ttl: cfg.HoldTTL}
	if s.ttl == 0 {
		s.ttl = DefaultHoldTTL
	}
	if s.ttl < time.Second || s.ttl > 24*time.Hour {
		vs = append(vs, ErrRequest.Atf("holdTTL", s.ttl.String(), "锁座时长应为1秒至24小时", "hold time must be 1 second to 24 hours"))
	}
	for i, a := range cfg.Channels {
		f := "channels[" + strconv.Itoa(i) + "]"
		a.Allocation.Tiers = slices.Clone(a.Allocation.Tiers)
		a.Allocation.Areas = slices.Clone(a.Allocation.Areas)
		if err := a.Validate(); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(f)...)
			continue
		}
		if a.SessionID != cfg.Session.ID {
			vs = append(vs, session.ErrAuthorization.Atf(f+".sessionId", a.SessionID, "授权不属于该场次", "the authorisation is for another session"))
		}
		if _, dup := s.auths[a.ChannelID]; dup {
			vs = append(vs, session.ErrAuthorization.Atf(f+".channelId", a.ChannelID, "渠道授权重复", "channel listed twice"))
		}
		if c.Seated() {
			if err := a.CheckAreas(c.Template()); err != nil {
				vs = append(vs, wht93.ViolationsOf(err).In(f)...)
			} else {
				vs = append(vs, c.checkReservedFor(f, &a)...)
			}
		}
		s.auths[a.ChannelID] = &a
	}
	for i := range cfg.Policies {
		f := "policies[" + strconv.Itoa(i) + "]"
		p := cfg.Policies[i]
		if err := p.Validate(); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(f)...)
			continue
		}
		if p.PerformanceID != cfg.Session.PerformanceID {
			vs = append(vs, session.ErrPolicyScope.Atf(f+".performanceId", p.PerformanceID, "销售政策不属于该演出活动", "the policy is of another performance"))
		}
		if _, dup := s.byID[p.ID]; dup {
			vs = append(vs, session.ErrPolicyScope.Atf(f+".id", p.ID, "销售政策重复", "policy listed twice"))
		}
		s.policies = append(s.policies, &p)
		s.byID[p.ID] = &p
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkReservedFor reports the areas an authorisation reserves whose seats are not
// reserved for its channel in the chart (blocked and staff seats are fine).
func (c *Chart) checkReservedFor(f string, a *session.Authorization) wht93.Violations {
	var vs wht93.Violations
	k := c.chanClass[a.ChannelID]
	for i, ak := range a.Allocation.Areas {
		ai, _ := c.tpl.LookupArea(ak)
		area := c.tpl.Areas()[ai]
		for id := area.First; id < area.End; id++ {
			if cls := c.class[id]; cls != classBlocked && cls != classStaff && (k == 0 || cls != k) {
				vs = append(vs, ErrReservation.Atf(f+".allocation.areas["+strconv.Itoa(i)+"]", ak.String(),
					"授权预留的区域在票图中没有为该渠道预留，例如 "+c.Label(id), "the area is not reserved for the channel in the chart, e.g. "+c.Label(id)))
				break
			}
		}
	}
	return vs
}

// ReservationsFor returns the reservations that put the areas the authorisations
// reserve aside for their channels, to add to a ChartSpec.
func ReservationsFor(auths []session.Authorization) []Reservation {
	var out []Reservation
	for _, a := range auths {
		if len(a.Allocation.Areas) == 0 {
			continue
		}
		out = append(out, Reservation{
			Name: "渠道预留", Note: "渠道 " + a.ChannelID + " 授权预留", Channel: a.ChannelID,
			Selection: Selection{Areas: slices.Clone(a.Allocation.Areas)},
		})
	}
	return out
}

// Chart returns the chart the sales follow.
func (s *Sales) Chart() *Chart { return s.chart }

// Session returns the session.
func (s *Sales) Session() session.Session { return s.sess }

// Open creates the session's chart in the store. A store that already has this
// version of the chart is fine; another version is ErrStaleChart.
func (s *Sales) Open(ctx context.Context) error {
	err := s.store.Create(ctx, s.chart)
	if errors.Is(err, ErrChartExists) {
		_, err = s.store.Snapshot(ctx, s.chart, time.Unix(0, 0))
	}
	return err
}

// Reconfigure publishes the next version of the chart (a price, a reservation, a
// block changed) at now and returns the sales that follow it.
func (s *Sales) Reconfigure(ctx context.Context, now time.Time, next *Chart) (*Sales, error) {
	if next == nil || next.SessionID() != s.chart.SessionID() || next.Seated() != s.chart.Seated() {
		return nil, ErrChart.Atf("chart", "", "新票图应属于同一场次", "the new chart must be of the same session")
	}
	ns := *s
	ns.chart = next
	var vs wht93.Violations
	for ch, a := range s.auths {
		if next.Seated() {
			vs = append(vs, next.checkReservedFor("channels["+ch+"]", a)...)
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if err := s.store.Reconfigure(ctx, s.chart, next, now); err != nil {
		return nil, err
	}
	return &ns, nil
}

// HoldRequest asks for seats: specific ones, or N of a tier (best available).
// A sale names its buyer and channel; a staff issue (后台人工出票) names the staff
// account instead, and may take any seat that is not blocked.
type HoldRequest struct {
	Key     string // the order's key: 1 to 64 characters, unique in the session
	Buyer   string // buyer account, 1 to 64 characters (a sale)
	Channel string // the selling channel, authorised for the session (a sale)
	Staff   string // staff account, 1 to 64 characters (a staff issue)

	Seats []venue.SeatID // specific seats (选座); or
	Tier  string         // best available: N seats of the tier,
	N     int
	Focus *venue.Point // nearest this point of the seat map (optional)

	TTL time.Duration // 0: the configuration's
}

// Hold is a live hold: seats set aside for an order until Expires.
type Hold struct {
	Key     string
	Seats   []venue.SeatID
	Expires time.Time
	Buyer   string
	Channel string
	Staff   string
}

func (r *HoldRequest) access() Access { return Access{Channel: r.Channel, Staff: r.Staff != ""} }

// checkParty checks who asks and whether they may at now.
func (s *Sales) checkParty(now time.Time, buyer, channel, staff string) error {
	// The common case, without building anything.
	if staff == "" {
		if a := s.auths[channel]; a != nil && cleanText(buyer, 64) && s.sess.Status(now) == session.OnSale && a.Permits(now, s.sess.ID) == nil {
			return nil
		}
	} else if cleanText(staff, 64) && s.sess.Status(now) != session.Ended && (channel == "" || s.auths[channel] != nil) {
		return nil
	}
	return s.partyViolations(now, buyer, channel, staff)
}

// partyViolations says why checkParty refuses.
//
//go:noinline
func (s *Sales) partyViolations(now time.Time, buyer, channel, staff string) error {
	var vs wht93.Violations
	if staff != "" {
		if !cleanText(staff, 64) {
			vs = append(vs, ErrRequest.Atf("staff", printable(staff), "工作人员账号应为1至64个字符", "staff account must be 1 to 64 characters"))
		}
		if s.sess.Status(now) == session.Ended {
			vs = append(vs, session.ErrSaleEnded.Atf("status", s.sess.Status(now).String(), "场次已结束或已取消，不能出票", "the session is over or cancelled: no ticket can be issued"))
		}
		if channel != "" {
			if _, ok := s.auths[channel]; !ok {
				vs = append(vs, session.ErrNotAuthorised.At("channel", printable(channel)))
			}
		}
		return vs.Err()
	}
	if !cleanText(buyer, 64) {
		vs = append(vs, ErrRequest.Atf("buyer", printable(buyer), "购票账号应为1至64个字符", "buyer account must be 1 to 64 characters"))
	}
	if s.sess.Status(now) != session.OnSale { // CanSell says why
		if err := s.sess.CanSell(now); err != nil {
			vs = append(vs, wht93.ViolationsOf(err)...)
		}
	}
	a, ok := s.auths[channel]
	if !ok {
		vs = append(vs, session.ErrNotAuthorised.Atf("channel", printable(channel), "该渠道未获授权销售此场次", "the channel is not authorised for this session"))
	} else if err := a.Permits(now, s.sess.ID); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	return vs.Err()
}

// Hold holds seats at now for the request: all the specific seats or none, or N
// seats of the tier chosen adjacent in a row where possible, nearest the stage
// (or the focus point) first.
func (s *Sales) Hold(ctx context.Context, now time.Time, r HoldRequest) (Hold, error) {
	ttl, err := s.checkHold(now, &r)
	if err != nil {
		return Hold{}, err
	}
	owner := r.Buyer
	if r.Staff != "" {
		owner = r.Staff
	}
	op := &HoldOp{
		Chart: s.chart, Hold: r.Key, Owner: owner, Access: r.access(),
		Seats: slices.Clone(r.Seats), Tier: r.Tier, N: r.N, Focus: r.Focus,
		Now: now, Expires: now.Add(ttl),
	}
	seats, err := s.store.Hold(ctx, op)
	if err != nil {
		return Hold{}, err
	}
	if err := s.checkHeld(op, seats); err != nil {
		if _, rerr := s.store.Release(ctx, s.chart, op.Hold, now); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Hold{}, err
	}
	return Hold{Key: r.Key, Seats: seats, Expires: op.Expires, Buyer: r.Buyer, Channel: r.Channel, Staff: r.Staff}, nil
}

// checkHold checks a hold request and returns how long the hold lasts.
func (s *Sales) checkHold(now time.Time, r *HoldRequest) (time.Duration, error) {
	ttl := r.TTL
	if ttl == 0 {
		ttl = s.ttl
	}
	n := len(r.Seats)
	if n == 0 {
		n = r.N
	}
	_, tierOK := s.chart.TierIndex(r.Tier)
	po := s.sess.Limits.PerOrder
	if checkKey(r.Key) == nil && s.checkParty(now, r.Buyer, r.Channel, r.Staff) == nil &&
		ttl >= time.Second && ttl <= 24*time.Hour && (po == 0 || r.Staff != "" || n <= po) &&
		((len(r.Seats) > 0 && len(r.Seats) <= MaxHold && r.Tier == "" && r.N == 0) || (len(r.Seats) == 0 && tierOK && r.N >= 1 && r.N <= MaxHold)) {
		return ttl, nil // the common case, without building anything
	}
	return 0, s.holdViolations(now, r)
}

// holdViolations says why checkHold refuses.
//
//go:noinline
func (s *Sales) holdViolations(now time.Time, r *HoldRequest) error {
	var vs wht93.Violations
	if v := checkKey(r.Key); v != nil {
		vs = append(vs, v)
	}
	if err := s.checkParty(now, r.Buyer, r.Channel, r.Staff); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	n := len(r.Seats)
	switch {
	case n > 0 && (r.Tier != "" || r.N != 0):
		vs = append(vs, ErrRequest.Atf("tier", printable(r.Tier), "指定座位时不能同时指定票档和数量", "give specific seats or a tier and a number, not both"))
	case n > MaxHold:
		vs = append(vs, ErrRequest.Atf("seats", strconv.Itoa(n), "一次最多锁定100个座位", "at most 100 seats per hold"))
	case n == 0:
		if _, ok := s.chart.TierIndex(r.Tier); !ok {
			vs = append(vs, ErrRequest.Atf("tier", printable(r.Tier), "票档不存在", "no such tier"))
		}
		if r.N < 1 || r.N > MaxHold {
			vs = append(vs, ErrRequest.Atf("n", strconv.Itoa(r.N), "座位数应为1至100", "number of seats must be 1 to 100"))
		}
		n = r.N
	}
	ttl := r.TTL
	if ttl == 0 {
		ttl = s.ttl
	}
	if ttl < time.Second || ttl > 24*time.Hour {
		vs = append(vs, ErrRequest.Atf("ttl", ttl.String(), "锁座时长应为1秒至24小时", "hold time must be 1 second to 24 hours"))
	}
	if po := s.sess.Limits.PerOrder; r.Staff == "" && n > 0 && po > 0 && n > po {
		// The per-purchase limit is known now; the others are checked at the sale.
		lim := session.Limits{PerOrder: po}
		if err := lim.Check(realname.ModeNone, session.Order{Tickets: n}, session.Held{}); err != nil {
			vs = append(vs, wht93.ViolationsOf(err)...)
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	return ErrRequest.At("request", r.Key) // not reached: checkHold found something
}

// checkHeld checks the seats a store says it held.
func (s *Sales) checkHeld(op *HoldOp, seats []venue.SeatID) error {
	c := s.chart
	bad := func(why string) error {
		return ErrStore.Atf("hold", op.Hold, "锁座结果不符合约定："+why, "hold result breaks the contract: "+why)
	}
	if len(op.Seats) > 0 {
		if !slices.Equal(seats, op.Seats) {
			return bad("seats")
		}
		return nil
	}
	if len(seats) != op.N || !slices.IsSorted(seats) {
		return bad("number or order of seats")
	}
	t, _ := c.TierIndex(op.Tier)
	for i, id := range seats {
		if !c.in(id) || c.TierOf(id) != t || !c.Allows(op.Access, id) || (i > 0 && seats[i-1] == id) {
			return bad("seat " + strconv.Itoa(int(id)))
		}
	}
	return nil
}

// Release releases a hold at now and returns how many seats it freed.
func (s *Sales) Release(ctx context.Context, now time.Time, h Hold) (int, error) {
	if v := checkKey(h.Key); v != nil {
		return 0, v
	}
	n, err := s.store.Release(ctx, s.chart, h.Key, now)
	if err == nil && (n < 0 || n > MaxHold) {
		return 0, ErrStore.Atf("released", strconv.Itoa(n), "释放座位数不符合约定", "released count breaks the contract")
	}
	return n, err
}

// Purchase is what a buyer brings to a sale besides the hold: the blind indexes of
// the real-name documents (none, one for the order, or one per ticket, as the
// real-name mode asks), and the policy whose price applies.
type Purchase struct {
	IDs    []realname.BlindIndex
	Policy string // id of one of the configured policies; "" for list prices
	// Amounts, when given, are what each ticket costs, in the order of the hold's
	// seats: a price computed for a cross-session bundle (Policy.Quote over all its
	// sessions). Each must be between 0 and the ticket's list price.
	Amounts []wht93.Fen
}

// Sale is a completed sale: its tickets and what they cost.
type Sale struct {
	Tickets []Ticket
	List    wht93.Fen // the sum of the list prices
	Total   wht93.Fen // the sum of the amounts paid
}

// Sell sells the held seats at now: it checks the sales window and the channel,
// prices each ticket (list price, the named policy, or the amounts given; staff
// and complimentary seats at 0), checks the limits of the session and of every
// policy that applies, and has the store record the tickets and count them — the
// limits are enforced in that same atomic step, so two simultaneous orders cannot
// both pass a limit that only one fits.
func (s *Sales) Sell(ctx context.Context, now time.Time, h Hold, p Purchase) (*Sale, error) {
	if err := s.checkParty(now, h.Buyer, h.Channel, h.Staff); err != nil {
		return nil, err
	}
	if v := checkKey(h.Key); v != nil {
		return nil, v
	}
	sale, err := s.price(now, &h, &p)
	if err != nil {
		return nil, err
	}
	// Limits and quotas, as counters the store applies with the sale.
	var lc *limitCounters
	if h.Staff == "" {
		if lc, err = s.limits(now, h, p, sale.Tickets); err != nil {
			return nil, err
		}
	}
	op := &SaleOp{Chart: s.chart, Hold: h.Key, Now: now, Tickets: sale.Tickets}
	if lc != nil {
		op.Counters = lc.adds
	}
	out, err := s.store.Sell(ctx, op)
	if err != nil {
		return nil, saleError(err, lc)
	}
	if err := checkSold(op, out); err != nil {
		return nil, err
	}
	sale.Tickets = out
	return sale, nil
}

// saleError turns a store's CapError into the violations behind it.
//
//go:noinline
func saleError(err error, lc *limitCounters) error {
	var ce *CapError
	if errors.As(err, &ce) && lc != nil {
		if verr := lc.explain(ce); verr != nil {
			return verr
		}
	}
	return err
}

// price makes the tickets of the hold's seats and prices them: list price, the
// named policy, or the amounts given; staff and complimentary seats at 0.
func (s *Sales) price(now time.Time, h *Hold, p *Purchase) (*Sale, error) {
	n := len(h.Seats)
	if n == 0 || n > MaxHold {
		return nil, ErrRequest.Atf("seats", strconv.Itoa(n), "一次销售应有1至100个座位", "a sale needs 1 to 100 seats")
	}
	c := s.chart
	sale := &Sale{Tickets: make([]Ticket, n)}
	tickets := sale.Tickets
	for i, id := range h.Seats {
		if !c.in(id) || (c.ttype[id] != Sellable && h.Staff == "") {
			return nil, s.seatsViolations(h)
		}
		tier := &c.tiers[c.seatTier[id]]
		tickets[i] = Ticket{
			Session: c.SessionID(), Seat: id, Tier: tier.ID, Type: c.ttype[id], Order: h.Key,
			Buyer: h.Buyer, Channel: h.Channel, Staff: h.Staff, SoldAt: now,
		}
	}
	var amounts []wht93.Fen
	if p.Policy != "" || p.Amounts != nil {
		var err error
		if amounts, err = s.offer(now, h, p, tickets); err != nil {
			return nil, err
		}
	}
	for i := range tickets {
		list := c.listPrice(int(h.Seats[i]))
		tickets[i].Amount = list
		if amounts != nil {
			tickets[i].Amount = amounts[i]
		}
		sale.List += list
		sale.Total += tickets[i].Amount
	}
	return sale, nil
}

// seatsViolations says which of the hold's seats cannot be sold by it.
//
//go:noinline
func (s *Sales) seatsViolations(h *Hold) error {
	c := s.chart
	var vs wht93.Violations
	for i, id := range h.Seats {
		switch {
		case !c.in(id):
			vs = append(vs, ErrSeatUnknown.At("seats["+strconv.Itoa(i)+"]", strconv.Itoa(int(id))))
		case c.ttype[id] != Sellable && h.Staff == "":
			vs = append(vs, ErrNotSellable.At("seats["+strconv.Itoa(i)+"]", c.Label(id)))
		}
	}
	return vs.Err()
}

// offer prices the tickets by the named policy or checks the amounts given.
//
//go:noinline
func (s *Sales) offer(now time.Time, h *Hold, p *Purchase, tickets []Ticket) ([]wht93.Fen, error) {
	c := s.chart
	n := len(tickets)
	if p.Amounts != nil {
		if len(p.Amounts) != n {
			return nil, ErrRequest.Atf("amounts", strconv.Itoa(len(p.Amounts)), fmt.Sprintf("应有 %d 个金额", n), fmt.Sprintf("%d amounts needed", n))
		}
		var vs wht93.Violations
		for i, a := range p.Amounts {
			if a < 0 || a > c.listPrice(int(h.Seats[i])) {
				vs = append(vs, ErrRequest.Atf("amounts["+strconv.Itoa(i)+"]", a.String(), "金额应在0与票价之间", "an amount must be between 0 and the list price"))
			}
		}
		return p.Amounts, vs.Err()
	}
	pricing := s.byID[p.Policy]
	if pricing == nil {
		return nil, session.ErrOutOfScope.Atf("policy", printable(p.Policy), "没有该销售政策", "no such policy")
	}
	lines := make([]session.Line, 0, n)
	for i := range tickets {
		if tickets[i].Type == Sellable {
			lines = append(lines, session.Line{SessionID: c.SessionID(), Tier: tickets[i].Tier, Price: c.tiers[c.seatTier[h.Seats[i]]].Price})
		}
	}
	if len(lines) == 0 {
		return nil, nil // staff and complimentary seats only: nothing to price
	}
	q, err := pricing.Quote(now, h.Channel, lines)
	if err != nil {
		return nil, err
	}
	amounts := make([]wht93.Fen, 0, n)
	j := 0
	for i := range tickets {
		if tickets[i].Type == Sellable {
			amounts = append(amounts, q.Amounts[j])
			j++
		} else {
			amounts = append(amounts, 0)
		}
	}
	return amounts, nil
}

// checkSold checks the tickets a store says it recorded.
func checkSold(op *SaleOp, out []Ticket) error {
	if len(out) != len(op.Tickets) {
		return ErrStore.Atf("tickets", strconv.Itoa(len(out)), "售出票数不符合约定", "number of tickets sold breaks the contract")
	}
	for i, t := range out {
		w := op.Tickets[i]
		dup := slices.ContainsFunc(out[:i], func(u Ticket) bool { return u.Serial == t.Serial })
		if t.Serial <= 0 || dup || t.Seat != w.Seat || t.Session != w.Session || t.Order != w.Order || t.Tier != w.Tier || !t.Live() {
			return ErrStore.Atf("tickets["+strconv.Itoa(i)+"]", strconv.FormatInt(t.Serial, 10), "售出的票不符合约定", "ticket sold breaks the contract")
		}
	}
	return nil
}

// Buy holds and sells in one call (a box-office sale, a staff issue): when the
// sale fails, the hold is released.
func (s *Sales) Buy(ctx context.Context, now time.Time, r HoldRequest, p Purchase) (*Sale, error) {
	h, err := s.Hold(ctx, now, r)
	if err != nil {
		return nil, err
	}
	sale, err := s.Sell(ctx, now, h, p)
	if err != nil {
		if _, rerr := s.store.Release(ctx, s.chart, h.Key, now); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, err
	}
	return sale, nil
}

// Issue issues tickets of the seats by staff at now (后台人工出票, E.2.2.6 d): reserved
// seats, staff and complimentary seats included, blocked seats not. Staff and
// complimentary tickets cost 0, others their list price unless p says otherwise.
func (s *Sales) Issue(ctx context.Context, now time.Time, key, staff string, seats []venue.SeatID, p Purchase) (*Sale, error) {
	if staff == "" {
		return nil, ErrRequest.Atf("staff", "", "人工出票应有工作人员账号", "a staff issue needs a staff account")
	}
	return s.Buy(ctx, now, HoldRequest{Key: key, Staff: staff, Seats: seats, TTL: time.Minute}, p)
}

// Refund refunds the live ticket with the serial at now: its seat can be sold
// again and the limits and quotas it counted in are given back.
func (s *Sales) Refund(ctx context.Context, now time.Time, serial int64) (Ticket, error) {
	t, err := s.store.Refund(ctx, s.chart, serial, now)
	if err != nil {
		return Ticket{}, err
	}
	if t.Serial != serial || t.Live() || t.Session != s.chart.SessionID() {
		return Ticket{}, ErrStore.Atf("serial", strconv.FormatInt(t.Serial, 10), "退票结果不符合约定", "refund result breaks the contract")
	}
	return t, nil
}

// Tickets returns every ticket of the session, live and refunded, by serial.
func (s *Sales) Tickets(ctx context.Context) ([]Ticket, error) {
	return s.store.Tickets(ctx, s.chart)
}

// Snapshot returns the state of every seat at now, checked.
func (s *Sales) Snapshot(ctx context.Context, now time.Time) (*Snapshot, error) {
	sn, err := s.store.Snapshot(ctx, s.chart, now)
	if err != nil {
		return nil, err
	}
	if sn == nil || len(sn.States) != s.chart.Len() || len(sn.Sold) != len(s.chart.tiers) || sn.Version != s.chart.Version() {
		return nil, ErrStore.Atf("snapshot", "", "座位快照不符合约定", "snapshot breaks the contract")
	}
	for id, st := range sn.States {
		if st < Available || st > Sold {
			return nil, ErrStore.Atf("snapshot.states["+strconv.Itoa(id)+"]", st.String(), "座位状态无效", "invalid seat state")
		}
	}
	return sn, nil
}
