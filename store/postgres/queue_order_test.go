package postgres_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// TestOutOfOrderCommit makes an enqueue commit after later sequences have
// committed (one of them leased), and checks that its records are leased after
// all: leasing goes by state, not by "sequences above the last one seen". A
// later record of the same stream that committed first is not leased before
// them.
func TestOutOfOrderCommit(t *testing.T) {
	db := testDB(t)
	schema := freshSchema(t, db)
	q := openQueue(t, db, schema)
	ctx := context.Background()
	now := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	d := func(key, stream string) report.Draft {
		return report.Draft{Key: key, Stream: stream, Endpoint: "/report/ticket", Body: []byte(key), Day: wht93.DateOf(now)}
	}
	// Stream S exists (a stream's first enqueue creates its row, and a second
	// one waits for that): its first record is delivered.
	if _, err := q.Enqueue(ctx, now, d("s0", "S")); err != nil {
		t.Fatal(err)
	}
	first, err := q.Lease(ctx, now, time.Minute, 1)
	if err != nil || len(first) != 1 {
		t.Fatalf("Lease: %v, %v", first, err)
	}
	if err := q.Ack(ctx, now, first[0].Claim()); err != nil {
		t.Fatal(err)
	}
	// Another transaction holds key "a2" uncommitted: an enqueue of a2 waits
	// for it after it has taken its sequences.
	blocker, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback()
	if _, err := blocker.Exec(`INSERT INTO "` + schema + `".queue_records
		(seq, idem_key, stream, endpoint, body, business_day, due_at, enqueued_at, state, next_at)
		VALUES (-1, 'a2', '', '/x', '', '2024-05-27', now(), now(), 1, now())`); err != nil {
		t.Fatal(err)
	}
	waiting := func(n int) {
		t.Helper()
		for {
			var c int
			err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`, schema).Scan(&c)
			if err != nil {
				t.Fatal(err)
			}
			if c >= n {
				return
			}
			runtime.Gosched()
		}
	}
	type result struct {
		res []report.Enqueued
		err error
	}
	aDone := make(chan result, 1)
	go func() {
		res, err := q.Enqueue(ctx, now, d("a1", "S"), d("a2", "S"))
		aDone <- result{res, err}
	}()
	waiting(1)
	free, err := q.Enqueue(ctx, now, d("f", ""))
	if err != nil {
		t.Fatal(err)
	}
	// b, in the stream of a1 and a2, commits first with a later sequence.
	bRes, err := q.Enqueue(ctx, now, d("b", "S"))
	if err != nil {
		t.Fatal(err)
	}
	b := result{bRes, nil}

	recs, err := q.Lease(ctx, now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqsOf(recs)) != fmt.Sprint([]uint64{free[0].Seq}) {
		t.Fatalf("Lease while a1 and a2 wait: %v, want only f (%d): b must wait for a1 and a2", seqsOf(recs), free[0].Seq)
	}
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	a := <-aDone
	if a.err != nil {
		t.Fatalf("enqueue of a1, a2: %v", a.err)
	}
	if !(a.res[0].Seq < a.res[1].Seq && a.res[0].Seq < free[0].Seq && a.res[1].Seq < b.res[0].Seq) {
		t.Fatalf("sequences a1 %d, a2 %d, f %d, b %d: want a1 < a2 < b and a1 < f", a.res[0].Seq, a.res[1].Seq, free[0].Seq, b.res[0].Seq)
	}
	recs, err = q.Lease(ctx, now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{a.res[0].Seq, a.res[1].Seq, b.res[0].Seq}; fmt.Sprint(seqsOf(recs)) != fmt.Sprint(want) {
		t.Fatalf("Lease after the late commit: %v, want %v", seqsOf(recs), want)
	}
}

// TestStreamRowDeleted has a Lease delete the row of an empty stream while an
// enqueue into that stream waits for the row: the enqueue must make the row
// again, or its record would never be leased.
func TestStreamRowDeleted(t *testing.T) {
	db := testDB(t)
	schema := freshSchema(t, db)
	q := openQueue(t, db, schema)
	ctx := context.Background()
	now := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	d := func(key string) report.Draft {
		return report.Draft{Key: key, Stream: "S", Endpoint: "/report/ticket", Day: wht93.DateOf(now)}
	}
	if _, err := q.Enqueue(ctx, now, d("s0")); err != nil {
		t.Fatal(err)
	}
	recs, err := q.Lease(ctx, now, time.Minute, 1)
	if err != nil || len(recs) != 1 {
		t.Fatalf("Lease: %v, %v", recs, err)
	}
	if err := q.Ack(ctx, now, recs[0].Claim()); err != nil {
		t.Fatal(err)
	}
	// What a Lease does to a stream without open records, held open.
	lease, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Rollback()
	if _, err := lease.Exec(`SELECT 1 FROM "` + schema + `".queue_streams WHERE stream = 'S' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := q.Enqueue(ctx, now, d("s1"))
		done <- err
	}()
	for { // until the enqueue waits for the row
		var c int
		if err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`, schema).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c > 0 {
			break
		}
		runtime.Gosched()
	}
	if _, err := lease.Exec(`DELETE FROM "` + schema + `".queue_streams WHERE stream = 'S'`); err != nil {
		t.Fatal(err)
	}
	if err := lease.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	recs, err = q.Lease(ctx, now, time.Minute, 10)
	if err != nil || len(recs) != 1 || recs[0].Key != "s1" {
		t.Fatalf("Lease after the stream row was deleted under the enqueue: %v, %v; want s1", recs, err)
	}
}

func seqsOf(recs []report.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}
