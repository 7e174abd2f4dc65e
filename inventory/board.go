package inventory

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

// Board is the live state of one session's seats in memory: the seat state
// machine, holds with their expiry, tickets, and the indexes that make a
// best-available pick fast (a few microseconds on a stadium). It is the reference
// implementation of the Store contract for one session, without the purchase
// counters (which span sessions): store/memory keeps one Board per session (per
// tier part of a large one) behind a lock, store/bolt one per session with
// every change written to its file, and store/postgres uses one as a local
// index to choose seats before it claims them in the database.
//
// Expired holds are reclaimed lazily: every method that takes an instant first
// treats holds that expired at or before it as released.
//
// A Board is not safe for concurrent use: its owner serialises calls.
type Board struct {
	c      *Chart
	st     []State
	holdOf []*hold
	ticket []int64
	amount []wht93.Fen

	keys    map[string]*keyRec // hold key -> its live hold and the serials sold under it
	exp     holdHeap
	tickets ledger

	avail     []int32 // per tier: Available seats of every class
	availOpen []int32 // per tier: Available open seats
	soldAmt   []wht93.Fen

	cache []segCache // per segment (seated)
	skip  []int32    // per tier: leading rows of tierRows without an open free seat
	cur   []int32    // per tier (unseated): no free place before this one

	track   bool
	mark    []bool
	changed []venue.SeatID
	tchg    []int64
}

// keyRec is what a hold key is used by: a live hold, sales, or both.
type keyRec struct {
	hold    *hold
	serials []int64

	// Room for the key's first hold and first serials, so that a new order
	// costs one allocation. A key gets a record at its first hold and keeps it
	// while held or sold; a hold for the key after the record is gone makes a
	// new record.
	own  hold
	sbuf [4]int64
}

type hold struct {
	key     string
	owner   string
	expires int64 // unix nanoseconds
	seats   []venue.SeatID
	idx     int // in the heap
	buf     [4]venue.SeatID
}

// cacheN is how many group sizes a segment's best windows are cached for.
const cacheN = 8

type segCache struct {
	dirty bool
	run   int32                // longest run of adjacent Available open seats
	best  [cacheN]float64      // best window score for groups of 1 … cacheN
	at    [cacheN]venue.SeatID // its first seat
}

type holdHeap []*hold

func (h holdHeap) Len() int           { return len(h) }
func (h holdHeap) Less(i, j int) bool { return h[i].expires < h[j].expires }
func (h holdHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *holdHeap) Push(x any) {
	e := x.(*hold)
	e.idx = len(*h)
	*h = append(*h, e)
}
func (h *holdHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.idx = -1
	return e
}

// NewBoard returns the board of a chart with every seat Available.
func NewBoard(c *Chart) *Board {
	b := &Board{
		c:      c,
		st:     make([]State, c.n),
		holdOf: make([]*hold, c.n),
		ticket: make([]int64, c.n),
		amount: make([]wht93.Fen, c.n),
		keys:   make(map[string]*keyRec),
	}
	for i := range b.st {
		b.st[i] = Available
	}
	b.index()
	return b
}

// index rebuilds the counts and caches from the seat states.
func (b *Board) index() {
	c := b.c
	nt := len(c.tiers)
	b.avail = make([]int32, nt)
	b.availOpen = make([]int32, nt)
	b.soldAmt = make([]wht93.Fen, nt)
	for id, s := range b.st {
		t := c.seatTier[id]
		switch s {
		case Available:
			b.avail[t]++
			if c.class[id] == classOpen {
				b.availOpen[t]++
			}
		case Sold:
			b.soldAmt[t] += b.amount[id]
		}
	}
	b.cache = make([]segCache, len(c.segs))
	for i := range b.cache {
		b.cache[i].dirty = true
	}
	b.skip = make([]int32, nt)
	b.cur = make([]int32, nt)
	if c.tpl == nil {
		for t := range nt {
			b.cur[t] = c.tierStart[t]
		}
	}
}

