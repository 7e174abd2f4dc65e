package node_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/checkin/node/replicatest"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
)

func TestMemoryReplica(t *testing.T) {
	replicatest.TestReplicaStore(t, func(t *testing.T) (node.ReplicaStore, func() node.ReplicaStore) {
		m := node.NewMemoryReplica()
		return m, func() node.ReplicaStore { return m }
	})
}

// TestLANRestart: a LAN node on a bolt file syncs, admits, and is stopped (a
// power cut); reopened on the same file with the online side out of reach,
// it decides from its saved replica and durable entries; when the network is
// back it pulls only the changes after its saved cursors and pushes its
// entries without counting any twice.
func TestLANRestart(t *testing.T) {
	ctx := context.Background()
	f := fx(t)
	full, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	all, err := full.Changes(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	// The online book lacks ticket 39 at first: it is issued later.
	late := f.Tickets[39].Code
	book := checkin.NewBook(full.Session())
	for _, c := range all {
		if c.Pass.Ticket != late {
			if _, err := book.Put(c.Pass); err != nil {
				t.Fatal(err)
			}
		}
	}
	on := newNode(t, f, "online", checkin.NetOnline, book, memory.NewEntries(), checkin.Rules{}, nil)
	l := &link{up: on}
	path := filepath.Join(t.TempDir(), "lan-east.db")
	open := func() (*node.Node, *bolt.DB) {
		t.Helper()
		db, err := bolt.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		es, err := db.Entries()
		if err != nil {
			t.Fatal(err)
		}
		rp, err := db.Replica()
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.Policy(checkin.Rules{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p, Verifier: f.Verifier, Store: es, Replica: rp})
		if err != nil {
			t.Fatal(err)
		}
		return n, db
	}

	mustScan(t, on, scan(f, "on-0", 0, "东1", 0))
	ln, db := open()
	r := mustSync(t, ln, l)
	if r.Passes != len(all)-1 || r.Down != 1 {
		t.Fatalf("first sync %+v", r)
	}
	saved := r.Cursors
	if d := mustScan(t, ln, scan(f, "lan-1", 1, "东2", 10)); !d.Accepted {
		t.Fatal(d)
	}
	// The power goes; the network to the online side is down when it comes back.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	l.cut.Store(true)
	ln, db = open()
	defer func() { db.Close() }()
	if ln.Cursors() != saved || ln.Book().Len() != len(all)-1 {
		t.Fatalf("reopened with cursors %+v and %d passes, want %+v and %d", ln.Cursors(), ln.Book().Len(), saved, len(all)-1)
	}
	if _, err := ln.Sync(ctx, l); !errors.Is(err, errCut) {
		t.Fatalf("sync while cut: %v", err)
	}
	for _, c := range []struct {
		s    checkin.Scan
		rule error // nil: accepted
	}{
		{scan(f, "lan-2", 2, "东2", 20), nil},
		{scan(f, "lan-1b", 1, "东2", 21), checkin.ErrMaxEntries}, // entered here before the restart
		{scan(f, "lan-0", 0, "东2", 22), checkin.ErrMaxEntries},  // entered online, pulled down
		{scan(f, "lan-39", 39, "东2", 23), checkin.ErrUnknown},   // not issued yet
		{checkin.Scan{ID: "lan-ref", Method: checkin.QR, Credential: f.RefundedCredentials[0], Gate: "东2", Device: "东2-01", At: f.Doors()}, checkin.ErrRefunded},
	} {
		d := mustScan(t, ln, c.s)
		if d.Accepted != (c.rule == nil) || (c.rule != nil && !errors.Is(d.Err(), c.rule)) {
			t.Fatalf("after restart, scan %s: %v, want %v", c.s.ID, d, c.rule)
		}
	}
	// Online, ticket 39 is issued and ticket 3 refunded; the network comes back.
	if _, err := book.Put(all[slices.IndexFunc(all, func(c checkin.PassChange) bool { return c.Pass.Ticket == late })].Pass); err != nil {
		t.Fatal(err)
	}
	p3, _ := book.Pass(f.Tickets[3].Code)
	p3.Status = ticket.Refunded
	if _, err := book.Put(p3); err != nil {
		t.Fatal(err)
	}
	l.cut.Store(false)
	r = mustSync(t, ln, l)
	if r.Passes != 2 || r.Down != 0 || r.Up != 2 || r.Cursors.Passes != saved.Passes+2 {
		t.Fatalf("sync after restart %+v (saved %+v)", r, saved)
	}
	if d := mustScan(t, ln, scan(f, "lan-39b", 39, "东2", 30)); !d.Accepted {
		t.Fatalf("ticket 39 after sync: %v", d)
	}
	if d := mustScan(t, ln, scan(f, "lan-3", 3, "东2", 31)); !errors.Is(d.Err(), checkin.ErrRefunded) {
		t.Fatalf("ticket 3 after sync: %v", d)
	}
	for i, want := range map[int]int{0: 1, 1: 1, 2: 1, 3: 0} {
		if count(t, on, i) != want || count(t, ln, i) != want {
			t.Fatalf("ticket %d: online %d, LAN %d, want %d", i, count(t, on, i), count(t, ln, i), want)
		}
	}
}

// TestReplicaSaveFails: a page whose save fails stops Sync with the cursors
// where they were, in memory and in the store; the next Sync saves it.
func TestReplicaSaveFails(t *testing.T) {
	f := fx(t)
	on := online(t, f, checkin.Rules{}, nil)
	rs := &failing{ReplicaStore: node.NewMemoryReplica()}
	p, err := f.Policy(checkin.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries(), Replica: rs})
	if err != nil {
		t.Fatal(err)
	}
	rs.fail.Store(true)
	if _, err := ln.Sync(context.Background(), on); !errors.Is(err, errSave) {
		t.Fatalf("Sync with a failing store: %v", err)
	}
	if ln.Cursors() != (node.Cursors{}) {
		t.Fatalf("cursors advanced past an unsaved page: %+v", ln.Cursors())
	}
	if ps, c, _ := rs.Load(context.Background(), p.Session()); len(ps) != 0 || c != (node.Cursors{}) {
		t.Fatalf("store after a failed save: %d passes, %+v", len(ps), c)
	}
	rs.fail.Store(false)
	r := mustSync(t, ln, on)
	ps, c, err := rs.Load(context.Background(), p.Session())
	if err != nil || len(ps) != ln.Book().Len() || c != r.Cursors || c.Passes == 0 {
		t.Fatalf("store after sync: %d passes (book %d), %+v (report %+v), %v", len(ps), ln.Book().Len(), c, r.Cursors, err)
	}
	// A node reopened on the store starts where it left off; an online node takes none.
	again, err := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries(), Replica: rs})
	if err != nil || again.Cursors() != c || again.Book().Len() != len(ps) {
		t.Fatalf("reopened: %v", err)
	}
	if _, err := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries(), Replica: rs}); !errors.Is(err, node.ErrNode) || !strings.Contains(err.Error(), "replica") {
		t.Fatalf("online node with a replica: %v", err)
	}
}

