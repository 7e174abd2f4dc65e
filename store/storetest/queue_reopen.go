package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/piaowu/wht93/report"
)

// TestQueueReopen checks that a durable queue keeps everything across a close
// and a reopen, as across a restart of the process. open returns an empty
// queue and a reopen function; reopen closes the queue it was given (and any
// queue a previous reopen returned) and opens the same data again. The old
// queue is not used after reopen.
func TestQueueReopen(t *testing.T, open func(t *testing.T) (report.Queue, func() report.Queue)) {
	ctx := context.Background()
	q, reopen := open(t)
	s := enqueue(t, q, base, draft("a", "s"), draft("b", "s"), draft("c", ""), draft("d", ""), draft("e", ""), draft("f", "t"))
	recs := lease(t, q, base, time.Minute, 5) // a b c d e; f is in its own stream
	wantSeqs(t, "Lease", recs, s[0], s[1], s[2], s[3], s[4])
	mustOK(t, "Ack", q.Ack(ctx, base, recs[2].Claim()))
	mustOK(t, "Retry", q.Retry(ctx, base.Add(time.Hour), "5100", recs[3].Claim()))
	mustOK(t, "Bury", q.Bury(ctx, base, "4000", recs[4].Claim()))
	snapshot := func(q report.Queue) []report.Record {
		var out []report.Record
		for _, seq := range s {
			out = append(out, get(t, q, seq))
		}
		return out
	}
	before := snapshot(q)
	st := stats(t, q, base)

	q = reopen()
	for i, r := range snapshot(q) {
		wantRecord(t, "after reopen", r, before[i])
	}
	wantStats(t, "after reopen", stats(t, q, base), st)
	res, err := q.Enqueue(ctx, base, draft("a", ""), draft("g", "s"))
	mustOK(t, "Enqueue after reopen", err)
	if res[0] != (report.Enqueued{Seq: s[0], Duplicate: true}) {
		t.Fatalf("re-enqueue of a known key after reopen = %+v, want duplicate of %d", res[0], s[0])
	}
	if res[1].Duplicate || res[1].Seq <= s[len(s)-1] {
		t.Fatalf("new record after reopen = %+v, want a sequence above %d", res[1], s[len(s)-1])
	}
	g := res[1].Seq
	// The leases of a and b survived: their claims still hold, and b is not
	// handed out again before they expire.
	wantSeqs(t, "Lease after reopen", lease(t, q, base, time.Minute, 10), s[5])
	mustOK(t, "Ack of a claim from before the reopen", q.Ack(ctx, base, recs[0].Claim()))

	q = reopen()
	q = reopen() // twice in a row, with nothing in between
	wantSeqs(t, "dead after reopen", list(t, q, report.ListQuery{Filter: report.ListDead}), s[4])
	mustOK(t, "Redrive after reopen", q.Redrive(ctx, base, s[4]))
	wantSeqs(t, "stream order after reopen", lease(t, q, base.Add(time.Hour), time.Minute, 10), s[1], s[3], s[4], s[5], g)
	got := get(t, q, s[1])
	if got.Attempts != 2 {
		t.Fatalf("attempts after reopen: %d, want 2", got.Attempts)
	}
}