// Chart returns the chart the board follows.
func (b *Board) Chart() *Chart { return b.c }

// Track turns the recording of changes on or off (see Changes).
func (b *Board) Track(on bool) {
	b.track = on
	if on && b.mark == nil {
		b.mark = make([]bool, b.c.n)
	}
}

// Changes returns the seats and tickets changed since the last call (with Track
// on), for a store that writes them out, and forgets them.
func (b *Board) Changes() ([]venue.SeatID, []int64) {
	s, t := b.changed, b.tchg
	for _, id := range s {
		b.mark[id] = false
	}
	b.changed, b.tchg = nil, nil
	return s, t
}

// set moves seat id to state s, keeping counts and caches.
func (b *Board) set(id venue.SeatID, s State) {
	old := b.st[id]
	if old == s {
		return
	}
	c := b.c
	t := c.seatTier[id]
	open := c.class[id] == classOpen
	if old == Available {
		b.avail[t]--
		if open {
			b.availOpen[t]--
		}
	}
	if s == Available {
		b.avail[t]++
		if open {
			b.availOpen[t]++
		}
	}
	b.st[id] = s
	if old == Available || s == Available {
		if c.tpl != nil {
			sg := c.segOf[id]
			b.cache[sg].dirty = true
			if s == Available {
				if o := c.segs[sg].ord; o < b.skip[t] {
					b.skip[t] = o
				}
			}
		} else if s == Available && int32(id) < b.cur[t] {
			b.cur[t] = int32(id)
		}
	}
	b.touch(id)
}

func (b *Board) touch(id venue.SeatID) {
	if b.track && !b.mark[id] {
		b.mark[id] = true
		b.changed = append(b.changed, id)
	}
}

// key returns the record of a hold key, creating it.
func (b *Board) key(k string) *keyRec {
	rec := b.keys[k]
	if rec == nil {
		rec = &keyRec{}
		rec.serials = rec.sbuf[:0]
		b.keys[k] = rec
	}
	return rec
}

// holdByKey returns the live hold of a key, or nil.
func (b *Board) holdByKey(k string) *hold {
	if rec := b.keys[k]; rec != nil {
		return rec.hold
	}
	return nil
}

// unkey forgets h as its key's live hold.
func (b *Board) unkey(h *hold) {
	if rec := b.keys[h.key]; rec != nil && rec.hold == h {
		rec.hold = nil
		if len(rec.serials) == 0 {
			delete(b.keys, h.key)
		}
	}
}

// reclaim releases the holds that expired at or before now.
func (b *Board) reclaim(now int64) {
	for len(b.exp) > 0 && b.exp[0].expires <= now {
		h := heap.Pop(&b.exp).(*hold)
		b.drop(h)
	}
}

// drop frees the seats still held by h and forgets it.
func (b *Board) drop(h *hold) int {
	n := 0
	for _, id := range h.seats {
		if b.holdOf[id] == h {
			b.holdOf[id] = nil
			b.set(id, Available)
			n++
		}
	}
	b.unkey(h)
	return n
}

// Reclaim releases the holds that expired at or before now. Every method that
// takes an instant does it first; a store calls it to tidy up.
func (b *Board) Reclaim(now time.Time) { b.reclaim(now.UnixNano()) }

// State returns the seat's state as last reclaimed (call Reclaim first for an
// exact answer at an instant).
func (b *Board) State(id venue.SeatID) State {
	if !b.c.in(id) {
		return 0
	}
	return b.st[id]
}

// Available returns the number of Available seats of the tier index t that
// access a may take, at now.
func (b *Board) Available(t int, a Access, now time.Time) int {
	b.reclaim(now.UnixNano())
	if t < 0 || t >= len(b.c.tiers) {
		return 0
	}
	k := b.c.accessClass(a)
	if !a.Staff && k == 0 {
		return int(b.availOpen[t])
	}
	n := 0
	for id := range b.st {
		if int(b.c.seatTier[id]) == t && b.st[id] == Available && allowed(b.c.class[id], a, k) {
			n++
		}
	}
	return n
}

