package inventory

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// Bounds of a chart and of a request.
const (
	// MaxTiers is the most price tiers a chart has.
	MaxTiers = 64
	// MaxPlaces is the largest unseated capacity of a chart (all tiers together),
	// the same bound as a seat template's.
	MaxPlaces = 250_000
	// MaxHold is the most seats one hold takes.
	MaxHold = 100
)

// Tier is a price tier of a session (演出票价档次, 6.3.2.3): an id such as "A", a
// name, the list price in fen and the number of tickets at the price. In a seated
// chart the quantity is the number of seats priced at the tier (票价划分, 6.3.2.4);
// in an unseated chart it is the tier's capacity.
//
// A Tier is a plain value.
type Tier struct {
	ID       string    // e.g. "A"; at most 50 characters, unique in the chart
	Name     string    // e.g. "A档"; at most 50 characters; the id when empty
	Price    wht93.Fen // list price (票价), not negative
	Quantity int       // seats priced at the tier, or the unseated capacity
}

// TicketType is what a seat is issued as (票种): sold to the audience, or issued by
// staff as a staff ticket or a complimentary ticket. Staff and complimentary seats
// are never offered to the public and are issued at no charge.
type TicketType uint8

// The ticket types.
const (
	Sellable      TicketType = iota + 1 // 可售票
	StaffTicket                         // 工作票
	Complimentary                       // 赠票
)

// String returns "sellable", "staff" or "complimentary".
func (t TicketType) String() string {
	switch t {
	case Sellable:
		return "sellable"
	case StaffTicket:
		return "staff"
	case Complimentary:
		return "complimentary"
	}
	return "TicketType(" + strconv.Itoa(int(t)) + ")"
}

// Zh returns 可售票, 工作票 or 赠票.
func (t TicketType) Zh() string {
	switch t {
	case Sellable:
		return "可售票"
	case StaffTicket:
		return "工作票"
	case Complimentary:
		return "赠票"
	}
	return t.String()
}

// Valid reports whether t is one of the three ticket types.
func (t TicketType) Valid() bool { return t >= Sellable && t <= Complimentary }

// cleanText reports whether s is valid UTF-8 with 1 to max characters, without
// control characters or surrounding space.
func cleanText(s string, max int) bool { return wht93.CleanText(s, max, "") }

// printable returns s as it may appear in an error: invalid UTF-8 replaced, at
// most 64 characters.
func printable(s string) string {
	out := make([]rune, 0, min(len(s), 65))
	for i, r := range []rune(s) {
		if i == 64 {
			out = append(out, '…')
			break
		}
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = '\uFFFD'
		}
		out = append(out, r)
	}
	return string(out)
}
