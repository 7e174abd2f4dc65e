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
	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/store/memory"
)

// The tests of the deferred indexes (see the comment on entryBucket): the
// overlay, the checkpoints, the replay at open and the format 1 conversion.

func entOv(id string, ticket, sec int) checkin.Entry {
	return checkin.Entry{ID: id, Ticket: entCrashTicket(ticket), SessionID: "s", Tier: "A", RealName: 1,
		Method: checkin.QR, Gate: "g", Device: "d", Node: "lan",
		At: time.Date(2025, 5, 20, 19, 0, sec, 0, wht93.CST), Count: 1}
}

// entState is what a test reads of a store's deferred indexes: the
// watermark in the file and the overlay's size.
func entState(t testing.TB, s *Entries) (watermark uint64, overlay int) {
	t.Helper()
	err := s.db.view(func(tx *bbolt.Tx) error {
		var err error
		watermark, err = entWatermark(bucket(tx, entryBucket))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.ovCount) > len(s.ovID) {
		t.Fatalf("the overlay has %d tickets for %d entries", len(s.ovCount), len(s.ovID))
	}
	return watermark, len(s.ovID)
}

// entWant checks a ticket's count and entries (their ids in order).
func entWant(t testing.TB, s checkin.Store, ticket int, ids ...string) {
	t.Helper()
	ctx := context.Background()
	n, err := s.Count(ctx, entCrashTicket(ticket))
	if err != nil || n != len(ids) {
		t.Fatalf("ticket %d counts %d (%v), want %d", ticket, n, err, len(ids))
	}
	es, err := s.Entries(ctx, entCrashTicket(ticket))
	if err != nil || len(es) != len(ids) {
		t.Fatalf("ticket %d has %d entries (%v), want %v", ticket, len(es), err, ids)
	}
	for i, e := range es {
		if e.ID != ids[i] || e.Count != i+1 {
			t.Fatalf("ticket %d: entry %d is %s with count %d, want %s with count %d", ticket, i, e.ID, e.Count, ids[i], i+1)
		}
	}
}

func entMustAdmit(t testing.TB, s checkin.Store, e checkin.Entry, wantCount int, wantDup bool) checkin.Admission {
	t.Helper()
	a, err := s.Admit(context.Background(), e, checkin.MaxEntries)
	if err != nil || !a.Admitted || a.Duplicate != wantDup || a.Count != wantCount {
		t.Fatalf("admitting %s: %+v %v, want count %d (duplicate %v)", e.ID, a, err, wantCount, wantDup)
	}
	return a
}

// TestEntriesRollbackLeavesNothing: a change that admits entries, making a
// checkpoint, and then fails is rolled back: neither the overlay nor the
// buckets nor the watermark keep anything of it, and what was committed
// before is intact.
func TestEntriesRollbackLeavesNothing(t *testing.T) {
	s, db := entOpenK(t, filepath.Join(t.TempDir(), "entries.db"), 4)
	defer db.Close()
	ctx := context.Background()
	entMustAdmit(t, s, entOv("a1", 1, 0), 1, false)
	entMustAdmit(t, s, entOv("a2", 1, 1), 2, false)
	entMustAdmit(t, s, entOv("b1", 2, 2), 1, false)
	if w, n := entState(t, s); w != 0 || n != 3 {
		t.Fatalf("before: watermark %d, overlay %d; want 0 and 3", w, n)
	}
	boom := errors.New("boom")
	flushed := false
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		for i, e := range []checkin.Entry{entOv("x1", 1, 5), entOv("x2", 3, 6)} {
			out, err := admitIn(s, tx, e, 10)
			if err != nil {
				return err
			}
			if !out.Admitted || out.Count != []int{3, 1}[i] {
				return fmt.Errorf("in the failing change, %s: %+v", e.ID, out)
			}
		}
		flushed = s.cur.flushed
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the failing change returned %v", err)
	}
	if !flushed {
		t.Fatal("the failing change made no checkpoint")
	}
	if w, n := entState(t, s); w != 0 || n != 3 {
		t.Fatalf("after the rollback: watermark %d, overlay %d; want 0 and 3", w, n)
	}
	entWant(t, s, 1, "a1", "a2")
	entWant(t, s, 2, "b1")
	entWant(t, s, 3)
	// The ids of the rolled-back change are free, and the counts go on from
	// what committed.
	entMustAdmit(t, s, entOv("x1", 1, 7), 3, false)
	entMustAdmit(t, s, entOv("x2", 3, 8), 1, false)
	if w, n := entState(t, s); w == 0 || n != 1 {
		t.Fatalf("after the checkpoint: watermark %d, overlay %d; want a watermark and 1", w, n)
	}
	entWant(t, s, 1, "a1", "a2", "x1")
	entWant(t, s, 3, "x2")
}

