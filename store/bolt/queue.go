package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/report"
)

// The queue's bucket, "queue", holds its format ("format": "2"), its counters
// (8-byte big-endian values under the keys "n.seq", "n.depth", … below) and
// these nested buckets:
//
//	rec   seq → record (see queue_codec.go)                every stored record
//	key   idempotency key → seq                            every stored record
//	free  seq → eligible time, due time                    open records without a stream
//	strm  stream prefix + seq → eligible time, due time    open records of each stream
//	dead  seq → due time                                   Dead records
//
// The open (Pending and Leased) records are those of the two lanes, free and
// strm. A record's eligible time is its next attempt time while Pending and its
// lease expiry while Leased: Lease reads the lanes only, and decodes just the
// records it takes. Nothing is scanned at open: the counters make Stats
// constant-time but for the head of each stream, and the lanes find the oldest
// records at once. An enqueued record costs three puts: its record, its key
// and its lane entry.
//
// Format 1 kept a third index of the open records, "open" (seq → due time),
// and times alone in the lanes; [DB.Queue] converts it to format 2 in one
// transaction.
const (
	queueBucket = "queue"
	queueFormat = "2"
)

var (
	bRec, bKey, bFree, bStrm, bDead = []byte("rec"), []byte("key"), []byte("free"), []byte("strm"), []byte("dead")
	bOpen1                          = []byte("open") // format 1 only

	cSeq      = []byte("n.seq")
	cDepth    = []byte("n.depth")
	cLeased   = []byte("n.leased")
	cFailing  = []byte("n.failing")
	cAttempts = []byte("n.attempts")
	cDead     = []byte("n.dead")
	cAcked    = []byte("n.acked")
	cBackfill = []byte("n.backfill")
)

// Queue is the [report.Queue] of a bolt file: durable when a call returns,
// group-committed with every other change of its [DB]. Take it from
// [DB.Queue]; it lives as long as its DB. A Queue is safe for concurrent use;
// one process at a time opens the file.
type Queue struct {
	db *DB

	// The buckets and counters of the committer's current transaction, shared
	// by the changes it groups; touched only by update functions (which only
	// the committer runs).
	cur    *qtx
	curGen uint64
}

var _ report.Queue = (*Queue)(nil)

// Queue returns the file's report queue, creating its buckets on first use. It
// fails when the file holds a queue of a format this version does not know.
func (db *DB) Queue() (*Queue, error) {
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, was, err := portRoot(tx, queueBucket, queueFormat, "a queue", "1")
		if err != nil {
			return err
		}
		if was == "1" {
			return migrateQueue1(tx, root)
		}
		for _, name := range [][]byte{bRec, bKey, bFree, bStrm, bDead} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return &Queue{db: db}, nil
}

// OpenQueue opens the bolt file at path (see [Open]) and returns its queue.
// Closing the returned DB closes the queue.
func OpenQueue(path string, opts *Options) (*Queue, *DB, error) {
	return openPort(path, opts, (*DB).Queue)
}

func mapErr(err error) error {
	if errors.Is(err, errClosed) {
		return report.Closed()
	}
	return err
}

// wtx returns the queue's buckets in the committer's current transaction.
func (q *Queue) wtx(tx *bbolt.Tx) (*qtx, error) {
	if q.cur != nil && q.curGen == q.db.gen && q.cur.tx == tx {
		return q.cur, nil
	}
	t, err := queueTx(tx)
	if err != nil {
		return nil, err
	}
	q.cur, q.curGen = t, q.db.gen
	return t, nil
}

