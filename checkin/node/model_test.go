package node_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
)

// TestLANModel is a state-machine test of entry counting with an online
// server and LAN nodes that are cut off, admit, retry and sync, checked after
// every step against a model: for each node, the set of entries it knows. A
// node admits a ticket exactly when the entries it knows of that ticket are
// fewer than the maximum; a retry is the same admission; a sync while cut
// changes nothing; a sync pulls every entry of the online server and pushes
// the node's own; every node's counts are the sizes of its sets; a ticket
// over its maximum is flagged, and its resolution is Resolve of the set. At
// the end, with the network back and two rounds of sync, every node knows every
// entry and resolves every conflict alike.
func TestLANModel(t *testing.T) {
	f := fx(t)
	rapid.Check(t, func(rt *rapid.T) {
		max := rapid.IntRange(1, 2).Draw(rt, "max")
		lanCount := rapid.IntRange(1, 3).Draw(rt, "lans")
		tickets := rapid.IntRange(1, 4).Draw(rt, "tickets")
		m := newLANModel(rt, f, max, lanCount, tickets)
		rt.Repeat(map[string]func(*rapid.T){
			"admit": m.admit,
			"retry": m.retry,
			"cut":   m.cut,
			"heal":  m.heal,
			"sync":  m.sync,
			"":      m.check,
		})
		m.settle()
	})
}

type modelEntry struct {
	ticket int
	origin int // node index
	ticks  int
}

type lanModel struct {
	rt      *rapid.T
	ctx     context.Context
	max     int
	tickets int
	nodes   []*node.Node // 0: online
	links   []*link      // per node; links[0] unused
	known   []map[string]bool
	entries map[string]modelEntry
	clock   int
}

func newLANModel(rt *rapid.T, f *gatesim.Fixture, max, lans, tickets int) *lanModel {
	r := checkin.Rules{MaxEntries: max}
	m := &lanModel{rt: rt, ctx: context.Background(), max: max, tickets: tickets, entries: map[string]modelEntry{}}
	on := online(rt, f, r, nil)
	m.nodes = append(m.nodes, on)
	m.links = append(m.links, nil)
	m.known = append(m.known, map[string]bool{})
	for i := range lans {
		n := lan(rt, f, fmt.Sprintf("lan-%d", i+1), r, nil)
		l := &link{up: on}
		if _, err := n.Sync(m.ctx, l); err != nil { // the replica of passes
			rt.Fatal(err)
		}
		m.nodes = append(m.nodes, n)
		m.links = append(m.links, l)
		m.known = append(m.known, map[string]bool{})
	}
	return m
}

func (m *lanModel) countKnown(n, ticket int) int {
	c := 0
	for id := range m.known[n] {
		if m.entries[id].ticket == ticket {
			c++
		}
	}
	return c
}

func (m *lanModel) admit(rt *rapid.T) {
	n := rapid.IntRange(0, len(m.nodes)-1).Draw(rt, "node")
	i := rapid.IntRange(0, m.tickets-1).Draw(rt, "ticket")
	m.clock++
	id := fmt.Sprintf("s%d", m.clock)
	want := m.countKnown(n, i) < m.max
	d, err := m.nodes[n].Scan(m.ctx, scan(fx(rt), id, i, fmt.Sprintf("g%d", n), m.clock))
	if err != nil {
		rt.Fatal(err)
	}
	if d.Accepted != want {
		rt.Fatalf("node %d, ticket %d: accepted %v, the model says %v (%v)", n, i, d.Accepted, want, d)
	}
	if d.Accepted {
		m.entries[id] = modelEntry{ticket: i, origin: n, ticks: m.clock}
		m.known[n][id] = true
	}
}

func (m *lanModel) retry(rt *rapid.T) {
	var ids []string
	for id := range m.entries {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		rt.Skip("nothing admitted yet")
	}
	slices.Sort(ids)
	id := rapid.SampledFrom(ids).Draw(rt, "id")
	e := m.entries[id]
	d, err := m.nodes[e.origin].Scan(m.ctx, scan(fx(rt), id, e.ticket, fmt.Sprintf("g%d", e.origin), e.ticks))
	if err != nil {
		rt.Fatal(err)
	}
	if !d.Accepted || !d.Duplicate || d.Entry.ID != id {
		rt.Fatalf("retry of %s at node %d: %v", id, e.origin, d)
	}
}

