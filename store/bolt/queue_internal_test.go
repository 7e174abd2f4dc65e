package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// TestGroupCommit holds the committer in its first transaction until 63 more
// enqueues wait, and checks that they share the next commit.
func TestGroupCommit(t *testing.T) {
	q, db, err := OpenQueue(filepath.Join(t.TempDir(), "queue.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entered, release := holdFirstCommit(db)
	start := db.commits.get()
	now := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	ctx := context.Background()
	var wg sync.WaitGroup
	seqs := make([]uint64, 64)
	errs := make([]error, 64)
	enq := func(i int) {
		defer wg.Done()
		res, err := q.Enqueue(ctx, now, report.Draft{Key: fmt.Sprint("k", i), Endpoint: "/report/ticket", Day: wht93.DateOf(now)})
		errs[i] = err
		if err == nil {
			seqs[i] = res[0].Seq
		}
	}
	wg.Add(64)
	go enq(0)
	<-entered
	for i := 1; i < 64; i++ {
		go enq(i)
	}
	for len(db.ops) < 63 { // wait until every producer is queued
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	seen := map[uint64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("enqueue %d: %v", i, err)
		}
		if seen[seqs[i]] {
			t.Fatalf("sequence %d given twice", seqs[i])
		}
		seen[seqs[i]] = true
	}
	if n := db.commits.get() - start; n != 2 {
		t.Fatalf("64 enqueues took %d commits, want 2 (the held one, then the other 63 together)", n)
	}
}

// TestGroupCommitIsolation checks that a change that fails in a shared
// transaction fails alone: the others commit.
func TestGroupCommitIsolation(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entered, release := holdFirstCommit(db)
	ctx := context.Background()
	put := func(k string) func(*bbolt.Tx) error {
		return func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("t"))
			if err != nil {
				return err
			}
			return b.Put([]byte(k), []byte("v"))
		}
	}
	boom := fmt.Errorf("boom")
	results := make(chan string, 4)
	go func() { results <- fmt.Sprint("first ", db.update(ctx, put("first"))) }()
	<-entered
	go func() { results <- fmt.Sprint("a ", db.update(ctx, put("a"))) }()
	for len(db.ops) < 1 {
		runtime.Gosched()
	}
	go func() {
		results <- fmt.Sprint("bad ", db.update(ctx, func(tx *bbolt.Tx) error {
			if err := put("bad")(tx); err != nil {
				return err
			}
			return boom
		}))
	}()
	for len(db.ops) < 2 {
		runtime.Gosched()
	}
	go func() { results <- fmt.Sprint("b ", db.update(ctx, put("b"))) }()
	for len(db.ops) < 3 {
		runtime.Gosched()
	}
	close(release)
	got := map[string]bool{}
	for range 4 {
		got[<-results] = true
	}
	for _, want := range []string{"first <nil>", "a <nil>", "bad boom", "b <nil>"} {
		if !got[want] {
			t.Fatalf("results %v, want %q among them", got, want)
		}
	}
	err = db.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("t"))
		for _, k := range []string{"first", "a", "b"} {
			if b.Get([]byte(k)) == nil {
				return fmt.Errorf("%s not committed", k)
			}
		}
		if b.Get([]byte("bad")) != nil {
			return fmt.Errorf("the failed change was committed")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.update(context.Background(), func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte(queueBucket))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("99"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Queue(); err == nil {
		t.Fatal("Queue() accepted a queue of an unknown format")
	}
}

// TestMigrateFormat1 writes a queue in format 1 (with its "open" index and
// bare times in the lanes) and checks that Queue converts it: the lanes carry
// the due times, the index is gone, and every operation sees the records.
func TestMigrateFormat1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue.db")
	day := wht93.Date{Year: 2024, Month: 5, Day: 27}
	now := time.Date(2024, 5, 28, 10, 0, 0, 0, wht93.CST)
	due := report.DueOf(day)
	recs := []report.Record{
		{Seq: 1, Key: "free", Endpoint: "/report/ticket", Day: day, Due: due, Enqueued: now, State: report.Pending, Next: now},
		{Seq: 2, Key: "leased", Stream: "S", Endpoint: "/report/ticket", Day: day, Due: due.Add(48 * time.Hour), Enqueued: now,
			State: report.Leased, Attempts: 1, Next: now, LeaseToken: 1, LeaseExpiry: now.Add(time.Minute)},
		{Seq: 3, Key: "behind", Stream: "S", Endpoint: "/report/ticket", Day: day, Due: due.Add(48 * time.Hour), Enqueued: now,
			State: report.Pending, Next: now},
		{Seq: 4, Key: "dead", Endpoint: "/report/ticket", Day: day, Due: due, Enqueued: now, State: report.Dead, Next: now,
			Attempts: 1, LastCause: "4000", Done: now},
	}
	raw, err := bbolt.Open(path, FileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	u64 := func(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }
	err = raw.Update(func(tx *bbolt.Tx) error {
		root, err := tx.CreateBucket([]byte(queueBucket))
		if err != nil {
			return err
		}
		bs := map[string]*bbolt.Bucket{}
		for _, name := range []string{"rec", "key", "open", "free", "strm", "dead"} {
			if bs[name], err = root.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		for i := range recs {
			r := &recs[i]
			k := seqKey(r.Seq)
			put := func(b string, k, v []byte) {
				if err == nil {
					err = bs[b].Put(k, v)
				}
			}
			put("rec", k, encodeRecord(r))
			put("key", []byte(r.Key), k)
			switch {
			case r.State == report.Dead:
				put("dead", k, u64(r.Due.UnixMicro()))
			case r.Stream == "":
				put("open", k, u64(r.Due.UnixMicro()))
				put("free", k, u64(r.Next.UnixMicro()))
			default:
				eligible := r.Next
				if r.State == report.Leased {
					eligible = r.LeaseExpiry
				}
				put("open", k, u64(r.Due.UnixMicro()))
				put("strm", append(streamPrefix(r.Stream), k...), u64(eligible.UnixMicro()))
			}
		}
		err = errors.Join(err, root.Put([]byte("format"), []byte("1")))
		for name, n := range map[string]int64{"n.seq": 4, "n.depth": 3, "n.leased": 1, "n.attempts": 1, "n.dead": 1, "n.failing": 1} {
			err = errors.Join(err, root.Put([]byte(name), u64(n)))
		}
		return err
	})
	if err == nil {
		err = raw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}

	q, db, err := OpenQueue(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.view(func(tx *bbolt.Tx) error {
		root := tx.Bucket([]byte(queueBucket))
		if f := string(root.Get([]byte("format"))); f != queueFormat {
			return fmt.Errorf("format %q after the migration, want %q", f, queueFormat)
		}
		if root.Bucket(bOpen1) != nil {
			return errors.New("the format 1 open index is still there")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := q.Stats(ctx, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if s.Depth != 3 || s.Leased != 1 || s.Dead != 1 || s.OldestAge != time.Hour {
		t.Fatalf("stats after the migration: %+v", s)
	}
	seqsOf := func(rs []report.Record) (out []uint64) {
		for _, r := range rs {
			out = append(out, r.Seq)
		}
		return out
	}
	late, err := q.List(ctx, report.ListQuery{Filter: report.ListLate, Now: due.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(seqsOf(late)); got != "[1 4]" {
		t.Fatalf("late after the migration: %s, want [1 4] (the stream's records are due two days later)", got)
	}
	// Before the lease of record 2 expires, record 3 waits behind it; after, the
	// stream's due run goes with record 1.
	got, err := q.Lease(ctx, now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqsOf(got)) != "[1]" {
		t.Fatalf("lease before the expiry took %v, want [1]", seqsOf(got))
	}
	got, err = q.Lease(ctx, now.Add(2*time.Minute), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqsOf(got)) != "[1 2 3]" {
		t.Fatalf("lease after the expiry took %v, want [1 2 3]", seqsOf(got))
	}
}

func TestCodec(t *testing.T) {
	now := time.Date(2024, 5, 27, 10, 0, 0, 123456000, time.UTC)
	r := &report.Record{
		Seq: 7, Key: "k", Stream: "110101001012024052701", Endpoint: "/report/ticket",
		Body: []byte{0, 1, 0xff}, Day: wht93.Date{Year: 2024, Month: 5, Day: 27}, Due: now.Add(time.Hour),
		Enqueued: now, State: report.Leased, Attempts: 3, Next: now, LastCause: "5100",
		LeaseToken: 9, LeaseExpiry: now.Add(time.Minute),
	}
	v := encodeRecord(r)
	got, err := decodeRecord(7, v)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*got) != fmt.Sprint(*r) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", *got, *r)
	}
	for i := range len(v) - len(r.Body) { // every cut inside the header is an error, never a panic
		if _, err := decodeRecord(7, v[:i]); err == nil {
			t.Fatalf("a record cut at %d bytes decoded without error", i)
		}
	}
	bad := append([]byte(nil), v...)
	bad[1] = 9
	if _, err := decodeRecord(7, bad); err == nil {
		t.Fatal("a record with state 9 decoded without error")
	}
}

func FuzzDecodeRecord(f *testing.F) {
	now := time.Date(2024, 5, 27, 10, 0, 0, 0, time.UTC)
	f.Add(encodeRecord(&report.Record{Key: "k", Endpoint: "/e", Day: wht93.Date{Year: 2024, Month: 5, Day: 27},
		Due: now, Enqueued: now, Next: now, State: report.Pending, Body: []byte("{}")}))
	f.Add([]byte{1, 4, 0, 0})
	f.Fuzz(func(t *testing.T, v []byte) {
		r, err := decodeRecord(1, v)
		if err != nil {
			return
		}
		again, err := decodeRecord(1, encodeRecord(r))
		if err != nil || fmt.Sprint(*again) != fmt.Sprint(*r) {
			t.Fatalf("re-encoded record differs: %v %+v %+v", err, again, r)
		}
	})
}