// migrateQueue1 converts a queue of format 1 to format 2: each lane entry
// takes the due time its record had in the "open" index, which goes.
func migrateQueue1(tx *bbolt.Tx, root *bbolt.Bucket) error {
	open := root.Bucket(bOpen1)
	if open == nil {
		return errors.New("bolt: the queue bucket of format 1 is incomplete")
	}
	if err := root.Put([]byte("format"), []byte(queueFormat)); err != nil {
		return err
	}
	t, err := queueTx(tx)
	if err != nil {
		return err
	}
	c := open.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 || len(v) != 8 {
			return fmt.Errorf("%w: format 1 open index entry %x", errCorrupt, k)
		}
		r, err := t.load(keySeq(k))
		if err != nil {
			return err
		}
		if r == nil {
			return fmt.Errorf("%w: format 1 open index names record %d, which is not stored", errCorrupt, keySeq(k))
		}
		lane, lk := t.free, t.k(r.Seq)
		if r.Stream != "" {
			lane, lk = t.strm, t.sk(r.Stream, r.Seq)
		}
		old := lane.Get(lk)
		if len(old) != 8 {
			return fmt.Errorf("%w: format 1 lane entry of record %d", errCorrupt, r.Seq)
		}
		if err := lane.Put(lk, t.vals.lane(valTime(old), valTime(v))); err != nil {
			return err
		}
	}
	return root.DeleteBucket(bOpen1)
}

// qtx is the queue's buckets in one transaction.
type qtx struct {
	tx                               *bbolt.Tx
	root, rec, key, free, strm, dead *bbolt.Bucket
	counters                         map[string]int64 // read through, written by flush
	vals                             slab             // values written in the transaction
	kbuf                             []byte           // scratch for keys: bbolt copies keys
	keys                             *bbolt.Cursor    // reused for lookups of idempotency keys
}

// seqOfKey returns the sequence stored under the idempotency key, if any. A
// reused cursor spares the allocations of a new one per lookup.
func (t *qtx) seqOfKey(key string) (uint64, bool) {
	if t.keys == nil {
		t.keys = t.key.Cursor()
	}
	t.kbuf = append(t.kbuf[:0], key...)
	k, v := t.keys.Seek(t.kbuf)
	if k == nil || !bytes.Equal(k, t.kbuf) {
		return 0, false
	}
	return keySeq(v), true
}

// k returns seq as a key in the scratch buffer, valid until the next call.
func (t *qtx) k(seq uint64) []byte {
	t.kbuf = binary.BigEndian.AppendUint64(t.kbuf[:0], seq)
	return t.kbuf
}

// sk returns the stream index key of seq in the scratch buffer.
func (t *qtx) sk(stream string, seq uint64) []byte {
	t.kbuf = binary.AppendUvarint(t.kbuf[:0], uint64(len(stream)))
	t.kbuf = append(t.kbuf, stream...)
	t.kbuf = binary.BigEndian.AppendUint64(t.kbuf, seq)
	return t.kbuf
}

func queueTx(tx *bbolt.Tx) (*qtx, error) {
	root := bucket(tx, queueBucket)
	if root == nil {
		return nil, errors.New("bolt: the file has no queue bucket")
	}
	t := &qtx{tx: tx, root: root, rec: root.Bucket(bRec), key: root.Bucket(bKey),
		free: root.Bucket(bFree), strm: root.Bucket(bStrm), dead: root.Bucket(bDead)}
	if t.rec == nil || t.key == nil || t.free == nil || t.strm == nil || t.dead == nil {
		return nil, errors.New("bolt: the queue bucket is incomplete")
	}
	// Records, and the indexes keyed by sequence, mostly grow at their end.
	t.rec.FillPercent, t.free.FillPercent = 0.9, 0.9
	return t, nil
}

func (t *qtx) counter(name []byte) int64 {
	if n, ok := t.counters[string(name)]; ok {
		return n
	}
	var n int64
	if v := t.root.Get(name); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	if t.counters == nil {
		t.counters = make(map[string]int64, 8)
	}
	t.counters[string(name)] = n
	return n
}

func (t *qtx) setCounter(name []byte, n int64) error {
	t.counter(name)
	t.counters[string(name)] = n
	return t.root.Put(name, t.vals.u64(uint64(n)))
}

// flush adds d, the changes of one operation, to the counters.
func (t *qtx) flush(d *report.Counts) error {
	for _, c := range []struct {
		name  []byte
		delta int64
	}{
		{cDepth, d.Depth}, {cLeased, d.Leased}, {cFailing, d.Failing}, {cAttempts, d.Attempts},
		{cDead, d.Dead}, {cAcked, d.Acked}, {cBackfill, d.Backfill},
	} {
		if c.delta == 0 {
			continue
		}
		if err := t.setCounter(c.name, t.counter(c.name)+c.delta); err != nil {
			return err
		}
	}
	return nil
}