func checkKey(key string) *wht93.Violation {
	if !cleanText(key, 64) {
		return ErrHoldKey.At("hold", printable(key))
	}
	return nil
}

// Hold performs op on the board as Store.Hold describes: it returns the seats
// held, or every reason why not, and changes nothing then.
func (b *Board) Hold(op *HoldOp) ([]venue.SeatID, error) {
	now := op.Now.UnixNano()
	b.reclaim(now)
	if err := b.checkHold(op); err != nil {
		return nil, err
	}
	var seats []venue.SeatID
	if len(op.Seats) > 0 {
		seats = slices.Clone(op.Seats)
		k := b.c.accessClass(op.Access)
		var vs wht93.Violations
		for i, id := range seats {
			if b.st[id] != Available || !allowed(b.c.class[id], op.Access, k) {
				vs = append(vs, b.c.SeatViolation("seats["+strconv.Itoa(i)+"]", id, b.st[id], op.Access))
			}
		}
		if err := vs.Err(); err != nil {
			return nil, err
		}
	} else {
		t, _ := b.c.TierIndex(op.Tier)
		var v *wht93.Violation
		seats, v = b.pick(t, op.N, op.Access, op.Focus)
		if v != nil {
			return nil, v
		}
	}
	b.take(op.Hold, op.Owner, op.Expires.UnixNano(), seats)
	return seats, nil
}

// checkHold checks what a store must check of a hold before looking at seats.
func (b *Board) checkHold(op *HoldOp) error {
	if err := op.Validate(); err != nil {
		return err
	}
	return b.keyInUse(op.Hold)
}

// CheckKey returns why a new hold cannot use the key at now (a live hold or a
// sale on this board uses it), or nil. A store that splits a session's seats
// over several boards asks each board the key was used on.
func (b *Board) CheckKey(key string, now time.Time) error {
	b.reclaim(now.UnixNano())
	return b.keyInUse(key)
}

func (b *Board) keyInUse(key string) error {
	if rec := b.keys[key]; rec != nil {
		if rec.hold != nil {
			return ErrHoldKey.Atf("hold", key, "锁座编号已被未过期的锁座使用", "the hold key is in use by a live hold")
		}
		return ErrHoldKey.Atf("hold", key, "锁座编号已用于一笔销售", "the hold key was used by a sale")
	}
	return nil
}

// take holds seats (all Available) for key; it copies seats.
func (b *Board) take(key, owner string, expires int64, seats []venue.SeatID) {
	rec := b.key(key)
	h := &rec.own
	if rec.hold != nil || h.key != "" { // not a new record: its room is taken
		h = &hold{}
	}
	*h = hold{key: key, owner: owner, expires: expires}
	h.seats = append(h.buf[:0], seats...)
	for _, id := range seats {
		b.holdOf[id] = h
		b.set(id, Held)
	}
	rec.hold = h
	heap.Push(&b.exp, h)
}

// Release releases the live hold key at now and returns how many seats it freed.
func (b *Board) Release(key string, now time.Time) int {
	b.reclaim(now.UnixNano())
	h := b.holdByKey(key)
	if h == nil {
		return 0
	}
	heap.Remove(&b.exp, h.idx)
	return b.drop(h)
}

// CheckSale checks op as Store.Sell does, without the counters. It returns the
// tickets of an earlier identical sale (every seat sold under this hold key, with
// live tickets) when there is one; otherwise nil and nil when the sale may go
// ahead, or why not.
func (b *Board) CheckSale(op *SaleOp) ([]Ticket, error) {
	now := op.Now.UnixNano()
	b.reclaim(now)
	if err := op.Validate(); err != nil {
		return nil, err
	}
	rec := b.keys[op.Hold]
	if rec != nil && len(rec.serials) > 0 {
		if out := b.earlierSale(op, rec.serials); out != nil {
			return out, nil
		}
	}
	var h *hold
	if rec != nil {
		h = rec.hold
	}
	for _, t := range op.Tickets {
		if h == nil || b.holdOf[t.Seat] != h {
			return nil, b.notHeld(op, h)
		}
	}
	return nil, nil
}

