package inventory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/venue"
)

// Store is the inventory store port: where the seat states, holds, tickets and
// purchase counters of every session live, kept consistent under concurrency (and,
// for a durable store, across crashes). store/memory, store/bolt and
// store/postgres implement it; store/storetest.TestInventory checks any
// implementation against this contract. Sales drives a Store and checks what it
// returns; hosts rarely call a Store directly.
//
// # Contract
//
// Seats. Every seat (unseated place) of a session is in one of three states:
// Available, Held (by a hold key, until an expiry instant) or Sold (with one live
// ticket). A hold whose expiry is at or before an operation's instant is treated
// by that operation exactly as if its seats were Available: no background job is
// needed for correctness. A seat has at most one live ticket at any instant
// (6.1.1): no interleaving of calls, from any number of goroutines or processes,
// sells a seat twice or takes a counter past its maximum.
//
// Atomicity. Each method is one atomic step: it happens entirely or not at all,
// and the error then says why. Hold takes all the seats it returns or none; Sell
// turns all its seats into tickets and adds to all its counters, or does nothing.
// A durable store has made the step durable when the method returns nil (fsync or
// commit); a step whose call returned an error other than ctx's did not happen.
//
// Versions. A store keeps the version of each session's chart. Every call made
// with a chart whose Version differs from the stored one fails with ErrStaleChart
// (another process changed the chart: reload it) and changes nothing. Create
// stores version c.Version; Reconfigure moves from one version to the next.
// The access class and tier of each seat are those of the stored version.
//
// Errors. Refusals are wht93.Violations (or a *Violation) of this package's rules,
// so that errors.Is finds the rule and each violation names the seat by its label
// (Chart.SeatViolation builds them): ErrSeatHeld, ErrSeatSold, ErrSeatBlocked,
// ErrSeatReserved, ErrNotSellable, ErrSeatUnknown, ErrSeatTwice for a refused hold;
// ErrSoldOut when a best-available hold finds too few seats; ErrHoldKey for a key
// in use; ErrNotHeld for a sale of seats the hold does not hold (or no longer:
// expired); *CapError when a counter would pass its maximum; ErrTicketUnknown and
// ErrRefunded for a refund; ErrNoChart, ErrChartExists, ErrStaleChart,
// ErrChangeTaken for charts; ErrRequest (or ErrChart) for a malformed request,
// which HoldOp.Validate and SaleOp.Validate find. Any other error is the store's
// own failure (I/O, a lost connection) and the caller may retry.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Create records the chart of a new session at its version, every seat
	// Available. It fails with ErrChartExists when the session has a chart.
	Create(ctx context.Context, c *Chart) error

	// Reconfigure replaces the session's chart from, which must be the stored one
	// (else ErrStaleChart), by to, whose Version must be one more (else
	// ErrStaleChart) and whose Len the same (else ErrChart). A seat that changes
	// tier or becomes blocked must be Available at now (else ErrChangeTaken naming
	// each such seat); other seats keep their state, holds and tickets.
	Reconfigure(ctx context.Context, from, to *Chart, now time.Time) error

	// Hold holds seats for op.Hold until op.Expires: the seats op.Seats, all of them
	// or none, or — when op.Seats is empty — op.N seats of op.Tier chosen as
	// Board.Pick chooses them (adjacent in a row where possible, nearest first).
	// It returns the seats held: op.Seats in their order, or the chosen seats in
	// increasing order. A seat can be taken when it is Available (or held by an
	// expired hold) and op.Access may take its class. The hold key must not be in
	// use by a live hold or by a sale of the session (ErrHoldKey).
	Hold(ctx context.Context, op *HoldOp) ([]venue.SeatID, error)

	// Release makes the seats of the live hold Available again and returns how many
	// it released (0 for an unknown, expired or sold hold: not an error).
	Release(ctx context.Context, c *Chart, hold string, now time.Time) (int, error)

	// Sell turns the seats of op.Tickets, all held by the live hold op.Hold, into
	// Sold seats with one new ticket each, records the tickets, and adds
	// op.Counters to the purchase counters — in one atomic step. When a counter
	// would pass its Max it fails with a *CapError listing every such counter
	// and changes nothing. It returns the tickets in op.Tickets' order with their
	// serials (unique in the store, more than 0); it may set the serials in
	// op.Tickets itself and return that slice. Seats of the hold that are not
	// sold stay held. Selling again seats that this hold key already sold, with
	// live tickets, returns those tickets (a retried call succeeds once).
	Sell(ctx context.Context, op *SaleOp) ([]Ticket, error)

	// Refund ends the live ticket with the serial: its seat becomes Available,
	// the ticket is kept with RefundedAt = now, and each counter of its Keys goes
	// down by 1. It returns the refunded ticket.
	Refund(ctx context.Context, c *Chart, serial int64, now time.Time) (Ticket, error)

	// Snapshot returns the state of every seat at now and what the live tickets of
	// each tier were sold for, read at one instant (no transition half seen).
	Snapshot(ctx context.Context, c *Chart, now time.Time) (*Snapshot, error)

	// Tickets returns every ticket of the session, live and refunded, by serial.
	Tickets(ctx context.Context, c *Chart) ([]Ticket, error)

	// Counters returns the current values of the counters (0 for a counter never
	// added to), in the order of keys.
	Counters(ctx context.Context, keys []string) ([]int64, error)
}