func (t *qtx) load(seq uint64) (*report.Record, error) {
	v := t.rec.Get(t.k(seq))
	if v == nil {
		return nil, nil
	}
	return decodeRecord(seq, v)
}

// loadIndexed is load of a record an index names: its absence is corruption.
func (t *qtx) loadIndexed(seq uint64) (*report.Record, error) {
	r, err := t.load(seq)
	if err == nil && r == nil {
		err = fmt.Errorf("%w: index names record %d, which is not stored", errCorrupt, seq)
	}
	return r, err
}

func (t *qtx) store(r *report.Record) error { return t.rec.Put(t.k(r.Seq), t.vals.record(r)) }

// setLane puts r into its lane (free or its stream), eligible at at: an open
// record enters the open set, or stays in it with a new eligible time.
func (t *qtx) setLane(r *report.Record, at time.Time) error {
	return t.setLaneOf(r.Stream, r.Seq, at.UnixMicro(), r.Due.UnixMicro())
}

// setLaneOf puts record seq of stream into its lane with the given eligible
// and due times (micros).
func (t *qtx) setLaneOf(stream string, seq uint64, eligible, due int64) error {
	v := t.vals.lane(eligible, due)
	if stream == "" {
		return t.free.Put(t.k(seq), v)
	}
	return t.strm.Put(t.sk(stream, seq), v)
}

// leaveOpen takes r out of its lane, and so out of the open set.
func (t *qtx) leaveOpen(r *report.Record) error {
	if r.Stream == "" {
		return t.free.Delete(t.k(r.Seq))
	}
	return t.strm.Delete(t.sk(r.Stream, r.Seq))
}

