package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// The entry store's tables. wht93_entries holds one row per entry, its fields
// in columns (the time as microseconds since 1970 UTC in at_us, and as a
// timestamptz in at for people reading the table; n is the entry's count where
// it was admitted), under its sequence. wht93_entry_counts holds each ticket's
// number of entries. wht93_entry_head holds the last sequence given.
//
// Every write goes through the function wht93_entry_apply, which takes a batch
// of entries as JSON and, holding the head row locked until the transaction
// commits, applies them in order: a stored id is a duplicate; an admission
// (with a maximum) is refused at the maximum; otherwise the entry gets the next
// sequence, is inserted and counted. Writers in every process serialize on the
// head row, so sequences are committed in order: a reader of "seq > cursor"
// never misses a row that commits later with a lower sequence. The batch makes
// one round trip per transaction, and the group commit of [Entries] puts the
// admissions of many gates into one transaction.
var entrySteps = []step{{
	version: 1,
	name:    "entry store: entries, counts, head, apply function",
	sql: []string{
		`CREATE TABLE {{schema}}.wht93_entry_head (
			id  boolean PRIMARY KEY DEFAULT true CHECK (id),
			seq bigint  NOT NULL CHECK (seq >= 0)
		)`,
		`INSERT INTO {{schema}}.wht93_entry_head (id, seq) VALUES (true, 0)`,
		`CREATE TABLE {{schema}}.wht93_entry_counts (
			ticket text    PRIMARY KEY,
			n      integer NOT NULL CHECK (n > 0)
		)`,
		`CREATE TABLE {{schema}}.wht93_entries (
			seq          bigint   PRIMARY KEY CHECK (seq > 0),
			id           text     NOT NULL UNIQUE,
			ticket       text     NOT NULL,
			session_code text     NOT NULL,
			session_id   text     NOT NULL,
			tier         text     NOT NULL,
			real_name    smallint NOT NULL,
			method       smallint NOT NULL,
			gate         text     NOT NULL,
			device       text     NOT NULL,
			node         text     NOT NULL,
			at_us        bigint   NOT NULL,
			at           timestamptz GENERATED ALWAYS AS (to_timestamp(at_us::double precision / 1000000)) STORED,
			n            integer  NOT NULL CHECK (n > 0)
		)`,
		`CREATE INDEX wht93_entries_ticket ON {{schema}}.wht93_entries (ticket, seq)`,
		`CREATE FUNCTION {{schema}}.wht93_entry_apply(batch jsonb)
		RETURNS TABLE (k integer, status smallint, out_seq bigint, out_n integer, total integer)
		LANGUAGE plpgsql AS $$
		DECLARE
			e jsonb;
			i integer := 0;
			found_seq bigint;
			found_n integer;
			found_ticket text;
			cur integer;
			lim integer;
			s bigint;
			nn integer;
		BEGIN
			PERFORM 1 FROM {{schema}}.wht93_entry_head h WHERE h.id FOR UPDATE;
			FOR e IN SELECT value FROM jsonb_array_elements(batch) LOOP
				k := i;
				i := i + 1;
				SELECT x.seq, x.n, x.ticket INTO found_seq, found_n, found_ticket
					FROM {{schema}}.wht93_entries x WHERE x.id = e->>'id';
				IF FOUND THEN
					SELECT c.n INTO cur FROM {{schema}}.wht93_entry_counts c WHERE c.ticket = found_ticket;
					status := 2; out_seq := found_seq; out_n := found_n; total := coalesce(cur, 0);
					RETURN NEXT;
					CONTINUE;
				END IF;
				SELECT c.n INTO cur FROM {{schema}}.wht93_entry_counts c WHERE c.ticket = e->>'ticket';
				cur := coalesce(cur, 0);
				lim := (e->>'max')::integer;
				IF lim IS NOT NULL AND cur >= lim THEN
					status := 0; out_seq := 0; out_n := 0; total := cur;
					RETURN NEXT;
					CONTINUE;
				END IF;
				UPDATE {{schema}}.wht93_entry_head h SET seq = h.seq + 1 WHERE h.id RETURNING h.seq INTO s;
				INSERT INTO {{schema}}.wht93_entry_counts AS c (ticket, n) VALUES (e->>'ticket', 1)
					ON CONFLICT (ticket) DO UPDATE SET n = c.n + 1;
				nn := CASE WHEN lim IS NULL THEN (e->>'n')::integer ELSE cur + 1 END;
				INSERT INTO {{schema}}.wht93_entries
					(seq, id, ticket, session_code, session_id, tier, real_name, method, gate, device, node, at_us, n)
				VALUES (s, e->>'id', e->>'ticket', left(e->>'ticket', 21), e->>'sessionId', e->>'tier',
					(e->>'realName')::smallint, (e->>'method')::smallint, e->>'gate', e->>'device', e->>'node',
					(e->>'at')::bigint, nn);
				status := 1; out_seq := s; out_n := nn; total := cur + 1;
				RETURN NEXT;
			END LOOP;
		END
		$$`,
	},
}}

