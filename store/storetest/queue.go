package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// TestQueue runs the conformance suite of [report.Queue] on the queues that open
// makes. open is called once per subtest (and once per case of the model-based
// test) and must return an empty queue of its own; it releases what it opens
// with t.Cleanup. The suite covers enqueueing, sequences, bodies and times,
// invalid arguments, deduplication, leases that expire, ack, retry, bury,
// re-drive and burying by hand, ordering streams, stats, listing, purging,
// batches, concurrent producers and consumers, and a state-machine test of
// random operations against a model. Each misbehaviour fails the subtest that
// found it.
func TestQueue(t *testing.T, open func(t *testing.T) report.Queue) {
	cases := []struct {
		name string
		fn   func(*testing.T, report.Queue)
	}{
		{"Enqueue", testEnqueue},
		{"Invalid", testInvalid},
		{"Dedupe", testDedupe},
		{"Lease", testLease},
		{"Ack", testAck},
		{"Retry", testRetry},
		{"Bury", testBury},
		{"Streams", testStreams},
		{"Stats", testStats},
		{"List", testList},
		{"Purge", testPurge},
		{"Batch", testBatch},
		{"Concurrent", func(t *testing.T, q report.Queue) { exercise(t, []report.Queue{q}) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
	t.Run("Model", func(t *testing.T) { testModel(t, open) })
}

// TestQueueShared checks a queue shared by several handles, as several
// processes draining one queue have: open returns two or more handles on one
// new, empty queue (for example one per database connection pool). Producers
// and consumers run on every handle at once; every record must be leased
// exactly once and acked, in stream order.
func TestQueueShared(t *testing.T, open func(t *testing.T) []report.Queue) {
	qs := open(t)
	if len(qs) < 2 {
		t.Fatalf("open returned %d handles, want at least 2", len(qs))
	}
	exercise(t, qs)
}

func testEnqueue(t *testing.T, q report.Queue) {
	ctx := context.Background()
	a := draft("a", "s1")
	b := draft("b", "")
	b.Body = nil
	c := draft("c", "s1")
	c.Endpoint = "/performance/code"
	c.Due = base.Add(48*time.Hour + 999*time.Nanosecond)
	c.Day = wht93.Date{Year: 2023, Month: 2, Day: 28}
	d := draft("d", "")
	d.Body = bytes.Repeat([]byte{0, 1, 2, 0xff}, 64<<10) // 256 KiB of binary
	res, err := q.Enqueue(ctx, base, a, b, c, d)
	mustOK(t, "Enqueue", err)
	if len(res) != 4 {
		t.Fatalf("Enqueue returned %d results, want 4", len(res))
	}
	for i, r := range res {
		if r.Duplicate || r.Seq == 0 || (i > 0 && r.Seq <= res[i-1].Seq) {
			t.Fatalf("Enqueue results %+v: want new records in strictly increasing sequence", res)
		}
	}
	a.Body[0] = 'X' // the queue must have kept its own copy
	now := report.Micro(base)
	for i, dr := range []report.Draft{draft("a", "s1"), b, c, d} {
		want := report.Record{
			Seq: res[i].Seq, Key: dr.Key, Stream: dr.Stream, Endpoint: dr.Endpoint, Body: dr.Body,
			Day: dr.Day, Due: report.DueOf(dr.Day), Enqueued: now, State: report.Pending, Next: now,
		}
		if !dr.Due.IsZero() {
			want.Due = report.Micro(dr.Due)
		}
		got := get(t, q, res[i].Seq)
		wantRecord(t, "Get after Enqueue", got, want)
		if len(got.Body) > 0 {
			got.Body[0] ^= 0xff
			if again := get(t, q, res[i].Seq); !bytes.Equal(again.Body, dr.Body) {
				t.Fatalf("Get returned the queue's own body, not a copy: changing it changed the record")
			}
		}
	}
	if due := get(t, q, res[0].Seq).Due; !due.Equal(time.Date(2024, 5, 28, 12, 0, 0, 0, wht93.CST)) {
		t.Fatalf("default due of business day 2024-05-27 = %v, want 2024-05-28 12:00 CST", due)
	}
	later := enqueue(t, q, base.Add(-time.Hour), draft("e", "s1")) // an earlier clock changes nothing
	if later[0] <= res[3].Seq {
		t.Fatalf("sequence %d after %d: not increasing", later[0], res[3].Seq)
	}
}

func testInvalid(t *testing.T, q report.Queue) {
	ctx := context.Background()
	long := strings.Repeat("k", report.MaxKey+1)
	mod := func(f func(*report.Draft)) report.Draft { d := draft("x", "s"); f(&d); return d }
	drafts := []struct {
		name string
		d    report.Draft
		rule *wht93.Rule
	}{
		{"empty key", mod(func(d *report.Draft) { d.Key = "" }), report.ErrQueueKey},
		{"long key", mod(func(d *report.Draft) { d.Key = long }), report.ErrQueueKey},
		{"NUL in key", mod(func(d *report.Draft) { d.Key = "a\x00b" }), report.ErrQueueKey},
		{"key not UTF-8", mod(func(d *report.Draft) { d.Key = "a\xffb" }), report.ErrQueueKey},
		{"long stream", mod(func(d *report.Draft) { d.Stream = long }), report.ErrQueueStream},
		{"stream not UTF-8", mod(func(d *report.Draft) { d.Stream = "\xc3" }), report.ErrQueueStream},
		{"empty endpoint", mod(func(d *report.Draft) { d.Endpoint = "" }), report.ErrQueueEndpoint},
		{"long body", mod(func(d *report.Draft) { d.Body = make([]byte, report.MaxBody+1) }), report.ErrQueueBody},
		{"no day", mod(func(d *report.Draft) { d.Day = wht93.Date{} }), report.ErrQueueDay},
		{"impossible day", mod(func(d *report.Draft) { d.Day = wht93.Date{Year: 2023, Month: 2, Day: 29} }), report.ErrQueueDay},
		{"due before 1970", mod(func(d *report.Draft) { d.Due = time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC) }), report.ErrQueueTime},
	}
	for _, c := range drafts {
		_, err := q.Enqueue(ctx, base, draft("good", ""), c.d)
		mustRule(t, "Enqueue with "+c.name, err, c.rule)
	}
	_, err := q.Enqueue(ctx, base)
	mustRule(t, "Enqueue of nothing", err, report.ErrQueueBatch)
	_, err = q.Enqueue(ctx, base, make([]report.Draft, report.MaxBatch+1)...)
	mustRule(t, "Enqueue of too many", err, report.ErrQueueBatch)
	_, err = q.Enqueue(ctx, time.Time{}, draft("good", ""))
	mustRule(t, "Enqueue at the zero time", err, report.ErrQueueTime)
	bad := draft("", "")
	bad.Endpoint = ""
	bad.Day = wht93.Date{}
	if _, err = q.Enqueue(ctx, base, bad); len(wht93.ViolationsOf(err)) != 3 {
		t.Fatalf("Enqueue of a draft with three faults: %d violations (%v), want every one of them", len(wht93.ViolationsOf(err)), err)
	}
	if recs := list(t, q, report.ListQuery{Filter: report.ListOpen}); len(recs) != 0 {
		t.Fatalf("invalid Enqueue calls stored %d records", len(recs))
	}
	wantStats(t, "after invalid calls", stats(t, q, base), report.Stats{})

	_, err = q.Lease(ctx, base, 0, 1)
	mustRule(t, "Lease with ttl 0", err, report.ErrQueueLease)
	_, err = q.Lease(ctx, base, report.MaxTTL+1, 1)
	mustRule(t, "Lease with a too long ttl", err, report.ErrQueueLease)
	_, err = q.Lease(ctx, base, time.Second, 0)
	mustRule(t, "Lease of 0 records", err, report.ErrQueueLease)
	_, err = q.Lease(ctx, base, time.Second, report.MaxLease+1)
	mustRule(t, "Lease of too many records", err, report.ErrQueueLease)
	_, err = q.Lease(ctx, time.Time{}, time.Second, 1)
	mustRule(t, "Lease at the zero time", err, report.ErrQueueTime)

	seq := enqueue(t, q, base, draft("k", ""))[0]
	c := lease(t, q, base, time.Minute, 1)[0].Claim()
	mustRule(t, "Ack of nothing", q.Ack(ctx, base), report.ErrQueueBatch)
	mustRule(t, "Ack of token 0", q.Ack(ctx, base, report.Claim{Seq: seq}), report.ErrQueueClaim)
	mustRule(t, "Ack of one record twice", q.Ack(ctx, base, c, c), report.ErrQueueClaim)
	mustRule(t, "Ack at the zero time", q.Ack(ctx, time.Time{}, c), report.ErrQueueTime)
	mustRule(t, "Retry without cause", q.Retry(ctx, base, "", c), report.ErrQueueCause)
	mustRule(t, "Retry with a long cause", q.Retry(ctx, base, strings.Repeat("x", report.MaxCause+1), c), report.ErrQueueCause)
	mustRule(t, "Retry with a cause not UTF-8", q.Retry(ctx, base, "\xff", c), report.ErrQueueCause)
	mustRule(t, "Retry at the zero time", q.Retry(ctx, time.Time{}, "x", c), report.ErrQueueTime)
	mustRule(t, "Bury without cause", q.Bury(ctx, base, "", c), report.ErrQueueCause)
	mustRule(t, "BuryRecord without cause", q.BuryRecord(ctx, base, seq, ""), report.ErrQueueCause)
	if r := get(t, q, seq); r.State != report.Leased || r.LeaseToken != c.Token {
		t.Fatalf("invalid calls changed the record: %+v", r)
	}
	mustOK(t, "Retry with a clipped cause", q.Retry(ctx, base, report.ClipCause(strings.Repeat("原因", report.MaxCause)), c))
	if r := get(t, q, seq); len(r.LastCause) > report.MaxCause || !strings.Contains(r.LastCause, "bytes cut") {
		t.Fatalf("clipped cause stored as %d bytes %q", len(r.LastCause), r.LastCause[len(r.LastCause)-20:])
	}

	_, err = q.Get(ctx, 0)
	mustRule(t, "Get(0)", err, report.ErrNotFound)
	_, err = q.Get(ctx, seq+1000)
	mustRule(t, "Get of an unknown sequence", err, report.ErrNotFound)
	mustRule(t, "Redrive of an unknown sequence", q.Redrive(ctx, base, seq+1000), report.ErrNotFound)
	mustRule(t, "BuryRecord of an unknown sequence", q.BuryRecord(ctx, base, seq+1000, "x"), report.ErrNotFound)
	_, err = q.List(ctx, report.ListQuery{})
	mustRule(t, "List without filter", err, report.ErrQueueList)
	_, err = q.List(ctx, report.ListQuery{Filter: report.ListOpen, Limit: report.MaxList + 1})
	mustRule(t, "List of too many", err, report.ErrQueueList)
	_, err = q.List(ctx, report.ListQuery{Filter: report.ListLate})
	mustRule(t, "List late without now", err, report.ErrQueueTime)
	_, err = q.Stats(ctx, time.Time{})
	mustRule(t, "Stats at the zero time", err, report.ErrQueueTime)
	_, err = q.Purge(ctx, base, 0)
	mustRule(t, "Purge of 0", err, report.ErrQueueList)
}

func testDedupe(t *testing.T, q report.Queue) {
	ctx := context.Background()
	k1 := enqueue(t, q, base, draft("k1", "s"))[0]
	changed := draft("k1", "other")
	changed.Body = []byte("changed")
	res, err := q.Enqueue(ctx, base.Add(time.Second), changed)
	mustOK(t, "Enqueue again", err)
	if res[0] != (report.Enqueued{Seq: k1, Duplicate: true}) {
		t.Fatalf("re-enqueue of key k1 = %+v, want {Seq:%d Duplicate:true}", res[0], k1)
	}
	if r := get(t, q, k1); !bytes.Equal(r.Body, draft("k1", "").Body) || r.Stream != "s" {
		t.Fatalf("a duplicate changed the stored record: %+v", r)
	}
	res, err = q.Enqueue(ctx, base, draft("k2", ""), draft("k2", ""), draft("k3", ""), draft("k1", ""))
	mustOK(t, "Enqueue with repeats", err)
	if !(res[0].Seq > k1 && !res[0].Duplicate && res[1].Seq == res[0].Seq && res[1].Duplicate &&
		res[2].Seq > res[0].Seq && !res[2].Duplicate && res[3].Seq == k1 && res[3].Duplicate) {
		t.Fatalf("Enqueue(k2, k2, k3, k1) = %+v", res)
	}
	k3 := res[2].Seq
	recs := lease(t, q, base, time.Minute, 10)
	wantSeqs(t, "Lease", recs, k1, res[0].Seq, k3)
	mustOK(t, "Ack", q.Ack(ctx, base, recs[0].Claim()))
	mustOK(t, "Bury", q.Bury(ctx, base, "4000", recs[2].Claim()))
	res, err = q.Enqueue(ctx, base, draft("k1", ""), draft("k3", ""))
	mustOK(t, "Enqueue of acked and dead keys", err)
	if res[0] != (report.Enqueued{Seq: k1, Duplicate: true}) || res[1] != (report.Enqueued{Seq: k3, Duplicate: true}) {
		t.Fatalf("re-enqueue of acked and buried keys = %+v, want duplicates of %d and %d", res, k1, k3)
	}
	if s := stats(t, q, base); s.Depth != 1 || s.Acked != 1 || s.Dead != 1 {
		t.Fatalf("duplicates changed the stats: %+v", s)
	}
	n, err := q.Purge(ctx, base.Add(time.Microsecond), 10)
	mustOK(t, "Purge", err)
	if n != 1 {
		t.Fatalf("Purge deleted %d records, want 1", n)
	}
	res, err = q.Enqueue(ctx, base, draft("k1", ""))
	mustOK(t, "Enqueue of a purged key", err)
	if res[0].Duplicate || res[0].Seq <= k3 {
		t.Fatalf("re-enqueue of a purged key = %+v, want a new record after %d", res[0], k3)
	}
}

func testLease(t *testing.T, q report.Queue) {
	ctx := context.Background()
	seqs := enqueue(t, q, base, draft("a", ""), draft("b", ""), draft("c", ""), draft("d", ""), draft("e", ""))
	future := enqueue(t, q, base.Add(time.Hour), draft("f", ""))[0]
	ttl := 10*time.Second + 500*time.Nanosecond
	first := lease(t, q, base, ttl, 3)
	wantSeqs(t, "Lease of 3", first, seqs[:3]...)
	for i, r := range first {
		want := get(t, q, r.Seq)
		if want.State != report.Leased || want.Attempts != 1 || want.LeaseToken == 0 ||
			!want.LeaseExpiry.Equal(report.Micro(base.Add(ttl))) {
			t.Fatalf("record after Lease: %+v; want leased, 1 attempt, a token, expiry now+ttl", want)
		}
		wantRecord(t, "Lease result", r, want)
		if !bytes.Equal(r.Body, draft(string(rune('a'+i)), "").Body) {
			t.Fatalf("leased body %q, want the enqueued body byte for byte", r.Body)
		}
	}
	wantSeqs(t, "Lease of the rest", lease(t, q, base, ttl, 10), seqs[3:]...)
	if recs := lease(t, q, base.Add(10*time.Second), ttl, 10); len(recs) != 0 {
		t.Fatalf("Lease before the leases expired returned %v", seqsOf(recs))
	}
	again := lease(t, q, base.Add(ttl), ttl, 10)
	wantSeqs(t, "Lease after expiry", again, seqs...)
	for i, r := range again {
		if r.Attempts != 2 || r.LeaseToken == 0 || (i < 3 && r.LeaseToken == first[i].LeaseToken) {
			t.Fatalf("re-leased record %+v: want attempt 2 and a new token", r)
		}
	}
	err := q.Ack(ctx, base, first[0].Claim())
	mustRule(t, "Ack with the claim of an expired and re-leased lease", err, report.ErrLeaseLost)
	if got := lostClaims(err); fmt.Sprint(got) != fmt.Sprint([]string{first[0].Claim().String()}) {
		t.Fatalf("ErrLeaseLost names %v, want [%s]", got, first[0].Claim())
	}
	wantSeqs(t, "Lease of a record enqueued for later", lease(t, q, base.Add(time.Hour), ttl, 10), seqs[0], seqs[1], seqs[2], seqs[3], seqs[4], future)
}

func testAck(t *testing.T, q report.Queue) {
	ctx := context.Background()
	seqs := enqueue(t, q, base, draft("a", ""), draft("b", ""), draft("c", ""))
	recs := lease(t, q, base, time.Second, 10)
	ackAt := base.Add(500 * time.Millisecond)
	mustOK(t, "Ack", q.Ack(ctx, ackAt, recs[0].Claim(), recs[1].Claim()))
	for _, r := range recs[:2] {
		want := r
		want.State = report.Acked
		want.Done = report.Micro(ackAt)
		wantRecord(t, "after Ack", get(t, q, r.Seq), want)
	}
	mustOK(t, "Ack repeated with the same claim", q.Ack(ctx, ackAt, recs[0].Claim()))
	if r := get(t, q, seqs[0]); !r.Done.Equal(report.Micro(ackAt)) {
		t.Fatalf("a repeated Ack changed the record: %+v", r)
	}
	mustRule(t, "Retry of an acked record", q.Retry(ctx, base, "x", recs[0].Claim()), report.ErrLeaseLost)
	mustRule(t, "Bury of an acked record", q.Bury(ctx, base, "x", recs[0].Claim()), report.ErrLeaseLost)
	again := lease(t, q, base.Add(time.Second), time.Second, 10)
	wantSeqs(t, "Lease after Ack", again, seqs[2])
	mustRule(t, "Ack with the claim of an expired, re-leased lease", q.Ack(ctx, base, recs[2].Claim()), report.ErrLeaseLost)
	wrong := report.Claim{Seq: seqs[1], Token: recs[1].LeaseToken + 7}
	err := q.Ack(ctx, base.Add(time.Second), again[0].Claim(), wrong)
	mustRule(t, "Ack of one good and one stale claim", err, report.ErrLeaseLost)
	if got := lostClaims(err); fmt.Sprint(got) != fmt.Sprint([]string{wrong.String()}) {
		t.Fatalf("ErrLeaseLost names %v, want [%s]", got, wrong)
	}
	if r := get(t, q, seqs[2]); r.State != report.Acked {
		t.Fatalf("the good claim of a partly stale Ack was not acked: %+v", r)
	}
	if recs := lease(t, q, base.Add(time.Hour), time.Second, 10); len(recs) != 0 {
		t.Fatalf("acked records leased again: %v", seqsOf(recs))
	}
	mustRule(t, "Ack of an unknown record", q.Ack(ctx, base, report.Claim{Seq: 999999, Token: 1}), report.ErrLeaseLost)
}

func testRetry(t *testing.T, q report.Queue) {
	ctx := context.Background()
	seq := enqueue(t, q, base, draft("a", ""))[0]
	r := lease(t, q, base, time.Second, 1)[0]
	next := base.Add(time.Minute)
	mustOK(t, "Retry", q.Retry(ctx, next, "5100 服务器繁忙", r.Claim()))
	want := r
	want.State = report.Pending
	want.Next = report.Micro(next)
	want.LastCause = "5100 服务器繁忙"
	wantRecord(t, "after Retry", get(t, q, seq), want)
	mustRule(t, "Retry of a retried record", q.Retry(ctx, next, "x", r.Claim()), report.ErrLeaseLost)
	mustRule(t, "Ack of a retried record", q.Ack(ctx, next, r.Claim()), report.ErrLeaseLost)
	if s := stats(t, q, base); s.Failing != 1 || s.Attempts != 1 || s.Leased != 0 {
		t.Fatalf("stats after Retry: %+v, want Failing 1, Attempts 1, Leased 0", s)
	}
	if recs := lease(t, q, next.Add(-time.Microsecond), time.Second, 1); len(recs) != 0 {
		t.Fatalf("a record leased before its next attempt time")
	}
	r2 := lease(t, q, next, time.Second, 1)
	wantSeqs(t, "Lease at the next attempt time", r2, seq)
	if r2[0].Attempts != 2 || r2[0].LastCause != want.LastCause {
		t.Fatalf("record leased after Retry: %+v", r2[0])
	}
	mustOK(t, "Retry into the past", q.Retry(ctx, base, "again", r2[0].Claim()))
	wantSeqs(t, "Lease after a Retry into the past", lease(t, q, next, time.Second, 1), seq)
}

func testBury(t *testing.T, q report.Queue) {
	ctx := context.Background()
	seqs := enqueue(t, q, base, draft("a", "s"), draft("b", ""), draft("c", ""))
	recs := lease(t, q, base, time.Minute, 1)
	buryAt := base.Add(time.Second)
	mustOK(t, "Bury", q.Bury(ctx, buryAt, "4000 参数非法", recs[0].Claim()))
	want := recs[0]
	want.State = report.Dead
	want.Done = report.Micro(buryAt)
	want.LastCause = "4000 参数非法"
	wantRecord(t, "after Bury", get(t, q, seqs[0]), want)
	wantSeqs(t, "List dead", list(t, q, report.ListQuery{Filter: report.ListDead}), seqs[0])
	wantSeqs(t, "Lease after Bury", lease(t, q, base.Add(time.Hour), time.Minute, 10), seqs[1], seqs[2])

	mustRule(t, "Redrive of a leased record", q.Redrive(ctx, base, seqs[1]), report.ErrState)
	redriveAt := base.Add(2 * time.Hour)
	mustOK(t, "Redrive", q.Redrive(ctx, redriveAt, seqs[0]))
	want.State = report.Pending
	want.Attempts = 0
	want.Next = report.Micro(redriveAt)
	want.Done = time.Time{}
	wantRecord(t, "after Redrive", get(t, q, seqs[0]), want)
	mustRule(t, "Redrive of a pending record", q.Redrive(ctx, base, seqs[0]), report.ErrState)
	if recs := list(t, q, report.ListQuery{Filter: report.ListDead}); len(recs) != 0 {
		t.Fatalf("dead-letter set after Redrive: %v", seqsOf(recs))
	}
	if recs := lease(t, q, redriveAt.Add(-time.Microsecond), time.Minute, 1); len(recs) != 0 && recs[0].Seq == seqs[0] {
		t.Fatalf("re-driven record leased before the re-drive time")
	}

	// By hand: a leased record (its claim then fails), a pending record, then
	// records that are already dead or acked.
	held := lease(t, q, base.Add(3*time.Hour), time.Minute, 10)
	wantSeqs(t, "Lease", held, seqs...)
	mustOK(t, "BuryRecord of a leased record", q.BuryRecord(ctx, base, seqs[1], "operator: wrong session"))
	mustRule(t, "Ack after BuryRecord", q.Ack(ctx, base, held[1].Claim()), report.ErrLeaseLost)
	if r := get(t, q, seqs[1]); r.State != report.Dead || r.LastCause != "operator: wrong session" {
		t.Fatalf("after BuryRecord: %+v", r)
	}
	mustOK(t, "Ack", q.Ack(ctx, base, held[2].Claim()))
	mustRule(t, "BuryRecord of a dead record", q.BuryRecord(ctx, base, seqs[1], "x"), report.ErrState)
	mustRule(t, "BuryRecord of an acked record", q.BuryRecord(ctx, base, seqs[2], "x"), report.ErrState)
	mustOK(t, "Retry", q.Retry(ctx, base.Add(24*time.Hour), "5000", held[0].Claim()))
	mustOK(t, "BuryRecord of a pending record", q.BuryRecord(ctx, base, seqs[0], "operator"))
	if s := stats(t, q, base); s.Depth != 0 || s.Dead != 2 || s.Acked != 1 || s.Failing != 0 {
		t.Fatalf("stats: %+v", s)
	}
}

func testStreams(t *testing.T, q report.Queue) {
	// A1 B1 F1 A2 B2 A3 F2: streams A and B, free records F.
	ctx := context.Background()
	s := enqueue(t, q, base, draft("A1", "A"), draft("B1", "B"), draft("F1", ""), draft("A2", "A"),
		draft("B2", "B"), draft("A3", "A"), draft("F2", ""))
	a1, b1, f1, a2, b2, a3, f2 := s[0], s[1], s[2], s[3], s[4], s[5], s[6]
	ttl := 10 * time.Second

	wantSeqs(t, "oldest first across streams", lease(t, q, base, ttl, 3), a1, b1, f1)
	got := lease(t, q, base, ttl, 10)
	wantSeqs(t, "nothing of a stream whose head is leased", got, f2)
	mustOK(t, "Ack", q.Ack(ctx, base, got[0].Claim()))

	t1 := base.Add(ttl) // every lease has expired: runs of consecutive records
	run := lease(t, q, t1, ttl, 10)
	wantSeqs(t, "runs after expiry", run, a1, b1, f1, a2, b2, a3)
	byseq := map[uint64]report.Claim{}
	for _, r := range run {
		byseq[r.Seq] = r.Claim()
	}
	// A1 fails: A2 and A3 of the same run are retried with it by their sender.
	mustOK(t, "Retry A1", q.Retry(ctx, t1.Add(time.Minute), "5100", byseq[a1]))
	mustOK(t, "Ack B", q.Ack(ctx, t1, byseq[b1], byseq[b2], byseq[f1]))
	t2 := t1.Add(ttl) // A2 and A3 leases expired, A1 not due yet
	if recs := lease(t, q, t2, ttl, 10); len(recs) != 0 {
		t.Fatalf("records leased while the head of their stream waits for its retry: %v", seqsOf(recs))
	}
	wantSeqs(t, "the stream resumes when its head is due", lease(t, q, t1.Add(time.Minute), ttl, 2), a1, a2)
	// Bury the head: the rest of the stream follows.
	t3 := t1.Add(time.Minute + ttl)
	run = lease(t, q, t3, ttl, 1)
	wantSeqs(t, "head again", run, a1)
	if recs := lease(t, q, t3, ttl, 10); len(recs) != 0 {
		t.Fatalf("A2 leased while A1 is leased: %v", seqsOf(recs))
	}
	mustOK(t, "Bury A1", q.Bury(ctx, t3, "4000", run[0].Claim()))
	run = lease(t, q, t3, ttl, 10)
	wantSeqs(t, "after the head is buried", run, a2, a3)
	mustOK(t, "Ack A2", q.Ack(ctx, t3, run[0].Claim()))
	mustOK(t, "Retry A3", q.Retry(ctx, t3.Add(time.Hour), "5100", run[1].Claim()))
	// Re-drive A1: it takes its place ahead of A3 again.
	mustOK(t, "Redrive A1", q.Redrive(ctx, t3, a1))
	wantSeqs(t, "re-driven head", lease(t, q, t3.Add(time.Hour), ttl, 10), a1, a3)

	// A stream whose head waits can be unblocked by burying the head by hand.
	s = enqueue(t, q, t3, draft("C1", "C"), draft("C2", "C"))
	r := lease(t, q, t3, ttl, 1)
	wantSeqs(t, "C1", r, s[0])
	mustOK(t, "Retry C1", q.Retry(ctx, t3.Add(24*time.Hour), "5100", r[0].Claim()))
	if recs := lease(t, q, t3.Add(time.Minute), ttl, 10); len(recs) != 0 {
		t.Fatalf("C2 leased while C1 waits: %v", seqsOf(recs))
	}
	mustOK(t, "BuryRecord C1", q.BuryRecord(ctx, t3, s[0], "operator"))
	wantSeqs(t, "C2 after C1 is buried by hand", lease(t, q, t3.Add(time.Minute), ttl, 10), s[1])
}

func testStats(t *testing.T, q report.Queue) {
	ctx := context.Background()
	wantStats(t, "empty", stats(t, q, base), report.Stats{})
	early := draft("early", "")
	early.Day = wht93.Date{Year: 2024, Month: 5, Day: 20} // due 2024-05-21 12:00
	s := enqueue(t, q, base, early, draft("b", "s"), draft("c", ""), draft("d", ""))
	enqueue(t, q, base.Add(time.Second), draft("e", ""))
	now := base.Add(time.Hour)
	oldest := report.Micro(base)
	wantStats(t, "5 pending", stats(t, q, now), report.Stats{Depth: 5, Oldest: oldest, OldestAge: now.Sub(oldest)})
	wantStats(t, "before the oldest", stats(t, q, base.Add(-time.Hour)), report.Stats{Depth: 5, Oldest: oldest})
	recs := lease(t, q, base, time.Minute, 3)
	wantStats(t, "3 leased", stats(t, q, now), report.Stats{Depth: 5, Leased: 3, Attempts: 3, Oldest: oldest, OldestAge: now.Sub(oldest)})
	mustOK(t, "Retry", q.Retry(ctx, base, "5100", recs[1].Claim()))
	wantStats(t, "1 retried", stats(t, q, now), report.Stats{Depth: 5, Leased: 2, Failing: 1, Attempts: 3, Oldest: oldest, OldestAge: now.Sub(oldest)})
	late := base.Add(30 * 24 * time.Hour) // after every due time
	mustOK(t, "Ack", q.Ack(ctx, late, recs[0].Claim()))
	mustOK(t, "Bury", q.Bury(ctx, now, "4000", recs[2].Claim()))
	second := report.Micro(base) // s[1] is now the oldest open record
	wantStats(t, "after ack and bury", stats(t, q, now), report.Stats{
		Depth: 3, Failing: 1, Attempts: 1, Oldest: second, OldestAge: now.Sub(second), Dead: 1, Acked: 1, Backfill: 1,
	})
	r := lease(t, q, base, time.Minute, 1)
	wantSeqs(t, "Lease", r, s[1])
	mustOK(t, "Ack in time", q.Ack(ctx, base, r[0].Claim()))
	mustOK(t, "Redrive", q.Redrive(ctx, now, s[2]))
	last := report.Micro(base)
	wantStats(t, "after redrive", stats(t, q, now), report.Stats{
		Depth: 3, Failing: 1, Oldest: last, OldestAge: now.Sub(last), Acked: 2, Backfill: 1,
	})
}

func testList(t *testing.T, q report.Queue) {
	ctx := context.Background()
	var ds []report.Draft
	for i := range 8 {
		d := draft(fmt.Sprint("r", i), "")
		d.Day = wht93.Date{Year: 2024, Month: 5, Day: 20 + i} // due 05-21 … 05-28 at 12:00
		ds = append(ds, d)
	}
	s := enqueue(t, q, base, ds...)
	recs := lease(t, q, base, time.Minute, 4)
	mustOK(t, "Ack", q.Ack(ctx, base, recs[0].Claim()))
	mustOK(t, "Bury", q.Bury(ctx, base, "4000", recs[1].Claim(), recs[3].Claim()))
	mustOK(t, "Retry", q.Retry(ctx, base, "5100", recs[2].Claim()))
	// s0 acked, s1 dead, s2 pending (retried), s3 dead, s4–s7 pending.
	wantSeqs(t, "open", list(t, q, report.ListQuery{Filter: report.ListOpen}), s[2], s[4], s[5], s[6], s[7])
	wantSeqs(t, "open, page 1", list(t, q, report.ListQuery{Filter: report.ListOpen, Limit: 2}), s[2], s[4])
	wantSeqs(t, "open, page 2", list(t, q, report.ListQuery{Filter: report.ListOpen, After: s[4], Limit: 2}), s[5], s[6])
	wantSeqs(t, "open, page 3", list(t, q, report.ListQuery{Filter: report.ListOpen, After: s[6], Limit: 2}), s[7])
	wantSeqs(t, "dead", list(t, q, report.ListQuery{Filter: report.ListDead}), s[1], s[3])
	wantSeqs(t, "dead after s1", list(t, q, report.ListQuery{Filter: report.ListDead, After: s[1]}), s[3])
	at := time.Date(2024, 5, 25, 12, 0, 0, 0, wht93.CST) // due times 05-21 … 05-24 are before it
	late := list(t, q, report.ListQuery{Filter: report.ListLate, Now: at})
	wantSeqs(t, "late", late, s[1], s[2], s[3])
	if !late[0].Late(at) || late[0].Late(time.Date(2024, 5, 21, 12, 0, 0, 0, wht93.CST)) {
		t.Fatalf("Record.Late disagrees with List late: %+v", late[0])
	}
	wantSeqs(t, "at risk a day later", list(t, q, report.ListQuery{Filter: report.ListLate, Now: at.Add(24 * time.Hour)}), s[1], s[2], s[3], s[4])
	wantSeqs(t, "late, paged", list(t, q, report.ListQuery{Filter: report.ListLate, Now: at, After: s[1], Limit: 1}), s[2])
	if got := list(t, q, report.ListQuery{Filter: report.ListOpen, After: s[7]}); len(got) != 0 {
		t.Fatalf("list after the last record: %v", seqsOf(got))
	}
	for _, r := range list(t, q, report.ListQuery{Filter: report.ListOpen}) {
		wantRecord(t, "listed", r, get(t, q, r.Seq))
	}
}

func testPurge(t *testing.T, q report.Queue) {
	ctx := context.Background()
	s := enqueue(t, q, base, draft("a", ""), draft("b", ""), draft("c", ""), draft("d", ""), draft("e", ""))
	recs := lease(t, q, base, time.Minute, 5)
	t1, t2, t3 := base.Add(time.Second), base.Add(2*time.Second), base.Add(3*time.Second)
	mustOK(t, "Ack", q.Ack(ctx, t2, recs[0].Claim()))
	mustOK(t, "Ack", q.Ack(ctx, t1, recs[1].Claim()))
	mustOK(t, "Ack", q.Ack(ctx, t3, recs[2].Claim()))
	mustOK(t, "Bury", q.Bury(ctx, t1, "x", recs[3].Claim()))
	n, err := q.Purge(ctx, t2, 10)
	mustOK(t, "Purge", err)
	if n != 1 {
		t.Fatalf("Purge(before t2) deleted %d, want 1", n)
	}
	_, err = q.Get(ctx, s[1])
	mustRule(t, "Get of a purged record", err, report.ErrNotFound)
	n, err = q.Purge(ctx, t3.Add(time.Hour), 1)
	mustOK(t, "Purge", err)
	if n != 1 {
		t.Fatalf("Purge(max 1) deleted %d, want 1", n)
	}
	_, err = q.Get(ctx, s[0])
	mustRule(t, "Get of the lowest purged record", err, report.ErrNotFound)
	get(t, q, s[2])
	n, err = q.Purge(ctx, t3.Add(time.Hour), 10)
	mustOK(t, "Purge", err)
	if n != 1 {
		t.Fatalf("Purge deleted %d, want 1", n)
	}
	n, err = q.Purge(ctx, t3.Add(time.Hour), 10)
	mustOK(t, "Purge", err)
	if n != 0 {
		t.Fatalf("Purge of an emptied set deleted %d", n)
	}
	if r := get(t, q, s[3]); r.State != report.Dead {
		t.Fatalf("Purge touched a dead record: %+v", r)
	}
	if r := get(t, q, s[4]); r.State != report.Leased {
		t.Fatalf("Purge touched a leased record: %+v", r)
	}
	if st := stats(t, q, base); st.Acked != 0 || st.Dead != 1 || st.Depth != 1 {
		t.Fatalf("stats after purge: %+v", st)
	}
}

func testBatch(t *testing.T, q report.Queue) {
	ctx := context.Background()
	const n = 1000
	ds := make([]report.Draft, n)
	for i := range ds {
		ds[i] = draft(fmt.Sprint("batch-", i), []string{"", "s1", "s2"}[i%3])
	}
	s := enqueue(t, q, base, ds...)
	for i := 1; i < n; i++ {
		if s[i] <= s[i-1] {
			t.Fatalf("batch sequences not increasing in draft order at %d: %d after %d", i, s[i], s[i-1])
		}
	}
	recs := lease(t, q, base, time.Minute, n)
	wantSeqs(t, "Lease of the whole batch", recs, s...)
	mustOK(t, "Ack of the whole batch", q.Ack(ctx, base, claims(recs)...))
	wantStats(t, "after the batch", stats(t, q, base), report.Stats{Acked: n})
	bad := append(ds[:0:0], ds...)
	bad[n-1].Endpoint = ""
	_, err := q.Enqueue(ctx, base, bad...)
	mustRule(t, "a batch with one bad draft", err, report.ErrQueueEndpoint)
	if got := list(t, q, report.ListQuery{Filter: report.ListOpen}); len(got) != 0 {
		t.Fatalf("a failed batch stored %d records", len(got))
	}
}
