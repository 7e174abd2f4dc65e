package refund_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/refund"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// TestE25 is test E.2.5 of WH/T 93-2021 (退票): a buyer asks to refund one of the
// two tickets of an order; once approved the refund is made; then
//
//	a) the refund record has the ticket code, the sales platform, the operator,
//	   the time and the amount; the ticket is void (its check code no longer
//	   admits) and its seat is sellable again; the box office is updated;
//	b) there is one refund record for the refund (a retry makes no second one).
func TestE25(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	items, err := w.buy(t, "o-1", "A", 2, at(10, 12, 0))
	check(t, err)
	before := w.box(t, at(10, 12, 0))
	if before.Sold.Tickets != 2 || before.Sold.Fen != wht93.Yuan(1360) {
		t.Fatalf("sold before: %+v", before.Sold)
	}

	// The gate: the e-ticket's code admits before the refund.
	policy, err := checkin.NewPolicy(&w.sess, checkin.Rules{})
	check(t, err)
	verifier, err := ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": w.signer.PublicKey()})
	check(t, err)
	checker, err := checkin.NewChecker("online", policy, verifier)
	check(t, err)
	book := checkin.NewBook(w.sess.Code)
	for _, it := range items {
		_, err := book.Put(checkin.PassOf(&it.Ticket))
		check(t, err)
	}
	cred, err := ticket.CredentialOf(&items[0].Ticket, at(10, 12, 0))
	check(t, err)
	qr, err := w.signer.Sign(cred)
	check(t, err)
	scan := checkin.Scan{ID: "scan-1", Method: checkin.QR, Credential: qr, Gate: "东1", Device: "东1-01", At: at(20, 19, 0)}
	count := func(codes.TicketCode) int { return 0 }
	if d := checker.Decide(scan, book, count); !d.Accepted {
		t.Fatalf("before the refund the code is refused: %v", d.Refusal)
	}

	// The buyer asks on 11 May (9 days ahead: 5 % fee); staff approve; the refund is made.
	req, err := w.desk.Open(refund.Input{ID: "R-1", OrderID: "o-1", Channel: "web", By: "u-o-1", Reason: "行程变更",
		Items: items[:1]}, at(11, 9, 0))
	check(t, err)
	req, err = req.Approve("auditor-1", at(11, 10, 0))
	check(t, err)
	res, err := w.desk.Refund(ctx, req, "cashier-7", at(11, 10, 5))
	check(t, err)

	// a) the record.
	rec := res.Record
	if len(rec.Tickets) != 1 || rec.Tickets[0].Code != items[0].Ticket.Code || rec.Channel != "web" ||
		rec.Operator != "cashier-7" || !rec.At.Equal(at(11, 10, 5)) || rec.Amount != 64600 || rec.Fee != 3400 || rec.Paid != 68000 {
		t.Errorf("record: %+v", rec)
	}
	if res.Request.State != refund.Refunded || res.Tickets[0].Status != ticket.Refunded {
		t.Errorf("request %v, ticket %v", res.Request.State, res.Tickets[0].Status)
	}
	// The check code no longer admits: the gates' revocation list refuses it and
	// the gate refuses the refunded ticket.
	if _, err := verifier.Verify(qr, at(20, 19, 0), w.revoked); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Errorf("credential after the refund: %v", err)
	}
	_, err = book.Put(checkin.PassOf(&res.Tickets[0]))
	check(t, err)
	if d := checker.Decide(scan, book, count); d.Accepted || !errors.Is(d.Refusal, checkin.ErrRefunded) {
		t.Errorf("gate after the refund: accepted %v, %v", d.Accepted, d.Refusal)
	}
	// The seat is sellable again.
	seat, ok := w.tpl.Lookup(items[0].Ticket.Seat)
	if !ok {
		t.Fatal("seat not found")
	}
	if _, err := w.sales.Buy(ctx, at(11, 11, 0), inventory.HoldRequest{Key: "o-2", Buyer: "u2", Channel: "web",
		Seats: []venue.SeatID{seat}}, inventory.Purchase{}); err != nil {
		t.Errorf("the refunded seat cannot be sold again: %v", err)
	}
	// The box office was updated at the refund (one ticket fewer) and the seat's
	// resale shows too.
	if b := res.BoxOffice[0]; b.Sold.Tickets != 1 || b.Sold.Fen != wht93.Yuan(680) {
		t.Errorf("box office after the refund: %+v", b.Sold)
	}
	if b := w.box(t, at(11, 11, 0)); b.Sold.Tickets != 2 {
		t.Errorf("box office after the resale: %+v", b.Sold)
	}
	// The data of /report/refundOrder.
	rep := res.Report
	if rep.RefundOrderID != "R-1" || rep.OrderID != "o-1" || rep.Reason != "行程变更" || !rep.Time.Equal(at(11, 10, 5)) ||
		len(rep.Tickets) != 1 || rep.Tickets[0].TicketID != items[0].Ticket.Code.String() ||
		rep.Tickets[0].SessionCode != "110101001012025052001" || rep.Tickets[0].RefundAmount != 64600 {
		t.Errorf("report: %+v", rep)
	}

	// b) one record: a retry returns the first result and refunds nothing more.
	again, err := w.desk.Refund(ctx, req, "cashier-7", at(11, 10, 9))
	check(t, err)
	if again != res {
		t.Error("a retry made a second result")
	}
	all, err := w.sales.Tickets(ctx)
	check(t, err)
	refunded := 0
	for _, tk := range all {
		if !tk.Live() {
			refunded++
		}
	}
	if refunded != 1 {
		t.Errorf("%d tickets refunded in the inventory, want 1", refunded)
	}
}
