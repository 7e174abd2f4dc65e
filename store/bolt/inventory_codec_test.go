package bolt

import (
	"bytes"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
)

// FuzzInventoryRecord decodes arbitrary bytes as a seat record and as a ticket
// record: decoding never panics, and what decodes encodes back to the same bytes.
// The seeds (testdata/fuzz/FuzzInventoryRecord) are records this package wrote
// and damaged copies of them.
func FuzzInventoryRecord(f *testing.F) {
	f.Add(encodeInvSeat(inventory.SeatRecord{State: inventory.Held, Hold: "order-1", Owner: "u1", Expires: time.Unix(0, 1746158400000000000)}))
	f.Add(encodeInvSeat(inventory.SeatRecord{State: inventory.Sold, Ticket: 42, Amount: wht93.Yuan(880)}))
	f.Add(encodeInvTicket(&inventory.Ticket{Seat: 7, Tier: "A", Type: inventory.Sellable, Order: "o", Buyer: "b", Channel: "web",
		HasID: true, ID: realname.BlindIndex{1, 2, 3}, Amount: 100, SoldAt: time.Unix(0, 5), RefundedAt: time.Unix(0, 9), Keys: []string{"s\x1fb"}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeInvSeat(3, b); err == nil {
			if got := encodeInvSeat(r); !bytes.Equal(got, b) {
				t.Fatalf("seat %x decodes to %+v, which encodes to %x", b, r, got)
			}
		}
		if tk, err := decodeInvTicket("s", 9, b); err == nil {
			if got := encodeInvTicket(&tk); !bytes.Equal(got, b) {
				t.Fatalf("ticket %x decodes to %+v, which encodes to %x", b, tk, got)
			}
		}
		if m, err := decodeInvMeta(b); err == nil && !bytes.Equal(encodeInvMeta(m), b) {
			t.Fatalf("meta %x does not round-trip", b)
		}
	})
}

func TestInventoryRecordRoundTrip(t *testing.T) {
	tk := inventory.Ticket{Serial: 12, Session: "s", Seat: 300, Tier: "VIP", Type: inventory.Complimentary, Order: "o-1",
		Staff: "admin", Amount: 0, SoldAt: time.Unix(1746158400, 123), Keys: nil}
	got, err := decodeInvTicket("s", 12, encodeInvTicket(&tk))
	if err != nil || got.Seat != tk.Seat || got.Tier != tk.Tier || got.Staff != tk.Staff || !got.SoldAt.Equal(tk.SoldAt) || !got.Live() || got.HasID {
		t.Fatalf("ticket round trip: %+v %v", got, err)
	}
	for _, bad := range [][]byte{nil, {2, 2}, {1, 9}, {1, byte(inventory.Sold), 0, 0}} {
		if _, err := decodeInvSeat(1, bad); err == nil {
			t.Errorf("seat record %x decoded", bad)
		}
	}
	if _, err := decodeInvTicket("s", 0, encodeInvTicket(&tk)); err == nil {
		t.Error("ticket with serial 0 decoded")
	}
}
