package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

// Gate is what a check-in device talks to: a node in the same process, or one
// over HTTP ([Client]). Implementations are safe for concurrent use.
type Gate interface {
	// Scan decides a scan and records an accepted entry durably before it
	// returns. An error means the decision is unknown: retry with the same scan
	// id.
	Scan(ctx context.Context, s checkin.Scan) (checkin.Decision, error)
	// Heartbeat reports the device's state.
	Heartbeat(ctx context.Context, h checkin.Heartbeat) error
}

// Upstream is the online side as a LAN node sees it (6.3.6.1: 本地服务器通过增量的
// 方式和在线服务器进行增量下载和检票数据回传): the changes of the session's passes
// and entries since a cursor, and a way to push entries up. A [Node] is an
// Upstream for the nodes below it; [Client] is one over HTTP.
// Implementations are safe for concurrent use.
type Upstream interface {
	// Passes returns the passes changed after the cursor, at most limit.
	Passes(ctx context.Context, after uint64, limit int) (PassPage, error)
	// Entries returns the session's entries stored after the cursor, from a
	// scan of at most limit of the store's changes.
	Entries(ctx context.Context, after uint64, limit int) (EntryPage, error)
	// Push stores entries admitted below, idempotently, and returns how many
	// were new.
	Push(ctx context.Context, es []checkin.Entry) (int, error)
}

// PassPage is a page of pass changes; Next is the cursor to read on from.
// Epoch is the numbering the cursors and the changes' Seq are in (the
// upstream book's [checkin.Book.Epoch]): a reader whose cursor is of another
// epoch reads again from 0. An upstream that does not number by epoch gives 0.
// A PassPage is a plain value, safe for concurrent reads.
type PassPage struct {
	Changes []checkin.PassChange
	Next    uint64
	Epoch   uint64
}

// EntryPage is a page of entries of one session; Next is the cursor to read on
// from (past entries of other sessions that were skipped). An empty page whose
// Next is its cursor means the reader is up to date. An EntryPage is a plain
// value, safe for concurrent reads.
type EntryPage struct {
	Entries []checkin.Entry
	Next    uint64
}

// Config configures a [Node]. It is a plain value, read once by New.
type Config struct {
	// Name names the node in the entries it records: "online", "lan-east".
	Name string
	// Mode is the node's mode: checkin.NetOnline for the online server,
	// checkin.NetLAN for a local server.
	Mode     checkin.Network
	Policy   checkin.Policy
	Verifier *ticket.Verifier
	Store    checkin.Store
	// Book is the session's passes. An online node's host fills it as tickets
	// are issued, refunded and re-issued; nil gives an empty book, which a LAN
	// node fills from its upstream with Sync.
	Book *checkin.Book
	// Rand gives the ids of scans that come without one; nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Flow and Devices, when set, are told of every admission, scan and
	// heartbeat.
	Flow    *checkin.FlowMonitor
	Devices *checkin.DeviceMonitor
	// Replica, when set, keeps a LAN node's replica of passes and its sync
	// cursors across restarts (see [ReplicaStore]): New loads them, Sync saves
	// each page of pass changes with the cursors as they advance. Only a LAN
	// node takes one.
	Replica ReplicaStore
	// OnConflict, when set, is called with each ticket found entered more times
	// than its maximum after entries admitted elsewhere arrive (two LAN nodes
	// cut off from each other admitted it), and again when more such entries
	// arrive. It runs in the goroutine that stored them.
	OnConflict func(checkin.Conflict)
}

// Node is a check-in server: the online server that devices ask in online
// mode (在线模式), or a LAN node (局域网模式) holding a replica of the session's
// passes, recording entries durably in its own store, and syncing with its
// upstream incrementally by cursor (passes down, entries both ways). The two
// modes switch without losing or double-counting an entry: entries carry ids,
// stores count an id once, and a node that syncs before taking over knows every
// entry made on the other side. Entries made on both sides while they could not
// sync are all counted and resolved the same way everywhere ([checkin.Resolve]),
// and flagged.
//
// A Node is safe for concurrent use: any number of gates scan at once, and
// Sync may run at the same time (one Sync at a time; calls wait for each
// other).
type Node struct {
	cfg     Config
	checker *checkin.Checker
	book    *checkin.Book

	mu        sync.Mutex
	conflicts map[codes.TicketCode]checkin.Conflict
	randMu    sync.Mutex

	syncMu sync.Mutex
	cursor Cursors
}