// TestEntriesReaderAcrossCheckpoint holds a reader between the start of its
// read transaction and its overlay lookup while a checkpoint commits the
// ticket it reads into the buckets: it must still count the ticket's entry
// (its snapshot has the buckets before the checkpoint, so the overlay must
// still have it).
func TestEntriesReaderAcrossCheckpoint(t *testing.T) {
	s, db := entOpenK(t, filepath.Join(t.TempDir(), "entries.db"), 4)
	defer db.Close()
	ctx := context.Background()
	// Grow the file and free its pages first: the checkpoint then takes free
	// pages instead of growing the file, which would make bbolt wait for the
	// held reader to end its transaction before it commits.
	junk := []byte("junk")
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket(junk)
		for i := 0; err == nil && i < 256; i++ {
			err = b.Put(binary.BigEndian.AppendUint32(nil, uint32(i)), make([]byte, 4096))
		}
		return err
	})
	if err := errors.Join(err, db.update(ctx, func(tx *bbolt.Tx) error { return tx.DeleteBucket(junk) })); err != nil {
		t.Fatal(err)
	}
	entMustAdmit(t, s, entOv("a1", 1, 0), 1, false)
	inHook, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	s.readHook = func() { once.Do(func() { close(inHook); <-release }) }
	type result struct {
		n   int
		err error
	}
	read := make(chan result, 1)
	go func() { n, err := s.Count(ctx, entCrashTicket(1)); read <- result{n, err} }()
	<-inHook
	commits := db.commits.get()
	imported := make(chan error, 1)
	go func() {
		_, err := s.Import(ctx, entOv("b1", 2, 1), entOv("c1", 3, 2), entOv("d1", 4, 3))
		imported <- err
	}()
	for db.commits.get() == commits { // the checkpoint is committed
		runtime.Gosched()
	}
	// Give the committer the chance to empty the overlay (it must wait for the
	// reader instead): a correct store never finishes the import here.
	done := false
	for range 2000 {
		select {
		case err := <-imported:
			if err != nil {
				t.Fatal(err)
			}
			done = true
		default:
			runtime.Gosched()
			continue
		}
		break
	}
	close(release)
	if r := <-read; r.err != nil || r.n != 1 {
		t.Fatalf("the reader across the checkpoint counted %d (%v), want 1", r.n, r.err)
	}
	if done {
		t.Fatal("the checkpoint emptied the overlay while a reader of an older snapshot was reading it")
	}
	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	if w, n := entState(t, s); w == 0 || n != 0 {
		t.Fatalf("after the checkpoint: watermark %d, overlay %d; want a watermark and 0", w, n)
	}
	entWant(t, s, 1, "a1")
	entWant(t, s, 4, "d1")
}

// TestEntriesReplay: the entries above the watermark are read back into the
// overlay when the file is opened again, with the same checkpoint size, a
// smaller one (the replay then makes a checkpoint) and a larger one; every
// count, every entry and every id stay as they were.
func TestEntriesReplay(t *testing.T) {
	for _, reopenK := range []int{5, 2, entCheckpoint} {
		t.Run(fmt.Sprint("reopen K=", reopenK), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "entries.db")
			s, db := entOpenK(t, path, 5)
			want := map[int][]string{}
			for i := range 13 { // checkpoints at the 5th and 10th entries
				ticket := i % 4
				id := fmt.Sprint("e", i)
				entMustAdmit(t, s, entOv(id, ticket, i), len(want[ticket])+1, false)
				want[ticket] = append(want[ticket], id)
			}
			w, n := entState(t, s)
			if w != 10 || n != 3 {
				t.Fatalf("watermark %d, overlay %d; want 10 and 3", w, n)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			s, db = entOpenK(t, path, reopenK)
			defer db.Close()
			w2, n2 := entState(t, s)
			switch {
			case reopenK == 2 && (w2 != 12 || n2 != 1):
				t.Fatalf("reopened with K=2: watermark %d, overlay %d; want 12 and 1", w2, n2)
			case reopenK != 2 && (w2 != w || n2 != n):
				t.Fatalf("reopened: watermark %d, overlay %d; want %d and %d", w2, n2, w, n)
			}
			for ticket, ids := range want {
				entWant(t, s, ticket, ids...)
			}
			for i := range 13 { // each id, in the buckets or in the overlay, is a duplicate
				entMustAdmit(t, s, entOv(fmt.Sprint("e", i), 9, 30), len(want[i%4]), true)
			}
			entMustAdmit(t, s, entOv("new", 1, 40), len(want[1])+1, false)
		})
	}
}