var errSave = errors.New("save failed")

type failing struct {
	node.ReplicaStore
	fail atomic.Bool
}

func (f *failing) Save(ctx context.Context, s codes.SessionCode, ps []checkin.Pass, c node.Cursors) error {
	if f.fail.Load() {
		return errSave
	}
	return f.ReplicaStore.Save(ctx, s, ps, c)
}

// TestUpstreamRestart: the online side restarts and fills a new book, which
// numbers its changes afresh and ends below the LAN node's cursor. A refund
// made while they were apart is in the new book only under a low number; the
// LAN node sees the new epoch, reads every pass again, and refuses the
// refunded ticket. Over a direct link and over HTTP; an upstream that gives no
// epoch is read as before.
func TestUpstreamRestart(t *testing.T) {
	for _, via := range []string{"direct", "http"} {
		t.Run(via, func(t *testing.T) {
			f := fx(t)
			first, err := f.Book()
			if err != nil {
				t.Fatal(err)
			}
			all, err := first.Changes(0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			// Re-issues online move the first book's numbering past its size.
			for i := range 5 {
				p, _ := first.Pass(f.Tickets[10+i].Code)
				p.Version++
				if _, err := first.Put(p); err != nil {
					t.Fatal(err)
				}
			}
			connect := func(n *node.Node) node.Upstream {
				if via == "direct" {
					return n
				}
				srv := httptest.NewServer(node.Handler(n))
				t.Cleanup(srv.Close)
				c, err := node.NewClient(srv.URL, srv.Client())
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			on := newNode(t, f, "online", checkin.NetOnline, first, memory.NewEntries(), checkin.Rules{}, nil)
			ln := lan(t, f, "lan-east", checkin.Rules{}, nil)
			r := mustSync(t, ln, connect(on))
			if r.Reread || r.Cursors.Passes != uint64(len(all)+5) || r.Cursors.Epoch != first.Epoch() {
				t.Fatalf("first sync %+v, book epoch %d", r, first.Epoch())
			}

			// The online host restarts: ticket 3 was refunded meanwhile, and the
			// new book is filled with every pass as it is now.
			second := checkin.NewBook(first.Session())
			for _, c := range all {
				p, _ := first.Pass(c.Pass.Ticket)
				if p.Ticket == f.Tickets[3].Code {
					p.Status = ticket.Refunded
				}
				if _, err := second.Put(p); err != nil {
					t.Fatal(err)
				}
			}
			if second.Cursor() >= r.Cursors.Passes || second.Epoch() == first.Epoch() {
				t.Fatalf("new book at %d (epoch %d), LAN cursor %d (epoch %d)", second.Cursor(), second.Epoch(), r.Cursors.Passes, first.Epoch())
			}
			on = newNode(t, f, "online", checkin.NetOnline, second, memory.NewEntries(), checkin.Rules{}, nil)
			r = mustSync(t, ln, connect(on))
			if !r.Reread || r.Passes != 1 || r.Cursors.Passes != second.Cursor() || r.Cursors.Epoch != second.Epoch() {
				t.Fatalf("sync after the restart %+v, new book at %d epoch %d", r, second.Cursor(), second.Epoch())
			}
			if d := mustScan(t, ln, scan(f, "lan-3", 3, "东2", 1)); !errors.Is(d.Err(), checkin.ErrRefunded) {
				t.Fatalf("refunded ticket after the restart: %v", d)
			}
			if r = mustSync(t, ln, connect(on)); r.Reread || r.Passes != 0 {
				t.Fatalf("sync after that %+v", r)
			}

			// An upstream without epochs: cursors keep counting as before.
			plain := &noEpoch{on}
			ln = lan(t, f, "lan-west", checkin.Rules{}, nil)
			if r = mustSync(t, ln, plain); r.Reread || r.Cursors.Epoch != 0 || r.Cursors.Passes != second.Cursor() {
				t.Fatalf("sync without epochs %+v", r)
			}
		})
	}
}

// noEpoch is an Upstream that gives no epoch.
type noEpoch struct{ node.Upstream }

func (u *noEpoch) Passes(ctx context.Context, after uint64, limit int) (node.PassPage, error) {
	p, err := u.Upstream.Passes(ctx, after, limit)
	p.Epoch = 0
	return p, err
}

// TestClientBadEpoch: a page whose epoch header is not a number is refused.
func TestClientBadEpoch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Wht93-Book-Epoch", "twelve")
		w.Write([]byte{0})
	}))
	defer srv.Close()
	c, err := node.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Passes(context.Background(), 0, 10); !errors.Is(err, checkin.ErrEncoding) || !strings.Contains(err.Error(), "twelve") {
		t.Fatalf("Passes: %v", err)
	}
}