// Cursors are where a LAN node is in its sync with its upstream: the last pass
// change and entry read down, and the last of its own store's changes pushed
// up; Epoch is the numbering Passes counts in (see [PassPage]). Cursors is a
// plain value.
type Cursors struct {
	Passes, Down, Up uint64
	Epoch            uint64
}

// ErrNode is the rule that a node's configuration is complete.
var ErrNode = wht93.NewRule("checkin.node", "检票节点配置不完整", "the check-in node's configuration is incomplete")

// New returns a node configured by cfg. With cfg.Replica, it loads the saved
// passes into the book and starts from the saved cursors.
func New(cfg Config) (*Node, error) {
	var vs wht93.Violations
	if cfg.Store == nil {
		vs = append(vs, ErrNode.Atf("store", "", "缺少检票存储", "the entry store is missing"))
	}
	if cfg.Mode != checkin.NetOnline && cfg.Mode != checkin.NetLAN {
		vs = append(vs, ErrNode.Atf("mode", cfg.Mode.String(), "节点模式应为在线或局域网", "the mode must be online or lan"))
	}
	if cfg.Book != nil && cfg.Book.Session() != cfg.Policy.Session() {
		vs = append(vs, ErrNode.Atf("book", cfg.Book.Session().String(), "演出票数据与检票规则不是同一场次", "the book is of another session than the policy"))
	}
	if cfg.Replica != nil && cfg.Mode != checkin.NetLAN {
		vs = append(vs, ErrNode.Atf("replica", cfg.Mode.String(), "只有局域网节点保存演出票副本", "only a LAN node keeps a replica of passes"))
	}
	c, err := checkin.NewChecker(cfg.Name, cfg.Policy, cfg.Verifier)
	if err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	b := cfg.Book
	if b == nil {
		b = checkin.NewBook(cfg.Policy.Session())
	}
	n := &Node{cfg: cfg, checker: c, book: b, conflicts: map[codes.TicketCode]checkin.Conflict{}}
	if cfg.Replica != nil {
		ps, cur, err := cfg.Replica.Load(context.Background(), b.Session())
		if err != nil {
			return nil, fmt.Errorf("node %s: load replica: %w", cfg.Name, err)
		}
		if _, err := b.Put(ps...); err != nil {
			return nil, fmt.Errorf("node %s: load replica: %w", cfg.Name, err)
		}
		n.cursor = cur
	}
	return n, nil
}

// save saves the current passes of the tickets of cs with the cursors c in
// the replica store, if the node has one.
func (n *Node) save(ctx context.Context, cs []checkin.PassChange, c Cursors) error {
	if n.cfg.Replica == nil {
		return nil
	}
	ps := make([]checkin.Pass, 0, len(cs))
	seen := make(map[codes.TicketCode]bool, len(cs))
	for _, ch := range cs {
		if seen[ch.Pass.Ticket] {
			continue
		}
		seen[ch.Pass.Ticket] = true
		if p, ok := n.book.Pass(ch.Pass.Ticket); ok {
			ps = append(ps, p)
		}
	}
	return n.cfg.Replica.Save(ctx, n.book.Session(), ps, c)
}

// Name returns the node's name.
func (n *Node) Name() string { return n.cfg.Name }

// Mode returns the node's mode.
func (n *Node) Mode() checkin.Network { return n.cfg.Mode }

// Book returns the node's passes.
func (n *Node) Book() *checkin.Book { return n.book }

// Store returns the node's entry store.
func (n *Node) Store() checkin.Store { return n.cfg.Store }

// Policy returns the node's entry policy.
func (n *Node) Policy() checkin.Policy { return n.cfg.Policy }

// Scan implements Gate: it decides s with the node's checker against its book
// and records an accepted entry in its store. A scan without an id gets a
// random one (the device then cannot retry it safely).
func (n *Node) Scan(ctx context.Context, s checkin.Scan) (checkin.Decision, error) {
	if s.ID == "" {
		id, err := n.newID()
		if err != nil {
			return checkin.Decision{}, err
		}
		s.ID = id
	}
	d, err := n.checker.Enter(ctx, n.cfg.Store, s, n.book)
	if err != nil {
		return checkin.Decision{}, err
	}
	if n.cfg.Devices != nil {
		n.cfg.Devices.Scanned(s.Device, s.Gate, s.At)
	}
	if d.Accepted && !d.Duplicate && n.cfg.Flow != nil {
		n.cfg.Flow.Entered(d.Entry.Gate, d.Entry.At)
	}
	return d, nil
}

