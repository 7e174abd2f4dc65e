package refund

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// Revoker voids every code of a ticket (its e-ticket credential and paper):
// *ticket.RevocationSet has this method. Cancel must be idempotent (revocations
// only grow). A desk serialises its own calls to Cancel; when gates read the
// same set meanwhile, pass a wrapper that takes the host's write lock (see the
// RevocationSet's concurrency note).
type Revoker interface {
	Cancel(code codes.TicketCode)
}

// Config is what a Desk works with: the refund rules shown to buyers, the sales
// of every session whose tickets it refunds, and the revocation list of the
// gates. A Config is a plain value; NewDesk copies what it keeps.
type Config struct {
	Rules   Rules
	Sales   []*inventory.Sales
	Revoker Revoker // may be nil when the host cancels codes itself from Result.Tickets
}

// Desk takes refund requests and applies approved ones (退票管理, 6.3.4, 7.1.4).
//
// # Together or not at all
//
// The effects of a refund are: the seat sellable again and the box office
// changed (the inventory store), the ticket record refunded and its codes void
// (ticket.Ticket.Refund, Revoker.Cancel), the refund record and the data of
// /report/refundOrder. The inventory has its own store, so they cannot share
// one transaction. Refund orders them so that they hold together:
//
//  1. Everything is checked first — the request is approved, each ticket record
//     can be refunded, each ticket's sale is found in the inventory as the
//     request saw it (same order and amount), live or already refunded.
//     A refusal changes nothing.
//  2. The commit point is the inventory: Sales.Refund of each live ticket, one
//     atomic, durable step per ticket. A ticket the inventory already records
//     as refunded (a retry after a crash or a lost answer) is taken as refunded
//     at the instant the inventory recorded, not refunded again.
//  3. The other effects are pure values computed from what the inventory
//     recorded (the ticket records, the record, the report data) or idempotent
//     (Revoker.Cancel, the box office read), so that a retry recomputes the same
//     result.
//
// When a step of 2 or 3 fails (the store is unreachable), Refund returns the
// error and the request stays Approved; calling Refund again with the same
// request completes it without refunding any ticket twice. Once it succeeded,
// a second call with the same request id returns the first Result (the desk
// remembers results in memory; across processes, the inventory keeps a retry
// from refunding twice, and the host stores the Refunded request).
//
// A ticket is refunded by one request: the desk refuses a second request that
// names a ticket already claimed by another (ErrClaimed). Hosts running several
// desks over one inventory keep that rule with a unique index on the ticket code
// of their stored requests that are not rejected.
//
// A Desk is safe for concurrent use. Calls for the same request id are
// serialised; calls for different requests run concurrently.
type Desk struct {
	rules   Rules
	sales   map[string]*inventory.Sales
	revoker Revoker

	mu       sync.Mutex
	done     map[string]*Result
	inflight map[string]chan struct{}
	claims   map[codes.TicketCode]string // ticket → request id that refunds it
}