// earlierSale returns the tickets of an earlier identical sale of op (the
// serials of its hold key), or nil. It and notHeld are out of line, so that
// the common path of CheckSale keeps a small stack frame.
//
//go:noinline
func (b *Board) earlierSale(op *SaleOp, serials []int64) []Ticket {
	out := make([]Ticket, 0, len(op.Tickets))
	for _, t := range op.Tickets {
		if !b.c.in(t.Seat) || b.st[t.Seat] != Sold || !slices.Contains(serials, b.ticket[t.Seat]) {
			return nil
		}
		out = append(out, b.Ticket(b.ticket[t.Seat]))
	}
	return out
}

// notHeld returns the violations of the tickets of op whose seats h does not
// hold.
//
//go:noinline
func (b *Board) notHeld(op *SaleOp, h *hold) error {
	var vs wht93.Violations
	for i, t := range op.Tickets {
		if h == nil || b.holdOf[t.Seat] != h {
			vs = append(vs, ErrNotHeld.At("tickets["+strconv.Itoa(i)+"].seat", b.c.Label(t.Seat)))
		}
	}
	return vs.Err()
}

// ApplySale sells the seats of op, which CheckSale accepted, giving each ticket
// the serial next returns (serials must be unique, and should increase). It sets
// the serials of op.Tickets in place and returns op.Tickets; the board keeps
// copies.
func (b *Board) ApplySale(op *SaleOp, next func() int64) []Ticket {
	rec := b.key(op.Hold)
	h := rec.hold
	out := op.Tickets
	// The stored tickets' keys are copies, in one allocation.
	nkeys := 0
	for _, t := range op.Tickets {
		nkeys += len(t.Keys)
	}
	var keys []string
	for i := range out {
		t := &out[i]
		t.Serial = next()
		t.RefundedAt = time.Time{}
		id := t.Seat
		b.holdOf[id] = nil
		b.set(id, Sold)
		b.ticket[id] = t.Serial
		b.amount[id] = t.Amount
		b.soldAmt[b.c.seatTier[id]] += t.Amount
		stored := b.tickets.add(t)
		if len(t.Keys) > 0 {
			if cap(keys) < len(t.Keys) {
				keys = make([]string, nkeys)
			}
			stored.Keys = keys[:len(t.Keys):len(t.Keys)]
			copy(stored.Keys, t.Keys)
			keys = keys[len(t.Keys):]
		}
		if b.track {
			b.tchg = append(b.tchg, t.Serial)
		}
		rec.serials = append(rec.serials, t.Serial)
	}
	if h != nil {
		left := h.seats[:0]
		for _, id := range h.seats {
			if b.holdOf[id] == h {
				left = append(left, id)
			}
		}
		h.seats = left
		if len(left) == 0 {
			heap.Remove(&b.exp, h.idx)
			rec.hold = nil
		}
	}
	return out
}

// find returns the index of the ticket with the serial, or -1.
func (b *Board) find(serial int64) int {
	i, ok := b.tickets.search(serial)
	if !ok {
		return -1
	}
	return i
}

// Ticket returns a copy of the ticket with the serial (the zero Ticket when
// there is none).
func (b *Board) Ticket(serial int64) Ticket {
	i := b.find(serial)
	if i < 0 {
		return Ticket{}
	}
	c := *b.tickets.at(i)
	c.Keys = slices.Clone(c.Keys)
	return c
}

