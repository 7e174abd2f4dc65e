package refund_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/refund"
)

// modelTicket is the model's view of one ticket.
type modelTicket struct {
	item     refund.Item
	refunded wht93.Fen // what its refund returned
	done     bool      // refunded
	by       string    // the request that refunded it
}

// refundMachine drives a desk with purchases, refunds of some or all tickets of
// an order, retries, requests repeated with another id, and concurrent refunds,
// against a model of which tickets are live.
type refundMachine struct {
	w       *world
	now     time.Time
	orders  [][]codes.TicketCode
	tickets map[codes.TicketCode]*modelTicket
	results map[string]*refund.Result // by request id
	reqs    map[string]refund.Request
	n       int
}

func (m *refundMachine) tick(t *rapid.T) {
	m.now = m.now.Add(time.Duration(rapid.IntRange(1, 20*60).Draw(t, "minutes")) * time.Minute)
	if last := at(19, 23, 0); m.now.After(last) {
		m.now = last // within the sale, in the not-refundable tier
	}
}

func (m *refundMachine) Buy(t *rapid.T) {
	m.tick(t)
	tier := rapid.SampledFrom([]string{"A", "B"}).Draw(t, "tier")
	n := rapid.IntRange(1, 3).Draw(t, "n")
	m.n++
	items, err := m.w.buy(t, fmt.Sprintf("o-%d", m.n), tier, n, m.now)
	if err != nil {
		if !errors.Is(err, inventory.ErrSoldOut) {
			t.Fatal(err)
		}
		return
	}
	var order []codes.TicketCode
	for _, it := range items {
		m.tickets[it.Ticket.Code] = &modelTicket{item: it}
		order = append(order, it.Ticket.Code)
	}
	m.orders = append(m.orders, order)
}

// request opens and approves a request for a subset of an order's tickets
// (some possibly refunded already); ok is false when there is no order.
func (m *refundMachine) request(t *rapid.T) (refund.Request, bool) {
	if len(m.orders) == 0 {
		return refund.Request{}, false
	}
	order := rapid.SampledFrom(m.orders).Draw(t, "order")
	picked := rapid.SliceOfNDistinct(rapid.SampledFrom(order), 1, len(order), func(c codes.TicketCode) string { return c.String() }).Draw(t, "tickets")
	var items []refund.Item
	for _, c := range picked {
		items = append(items, m.tickets[c].item)
	}
	m.n++
	id := fmt.Sprintf("R-%d", m.n)
	req, err := m.w.desk.Open(refund.Input{ID: id, OrderID: items[0].Ticket.OrderID, Channel: "web", By: "buyer", Reason: "行程变更", Items: items}, m.now)
	if err != nil {
		if !errors.Is(err, refund.ErrNotRefundable) || m.w.sess.Start.Sub(m.now) >= 24*time.Hour {
			t.Fatalf("open at %v: %v", m.now, err)
		}
		return refund.Request{}, false
	}
	req, err = req.Approve("auditor", m.now)
	if err != nil {
		t.Fatal(err)
	}
	m.reqs[id] = req
	return req, true
}

