package node

import (
	"context"
	"strconv"
	"sync"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// ReplicaStore keeps a LAN node's replica durably: the passes of a session
// it pulled from its upstream and its sync [Cursors], so that after a restart
// (a power cut at the venue) the node decides from its replica at once, even
// while the online side is out of reach, and syncs on from its cursors
// instead of pulling every pass again.
//
// The contract:
//
//   - Load returns the passes saved for the session, in no particular order,
//     and the cursors saved with them; no passes and zero cursors when
//     nothing was saved for the session.
//   - Save stores ps (each replacing the saved pass of its ticket, if any)
//     and replaces the saved cursors with c, in one atomic, durable step:
//     when Save returns nil both are on disk; when it fails, or the process
//     dies during it, neither is and the previous state stands. So after a
//     crash the cursors saved never cover a pass change that is not saved
//     (never cursors ahead of their passes). Passes saved ahead of the
//     cursors are harmless: they are pulled again and change nothing. Save
//     with no passes saves the cursors alone.
//   - A pass that is invalid ([checkin.Pass.Validate]) or of another session
//     than session fails Save with its violation and saves nothing.
//   - Replicas of different sessions are kept apart.
//
// Node saves the book's current pass of each ticket of a page, after
// applying the page, so a store need not order passes itself. The Down and
// Up cursors are saved as they advance, after what they cover is durable in
// the node's [checkin.Store]. Losing them (a store that did not keep the
// last ones) costs a pull or push again of entries that stores already hold:
// Import dedupes by entry id, so nothing is counted twice.
//
// [MemoryReplica] keeps it in memory (for tests); store/bolt keeps it in the
// node's bolt file (DB.Replica). There is no PostgreSQL implementation: a LAN
// node is one machine, its store an embedded file; the online node needs no
// replica (its host fills its book from the ticket records).
//
// Implementations are safe for concurrent use.
type ReplicaStore interface {
	// Load returns the session's saved passes and cursors.
	Load(ctx context.Context, session codes.SessionCode) ([]checkin.Pass, Cursors, error)
	// Save saves ps and c together, atomically and durably.
	Save(ctx context.Context, session codes.SessionCode, ps []checkin.Pass, c Cursors) error
}

// ErrReplica is the rule that a replica store is given, and returns, a
// session's valid passes and cursors.
var ErrReplica = wht93.NewRule("checkin.node.replica", "检票节点的演出票副本数据有误", "the node's replica of passes is invalid")

// CheckReplicaPage checks what a [ReplicaStore.Save] is given: a session
// code, and valid passes of that session. It returns every violation, with
// field paths such as passes[3].ticket. Implementations call it before they
// change anything.
func CheckReplicaPage(session codes.SessionCode, ps []checkin.Pass) error {
	var vs wht93.Violations
	if session.IsZero() {
		vs = append(vs, ErrReplica.Atf("session", "", "缺少场次编码", "the session code is missing"))
	}
	for i := range ps {
		field := "passes[" + strconv.Itoa(i) + "]"
		if err := ps[i].Validate(); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(field)...)
			continue
		}
		if !session.IsZero() && ps[i].Ticket.Session() != session {
			vs = append(vs, checkin.ErrSession.At(field+".ticket", ps[i].Ticket.String()))
		}
	}
	return vs.Err()
}

// MemoryReplica is a [ReplicaStore] in memory, for tests and for a node that
// wants the contract without durability. Its zero value is not usable: call
// [NewMemoryReplica]. A MemoryReplica is safe for concurrent use.
type MemoryReplica struct {
	mu       sync.Mutex
	sessions map[codes.SessionCode]*memReplica
}

type memReplica struct {
	passes  map[codes.TicketCode]checkin.Pass
	cursors Cursors
}

// NewMemoryReplica returns an empty in-memory replica store.
func NewMemoryReplica() *MemoryReplica {
	return &MemoryReplica{sessions: map[codes.SessionCode]*memReplica{}}
}

var _ ReplicaStore = (*MemoryReplica)(nil)

// Load implements ReplicaStore.
func (m *MemoryReplica) Load(ctx context.Context, session codes.SessionCode) ([]checkin.Pass, Cursors, error) {
	if err := ctx.Err(); err != nil {
		return nil, Cursors{}, err
	}
	if session.IsZero() {
		return nil, Cursors{}, ErrReplica.Atf("session", "", "缺少场次编码", "the session code is missing")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.sessions[session]
	if r == nil {
		return nil, Cursors{}, nil
	}
	ps := make([]checkin.Pass, 0, len(r.passes))
	for _, p := range r.passes {
		ps = append(ps, p)
	}
	return ps, r.cursors, nil
}

// Save implements ReplicaStore.
func (m *MemoryReplica) Save(ctx context.Context, session codes.SessionCode, ps []checkin.Pass, c Cursors) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckReplicaPage(session, ps); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.sessions[session]
	if r == nil {
		r = &memReplica{passes: map[codes.TicketCode]checkin.Pass{}}
		m.sessions[session] = r
	}
	for _, p := range ps {
		r.passes[p.Ticket] = p
	}
	r.cursors = c
	return nil
}
