package ticket

import (
	"fmt"
	"strconv"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/venue"
)

type seatKey struct {
	session codes.SessionCode
	seat    venue.Location
}

// CheckUnique checks a set of ticket records against clause 6.2.1.1 (every ticket
// one record) and 6.1.1 (one seat, one live ticket) and returns every violation:
// a ticket code on two records (ErrDuplicateCode) and a seat of a session with two
// valid tickets (ErrDuplicateSeat; refunded and void tickets do not count, so a
// seat sold again after a refund is fine). Field paths name the later record,
// "tickets[7].ticketCode", and the message the earlier one.
func CheckUnique(tickets []Ticket) wht93.Violations {
	var vs wht93.Violations
	byCode := make(map[codes.TicketCode]int, len(tickets))
	bySeat := make(map[seatKey]int)
	for i := range tickets {
		t := &tickets[i]
		field := "tickets[" + strconv.Itoa(i) + "]"
		if j, ok := byCode[t.Code]; ok {
			vs = append(vs, ErrDuplicateCode.Atf(field+".ticketCode", t.Code.String(),
				fmt.Sprintf("演出票编码与 tickets[%d] 重复", j), fmt.Sprintf("the ticket code is also on tickets[%d]", j)))
		} else {
			byCode[t.Code] = i
		}
		if t.Status != Valid || !t.Seated() {
			continue
		}
		k := seatKey{t.Session(), t.Seat}
		if j, ok := bySeat[k]; ok {
			vs = append(vs, ErrDuplicateSeat.Atf(field+".seat", t.Seat.String(),
				fmt.Sprintf("该座位已有有效演出票 tickets[%d]", j), fmt.Sprintf("the seat already has the live ticket tickets[%d]", j)))
		} else {
			bySeat[k] = i
		}
	}
	return vs
}

// Sold is what the inventory of one session records as sold: the seats, and the
// number of unseated tickets. It is a plain value, safe for concurrent reads.
type Sold struct {
	Session  codes.SessionCode
	Seats    []venue.Location
	Unseated int
}

// CheckSold reconciles a session's inventory with its tickets (6.2.1.1): every sold
// seat has a valid ticket (ErrSeatWithoutTicket), every valid seated ticket of the
// session is for a sold seat (ErrTicketWithoutSale), and the valid unseated
// tickets are as many as the unseated sales. Tickets of other sessions are
// ignored. Duplicates are [CheckUnique]'s.
func CheckSold(sold Sold, tickets []Ticket) wht93.Violations {
	var vs wht93.Violations
	seats := make(map[venue.Location]bool, len(sold.Seats))
	for _, l := range sold.Seats {
		seats[l] = false
	}
	unseated := 0
	for i := range tickets {
		t := &tickets[i]
		if t.Status != Valid || t.Session() != sold.Session {
			continue
		}
		if !t.Seated() {
			unseated++
			continue
		}
		if _, ok := seats[t.Seat]; !ok {
			vs = append(vs, ErrTicketWithoutSale.At("tickets["+strconv.Itoa(i)+"].seat", t.Seat.String()))
			continue
		}
		seats[t.Seat] = true
	}
	for i, l := range sold.Seats {
		if !seats[l] {
			vs = append(vs, ErrSeatWithoutTicket.At("sold.seats["+strconv.Itoa(i)+"]", l.String()))
		}
	}
	if unseated != sold.Unseated {
		rule := ErrSeatWithoutTicket
		if unseated > sold.Unseated {
			rule = ErrTicketWithoutSale
		}
		vs = append(vs, rule.Atf("sold.unseated", strconv.Itoa(sold.Unseated),
			fmt.Sprintf("已售无座票 %d 张，有效无座演出票 %d 张", sold.Unseated, unseated),
			fmt.Sprintf("%d unseated tickets sold, %d live unseated tickets", sold.Unseated, unseated)))
	}
	return vs
}
