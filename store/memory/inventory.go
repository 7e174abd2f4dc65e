package memory

import (
	"context"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// Inventory is an [inventory.Store] held in memory, for tests, demonstrations and
// single-process hosts that keep nothing across restarts.
//
// The seats of a session of at least 5,000 seats (an arena, a stadium: where
// thousands buy at once) are split by tier into up to 8 parts (tier index
// modulo the number of parts, fixed when the chart is created), each an
// [inventory.Board] behind its own lock, so that buyers of different tiers are
// served in parallel. Each part's board keeps a state for every seat, so a
// split session takes a few times the memory (about 9 MB for 80,000 seats in
// 4 tiers); smaller sessions have one part. An operation locks the parts of
// the seats it touches, in increasing order; a hold or sale within one tier,
// the common case, locks one. Hold keys are unique in the session: a hold
// records, without a lock, the parts each key has been held in (by hash, so a
// record may name more), and a hold whose key may be in use in another part
// locks that part too and asks its board. Purchase counters, which span
// sessions, live in sharded maps locked after the parts, in a fixed order.
//
// An Inventory is safe for concurrent use; its zero value is not usable, call
// [NewInventory].
type Inventory struct {
	sessions sync.Map // session id -> *invSession
	create   sync.Mutex
	serial   atomic.Int64
	shards   [invShards]invShard
	splitMin int // the fewest seats of a session split into parts
}

const (
	invShards = 64
	maxParts  = 8
	splitMin  = 5000
)

type invSession struct {
	parts []*invPart
	// used holds, per hash of a hold key, the parts that keys with the hash
	// were held in (4 one-byte masks a word). Bits are only ever set: a bit
	// not set means no key with the hash was ever held in that part. Nil with
	// one part.
	used []atomic.Uint32
}

// invPart is one part of a session: the board of the seats of its tiers. Its
// board has every seat of the chart; those of other parts stay Available.
type invPart struct {
	mu    sync.Mutex
	board *inventory.Board
	_     [48]byte // a cache line of its own
}

type invShard struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewInventory returns an empty inventory store.
func NewInventory() *Inventory { return newInventory(splitMin) }

// newInventory returns an empty inventory store that splits the sessions of
// at least least seats.
func newInventory(least int) *Inventory {
	s := &Inventory{splitMin: least}
	for i := range s.shards {
		s.shards[i].m = make(map[string]int64)
	}
	return s
}

var _ inventory.Store = (*Inventory)(nil)

func fnv(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return h
}

func invShardOf(key string) int { return int(fnv(key) % invShards) }

// lookup returns the session of the chart, without locking it.
func (s *Inventory) lookup(ctx context.Context, c *inventory.Chart) (*invSession, error) {
	if c == nil {
		return nil, inventory.ErrChart.At("chart", "nil")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, ok := s.sessions.Load(c.SessionID())
	if !ok {
		return nil, inventory.ErrNoChart.At("sessionId", c.SessionID())
	}
	return v.(*invSession), nil
}

// whole returns the session of the chart with every part locked, checking
// the chart; the caller unlocks ss.all().
func (s *Inventory) whole(ctx context.Context, c *inventory.Chart) (*invSession, error) {
	ss, err := s.lookup(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := ss.lock(ss.all(), c); err != nil {
		return nil, err
	}
	return ss, nil
}

// all is the mask of every part.
func (ss *invSession) all() uint8 { return uint8(1)<<len(ss.parts) - 1 }

// partOf returns the part of the seat id in the chart c, or -1 for a seat
// outside it.
func (ss *invSession) partOf(c *inventory.Chart, id venue.SeatID) int {
	t := c.TierOf(id)
	if t < 0 {
		return -1
	}
	return t % len(ss.parts)
}

// seatParts returns the mask of the parts of the seats (part 0 when none is in
// the chart, so that its board reports them).
func (ss *invSession) seatParts(c *inventory.Chart, seats []venue.SeatID) uint8 {
	var m uint8
	for _, id := range seats {
		if p := ss.partOf(c, id); p >= 0 {
			m |= 1 << p
		}
	}
	return max(m, 1)
}

// ticketParts returns the mask of the parts of the tickets' seats, as seatParts.
func (ss *invSession) ticketParts(c *inventory.Chart, tickets []inventory.Ticket) uint8 {
	var m uint8
	for i := range tickets {
		if p := ss.partOf(c, tickets[i].Seat); p >= 0 {
			m |= 1 << p
		}
	}
	return max(m, 1)
}

// lock locks the parts of the mask in increasing order and checks that c is
// their chart; on an error nothing stays locked.
func (ss *invSession) lock(mask uint8, c *inventory.Chart) error {
	for m := mask; m != 0; m &= m - 1 {
		ss.parts[bits.TrailingZeros8(m)].mu.Lock()
	}
	have := ss.parts[bits.TrailingZeros8(mask)].board.Chart()
	if have != c && (have.Version() != c.Version() || have.Fingerprint() != c.Fingerprint()) {
		ss.unlock(mask)
		return inventory.StaleChart(c, have.Version())
	}
	return nil
}

func (ss *invSession) unlock(mask uint8) {
	for m := mask; m != 0; m &= m - 1 {
		ss.parts[bits.TrailingZeros8(m)].mu.Unlock()
	}
}

// only returns the board of the mask's one part, or nil when it has several.
func (ss *invSession) only(mask uint8) *inventory.Board {
	if mask&(mask-1) != 0 {
		return nil
	}
	return ss.parts[bits.TrailingZeros8(mask)].board
}

// Create implements [inventory.Store].
func (s *Inventory) Create(ctx context.Context, c *inventory.Chart) error {
	if c == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.create.Lock()
	defer s.create.Unlock()
	if _, ok := s.sessions.Load(c.SessionID()); ok {
		return inventory.ErrChartExists.At("sessionId", c.SessionID())
	}
	n := 1
	if c.Len() >= s.splitMin {
		n = max(1, min(len(c.Tiers()), maxParts))
	}
	ss := &invSession{parts: make([]*invPart, n)}
	for i := range ss.parts {
		ss.parts[i] = &invPart{board: inventory.NewBoard(c)}
	}
	if len(ss.parts) > 1 {
		// Four hashes a seat, in 64 to 256 KB: after as many holds as
		// seats, about one key in five shares its hash with a key held
		// in another part (80,000 seats, 4 parts), and so locks that part
		// too.
		n := 1 << 16
		for n < 4*c.Len() && n < 1<<18 {
			n *= 2
		}
		ss.used = make([]atomic.Uint32, n/4)
	}
	s.sessions.Store(c.SessionID(), ss)
	return nil
}

// Reconfigure implements [inventory.Store]. Only Available seats may change
// tier, so a held or sold seat stays in its part.
func (s *Inventory) Reconfigure(ctx context.Context, from, to *inventory.Chart, now time.Time) error {
	if to == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	ss, err := s.whole(ctx, from)
	if err != nil {
		return err
	}
	defer ss.unlock(ss.all())
	if err := inventory.CheckReconfigure(from, to, ss.states(from, now)); err != nil {
		return err
	}
	for _, p := range ss.parts {
		if err := p.board.Reconfigure(to, now); err != nil {
			return err // not reached: each board's seats passed the check above
		}
	}
	return nil
}

// states returns the state of every seat at now, each from its part; the
// caller holds every part.
func (ss *invSession) states(c *inventory.Chart, now time.Time) []inventory.State {
	for _, p := range ss.parts {
		p.board.Reclaim(now)
	}
	st := make([]inventory.State, c.Len())
	for id := range st {
		st[id] = ss.parts[ss.partOf(c, venue.SeatID(id))].board.State(venue.SeatID(id))
	}
	return st
}

// Hold implements [inventory.Store].
func (s *Inventory) Hold(ctx context.Context, op *inventory.HoldOp) ([]venue.SeatID, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	ss, err := s.lookup(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	mask := uint8(1)
	if len(op.Seats) > 0 {
		mask = ss.seatParts(op.Chart, op.Seats)
	} else if t, ok := op.Chart.TierIndex(op.Tier); ok {
		mask = 1 << (t % len(ss.parts))
	}
	locked := mask
	for {
		if err := ss.lock(locked, op.Chart); err != nil {
			return nil, err
		}
		extra := ss.mark(op.Hold, mask) &^ locked
		if extra == 0 {
			break
		}
		// The key may be in use in other parts: take them too, in order.
		ss.unlock(locked)
		locked |= extra
	}
	defer ss.unlock(locked)
	if b := ss.only(mask); b != nil && locked == mask {
		return b.Hold(op)
	}
	return ss.holdAcross(op, mask, locked&^mask)
}

// mark records that the hold key is held in the parts of mask, and returns
// the other parts that keys with its hash were held in. The caller holds the
// parts of mask: of two holds of one key in different parts, each marks its
// parts before it reads the other's, so that at least one sees the other and
// locks both parts, after the other is done or before it starts.
func (ss *invSession) mark(key string, mask uint8) uint8 {
	if ss.used == nil {
		return 0
	}
	h := fnv(key) % uint32(4*len(ss.used))
	w, shift := &ss.used[h/4], 8*(h%4)
	m := uint8(w.Load() >> shift)
	if m&mask != mask {
		m = uint8(w.Or(uint32(mask)<<shift)>>shift) | mask
	}
	return m &^ mask
}

// usedParts returns the parts the hold key may have been held in: every part
// it was held in, and perhaps others.
func (ss *invSession) usedParts(key string) uint8 {
	if ss.used == nil {
		return 1
	}
	h := fnv(key) % uint32(4*len(ss.used))
	return uint8(ss.used[h/4].Load() >> (8 * (h % 4)))
}

// holdAcross holds seats of several parts, or refuses a key in use in other
// parts, as one board would: the request, then the key, then every seat.
//
//go:noinline
func (ss *invSession) holdAcross(op *inventory.HoldOp, mask, other uint8) ([]venue.SeatID, error) {
	if err := op.Validate(); err != nil {
		return nil, err
	}
	for m := other; m != 0; m &= m - 1 {
		if err := ss.parts[bits.TrailingZeros8(m)].board.CheckKey(op.Hold, op.Now); err != nil {
			return nil, err
		}
	}
	if b := ss.only(mask); b != nil {
		return b.Hold(op)
	}
	c := op.Chart
	for m := mask; m != 0; m &= m - 1 {
		b := ss.parts[bits.TrailingZeros8(m)].board
		if err := b.CheckKey(op.Hold, op.Now); err != nil {
			return nil, err
		}
	}
	var vs wht93.Violations
	for i, id := range op.Seats {
		st := ss.parts[ss.partOf(c, id)].board.State(id)
		if st != inventory.Available || !c.Allows(op.Access, id) {
			vs = append(vs, c.SeatViolation("seats["+strconv.Itoa(i)+"]", id, st, op.Access))
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	for m := mask; m != 0; m &= m - 1 {
		p := bits.TrailingZeros8(m)
		sub := *op
		sub.Seats = nil
		for _, id := range op.Seats {
			if ss.partOf(c, id) == p {
				sub.Seats = append(sub.Seats, id)
			}
		}
		if _, err := ss.parts[p].board.Hold(&sub); err != nil {
			// Not reached: every seat was checked above. Undo what was held.
			for u := mask & (1<<p - 1); u != 0; u &= u - 1 {
				ss.parts[bits.TrailingZeros8(u)].board.Release(op.Hold, op.Now)
			}
			return nil, err
		}
	}
	return slices.Clone(op.Seats), nil
}

// Release implements [inventory.Store].
func (s *Inventory) Release(ctx context.Context, c *inventory.Chart, hold string, now time.Time) (int, error) {
	ss, err := s.lookup(ctx, c)
	if err != nil {
		return 0, err
	}
	mask := max(ss.usedParts(hold), 1)
	if err := ss.lock(mask, c); err != nil {
		return 0, err
	}
	defer ss.unlock(mask)
	n := 0
	for m := mask; m != 0; m &= m - 1 {
		n += ss.parts[bits.TrailingZeros8(m)].board.Release(hold, now)
	}
	return n, nil
}

// lockShards locks the shards of the keys in increasing order and returns them
// (in buf when it is large enough).
func (s *Inventory) lockShards(keys []string, buf []int) []int {
	idx := buf[:0]
	for _, k := range keys {
		idx = append(idx, invShardOf(k))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		s.shards[i].mu.Lock()
	}
	return idx
}

func (s *Inventory) unlockShards(idx []int) {
	for _, i := range idx {
		s.shards[i].mu.Unlock()
	}
}

// Sell implements [inventory.Store].
func (s *Inventory) Sell(ctx context.Context, op *inventory.SaleOp) ([]inventory.Ticket, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	ss, err := s.lookup(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	mask := ss.ticketParts(op.Chart, op.Tickets)
	if err := ss.lock(mask, op.Chart); err != nil {
		return nil, err
	}
	defer ss.unlock(mask)
	b := ss.only(mask)
	if b == nil {
		return s.sellAcross(ss, op, mask)
	}
	if done, err := b.CheckSale(op); err != nil || done != nil {
		return done, err
	}
	if err := s.count(op); err != nil {
		return nil, err
	}
	return b.ApplySale(op, func() int64 { return s.serial.Add(1) }), nil
}

// sellAcross sells the seats of a sale that spans parts, or returns the tickets
// of the earlier identical sale, as one board would.
//
//go:noinline
func (s *Inventory) sellAcross(ss *invSession, op *inventory.SaleOp, mask uint8) ([]inventory.Ticket, error) {
	if err := op.Validate(); err != nil {
		return nil, err
	}
	c := op.Chart
	// Each part's tickets, in the sale's order.
	var subs [maxParts]inventory.SaleOp
	var at [maxParts][]int
	for i, t := range op.Tickets {
		p := ss.partOf(c, t.Seat)
		subs[p].Tickets = append(subs[p].Tickets, t)
		at[p] = append(at[p], i)
	}
	done, earlier := make([]inventory.Ticket, len(op.Tickets)), true
	for m := mask; m != 0; m &= m - 1 {
		p := bits.TrailingZeros8(m)
		ss.parts[p].board.Reclaim(op.Now)
		if len(at[p]) == 0 {
			continue
		}
		subs[p].Chart, subs[p].Hold, subs[p].Now = op.Chart, op.Hold, op.Now
		d, err := ss.parts[p].board.CheckSale(&subs[p])
		if err != nil || d == nil {
			earlier = false
			continue
		}
		for j, i := range at[p] {
			done[i] = d[j]
		}
	}
	if earlier {
		return done, nil
	}
	var vs wht93.Violations
	for i, t := range op.Tickets {
		if r := ss.parts[ss.partOf(c, t.Seat)].board.Record(t.Seat); r.State != inventory.Held || r.Hold != op.Hold {
			vs = append(vs, inventory.ErrNotHeld.At("tickets["+strconv.Itoa(i)+"].seat", c.Label(t.Seat)))
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if err := s.count(op); err != nil {
		return nil, err
	}
	// Serials in the sale's order, given out while every part is locked.
	first := s.serial.Add(int64(len(op.Tickets))) - int64(len(op.Tickets)) + 1
	for m := mask; m != 0; m &= m - 1 {
		p := bits.TrailingZeros8(m)
		if len(at[p]) == 0 {
			continue
		}
		j := 0
		sold := ss.parts[p].board.ApplySale(&subs[p], func() int64 { j++; return first + int64(at[p][j-1]) })
		for j, i := range at[p] {
			op.Tickets[i].Serial, op.Tickets[i].RefundedAt = sold[j].Serial, time.Time{}
		}
	}
	return op.Tickets, nil
}

// count adds the sale's counters, all or none: none when one would pass its
// maximum. The caller holds the parts of the sale, and applies the sale (which
// cannot fail) after count returns: the shards are locked only as long as the
// counters need. It is out of line to keep Sell's stack frame small.
//
//go:noinline
func (s *Inventory) count(op *inventory.SaleOp) error {
	if len(op.Counters) == 0 {
		return nil
	}
	var kbuf [8]string
	var ibuf [8]int
	keys := kbuf[:0]
	for _, c := range op.Counters {
		keys = append(keys, c.Key)
	}
	idx := s.lockShards(keys, ibuf[:])
	defer s.unlockShards(idx)
	if err := op.CheckCounters(func(key string) int64 { return s.shards[invShardOf(key)].m[key] }); err != nil {
		return err
	}
	for _, c := range op.Counters {
		s.shards[invShardOf(c.Key)].m[c.Key] += c.Add
	}
	return nil
}

// Refund implements [inventory.Store]. The ticket is looked for part by part.
func (s *Inventory) Refund(ctx context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	ss, err := s.lookup(ctx, c)
	if err != nil {
		return inventory.Ticket{}, err
	}
	for p := range ss.parts {
		t, err := s.refundIn(ss, uint8(1)<<p, c, serial, now)
		if !errors.Is(err, inventory.ErrTicketUnknown) {
			return t, err
		}
	}
	return inventory.Ticket{}, inventory.ErrTicketUnknown.At("serial", strconv.FormatInt(serial, 10))
}

func (s *Inventory) refundIn(ss *invSession, mask uint8, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	if err := ss.lock(mask, c); err != nil {
		return inventory.Ticket{}, err
	}
	defer ss.unlock(mask)
	t, err := ss.only(mask).Refund(serial, now)
	if err != nil {
		return t, err
	}
	if len(t.Keys) > 0 {
		var ibuf [8]int
		idx := s.lockShards(t.Keys, ibuf[:])
		for _, k := range t.Keys {
			s.shards[invShardOf(k)].m[k]--
		}
		s.unlockShards(idx)
	}
	return t, nil
}

// Snapshot implements [inventory.Store].
func (s *Inventory) Snapshot(ctx context.Context, c *inventory.Chart, now time.Time) (*inventory.Snapshot, error) {
	ss, err := s.whole(ctx, c)
	if err != nil {
		return nil, err
	}
	defer ss.unlock(ss.all())
	snaps := make([]*inventory.Snapshot, len(ss.parts))
	for p, part := range ss.parts {
		snaps[p] = part.board.Snapshot(now)
	}
	sn := snaps[0]
	if len(snaps) == 1 {
		return sn, nil
	}
	for id := range sn.States {
		sn.States[id] = snaps[ss.partOf(c, venue.SeatID(id))].States[id]
	}
	for t := range sn.Sold {
		sn.Sold[t] = snaps[t%len(snaps)].Sold[t]
	}
	return sn, nil
}

// Tickets implements [inventory.Store].
func (s *Inventory) Tickets(ctx context.Context, c *inventory.Chart) ([]inventory.Ticket, error) {
	ss, err := s.whole(ctx, c)
	if err != nil {
		return nil, err
	}
	defer ss.unlock(ss.all())
	// Each part's tickets are by serial: merge them.
	lists := make([][]inventory.Ticket, len(ss.parts))
	n := 0
	for p, part := range ss.parts {
		lists[p] = part.board.Tickets()
		n += len(lists[p])
	}
	if len(lists) == 1 {
		return lists[0], nil
	}
	out := make([]inventory.Ticket, 0, n)
	for len(out) < n {
		next := -1
		for p, l := range lists {
			if len(l) > 0 && (next < 0 || l[0].Serial < lists[next][0].Serial) {
				next = p
			}
		}
		out = append(out, lists[next][0])
		lists[next] = lists[next][1:]
	}
	return out, nil
}

// Counters implements [inventory.Store].
func (s *Inventory) Counters(ctx context.Context, keys []string) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	for i, k := range keys {
		sh := &s.shards[invShardOf(k)]
		sh.mu.Lock()
		out[i] = sh.m[k]
		sh.mu.Unlock()
	}
	return out, nil
}
