package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// The inventory's bucket, "inventory", holds its format ("format": "1"), the last
// ticket serial issued ("serial", 8 bytes big-endian), and the nested buckets
//
//	counters   key → value (8 bytes big-endian, two's complement)
//	sessions   session id → bucket:
//	             meta      chart version, fingerprint, seat count
//	             seats     seat id → seat record (Held and Sold seats only)
//	             tickets   serial → ticket record
//
// (values: inventory_codec.go).
const (
	invBucket = "inventory"
	invFormat = "1"
	invShards = 64
)

var (
	bInvCounters = []byte("counters")
	bInvSessions = []byte("sessions")
	bInvSeats    = []byte("seats")
	bInvTickets  = []byte("tickets")
	kInvMeta     = []byte("meta")
	kInvSerial   = []byte("serial")
)

// Inventory is the [inventory.Store] of a bolt file. The file is the truth that
// survives a crash; each session's seats are also kept in memory in an
// [inventory.Board] (loaded from the file on first use), so that holds and
// best-available picks run at memory speed under the session's lock, and every
// change is handed to the file's committer in the order it was made and
// acknowledged only once committed: a call returns when its change, and every
// change made before it, is on disk. Many callers share one fsync.
//
// Reads (Snapshot, Tickets, and the checks of every call) see a change as soon as
// it is made in memory, before its commit is acknowledged; changes reach the file
// in the order they were made, so a crash loses only changes no caller was told
// of, and leaves a consistent file.
//
// The DB gives one Inventory ([DB.Inventory]); the file is locked to one process,
// whose memory is therefore never stale. An Inventory is safe for concurrent use.
type Inventory struct {
	db       *DB
	mu       sync.Mutex
	sessions map[string]*invEntry
	serial   atomic.Int64
	shards   [invShards]invShard
}

type invEntry struct {
	mu    sync.Mutex
	sid   string
	board *inventory.Board // nil until loaded or created
	gone  atomic.Bool      // dropped after a failed commit: the next call reloads
}

type invShard struct {
	mu sync.Mutex
	m  map[string]int64
}

// invHandle is the DB's single Inventory.
type invHandle struct {
	once sync.Once
	inv  *Inventory
	err  error
}

var _ inventory.Store = (*Inventory)(nil)

// Inventory returns the file's inventory store, creating its buckets on first
// use; every call on one DB returns the same store. It lives as long as its DB.
func (db *DB) Inventory() (*Inventory, error) {
	db.inv.once.Do(func() { db.inv.inv, db.inv.err = db.openInventory() })
	return db.inv.inv, db.inv.err
}

// OpenInventory opens the bolt file at path (see [Open]) and returns its
// inventory store and the DB, which the caller closes.
func OpenInventory(path string, opts *Options) (*Inventory, *DB, error) {
	return openPort(path, opts, (*DB).Inventory)
}

func (db *DB) openInventory() (*Inventory, error) {
	s := &Inventory{db: db, sessions: make(map[string]*invEntry)}
	for i := range s.shards {
		s.shards[i].m = make(map[string]int64)
	}
	var serial int64
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, _, err := portRoot(tx, invBucket, invFormat, "an inventory")
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bInvCounters, bInvSessions} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		serial = 0
		if v := root.Get(kInvSerial); len(v) == 8 {
			serial = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	if err != nil {
		return nil, invErr(err)
	}
	s.serial.Store(serial)
	return s, nil
}

func invErr(err error) error {
	if errors.Is(err, errClosed) {
		return fmt.Errorf("bolt: inventory: %w", err)
	}
	return err
}

// invBatch is what one change writes.
type invBatch struct {
	sid      string
	create   bool
	meta     []byte
	seats    [][2][]byte // key, value (nil: delete)
	tickets  [][2][]byte
	counters [][2][]byte
	serial   int64 // the largest serial the change issued, 0: none
}

func (bt *invBatch) empty() bool {
	return !bt.create && bt.meta == nil && len(bt.seats) == 0 && len(bt.tickets) == 0 && len(bt.counters) == 0 && bt.serial == 0
}

