package bolt

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
)

// TestEntriesRerun holds the committer so that admissions of one ticket share
// a transaction with two changes that fail: the last one, and one among them
// that admits an entry of the same ticket on its first run and fails on its
// second. The transaction is rolled back and run again without each, so that
// every admission's update function runs two or three times on the buffers it
// prepared once (its encoding, patched with the count in place) and on index
// changes staged afresh, and the later admissions see another count on their
// last run than on their first. Each admission must get the count of its place
// in what committed, a repeated id the first admission, and the file must hold
// exactly what was answered, after a reopen too. It runs with the default
// checkpoint size, and with one of 3, so that the attempts that are rolled
// back make checkpoints too.
func TestEntriesRerun(t *testing.T) {
	for _, k := range []int{entCheckpoint, 3} {
		t.Run(fmt.Sprint("K=", k), func(t *testing.T) { testEntriesRerun(t, k) })
	}
}

func testEntriesRerun(t *testing.T, k int) {
	path := filepath.Join(t.TempDir(), "entries.db")
	s, db := entOpenK(t, path, k)
	defer func() { db.Close() }()
	entered, release := holdFirstCommit(db)
	ctx := context.Background()
	at := time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST)
	entry := func(id string, ticket, sec int) checkin.Entry {
		return checkin.Entry{ID: id, Ticket: entCrashTicket(ticket), SessionID: "s", Tier: "A", RealName: 1,
			Method: checkin.QR, Gate: "g", Device: "d", Node: "lan", At: at.Add(time.Duration(sec) * time.Second), Count: 1}
	}
	type result struct {
		a   checkin.Admission
		err error
	}
	queued := -1 // the held admission is not queued: the committer has it
	submit := func(fn func() result) chan result {
		ch := make(chan result, 1)
		go func() { ch <- fn() }()
		if queued++; queued > 0 {
			for len(db.ops) < queued { // one at a time, to keep the batch's order
				runtime.Gosched()
			}
		}
		return ch
	}
	admit := func(e checkin.Entry) chan result {
		return submit(func() result { a, err := s.Admit(ctx, e, 10); return result{a, err} })
	}
	boom := errors.New("boom")
	fail := func() chan result {
		return submit(func() result {
			return result{err: db.update(ctx, func(tx *bbolt.Tx) error { return boom })}
		})
	}

	held := admit(entry("held", 2, 0))
	<-entered
	var got []chan result
	got = append(got, admit(entry("r1", 1, 1)), admit(entry("r2", 1, 2)))
	runs := 0 // of failMid's function: only the committer touches it
	failMid := submit(func() result {
		return result{err: db.update(ctx, func(tx *bbolt.Tx) error {
			if runs++; runs > 1 {
				return boom
			}
			out, err := admitIn(s, tx, entry("x", 1, 30), 10)
			if err != nil {
				return err
			}
			if out.Count != 3 {
				return fmt.Errorf("the failing change counted %d, want 3", out.Count)
			}
			return nil
		})}
	})
	got = append(got, admit(entry("r1", 1, 9)))
	for i := 3; i <= 6; i++ {
		got = append(got, admit(entry(fmt.Sprint("r", i), 1, i)))
	}
	failEnd := fail()
	close(release)

	if r := <-held; r.err != nil || r.a.Count != 1 {
		t.Fatalf("held admission: %+v", r)
	}
	for _, ch := range []chan result{failMid, failEnd} {
		if r := <-ch; !errors.Is(r.err, boom) {
			t.Fatalf("failing change: %v, want boom", r.err)
		}
	}
	if runs != 2 {
		t.Fatalf("the changes ran %d times, want 2 (a batch that fails at its end, then one that fails in the middle)", runs)
	}
	wantCount := []int{1, 2, 1, 3, 4, 5, 6}
	for i, ch := range got {
		r := <-ch
		if r.err != nil || !r.a.Admitted {
			t.Fatalf("admission %d: %+v", i, r)
		}
		dup := i == 2
		if r.a.Duplicate != dup || r.a.Entry.Count != wantCount[i] || (!dup && r.a.Count != wantCount[i]) || (dup && r.a.Count != 2) {
			t.Fatalf("admission %d: %+v, want count %d (duplicate %v)", i, r.a, wantCount[i], dup)
		}
	}
	check := func(s *Entries, when string) {
		t.Helper()
		es, err := s.Entries(ctx, entCrashTicket(1))
		if err != nil || len(es) != 6 {
			t.Fatalf("%s: %d entries, %v", when, len(es), err)
		}
		for i, e := range es {
			want := entry(fmt.Sprint("r", i+1), 1, i+1).Normalized()
			if i == 1 {
				want = entry("r2", 1, 2).Normalized()
			}
			want.Count = i + 1
			if e != want {
				t.Fatalf("%s: entry %d = %+v, want %+v", when, i, e, want)
			}
		}
		cs, err := s.Changes(ctx, 0, 100)
		if err != nil || len(cs) != 7 {
			t.Fatalf("%s: %d changes, %v", when, len(cs), err)
		}
		for i, c := range cs[1:] {
			if c.Entry != es[i] || c.Seq <= cs[i].Seq {
				t.Fatalf("%s: change %d = %+v after %d, want %+v", when, i+1, c, cs[i].Seq, es[i])
			}
		}
		a, err := s.Admit(ctx, entry("r4", 2, 20), 10) // r4 is stored under ticket 1
		if err != nil || !a.Duplicate || a.Entry != es[3] || a.Count != 6 {
			t.Fatalf("%s: admitting r4 again: %+v %v", when, a, err)
		}
	}
	check(s, "after the batch")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, db = entOpenK(t, path, k)
	check(s, "after a reopen")
}

// admitIn admits e in the update function's transaction tx, as Admit does in
// its own change.
func admitIn(s *Entries, tx *bbolt.Tx, e checkin.Entry, max int) (checkin.Admission, error) {
	e, err := checkin.CheckAdmit(e, max)
	if err != nil {
		return checkin.Admission{}, err
	}
	p, err := entPrepare(&e)
	if err != nil {
		return checkin.Admission{}, err
	}
	a := &entAdmit{e: e, p: p, max: max}
	if err := s.admit(tx, a); err != nil {
		return checkin.Admission{}, err
	}
	return a.out, nil
}
