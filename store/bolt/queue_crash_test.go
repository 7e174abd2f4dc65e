package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// The crash test re-executes the test binary as a child that writes to a
// queue file until it is killed with SIGKILL at a random moment. The child
// prints a line for every change it was told is durable:
//
//	E seq key    a new record (Enqueue returned)
//	D seq key    a re-enqueue answered as a duplicate of seq
//	A seq        an ack (Ack returned)
//
// The parent reopens the file after each kill and checks that it opens and
// passes bbolt's consistency check, that every E and D line is there exactly
// once under its key, that every A line is acked, and that the counters agree
// with a recount of the records.
const (
	crashPathEnv = "WHT93_BOLT_CRASH_CHILD"
	crashIterEnv = "WHT93_BOLT_CRASH_ITER"
	crashDupsEnv = "WHT93_BOLT_CRASH_DUPS"
)

var crashBase = time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)

func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashPathEnv)
	if path == "" {
		t.Skip("runs only as the child of TestCrash")
	}
	iter, _ := strconv.Atoi(os.Getenv(crashIterEnv))
	q, db, err := OpenQueue(path, nil)
	if err != nil {
		fmt.Println("X open:", err)
		os.Exit(3)
	}
	defer db.Close()
	now := crashBase.Add(time.Duration(iter) * 2 * time.Hour) // earlier leases have expired
	ctx := context.Background()
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		os.Stdout.WriteString(fmt.Sprintf(format, args...) + "\n") // one write per line
	}
	fail := func(err error) {
		say("X %v", err)
		os.Exit(3)
	}
	if dups := os.Getenv(crashDupsEnv); dups != "" {
		for _, kv := range strings.Split(dups, ",") {
			key, _, _ := strings.Cut(kv, "=")
			res, err := q.Enqueue(ctx, now, report.Draft{Key: key, Stream: "dup", Endpoint: "/x", Day: wht93.DateOf(now)})
			if err != nil {
				fail(err)
			}
			say("D %d %s", res[0].Seq, key)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 5000; {
				size := 1 + (n*7+g)%20
				if g%2 == 0 {
					size = 1
				}
				ds := make([]report.Draft, size)
				for i := range ds {
					ds[i] = report.Draft{
						Key:      fmt.Sprintf("i%d-g%d-n%d", iter, g, n+i),
						Stream:   []string{"", "s1", "s2"}[(n+i)%3],
						Endpoint: "/report/ticket",
						Body:     []byte(strings.Repeat("b", 200)),
						Day:      wht93.DateOf(now),
					}
				}
				res, err := q.Enqueue(ctx, now, ds...)
				if err != nil {
					fail(err)
				}
				for i, r := range res {
					say("E %d %s", r.Seq, ds[i].Key)
				}
				n += size
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5000 {
			recs, err := q.Lease(ctx, now, time.Hour, 30)
			if err != nil {
				fail(err)
			}
			if len(recs) == 0 {
				continue
			}
			cs := make([]report.Claim, len(recs))
			for i, r := range recs {
				cs[i] = r.Claim()
			}
			if err := q.Ack(ctx, now, cs...); err != nil {
				fail(err)
			}
			for _, r := range recs {
				say("A %d", r.Seq)
			}
		}
	}()
	wg.Wait()
}

func TestCrash(t *testing.T) {
	if os.Getenv(crashPathEnv) != "" {
		t.Skip("child")
	}
	kills, rng := crashRounds(t, 20, 50, 1)
	path := filepath.Join(t.TempDir(), "crash.db")
	keys := map[string]uint64{} // every key reported durable → its sequence
	acked := map[uint64]bool{}
	var lastKeys []string
	for iter := range kills {
		var dups []string
		for i := 0; i < len(lastKeys) && i < 5; i++ {
			k := lastKeys[rng.IntN(len(lastKeys))]
			dups = append(dups, k+"="+strconv.FormatUint(keys[k], 10))
		}
		env := []string{crashPathEnv + "=" + path, crashIterEnv + "=" + strconv.Itoa(iter),
			crashDupsEnv + "=" + strings.Join(dups, ",")}
		lastKeys = lastKeys[:0]
		crashChild(t, "TestCrashChild", env, rng.IntN(400), func(text string) bool {
			f := strings.Fields(text)
			if len(f) == 0 {
				return false
			}
			switch f[0] {
			case "E", "D":
				seq, _ := strconv.ParseUint(f[1], 10, 64)
				if prev, ok := keys[f[2]]; ok && prev != seq {
					t.Fatalf("iteration %d: key %s reported as %d and as %d", iter, f[2], prev, seq)
				}
				keys[f[2]] = seq
				lastKeys = append(lastKeys, f[2])
			case "A":
				seq, _ := strconv.ParseUint(f[1], 10, 64)
				acked[seq] = true
			case "X":
				t.Fatalf("iteration %d: child failed: %s", iter, text)
			default:
				return false
			}
			return true
		})
		checkCrashFile(t, iter, path, keys, acked)
	}
}

func checkCrashFile(t *testing.T, iter int, path string, keys map[string]uint64, acked map[uint64]bool) {
	t.Helper()
	q, db, err := OpenQueue(path, nil)
	if err != nil {
		t.Fatalf("iteration %d: reopen after SIGKILL: %v", iter, err)
	}
	defer db.Close()
	err = db.view(func(tx *bbolt.Tx) error {
		var bad []error
		for err := range tx.Check() {
			bad = append(bad, err)
		}
		if len(bad) > 0 {
			return fmt.Errorf("bbolt check: %v", bad)
		}
		t, err := queueTx(tx)
		if err != nil {
			return err
		}
		// Every record once under its key; counters equal a recount, made
		// here without report.CountsOf, which the queue uses.
		type counters struct{ depth, leased, attempts, acked, dead int64 }
		var want counters
		seen := map[string]uint64{}
		c := t.rec.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r, err := decodeRecord(keySeq(k), v)
			if err != nil {
				return err
			}
			if prev, ok := seen[r.Key]; ok {
				return fmt.Errorf("key %s stored twice: %d and %d", r.Key, prev, r.Seq)
			}
			seen[r.Key] = r.Seq
			if s := t.key.Get([]byte(r.Key)); s == nil || keySeq(s) != r.Seq {
				return fmt.Errorf("key index of %s does not name %d", r.Key, r.Seq)
			}
			switch r.State {
			case report.Pending, report.Leased:
				want.depth++
				if r.State == report.Leased {
					want.leased++
				}
				want.attempts += int64(r.Attempts)
				lane, lk := t.free, k
				if r.Stream != "" {
					lane, lk = t.strm, t.sk(r.Stream, r.Seq)
				}
				if v := lane.Get(lk); len(v) != 16 || laneDue(v) != r.Due.UnixMicro() {
					return fmt.Errorf("open record %d missing from its lane, or with another due time", r.Seq)
				}
			case report.Acked:
				want.acked++
			case report.Dead:
				want.dead++
			}
		}
		got := counters{depth: t.counter(cDepth), leased: t.counter(cLeased), attempts: t.counter(cAttempts),
			acked: t.counter(cAcked), dead: t.counter(cDead)}
		if got != want {
			return fmt.Errorf("counters %+v, recount %+v", got, want)
		}
		if n := t.free.Stats().KeyN + t.strm.Stats().KeyN; n != int(want.depth) {
			return fmt.Errorf("lanes have %d keys, want %d", n, want.depth)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("iteration %d: %v", iter, err)
	}
	ctx := context.Background()
	for key, seq := range keys {
		r, err := q.Get(ctx, seq)
		if err != nil {
			t.Fatalf("iteration %d: durable record %d (%s) lost: %v", iter, seq, key, err)
		}
		if r.Key != key {
			t.Fatalf("iteration %d: record %d has key %s, want %s", iter, seq, r.Key, key)
		}
	}
	for seq := range acked {
		if r, err := q.Get(ctx, seq); err != nil || r.State != report.Acked {
			t.Fatalf("iteration %d: acked record %d is %v (%v)", iter, seq, r.State, err)
		}
	}
}
