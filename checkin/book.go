package checkin

import (
	"crypto/rand"
	"encoding/binary"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// Lookup is what a decision reads of the tickets: a pass by ticket code, the
// passes of a document's holder, and the live credential versions (it is a
// ticket.Liveness). [Book] implements it; a host may implement it on its own
// ticket store. Implementations must allow concurrent calls.
type Lookup interface {
	// Pass returns the pass of the ticket, and false when the ticket is unknown.
	Pass(code codes.TicketCode) (Pass, bool)
	// Holding returns the passes whose holder has the blind index idx, in the
	// order of their ticket codes.
	Holding(idx realname.BlindIndex) []Pass
	// LiveVersion implements ticket.Liveness.
	LiveVersion(code codes.TicketCode) (min uint32, known bool)
}

// PassChange is one change of a book: the pass as it became, under the book's
// sequence number for it. A PassChange is a plain value, safe for concurrent
// reads.
type PassChange struct {
	Seq  uint64
	Pass Pass
}

// Book is the passes of one session, kept in memory: what an online node
// decides from and what a LAN node holds as its replica (6.3.6.1 局域网模式:
// 本地服务器存储线上数据). Each change is numbered, so that a replica pulls
// only what changed since its cursor (增量下载) with [Book.Changes]. Passes only
// move forward (a refund is final, a version never goes back), so that changes
// applied twice or out of order leave the same book.
//
// The numbering lives as long as the Book: a new Book (the host's process
// restarted and filled it again) numbers its changes afresh, under a new
// [Book.Epoch], so that a replica holding a cursor of the old numbering knows to
// read again from 0 instead of waiting past changes it would never see.
//
// A Book is safe for concurrent use; its zero value is not usable, call
// [NewBook].
type Book struct {
	session codes.SessionCode

	mu       sync.RWMutex
	passes   map[codes.TicketCode]*bookPass
	byHolder map[realname.BlindIndex][]codes.TicketCode // sorted by code
	log      []logItem                                  // ascending seq; stale items skipped
	seq      uint64
	epoch    uint64
}

type bookPass struct {
	pass Pass
	seq  uint64 // the sequence of its latest change
}

type logItem struct {
	seq  uint64
	code codes.TicketCode
}

// NewBook returns an empty book of the session, under a new random epoch.
func NewBook(session codes.SessionCode) *Book {
	var e [8]byte
	for binary.BigEndian.Uint64(e[:]) == 0 {
		rand.Read(e[:]) // never fails: see crypto/rand.Read
	}
	return &Book{
		session:  session,
		passes:   map[codes.TicketCode]*bookPass{},
		byHolder: map[realname.BlindIndex][]codes.TicketCode{},
		epoch:    binary.BigEndian.Uint64(e[:]),
	}
}

// Epoch identifies the book's numbering of its changes: random, never 0, and
// different for every Book. A cursor of [Book.Changes] means something only
// under the epoch it was read in.
func (b *Book) Epoch() uint64 { return b.epoch }

// Session returns the book's session.
func (b *Book) Session() codes.SessionCode { return b.session }

// Put adds or updates passes, each in turn, and reports how many changed the
// book. A pass of another session or an invalid one stops the call with its
// violation (the passes before it are kept); a pass older than the one the book
// holds (a lower version, a valid pass after a refund) changes nothing.
func (b *Book) Put(ps ...Pass) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	changed := 0
	for i := range ps {
		p := ps[i]
		if err := p.Validate(); err != nil {
			return changed, err
		}
		if p.Ticket.Session() != b.session {
			return changed, ErrSession.At("passes["+strconv.Itoa(i)+"].ticket", p.Ticket.String())
		}
		old, ok := b.passes[p.Ticket]
		if ok && !p.newer(&old.pass) {
			continue
		}
		b.seq++
		if !ok {
			old = &bookPass{}
			b.passes[p.Ticket] = old
		} else if old.pass.Holder != p.Holder {
			b.unindex(old.pass.Holder, p.Ticket)
		}
		if p.HasHolder() && (!ok || old.pass.Holder != p.Holder) {
			cs := b.byHolder[p.Holder]
			key := p.Ticket.String()
			j := sort.Search(len(cs), func(j int) bool { return cs[j].String() >= key })
			b.byHolder[p.Holder] = slices.Insert(cs, j, p.Ticket)
		}
		old.pass, old.seq = p, b.seq
		b.log = append(b.log, logItem{seq: b.seq, code: p.Ticket})
		changed++
	}
	if len(b.log) > 2*len(b.passes)+1024 {
		b.compact()
	}
	return changed, nil
}

func (b *Book) unindex(idx realname.BlindIndex, code codes.TicketCode) {
	var zero realname.BlindIndex
	if idx == zero {
		return
	}
	cs := slices.DeleteFunc(b.byHolder[idx], func(c codes.TicketCode) bool { return c == code })
	if len(cs) == 0 {
		delete(b.byHolder, idx)
	} else {
		b.byHolder[idx] = cs
	}
}

// compact drops the log items superseded by a later change of their ticket.
func (b *Book) compact() {
	out := b.log[:0]
	for _, it := range b.log {
		if b.passes[it.code].seq == it.seq {
			out = append(out, it)
		}
	}
	clear(b.log[len(out):])
	b.log = out
}

// Pass implements Lookup.
func (b *Book) Pass(code codes.TicketCode) (Pass, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	p, ok := b.passes[code]
	if !ok {
		return Pass{}, false
	}
	return p.pass, true
}

// Holding implements Lookup.
func (b *Book) Holding(idx realname.BlindIndex) []Pass {
	b.mu.RLock()
	defer b.mu.RUnlock()
	cs := b.byHolder[idx]
	out := make([]Pass, len(cs))
	for i, c := range cs {
		out[i] = b.passes[c].pass
	}
	return out
}

// LiveVersion implements ticket.Liveness: a ticket the book does not hold is
// unknown (and then refused by the decision as such).
func (b *Book) LiveVersion(code codes.TicketCode) (uint32, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	p, ok := b.passes[code]
	if !ok {
		return 0, false
	}
	return p.pass.LiveVersion(), true
}

// Len returns the number of passes.
func (b *Book) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.passes)
}

// Cursor returns the sequence of the latest change (0 for an empty book).
func (b *Book) Cursor() uint64 {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.seq
}

// Changes returns the passes changed after the sequence after, in the order of
// their latest change, at most limit (1 to MaxChanges) of them: a pass changed
// twice since after comes once, as it is now. Pass the last Seq returned to
// read on; an empty result means the reader is up to date.
func (b *Book) Changes(after uint64, limit int) ([]PassChange, error) {
	if err := CheckRead(limit); err != nil {
		return nil, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	i := sort.Search(len(b.log), func(i int) bool { return b.log[i].seq > after })
	out := make([]PassChange, 0, min(limit, len(b.log)-i))
	for ; i < len(b.log) && len(out) < limit; i++ {
		it := b.log[i]
		p := b.passes[it.code]
		if p.seq != it.seq {
			continue
		}
		out = append(out, PassChange{Seq: it.seq, Pass: p.pass})
	}
	return out, nil
}

// MaxChanges bounds one read of changes, of a book or of an entry store.
const MaxChanges = 10000

// CheckRead returns an ErrRead violation unless limit is 1 to MaxChanges;
// stores call it in Changes.
func CheckRead(limit int) error {
	if limit < 1 || limit > MaxChanges {
		return ErrRead.At("limit", strconv.Itoa(limit))
	}
	return nil
}