func (bt *invBatch) apply(tx *bbolt.Tx) error {
	root := tx.Bucket([]byte(invBucket))
	if root == nil {
		return errInvCorrupt
	}
	if bt.serial > 0 {
		if v := root.Get(kInvSerial); len(v) != 8 || int64(binary.BigEndian.Uint64(v)) < bt.serial {
			if err := root.Put(kInvSerial, invSerialKey(bt.serial)); err != nil {
				return err
			}
		}
	}
	if len(bt.counters) > 0 {
		cb := root.Bucket(bInvCounters)
		for _, kv := range bt.counters {
			if err := cb.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
	}
	if bt.sid == "" {
		return nil
	}
	sessions := root.Bucket(bInvSessions)
	sb := sessions.Bucket([]byte(bt.sid))
	if bt.create {
		var err error
		if sb, err = sessions.CreateBucket([]byte(bt.sid)); err != nil {
			return err
		}
		for _, name := range [][]byte{bInvSeats, bInvTickets} {
			if _, err := sb.CreateBucket(name); err != nil {
				return err
			}
		}
	}
	if sb == nil {
		return fmt.Errorf("%w: session %q has no bucket", errInvCorrupt, bt.sid)
	}
	if bt.meta != nil {
		if err := sb.Put(kInvMeta, bt.meta); err != nil {
			return err
		}
	}
	for _, part := range []struct {
		name []byte
		kvs  [][2][]byte
	}{{bInvSeats, bt.seats}, {bInvTickets, bt.tickets}} {
		if len(part.kvs) == 0 {
			continue
		}
		b := sb.Bucket(part.name)
		for _, kv := range part.kvs {
			var err error
			if kv[1] == nil {
				err = b.Delete(kv[0])
			} else {
				err = b.Put(kv[0], kv[1])
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// collect turns the board's changes into a batch.
func (e *invEntry) collect() *invBatch {
	bt := &invBatch{sid: e.sid}
	seats, tickets := e.board.Changes()
	for _, id := range seats {
		bt.seats = append(bt.seats, [2][]byte{invSeatKey(id), encodeInvSeat(e.board.Record(id))})
	}
	for _, serial := range tickets {
		t := e.board.Ticket(serial)
		bt.tickets = append(bt.tickets, [2][]byte{invSerialKey(serial), encodeInvTicket(&t)})
		bt.serial = max(bt.serial, serial)
	}
	return bt
}

// commit submits the batch (under the caller's locks) and returns a function that
// waits for it (to call after releasing them). When the change does not reach the
// file, the session is dropped from memory so that the next call reloads it.
func (s *Inventory) commit(e *invEntry, bt *invBatch) func(ctx context.Context) error {
	if bt.empty() {
		return func(context.Context) error { return nil }
	}
	o, err := s.db.submit(bt.apply)
	if err != nil {
		s.drop(e)
		return func(context.Context) error { return invErr(err) }
	}
	return func(ctx context.Context) error {
		err := o.wait(ctx)
		if err != nil && ctx.Err() == nil {
			s.drop(e)
		}
		return invErr(err)
	}
}

func (s *Inventory) drop(e *invEntry) {
	if e == nil {
		return
	}
	e.gone.Store(true)
	s.mu.Lock()
	if s.sessions[e.sid] == e {
		delete(s.sessions, e.sid)
	}
	s.mu.Unlock()
}

// lockEntry returns the session's entry, locked and not dropped (made empty when
// memory has none).
func (s *Inventory) lockEntry(ctx context.Context, sid string) (*invEntry, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.mu.Lock()
		e := s.sessions[sid]
		if e == nil {
			e = &invEntry{sid: sid}
			s.sessions[sid] = e
		}
		s.mu.Unlock()
		e.mu.Lock()
		if !e.gone.Load() {
			return e, nil
		}
		e.mu.Unlock()
	}
}

// entry returns the session's entry, locked, loaded and checked against the chart.
func (s *Inventory) entry(ctx context.Context, c *inventory.Chart) (*invEntry, error) {
	if c == nil {
		return nil, inventory.ErrChart.At("chart", "nil")
	}
	e, err := s.lockEntry(ctx, c.SessionID())
	if err != nil {
		return nil, err
	}
	if e.board == nil {
		b, err := s.load(c)
		if err != nil {
			e.mu.Unlock()
			if errors.Is(err, inventory.ErrNoChart) {
				s.drop(e)
			}
			return nil, err
		}
		e.board = b
	}
	if have := e.board.Chart(); have != c && (have.Version() != c.Version() || have.Fingerprint() != c.Fingerprint()) {
		e.mu.Unlock()
		return nil, inventory.StaleChart(c, have.Version())
	}
	return e, nil
}

// load reads a session from the file into a board of the chart c.
func (s *Inventory) load(c *inventory.Chart) (*inventory.Board, error) {
	var seats []inventory.SeatRecord
	var tickets []inventory.Ticket
	sid := c.SessionID()
	err := s.db.view(func(tx *bbolt.Tx) error {
		seats, tickets = nil, nil
		sb := tx.Bucket([]byte(invBucket)).Bucket(bInvSessions).Bucket([]byte(sid))
		if sb == nil {
			return inventory.ErrNoChart.At("sessionId", sid)
		}
		m, err := decodeInvMeta(sb.Get(kInvMeta))
		if err != nil {
			return err
		}
		if m.version != c.Version() || m.fp != c.Fingerprint() || m.seats != c.Len() {
			return inventory.StaleChart(c, m.version)
		}
		err = sb.Bucket(bInvSeats).ForEach(func(k, v []byte) error {
			if len(k) != 4 {
				return errInvCorrupt
			}
			r, err := decodeInvSeat(venue.SeatID(binary.BigEndian.Uint32(k)), v)
			seats = append(seats, r)
			return err
		})
		if err != nil {
			return err
		}
		return sb.Bucket(bInvTickets).ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return errInvCorrupt
			}
			t, err := decodeInvTicket(sid, int64(binary.BigEndian.Uint64(k)), v)
			tickets = append(tickets, t)
			return err
		})
	})
	if err != nil {
		return nil, invErr(err)
	}
	b := inventory.NewBoard(c)
	if err := b.Restore(seats, tickets); err != nil {
		return nil, fmt.Errorf("bolt: session %q: %w", sid, err)
	}
	b.Track(true)
	return b, nil
}

// Create implements [inventory.Store].
func (s *Inventory) Create(ctx context.Context, c *inventory.Chart) error {
	if c == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	sid := c.SessionID()
	e, err := s.lockEntry(ctx, sid)
	if err != nil {
		return err
	}
	exists := e.board != nil
	if !exists {
		err := s.db.view(func(tx *bbolt.Tx) error {
			exists = tx.Bucket([]byte(invBucket)).Bucket(bInvSessions).Bucket([]byte(sid)) != nil
			return nil
		})
		if err != nil {
			e.mu.Unlock()
			return invErr(err)
		}
	}
	if exists {
		e.mu.Unlock()
		return inventory.ErrChartExists.At("sessionId", sid)
	}
	e.board = inventory.NewBoard(c)
	e.board.Track(true)
	wait := s.commit(e, &invBatch{sid: sid, create: true, meta: encodeInvMeta(invMeta{version: c.Version(), fp: c.Fingerprint(), seats: c.Len()})})
	e.mu.Unlock()
	return wait(ctx)
}

// Reconfigure implements [inventory.Store].
func (s *Inventory) Reconfigure(ctx context.Context, from, to *inventory.Chart, now time.Time) error {
	if to == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	e, err := s.entry(ctx, from)
	if err != nil {
		return err
	}
	if err := e.board.Reconfigure(to, now); err != nil {
		e.mu.Unlock()
		return err
	}
	bt := e.collect()
	bt.seats = nil // only classes and tiers changed: records hold states
	bt.meta = encodeInvMeta(invMeta{version: to.Version(), fp: to.Fingerprint(), seats: to.Len()})
	wait := s.commit(e, bt)
	e.mu.Unlock()
	return wait(ctx)
}

// Hold implements [inventory.Store].
func (s *Inventory) Hold(ctx context.Context, op *inventory.HoldOp) ([]venue.SeatID, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	e, err := s.entry(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	seats, err := e.board.Hold(op)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	wait := s.commit(e, e.collect())
	e.mu.Unlock()
	if err := wait(ctx); err != nil {
		return nil, err
	}
	return seats, nil
}

// Release implements [inventory.Store].
func (s *Inventory) Release(ctx context.Context, c *inventory.Chart, hold string, now time.Time) (int, error) {
	e, err := s.entry(ctx, c)
	if err != nil {
		return 0, err
	}
	n := e.board.Release(hold, now)
	wait := s.commit(e, e.collect())
	e.mu.Unlock()
	if err := wait(ctx); err != nil {
		return 0, err
	}
	return n, nil
}

func invShardOf(key string) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return int(h % invShards)
}

// lockCounters locks the shards of the keys in increasing order, loads the keys
// not in memory from the file, and returns the shards to unlock.
func (s *Inventory) lockCounters(keys []string) ([]int, error) {
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		idx = append(idx, invShardOf(k))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		s.shards[i].mu.Lock()
	}
	var missing []string
	for _, k := range keys {
		if _, ok := s.shards[invShardOf(k)].m[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		err := s.db.view(func(tx *bbolt.Tx) error {
			cb := tx.Bucket([]byte(invBucket)).Bucket(bInvCounters)
			for _, k := range missing {
				var v int64
				if b := cb.Get([]byte(k)); len(b) == 8 {
					v = int64(binary.BigEndian.Uint64(b))
				}
				s.shards[invShardOf(k)].m[k] = v
			}
			return nil
		})
		if err != nil {
			s.unlockCounters(idx)
			return nil, invErr(err)
		}
	}
	return idx, nil
}

func (s *Inventory) unlockCounters(idx []int) {
	for _, i := range idx {
		s.shards[i].mu.Unlock()
	}
}

func (s *Inventory) counterPut(bt *invBatch, key string) {
	v := s.shards[invShardOf(key)].m[key]
	bt.counters = append(bt.counters, [2][]byte{[]byte(key), binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(v))})
}