// TestEntriesDuplicateAcrossCheckpoint: an id admitted before a checkpoint
// (in an earlier transaction, or earlier in the checkpoint's own) is a
// duplicate after it, and after a reopen; it is never counted twice.
func TestEntriesDuplicateAcrossCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "entries.db")
	s, db := entOpenK(t, path, 3)
	ctx := context.Background()
	entMustAdmit(t, s, entOv("x", 1, 0), 1, false)
	entMustAdmit(t, s, entOv("y", 2, 1), 1, false)
	entMustAdmit(t, s, entOv("z", 3, 2), 1, false) // the checkpoint: x is in the buckets
	if w, n := entState(t, s); w != 3 || n != 0 {
		t.Fatalf("watermark %d, overlay %d; want 3 and 0", w, n)
	}
	entMustAdmit(t, s, entOv("x", 4, 3), 1, true)
	if n, err := s.Import(ctx, entOv("x", 5, 4), entOv("y", 5, 5)); err != nil || n != 0 {
		t.Fatalf("importing x and y again: %d new, %v", n, err)
	}
	// One transaction: u, v, then the checkpoint at w, then u and x again.
	var outs []checkin.Admission
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		outs = outs[:0]
		for _, e := range []checkin.Entry{entOv("u", 1, 6), entOv("v", 6, 7), entOv("w", 7, 8), entOv("u", 8, 9), entOv("x", 8, 10)} {
			out, err := admitIn(s, tx, e, 10)
			if err != nil {
				return err
			}
			outs = append(outs, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		dup   bool
		count int
	}{{false, 2}, {false, 1}, {false, 1}, {true, 2}, {true, 2}} {
		if a := outs[i]; !a.Admitted || a.Duplicate != want.dup || a.Count != want.count {
			t.Fatalf("admission %d of the transaction: %+v, want count %d (duplicate %v)", i, a, want.count, want.dup)
		}
	}
	check := func(s *Entries, when string) {
		t.Helper()
		entWant(t, s, 1, "x", "u")
		entWant(t, s, 8)
		for _, id := range []string{"x", "y", "z", "u", "v", "w"} {
			a, err := s.Admit(ctx, entOv(id, 9, 20), 10)
			if err != nil || !a.Duplicate {
				t.Fatalf("%s: admitting %s again: %+v %v", when, id, a, err)
			}
		}
		entWant(t, s, 9)
		cs, err := s.Changes(ctx, 0, 100)
		if err != nil || len(cs) != 6 {
			t.Fatalf("%s: %d changes (%v), want 6", when, len(cs), err)
		}
	}
	check(s, "after the checkpoints")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, db = entOpenK(t, path, 3)
	defer db.Close()
	check(s, "after a reopen")
}

