package checkin

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// MaxImport bounds the entries of one Import.
const MaxImport = 10000

// Admission is a store's answer to Admit. An Admission is a plain value, safe
// for concurrent reads.
type Admission struct {
	// Entry is the entry as stored (its Count the ticket's count it reached)
	// when Admitted; zero otherwise.
	Entry Entry
	// Admitted is true when the entry is stored: now, or before (Duplicate).
	Admitted bool
	// Duplicate is true when an entry with the same id was stored before: Entry
	// is that one, and nothing changed.
	Duplicate bool
	// Count is the ticket's number of entries after the call.
	Count int
}

// Change is one entry of a store's change feed, under the store's sequence
// number for it. A Change is a plain value, safe for concurrent reads.
type Change struct {
	Seq   uint64
	Entry Entry
}

// Store is the entry store: the count of entries of each ticket and the
// record of every entry (6.3.6.1). It is a port: store/memory, store/bolt and
// store/postgres implement it, store/storetest.TestEntries checks any
// implementation, and a host may write its own on its database.
//
// # Contract
//
// Admit is "count this entry if below the maximum", one atomic step per ticket
// with respect to every other call on the same store (other goroutines, other
// processes sharing it): if an entry with e.ID is stored, it returns that entry
// with Admitted and Duplicate set and changes nothing, whatever e's other
// fields; otherwise, if the ticket has fewer than max entries, it stores e with
// Count set to the ticket's new count and returns it Admitted; otherwise it
// stores nothing and returns the count, not Admitted. e.Count is ignored; max
// is 1 to MaxEntries. When Admit returns an admission, the entry is durable
// (fsynced or committed): it survives a crash of the process or the machine.
// So no number of concurrent Admits of one ticket ever admits more than max.
//
// Import stores entries admitted elsewhere (a LAN node's, pushed up; the
// online side's, pulled down): each one whose id is not stored yet is stored,
// with its Count as given, and counted on its ticket whatever the maximum — the
// person is inside; [Resolve] says which admissions the maximum allowed. It is
// idempotent: importing an entry twice, or an entry admitted by this store,
// changes nothing. It stores all of es or, on error, possibly some of them —
// each one at most once. It returns how many were new; they are durable when
// it returns.
//
// Count returns a ticket's number of entries, Entries its entries in the order
// they were stored.
//
// Changes is the feed for incremental sync: every entry stored, admitted or
// imported, gets a sequence number greater than all before it, and Changes
// returns the entries with a sequence above after, ascending, at most limit (1
// to MaxChanges). Sequence order is commit order — an entry with a lower
// sequence is never made visible after one with a higher sequence — so a
// reader that passes the last sequence it read misses nothing. Sequences may
// have gaps.
//
// Errors. Bad arguments are wht93.Violations of this package's rules (ErrEntry,
// ErrRead, ErrPolicy for max) and change nothing; a store used after Close
// returns ErrClosedStore; any other error is the store's own (I/O, database),
// after which the caller does not know whether the call took effect and retries
// it with the same ids.
//
// Entry times are kept to the microsecond, in China Standard Time on the way
// out. Implementations are safe for concurrent use.
type Store interface {
	// Admit counts e on its ticket if the ticket has fewer than max entries.
	Admit(ctx context.Context, e Entry, max int) (Admission, error)
	// Import stores entries admitted elsewhere, counted whatever the maximum.
	Import(ctx context.Context, es ...Entry) (int, error)
	// Count returns the number of entries of a ticket.
	Count(ctx context.Context, code codes.TicketCode) (int, error)
	// Entries returns the entries of a ticket in the order they were stored.
	Entries(ctx context.Context, code codes.TicketCode) ([]Entry, error)
	// Changes returns up to limit entries stored after the sequence after.
	Changes(ctx context.Context, after uint64, limit int) ([]Change, error)
}

// CheckAdmit checks Admit's arguments and returns e as a store keeps it
// (normalized, Count 1 for the validation): stores call it first.
func CheckAdmit(e Entry, max int) (Entry, error) {
	e = e.Normalized()
	e.Count = 1
	var vs wht93.Violations
	if err := e.Validate(); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if max < 1 || max > MaxEntries {
		vs = append(vs, ErrPolicy.Atf("max", strconv.Itoa(max), "最大检票次数应为1至10000", "maximum entries must be 1 to 10000"))
	}
	return e, vs.Err()
}

// CheckImport checks Import's arguments: 1 to MaxImport valid entries. It
// returns them normalized, each id once (the first), or every violation with
// its index.
func CheckImport(es []Entry) ([]Entry, error) {
	if len(es) == 0 || len(es) > MaxImport {
		return nil, ErrEntry.Atf("entries", strconv.Itoa(len(es)), "一次应导入1至10000条检票记录", "import 1 to 10000 entries at a time")
	}
	var vs wht93.Violations
	seen := make(map[string]bool, len(es))
	out := make([]Entry, 0, len(es))
	for i, e := range es {
		if err := e.Validate(); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In("entries["+strconv.Itoa(i)+"]")...)
			continue
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		out = append(out, e.Normalized())
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Conflict is the resolution of one ticket's entries against the maximum:
// when LAN nodes cut off from each other admit the same ticket, more people
// enter than the maximum allows. The people are inside and every entry is
// counted; Resolve says, the same way at every node whatever the order the
// entries arrived in, which admissions the maximum allowed (Kept: the first
// Max by time, then by id) and which went over it (Over), for the operator to
// look into. A Conflict is a plain value.
type Conflict struct {
	Ticket codes.TicketCode
	Max    int
	Kept   []Entry
	Over   []Entry
}

// Resolve orders the entries of one ticket by time, then id, and splits them
// at max. It is deterministic: the same set of entries gives the same result,
// in any order. Conflict.Over is empty when the ticket kept to its maximum.
func Resolve(es []Entry, max int) Conflict {
	s := slices.Clone(es)
	slices.SortFunc(s, func(a, b Entry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	s = slices.CompactFunc(s, func(a, b Entry) bool { return a.ID == b.ID })
	c := Conflict{Max: max}
	if len(s) > 0 {
		c.Ticket = s[0].Ticket
	}
	if len(s) <= max {
		c.Kept = s
		return c
	}
	c.Kept, c.Over = s[:max:max], s[max:]
	return c
}

// Zh describes the conflict for the operator, in Chinese.
func (c Conflict) Zh() string {
	return "演出票 " + c.Ticket.String() + " 检票 " + strconv.Itoa(len(c.Kept)+len(c.Over)) + " 次，超过最大值 " +
		strconv.Itoa(c.Max) + " 次（局域网节点断网期间分别放行），请核查"
}

// En describes the conflict for the operator, in English.
func (c Conflict) En() string {
	return "ticket " + c.Ticket.String() + " entered " + strconv.Itoa(len(c.Kept)+len(c.Over)) + " times, over its maximum of " +
		strconv.Itoa(c.Max) + " (admitted at nodes cut off from each other): look into it"
}