// Sell implements [inventory.Store].
func (s *Inventory) Sell(ctx context.Context, op *inventory.SaleOp) ([]inventory.Ticket, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	e, err := s.entry(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	done, err := e.board.CheckSale(op)
	if err != nil || done != nil {
		e.mu.Unlock()
		return done, err
	}
	var idx []int
	keys := make([]string, 0, len(op.Counters))
	if len(op.Counters) > 0 {
		sums := make(map[string]int64, len(op.Counters))
		for _, c := range op.Counters {
			if _, seen := sums[c.Key]; !seen {
				keys = append(keys, c.Key)
			}
			sums[c.Key] += c.Add
		}
		if idx, err = s.lockCounters(keys); err != nil {
			e.mu.Unlock()
			return nil, err
		}
		if err := op.CheckCounters(func(k string) int64 { return s.shards[invShardOf(k)].m[k] }); err != nil {
			s.unlockCounters(idx)
			e.mu.Unlock()
			return nil, err
		}
		for _, k := range keys {
			s.shards[invShardOf(k)].m[k] += sums[k]
		}
	}
	tickets := e.board.ApplySale(op, func() int64 { return s.serial.Add(1) })
	bt := e.collect()
	for _, k := range keys {
		s.counterPut(bt, k)
	}
	wait := s.commit(e, bt)
	s.unlockCounters(idx)
	e.mu.Unlock()
	if err := wait(ctx); err != nil {
		return nil, err
	}
	return tickets, nil
}

// Refund implements [inventory.Store].
func (s *Inventory) Refund(ctx context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	e, err := s.entry(ctx, c)
	if err != nil {
		return inventory.Ticket{}, err
	}
	t, err := e.board.Refund(serial, now)
	if err != nil {
		e.mu.Unlock()
		return t, err
	}
	bt := e.collect()
	var idx []int
	if len(t.Keys) > 0 {
		if idx, err = s.lockCounters(t.Keys); err != nil {
			// The board refunded: the file must follow, so reload the session.
			e.mu.Unlock()
			s.drop(e)
			return inventory.Ticket{}, err
		}
		for _, k := range t.Keys {
			s.shards[invShardOf(k)].m[k]--
			s.counterPut(bt, k)
		}
	}
	wait := s.commit(e, bt)
	s.unlockCounters(idx)
	e.mu.Unlock()
	if err := wait(ctx); err != nil {
		return inventory.Ticket{}, err
	}
	return t, nil
}

// Snapshot implements [inventory.Store].
func (s *Inventory) Snapshot(ctx context.Context, c *inventory.Chart, now time.Time) (*inventory.Snapshot, error) {
	e, err := s.entry(ctx, c)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	return e.board.Snapshot(now), nil
}

// Tickets implements [inventory.Store].
func (s *Inventory) Tickets(ctx context.Context, c *inventory.Chart) ([]inventory.Ticket, error) {
	e, err := s.entry(ctx, c)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	return e.board.Tickets(), nil
}

// Counters implements [inventory.Store].
func (s *Inventory) Counters(ctx context.Context, keys []string) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	uniq := slices.Compact(slices.Sorted(slices.Values(keys)))
	idx, err := s.lockCounters(uniq)
	if err != nil {
		return nil, err
	}
	defer s.unlockCounters(idx)
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = s.shards[invShardOf(k)].m[k]
	}
	return out, nil
}
