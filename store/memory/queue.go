package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/piaowu/wht93/report"
)

// Queue is a [report.Queue] held in memory. It is not durable: its records
// live as long as the value. It is for tests and demonstrations; it keeps the
// whole contract otherwise, ordering and leases included.
//
// A Queue is safe for concurrent use; its zero value is not usable, call
// [NewQueue].
type Queue struct {
	mu      sync.Mutex
	recs    map[uint64]*report.Record
	keys    map[string]uint64
	last    uint64
	free    lane             // open records without a stream
	streams map[string]*lane // open records of each stream
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{
		recs:    make(map[uint64]*report.Record),
		keys:    make(map[string]uint64),
		streams: make(map[string]*lane),
	}
}

var _ report.Queue = (*Queue)(nil)

// lane holds sequences in ascending order. Records that leave the open set are
// not removed at once: readers skip them, and the lane is compacted when they
// are the majority.
type lane struct {
	seqs []uint64
	gone int
}

func (l *lane) add(seq uint64) {
	if n := len(l.seqs); n == 0 || l.seqs[n-1] < seq {
		l.seqs = append(l.seqs, seq)
		return
	}
	i, found := slices.BinarySearch(l.seqs, seq)
	if found { // a re-driven record whose entry was not compacted away yet
		l.gone--
		return
	}
	l.seqs = slices.Insert(l.seqs, i, seq)
}

func (l *lane) left(open func(uint64) bool) {
	l.gone++
	if l.gone > 64 && l.gone*2 > len(l.seqs) {
		l.seqs = slices.DeleteFunc(l.seqs, func(s uint64) bool { return !open(s) })
		l.gone = 0
	}
}

func (q *Queue) open(seq uint64) bool {
	r, ok := q.recs[seq]
	return ok && r.State.Open()
}

func (q *Queue) laneOf(stream string) *lane {
	if stream == "" {
		return &q.free
	}
	l := q.streams[stream]
	if l == nil {
		l = &lane{}
		q.streams[stream] = l
	}
	return l
}

// leave records that r left the open set.
func (q *Queue) leave(r *report.Record) {
	if r.Stream == "" {
		q.free.left(q.open)
		return
	}
	l := q.streams[r.Stream]
	l.left(q.open)
	if len(l.seqs) == l.gone {
		delete(q.streams, r.Stream)
	}
}

func copyRecord(r *report.Record) report.Record {
	c := *r
	c.Body = append([]byte(nil), r.Body...)
	return c
}

func eligible(r *report.Record, now time.Time) bool {
	switch r.State {
	case report.Pending:
		return !r.Next.After(now)
	case report.Leased:
		return !r.LeaseExpiry.After(now)
	}
	return false
}

// Enqueue implements [report.Queue].
func (q *Queue) Enqueue(ctx context.Context, now time.Time, drafts ...report.Draft) ([]report.Enqueued, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now, ds, err := report.CheckEnqueue(now, drafts)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]report.Enqueued, len(ds))
	for i, d := range ds {
		if seq, ok := q.keys[d.Key]; ok {
			out[i] = report.Enqueued{Seq: seq, Duplicate: true}
			continue
		}
		q.last++
		r := &report.Record{
			Seq: q.last, Key: d.Key, Stream: d.Stream, Endpoint: d.Endpoint, Body: d.Body,
			Day: d.Day, Due: d.Due, Enqueued: now, State: report.Pending, Next: now,
		}
		q.recs[r.Seq] = r
		q.keys[r.Key] = r.Seq
		q.laneOf(r.Stream).add(r.Seq)
		out[i] = report.Enqueued{Seq: r.Seq}
	}
	return out, nil
}

// Lease implements [report.Queue].
func (q *Queue) Lease(ctx context.Context, now time.Time, ttl time.Duration, max int) ([]report.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := report.CheckLease(ttl, max); err != nil {
		return nil, err
	}
	now, expiry, err := report.CheckLeaseTimes(now, ttl)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var picked []uint64
	n := 0
	for _, seq := range q.free.seqs {
		if n == max {
			break
		}
		if r := q.recs[seq]; r != nil && eligible(r, now) {
			picked = append(picked, seq)
			n++
		}
	}
	for _, l := range q.streams {
		n := 0
		for _, seq := range l.seqs {
			r := q.recs[seq]
			if r == nil || !r.State.Open() {
				continue
			}
			if n == max || !eligible(r, now) {
				break
			}
			picked = append(picked, seq)
			n++
		}
	}
	slices.Sort(picked)
	if len(picked) > max {
		picked = picked[:max]
	}
	out := make([]report.Record, len(picked))
	for i, seq := range picked {
		r := q.recs[seq]
		report.ApplyLease(r, expiry)
		out[i] = copyRecord(r)
	}
	return out, nil
}

