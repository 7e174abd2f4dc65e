package refund_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/refund"
	"github.com/piaowu/wht93/ticket"
)

var errLost = errors.New("connection lost")

// flaky is an inventory store whose Refund fails after a number of successful
// calls, and whose Snapshot fails while down is set: a database that went away
// in the middle of a refund.
type flaky struct {
	inventory.Store
	refundsLeft int // successful Refund calls before they fail; -1: never fail
	down        bool
}

func (f *flaky) Refund(ctx context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	if f.refundsLeft == 0 {
		return inventory.Ticket{}, errLost
	}
	f.refundsLeft--
	return f.Store.Refund(ctx, c, serial, now)
}

func (f *flaky) Snapshot(ctx context.Context, c *inventory.Chart, now time.Time) (*inventory.Snapshot, error) {
	if f.down {
		return nil, errLost
	}
	return f.Store.Snapshot(ctx, c, now)
}

// A store failure in the middle of a three-ticket refund: the request stays
// approved, and calling again — on the same desk or on a new one, as another
// process would after a crash — completes it without refunding a ticket twice,
// dated when the inventory recorded each ticket.
func TestRefundRetryAfterFailure(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		t.Run(map[bool]string{false: "same desk", true: "new desk"}[fresh], func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t)
			store := &flaky{refundsLeft: -1}
			// Rebuild the world's sales over the flaky store.
			store.Store = storeOf(t, w)
			sales, err := inventory.New(store, inventory.Config{Session: w.sess, Chart: w.sales.Chart(), Channels: nil})
			check(t, err)
			w.sales = sales
			desk := func() *refund.Desk {
				d, err := refund.NewDesk(refund.Config{Rules: schedule(), Sales: []*inventory.Sales{sales}, Revoker: w.revoked})
				check(t, err)
				return d
			}
			w.desk = desk()
			items := w.stockOrder(t, "o-1", 3)
			req, err := w.desk.Open(refund.Input{ID: "R-1", OrderID: "o-1", Channel: "web", By: "u1", Reason: "行程变更", Items: items}, at(11, 9, 0))
			check(t, err)
			req, err = req.Approve("auditor", at(11, 9, 30))
			check(t, err)

			store.refundsLeft = 1 // the first ticket is refunded, then the store fails
			if _, err := w.desk.Refund(ctx, req, "cashier", at(11, 10, 0)); !errors.Is(err, errLost) {
				t.Fatalf("first attempt: %v", err)
			}
			if w.revoked.Len() != 0 {
				t.Error("codes revoked before the refund completed")
			}
			store.refundsLeft, store.down = -1, true // now the box office cannot be read
			if _, err := w.desk.Refund(ctx, req, "cashier", at(11, 10, 5)); !errors.Is(err, errLost) {
				t.Fatalf("second attempt: %v", err)
			}
			store.down = false
			if fresh {
				w.desk = desk()
			}
			res, err := w.desk.Refund(ctx, req, "cashier", at(11, 10, 9))
			check(t, err)
			if len(res.Tickets) != 3 || !res.Tickets[0].ClosedAt.Equal(at(11, 10, 0)) || !res.Tickets[1].ClosedAt.Equal(at(11, 10, 5)) ||
				!res.Record.At.Equal(at(11, 10, 5)) || res.BoxOffice[0].Sold.Tickets != 0 {
				t.Errorf("result: tickets %v, record at %v, box office %+v", res.Tickets, res.Record.At, res.BoxOffice[0].Sold)
			}
			for _, tk := range res.Tickets {
				if tk.Status != ticket.Refunded {
					t.Errorf("ticket %s is %v", tk.Code, tk.Status)
				}
			}
			if w.revoked.Len() != 3 {
				t.Errorf("%d tickets revoked, want 3", w.revoked.Len())
			}
		})
	}
}