// Entries is the [checkin.Store] of a PostgreSQL schema: an admission is
// committed when Admit returns, and any number of processes may share the
// schema (a LAN node and its standby, several online servers). Take it from
// [DB.Entries].
//
// Group commit. Calls made at the same time through one Entries share a
// transaction: while one transaction runs, the calls that arrive wait, and the
// next transaction takes all of them (up to about 2000 entries), in order. A
// failed transaction fails every call in it. An Entries is safe for concurrent
// use.
type Entries struct {
	db    *DB
	group groupCommit[entItem, entResult]
}

var _ checkin.Store = (*Entries)(nil)

// entMaxBatch bounds the entries of one transaction (a bigger Import goes
// alone).
const entMaxBatch = 2000

// groupCommit makes the calls made at the same time share a transaction (the
// group commit of [AuditLog] and [Entries]): while one transaction runs, the
// calls that arrive wait, and the next transaction takes all of them (up to max
// items, and at least one call), each call's items kept together and in order.
// run makes the transaction of items and returns one result per item; when it
// fails, every call in it gets its error. The transaction does not end with the
// context of the call that leads it: other callers' items are in it.
type groupCommit[In, Out any] struct {
	max int
	run func(ctx context.Context, items []In) ([]Out, error)

	mu      sync.Mutex
	waiting []*groupReq[In, Out] // calls waiting for the next transaction
	busy    bool                 // a transaction runs, or its successor is being handed the lead
}

// groupReq is one call waiting in a group commit.
type groupReq[In, Out any] struct {
	items []In
	out   []Out
	err   error
	wake  chan bool // true: lead the next transaction; false: done, see out and err
}

// submit queues items for the next transaction and returns their results.
func (g *groupCommit[In, Out]) submit(ctx context.Context, items []In) ([]Out, error) {
	r := &groupReq[In, Out]{items: items, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.waiting = append(g.waiting, r)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		select {
		case lead = <-r.wake:
		case <-ctx.Done():
			go func() { // the request stays queued: whoever wakes it finds it gone
				if <-r.wake {
					g.lead(context.Background())
				}
			}()
			return nil, ctx.Err()
		}
		if !lead {
			return r.out, r.err
		}
	}
	g.lead(ctx)
	<-r.wake // lead puts r's outcome there
	return r.out, r.err
}

// lead runs one transaction for the calls waiting, wakes their callers, and
// hands the lead to the next waiting call, if any.
func (g *groupCommit[In, Out]) lead(ctx context.Context) {
	g.mu.Lock()
	n, total := 0, 0
	for n < len(g.waiting) && (n == 0 || total+len(g.waiting[n].items) <= g.max) {
		total += len(g.waiting[n].items)
		n++
	}
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	all := make([]In, 0, total)
	for _, r := range batch {
		all = append(all, r.items...)
	}
	out, err := g.run(context.WithoutCancel(ctx), all)
	for _, r := range batch {
		if err != nil {
			r.err = err
		} else {
			r.out, out = out[:len(r.items):len(r.items)], out[len(r.items):]
		}
		r.wake <- false
	}

	g.mu.Lock()
	if len(g.waiting) == 0 {
		g.busy = false
		g.mu.Unlock()
		return
	}
	next := g.waiting[0]
	g.mu.Unlock()
	next.wake <- true
}