// TestEntriesFormat1 writes an entry store of format 1 with bbolt directly
// (every entry in the id and count buckets, no watermark) and checks that it
// is converted on open: the watermark is the log's end, the overlay empty,
// and every operation sees the entries. A format it does not know is refused.
func TestEntriesFormat1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "entries.db")
	raw, err := bbolt.Open(path, FileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := []checkin.Entry{entOv("a1", 1, 0), entOv("b1", 2, 1), entOv("a2", 1, 2)}
	stored[2].Count = 2
	err = raw.Update(func(tx *bbolt.Tx) error {
		root, err := tx.CreateBucket([]byte(entryBucket))
		if err != nil {
			return err
		}
		log, err1 := root.CreateBucket(bEntLog)
		id, err2 := root.CreateBucket(bEntID)
		count, err3 := root.CreateBucket(bEntCount)
		if err := errors.Join(err1, err2, err3, root.Put([]byte("format"), []byte("1"))); err != nil {
			return err
		}
		counts := map[string][]byte{}
		for _, e := range stored {
			seq, err := log.NextSequence()
			if err != nil {
				return err
			}
			enc, err := e.Normalized().MarshalBinary()
			if err != nil {
				return err
			}
			code := e.Ticket.String()
			v := counts[code]
			if v == nil {
				v = make([]byte, 4)
			}
			v = binary.BigEndian.AppendUint64(v, seq)
			binary.BigEndian.PutUint32(v, uint32(len(v)/8))
			counts[code] = v
			if err := errors.Join(log.Put(seqKey(seq), enc), id.Put([]byte(e.ID), seqKey(seq)), count.Put([]byte(code), v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(err, raw.Close()); err != nil {
		t.Fatal(err)
	}

	s, db := entOpenK(t, path, 4)
	if w, n := entState(t, s); w != 3 || n != 0 {
		t.Fatalf("converted: watermark %d, overlay %d; want 3 and 0", w, n)
	}
	err = db.view(func(tx *bbolt.Tx) error {
		if f := bucket(tx, entryBucket).Get([]byte("format")); string(f) != entryFormat {
			return fmt.Errorf("format %q after the conversion", f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	entWant(t, s, 1, "a1", "a2")
	entWant(t, s, 2, "b1")
	entMustAdmit(t, s, entOv("a2", 3, 9), 2, true)
	entMustAdmit(t, s, entOv("a3", 1, 9), 3, false)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, db = entOpenK(t, path, 4)
	entWant(t, s, 1, "a1", "a2", "a3")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// A format from the future is refused, and the file left as it is.
	raw, err = bbolt.Open(path, FileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error { return bucket(tx, entryBucket).Put([]byte("format"), []byte("9")) })
	if err := errors.Join(err, raw.Close()); err != nil {
		t.Fatal(err)
	}
	if _, db, err := OpenEntries(path, nil); err == nil {
		db.Close()
		t.Fatal("a store of format 9 was opened")
	}
}

// TestEntriesModel runs random admissions, imports, reads and reopens with a
// random small checkpoint size against the memory store, the model: every
// answer must be the same.
func TestEntriesModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		k := rapid.IntRange(1, 9).Draw(rt, "k")
		path := filepath.Join(t.TempDir(), "entries.db")
		s, db := entOpenK(rt, path, k)
		defer func() { db.Close() }()
		model := memory.NewEntries()
		ctx := context.Background()
		tickets, ids := rapid.IntRange(1, 6), rapid.IntRange(0, 30)
		sec := 0
		entry := func(rt *rapid.T) checkin.Entry {
			sec++
			return entOv(fmt.Sprint("i", ids.Draw(rt, "id")), tickets.Draw(rt, "ticket"), sec)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"admit": func(rt *rapid.T) {
				e, max := entry(rt), rapid.IntRange(1, 4).Draw(rt, "max")
				got, err1 := s.Admit(ctx, e, max)
				want, err2 := model.Admit(ctx, e, max)
				if err1 != nil || err2 != nil || got != want {
					rt.Fatalf("Admit(%s, %d) = %+v %v, model %+v %v", e.ID, max, got, err1, want, err2)
				}
			},
			"import": func(rt *rapid.T) {
				n := rapid.IntRange(1, 12).Draw(rt, "n")
				es := make([]checkin.Entry, n)
				for i := range es {
					es[i] = entry(rt)
					es[i].Count = rapid.IntRange(1, 5).Draw(rt, "count")
				}
				got, err1 := s.Import(ctx, es...)
				want, err2 := model.Import(ctx, es...)
				if err1 != nil || err2 != nil || got != want {
					rt.Fatalf("Import = %d %v, model %d %v", got, err1, want, err2)
				}
			},
			"read": func(rt *rapid.T) {
				code := entCrashTicket(tickets.Draw(rt, "ticket"))
				n1, err1 := s.Count(ctx, code)
				n2, err2 := model.Count(ctx, code)
				es1, err3 := s.Entries(ctx, code)
				es2, err4 := model.Entries(ctx, code)
				if err := errors.Join(err1, err2, err3, err4); err != nil || n1 != n2 || len(es1) != len(es2) {
					rt.Fatalf("%s: count %d, %d entries; model %d, %d entries (%v)", code, n1, len(es1), n2, len(es2), err)
				}
				for i := range es1 {
					if es1[i] != es2[i] {
						rt.Fatalf("%s: entry %d = %+v, model %+v", code, i, es1[i], es2[i])
					}
				}
			},
			"reopen": func(rt *rapid.T) {
				if err := db.Close(); err != nil {
					rt.Fatal(err)
				}
				s, db = entOpenK(rt, path, rapid.IntRange(1, 9).Draw(rt, "k"))
			},
			"": func(rt *rapid.T) { // the invariant: fewer than K entries above the watermark
				s.mu.RLock()
				n := len(s.ovID)
				s.mu.RUnlock()
				if n >= s.k {
					rt.Fatalf("the overlay holds %d entries, K is %d", n, s.k)
				}
			},
		})
	})
}
