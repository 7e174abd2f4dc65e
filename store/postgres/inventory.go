package postgres

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/venue"
)

// Inventory is the [inventory.Store] of a PostgreSQL schema, shared by every
// process that opens it. Each seat is a row; a hold and a sale are each one
// statement (one round trip, one commit: the functions inventory_hold and
// inventory_sell, planned once per connection) that compares and sets the rows it
// needs — a hold inserts its key's row (which keeps keys unique) and updates only
// seats that are Available (or held by an expired hold) and of a class the
// request may take; a sale updates only seats its hold holds, records the
// tickets and adds to the purchase counters — and undoes itself entirely when
// any of them does not match. PostgreSQL's row locks then order concurrent
// statements: no interleaving sells a seat twice or passes a counter's maximum.
// Expired holds need no job: the statements treat them as Available. Refusals
// are explained by one more query, which reads the states that caused them.
//
// Best-available holds choose their seats in a local [inventory.Board] that
// follows the database (loaded on first use, kept up to date by this process's
// own statements and by what refusals read), and then claim them with the same
// statement; a failed claim is retried with the states it read. Within one
// process claims do not collide; across processes they are correct, and retried.
//
// An Inventory is safe for concurrent use. Take it from [DB.Inventory].
type Inventory struct {
	db *DB
	q  struct {
		hold, sell, refund, release, snapshot, seatRows, chart string
	}
	mu    sync.Mutex
	hints map[string]*invHint
}

// invHint is one session's local board. Its lock is never held across a
// database call: reloads read first and swap the board in, replaying the holds
// this process is claiming meanwhile (pending).
type invHint struct {
	mu      sync.Mutex
	board   *inventory.Board
	gen     int                               // reloads so far
	at      time.Time                         // when it was loaded (the process's clock, for reload pacing only)
	pending map[string][]inventory.SeatRecord // provisional holds being claimed, by key
	pseat   map[venue.SeatID]bool             // their seats: what the database says of them is not news yet

	load sync.Mutex // one reload at a time
}

var _ inventory.Store = (*Inventory)(nil)

// Inventory applies the inventory's migrations (see [DB]) and returns the store.
func (db *DB) Inventory(ctx context.Context) (*Inventory, error) {
	if err := db.migrate(ctx, "inventory", inventorySteps); err != nil {
		return nil, err
	}
	s := &Inventory{db: db, hints: make(map[string]*invHint)}
	s.q.hold = db.expand(invHoldSQL)
	s.q.sell = db.expand(invSellSQL)
	s.q.refund = db.expand(invRefundSQL)
	s.q.release = db.expand(invReleaseSQL)
	s.q.snapshot = db.expand(invSnapshotSQL)
	s.q.seatRows = db.expand(invSeatRowsSQL)
	s.q.chart = db.expand(invChartSQL)
	return s, nil
}

// OpenInventory is [Open] followed by [DB.Inventory].
func OpenInventory(ctx context.Context, db *sql.DB, opts *Options) (*Inventory, error) {
	d, err := Open(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	return d.Inventory(ctx)
}

// abortReason returns the reason an inventory statement undid itself.
func abortReason(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	msg := err.Error()
	i := strings.Index(msg, "wht93_inventory_abort:")
	if i < 0 {
		return "", false
	}
	r := msg[i+len("wht93_inventory_abort:"):]
	if j := strings.IndexAny(r, " ("); j >= 0 {
		r = r[:j]
	}
	return r, true
}

// seatKind returns how a seat row records a seat's class.
func seatKind(c *inventory.Chart, id venue.SeatID) (int16, string) {
	cls := c.Class(id)
	if cls > 0 {
		return 1, c.Channels()[cls-1]
	}
	return int16(cls), ""
}

func tierID(c *inventory.Chart, id venue.SeatID) string { return c.Tiers()[c.TierOf(id)].ID }

// chartState reads the stored version and fingerprint, and returns the error an
// operation with chart c gets: ErrNoChart, ErrStaleChart, or nil.
func (s *Inventory) chartState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, c *inventory.Chart) error {
	var version int64
	var fp []byte
	var seats int
	err := q.QueryRowContext(ctx, s.q.chart, c.SessionID()).Scan(&version, &fp, &seats)
	if errors.Is(err, sql.ErrNoRows) {
		return inventory.ErrNoChart.At("sessionId", c.SessionID())
	}
	if err != nil {
		return err
	}
	return staleness(c, version, fp)
}

