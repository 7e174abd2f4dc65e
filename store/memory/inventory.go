package memory

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// Inventory is an [inventory.Store] held in memory, for tests, demonstrations and
// single-process hosts that keep nothing across restarts. Each session has its own
// lock over an [inventory.Board] (seat states in slices indexed by SeatID), so
// sessions sell in parallel; purchase counters, which span sessions, live in
// sharded maps locked after the session, in a fixed order.
//
// An Inventory is safe for concurrent use; its zero value is not usable, call
// [NewInventory].
type Inventory struct {
	sessions sync.Map // session id -> *invSession
	create   sync.Mutex
	serial   atomic.Int64
	shards   [invShards]invShard
}

const invShards = 64

type invSession struct {
	mu    sync.Mutex
	board *inventory.Board
}

type invShard struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewInventory returns an empty inventory store.
func NewInventory() *Inventory {
	s := &Inventory{}
	for i := range s.shards {
		s.shards[i].m = make(map[string]int64)
	}
	return s
}

var _ inventory.Store = (*Inventory)(nil)

func invShardOf(key string) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return int(h % invShards)
}

// session returns the locked session of the chart, checking its version; the
// caller unlocks it.
func (s *Inventory) session(ctx context.Context, c *inventory.Chart) (*invSession, error) {
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
	ss := v.(*invSession)
	ss.mu.Lock()
	if have := ss.board.Chart(); have != c && (have.Version() != c.Version() || have.Fingerprint() != c.Fingerprint()) {
		ss.mu.Unlock()
		return nil, inventory.StaleChart(c, have.Version())
	}
	return ss, nil
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
	s.sessions.Store(c.SessionID(), &invSession{board: inventory.NewBoard(c)})
	return nil
}

// Reconfigure implements [inventory.Store].
func (s *Inventory) Reconfigure(ctx context.Context, from, to *inventory.Chart, now time.Time) error {
	if to == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	ss, err := s.session(ctx, from)
	if err != nil {
		return err
	}
	defer ss.mu.Unlock()
	return ss.board.Reconfigure(to, now)
}

// Hold implements [inventory.Store].
func (s *Inventory) Hold(ctx context.Context, op *inventory.HoldOp) ([]venue.SeatID, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	ss, err := s.session(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	return ss.board.Hold(op)
}

// Release implements [inventory.Store].
func (s *Inventory) Release(ctx context.Context, c *inventory.Chart, hold string, now time.Time) (int, error) {
	ss, err := s.session(ctx, c)
	if err != nil {
		return 0, err
	}
	defer ss.mu.Unlock()
	return ss.board.Release(hold, now), nil
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
	ss, err := s.session(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	done, err := ss.board.CheckSale(op)
	if err != nil || done != nil {
		return done, err
	}
	if len(op.Counters) > 0 {
		if err := s.count(op); err != nil {
			return nil, err
		}
	}
	return ss.board.ApplySale(op, func() int64 { return s.serial.Add(1) }), nil
}

// count adds the sale's counters, all or none: none when one would pass its
// maximum. The caller holds the session's lock, and applies the sale (which
// cannot fail) after count returns: the shards are locked only as long as the
// counters need. It is out of line to keep Sell's stack frame small.
//
//go:noinline
func (s *Inventory) count(op *inventory.SaleOp) error {
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

// Refund implements [inventory.Store].
func (s *Inventory) Refund(ctx context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	ss, err := s.session(ctx, c)
	if err != nil {
		return inventory.Ticket{}, err
	}
	defer ss.mu.Unlock()
	t, err := ss.board.Refund(serial, now)
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
	ss, err := s.session(ctx, c)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	return ss.board.Snapshot(now), nil
}

// Tickets implements [inventory.Store].
func (s *Inventory) Tickets(ctx context.Context, c *inventory.Chart) ([]inventory.Ticket, error) {
	ss, err := s.session(ctx, c)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	return ss.board.Tickets(), nil
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