// entItem is one entry of the apply function's batch, as JSON.
type entItem struct {
	ID        string `json:"id"`
	Ticket    string `json:"ticket"`
	SessionID string `json:"sessionId"`
	Tier      string `json:"tier"`
	RealName  int    `json:"realName"`
	Method    int    `json:"method"`
	Gate      string `json:"gate"`
	Device    string `json:"device"`
	Node      string `json:"node"`
	At        int64  `json:"at"`
	N         int    `json:"n"`
	Max       *int   `json:"max,omitempty"` // nil: an import
}

type entResult struct {
	status int16 // 0 refused, 1 stored, 2 duplicate
	seq    int64
	n      int
	total  int
	dup    checkin.Entry // the stored entry, for a duplicate
}

func entItemOf(e *checkin.Entry, max *int) entItem {
	return entItem{
		ID: e.ID, Ticket: e.Ticket.String(), SessionID: e.SessionID, Tier: e.Tier, RealName: int(e.RealName),
		Method: int(e.Method), Gate: e.Gate, Device: e.Device, Node: e.Node, At: e.At.UnixMicro(), N: e.Count, Max: max,
	}
}

// Entries returns the schema's entry store, creating its tables on first use
// (migration component "entry").
func (db *DB) Entries(ctx context.Context) (*Entries, error) {
	if err := db.migrate(ctx, "entry", entrySteps); err != nil {
		return nil, err
	}
	s := &Entries{db: db}
	s.group = groupCommit[entItem, entResult]{max: entMaxBatch, run: s.applyTx}
	return s, nil
}

// Admit implements [checkin.Store]. If ctx ends while the call waits for its
// transaction, it returns ctx.Err() and the entry may still be committed.
func (s *Entries) Admit(ctx context.Context, e checkin.Entry, max int) (checkin.Admission, error) {
	if err := ctx.Err(); err != nil {
		return checkin.Admission{}, err
	}
	e, err := checkin.CheckAdmit(e, max)
	if err != nil {
		return checkin.Admission{}, err
	}
	res, err := s.group.submit(ctx, []entItem{entItemOf(&e, &max)})
	if err != nil {
		return checkin.Admission{}, err
	}
	r := res[0]
	switch r.status {
	case 0:
		return checkin.Admission{Count: r.total}, nil
	case 1:
		e.Count = r.n
		return checkin.Admission{Entry: e, Admitted: true, Count: r.total}, nil
	case 2:
		return checkin.Admission{Entry: r.dup, Admitted: true, Duplicate: true, Count: r.total}, nil
	}
	return checkin.Admission{}, fmt.Errorf("postgres: wht93_entry_apply answered status %d", r.status)
}

// Import implements [checkin.Store]. If ctx ends while the call waits for its
// transaction, it returns ctx.Err() and the entries may still be committed.
func (s *Entries) Import(ctx context.Context, es ...checkin.Entry) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	es, err := checkin.CheckImport(es)
	if err != nil {
		return 0, err
	}
	items := make([]entItem, len(es))
	for i := range es {
		items[i] = entItemOf(&es[i], nil)
	}
	res, err := s.group.submit(ctx, items)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, r := range res {
		if r.status == 1 {
			added++
		}
	}
	return added, nil
}

