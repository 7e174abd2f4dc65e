package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// queueSteps are the migrations of the queue's tables.
//
// queue_records holds every record; its state is 1 pending, 2 leased, 3 dead,
// 4 acked (report.State). Partial indexes serve the open records without a
// stream (the free lane), the open records of each stream, the dead-letter set
// and the acked records. queue_streams has a row for each stream that may have
// open records; head_seq is a lower bound of the stream's lowest open
// sequence (0 when the row is new), raised by Lease. The row is the stream's
// lock: an Enqueue holds it shared (FOR SHARE) from before it takes sequences
// until it commits, so that concurrent enqueues into one stream do not wait
// for each other even though they may commit out of sequence order; Lease
// locks it exclusively with SKIP LOCKED, so it owns the stream while it picks
// the stream's run and passes over a stream while an enqueue into it is in
// flight (whose sequences could be lower than ones already committed).
// Sequences come from queue_seq; a rolled-back or deduplicated enqueue leaves
// a gap, never a reuse.
var queueSteps = []step{{
	version: 1,
	name:    "queue records, streams and sequence",
	sql: []string{
		`CREATE SEQUENCE {{schema}}.queue_seq AS bigint`,
		`CREATE TABLE {{schema}}.queue_records (
			seq          bigint      PRIMARY KEY,
			idem_key     text        NOT NULL UNIQUE,
			stream       text        NOT NULL,
			endpoint     text        NOT NULL,
			body         bytea       NOT NULL,
			business_day date        NOT NULL,
			due_at       timestamptz NOT NULL,
			enqueued_at  timestamptz NOT NULL,
			state        smallint    NOT NULL CHECK (state BETWEEN 1 AND 4),
			attempts     integer     NOT NULL DEFAULT 0,
			next_at      timestamptz NOT NULL,
			last_cause   text        NOT NULL DEFAULT '',
			lease_token  bigint      NOT NULL DEFAULT 0,
			lease_until  timestamptz,
			done_at      timestamptz
		)`,
		`CREATE INDEX queue_records_free ON {{schema}}.queue_records (seq) WHERE state IN (1, 2) AND stream = ''`,
		`CREATE INDEX queue_records_stream ON {{schema}}.queue_records (stream, seq) WHERE state IN (1, 2) AND stream <> ''`,
		`CREATE INDEX queue_records_open ON {{schema}}.queue_records (seq) WHERE state IN (1, 2)`,
		`CREATE INDEX queue_records_dead ON {{schema}}.queue_records (seq) WHERE state = 3`,
		`CREATE INDEX queue_records_acked ON {{schema}}.queue_records (seq) WHERE state = 4`,
		`CREATE TABLE {{schema}}.queue_streams (
			stream   text   PRIMARY KEY,
			head_seq bigint NOT NULL
		)`,
		`CREATE INDEX queue_streams_head ON {{schema}}.queue_streams (head_seq, stream)`,
	},
}}

// Queue is the [report.Queue] of a PostgreSQL schema: durable when a call
// returns (its transaction committed), shared by every process that opens the
// schema. Leases are exclusive across processes: a stream is leased by one
// process at a time (its queue_streams row locked with SKIP LOCKED), and free
// records are picked with FOR UPDATE SKIP LOCKED. Leasing selects records by
// state, never by "sequence above the last one seen", so a record whose
// enqueue commits after a later sequence's is neither lost nor skipped.
//
// A Queue is safe for concurrent use. Take it from [DB.Queue].
type Queue struct {
	db *DB
}

var _ report.Queue = (*Queue)(nil)

// Queue applies the queue's migrations (see [DB]) and returns the queue.
func (db *DB) Queue(ctx context.Context) (*Queue, error) {
	if err := db.migrate(ctx, "queue", queueSteps); err != nil {
		return nil, err
	}
	return &Queue{db: db}, nil
}