// Tickets returns copies of every ticket, by serial.
func (b *Board) Tickets() []Ticket {
	out := make([]Ticket, b.tickets.len())
	for i := range out {
		out[i] = *b.tickets.at(i)
		out[i].Keys = slices.Clone(out[i].Keys)
	}
	return out
}

// Refund refunds the live ticket with the serial at now (Store.Refund without
// the counters) and returns it.
func (b *Board) Refund(serial int64, now time.Time) (Ticket, error) {
	b.reclaim(now.UnixNano())
	i := b.find(serial)
	if i < 0 {
		return Ticket{}, ErrTicketUnknown.At("serial", strconv.FormatInt(serial, 10))
	}
	t := b.tickets.at(i)
	if !t.Live() {
		return Ticket{}, ErrRefunded.At("serial", strconv.FormatInt(serial, 10))
	}
	t.RefundedAt = now
	if b.track {
		b.tchg = append(b.tchg, serial)
	}
	if id := t.Seat; b.c.in(id) && b.st[id] == Sold && b.ticket[id] == serial {
		b.soldAmt[b.c.seatTier[id]] -= b.amount[id]
		b.ticket[id] = 0
		b.amount[id] = 0
		b.set(id, Available)
	}
	return b.Ticket(serial), nil
}

// Snapshot returns the state of every seat and the sold amounts per tier at now.
func (b *Board) Snapshot(now time.Time) *Snapshot {
	b.reclaim(now.UnixNano())
	return &Snapshot{Version: b.c.Version(), At: now, States: slices.Clone(b.st), Sold: slices.Clone(b.soldAmt)}
}

// Reconfigure moves the board to the chart c (the next version of its chart), as
// Store.Reconfigure describes.
func (b *Board) Reconfigure(c *Chart, now time.Time) error {
	b.reclaim(now.UnixNano())
	if err := CheckReconfigure(b.c, c, b.st); err != nil {
		return err
	}
	old := b.c
	b.c = c
	b.index()
	if b.track {
		for id := range b.st {
			if old.class[id] != c.class[id] || old.seatTier[id] != c.seatTier[id] {
				b.touch(venue.SeatID(id))
			}
		}
	}
	return nil
}

// CheckReconfigure reports whether the chart old may be replaced by next while the
// seats are in the states st (at the instant of the change): the same session and
// number of seats, the next version, and no held or sold seat repriced or blocked.
func CheckReconfigure(old, next *Chart, st []State) error {
	switch {
	case next.SessionID() != old.SessionID():
		return ErrChart.Atf("sessionId", printable(next.SessionID()), "新票图属于另一场次", "the new chart is of another session")
	case next.Version() != old.Version()+1:
		return ErrStaleChart.Atf("version", strconv.FormatInt(next.Version(), 10),
			fmt.Sprintf("新票图版本应为 %d", old.Version()+1), fmt.Sprintf("the new chart's version must be %d", old.Version()+1))
	case next.Len() != old.Len() || next.Seated() != old.Seated():
		return ErrChart.Atf("seats", strconv.Itoa(next.Len()),
			fmt.Sprintf("票图变更不能改变座位数（%d）", old.Len()), fmt.Sprintf("a chart change cannot change the number of seats (%d)", old.Len()))
	}
	var vs wht93.Violations
	more := 0
	for id := range old.n {
		if st[id] == Available {
			continue
		}
		retier := old.tiers[old.seatTier[id]].ID != next.tiers[next.seatTier[id]].ID
		if retier || (next.class[id] == classBlocked && old.class[id] != classBlocked) {
			if len(vs) == 100 {
				more++
				continue
			}
			vs = append(vs, ErrChangeTaken.Atf("seats["+strconv.Itoa(id)+"]", old.Label(venue.SeatID(id)),
				"座位"+st[id].Zh()+"，不能改票档或封存", "the seat is "+st[id].String()+": it cannot be repriced or blocked"))
		}
	}
	if more > 0 {
		vs = append(vs, ErrChangeTaken.Atf("seats", strconv.Itoa(more), "另有座位不能改票档或封存", "more seats cannot be repriced or blocked"))
	}
	return vs.Err()
}

