package ticket_test

import (
	"slices"
	"testing"

	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

func TestCheckUnique(t *testing.T) {
	s := evening(t)
	is := issuer(t)
	mk := func(id string, seat venue.Location) ticket.Ticket {
		x := sale(t)
		x.Seat = seat
		return must[ticket.Ticket](t)(is.Issue(&s, ticketCode(t, id), x, at(10, 12, 0)))
	}
	seatB := venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "14号"}
	a, b := mk("T1", seatA), mk("T2", seatB)
	if vs := ticket.CheckUnique([]ticket.Ticket{a, b}); len(vs) != 0 {
		t.Fatalf("distinct tickets: %v", vs)
	}
	// The same record twice: one ticket code, two records — and two live tickets
	// for one seat.
	vs := ticket.CheckUnique([]ticket.Ticket{a, b, a})
	if !vs.Has(ticket.ErrDuplicateCode) || !vs.Has(ticket.ErrDuplicateSeat) || vs[0].Field != "tickets[2].ticketCode" {
		t.Fatalf("duplicate record: %v", vs)
	}
	// Seat A sold again after a refund: the refunded ticket does not count.
	refunded := must[ticket.Ticket](t)(a.Refund(at(11, 0, 0), "退票"))
	again := mk("T3", seatA)
	if vs := ticket.CheckUnique([]ticket.Ticket{refunded, b, again}); len(vs) != 0 {
		t.Fatalf("resold seat: %v", vs)
	}
	// Two live tickets for seat A under different codes.
	vs = ticket.CheckUnique([]ticket.Ticket{a, b, again})
	if len(vs) != 1 || vs[0].Rule != ticket.ErrDuplicateSeat || vs[0].Field != "tickets[2].seat" {
		t.Fatalf("double sale: %v", vs)
	}
	// Unseated tickets never collide by seat.
	st := standing(t)
	u1 := must[ticket.Ticket](t)(is.Issue(&st, ticketCode(t, "U1"), ticket.Sale{Tier: "站席", Price: 1, Type: ticket.Sellable, Mode: 2, Delivery: ticket.Electronic}, at(10, 12, 0)))
	u2 := must[ticket.Ticket](t)(is.Issue(&st, ticketCode(t, "U2"), ticket.Sale{Tier: "站席", Price: 1, Type: ticket.Sellable, Mode: 2, Delivery: ticket.Electronic}, at(10, 12, 0)))
	if vs := ticket.CheckUnique([]ticket.Ticket{u1, u2}); len(vs) != 0 {
		t.Fatal(vs)
	}
}

func TestCheckSold(t *testing.T) {
	s := evening(t)
	is := issuer(t)
	seatB := venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "14号"}
	seatC := venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "16号"}
	a := must[ticket.Ticket](t)(is.Issue(&s, ticketCode(t, "T1"), sale(t), at(10, 12, 0)))
	xb := sale(t)
	xb.Seat = seatB
	b := must[ticket.Ticket](t)(is.Issue(&s, ticketCode(t, "T2"), xb, at(10, 12, 0)))
	st := standing(t)
	u := must[ticket.Ticket](t)(is.Issue(&st, ticketCode(t, "U1"), ticket.Sale{Tier: "站席", Price: 1, Type: ticket.Sellable, Mode: 2, Delivery: ticket.Electronic}, at(10, 12, 0)))

	tests := []struct {
		name    string
		sold    ticket.Sold
		tickets []ticket.Ticket
		want    []string
	}{
		{"in step", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA, seatB}, Unseated: 1}, []ticket.Ticket{a, b, u}, nil},
		{"sold seat without ticket", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA, seatB, seatC}, Unseated: 1}, []ticket.Ticket{a, b, u},
			[]string{"ticket.seat_without_ticket sold.seats[2]"}},
		{"ticket without sale", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA}, Unseated: 1}, []ticket.Ticket{a, b, u},
			[]string{"ticket.ticket_without_sale tickets[1].seat"}},
		{"refunded ticket, seat still sold", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA, seatB}, Unseated: 1},
			[]ticket.Ticket{must[ticket.Ticket](t)(a.Refund(at(11, 0, 0), "退票")), b, u}, []string{"ticket.seat_without_ticket sold.seats[0]"}},
		{"unseated counts differ", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA, seatB}, Unseated: 2}, []ticket.Ticket{a, b, u},
			[]string{"ticket.seat_without_ticket sold.unseated"}},
		{"more unseated tickets", ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA, seatB}}, []ticket.Ticket{a, b, u},
			[]string{"ticket.ticket_without_sale sold.unseated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range ticket.CheckSold(tc.sold, tc.tickets) {
				got = append(got, v.Code()+" "+v.Field)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
