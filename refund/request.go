package refund

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/ticket"
)

// MaxTickets is the most tickets one refund request names (the most one hold
// sells).
const MaxTickets = inventory.MaxHold

// Text limits of a request, in characters.
const (
	maxID     = 100 // refundOrderId, orderId: String 100 in Appendix A
	maxName   = 64  // operators, channels
	maxReason = 200 // reason: String 200 in Appendix A
)

// State is where a refund request is: Requested, then Approved or Rejected;
// an approved request becomes Refunded when its effects are applied. Refunded
// and Rejected are final. A State is a small value, safe for concurrent use.
type State uint8

// The states of a refund request.
const (
	Requested State = iota + 1 // 已申请
	Approved                   // 已审核通过
	Refunded                   // 已退票退款
	Rejected                   // 已驳回
)

// String returns "requested", "approved", "refunded" or "rejected".
func (s State) String() string {
	switch s {
	case Requested:
		return "requested"
	case Approved:
		return "approved"
	case Refunded:
		return "refunded"
	case Rejected:
		return "rejected"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Zh returns 已申请, 已审核通过, 已退票退款 or 已驳回.
func (s State) Zh() string {
	switch s {
	case Requested:
		return "已申请"
	case Approved:
		return "已审核通过"
	case Refunded:
		return "已退票退款"
	case Rejected:
		return "已驳回"
	}
	return "状态无效"
}

// Item is one ticket a buyer asks to refund: the ticket record (package ticket)
// and the same ticket's sale in the inventory (its serial, order and amount
// paid), as the host stored them at the sale. SubOrder is the ticket's
// sub-order id in the order reported to the platform (Appendix A
// ticketOrderId); empty means the ticket code. An Item is a plain value.
type Item struct {
	Ticket   ticket.Ticket
	Sale     inventory.Ticket
	SubOrder string
}

// Input asks for the refund of some or all tickets of one order. An Input is a
// plain value.
type Input struct {
	ID      string // the refund's id (退票单号, Appendix A refundOrderId): the idempotency key
	OrderID string
	Channel string // the sales platform or channel the refund is made through (退票销售平台)
	By      string // who asks: the buyer's account, or the operator at the box office
	Reason  string
	Items   []Item
}

// Line is one ticket of a request with its quote under the refund rules.
// A Line is a plain value.
type Line struct {
	Ticket   ticket.Ticket
	Serial   int64  // the inventory's serial of the ticket's sale
	SubOrder string // Appendix A ticketOrderId
	Quote    Quote
}

// Request is a refund request and where it is (6.3.4, E.2.5 a: 提交退票申请，审核通过后
// 原路退回). It is created by Desk.Open, moved by Approve and Reject (which return a
// new value and leave the receiver unchanged), and completed by Desk.Refund.
// The host stores it; its fields are exported for that. A Request is a plain
// value: safe for concurrent reads, not for concurrent mutation.
type Request struct {
	ID          string
	OrderID     string
	Channel     string
	Reason      string
	Lines       []Line
	State       State
	RequestedBy string
	RequestedAt time.Time
	ReviewedBy  string // who approved or rejected
	ReviewedAt  time.Time
	Note        string // why it was rejected
	RefundedBy  string // the operator of the refund (退票操作人)
	RefundedAt  time.Time
}

// Paid returns what was paid for the request's tickets; Fee and Amount what the
// refund keeps and returns.
func (r *Request) Paid() wht93.Fen { return r.sum(func(q Quote) wht93.Fen { return q.Paid }) }

// Fee returns the sum of the lines' fees.
func (r *Request) Fee() wht93.Fen { return r.sum(func(q Quote) wht93.Fen { return q.Fee }) }

// Amount returns the sum of the lines' refunds: what goes back to the buyer.
func (r *Request) Amount() wht93.Fen { return r.sum(func(q Quote) wht93.Fen { return q.Refund }) }

func (r *Request) sum(f func(Quote) wht93.Fen) wht93.Fen {
	var s wht93.Fen
	for _, l := range r.Lines {
		s += f(l.Quote)
	}
	return s
}

// Approve approves a Requested request by the reviewer by at the instant at.
func (r Request) Approve(by string, at time.Time) (Request, error) {
	if err := r.step(Requested, "审核通过", "approve"); err != nil {
		return r, err
	}
	var vs wht93.Violations
	vs = checkText(vs, "by", by, maxName)
	vs = checkTime(vs, "at", at, r.RequestedAt)
	if err := vs.Err(); err != nil {
		return r, err
	}
	r.State, r.ReviewedBy, r.ReviewedAt = Approved, by, at
	return r, nil
}

// Reject rejects a Requested request by the reviewer by at the instant at, with
// a note saying why.
func (r Request) Reject(by, note string, at time.Time) (Request, error) {
	if err := r.step(Requested, "驳回", "reject"); err != nil {
		return r, err
	}
	var vs wht93.Violations
	vs = checkText(vs, "by", by, maxName)
	vs = checkText(vs, "note", note, maxReason)
	vs = checkTime(vs, "at", at, r.RequestedAt)
	if err := vs.Err(); err != nil {
		return r, err
	}
	r.State, r.ReviewedBy, r.ReviewedAt, r.Note = Rejected, by, at, note
	return r, nil
}

// step returns an ErrTransition violation unless the request is in state from.
func (r *Request) step(from State, zh, en string) error {
	if r.State == from {
		return nil
	}
	return ErrTransition.Atf("state", r.State.String(),
		fmt.Sprintf("退票申请%s，不能%s", r.State.Zh(), zh),
		fmt.Sprintf("the refund request is %s: cannot %s it", r.State, en))
}

// open builds a Requested request from in at the instant at, quoting each
// ticket under rules with its session's start (start returns false for a
// session the caller does not sell).
func open(in Input, rules Rules, start func(session string) (time.Time, bool), at time.Time) (Request, error) {
	if err := rules.Validate(); err != nil {
		return Request{}, err
	}
	var vs wht93.Violations
	vs = checkText(vs, "id", in.ID, maxID)
	vs = checkText(vs, "orderId", in.OrderID, maxID)
	vs = checkText(vs, "channel", in.Channel, maxName)
	vs = checkText(vs, "by", in.By, maxName)
	vs = checkText(vs, "reason", in.Reason, maxReason)
	if at.IsZero() {
		vs = append(vs, ErrRequest.Atf("at", "", "缺少申请时间", "the instant of the request is missing"))
	}
	if n := len(in.Items); n == 0 || n > MaxTickets {
		vs = append(vs, ErrRequest.Atf("items", fmt.Sprint(n),
			fmt.Sprintf("每次退票应为1至%d张演出票", MaxTickets), fmt.Sprintf("a refund names 1 to %d tickets", MaxTickets)))
	}
	req := Request{ID: in.ID, OrderID: in.OrderID, Channel: in.Channel, Reason: in.Reason,
		State: Requested, RequestedBy: in.By, RequestedAt: at}
	seen := map[codes.TicketCode]bool{}
	serials := map[int64]bool{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		t, s := it.Ticket, it.Sale
		code := t.Code.String()
		switch {
		case t.Code.IsZero():
			vs = append(vs, ErrTicket.Atf(f+".ticket.ticketCode", "", "缺少演出票编码", "the ticket code is missing"))
			continue
		case seen[t.Code] || serials[s.Serial]:
			vs = append(vs, ErrRequest.Atf(f+".ticket.ticketCode", code, "同一演出票重复申请退票", "ticket listed twice"))
			continue
		}
		seen[t.Code], serials[s.Serial] = true, true
		if err := t.CheckLive(at); err != nil {
			vs = append(vs, ErrTicket.Atf(f+".ticket.status", code, "演出票"+t.Status.Zh()+"或已过有效期", "the ticket is "+t.Status.String()+" or past its validity"))
		}
		if !s.Live() || s.Serial <= 0 {
			vs = append(vs, ErrTicket.Atf(f+".sale.serial", code, "库存中该演出票已退或不存在", "the inventory has no live sale of the ticket"))
		}
		if t.OrderID != in.OrderID || s.Order != in.OrderID {
			vs = append(vs, ErrTicket.Atf(f+".ticket.orderId", code, "演出票不属于该订单", "the ticket is not of the order"))
		}
		if t.SessionID != s.Session {
			vs = append(vs, ErrTicket.Atf(f+".sale.session", code, "演出票记录与库存记录的场次不一致", "the ticket record and the inventory's sale are of different sessions"))
		}
		sub := it.SubOrder
		if sub == "" {
			sub = code
		}
		vs = checkText(vs, f+".subOrder", sub, maxID)
		begin, ok := start(t.SessionID)
		if !ok {
			vs = append(vs, ErrSession.At(f+".ticket.sessionId", t.SessionID))
			continue
		}
		q, err := rules.quote(s.Amount, begin, at) // rules validated above
		if err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(f)...)
			continue
		}
		req.Lines = append(req.Lines, Line{Ticket: t, Serial: s.Serial, SubOrder: sub, Quote: q})
	}
	if err := vs.Err(); err != nil {
		return Request{}, err
	}
	return req, nil
}

// checkText appends an ErrRequest violation when s is empty, longer than max
// characters, not UTF-8, or has control characters or surrounding space.
func checkText(vs wht93.Violations, field, s string, max int) wht93.Violations {
	if !wht93.CleanText(s, max, "") {
		v := s
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "…"
		}
		vs = append(vs, ErrRequest.Atf(field, v,
			fmt.Sprintf("应为1至%d个字符，不含控制字符及首尾空格", max),
			fmt.Sprintf("must be 1 to %d characters without control characters or surrounding space", max)))
	}
	return vs
}

// checkTime appends an ErrRequest violation when at is zero or before after.
func checkTime(vs wht93.Violations, field string, at, after time.Time) wht93.Violations {
	if at.IsZero() || at.Before(after) {
		vs = append(vs, ErrRequest.Atf(field, at.In(wht93.CST).Format(time.DateTime),
			"时间缺失或早于上一步", "the instant is missing or before the previous step"))
	}
	return vs
}