// SeatRecord is the stored state of one seat: what a durable store writes and
// reads back.
type SeatRecord struct {
	Seat    venue.SeatID
	State   State
	Hold    string    // Held: the hold key
	Owner   string    // Held: who holds
	Expires time.Time // Held: when the hold expires
	Ticket  int64     // Sold: the live ticket's serial
	Amount  wht93.Fen // Sold: what it was sold for
}

// Record returns the seat's stored state.
func (b *Board) Record(id venue.SeatID) SeatRecord {
	r := SeatRecord{Seat: id, State: b.st[id]}
	switch r.State {
	case Held:
		h := b.holdOf[id]
		r.Hold, r.Owner, r.Expires = h.key, h.owner, time.Unix(0, h.expires)
	case Sold:
		r.Ticket, r.Amount = b.ticket[id], b.amount[id]
	}
	return r
}

// Restore sets seats and tickets to stored states: a store loading a session, or
// updating a local index (Sync). Seats not listed keep their state. Records must
// be of seats of the chart and consistent (a Sold seat with its ticket); Restore
// reports the first bad record and then leaves the board unusable.
func (b *Board) Restore(seats []SeatRecord, tickets []Ticket) error {
	tickets = slices.Clone(tickets)
	slices.SortFunc(tickets, func(x, y Ticket) int { return cmp.Compare(x.Serial, y.Serial) })
	for i, t := range tickets {
		if t.Serial <= 0 || (i > 0 && tickets[i-1].Serial == t.Serial) || (b.tickets.len() > 0 && b.tickets.at(b.tickets.len()-1).Serial >= t.Serial) {
			return ErrStore.Atf("tickets", strconv.FormatInt(t.Serial, 10), "演出票序号无效或重复", "ticket serial invalid or repeated")
		}
	}
	for _, t := range tickets {
		t.Keys = slices.Clone(t.Keys)
		b.tickets.push(&t)
		if t.Order != "" {
			rec := b.key(t.Order)
			rec.serials = append(rec.serials, t.Serial)
		}
	}
	return b.Sync(seats)
}

// Sync sets the listed seats to the given states, as a local index follows a
// database: holds are rebuilt from the records' keys and expiry.
func (b *Board) Sync(seats []SeatRecord) error {
	for _, r := range seats {
		id := r.Seat
		if !b.c.in(id) {
			return ErrSeatUnknown.At("seat", strconv.Itoa(int(id)))
		}
		if h := b.holdOf[id]; h != nil {
			b.holdOf[id] = nil
			if i := slices.Index(h.seats, id); i >= 0 {
				h.seats = slices.Delete(h.seats, i, i+1)
			}
			if len(h.seats) == 0 {
				if h.idx >= 0 {
					heap.Remove(&b.exp, h.idx)
				}
				b.unkey(h)
			}
		}
		if b.st[id] == Sold {
			b.soldAmt[b.c.seatTier[id]] -= b.amount[id]
		}
		b.ticket[id], b.amount[id] = 0, 0
		switch r.State {
		case Available:
			b.set(id, Available)
		case Held:
			h := b.holdByKey(r.Hold)
			if h == nil {
				h = &hold{key: r.Hold, owner: r.Owner, expires: r.Expires.UnixNano()}
				b.key(r.Hold).hold = h
				heap.Push(&b.exp, h)
			}
			h.seats = append(h.seats, id)
			b.holdOf[id] = h
			b.set(id, Held)
		case Sold:
			b.ticket[id], b.amount[id] = r.Ticket, r.Amount
			b.soldAmt[b.c.seatTier[id]] += r.Amount
			b.set(id, Sold)
		default:
			return ErrStore.Atf("state", r.State.String(), "座位状态无效", "invalid seat state")
		}
	}
	return nil
}