// apply records the outcome of refunding req in the model, checking it
// against what the model expects.
func (m *refundMachine) apply(t *rapid.T, req refund.Request, res *refund.Result, err error) {
	claimed := false
	for _, l := range req.Lines {
		if mt := m.tickets[l.Ticket.Code]; mt.done && mt.by != req.ID {
			claimed = true
		}
	}
	if claimed {
		if !errors.Is(err, refund.ErrClaimed) {
			t.Fatalf("request %s of refunded tickets: %v", req.ID, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("request %s: %v", req.ID, err)
	}
	if prev, ok := m.results[req.ID]; ok {
		if prev != res {
			t.Fatalf("retry of %s made a new result", req.ID)
		}
		return
	}
	m.results[req.ID] = res
	for i, l := range req.Lines {
		mt := m.tickets[l.Ticket.Code]
		mt.done, mt.by, mt.refunded = true, req.ID, res.Record.Tickets[i].Refund
	}
}

func (m *refundMachine) Refund(t *rapid.T) {
	m.tick(t)
	req, ok := m.request(t)
	if !ok {
		return
	}
	res, err := m.w.desk.Refund(context.Background(), req, "cashier", m.now)
	m.apply(t, req, res, err)
}

func (m *refundMachine) Retry(t *rapid.T) {
	if len(m.results) == 0 {
		t.Skip("nothing refunded yet")
	}
	m.tick(t)
	ids := make([]string, 0, len(m.results))
	for id := range m.results {
		ids = append(ids, id)
	}
	id := rapid.SampledFrom(sortedStrings(ids)).Draw(t, "id")
	req := m.reqs[id]
	if rapid.Bool().Draw(t, "asRefunded") {
		req = m.results[id].Request // the host stored the Refunded request
	}
	res, err := m.w.desk.Refund(context.Background(), req, "cashier", m.now)
	m.apply(t, req, res, err)
}

// Concurrent refunds: the same request from two goroutines, and another request
// naming the same order's tickets at the same time.
func (m *refundMachine) Concurrent(t *rapid.T) {
	m.tick(t)
	a, ok := m.request(t)
	if !ok {
		return
	}
	b, ok := m.request(t)
	if !ok {
		return
	}
	reqs := []refund.Request{a, a, b}
	results := make([]*refund.Result, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = m.w.desk.Refund(context.Background(), r, "cashier", m.now)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) != (errs[1] == nil) || (errs[0] == nil && results[0] != results[1]) {
		t.Fatalf("one request refunded twice concurrently: %v / %v", errs[0], errs[1])
	}
	// Which of a and b won is the scheduler's: apply the winner first.
	order := []int{0, 2}
	if errs[0] != nil {
		order = []int{2, 0}
	}
	for _, i := range order {
		if errs[i] != nil && !errors.Is(errs[i], refund.ErrClaimed) {
			t.Fatalf("concurrent request %s: %v", reqs[i].ID, errs[i])
		}
		if errs[i] == nil {
			m.apply(t, reqs[i], results[i], nil)
		}
	}
}

func (m *refundMachine) Check(t *rapid.T) {
	var live, refunded int
	var liveFen wht93.Fen
	for _, mt := range m.tickets {
		// Money refunded never exceeds money paid.
		if mt.refunded > mt.item.Sale.Amount || mt.refunded < 0 {
			t.Fatalf("ticket %s: refunded %v of %v", mt.item.Ticket.Code, mt.refunded, mt.item.Sale.Amount)
		}
		if mt.done {
			refunded++
		} else {
			live++
			liveFen += mt.item.Sale.Amount
		}
	}
	// Each result's totals add up, and no ticket is in two results.
	seen := map[codes.TicketCode]string{}
	for id, r := range m.results {
		if r.Record.Amount+r.Record.Fee != r.Record.Paid || r.Record.Amount > r.Record.Paid {
			t.Fatalf("record %s: %+v", id, r.Record)
		}
		for _, rt := range r.Record.Tickets {
			if other, ok := seen[rt.Code]; ok {
				t.Fatalf("ticket %s refunded by %s and %s", rt.Code, other, id)
			}
			seen[rt.Code] = id
		}
	}
	// The box office always equals the live tickets.
	box := m.w.box(t, m.now)
	if box.Sold.Tickets != live || box.Sold.Fen != liveFen {
		t.Fatalf("box office sold %+v, live tickets %d for %v", box.Sold, live, liveFen)
	}
	inv, err := m.w.sales.Tickets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	invRefunded := 0
	for _, it := range inv {
		if !it.Live() {
			invRefunded++
		}
	}
	if invRefunded != refunded || m.w.revoked.Len() != refunded {
		t.Fatalf("refunded: model %d, inventory %d, revoked %d", refunded, invRefunded, m.w.revoked.Len())
	}
}

func TestRefundStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &refundMachine{w: newWorld(t), now: at(10, 12, 0), tickets: map[codes.TicketCode]*modelTicket{},
			results: map[string]*refund.Result{}, reqs: map[string]refund.Request{}}
		t.Repeat(rapid.StateMachineActions(m))
	})
}