// applyTx applies items in one transaction and reads the entries of the
// duplicates.
func (s *Entries) applyTx(ctx context.Context, items []entItem) ([]entResult, error) {
	batch, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	var res []entResult
	err = s.db.inTx(ctx, func(tx *sql.Tx) error {
		res = make([]entResult, len(items))
		rows, err := tx.QueryContext(ctx, s.db.expand(`SELECT k, status, out_seq, out_n, total FROM {{schema}}.wht93_entry_apply($1::jsonb)`), string(batch))
		if err != nil {
			return err
		}
		seen := 0
		var dupSeqs []int64
		for rows.Next() {
			var k int
			var r entResult
			if err := rows.Scan(&k, &r.status, &r.seq, &r.n, &r.total); err != nil {
				rows.Close()
				return err
			}
			if k < 0 || k >= len(items) {
				rows.Close()
				return fmt.Errorf("postgres: wht93_entry_apply answered for item %d of %d", k, len(items))
			}
			res[k] = r
			seen++
			if r.status == 2 {
				dupSeqs = append(dupSeqs, r.seq)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if seen != len(items) {
			return fmt.Errorf("postgres: wht93_entry_apply answered %d of %d items", seen, len(items))
		}
		if len(dupSeqs) == 0 {
			return nil
		}
		dups := make(map[int64]checkin.Entry, len(dupSeqs))
		var in strings.Builder
		for i, q := range dupSeqs {
			if i > 0 {
				in.WriteByte(',')
			}
			fmt.Fprintf(&in, "%d", q)
		}
		es, err := entQuery(ctx, tx, s.db.expand(`SELECT seq, `+entColumns+` FROM {{schema}}.wht93_entries WHERE seq IN (`+in.String()+`)`))
		if err != nil {
			return err
		}
		for _, c := range es {
			dups[int64(c.Seq)] = c.Entry
		}
		for k := range res {
			if res[k].status == 2 {
				res[k].dup = dups[res[k].seq]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

const entColumns = `id, ticket, session_id, tier, real_name, method, gate, device, node, at_us, n`

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// entQuery reads rows of seq and entColumns.
func entQuery(ctx context.Context, q queryer, query string, args ...any) ([]checkin.Change, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []checkin.Change{}
	for rows.Next() {
		var (
			seq            int64
			id, ticket     string
			sid, tier      string
			realName, meth int16
			gate, dev, nd  string
			at             int64
			n              int
		)
		if err := rows.Scan(&seq, &id, &ticket, &sid, &tier, &realName, &meth, &gate, &dev, &nd, &at, &n); err != nil {
			return nil, err
		}
		code, err := codes.ParseTicketCode(ticket)
		if err != nil {
			return nil, fmt.Errorf("postgres: entry %d: ticket %q: %w", seq, ticket, err)
		}
		e := checkin.Entry{ID: id, Ticket: code, SessionID: sid, Tier: tier, RealName: realname.Mode(realName),
			Method: checkin.Method(meth), Gate: gate, Device: dev, Node: nd, At: time.UnixMicro(at).In(wht93.CST), Count: n}
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("postgres: entry %d: %w", seq, err)
		}
		out = append(out, checkin.Change{Seq: uint64(seq), Entry: e})
	}
	return out, rows.Err()
}

// Count implements [checkin.Store].
func (s *Entries) Count(ctx context.Context, code codes.TicketCode) (int, error) {
	var n int
	err := s.db.sql.QueryRowContext(ctx, s.db.expand(`SELECT coalesce((SELECT n FROM {{schema}}.wht93_entry_counts WHERE ticket = $1), 0)`), code.String()).Scan(&n)
	return n, err
}

// Entries implements [checkin.Store].
func (s *Entries) Entries(ctx context.Context, code codes.TicketCode) ([]checkin.Entry, error) {
	cs, err := entQuery(ctx, s.db.sql, s.db.expand(`SELECT seq, `+entColumns+` FROM {{schema}}.wht93_entries WHERE ticket = $1 ORDER BY seq`), code.String())
	if err != nil {
		return nil, err
	}
	out := make([]checkin.Entry, len(cs))
	for i, c := range cs {
		out[i] = c.Entry
	}
	return out, nil
}

// Changes implements [checkin.Store].
func (s *Entries) Changes(ctx context.Context, after uint64, limit int) ([]checkin.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkin.CheckRead(limit); err != nil {
		return nil, err
	}
	if after >= math.MaxInt64 {
		return []checkin.Change{}, nil
	}
	return entQuery(ctx, s.db.sql, s.db.expand(`SELECT seq, `+entColumns+` FROM {{schema}}.wht93_entries WHERE seq > $1 ORDER BY seq LIMIT $2`), int64(after), limit)
}
