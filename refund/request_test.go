package refund_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/refund"
)

func TestTransitions(t *testing.T) {
	w := newWorld(t)
	items, err := w.buy(t, "o-1", "A", 1, at(10, 12, 0))
	check(t, err)
	req, err := w.desk.Open(refund.Input{ID: "R-1", OrderID: "o-1", Channel: "web", By: "u1", Reason: "行程变更", Items: items}, at(11, 9, 0))
	check(t, err)
	if req.State != refund.Requested || req.Paid() != 68000 || req.Fee() != 3400 || req.Amount() != 64600 {
		t.Fatalf("request %v paid %v fee %v amount %v", req.State, req.Paid(), req.Fee(), req.Amount())
	}
	approved, err := req.Approve("auditor", at(11, 10, 0))
	check(t, err)
	rejected, err := req.Reject("auditor", "超过退票时限", at(11, 10, 0))
	check(t, err)
	if req.State != refund.Requested {
		t.Fatal("Approve changed its receiver")
	}
	res, err := w.desk.Refund(context.Background(), approved, "cashier", at(11, 10, 1))
	check(t, err)
	done := res.Request

	tests := []struct {
		name string
		step func() error
		want string
	}{
		{"approve twice", func() error { _, err := approved.Approve("a", at(11, 11, 0)); return err },
			`state: 退票申请已审核通过，不能审核通过 / the refund request is approved: cannot approve it: "approved"`},
		{"reject approved", func() error { _, err := approved.Reject("a", "n", at(11, 11, 0)); return err },
			`state: 退票申请已审核通过，不能驳回 / the refund request is approved: cannot reject it: "approved"`},
		{"approve rejected", func() error { _, err := rejected.Approve("a", at(11, 11, 0)); return err },
			`state: 退票申请已驳回，不能审核通过 / the refund request is rejected: cannot approve it: "rejected"`},
		{"refund requested", func() error { _, err := w.desk.Refund(context.Background(), req, "c", at(11, 11, 0)); return err },
			`state: 退票申请已申请，不能退票 / the refund request is requested: cannot refund it: "requested"`},
		{"refund rejected", func() error { _, err := w.desk.Refund(context.Background(), rejected, "c", at(11, 11, 0)); return err },
			`state: 退票申请已驳回，不能退票 / the refund request is rejected: cannot refund it: "rejected"`},
		{"approve refunded", func() error { _, err := done.Approve("a", at(11, 11, 0)); return err },
			`state: 退票申请已退票退款，不能审核通过 / the refund request is refunded: cannot approve it: "refunded"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.step()
			if !errors.Is(err, refund.ErrTransition) || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
	// Bad reviewer and instant.
	_, err = req.Approve(" ", at(11, 8, 0))
	if vs := wht93.ViolationsOf(err); len(vs) != 2 || vs[0].Field != "by" || vs[1].Field != "at" {
		t.Errorf("approve with bad input: %v", err)
	}
	_, err = req.Reject("a", "", at(11, 10, 0))
	if !errors.Is(err, refund.ErrRequest) || !strings.HasPrefix(err.Error(), "note:") {
		t.Errorf("reject without a note: %v", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	w := newWorld(t)
	items, err := w.buy(t, "o-1", "A", 2, at(10, 12, 0))
	check(t, err)
	other, err := w.buy(t, "o-2", "B", 1, at(10, 12, 0))
	check(t, err)
	good := refund.Input{ID: "R-1", OrderID: "o-1", Channel: "web", By: "u1", Reason: "行程变更", Items: items}
	refundedTicket, err := items[1].Ticket.Refund(at(10, 13, 0), "退票")
	check(t, err)
	alien := items[0]
	alien.Ticket.SessionID, alien.Sale.Session = "sess-9", "sess-9"
	tests := []struct {
		name   string
		edit   func(in *refund.Input)
		when   int // day of May
		fields []string
		rule   *wht93.Rule
	}{
		{"no tickets", func(in *refund.Input) { in.Items = nil }, 11, []string{"items"}, refund.ErrRequest},
		{"every text wrong", func(in *refund.Input) { in.ID, in.Channel, in.Reason = "", "web\n", strings.Repeat("长", 201) }, 11,
			[]string{"id", "channel", "reason"}, refund.ErrRequest},
		{"ticket of another order", func(in *refund.Input) { in.Items = append(in.Items[:1:1], other...) }, 11,
			[]string{"items[1].ticket.orderId"}, refund.ErrTicket},
		{"ticket twice", func(in *refund.Input) { in.Items = []refund.Item{items[0], items[0]} }, 11,
			[]string{"items[1].ticket.ticketCode"}, refund.ErrRequest},
		{"refunded ticket", func(in *refund.Input) { in.Items = []refund.Item{{Ticket: refundedTicket, Sale: items[1].Sale}} }, 11,
			[]string{"items[0].ticket.status"}, refund.ErrTicket},
		{"session the desk does not sell", func(in *refund.Input) { in.Items = []refund.Item{alien} }, 11,
			[]string{"items[0].ticket.sessionId"}, refund.ErrSession},
		{"too late under the rules", func(in *refund.Input) {}, 20, []string{"items[0].at", "items[1].at"}, refund.ErrNotRefundable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			in.Items = append([]refund.Item(nil), good.Items...)
			tt.edit(&in)
			_, err := w.desk.Open(in, at(tt.when, 9, 0))
			vs := wht93.ViolationsOf(err)
			if len(vs) != len(tt.fields) {
				t.Fatalf("got %v, want fields %q", err, tt.fields)
			}
			for i, v := range vs {
				if v.Field != tt.fields[i] || !errors.Is(v, tt.rule) {
					t.Errorf("violation %d: %v, want %s of %s", i, v, tt.fields[i], tt.rule.Code())
				}
			}
		})
	}
}

func TestRefundRefusals(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	items, err := w.buy(t, "o-1", "A", 2, at(10, 12, 0))
	check(t, err)
	open := func(id string, its ...refund.Item) refund.Request {
		req, err := w.desk.Open(refund.Input{ID: id, OrderID: "o-1", Channel: "web", By: "u1", Reason: "行程变更", Items: its}, at(11, 9, 0))
		check(t, err)
		req, err = req.Approve("auditor", at(11, 9, 30))
		check(t, err)
		return req
	}
	// A stale request: the amount it quoted is not the inventory's.
	stale := open("R-0", items[0])
	stale.Lines[0].Quote.Paid++
	stale.Lines[0].Quote.Refund++
	if _, err := w.desk.Refund(ctx, stale, "cashier", at(11, 10, 0)); !errors.Is(err, refund.ErrChanged) {
		t.Errorf("stale request: %v", err)
	}
	// A bad operator changes nothing.
	first := open("R-1", items[0])
	if _, err := w.desk.Refund(ctx, first, "", at(11, 10, 0)); !errors.Is(err, refund.ErrRequest) {
		t.Errorf("no operator: %v", err)
	}
	if b := w.box(t, at(11, 10, 0)); b.Sold.Tickets != 2 {
		t.Fatalf("a refused refund changed the box office: %+v", b.Sold)
	}
	// Two requests for one ticket: the second is refused, and so is an id reused
	// for other tickets.
	_, err = w.desk.Refund(ctx, first, "cashier", at(11, 10, 0))
	check(t, err)
	second := open("R-2", items...)
	if _, err := w.desk.Refund(ctx, second, "cashier", at(11, 10, 0)); !errors.Is(err, refund.ErrClaimed) {
		t.Errorf("second request for a refunded ticket: %v", err)
	}
	reused := open("R-1", items[1])
	if _, err := w.desk.Refund(ctx, reused, "cashier", at(11, 10, 0)); !errors.Is(err, refund.ErrClaimed) {
		t.Errorf("reused id: %v", err)
	}
	if b := w.box(t, at(11, 10, 0)); b.Sold.Tickets != 1 {
		t.Errorf("box office: %+v", b.Sold)
	}
	// A fresh desk over the same inventory (another process) does not refund the
	// ticket again: its inventory record is refunded before this request was approved.
	other, err := refund.NewDesk(refund.Config{Rules: schedule(), Sales: w.desk2Sales()})
	check(t, err)
	late := first
	late.ReviewedAt = at(11, 10, 30)
	if _, err := other.Refund(ctx, late, "cashier", at(11, 11, 0)); !errors.Is(err, refund.ErrChanged) {
		t.Errorf("a ticket refunded before the approval: %v", err)
	}
}

func TestNewDesk(t *testing.T) {
	_, err := refund.NewDesk(refund.Config{})
	vs := wht93.ViolationsOf(err)
	if len(vs) != 2 || vs[0].Field != "rules.tiers" || vs[1].Field != "sales" {
		t.Errorf("empty config: %v", err)
	}
}

// A request edited by hand (a duplicated line, a quote that returns more than
// was paid) is refused and changes nothing.
func TestRefundEditedRequest(t *testing.T) {
	w := newWorld(t)
	items, err := w.buy(t, "o-1", "A", 1, at(10, 12, 0))
	check(t, err)
	req, err := w.desk.Open(refund.Input{ID: "R-1", OrderID: "o-1", Channel: "web", By: "u1", Reason: "行程变更", Items: items}, at(11, 9, 0))
	check(t, err)
	req, err = req.Approve("auditor", at(11, 9, 30))
	check(t, err)
	twice := req
	twice.Lines = append(twice.Lines, twice.Lines[0])
	greedy := req
	greedy.Lines = append([]refund.Line(nil), req.Lines...)
	greedy.Lines[0].Quote.Refund = greedy.Lines[0].Quote.Paid + 1
	for _, bad := range []refund.Request{twice, greedy} {
		if _, err := w.desk.Refund(context.Background(), bad, "cashier", at(11, 10, 0)); !errors.Is(err, refund.ErrRequest) {
			t.Errorf("edited request: %v", err)
		}
	}
	if b := w.box(t, at(11, 10, 0)); b.Sold.Tickets != 1 {
		t.Errorf("box office: %+v", b.Sold)
	}
	if _, err := w.desk.Refund(context.Background(), req, "cashier", at(11, 10, 0)); err != nil {
		t.Errorf("the genuine request after the edited ones: %v", err)
	}
}