func (n *Node) newID() (string, error) {
	n.randMu.Lock()
	defer n.randMu.Unlock()
	var b [16]byte
	if _, err := io.ReadFull(n.cfg.Rand, b[:]); err != nil {
		return "", fmt.Errorf("node %s: scan id: %w", n.cfg.Name, err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Heartbeat implements Gate.
func (n *Node) Heartbeat(_ context.Context, h checkin.Heartbeat) error {
	if n.cfg.Devices == nil {
		return h.Validate()
	}
	return n.cfg.Devices.Heartbeat(h)
}

// Passes implements Upstream from the node's book.
func (n *Node) Passes(_ context.Context, after uint64, limit int) (PassPage, error) {
	cs, err := n.book.Changes(after, limit)
	if err != nil {
		return PassPage{}, err
	}
	next := after
	if len(cs) > 0 {
		next = cs[len(cs)-1].Seq
	}
	return PassPage{Changes: cs, Next: next, Epoch: n.book.Epoch()}, nil
}

// Entries implements Upstream from the node's store: the entries of the node's
// session among the next limit changes.
func (n *Node) Entries(ctx context.Context, after uint64, limit int) (EntryPage, error) {
	cs, err := n.cfg.Store.Changes(ctx, after, limit)
	if err != nil {
		return EntryPage{}, err
	}
	p := EntryPage{Next: after, Entries: make([]checkin.Entry, 0, len(cs))}
	for _, c := range cs {
		if c.Entry.Session() == n.cfg.Policy.Session() {
			p.Entries = append(p.Entries, c.Entry)
		}
		p.Next = c.Seq
	}
	return p, nil
}

// Push implements Upstream: it imports the entries of the node's session into
// its store and flags the tickets that went over their maximum. Entries of
// another session are refused.
func (n *Node) Push(ctx context.Context, es []checkin.Entry) (int, error) {
	for i := range es {
		if es[i].Session() != n.cfg.Policy.Session() {
			return 0, checkin.ErrSession.At(fmt.Sprintf("entries[%d].ticket", i), es[i].Ticket.String())
		}
	}
	return n.importEntries(ctx, es)
}

// importEntries stores entries admitted elsewhere and checks their tickets.
func (n *Node) importEntries(ctx context.Context, es []checkin.Entry) (int, error) {
	added := 0
	for len(es) > 0 {
		part := es[:min(len(es), checkin.MaxImport)]
		es = es[len(part):]
		k, err := n.cfg.Store.Import(ctx, part...)
		if err != nil {
			return added, err
		}
		added += k
		if err := n.check(ctx, part); err != nil {
			return added, err
		}
	}
	return added, nil
}

// check resolves the tickets of es that have more entries than the maximum.
func (n *Node) check(ctx context.Context, es []checkin.Entry) error {
	seen := map[codes.TicketCode]bool{}
	max := n.cfg.Policy.Max()
	for _, e := range es {
		if seen[e.Ticket] {
			continue
		}
		seen[e.Ticket] = true
		c, err := n.cfg.Store.Count(ctx, e.Ticket)
		if err != nil {
			return err
		}
		if c <= max {
			continue
		}
		all, err := n.cfg.Store.Entries(ctx, e.Ticket)
		if err != nil {
			return err
		}
		conflict := checkin.Resolve(all, max)
		n.mu.Lock()
		old, had := n.conflicts[e.Ticket]
		changed := !had || len(old.Over) != len(conflict.Over)
		n.conflicts[e.Ticket] = conflict
		n.mu.Unlock()
		if changed && n.cfg.OnConflict != nil {
			n.cfg.OnConflict(conflict)
		}
	}
	return nil
}

// Conflicts returns the tickets found entered more times than their maximum,
// by ticket code.
func (n *Node) Conflicts() []checkin.Conflict {
	n.mu.Lock()
	out := make([]checkin.Conflict, 0, len(n.conflicts))
	for _, c := range n.conflicts {
		out = append(out, c)
	}
	n.mu.Unlock()
	slices.SortFunc(out, func(a, b checkin.Conflict) int { return strings.Compare(a.Ticket.String(), b.Ticket.String()) })
	return out
}

// SyncReport says what one Sync moved. It is a plain value.
type SyncReport struct {
	Passes int // pass changes applied
	Down   int // entries pulled down that were new here
	Up     int // entries pushed up that were new there
	// Reread is set when the upstream's book numbered its changes under
	// another epoch than the cursors' (it restarted): every pass was read
	// again from the start.
	Reread bool
	// Cursors are the cursors after the sync.
	Cursors Cursors
}

// syncPage is the page size of Sync.
const syncPage = 5000

// Sync brings the node and its upstream level, incrementally from the
// cursors of the last sync: the pass changes down, the upstream's entries of
// the session down, and the node's own entries up. It stops at the first
// error and keeps what was done (the cursors advance only past what was
// applied), so a Sync after a failed one goes on where it stopped. A node
// that takes over from the other mode syncs first. With a [ReplicaStore], each
// page of pass changes is saved with the advanced cursors in one step, and the
// Down and Up cursors as they advance: a page that could not be saved stops
// the Sync with the cursors where they were (its passes are in the book, and
// are pulled and saved again by the next Sync).
func (n *Node) Sync(ctx context.Context, up Upstream) (r SyncReport, _ error) {
	n.syncMu.Lock()
	defer n.syncMu.Unlock()
	defer func() { r.Cursors = n.cursor }()
	for {
		p, err := up.Passes(ctx, n.cursor.Passes, syncPage)
		if err != nil {
			return r, fmt.Errorf("node %s: sync passes down: %w", n.cfg.Name, err)
		}
		if p.Epoch != n.cursor.Epoch && n.cursor.Passes != 0 {
			// The upstream numbers its changes afresh: the cursor means
			// nothing there. Read every pass again (passes only move
			// forward, so those already here are unchanged by it).
			c := n.cursor
			c.Passes, c.Epoch = 0, p.Epoch
			if err := n.save(ctx, nil, c); err != nil {
				return r, fmt.Errorf("node %s: sync passes down: save cursors: %w", n.cfg.Name, err)
			}
			n.cursor = c
			r.Reread = true
			continue
		}
		if len(p.Changes) == 0 {
			break
		}
		ps := make([]checkin.Pass, len(p.Changes))
		for i, c := range p.Changes {
			ps[i] = c.Pass
		}
		k, err := n.book.Put(ps...)
		r.Passes += k
		if err != nil {
			return r, fmt.Errorf("node %s: sync passes down: %w", n.cfg.Name, err)
		}
		c := n.cursor
		c.Passes, c.Epoch = p.Next, p.Epoch
		if err := n.save(ctx, p.Changes, c); err != nil {
			return r, fmt.Errorf("node %s: sync passes down: save replica: %w", n.cfg.Name, err)
		}
		n.cursor = c
	}
	for {
		p, err := up.Entries(ctx, n.cursor.Down, syncPage)
		if err != nil {
			return r, fmt.Errorf("node %s: sync entries down: %w", n.cfg.Name, err)
		}
		if len(p.Entries) > 0 {
			k, err := n.importEntries(ctx, p.Entries)
			r.Down += k
			if err != nil {
				return r, fmt.Errorf("node %s: sync entries down: %w", n.cfg.Name, err)
			}
		}
		if p.Next == n.cursor.Down {
			break
		}
		c := n.cursor
		c.Down = p.Next
		if err := n.save(ctx, nil, c); err != nil {
			return r, fmt.Errorf("node %s: sync entries down: save cursors: %w", n.cfg.Name, err)
		}
		n.cursor = c
	}
	for {
		cs, err := n.cfg.Store.Changes(ctx, n.cursor.Up, syncPage)
		if err != nil {
			return r, fmt.Errorf("node %s: sync entries up: %w", n.cfg.Name, err)
		}
		if len(cs) == 0 {
			break
		}
		mine := make([]checkin.Entry, 0, len(cs))
		for _, c := range cs {
			if c.Entry.Node == n.cfg.Name && c.Entry.Session() == n.cfg.Policy.Session() {
				mine = append(mine, c.Entry)
			}
		}
		if len(mine) > 0 {
			k, err := up.Push(ctx, mine)
			r.Up += k
			if err != nil {
				return r, fmt.Errorf("node %s: sync entries up: %w", n.cfg.Name, err)
			}
		}
		c := n.cursor
		c.Up = cs[len(cs)-1].Seq
		if err := n.save(ctx, nil, c); err != nil {
			return r, fmt.Errorf("node %s: sync entries up: save cursors: %w", n.cfg.Name, err)
		}
		n.cursor = c
	}
	return r, nil
}

// Cursors returns the node's sync cursors.
func (n *Node) Cursors() Cursors {
	n.syncMu.Lock()
	defer n.syncMu.Unlock()
	return n.cursor
}