// openSeqs returns, in order, up to limit sequences of open records from
// sequence from up whose lane values keep accepts: a merge of the free lane
// and of each stream.
func (t *qtx) openSeqs(from uint64, limit int, keep func(v []byte) bool) ([]uint64, error) {
	var seqs []uint64
	c := t.free.Cursor()
	for k, v := c.Seek(seqKey(from)); k != nil && len(seqs) < limit; k, v = c.Next() {
		if keep(v) {
			seqs = append(seqs, keySeq(k))
		}
	}
	err := t.streams(func(prefix []byte, sc *bbolt.Cursor, _, _ []byte) {
		n := 0
		for k, v := sc.Seek(append(prefix, seqKey(from)...)); n < limit && inStream(k, prefix); k, v = sc.Next() {
			if keep(v) {
				seqs = append(seqs, keySeq(k[len(prefix):]))
				n++
			}
		}
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(seqs)
	return seqs[:min(len(seqs), limit)], nil
}

// inStream reports whether k is a key of the stream whose prefix is given.
func inStream(k, prefix []byte) bool { return len(k) == len(prefix)+8 && bytes.HasPrefix(k, prefix) }

// streams calls visit once for each stream with an open record, with the
// stream's prefix and a cursor standing on the stream's first key (k, v).
// visit may move the cursor.
func (t *qtx) streams(visit func(prefix []byte, sc *bbolt.Cursor, k, v []byte)) error {
	sc := t.strm.Cursor()
	for k, v := sc.First(); k != nil; {
		p, _, ok := splitStreamKey(k)
		if !ok {
			return fmt.Errorf("%w: stream index key %x", errCorrupt, k)
		}
		prefix := append([]byte(nil), p...)
		visit(prefix, sc, k, v)
		// Past the stream: no key of it is as long and as high as this one.
		k, v = sc.Seek(append(prefix, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	}
	return nil
}

// Enqueue implements [report.Queue].
func (q *Queue) Enqueue(ctx context.Context, now time.Time, drafts ...report.Draft) ([]report.Enqueued, error) {
	now, ds, err := report.CheckEnqueue(now, drafts)
	if err != nil {
		return nil, err
	}
	// The records are encoded here, in the caller, so that the committer,
	// which every caller shares, does no more than the puts.
	size := 0
	for i := range ds {
		size += draftSize(&ds[i])
	}
	buf := make([]byte, 0, size)
	vals := make([][]byte, len(ds))
	for i := range ds {
		n := len(buf)
		buf = appendDraft(buf, &ds[i], now)
		vals[i] = buf[n:len(buf):len(buf)]
	}
	out := make([]report.Enqueued, len(ds))
	err = q.db.update(ctx, func(tx *bbolt.Tx) error {
		t, err := q.wtx(tx)
		if err != nil {
			return err
		}
		seq := uint64(t.counter(cSeq))
		var d report.Counts
		for i := range ds {
			dr := &ds[i]
			if old, ok := t.seqOfKey(dr.Key); ok {
				out[i] = report.Enqueued{Seq: old, Duplicate: true}
				continue
			}
			seq++
			if err := t.rec.Put(t.k(seq), vals[i]); err != nil {
				return err
			}
			if err := t.key.Put([]byte(dr.Key), t.vals.u64(seq)); err != nil {
				return err
			}
			if err := t.setLaneOf(dr.Stream, seq, now.UnixMicro(), dr.Due.UnixMicro()); err != nil {
				return err
			}
			d.Depth++
			out[i] = report.Enqueued{Seq: seq}
		}
		if err := t.setCounter(cSeq, int64(seq)); err != nil {
			return err
		}
		return t.flush(&d)
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return out, nil
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
	err = q.db.update(ctx, func(tx *bbolt.Tx) error {
		out = out[:0]
		t, err := q.wtx(tx)
		if err != nil {
			return err
		}
		picked, err := t.eligible(now.UnixMicro(), max)
		if err != nil {
			return err
		}
		var d report.Counts
		for _, seq := range picked {
			r, err := t.load(seq)
			if err != nil {
				return err
			}
			if r == nil || !r.State.Open() {
				return fmt.Errorf("%w: index names record %d, which is not open", errCorrupt, seq)
			}
			d.Add(report.ApplyLease(r, expiry))
			if err := t.store(r); err != nil {
				return err
			}
			if err := t.setLane(r, expiry); err != nil {
				return err
			}
			out = append(out, *r)
		}
		return t.flush(&d)
	})
	if err != nil {
		return nil, mapErr(err)
	}
	if out == nil {
		out = []report.Record{}
	}
	return out, nil
}

// eligible returns the sequences Lease takes at now: the max lowest among the
// due free records and the due runs at the head of each stream.
func (t *qtx) eligible(now int64, max int) ([]uint64, error) {
	var picked []uint64
	c := t.free.Cursor()
	for k, v := c.First(); k != nil && len(picked) < max; k, v = c.Next() {
		if valTime(v) <= now {
			picked = append(picked, keySeq(k))
		}
	}
	err := t.streams(func(prefix []byte, sc *bbolt.Cursor, k, v []byte) {
		for n := 0; n < max && inStream(k, prefix) && valTime(v) <= now; n++ {
			picked = append(picked, keySeq(k[len(prefix):]))
			k, v = sc.Next()
		}
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(picked)
	if len(picked) > max {
		picked = picked[:max]
	}
	return picked, nil
}

// settle applies fn to every claimed record Leased under its claim and returns
// the claims that do not hold. A record already in state again under the same
// claim is no error (an Ack repeated).
func (q *Queue) settle(ctx context.Context, claims []report.Claim, again report.State,
	fn func(*qtx, *report.Record, *report.Counts) error) error {
	var lost []report.Claim
	err := q.db.update(ctx, func(tx *bbolt.Tx) error {
		lost = lost[:0]
		t, err := q.wtx(tx)
		if err != nil {
			return err
		}
		var d report.Counts
		for _, c := range claims {
			r, err := t.load(c.Seq)
			if err != nil {
				return err
			}
			switch {
			case report.ClaimHolds(r, c):
				if err := fn(t, r, &d); err != nil {
					return err
				}
				if err := t.store(r); err != nil {
					return err
				}
			case report.Repeated(r, c, again):
			default:
				lost = append(lost, c)
			}
		}
		return t.flush(&d)
	})
	if err != nil {
		return mapErr(err)
	}
	return report.LeaseLost(lost)
}

// Ack implements [report.Queue].
func (q *Queue) Ack(ctx context.Context, now time.Time, claims ...report.Claim) error {
	now, err := report.CheckAck(now, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, report.Acked, func(t *qtx, r *report.Record, d *report.Counts) error {
		d.Add(report.ApplyAck(r, now))
		return t.leaveOpen(r)
	})
}

// Retry implements [report.Queue].
func (q *Queue) Retry(ctx context.Context, next time.Time, cause string, claims ...report.Claim) error {
	next, err := report.CheckRetry(next, cause, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, 0, func(t *qtx, r *report.Record, d *report.Counts) error {
		d.Add(report.ApplyRetry(r, next, cause))
		return t.setLane(r, next)
	})
}

// bury moves an open record to the dead-letter set.
func bury(t *qtx, r *report.Record, d *report.Counts, now time.Time, cause string) error {
	d.Add(report.ApplyBury(r, now, cause))
	if err := t.leaveOpen(r); err != nil {
		return err
	}
	return t.dead.Put(t.k(r.Seq), t.vals.time(r.Due))
}

// Bury implements [report.Queue].
func (q *Queue) Bury(ctx context.Context, now time.Time, cause string, claims ...report.Claim) error {
	now, err := report.CheckBury(now, cause, claims)
	if err != nil {
		return err
	}
	return q.settle(ctx, claims, 0, func(t *qtx, r *report.Record, d *report.Counts) error {
		return bury(t, r, d, now, cause)
	})
}

// change applies fn to record seq in a write transaction, unless allowed
// refuses (with a violation) given the record's state.
func (q *Queue) change(ctx context.Context, seq uint64, allowed func(*report.Record) error,
	fn func(*qtx, *report.Record, *report.Counts) error) error {
	var refused error
	err := q.db.update(ctx, func(tx *bbolt.Tx) error {
		refused = nil
		t, err := q.wtx(tx)
		if err != nil {
			return err
		}
		r, err := t.load(seq)
		if err != nil {
			return err
		}
		if r == nil {
			refused = report.NotFound(seq)
			return nil
		}
		if refused = allowed(r); refused != nil {
			return nil
		}
		var d report.Counts
		return errors.Join(fn(t, r, &d), t.store(r), t.flush(&d))
	})
	if err != nil {
		return mapErr(err)
	}
	return refused
}

// Redrive implements [report.Queue].
func (q *Queue) Redrive(ctx context.Context, now time.Time, seq uint64) error {
	now, err := report.CheckRedrive(now, seq)
	if err != nil {
		return err
	}
	return q.change(ctx, seq, report.RedriveAllowed, func(t *qtx, r *report.Record, d *report.Counts) error {
		d.Add(report.ApplyRedrive(r, now))
		if err := t.dead.Delete(t.k(seq)); err != nil {
			return err
		}
		return t.setLane(r, now)
	})
}

// BuryRecord implements [report.Queue].
func (q *Queue) BuryRecord(ctx context.Context, now time.Time, seq uint64, cause string) error {
	now, err := report.CheckBuryRecord(now, seq, cause)
	if err != nil {
		return err
	}
	return q.change(ctx, seq, report.BuryAllowed, func(t *qtx, r *report.Record, d *report.Counts) error {
		return bury(t, r, d, now, cause)
	})
}

// Purge implements [report.Queue]. It reads the records from the lowest
// sequence up: its cost grows with the records ahead of the acked ones.
func (q *Queue) Purge(ctx context.Context, ackedBefore time.Time, max int) (int, error) {
	before, err := report.CheckTime("ackedBefore", ackedBefore)
	if err != nil {
		return 0, err
	}
	if err := report.CheckMax("max", max); err != nil {
		return 0, err
	}
	var n int
	err = q.db.update(ctx, func(tx *bbolt.Tx) error {
		n = 0
		t, err := q.wtx(tx)
		if err != nil {
			return err
		}
		var gone []*report.Record
		c := t.rec.Cursor()
		for k, v := c.First(); k != nil && len(gone) < max; k, v = c.Next() {
			if len(v) < 2 || report.State(v[1]) != report.Acked {
				continue
			}
			r, err := decodeRecord(keySeq(k), v)
			if err != nil {
				return err
			}
			if r.Done.Before(before) {
				gone = append(gone, r)
			}
		}
		var d report.Counts
		for _, r := range gone {
			if err := errors.Join(t.rec.Delete(t.k(r.Seq)), t.key.Delete([]byte(r.Key))); err != nil {
				return err
			}
			d.Sub(report.CountsOf(r))
		}
		n = len(gone)
		return t.flush(&d)
	})
	if err != nil {
		return 0, mapErr(err)
	}
	return n, nil
}

// Get implements [report.Queue].
func (q *Queue) Get(ctx context.Context, seq uint64) (report.Record, error) {
	if err := ctx.Err(); err != nil {
		return report.Record{}, err
	}
	var r *report.Record
	err := q.db.view(func(tx *bbolt.Tx) error {
		t, err := queueTx(tx)
		if err != nil {
			return err
		}
		r, err = t.load(seq)
		return err
	})
	if err != nil {
		return report.Record{}, mapErr(err)
	}
	if r == nil {
		return report.Record{}, report.NotFound(seq)
	}
	return *r, nil
}

// List implements [report.Queue].
func (q *Queue) List(ctx context.Context, lq report.ListQuery) ([]report.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lq, err := report.CheckList(lq)
	if err != nil {
		return nil, err
	}
	out := []report.Record{}
	err = q.db.view(func(tx *bbolt.Tx) error {
		t, err := queueTx(tx)
		if err != nil {
			return err
		}
		from := seqKey(lq.After + 1)
		scan := func(b *bbolt.Bucket, keep func(v []byte) bool) []uint64 {
			var seqs []uint64
			c := b.Cursor()
			for k, v := c.Seek(from); k != nil && len(seqs) < lq.Limit; k, v = c.Next() {
				if keep(v) {
					seqs = append(seqs, keySeq(k))
				}
			}
			return seqs
		}
		all := func([]byte) bool { return true }
		var seqs []uint64
		switch lq.Filter {
		case report.ListOpen:
			seqs, err = t.openSeqs(lq.After+1, lq.Limit, all)
		case report.ListDead:
			seqs = scan(t.dead, all)
		case report.ListLate:
			now := lq.Now.UnixMicro()
			seqs, err = t.openSeqs(lq.After+1, lq.Limit, func(v []byte) bool { return laneDue(v) < now })
			seqs = append(seqs, scan(t.dead, func(v []byte) bool { return valTime(v) < now })...)
			slices.Sort(seqs)
			if len(seqs) > lq.Limit {
				seqs = seqs[:lq.Limit]
			}
		}
		if err != nil {
			return err
		}
		for _, seq := range seqs {
			r, err := t.loadIndexed(seq)
			if err != nil {
				return err
			}
			out = append(out, *r)
		}
		return nil
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}

// Stats implements [report.Queue]. It reads counters, the head of each lane
// and one record.
func (q *Queue) Stats(ctx context.Context, now time.Time) (report.Stats, error) {
	if err := ctx.Err(); err != nil {
		return report.Stats{}, err
	}
	if _, err := report.CheckTime("now", now); err != nil {
		return report.Stats{}, err
	}
	var s report.Stats
	err := q.db.view(func(tx *bbolt.Tx) error {
		t, err := queueTx(tx)
		if err != nil {
			return err
		}
		s = report.Stats{
			Depth: t.counter(cDepth), Leased: t.counter(cLeased), Failing: t.counter(cFailing),
			Attempts: t.counter(cAttempts), Dead: t.counter(cDead), Acked: t.counter(cAcked),
			Backfill: t.counter(cBackfill),
		}
		oldest, err := t.openSeqs(1, 1, func([]byte) bool { return true })
		if err != nil {
			return err
		}
		if len(oldest) == 1 {
			r, err := t.loadIndexed(oldest[0])
			if err != nil {
				return err
			}
			s.Oldest = r.Enqueued
			s.OldestAge = max(now.Sub(r.Enqueued), 0)
		}
		return nil
	})
	if err != nil {
		return report.Stats{}, mapErr(err)
	}
	return s, nil
}