func staleness(c *inventory.Chart, version int64, fp []byte) error {
	want := c.Fingerprint()
	if version != c.Version() || string(fp) != string(want[:]) {
		return inventory.StaleChart(c, version)
	}
	return nil
}

// Create implements [inventory.Store].
func (s *Inventory) Create(ctx context.Context, c *inventory.Chart) error {
	if c == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	n := c.Len()
	tiers := make([]string, n)
	kinds := make([]int16, n)
	chans := make([]string, n)
	for id := range venue.SeatID(n) {
		tiers[id] = tierID(c, id)
		kinds[id], chans[id] = seatKind(c, id)
	}
	fp := c.Fingerprint()
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.expand(`INSERT INTO {{schema}}.inventory_charts (session, version, fingerprint, seats)
			VALUES ($1, $2, $3, $4) ON CONFLICT (session) DO NOTHING`), c.SessionID(), c.Version(), fp[:], n)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			if err != nil {
				return err
			}
			return inventory.ErrChartExists.At("sessionId", c.SessionID())
		}
		_, err = tx.ExecContext(ctx, s.db.expand(`INSERT INTO {{schema}}.inventory_seats (session, seat, tier, kind, channel)
			SELECT $1, x.i - 1, x.tier, x.kind, nullif(x.chan, '')
			FROM unnest($2::text[], $3::smallint[], $4::text[]) WITH ORDINALITY AS x(tier, kind, chan, i)`),
			c.SessionID(), pgTextArray(tiers), pgIntArray(kinds), pgTextArray(chans))
		return err
	})
}

// Reconfigure implements [inventory.Store].
func (s *Inventory) Reconfigure(ctx context.Context, from, to *inventory.Chart, now time.Time) error {
	if from == nil || to == nil {
		return inventory.ErrChart.At("chart", "nil")
	}
	n := from.Len()
	var risky, changed []venue.SeatID
	var tiers, chans []string
	var kinds []int16
	if to.Len() == n && to.SessionID() == from.SessionID() {
		for id := range venue.SeatID(n) {
			ot, nt := tierID(from, id), tierID(to, id)
			ok, oc := seatKind(from, id)
			nk, nc := seatKind(to, id)
			if ot != nt || (nk == -1 && ok != -1) {
				risky = append(risky, id)
			}
			if ot != nt || ok != nk || oc != nc {
				changed = append(changed, id)
				tiers, kinds, chans = append(tiers, nt), append(kinds, nk), append(chans, nc)
			}
		}
	}
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		var version int64
		var fp []byte
		var seats int
		err := tx.QueryRowContext(ctx, s.q.chart+" FOR UPDATE", from.SessionID()).Scan(&version, &fp, &seats)
		if errors.Is(err, sql.ErrNoRows) {
			return inventory.ErrNoChart.At("sessionId", from.SessionID())
		}
		if err != nil {
			return err
		}
		if err := staleness(from, version, fp); err != nil {
			return err
		}
		st := make([]inventory.State, n)
		for i := range st {
			st[i] = inventory.Available
		}
		if len(risky) > 0 {
			rows, err := tx.QueryContext(ctx, s.db.expand(`SELECT seat, state, coalesce(expires, 0) FROM {{schema}}.inventory_seats
				WHERE session = $1 AND seat = ANY($2::integer[]) ORDER BY seat FOR UPDATE`), from.SessionID(), seatInts(risky))
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int
				var state int16
				var expires int64
				if err := rows.Scan(&id, &state, &expires); err != nil {
					rows.Close()
					return err
				}
				if id >= 0 && id < n && (state == 3 || (state == 2 && expires > now.UnixNano())) {
					st[id] = inventory.State(state)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if err := inventory.CheckReconfigure(from, to, st); err != nil {
			return err
		}
		if len(changed) > 0 {
			_, err = tx.ExecContext(ctx, s.db.expand(`UPDATE {{schema}}.inventory_seats AS st
				SET tier = x.tier, kind = x.kind, channel = nullif(x.chan, '')
				FROM unnest($2::integer[], $3::text[], $4::smallint[], $5::text[]) AS x(seat, tier, kind, chan)
				WHERE st.session = $1 AND st.seat = x.seat`),
				from.SessionID(), seatInts(changed), pgTextArray(tiers), pgIntArray(kinds), pgTextArray(chans))
			if err != nil {
				return err
			}
		}
		nfp := to.Fingerprint()
		_, err = tx.ExecContext(ctx, s.db.expand(`UPDATE {{schema}}.inventory_charts SET version = $2, fingerprint = $3 WHERE session = $1`),
			from.SessionID(), to.Version(), nfp[:])
		return err
	})
	if err == nil {
		s.mu.Lock()
		delete(s.hints, from.SessionID())
		s.mu.Unlock()
	}
	return err
}