// OpenQueue is [Open] followed by [DB.Queue].
func OpenQueue(ctx context.Context, db *sql.DB, opts *Options) (*Queue, error) {
	d, err := Open(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	return d.Queue(ctx)
}

const recordCols = `seq, idem_key, stream, endpoint, body, to_char(business_day, 'YYYY-MM-DD'), due_at,
	enqueued_at, state, attempts, next_at, last_cause, lease_token, lease_until, done_at`

type scanner interface{ Scan(...any) error }

func scanRecord(s scanner) (report.Record, error) {
	var (
		r                 report.Record
		seq, token        int64
		day               string
		state             int16
		attempts          int64
		leaseUntil, done  sql.NullTime
		due, enq, nextAt  time.Time
		key, stream, endp string
		cause             string
		body              []byte
	)
	if err := s.Scan(&seq, &key, &stream, &endp, &body, &day, &due, &enq, &state, &attempts, &nextAt,
		&cause, &token, &leaseUntil, &done); err != nil {
		return report.Record{}, err
	}
	d, err := wht93.ParseDate("business_day", day)
	if err != nil {
		return report.Record{}, fmt.Errorf("postgres: record %d: %w", seq, err)
	}
	r = report.Record{
		Seq: uint64(seq), Key: key, Stream: stream, Endpoint: endp, Body: body, Day: d,
		Due: due.UTC(), Enqueued: enq.UTC(), State: report.State(state), Attempts: int(attempts),
		Next: nextAt.UTC(), LastCause: cause, LeaseToken: uint64(token),
	}
	if r.Body == nil {
		r.Body = []byte{}
	}
	if leaseUntil.Valid {
		r.LeaseExpiry = leaseUntil.Time.UTC()
	}
	if done.Valid {
		r.Done = done.Time.UTC()
	}
	return r, nil
}

// args collects query arguments and hands out their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// chunk is the most rows one statement carries (PostgreSQL takes at most
// 65535 parameters).
const chunk = 1000

func (q *Queue) x(sql string) string { return q.db.expand(sql) }

// Enqueue implements [report.Queue].
func (q *Queue) Enqueue(ctx context.Context, now time.Time, drafts ...report.Draft) ([]report.Enqueued, error) {
	now, ds, err := report.CheckEnqueue(now, drafts)
	if err != nil {
		return nil, err
	}
	firstOf := map[string]int{} // key → index of its first draft
	var uniq []int
	for i, d := range ds {
		if _, ok := firstOf[d.Key]; !ok {
			firstOf[d.Key] = i
			uniq = append(uniq, i)
		}
	}
	seqOf := map[string]uint64{}
	fresh := map[string]bool{}
	err = q.db.inTx(ctx, func(tx *sql.Tx) error {
		clear(seqOf)
		clear(fresh)
		// Keys already stored.
		for part := range slices.Chunk(uniq, chunk) {
			var a args
			ph := make([]string, len(part))
			for j, i := range part {
				ph[j] = a.add(ds[i].Key)
			}
			rows, err := tx.QueryContext(ctx, q.x(`SELECT idem_key, seq FROM {{schema}}.queue_records WHERE idem_key IN (`+strings.Join(ph, ",")+`)`), a...)
			if err := scanKeySeqs(rows, err, func(k string, s uint64) { seqOf[k] = s }); err != nil {
				return err
			}
		}
		var todo []int
		streamSet := map[string]bool{}
		for _, i := range uniq {
			if _, ok := seqOf[ds[i].Key]; !ok {
				todo = append(todo, i)
				if ds[i].Stream != "" {
					streamSet[ds[i].Stream] = true
				}
			}
		}
		if len(todo) == 0 {
			return nil
		}
		// Hold the streams shared, in order, before taking sequences: Lease
		// (which locks a stream exclusively, skipping it when it cannot) then
		// never looks at a stream while an enqueue into it is in flight, so it
		// never sees a later sequence of a stream without the earlier ones.
		streams := make([]string, 0, len(streamSet))
		for s := range streamSet {
			streams = append(streams, s)
		}
		slices.Sort(streams)
		for part := range slices.Chunk(streams, chunk) {
			if err := q.shareStreams(ctx, tx, part); err != nil {
				return err
			}
		}
		seqs := make([]int64, 0, len(todo))
		rows, err := tx.QueryContext(ctx, q.x(`SELECT nextval('{{schema}}.queue_seq') FROM generate_series(1, $1)`), len(todo))
		if err != nil {
			return err
		}
		for rows.Next() {
			var s int64
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, s)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(seqs) != len(todo) {
			return fmt.Errorf("postgres: asked for %d sequences, got %d", len(todo), len(seqs))
		}
		slices.Sort(seqs)
		for part := range slices.Chunk(todo, chunk) {
			var a args
			nowPh := a.add(now)
			vals := make([]string, len(part))
			for j, i := range part {
				d := ds[i]
				s := seqs[0]
				seqs = seqs[1:]
				body := d.Body
				if body == nil {
					body = []byte{} // NULL otherwise
				}
				vals[j] = "(" + strings.Join([]string{a.add(s), a.add(d.Key), a.add(d.Stream), a.add(d.Endpoint),
					a.add(body), a.add(d.Day.String()), a.add(d.Due), nowPh, "1", nowPh}, ", ") + ")"
			}
			rows, err := tx.QueryContext(ctx, q.x(`INSERT INTO {{schema}}.queue_records
				(seq, idem_key, stream, endpoint, body, business_day, due_at, enqueued_at, state, next_at)
				VALUES `+strings.Join(vals, ",")+` ON CONFLICT (idem_key) DO NOTHING RETURNING idem_key, seq`), a...)
			if err := scanKeySeqs(rows, err, func(k string, s uint64) { seqOf[k], fresh[k] = s, true }); err != nil {
				return err
			}
		}
		// Keys another transaction stored meanwhile.
		for _, i := range todo {
			k := ds[i].Key
			if _, ok := seqOf[k]; ok {
				continue
			}
			var s int64
			if err := tx.QueryRowContext(ctx, q.x(`SELECT seq FROM {{schema}}.queue_records WHERE idem_key = $1`), k).Scan(&s); err != nil {
				return err
			}
			seqOf[k] = uint64(s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]report.Enqueued, len(ds))
	for i, d := range ds {
		out[i] = report.Enqueued{Seq: seqOf[d.Key], Duplicate: i != firstOf[d.Key] || !fresh[d.Key]}
	}
	return out, nil
}

// scanKeySeqs hands each (idem_key, seq) row of rows to fn and closes rows;
// qerr is the error of the query that gave rows.
func scanKeySeqs(rows *sql.Rows, qerr error, fn func(key string, seq uint64)) error {
	if qerr != nil {
		return qerr
	}
	for rows.Next() {
		var k string
		var s int64
		if err := rows.Scan(&k, &s); err != nil {
			rows.Close()
			return err
		}
		fn(k, uint64(s))
	}
	return rows.Close()
}

// shareStreams makes sure each stream has its row and holds the rows shared
// until the transaction ends. A row that a Lease deletes (its stream had no
// open record) while we wait for it is made again.
func (q *Queue) shareStreams(ctx context.Context, tx *sql.Tx, streams []string) error {
	todo := streams
	for range 100 {
		var a args
		vals := make([]string, len(todo))
		for j, s := range todo {
			vals[j] = a.add(s)
		}
		if _, err := tx.ExecContext(ctx, q.x(`INSERT INTO {{schema}}.queue_streams (stream, head_seq) VALUES (`+
			strings.Join(vals, ", 0), (")+`, 0) ON CONFLICT (stream) DO NOTHING`), a...); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, q.x(`SELECT stream FROM {{schema}}.queue_streams WHERE stream IN (`+
			strings.Join(vals, ",")+`) ORDER BY stream FOR SHARE`), a...)
		if err != nil {
			return err
		}
		held := map[string]bool{}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			held[s] = true
		}
		if err := rows.Close(); err != nil {
			return err
		}
		var missing []string
		for _, s := range todo {
			if !held[s] {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		todo = missing
	}
	return fmt.Errorf("postgres: could not lock the rows of %d streams", len(todo))
}

// dueSQL is the SQL condition of a record open for a lease at now (a
// placeholder): Pending and its next attempt time come, or Leased and its
// lease expired.
func dueSQL(now string) string {
	return `((state = 1 AND next_at <= ` + now + `) OR (state = 2 AND lease_until <= ` + now + `))`
}

// Lease implements [report.Queue].
func (q *Queue) Lease(ctx context.Context, now time.Time, ttl time.Duration, max int) ([]report.Record, error) {
	if err := report.CheckLease(ttl, max); err != nil {
		return nil, err
	}
	now, expiry, err := report.CheckLeaseTimes(now, ttl)
	if err != nil {
		return nil, err
	}
	var out []report.Record
	err = q.db.inTx(ctx, func(tx *sql.Tx) error {
		out = []report.Record{}
		picked, err := q.pick(ctx, tx, now, max)
		if err != nil || len(picked) == 0 {
			return err
		}
		var a args
		tPh := a.add(expiry)
		ph := make([]string, len(picked))
		for i, s := range picked {
			ph[i] = a.add(s)
		}
		rows, err := tx.QueryContext(ctx, q.x(`UPDATE {{schema}}.queue_records
			SET state = 2, attempts = attempts + 1, lease_token = lease_token + 1, lease_until = `+tPh+`
			WHERE seq IN (`+strings.Join(ph, ",")+`) RETURNING `+recordCols), a...)
		if err != nil {
			return err
		}
		recs, err := scanRecords(rows)
		if err != nil {
			return err
		}
		slices.SortFunc(recs, func(a, b report.Record) int { return cmp.Compare(a.Seq, b.Seq) })
		out = recs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pick returns the sequences Lease takes, locked: the due free records
// (FOR UPDATE SKIP LOCKED) and the due runs at the head of the streams it
// could lock, lowest first, at most max.
func (q *Queue) pick(ctx context.Context, tx *sql.Tx, now time.Time, max int) ([]int64, error) {
	var cands []int64
	rows, err := tx.QueryContext(ctx, q.x(`SELECT seq FROM {{schema}}.queue_records
		WHERE state IN (1, 2) AND stream = '' AND `+dueSQL("$1")+` ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`), now, max)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, s)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	type head struct {
		stream string
		seq    int64
	}
	var (
		empty      []string // streams without open records
		moved      []head   // streams whose head_seq lags their head
		lastHead   = int64(-1)
		lastStream = ""
	)
	const page = 64
	for {
		rows, err := tx.QueryContext(ctx, q.x(`SELECT stream, head_seq FROM {{schema}}.queue_streams
			WHERE (head_seq, stream) > ($1::bigint, $2::text) ORDER BY head_seq, stream LIMIT `+strconv.Itoa(page)+` FOR UPDATE SKIP LOCKED`),
			lastHead, lastStream)
		if err != nil {
			return nil, err
		}
		var locked []head
		for rows.Next() {
			var h head
			if err := rows.Scan(&h.stream, &h.seq); err != nil {
				rows.Close()
				return nil, err
			}
			locked = append(locked, h)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if len(locked) == 0 {
			break
		}
		lastHead, lastStream = locked[len(locked)-1].seq, locked[len(locked)-1].stream

		// The head of each locked stream: is it due?
		var a args
		nowPh := a.add(now)
		vals := make([]string, len(locked))
		for i, h := range locked {
			vals[i] = "(" + a.add(h.stream) + "::text)"
		}
		rows, err = tx.QueryContext(ctx, q.x(`SELECT v.stream, r.seq, coalesce(r.due, false) FROM (VALUES `+strings.Join(vals, ",")+`) AS v(stream)
			LEFT JOIN LATERAL (SELECT seq, `+dueSQL(nowPh)+` AS due
				FROM {{schema}}.queue_records WHERE stream = v.stream AND stream <> '' AND state IN (1, 2)
				ORDER BY seq LIMIT 1) r ON true`), a...)
		if err != nil {
			return nil, err
		}
		lower := map[string]int64{}
		for _, h := range locked {
			lower[h.stream] = h.seq
		}
		var ready []string
		for rows.Next() {
			var stream string
			var seq sql.NullInt64
			var due bool
			if err := rows.Scan(&stream, &seq, &due); err != nil {
				rows.Close()
				return nil, err
			}
			switch {
			case !seq.Valid:
				empty = append(empty, stream)
				continue
			case seq.Int64 != lower[stream]:
				moved = append(moved, head{stream, seq.Int64})
			}
			if due {
				ready = append(ready, stream)
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}

		// The runs of the streams whose head is due, locked.
		if len(ready) > 0 {
			var a args
			nowPh := a.add(now)
			maxPh := a.add(max)
			vals := make([]string, len(ready))
			for i, s := range ready {
				vals[i] = "(" + a.add(s) + "::text)"
			}
			rows, err := tx.QueryContext(ctx, q.x(`SELECT r.stream, r.seq, r.due FROM (VALUES `+strings.Join(vals, ",")+`) AS v(stream)
				CROSS JOIN LATERAL (SELECT stream, seq, `+dueSQL(nowPh)+` AS due
					FROM {{schema}}.queue_records WHERE stream = v.stream AND stream <> '' AND state IN (1, 2)
					ORDER BY seq LIMIT `+maxPh+` FOR UPDATE) r
				ORDER BY r.stream, r.seq`), a...)
			if err != nil {
				return nil, err
			}
			blocked := map[string]bool{}
			for rows.Next() {
				var stream string
				var seq int64
				var due bool
				if err := rows.Scan(&stream, &seq, &due); err != nil {
					rows.Close()
					return nil, err
				}
				if blocked[stream] {
					continue
				}
				if !due {
					blocked[stream] = true
					continue
				}
				cands = append(cands, seq)
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
		slices.Sort(cands)
		// Streams not examined yet start at or after lastHead.
		if len(locked) < page || (len(cands) >= max && cands[max-1] <= lastHead) {
			break
		}
	}
	slices.Sort(cands)
	if len(cands) > max {
		cands = cands[:max]
	}
	if len(empty) > 0 {
		var a args
		ph := make([]string, len(empty))
		for i, s := range empty {
			ph[i] = a.add(s)
		}
		if _, err := tx.ExecContext(ctx, q.x(`DELETE FROM {{schema}}.queue_streams WHERE stream IN (`+strings.Join(ph, ",")+`)`), a...); err != nil {
			return nil, err
		}
	}
	if len(moved) > 0 {
		var a args
		vals := make([]string, len(moved))
		for i, h := range moved {
			vals[i] = "(" + a.add(h.stream) + "::text, " + a.add(h.seq) + "::bigint)"
		}
		if _, err := tx.ExecContext(ctx, q.x(`UPDATE {{schema}}.queue_streams s SET head_seq = v.h
			FROM (VALUES `+strings.Join(vals, ",")+`) AS v(stream, h) WHERE s.stream = v.stream`), a...); err != nil {
			return nil, err
		}
	}
	return cands, nil
}

// settle runs one UPDATE on the claimed records that are Leased under their
// claim and returns the violations of the others. A claim whose record is
// already in state again under the same token is no error.
func (q *Queue) settle(ctx context.Context, claims []report.Claim, again report.State, set string, setArgs ...any) error {
	a := args(setArgs)
	cs := make([]string, len(claims))
	for i, c := range claims {
		cs[i] = "(" + a.add(int64(c.Seq)) + "::bigint, " + a.add(int64(c.Token)) + "::bigint)"
	}
	rows, err := q.db.sql.QueryContext(ctx, q.x(`UPDATE {{schema}}.queue_records SET `+set+`
		WHERE state = 2 AND (seq, lease_token) IN (`+strings.Join(cs, ",")+`) RETURNING seq`), a...)
	if err != nil {
		return err
	}
	done := map[uint64]bool{}
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		done[uint64(s)] = true
	}
	if err := rows.Close(); err != nil {
		return err
	}
	var lost []report.Claim
	for _, c := range claims {
		if done[c.Seq] {
			continue
		}
		if again != 0 {
			var state int16
			var token int64
			err := q.db.sql.QueryRowContext(ctx, q.x(`SELECT state, lease_token FROM {{schema}}.queue_records WHERE seq = $1`),
				int64(c.Seq)).Scan(&state, &token)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			if err == nil && report.State(state) == again && uint64(token) == c.Token {
				continue
			}
		}
		lost = append(lost, c)
	}
	return report.LeaseLost(lost)
}

// Ack implements [report.Queue].
func (q *Queue) Ack(ctx context.Context, now time.Time, claims ...report.Claim) error {
	now, err := report.CheckAck(now, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, report.Acked, `state = 4, done_at = $1`, now)
}

// Retry implements [report.Queue].
func (q *Queue) Retry(ctx context.Context, next time.Time, cause string, claims ...report.Claim) error {
	next, err := report.CheckRetry(next, cause, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, 0, `state = 1, next_at = $1, last_cause = $2`, next, cause)
}

// Bury implements [report.Queue].
func (q *Queue) Bury(ctx context.Context, now time.Time, cause string, claims ...report.Claim) error {
	now, err := report.CheckBury(now, cause, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, 0, `state = 3, done_at = $1, last_cause = $2`, now, cause)
}

// refusal explains why record seq was not changed: it does not exist, or its
// state does not allow the change.
func (q *Queue) refusal(ctx context.Context, db interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, seq uint64) error {
	var state int16
	err := db.QueryRowContext(ctx, q.x(`SELECT state FROM {{schema}}.queue_records WHERE seq = $1`), int64(seq)).Scan(&state)
	switch {
	case err == sql.ErrNoRows:
		return report.NotFound(seq)
	case err != nil:
		return err
	}
	return report.WrongState(seq, report.State(state))
}

// Redrive implements [report.Queue]. It locks the record's stream, so that a
// Lease running at the same time sees the record either dead or back in
// place.
func (q *Queue) Redrive(ctx context.Context, now time.Time, seq uint64) error {
	now, err := report.CheckRedrive(now, seq)
	if err != nil {
		return err
	}
	var refused error
	err = q.db.inTx(ctx, func(tx *sql.Tx) error {
		refused = nil
		var stream string
		err := tx.QueryRowContext(ctx, q.x(`SELECT stream FROM {{schema}}.queue_records WHERE seq = $1`), int64(seq)).Scan(&stream)
		if err == sql.ErrNoRows {
			refused = report.NotFound(seq)
			return nil
		}
		if err != nil {
			return err
		}
		if stream != "" {
			if _, err := tx.ExecContext(ctx, q.x(`INSERT INTO {{schema}}.queue_streams (stream, head_seq) VALUES ($1, $2)
				ON CONFLICT (stream) DO UPDATE SET head_seq = LEAST(queue_streams.head_seq, EXCLUDED.head_seq)`), stream, int64(seq)); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, q.x(`UPDATE {{schema}}.queue_records SET state = 1, attempts = 0, next_at = $2, done_at = NULL
			WHERE seq = $1 AND state = 3`), int64(seq), now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		refused = q.refusal(ctx, tx, seq)
		return nil
	})
	if err != nil {
		return err
	}
	return refused
}

// BuryRecord implements [report.Queue].
func (q *Queue) BuryRecord(ctx context.Context, now time.Time, seq uint64, cause string) error {
	now, err := report.CheckBuryRecord(now, seq, cause)
	if err != nil {
		return err
	}
	res, err := q.db.sql.ExecContext(ctx, q.x(`UPDATE {{schema}}.queue_records SET state = 3, done_at = $2, last_cause = $3
		WHERE seq = $1 AND state IN (1, 2)`), int64(seq), now, cause)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return q.refusal(ctx, q.db.sql, seq)
}

// Purge implements [report.Queue].
func (q *Queue) Purge(ctx context.Context, ackedBefore time.Time, max int) (int, error) {
	before, err := report.CheckTime("ackedBefore", ackedBefore)
	if err != nil {
		return 0, err
	}
	if err := report.CheckMax("max", max); err != nil {
		return 0, err
	}
	res, err := q.db.sql.ExecContext(ctx, q.x(`DELETE FROM {{schema}}.queue_records WHERE seq IN (
		SELECT seq FROM {{schema}}.queue_records WHERE state = 4 AND done_at < $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)`),
		before, max)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Get implements [report.Queue].
func (q *Queue) Get(ctx context.Context, seq uint64) (report.Record, error) {
	if seq > math.MaxInt64 {
		return report.Record{}, report.NotFound(seq)
	}
	r, err := scanRecord(q.db.sql.QueryRowContext(ctx, q.x(`SELECT `+recordCols+` FROM {{schema}}.queue_records WHERE seq = $1`), int64(seq)))
	if err == sql.ErrNoRows {
		return report.Record{}, report.NotFound(seq)
	}
	return r, err
}

// List implements [report.Queue].
func (q *Queue) List(ctx context.Context, lq report.ListQuery) ([]report.Record, error) {
	lq, err := report.CheckList(lq)
	if err != nil {
		return nil, err
	}
	if lq.After >= math.MaxInt64 {
		return []report.Record{}, nil
	}
	a := args{int64(lq.After), lq.Limit}
	var where string
	switch lq.Filter {
	case report.ListOpen:
		where = `state IN (1, 2)`
	case report.ListDead:
		where = `state = 3`
	case report.ListLate:
		where = `state <> 4 AND due_at < ` + a.add(lq.Now)
	}
	rows, err := q.db.sql.QueryContext(ctx, q.x(`SELECT `+recordCols+` FROM {{schema}}.queue_records
		WHERE `+where+` AND seq > $1 ORDER BY seq LIMIT $2`), a...)
	if err != nil {
		return nil, err
	}
	return scanRecords(rows)
}

// scanRecords reads every row of rows (the columns of recordCols) and closes
// rows.
func scanRecords(rows *sql.Rows) ([]report.Record, error) {
	defer rows.Close()
	out := []report.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Stats implements [report.Queue]. It counts in one statement (one snapshot);
// its cost grows with the number of stored records.
func (q *Queue) Stats(ctx context.Context, now time.Time) (report.Stats, error) {
	if _, err := report.CheckTime("now", now); err != nil {
		return report.Stats{}, err
	}
	var s report.Stats
	var oldest sql.NullTime
	err := q.db.sql.QueryRowContext(ctx, q.x(`SELECT
			count(*) FILTER (WHERE state IN (1, 2)),
			count(*) FILTER (WHERE state = 2),
			count(*) FILTER (WHERE state IN (1, 2) AND last_cause <> ''),
			coalesce(sum(attempts) FILTER (WHERE state IN (1, 2)), 0),
			count(*) FILTER (WHERE state = 3),
			count(*) FILTER (WHERE state = 4),
			count(*) FILTER (WHERE state = 4 AND done_at > due_at),
			(SELECT enqueued_at FROM {{schema}}.queue_records WHERE state IN (1, 2) ORDER BY seq LIMIT 1)
		FROM {{schema}}.queue_records`)).Scan(&s.Depth, &s.Leased, &s.Failing, &s.Attempts, &s.Dead, &s.Acked, &s.Backfill, &oldest)
	if err != nil {
		return report.Stats{}, err
	}
	if oldest.Valid {
		s.Oldest = oldest.Time.UTC()
		s.OldestAge = max(now.Sub(s.Oldest), 0)
	}
	return s, nil
}