// settle applies fn to every claimed record that is Leased under its claim and
// reports the others. A record already in state again under the same claim is
// no error (an Ack repeated).
func (q *Queue) settle(claims []report.Claim, again report.State, fn func(*report.Record)) error {
	var lost []report.Claim
	for _, c := range claims {
		r := q.recs[c.Seq]
		switch {
		case report.ClaimHolds(r, c):
			fn(r)
		case report.Repeated(r, c, again):
		default:
			lost = append(lost, c)
		}
	}
	return report.LeaseLost(lost)
}

// Ack implements [report.Queue].
func (q *Queue) Ack(ctx context.Context, now time.Time, claims ...report.Claim) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now, err := report.CheckAck(now, claims)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.settle(claims, report.Acked, func(r *report.Record) {
		report.ApplyAck(r, now)
		q.leave(r)
	})
}

// Retry implements [report.Queue].
func (q *Queue) Retry(ctx context.Context, next time.Time, cause string, claims ...report.Claim) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	next, err := report.CheckRetry(next, cause, claims)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.settle(claims, 0, func(r *report.Record) { report.ApplyRetry(r, next, cause) })
}

// Bury implements [report.Queue].
func (q *Queue) Bury(ctx context.Context, now time.Time, cause string, claims ...report.Claim) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now, err := report.CheckBury(now, cause, claims)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.settle(claims, 0, func(r *report.Record) { q.bury(r, now, cause) })
}

func (q *Queue) bury(r *report.Record, now time.Time, cause string) {
	report.ApplyBury(r, now, cause)
	q.leave(r)
}

// Get implements [report.Queue].
func (q *Queue) Get(ctx context.Context, seq uint64) (report.Record, error) {
	if err := ctx.Err(); err != nil {
		return report.Record{}, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.recs[seq]
	if r == nil {
		return report.Record{}, report.NotFound(seq)
	}
	return copyRecord(r), nil
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
	q.mu.Lock()
	defer q.mu.Unlock()
	var seqs []uint64
	for seq, r := range q.recs {
		if seq <= lq.After {
			continue
		}
		var ok bool
		switch lq.Filter {
		case report.ListOpen:
			ok = r.State.Open()
		case report.ListDead:
			ok = r.State == report.Dead
		case report.ListLate:
			ok = r.State != report.Acked && r.Due.Before(lq.Now)
		}
		if ok {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	if len(seqs) > lq.Limit {
		seqs = seqs[:lq.Limit]
	}
	out := make([]report.Record, len(seqs))
	for i, seq := range seqs {
		out[i] = copyRecord(q.recs[seq])
	}
	return out, nil
}

// Stats implements [report.Queue].
func (q *Queue) Stats(ctx context.Context, now time.Time) (report.Stats, error) {
	if err := ctx.Err(); err != nil {
		return report.Stats{}, err
	}
	if _, err := report.CheckTime("now", now); err != nil {
		return report.Stats{}, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var c report.Counts
	var oldest uint64
	for seq, r := range q.recs {
		c.Add(report.CountsOf(r))
		if r.State.Open() && (oldest == 0 || seq < oldest) {
			oldest = seq
		}
	}
	s := c.Stats()
	if oldest != 0 {
		s.Oldest = q.recs[oldest].Enqueued
		s.OldestAge = max(now.Sub(s.Oldest), 0)
	}
	return s, nil
}

// Redrive implements [report.Queue].
func (q *Queue) Redrive(ctx context.Context, now time.Time, seq uint64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now, err := report.CheckRedrive(now, seq)
	if err != nil {
		return err
	}
	return q.change(seq, report.RedriveAllowed, func(r *report.Record) {
		report.ApplyRedrive(r, now)
		q.laneOf(r.Stream).add(seq)
	})
}

// change applies fn to record seq, unless allowed refuses (with a violation)
// given the record's state.
func (q *Queue) change(seq uint64, allowed func(*report.Record) error, fn func(*report.Record)) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.recs[seq]
	if r == nil {
		return report.NotFound(seq)
	}
	if err := allowed(r); err != nil {
		return err
	}
	fn(r)
	return nil
}

// BuryRecord implements [report.Queue].
func (q *Queue) BuryRecord(ctx context.Context, now time.Time, seq uint64, cause string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now, err := report.CheckBuryRecord(now, seq, cause)
	if err != nil {
		return err
	}
	return q.change(seq, report.BuryAllowed, func(r *report.Record) { q.bury(r, now, cause) })
}

// Purge implements [report.Queue].
func (q *Queue) Purge(ctx context.Context, ackedBefore time.Time, max int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	before, err := report.CheckTime("ackedBefore", ackedBefore)
	if err != nil {
		return 0, err
	}
	if err := report.CheckMax("max", max); err != nil {
		return 0, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var seqs []uint64
	for seq, r := range q.recs {
		if r.State == report.Acked && r.Done.Before(before) {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	if len(seqs) > max {
		seqs = seqs[:max]
	}
	for _, seq := range seqs {
		delete(q.keys, q.recs[seq].Key)
		delete(q.recs, seq)
	}
	return len(seqs), nil
}
