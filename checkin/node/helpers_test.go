package node_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

// tb is what the helpers need of a *testing.T, *testing.B or *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

var (
	fixtureOnce sync.Once
	fixture     *gatesim.Fixture
	fixtureErr  error
)

// fx returns the tests' fixture: 40 tickets, 2 refunded, 1 void, 2 of another
// session.
func fx(t tb) *gatesim.Fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		fixture, fixtureErr = gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 40, Refunded: 2, Void: 1, Other: 2, Seed: 1})
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

// online returns an online node on a memory store with the fixture's book.
func online(t tb, f *gatesim.Fixture, r checkin.Rules, onConflict func(checkin.Conflict)) *node.Node {
	t.Helper()
	book, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	return newNode(t, f, "online", checkin.NetOnline, book, memory.NewEntries(), r, onConflict)
}

// lan returns a LAN node on a memory store with an empty book.
func lan(t tb, f *gatesim.Fixture, name string, r checkin.Rules, onConflict func(checkin.Conflict)) *node.Node {
	t.Helper()
	return newNode(t, f, name, checkin.NetLAN, nil, memory.NewEntries(), r, onConflict)
}

func newNode(t tb, f *gatesim.Fixture, name string, mode checkin.Network, book *checkin.Book, st checkin.Store, r checkin.Rules, onConflict func(checkin.Conflict)) *node.Node {
	t.Helper()
	p, err := f.Policy(r)
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(node.Config{Name: name, Mode: mode, Policy: p, Verifier: f.Verifier, Store: st, Book: book, OnConflict: onConflict})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// scan scans ticket i of the fixture at gate g, at the doors plus sec seconds.
func scan(f *gatesim.Fixture, id string, i int, g string, sec int) checkin.Scan {
	return checkin.Scan{ID: id, Method: checkin.QR, Credential: f.Credentials[i], Gate: g, Device: g + "-01",
		At: f.Doors().Add(time.Duration(sec) * time.Second)}
}

func mustScan(t tb, g node.Gate, s checkin.Scan) checkin.Decision {
	t.Helper()
	d, err := g.Scan(context.Background(), s)
	if err != nil {
		t.Fatalf("Scan %s: %v", s.ID, err)
	}
	return d
}

func mustSync(t tb, n *node.Node, up node.Upstream) node.SyncReport {
	t.Helper()
	r, err := n.Sync(context.Background(), up)
	if err != nil {
		t.Fatalf("Sync %s: %v", n.Name(), err)
	}
	return r
}

func count(t tb, n *node.Node, i int) int {
	t.Helper()
	c, err := n.Store().Count(context.Background(), fx(t).Tickets[i].Code)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// link is an Upstream that can be cut, as a network is.
type link struct {
	up  node.Upstream
	cut atomic.Bool
}

var errCut = errors.New("link cut")

func (l *link) Passes(ctx context.Context, after uint64, limit int) (node.PassPage, error) {
	if l.cut.Load() {
		return node.PassPage{}, errCut
	}
	return l.up.Passes(ctx, after, limit)
}

func (l *link) Entries(ctx context.Context, after uint64, limit int) (node.EntryPage, error) {
	if l.cut.Load() {
		return node.EntryPage{}, errCut
	}
	return l.up.Entries(ctx, after, limit)
}

func (l *link) Push(ctx context.Context, es []checkin.Entry) (int, error) {
	if l.cut.Load() {
		return 0, errCut
	}
	return l.up.Push(ctx, es)
}

func id(parts ...any) string { return fmt.Sprint(parts...) }
