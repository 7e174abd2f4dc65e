// Package replicatest checks that a [node.ReplicaStore] keeps its contract:
// a session's passes and cursors saved together, all or nothing, kept across
// a reopen, sessions apart, and bad input refused with every violation and
// no change. Run it from an implementation's tests:
//
//	func TestReplica(t *testing.T) {
//		replicatest.TestReplicaStore(t, func(t *testing.T) (node.ReplicaStore, func() node.ReplicaStore) { … })
//	}
package replicatest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

// TestReplicaStore runs the contract against the store open returns, empty.
// reopen closes that store (and any a previous reopen returned) and opens the
// same data again, as after a restart; the old store is not used after it.
func TestReplicaStore(t *testing.T, open func(t *testing.T) (node.ReplicaStore, func() node.ReplicaStore)) {
	ctx := context.Background()
	f, err := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 30, Refunded: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	book, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := book.Changes(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	passes := make([]checkin.Pass, len(cs))
	for i, c := range cs {
		passes[i] = c.Pass
	}
	sess := book.Session()
	st, reopen := open(t)

	// Nothing saved: no passes, zero cursors.
	want := map[codes.TicketCode]checkin.Pass{}
	wantC := node.Cursors{}
	check := func(when string) {
		t.Helper()
		ps, c, err := st.Load(ctx, sess)
		if err != nil {
			t.Fatalf("%s: Load: %v", when, err)
		}
		if c != wantC {
			t.Fatalf("%s: cursors %+v, want %+v", when, c, wantC)
		}
		if len(ps) != len(want) {
			t.Fatalf("%s: %d passes, want %d", when, len(ps), len(want))
		}
		for _, p := range ps {
			w, ok := want[p.Ticket]
			if !ok || !samePass(p, w) {
				t.Fatalf("%s: pass %s is %+v, want %+v (saved: %v)", when, p.Ticket, p, w, ok)
			}
		}
	}
	save := func(ps []checkin.Pass, c node.Cursors) {
		t.Helper()
		if err := st.Save(ctx, sess, ps, c); err != nil {
			t.Fatalf("Save: %v", err)
		}
		for _, p := range ps {
			want[p.Ticket] = p
		}
		wantC = c
	}
	check("empty")

	// A page and its cursors, kept across a reopen.
	save(passes[:10], node.Cursors{Passes: 10})
	check("first page")
	st = reopen()
	check("first page, reopened")

	// Cursors alone; then a page that changes a pass and adds others.
	save(nil, node.Cursors{Passes: 10, Down: 7, Up: 3, Epoch: 1<<63 + 5})
	check("cursors alone")
	refunded := passes[0]
	refunded.Status = ticket.Refunded
	save(append([]checkin.Pass{refunded}, passes[10:]...), node.Cursors{Passes: 40, Down: 7, Up: 3, Epoch: 1<<63 + 5})
	check("second page")
	st = reopen()
	check("second page, reopened")

	// Bad input: every violation, nothing changed.
	other, err := codes.SequenceTicketCode(f.Other.Code, 99)
	if err != nil {
		t.Fatal(err)
	}
	foreign := passes[1]
	foreign.Ticket = other
	broken := passes[2]
	broken.Ticket = codes.TicketCode{}
	newer := passes[3]
	newer.Version++
	bad := []struct {
		name    string
		session codes.SessionCode
		ps      []checkin.Pass
		rule    error
		field   string
	}{
		{"pass of another session", sess, []checkin.Pass{newer, foreign}, checkin.ErrSession, "passes[1].ticket"},
		{"invalid pass", sess, []checkin.Pass{broken, newer}, checkin.ErrPass, "passes[0]"},
		{"no session", codes.SessionCode{}, []checkin.Pass{newer}, node.ErrReplica, "session"},
	}
	for _, b := range bad {
		err := st.Save(ctx, b.session, b.ps, node.Cursors{Passes: 99, Down: 99, Up: 99})
		if !errors.Is(err, b.rule) || !strings.Contains(err.Error(), b.field) || !strings.Contains(err.Error(), " / ") {
			t.Fatalf("%s: Save gave %v, want %v at %s, in Chinese and English", b.name, err, b.rule, b.field)
		}
		check(b.name)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := st.Save(cancelled, sess, []checkin.Pass{newer}, node.Cursors{Passes: 99}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Save with a cancelled context: %v", err)
	}
	check("cancelled")
	if _, _, err := st.Load(ctx, codes.SessionCode{}); !errors.Is(err, node.ErrReplica) {
		t.Fatalf("Load without a session: %v", err)
	}

	// Sessions are kept apart.
	if err := st.Save(ctx, f.Other.Code, []checkin.Pass{foreign}, node.Cursors{Passes: 1}); err != nil {
		t.Fatal(err)
	}
	ps, c, err := st.Load(ctx, f.Other.Code)
	if err != nil || len(ps) != 1 || !samePass(ps[0], foreign) || c != (node.Cursors{Passes: 1}) {
		t.Fatalf("the other session's replica: %v %+v %v", ps, c, err)
	}
	check("beside another session")

	// Concurrent saves all land; the cursors are those of one of them.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := passes[5+w]
			p.Version += 2
			errs[w] = st.Save(ctx, sess, []checkin.Pass{p}, node.Cursors{Passes: 50 + uint64(w)})
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Save %d: %v", w, err)
		}
		p := passes[5+w]
		p.Version += 2
		want[p.Ticket] = p
	}
	_, c, err = st.Load(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	if c.Passes < 50 || c.Passes > 53 {
		t.Fatalf("cursors after concurrent saves: %+v", c)
	}
	wantC = c
	check("concurrent saves")
	st = reopen()
	check("concurrent saves, reopened")
}

// samePass compares passes by their encoding (an instant's location is not
// part of a pass).
func samePass(a, b checkin.Pass) bool {
	x, err1 := a.MarshalBinary()
	y, err2 := b.MarshalBinary()
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