func (m *lanModel) cut(rt *rapid.T) {
	if len(m.nodes) < 2 {
		rt.Skip("no LAN node")
	}
	m.links[rapid.IntRange(1, len(m.nodes)-1).Draw(rt, "lan")].cut.Store(true)
}

func (m *lanModel) heal(rt *rapid.T) {
	if len(m.nodes) < 2 {
		rt.Skip("no LAN node")
	}
	m.links[rapid.IntRange(1, len(m.nodes)-1).Draw(rt, "lan")].cut.Store(false)
}

func (m *lanModel) sync(rt *rapid.T) {
	if len(m.nodes) < 2 {
		rt.Skip("no LAN node")
	}
	m.syncNode(rt, rapid.IntRange(1, len(m.nodes)-1).Draw(rt, "lan"))
}

func (m *lanModel) syncNode(rt *rapid.T, n int) {
	_, err := m.nodes[n].Sync(m.ctx, m.links[n])
	if m.links[n].cut.Load() {
		if err == nil {
			rt.Fatalf("sync of node %d succeeded while cut", n)
		}
		return
	}
	if err != nil {
		rt.Fatal(err)
	}
	for id := range m.known[0] {
		m.known[n][id] = true
	}
	for id := range m.known[n] {
		if m.entries[id].origin == n {
			m.known[0][id] = true
		}
	}
}

func (m *lanModel) check(rt *rapid.T) {
	f := fx(rt)
	for n, nd := range m.nodes {
		conflicts := map[int]checkin.Conflict{}
		for _, c := range nd.Conflicts() {
			for i := range m.tickets {
				if f.Tickets[i].Code == c.Ticket {
					conflicts[i] = c
				}
			}
		}
		for i := range m.tickets {
			want := m.countKnown(n, i)
			got, err := nd.Store().Count(m.ctx, f.Tickets[i].Code)
			if err != nil {
				rt.Fatal(err)
			}
			if got != want {
				rt.Fatalf("node %d, ticket %d: count %d, the model says %d", n, i, got, want)
			}
			c, flagged := conflicts[i]
			if flagged != (want > m.max) {
				rt.Fatalf("node %d, ticket %d: %d entries of at most %d, flagged %v", n, i, want, m.max, flagged)
			}
			if flagged {
				var ids []string
				for _, e := range append(slices.Clone(c.Kept), c.Over...) {
					ids = append(ids, e.ID)
				}
				var wantIDs []string
				for id := range m.known[n] {
					if m.entries[id].ticket == i {
						wantIDs = append(wantIDs, id)
					}
				}
				slices.Sort(ids)
				slices.Sort(wantIDs)
				if !slices.Equal(ids, wantIDs) || len(c.Kept) != m.max {
					rt.Fatalf("node %d, ticket %d: conflict %v, want the entries %v", n, i, ids, wantIDs)
				}
			}
		}
	}
}

// settle heals every link, syncs every LAN node twice round, and checks that
// every node knows every entry and resolves each conflict alike.
func (m *lanModel) settle() {
	for _, l := range m.links[1:] {
		l.cut.Store(false)
	}
	for range 2 {
		for n := 1; n < len(m.nodes); n++ {
			m.syncNode(m.rt, n)
		}
	}
	m.check(m.rt)
	for n := range m.nodes {
		if len(m.known[n]) != len(m.entries) {
			m.rt.Fatalf("node %d knows %d of %d entries after settling", n, len(m.known[n]), len(m.entries))
		}
	}
	want := fmt.Sprint(resolutions(m.nodes[0].Conflicts()))
	for _, nd := range m.nodes[1:] {
		if got := fmt.Sprint(resolutions(nd.Conflicts())); got != want {
			m.rt.Fatalf("%s resolves %s, online resolves %s", nd.Name(), got, want)
		}
	}
}

func resolutions(cs []checkin.Conflict) []string {
	var out []string
	for _, c := range cs {
		s := c.Ticket.String() + ":"
		for _, e := range c.Kept {
			s += " kept " + e.ID
		}
		for _, e := range c.Over {
			s += " over " + e.ID
		}
		out = append(out, s)
	}
	return out
}
