package node_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/node"
)

// TestModeSwitch: entries made online are known to a LAN node after it syncs,
// entries made at the LAN node reach the online server, and switching back
// and forth neither loses nor double-counts an entry (6.3.6.1: 支持两种模式的切换).
func TestModeSwitch(t *testing.T) {
	f := fx(t)
	on := online(t, f, checkin.Rules{}, nil)
	ln := lan(t, f, "lan-east", checkin.Rules{}, nil)
	// Online mode: tickets 0–4 enter.
	for i := range 5 {
		if d := mustScan(t, on, scan(f, id("on-", i), i, "东1", i)); !d.Accepted {
			t.Fatalf("online entry %d: %v", i, d)
		}
	}
	// Switch to LAN mode: the node syncs first.
	r := mustSync(t, ln, on)
	if r.Passes != len(f.Tickets)+len(f.Refunded)+len(f.Void) || r.Down != 5 || r.Up != 0 {
		t.Fatalf("first sync %+v", r)
	}
	for i := range 10 {
		d := mustScan(t, ln, scan(f, id("lan-", i), i, "东2", 60+i))
		if d.Accepted != (i >= 5) {
			t.Fatalf("LAN scan of ticket %d: %v", i, d)
		}
		if i < 5 && !errors.Is(d.Err(), checkin.ErrMaxEntries) {
			t.Fatalf("LAN scan of ticket %d: %v", i, d.Err())
		}
	}
	// A refunded ticket is refused at the LAN node too.
	ref := checkin.Scan{ID: "ref", Method: checkin.QR, Credential: f.RefundedCredentials[0], Gate: "东2", Device: "东2-01", At: f.Doors()}
	if d := mustScan(t, ln, ref); !errors.Is(d.Err(), checkin.ErrRefunded) {
		t.Fatalf("refunded at the LAN node: %v", d)
	}
	// Switch back: the LAN node's entries go up.
	if r := mustSync(t, ln, on); r.Up != 5 || r.Down != 0 {
		t.Fatalf("second sync %+v", r)
	}
	for i := range 10 {
		if d := mustScan(t, on, scan(f, id("on2-", i), i, "东1", 120+i)); d.Accepted || count(t, on, i) != 1 {
			t.Fatalf("online again, ticket %d: %v, count %d", i, d, count(t, on, i))
		}
	}
	// Syncing again moves nothing; the counts are the same on both sides.
	if r := mustSync(t, ln, on); r.Up != 0 || r.Down != 0 || r.Passes != 0 {
		t.Fatalf("idle sync %+v", r)
	}
	for i := range 12 {
		want := 0
		if i < 10 {
			want = 1
		}
		if count(t, on, i) != want || count(t, ln, i) != want {
			t.Fatalf("ticket %d: online %d, LAN %d, want %d", i, count(t, on, i), count(t, ln, i), want)
		}
	}
	if len(on.Conflicts()) != 0 || len(ln.Conflicts()) != 0 {
		t.Fatalf("conflicts %v %v", on.Conflicts(), ln.Conflicts())
	}
}

// TestPartition: two LAN nodes cut off from each other and from the online
// server both admit the same ticket. On sync both entries are counted, the
// conflict is flagged at every node, and resolved the same way everywhere,
// whichever node syncs first.
func TestPartition(t *testing.T) {
	f := fx(t)
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		var flagged []checkin.Conflict
		flag := func(c checkin.Conflict) { flagged = append(flagged, c) }
		on := online(t, f, checkin.Rules{}, flag)
		lans := []*node.Node{lan(t, f, "lan-east", checkin.Rules{}, flag), lan(t, f, "lan-west", checkin.Rules{}, flag)}
		links := []*link{{up: on}, {up: on}}
		for i, l := range lans {
			mustSync(t, l, links[i])
			links[i].cut.Store(true)
		}
		// Cut off, both admit ticket 7 (east a little later), and each admits one of its own.
		if d := mustScan(t, lans[0], scan(f, "east-7", 7, "东1", 30)); !d.Accepted {
			t.Fatal(d)
		}
		if d := mustScan(t, lans[1], scan(f, "west-7", 7, "西1", 20)); !d.Accepted {
			t.Fatal(d)
		}
		mustScan(t, lans[0], scan(f, "east-8", 8, "东1", 31))
		mustScan(t, lans[1], scan(f, "west-9", 9, "西1", 21))
		if _, err := lans[0].Sync(context.Background(), links[0]); !errors.Is(err, errCut) {
			t.Fatalf("sync while cut: %v", err)
		}
		// The network comes back; they sync in the given order, then again.
		for _, l := range links {
			l.cut.Store(false)
		}
		for range 2 {
			for _, i := range order {
				mustSync(t, lans[i], links[i])
			}
		}
		for _, n := range append([]*node.Node{on}, lans...) {
			if c := count(t, n, 7); c != 2 {
				t.Fatalf("order %v, %s: ticket 7 counts %d, want 2", order, n.Name(), c)
			}
			if count(t, n, 8) != 1 || count(t, n, 9) != 1 {
				t.Fatalf("order %v, %s: tickets 8 and 9 count %d and %d", order, n.Name(), count(t, n, 8), count(t, n, 9))
			}
			cs := n.Conflicts()
			if len(cs) != 1 || cs[0].Ticket != f.Tickets[7].Code || len(cs[0].Kept) != 1 || len(cs[0].Over) != 1 {
				t.Fatalf("order %v, %s: conflicts %+v", order, n.Name(), cs)
			}
			// West admitted first: it is the admission the maximum allowed, everywhere.
			if cs[0].Kept[0].ID != "west-7" || cs[0].Over[0].ID != "east-7" {
				t.Fatalf("order %v, %s: kept %s, over %s", order, n.Name(), cs[0].Kept[0].ID, cs[0].Over[0].ID)
			}
			// And the ticket stays shut.
			if d := mustScan(t, n, scan(f, "again-"+n.Name(), 7, "北1", 90)); d.Accepted {
				t.Fatalf("%s admitted ticket 7 a third time", n.Name())
			}
		}
		if len(flagged) != 3 {
			t.Fatalf("order %v: %d conflicts flagged, want one per node", order, len(flagged))
		}
		if zh := flagged[0].Zh(); zh == "" || flagged[0].En() == "" {
			t.Fatal("conflict without a message")
		}
	}
}