// hint returns the session's local board for chart c, loading it when needed.
func (s *Inventory) hint(ctx context.Context, c *inventory.Chart) (*invHint, error) {
	s.mu.Lock()
	h := s.hints[c.SessionID()]
	if h == nil {
		h = &invHint{pending: make(map[string][]inventory.SeatRecord), pseat: make(map[venue.SeatID]bool)}
		s.hints[c.SessionID()] = h
	}
	s.mu.Unlock()
	h.mu.Lock()
	ok := h.board != nil && h.board.Chart().Fingerprint() == c.Fingerprint()
	gen := h.gen
	h.mu.Unlock()
	if ok {
		return h, nil
	}
	return h, s.reload(ctx, h, c, gen)
}

// reload rebuilds the hint's board from the database, unless another reload
// happened since generation gen.
func (s *Inventory) reload(ctx context.Context, h *invHint, c *inventory.Chart, gen int) error {
	h.load.Lock()
	defer h.load.Unlock()
	h.mu.Lock()
	done := h.gen != gen && h.board != nil && h.board.Chart().Fingerprint() == c.Fingerprint()
	h.mu.Unlock()
	if done {
		return nil
	}
	if err := s.chartState(ctx, s.db.sql, c); err != nil {
		return err
	}
	rows, err := s.db.sql.QueryContext(ctx, s.q.seatRows, c.SessionID())
	if err != nil {
		return err
	}
	defer rows.Close()
	var recs []inventory.SeatRecord
	for rows.Next() {
		r, err := scanSeat(rows.Scan)
		if err != nil {
			return err
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	b := inventory.NewBoard(c)
	if err := b.Sync(recs); err != nil {
		return fmt.Errorf("postgres: inventory of %q: %w", c.SessionID(), err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.pending {
		if err := b.Sync(p); err != nil {
			return fmt.Errorf("postgres: inventory of %q: %w", c.SessionID(), err)
		}
	}
	h.board, h.at = b, time.Now()
	h.gen++
	return nil
}

// sync tells the hint what a statement of this process did.
func (s *Inventory) sync(c *inventory.Chart, recs []inventory.SeatRecord) {
	s.mu.Lock()
	h := s.hints[c.SessionID()]
	s.mu.Unlock()
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.board == nil || h.board.Chart().Fingerprint() != c.Fingerprint() {
		return
	}
	if len(h.pseat) > 0 {
		recs = slices.DeleteFunc(slices.Clone(recs), func(r inventory.SeatRecord) bool { return h.pseat[r.Seat] })
	}
	if h.board.Sync(recs) != nil {
		h.board = nil
	}
}

var errConflict = errors.New("postgres: inventory claim lost a race")

// claim runs the hold statement for seats.
func (s *Inventory) claim(ctx context.Context, op *inventory.HoldOp, seats []venue.SeatID, tier string) error {
	for attempt := 1; ; attempt++ {
		var n int64
		err := s.db.sql.QueryRowContext(ctx, s.q.hold, op.Chart.SessionID(), op.Chart.Version(), op.Hold, op.Owner,
			op.Expires.UnixNano(), seatInts(seats), op.Now.UnixNano(), op.Access.Channel, op.Access.Staff, tier).Scan(&n)
		if _, ok := abortReason(err); ok {
			return errConflict
		}
		if err != nil && retryable(err) && attempt < 5 && ctx.Err() == nil {
			continue
		}
		return err
	}
}

// diagnoseHold explains a failed claim: the chart, the key, or each seat's state,
// all read by one query. It returns errConflict when nothing explains it (the race
// is over: retry).
func (s *Inventory) diagnoseHold(ctx context.Context, op *inventory.HoldOp, seats []venue.SeatID) error {
	c := op.Chart
	var version sql.NullInt64
	var fp []byte
	var liveKey, soldKey bool
	var rows []byte
	err := s.db.sql.QueryRowContext(ctx, s.db.expand(`SELECT
		(SELECT version FROM {{schema}}.inventory_charts WHERE session = $1),
		(SELECT fingerprint FROM {{schema}}.inventory_charts WHERE session = $1),
		EXISTS (SELECT 1 FROM {{schema}}.inventory_holds WHERE session = $1 AND key = $2 AND expires > $3),
		EXISTS (SELECT 1 FROM {{schema}}.inventory_tickets WHERE session = $1 AND order_key = $2),
		coalesce((SELECT json_agg(json_build_array(`+invSeatCols+`))::text FROM {{schema}}.inventory_seats WHERE session = $1 AND seat = ANY($4::integer[])), '[]')`),
		c.SessionID(), op.Hold, op.Now.UnixNano(), seatInts(seats)).Scan(&version, &fp, &liveKey, &soldKey, &rows)
	if err != nil {
		return err
	}
	if !version.Valid {
		return inventory.ErrNoChart.At("sessionId", c.SessionID())
	}
	if err := staleness(c, version.Int64, fp); err != nil {
		return err
	}
	switch {
	case liveKey:
		return inventory.ErrHoldKey.Atf("hold", op.Hold, "锁座编号已被未过期的锁座使用", "the hold key is in use by a live hold")
	case soldKey:
		return inventory.ErrHoldKey.Atf("hold", op.Hold, "锁座编号已用于一笔销售", "the hold key was used by a sale")
	}
	var raw [][7]json.RawMessage
	if err := json.Unmarshal(rows, &raw); err != nil {
		return fmt.Errorf("postgres: inventory seats: %w", err)
	}
	byID := make(map[venue.SeatID]inventory.SeatRecord, len(raw))
	for _, x := range raw {
		r, err := scanSeat(func(dst ...any) error {
			for i, d := range dst {
				if err := json.Unmarshal(x[i], d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("postgres: inventory seats: %w", err)
		}
		byID[r.Seat] = r
	}
	recs := make([]inventory.SeatRecord, 0, len(seats))
	for _, id := range seats {
		if r, ok := byID[id]; ok {
			recs = append(recs, r)
		}
	}
	s.sync(c, recs)
	var vs wht93.Violations
	for i, id := range seats {
		r, ok := byID[id]
		if !ok {
			continue
		}
		st := r.State
		if st == inventory.Held && !r.Expires.After(op.Now) {
			st = inventory.Available
		}
		if v := c.SeatViolation("seats["+strconv.Itoa(i)+"]", r.Seat, st, op.Access); v != nil {
			vs = append(vs, v)
		}
	}
	if len(vs) > 0 && len(op.Seats) > 0 {
		return vs
	}
	return errConflict
}

// scanSeat reads one seat row, the columns of invSeatCols, through scan.
func scanSeat(scan func(dst ...any) error) (inventory.SeatRecord, error) {
	var r inventory.SeatRecord
	var id int
	var state int16
	var expires, ticket, amount int64
	if err := scan(&id, &state, &r.Hold, &r.Owner, &expires, &ticket, &amount); err != nil {
		return r, err
	}
	r.Seat, r.State, r.Expires, r.Ticket, r.Amount = venue.SeatID(id), inventory.State(state), time.Unix(0, expires), ticket, wht93.Fen(amount)
	return r, nil
}

// seatRecords reads the seats' rows, in the order of seats.
func (s *Inventory) seatRecords(ctx context.Context, c *inventory.Chart, seats []venue.SeatID) ([]inventory.SeatRecord, error) {
	rows, err := s.db.sql.QueryContext(ctx, s.db.expand(`SELECT `+invSeatCols+` FROM {{schema}}.inventory_seats WHERE session = $1 AND seat = ANY($2::integer[])`),
		c.SessionID(), seatInts(seats))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[venue.SeatID]inventory.SeatRecord, len(seats))
	for rows.Next() {
		r, err := scanSeat(rows.Scan)
		if err != nil {
			return nil, err
		}
		byID[r.Seat] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]inventory.SeatRecord, 0, len(seats))
	for _, id := range seats {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// Hold implements [inventory.Store].
func (s *Inventory) Hold(ctx context.Context, op *inventory.HoldOp) ([]venue.SeatID, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	if err := op.Validate(); err != nil {
		return nil, err
	}
	h, err := s.hint(ctx, op.Chart)
	if err != nil {
		return nil, err
	}
	held := func(seats []venue.SeatID) []inventory.SeatRecord {
		recs := make([]inventory.SeatRecord, len(seats))
		for i, id := range seats {
			recs[i] = inventory.SeatRecord{Seat: id, State: inventory.Held, Hold: op.Hold, Owner: op.Owner, Expires: op.Expires}
		}
		return recs
	}
	if len(op.Seats) > 0 {
		// Specific seats: the database decides; the hint is told in advance when it
		// agrees, so that no local pick takes them meanwhile.
		for attempt := 1; ; attempt++ {
			_, _, herr := s.provisionalLoaded(ctx, h, op, held)
			if herr != nil && attempt == 1 {
				// The hint says no: the database confirms it (one query) before the
				// refusal is believed; otherwise the hint has its states now.
				if err := s.diagnoseHold(ctx, op, op.Seats); !errors.Is(err, errConflict) {
					return nil, err
				}
				_, _, herr = s.provisional(h, op, held)
			}
			err := s.claim(ctx, op, op.Seats, "")
			if err == nil {
				if herr == nil {
					s.confirm(h, op)
				} else {
					s.sync(op.Chart, held(op.Seats))
				}
				return slices.Clone(op.Seats), nil
			}
			if errors.Is(err, errConflict) {
				s.forget(h, op.Hold, herr == nil)
				err = s.diagnoseHold(ctx, op, op.Seats) // what the database has, into the hint
			}
			s.unhold(h, op, herr == nil)
			if !errors.Is(err, errConflict) {
				return nil, err
			}
			if attempt == 5 {
				return nil, inventory.ErrSeatHeld.Atf("seats", strconv.Itoa(len(op.Seats)), "座位被并发锁定，请重试", "seats taken by concurrent orders: try again")
			}
		}
	}
	// Best available: pick locally, claim in the database.
	reloaded := false
	for attempt := 1; ; attempt++ {
		seats, gen, herr := s.provisionalLoaded(ctx, h, op, held)
		if herr != nil && !reloaded && (errors.Is(herr, inventory.ErrSoldOut) || errors.Is(herr, inventory.ErrHoldKey)) {
			h.mu.Lock()
			stale := time.Since(h.at) > time.Second
			h.mu.Unlock()
			if attempt > 1 || stale {
				// The hint may be behind another process: look again.
				if err := s.reload(ctx, h, op.Chart, gen); err != nil {
					return nil, err
				}
				reloaded = true
				seats, _, herr = s.provisional(h, op, held)
			}
		}
		if herr != nil {
			return nil, herr
		}
		err := s.claim(ctx, op, seats, op.Tier)
		if err == nil {
			s.confirm(h, op)
			return seats, nil
		}
		if errors.Is(err, errConflict) {
			s.forget(h, op.Hold, true)
			err = s.diagnoseHold(ctx, op, seats) // what the database has, into the hint
		}
		s.unhold(h, op, true)
		if !errors.Is(err, errConflict) {
			return nil, err
		}
		if attempt == 8 {
			return nil, inventory.ErrSoldOut.Atf("n", strconv.Itoa(op.N), "并发选座冲突，请重试", "best seats taken by concurrent orders: try again")
		}
	}
}

// errNoHint says that the hint has no board for the chart (dropped, or of another
// version): reload it.
var errNoHint = errors.New("postgres: inventory: no local seat index")

// provisionalLoaded is provisional, reloading the hint first when it has no board.
func (s *Inventory) provisionalLoaded(ctx context.Context, h *invHint, op *inventory.HoldOp, held func([]venue.SeatID) []inventory.SeatRecord) ([]venue.SeatID, int, error) {
	seats, gen, err := s.provisional(h, op, held)
	if !errors.Is(err, errNoHint) {
		return seats, gen, err
	}
	if err := s.reload(ctx, h, op.Chart, gen); err != nil {
		return nil, gen, err
	}
	return s.provisional(h, op, held)
}

// provisional holds seats in the hint for op (the seats of op, or the best ones)
// and records them as pending; it returns the seats, the hint's generation, and
// why not.
func (s *Inventory) provisional(h *invHint, op *inventory.HoldOp, held func([]venue.SeatID) []inventory.SeatRecord) ([]venue.SeatID, int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.board == nil || h.board.Chart().Fingerprint() != op.Chart.Fingerprint() {
		return nil, h.gen, errNoHint
	}
	seats, err := h.board.Hold(op)
	if err == nil {
		h.pending[op.Hold] = held(seats)
		for _, id := range seats {
			h.pseat[id] = true
		}
	}
	return seats, h.gen, err
}

// settle forgets a pending hold (the caller holds h.mu).
func (h *invHint) settle(key string) {
	for _, r := range h.pending[key] {
		delete(h.pseat, r.Seat)
	}
	delete(h.pending, key)
}

// confirm ends a provisional hold that the database confirmed.
func (s *Inventory) confirm(h *invHint, op *inventory.HoldOp) { s.forget(h, op.Hold, true) }

// forget stops treating a provisional hold as pending (made: there is one), so
// that what the database says of its seats reaches the hint.
func (s *Inventory) forget(h *invHint, key string, made bool) {
	if !made {
		return
	}
	h.mu.Lock()
	h.settle(key)
	h.mu.Unlock()
}

// unhold takes a provisional hold out of the hint.
func (s *Inventory) unhold(h *invHint, op *inventory.HoldOp, made bool) {
	if !made {
		return
	}
	h.mu.Lock()
	h.settle(op.Hold)
	if h.board != nil {
		h.board.Release(op.Hold, op.Now)
	}
	h.mu.Unlock()
}

// Release implements [inventory.Store].
func (s *Inventory) Release(ctx context.Context, c *inventory.Chart, hold string, now time.Time) (int, error) {
	if c == nil {
		return 0, inventory.ErrChart.At("chart", "nil")
	}
	res, err := s.db.sql.ExecContext(ctx, s.q.release, c.SessionID(), c.Version(), hold, now.UnixNano())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		if err := s.chartState(ctx, s.db.sql, c); err != nil {
			return 0, err
		}
	}
	s.mu.Lock()
	h := s.hints[c.SessionID()]
	s.mu.Unlock()
	if h != nil {
		h.mu.Lock()
		if h.board != nil {
			h.board.Release(hold, now)
		}
		h.mu.Unlock()
	}
	return int(n), nil
}

// Sell implements [inventory.Store].
func (s *Inventory) Sell(ctx context.Context, op *inventory.SaleOp) ([]inventory.Ticket, error) {
	if op == nil {
		return nil, inventory.ErrRequest.At("op", "nil")
	}
	if err := op.Validate(); err != nil {
		return nil, err
	}
	c := op.Chart
	n := len(op.Tickets)
	seats := make([]venue.SeatID, n)
	amounts := make([]int64, n)
	tiers := make([]string, n)
	types := make([]int16, n)
	ids := make([]string, n)
	keys := make([]string, n)
	for i, t := range op.Tickets {
		seats[i], amounts[i], tiers[i], types[i] = t.Seat, int64(t.Amount), t.Tier, int16(t.Type)
		if t.HasID {
			ids[i] = hex.EncodeToString(t.ID[:])
		}
		keys[i] = pgTextArray(t.Keys)
	}
	// Counters by key, in key order (so that concurrent sales lock them in one order).
	type counter struct{ add, max int64 }
	byKey := map[string]*counter{}
	for _, ca := range op.Counters {
		k := byKey[ca.Key]
		if k == nil {
			k = &counter{}
			byKey[ca.Key] = k
		}
		k.add += ca.Add
		if ca.Max > 0 && (k.max == 0 || ca.Max < k.max) {
			k.max = ca.Max
		}
	}
	ckeys := slices.Sorted(func(yield func(string) bool) {
		for k := range byKey {
			if !yield(k) {
				return
			}
		}
	})
	adds := make([]int64, len(ckeys))
	maxes := make([]int64, len(ckeys))
	for i, k := range ckeys {
		adds[i], maxes[i] = byKey[k].add, byKey[k].max
	}
	first := op.Tickets[0]
	for attempt := 1; ; attempt++ {
		var serials sql.NullString
		err := s.db.sql.QueryRowContext(ctx, s.q.sell, c.SessionID(), c.Version(), op.Hold, op.Now.UnixNano(),
			seatInts(seats), pgIntArray(amounts), pgTextArray(tiers), pgIntArray(types), first.Buyer, first.Channel, first.Staff,
			pgTextArray(ids), pgTextArray(keys), pgTextArray(ckeys), pgIntArray(adds), pgIntArray(maxes)).Scan(&serials)
		if err == nil {
			parts := strings.Split(serials.String, ",")
			if len(parts) != n {
				return nil, fmt.Errorf("postgres: inventory sale recorded %d tickets of %d", len(parts), n)
			}
			out := make([]inventory.Ticket, n)
			recs := make([]inventory.SeatRecord, n)
			for i, p := range parts {
				serial, perr := strconv.ParseInt(p, 10, 64)
				if perr != nil {
					return nil, fmt.Errorf("postgres: inventory sale: serial %q", p)
				}
				t := op.Tickets[i]
				t.Serial, t.RefundedAt, t.Keys = serial, time.Time{}, slices.Clone(t.Keys)
				out[i] = t
				recs[i] = inventory.SeatRecord{Seat: t.Seat, State: inventory.Sold, Ticket: serial, Amount: t.Amount}
			}
			s.sync(c, recs)
			return out, nil
		}
		reason, aborted := abortReason(err)
		switch {
		case !aborted && retryable(err) && attempt < 5 && ctx.Err() == nil:
			continue
		case !aborted:
			return nil, err
		}
		derr := s.diagnoseSale(ctx, op, seats, reason, ckeys, adds, maxes)
		var done *saleDone
		if errors.As(derr, &done) {
			return done.tickets, nil
		}
		if !errors.Is(derr, errConflict) {
			return nil, derr
		}
		if attempt == 5 {
			return nil, fmt.Errorf("postgres: inventory sale of %q: %w", op.Hold, errConflict)
		}
	}
}

// saleDone carries the tickets of an earlier identical sale out of diagnoseSale.
type saleDone struct{ tickets []inventory.Ticket }

func (*saleDone) Error() string { return "sale already made" }

// diagnoseSale explains a sale the database undid.
func (s *Inventory) diagnoseSale(ctx context.Context, op *inventory.SaleOp, seats []venue.SeatID, reason string, ckeys []string, adds, maxes []int64) error {
	c := op.Chart
	if reason == "counters" {
		rows, err := s.db.sql.QueryContext(ctx, s.db.expand(`SELECT key, n FROM {{schema}}.inventory_counters WHERE key = ANY($1::text[])`), pgTextArray(ckeys))
		if err != nil {
			return err
		}
		defer rows.Close()
		vals := map[string]int64{}
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			vals[k] = v
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var over []inventory.CounterValue
		for i, k := range ckeys {
			if maxes[i] > 0 && vals[k]+adds[i] > maxes[i] {
				over = append(over, inventory.CounterValue{Key: k, Value: vals[k], Add: adds[i], Max: maxes[i]})
			}
		}
		if over != nil {
			return &inventory.CapError{Counters: over}
		}
		return errConflict
	}
	// An earlier identical sale?
	tickets, err := s.tickets(ctx, s.db.expand(`SELECT `+invTicketOut+` FROM {{schema}}.inventory_tickets
		WHERE session = $1 AND order_key = $2 AND seat = ANY($3::integer[]) AND refunded_at IS NULL`),
		c.SessionID(), op.Hold, seatInts(seats))
	if err != nil {
		return err
	}
	if len(tickets) == len(seats) {
		out := make([]inventory.Ticket, 0, len(seats))
		for _, id := range seats {
			for _, t := range tickets {
				if t.Seat == id {
					out = append(out, t)
				}
			}
		}
		return &saleDone{tickets: out}
	}
	if err := s.chartState(ctx, s.db.sql, c); err != nil {
		return err
	}
	recs, err := s.seatRecords(ctx, c, seats)
	if err != nil {
		return err
	}
	byID := make(map[venue.SeatID]inventory.SeatRecord, len(recs))
	for _, r := range recs {
		byID[r.Seat] = r
	}
	var vs wht93.Violations
	for i, id := range seats {
		if r := byID[id]; r.State != inventory.Held || r.Hold != op.Hold || !r.Expires.After(op.Now) {
			vs = append(vs, inventory.ErrNotHeld.At("tickets["+strconv.Itoa(i)+"].seat", c.Label(id)))
		}
	}
	if len(vs) > 0 {
		return vs
	}
	return errConflict
}

// tickets runs a ticket query.
func (s *Inventory) tickets(ctx context.Context, query string, args ...any) ([]inventory.Ticket, error) {
	rows, err := s.db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.Ticket
	for rows.Next() {
		t, err := scanTicket(rows, args[0].(string))
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func scanTicket(row interface{ Scan(...any) error }, sid string) (inventory.Ticket, error) {
	t := inventory.Ticket{Session: sid}
	var seat int
	var typ int16
	var id []byte
	var amount, soldAt int64
	var refunded sql.NullInt64
	var keys string
	if err := row.Scan(&t.Serial, &seat, &t.Tier, &typ, &t.Order, &t.Buyer, &t.Channel, &t.Staff, &id, &amount, &soldAt, &refunded, &keys); err != nil {
		return t, err
	}
	t.Seat, t.Type, t.Amount, t.SoldAt = venue.SeatID(seat), inventory.TicketType(typ), wht93.Fen(amount), time.Unix(0, soldAt)
	if len(id) == len(realname.BlindIndex{}) {
		t.ID, t.HasID = realname.BlindIndex(id), true
	}
	if refunded.Valid {
		t.RefundedAt = time.Unix(0, refunded.Int64)
	}
	k, ok := pgParseTextArray(keys)
	if !ok {
		return t, fmt.Errorf("postgres: ticket %d: keys %q", t.Serial, keys)
	}
	if len(k) > 0 {
		t.Keys = k
	}
	return t, nil
}

// Refund implements [inventory.Store].
func (s *Inventory) Refund(ctx context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	if c == nil {
		return inventory.Ticket{}, inventory.ErrChart.At("chart", "nil")
	}
	for attempt := 1; ; attempt++ {
		t, err := scanTicket(s.db.sql.QueryRowContext(ctx, s.q.refund, c.SessionID(), c.Version(), serial, now.UnixNano()), c.SessionID())
		if err == nil {
			s.sync(c, []inventory.SeatRecord{{Seat: t.Seat, State: inventory.Available}})
			return t, nil
		}
		if retryable(err) && attempt < 5 && ctx.Err() == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return inventory.Ticket{}, err
		}
		if err := s.chartState(ctx, s.db.sql, c); err != nil {
			return inventory.Ticket{}, err
		}
		var refunded bool
		err = s.db.sql.QueryRowContext(ctx, s.db.expand(`SELECT refunded_at IS NOT NULL FROM {{schema}}.inventory_tickets WHERE serial = $1 AND session = $2`),
			serial, c.SessionID()).Scan(&refunded)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return inventory.Ticket{}, inventory.ErrTicketUnknown.At("serial", strconv.FormatInt(serial, 10))
		case err != nil:
			return inventory.Ticket{}, err
		case refunded:
			return inventory.Ticket{}, inventory.ErrRefunded.At("serial", strconv.FormatInt(serial, 10))
		}
		if attempt == 5 {
			return inventory.Ticket{}, fmt.Errorf("postgres: refund of %d: %w", serial, errConflict)
		}
	}
}

// Snapshot implements [inventory.Store].
func (s *Inventory) Snapshot(ctx context.Context, c *inventory.Chart, now time.Time) (*inventory.Snapshot, error) {
	if c == nil {
		return nil, inventory.ErrChart.At("chart", "nil")
	}
	var version int64
	var fp []byte
	var states, sold string
	err := s.db.sql.QueryRowContext(ctx, s.q.snapshot, c.SessionID(), now.UnixNano()).Scan(&version, &fp, &states, &sold)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, inventory.ErrNoChart.At("sessionId", c.SessionID())
	}
	if err != nil {
		return nil, err
	}
	if err := staleness(c, version, fp); err != nil {
		return nil, err
	}
	if len(states) != c.Len() {
		return nil, fmt.Errorf("postgres: inventory of %q has %d seats, the chart %d", c.SessionID(), len(states), c.Len())
	}
	sn := &inventory.Snapshot{Version: version, At: now, States: make([]inventory.State, len(states)), Sold: make([]wht93.Fen, len(c.Tiers()))}
	for i := 0; i < len(states); i++ {
		sn.States[i] = inventory.State(states[i] - '0')
	}
	if sold != "" {
		for _, part := range strings.Split(sold, "\x1e") {
			tier, total, ok := strings.Cut(part, "\x1f")
			t, known := c.TierIndex(tier)
			v, err := strconv.ParseInt(total, 10, 64)
			if !ok || !known || err != nil {
				return nil, fmt.Errorf("postgres: inventory of %q: sold amount %q", c.SessionID(), part)
			}
			sn.Sold[t] = wht93.Fen(v)
		}
	}
	return sn, nil
}

// Tickets implements [inventory.Store].
func (s *Inventory) Tickets(ctx context.Context, c *inventory.Chart) ([]inventory.Ticket, error) {
	if c == nil {
		return nil, inventory.ErrChart.At("chart", "nil")
	}
	if err := s.chartState(ctx, s.db.sql, c); err != nil {
		return nil, err
	}
	return s.tickets(ctx, s.db.expand(`SELECT `+invTicketOut+` FROM {{schema}}.inventory_tickets WHERE session = $1 ORDER BY serial`), c.SessionID())
}

// Counters implements [inventory.Store].
func (s *Inventory) Counters(ctx context.Context, keys []string) ([]int64, error) {
	rows, err := s.db.sql.QueryContext(ctx, s.db.expand(`SELECT key, n FROM {{schema}}.inventory_counters WHERE key = ANY($1::text[])`), pgTextArray(keys))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make(map[string]int64, len(keys))
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		vals[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = vals[k]
	}
	return out, nil
}