// State is a seat's state (座位状态).
type State uint8

// The seat states.
const (
	Available State = iota + 1 // 可售
	Held                       // 已锁定: held by an order until its hold expires
	Sold                       // 已售: one live ticket
)

// String returns "available", "held" or "sold".
func (s State) String() string {
	switch s {
	case Available:
		return "available"
	case Held:
		return "held"
	case Sold:
		return "sold"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// Zh returns 可售, 已锁定 or 已售.
func (s State) Zh() string {
	switch s {
	case Available:
		return "可售"
	case Held:
		return "已锁定"
	case Sold:
		return "已售"
	}
	return s.String()
}

// HoldOp asks a Store to hold seats. It is a plain value.
type HoldOp struct {
	Chart  *Chart
	Hold   string // the hold key: the order's key, 1 to 64 characters
	Owner  string // who holds (a buyer account or a staff account), kept with the hold
	Access Access
	// Seats are the specific seats to hold; when empty, N seats of Tier are chosen.
	Seats   []venue.SeatID
	Tier    string
	N       int
	Focus   *venue.Point // choose seats nearest this point instead of the default
	Now     time.Time
	Expires time.Time // after Now
}

// Validate checks what can be checked of the request without the seats' states:
// the chart, the hold key, an expiry after Now, and either 1 to MaxHold distinct
// seats of the chart or a tier of the chart and 1 to MaxHold seats. Stores call it
// first (Board.Hold does).
func (op *HoldOp) Validate() error {
	if op.Chart == nil {
		return ErrChart.Atf("chart", "nil", "没有票图", "no chart")
	}
	if v := checkKey(op.Hold); v != nil {
		return v
	}
	if !op.Expires.After(op.Now) {
		return ErrRequest.Atf("expires", op.Expires.Format(time.RFC3339Nano), "锁座到期时间应晚于当前时间", "a hold must expire after now")
	}
	c := op.Chart
	if f := op.Focus; f != nil && (!finite(f.X) || !finite(f.Y)) {
		return ErrRequest.Atf("focus", fmt.Sprint(*f), "选座位置应为有限数值", "the focus point must be finite numbers")
	}
	switch {
	case len(op.Seats) > MaxHold:
		return ErrRequest.Atf("seats", strconv.Itoa(len(op.Seats)), "一次最多锁定100个座位", "at most 100 seats per hold")
	case len(op.Seats) == 0:
		if _, ok := c.TierIndex(op.Tier); !ok {
			return ErrRequest.Atf("tier", printable(op.Tier), "票档不存在", "no such tier")
		}
		if op.N < 1 || op.N > MaxHold {
			return ErrRequest.Atf("n", strconv.Itoa(op.N), "座位数应为1至100", "number of seats must be 1 to 100")
		}
		return nil
	}
	var vs wht93.Violations
	for i, id := range op.Seats {
		switch {
		case !c.in(id):
			vs = append(vs, ErrSeatUnknown.At("seats["+strconv.Itoa(i)+"]", strconv.Itoa(int(id))))
		case slices.Index(op.Seats[:i], id) >= 0:
			vs = append(vs, ErrSeatTwice.At("seats["+strconv.Itoa(i)+"]", c.Label(id)))
		}
	}
	return vs.Err()
}

// SaleOp asks a Store to sell held seats. It is a plain value.
type SaleOp struct {
	Chart *Chart
	Hold  string
	Now   time.Time
	// Tickets are the tickets to issue, one per seat, with every field but Serial
	// filled in (Session, Seat, Tier, Type, Order = Hold, SoldAt = Now …).
	Tickets  []Ticket
	Counters []CounterAdd
}

// Validate checks what can be checked of the sale without the seats' states: the
// chart, the hold key, 1 to MaxHold tickets of distinct seats of the chart, and
// counters with a key and an addition that is not negative. Stores call it first
// (Board.CheckSale does).
func (op *SaleOp) Validate() error {
	if op.Chart == nil {
		return ErrChart.Atf("chart", "nil", "没有票图", "no chart")
	}
	if v := checkKey(op.Hold); v != nil {
		return v
	}
	if len(op.Tickets) == 0 || len(op.Tickets) > MaxHold {
		return ErrRequest.Atf("tickets", strconv.Itoa(len(op.Tickets)), "一次销售应有1至100张票", "a sale needs 1 to 100 tickets")
	}
	c := op.Chart
	var vs wht93.Violations
	for i, t := range op.Tickets {
		switch {
		case !c.in(t.Seat):
			vs = append(vs, ErrSeatUnknown.At("tickets["+strconv.Itoa(i)+"].seat", strconv.Itoa(int(t.Seat))))
		case seatBefore(op.Tickets, i):
			vs = append(vs, ErrSeatTwice.At("tickets["+strconv.Itoa(i)+"].seat", c.Label(t.Seat)))
		}
	}
	for i, ca := range op.Counters {
		if ca.Key == "" || ca.Add < 0 || ca.Max < 0 {
			vs = append(vs, ErrRequest.Atf("counters["+strconv.Itoa(i)+"]", strconv.FormatInt(ca.Add, 10), "计数键为空或数值为负", "counter key empty or a negative number"))
		}
	}
	return vs.Err()
}

// seatBefore reports whether ticket i's seat is the seat of an earlier ticket.
func seatBefore(ts []Ticket, i int) bool {
	for j := range i {
		if ts[j].Seat == ts[i].Seat {
			return true
		}
	}
	return false
}

// CounterAdd adds Add to the purchase counter Key, refusing when the result would
// exceed Max (0: no maximum).
type CounterAdd struct {
	Key string
	Add int64
	Max int64
}

// CounterValue is a counter's value when a sale was refused: Value now, Add asked
// for, Max allowed.
type CounterValue struct {
	Key   string
	Value int64
	Add   int64
	Max   int64
}

// CheckCounters checks op.Counters against the counters' values before the sale
// (value returns a counter's value; a store calls it holding the counters). A
// counter listed more than once counts everything the sale adds to its key. It
// returns a *CapError listing, in op.Counters' order, every counter that would
// pass its Max, or nil when the sale may add them all.
func (op *SaleOp) CheckCounters(value func(key string) int64) error {
	var over []CounterValue
	for _, c := range op.Counters {
		if c.Max <= 0 {
			continue
		}
		var add int64
		for _, d := range op.Counters {
			if d.Key == c.Key {
				add += d.Add
			}
		}
		if v := value(c.Key); v+add > c.Max {
			over = append(over, CounterValue{Key: c.Key, Value: v, Add: c.Add, Max: c.Max})
		}
	}
	if over != nil {
		return &CapError{Counters: over}
	}
	return nil
}

// StaleChart is the violation of ErrStaleChart a Store returns for a call made
// with chart c while it holds version stored of the session's chart.
func StaleChart(c *Chart, stored int64) *wht93.Violation {
	return ErrStaleChart.At("version", strconv.FormatInt(c.Version(), 10)+" (stored "+strconv.FormatInt(stored, 10)+")")
}

// CapError is what a Store returns when a sale would take counters past their
// maximum: each such counter with its current value. Sales turns it into the
// violations of the limit or quota behind each counter. Its message carries no
// key (keys may name a buyer account).
type CapError struct {
	Counters []CounterValue
}

// Error returns a summary such as "purchase counter over its maximum: 2+1 > 2".
func (e *CapError) Error() string {
	var b strings.Builder
	b.WriteString("购票计数超过上限 / purchase counter over its maximum:")
	for _, c := range e.Counters {
		fmt.Fprintf(&b, " %d+%d > %d", c.Value, c.Add, c.Max)
	}
	return b.String()
}

// Ticket is one ticket of the purchase ledger (演出票记录): one seat of one session
// sold (or issued by staff) to one buyer, and refunded or not. Serial identifies it
// in its store. Personal data appear only as the blind index of the buyer's
// document.
//
// A Ticket is a plain value.
type Ticket struct {
	Serial  int64
	Session string
	Seat    venue.SeatID // the seat, or the unseated place
	Tier    string       // tier id
	Type    TicketType
	Order   string // the hold key it was sold from
	Buyer   string // buyer account; empty for a staff issue
	Channel string // selling channel; empty for a staff issue
	Staff   string // staff account that issued it; empty for a sale
	// ID is the blind index of the real-name document the ticket is counted
	// against (the order's under 一单一证, the ticket's under 一票一证); zero when
	// HasID is false.
	ID         realname.BlindIndex
	HasID      bool
	Amount     wht93.Fen // what was received for it
	SoldAt     time.Time
	RefundedAt time.Time // zero while the ticket is live
	// Keys are the purchase counters the ticket counts in; a refund takes 1 off each.
	Keys []string
}

// Live reports whether the ticket is not refunded.
func (t *Ticket) Live() bool { return t.RefundedAt.IsZero() }

// Snapshot is the state of a session's seats at one instant.
type Snapshot struct {
	Version int64
	At      time.Time
	// States holds the state of every seat, by SeatID. A seat held by a hold
	// that expired at or before At is Available.
	States []State
	// Sold holds, per tier (the chart's tier order), what its live tickets were
	// sold for.
	Sold []wht93.Fen
}