// NewDesk checks the configuration (every violation of the rules; sales given,
// one per session) and returns a desk.
func NewDesk(cfg Config) (*Desk, error) {
	vs := wht93.ViolationsOf(cfg.Rules.Validate()).In("rules")
	d := &Desk{rules: Rules{Tiers: slices.Clone(cfg.Rules.Tiers)}, sales: map[string]*inventory.Sales{}, revoker: cfg.Revoker,
		done: map[string]*Result{}, inflight: map[string]chan struct{}{}, claims: map[codes.TicketCode]string{}}
	if len(cfg.Sales) == 0 {
		vs = append(vs, ErrSession.Atf("sales", "0", "缺少场次销售", "no sales configured"))
	}
	for i, s := range cfg.Sales {
		if s == nil {
			vs = append(vs, ErrSession.Atf(fmt.Sprintf("sales[%d]", i), "nil", "场次销售为空", "sales is nil"))
			continue
		}
		id := s.Session().ID
		if _, dup := d.sales[id]; dup {
			vs = append(vs, ErrSession.Atf(fmt.Sprintf("sales[%d]", i), id, "同一场次重复配置", "session configured twice"))
		}
		d.sales[id] = s
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// Rules returns the refund rules the desk applies, to show the buyer
// (Rules.Zh, Rules.En).
func (d *Desk) Rules() Rules { return Rules{Tiers: slices.Clone(d.rules.Tiers)} }

// Open creates a refund request from in at the instant at: every ticket live,
// of the order, of a session the desk sells, and refundable under the rules at
// at, with its quote. It reads no store and changes nothing; it returns every
// violation at once.
func (d *Desk) Open(in Input, at time.Time) (Request, error) {
	return open(in, d.rules, func(id string) (time.Time, bool) {
		s, ok := d.sales[id]
		if !ok {
			return time.Time{}, false
		}
		return s.Session().Start, true
	}, at)
}

// Result is what a refund did: the request, Refunded; the ticket records,
// refunded (store them, and give the gates their passes, checkin.PassOf); the
// refund record; the data of /report/refundOrder; and the box office of each
// session touched, read after the refund. A Result is a plain value; a Result
// returned twice is shared and must not be modified.
type Result struct {
	Request   Request
	Tickets   []ticket.Ticket
	Record    Record
	Report    Report
	BoxOffice []*inventory.BoxOffice
}

// RecordTicket is one ticket of a refund record. It is a plain value.
type RecordTicket struct {
	Code        codes.TicketCode
	SessionID   string
	SessionCode codes.SessionCode
	Seat        venue.Location // zero for an unseated ticket
	Paid        wht93.Fen
	Fee         wht93.Fen
	Refund      wht93.Fen
}

// Record is the refund record of 6.3.4 and 7.1.4.2 (退票退款记录): the ticket
// codes, the sales platform or channel, the operator, the time and the amount,
// and the reason, generated from the show's and the refund's information.
// One refund makes one record (E.2.5 b). It holds no personal data. A Record
// is a plain value.
type Record struct {
	ID       string // the refund's id
	OrderID  string
	Channel  string // 退票销售平台
	Operator string // 退票操作人
	At       time.Time
	Paid     wht93.Fen
	Fee      wht93.Fen
	Amount   wht93.Fen // 退票金额: returned to the buyer
	Reason   string
	Tickets  []RecordTicket
}

// ReportTicket is one entry of the ticket list of /report/refundOrder.
type ReportTicket struct {
	TicketOrderID string    // the ticket's sub-order id
	SessionCode   string    // 21 digits
	TicketID      string    // the ticket code
	RefundAmount  wht93.Fen // fen
}

// Report is the data of Appendix A's /report/refundOrder (A.3.3.7), which the
// reporting pipeline sends with the first sales report after the refund, on the
// same day (7.1.4.2). It is a plain value; the report package maps it to the
// wire request.
type Report struct {
	RefundOrderID string
	OrderID       string
	Reason        string
	Time          time.Time
	Tickets       []ReportTicket
}

// Refund applies an approved request by the operator at now (see Desk for how
// its effects hold together) and returns the result; called again with the same
// request id, it returns the first result. It returns an ErrTransition
// violation for a request that is not approved; ErrRequest for a bad operator
// or instant; ErrTicket, ErrSession, ErrChanged or ErrClaimed, changing
// nothing, when a ticket cannot be refunded by this request; and the store's
// error when the inventory failed, after which calling again completes the
// refund.
func (d *Desk) Refund(ctx context.Context, req Request, operator string, now time.Time) (*Result, error) {
	if req.State != Refunded { // a Refunded request finds its result, or is refused below
		if err := req.step(Approved, "退票", "refund"); err != nil {
			return nil, err
		}
	}
	for {
		d.mu.Lock()
		if r, ok := d.done[req.ID]; ok {
			d.mu.Unlock()
			if !sameTickets(&r.Request, &req) {
				return nil, ErrClaimed.Atf("id", req.ID, "退票单号已被另一退票申请使用", "the refund id is in use by another request")
			}
			return r, nil
		}
		ch, busy := d.inflight[req.ID]
		if !busy {
			d.inflight[req.ID] = make(chan struct{})
			d.mu.Unlock()
			break
		}
		d.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer func() {
		d.mu.Lock()
		close(d.inflight[req.ID])
		delete(d.inflight, req.ID)
		d.mu.Unlock()
	}()
	res, err := d.refund(ctx, &req, operator, now)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.done[req.ID] = res
	d.mu.Unlock()
	return res, nil
}

func sameTickets(a, b *Request) bool {
	if a.OrderID != b.OrderID || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		if a.Lines[i].Ticket.Code != b.Lines[i].Ticket.Code || a.Lines[i].Serial != b.Lines[i].Serial {
			return false
		}
	}
	return true
}

func (d *Desk) refund(ctx context.Context, req *Request, operator string, now time.Time) (*Result, error) {
	// 1. Check everything; change nothing on a refusal.
	if err := req.step(Approved, "退票", "refund"); err != nil {
		return nil, err
	}
	var vs wht93.Violations
	vs = checkText(vs, "operator", operator, maxName)
	vs = checkTime(vs, "now", now, req.ReviewedAt)
	if len(req.Lines) == 0 {
		vs = append(vs, ErrRequest.Atf("lines", "0", "退票申请没有演出票", "the request names no ticket"))
	}
	sessions := map[string][]int{} // session → indexes of its lines, in order of first appearance
	var order []string
	codesSeen, serials := map[codes.TicketCode]bool{}, map[int64]bool{}
	for i, l := range req.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		if codesSeen[l.Ticket.Code] || serials[l.Serial] {
			vs = append(vs, ErrRequest.Atf(f+".ticket.ticketCode", l.Ticket.Code.String(), "同一演出票重复申请退票", "ticket listed twice"))
		}
		codesSeen[l.Ticket.Code], serials[l.Serial] = true, true
		if q := l.Quote; q.Paid < 0 || q.Fee < 0 || q.Fee > q.Paid || q.Refund != q.Paid-q.Fee {
			vs = append(vs, ErrRequest.Atf(f+".quote", fmt.Sprintf("%s-%s≠%s", q.Paid, q.Fee, q.Refund),
				"退款金额应为实付金额减手续费，手续费不超过实付金额", "the refund must be the amount paid minus a fee of at most the amount paid"))
		}
		if _, err := l.Ticket.Refund(now, req.Reason); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(f+".ticket")...)
		}
		if _, ok := d.sales[l.Ticket.SessionID]; !ok {
			vs = append(vs, ErrSession.At(f+".ticket.sessionId", l.Ticket.SessionID))
			continue
		}
		if _, ok := sessions[l.Ticket.SessionID]; !ok {
			order = append(order, l.Ticket.SessionID)
		}
		sessions[l.Ticket.SessionID] = append(sessions[l.Ticket.SessionID], i)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if err := d.claim(req); err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			d.unclaim(req)
		}
	}()

	// The inventory's view of each ticket, read before any change.
	sold := make([]inventory.Ticket, len(req.Lines))
	for _, id := range order {
		all, err := d.sales[id].Tickets(ctx)
		if err != nil {
			return nil, fmt.Errorf("refund %s: reading the inventory of session %s: %w", req.ID, id, err)
		}
		bySerial := make(map[int64]inventory.Ticket, len(sessions[id]))
		for _, i := range sessions[id] {
			bySerial[req.Lines[i].Serial] = inventory.Ticket{}
		}
		for _, t := range all {
			if _, want := bySerial[t.Serial]; want {
				bySerial[t.Serial] = t
			}
		}
		for _, i := range sessions[id] {
			l := &req.Lines[i]
			t := bySerial[l.Serial]
			f := fmt.Sprintf("lines[%d]", i)
			code := l.Ticket.Code.String()
			switch {
			case t.Serial == 0:
				vs = append(vs, ErrChanged.Atf(f+".serial", code, "库存中没有该演出票的售票记录", "the inventory has no sale of the ticket"))
			case t.Order != req.OrderID || t.Amount != l.Quote.Paid || t.Session != l.Ticket.SessionID:
				vs = append(vs, ErrChanged.At(f+".serial", code))
			case !t.Live() && t.RefundedAt.Before(req.ReviewedAt):
				vs = append(vs, ErrChanged.Atf(f+".serial", code, "该演出票在本申请审核前已退票", "the ticket was refunded before this request was approved"))
			}
			sold[i] = t
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	for _, t := range sold {
		if !t.Live() {
			committed = true // an earlier attempt refunded it: the claim stays
		}
	}

	// 2. The commit point: the inventory refunds each live ticket.
	for i := range req.Lines {
		if !sold[i].Live() {
			continue // refunded by an earlier attempt of this request
		}
		t, err := d.sales[req.Lines[i].Ticket.SessionID].Refund(ctx, now, req.Lines[i].Serial)
		if err != nil {
			if errors.Is(err, inventory.ErrRefunded) {
				committed = true // refunded meanwhile: a retry reads when
			}
			return nil, fmt.Errorf("refund %s: ticket %s: %w", req.ID, req.Lines[i].Ticket.Code, err)
		}
		committed = true
		sold[i] = t
	}
	committed = true

	// 3. The pure and idempotent effects, from what the inventory recorded.
	res := &Result{Request: *req}
	res.Request.Lines = slices.Clone(req.Lines)
	var at time.Time
	for _, t := range sold {
		if t.RefundedAt.After(at) {
			at = t.RefundedAt
		}
	}
	res.Request.State, res.Request.RefundedBy, res.Request.RefundedAt = Refunded, operator, at
	rec := Record{ID: req.ID, OrderID: req.OrderID, Channel: req.Channel, Operator: operator, At: at,
		Paid: req.Paid(), Fee: req.Fee(), Amount: req.Amount(), Reason: req.Reason}
	rep := Report{RefundOrderID: req.ID, OrderID: req.OrderID, Reason: req.Reason, Time: at}
	for i, l := range req.Lines {
		t, err := l.Ticket.Refund(sold[i].RefundedAt, req.Reason)
		if err != nil { // checked in step 1 at now; RefundedAt is not later
			return nil, fmt.Errorf("refund %s: %w", req.ID, err)
		}
		res.Tickets = append(res.Tickets, t)
		sc := t.Session()
		rec.Tickets = append(rec.Tickets, RecordTicket{Code: t.Code, SessionID: t.SessionID, SessionCode: sc, Seat: t.Seat,
			Paid: l.Quote.Paid, Fee: l.Quote.Fee, Refund: l.Quote.Refund})
		rep.Tickets = append(rep.Tickets, ReportTicket{TicketOrderID: l.SubOrder, SessionCode: sc.String(),
			TicketID: t.Code.String(), RefundAmount: l.Quote.Refund})
	}
	res.Record, res.Report = rec, rep
	if d.revoker != nil {
		d.mu.Lock() // the desk's own calls to Cancel are serialised
		for _, t := range res.Tickets {
			d.revoker.Cancel(t.Code)
		}
		d.mu.Unlock()
	}
	for _, id := range order {
		box, err := d.sales[id].BoxOffice(ctx, now)
		if err != nil {
			return nil, fmt.Errorf("refund %s: box office of session %s: %w", req.ID, id, err)
		}
		res.BoxOffice = append(res.BoxOffice, box)
	}
	return res, nil
}

// claim records that req refunds its tickets, or returns ErrClaimed naming each
// ticket another request claimed.
func (d *Desk) claim(req *Request) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var vs wht93.Violations
	for i, l := range req.Lines {
		if by, ok := d.claims[l.Ticket.Code]; ok && by != req.ID {
			vs = append(vs, ErrClaimed.Atf(fmt.Sprintf("lines[%d].ticket.ticketCode", i), l.Ticket.Code.String(),
				"该演出票已由退票申请 "+by+" 退票", "the ticket is refunded by request "+by))
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	for _, l := range req.Lines {
		d.claims[l.Ticket.Code] = req.ID
	}
	return nil
}

// unclaim drops req's claims when it refunded nothing.
func (d *Desk) unclaim(req *Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, l := range req.Lines {
		if d.claims[l.Ticket.Code] == req.ID {
			delete(d.claims, l.Ticket.Code)
		}
	}
}