// TestHTTP: devices scan a LAN node over HTTP and the LAN node syncs with the
// online server over HTTP on loopback; answers are the in-process ones.
func TestHTTP(t *testing.T) {
	f := fx(t)
	on := online(t, f, checkin.Rules{}, nil)
	ln := lan(t, f, "lan-east", checkin.Rules{}, nil)
	onSrv := httptest.NewServer(node.Handler(on))
	defer onSrv.Close()
	lanSrv := httptest.NewServer(node.Handler(ln))
	defer lanSrv.Close()
	up, err := node.NewClient(onSrv.URL, onSrv.Client())
	if err != nil {
		t.Fatal(err)
	}
	gate, err := node.NewClient(lanSrv.URL, lanSrv.Client())
	if err != nil {
		t.Fatal(err)
	}
	mustScan(t, on, scan(f, "on-1", 1, "东1", 0))
	if r := mustSync(t, ln, up); r.Passes != 43 || r.Down != 1 {
		t.Fatalf("sync over HTTP: %+v", r)
	}
	d := mustScan(t, gate, scan(f, "lan-2", 2, "东2", 5))
	if !d.Accepted || d.Entry.Count != 1 || d.Entry.Node != "lan-east" || !d.Entry.At.Equal(f.Doors().Add(5e9)) {
		t.Fatalf("accepted over HTTP: %+v", d)
	}
	d = mustScan(t, gate, scan(f, "lan-1", 1, "东2", 6))
	if d.Accepted || !errors.Is(d.Err(), checkin.ErrMaxEntries) || d.Zh() != checkin.ErrMaxEntries.Zh() {
		t.Fatalf("refused over HTTP: %v", d)
	}
	d = mustScan(t, gate, checkin.Scan{ID: "forged", Method: checkin.QR, Credential: "WT1.AAAA", Gate: "东2", Device: "d", At: f.Doors()})
	if d.Accepted || d.Code() != checkin.ErrUnreadable.Code() {
		t.Fatalf("unreadable over HTTP: %v", d)
	}
	d = mustScan(t, gate, checkin.Scan{ID: "id-3", Method: checkin.IDCard, Holder: f.Holders[3], Gate: "东2", Device: "d", At: f.Doors()})
	if !d.Accepted || d.Entry.Ticket != f.Tickets[3].Code || d.Entry.Method != checkin.IDCard {
		t.Fatalf("ID card over HTTP: %v", d)
	}
	if _, err := gate.Scan(context.Background(), checkin.Scan{ID: "bad id!", Method: checkin.QR}); err != nil {
		t.Fatalf("a bad scan is a refusal, not an error: %v", err)
	}
	if err := gate.Heartbeat(context.Background(), checkin.Heartbeat{Device: "d", Gate: "东2", At: f.Doors(), Network: checkin.NetLAN, Battery: 50}); err != nil {
		t.Fatal(err)
	}
	if err := gate.Heartbeat(context.Background(), checkin.Heartbeat{Device: "d", Gate: "东2", At: f.Doors(), Network: checkin.NetLAN, Battery: 500}); !errors.Is(err, checkin.ErrMonitor) {
		t.Fatalf("bad heartbeat over HTTP: %v", err)
	}
	if r := mustSync(t, ln, up); r.Up != 2 {
		t.Fatalf("push over HTTP: %+v", r)
	}
	if count(t, on, 2) != 1 || count(t, on, 3) != 1 {
		t.Fatal("the LAN node's entries did not reach the online server")
	}
	if _, err := node.NewClient("ftp://x", nil); !errors.Is(err, node.ErrNode) {
		t.Fatalf("NewClient(ftp): %v", err)
	}
}
