package audit

import (
	"context"
	"fmt"
	"iter"
	"strconv"
)

// Store is the operation log's storage (clause 6.4.3.3, test E.3.8): an
// append-only, hash-chained sequence of entries. It is a port: store/memory,
// store/bolt and store/postgres implement it, store/storetest.TestAudit checks any
// implementation, and a host may write its own on its database.
//
// # Contract
//
// Append only. The interface has no way to change or remove an entry, and an
// implementation offers none (store/postgres also refuses UPDATE and DELETE on its
// table with a trigger). Anything that changes the stored entries by other means is
// found by [Verify].
//
// Append checks the records with [CheckRecords] (an invalid record fails the whole
// call with its violations and stores nothing), then, atomically with respect to
// every other Append on the same log (other goroutines, other processes), reads
// the head, seals the records with [Seal] after it and stores the entries and the
// new head, all in one durable step: when Append returns nil the entries are
// fsynced or committed and survive a crash of the process or the machine. So
// concurrent appenders form one chain: sequence numbers 1, 2, 3, … without gaps or
// repeats, each entry carrying the hash of the one before it. Append returns the
// sealed entries, in the order of the records. A call that returns an error may or
// may not have stored its entries (a lost connection); the log is consistent
// either way.
//
// Head returns the anchor of the last entry appended (the zero [Anchor] for an
// empty log). The store keeps its head apart from the entries (a head row, a meta
// key), so that removing the last entries is found too.
//
// Read returns the entries with sequence greater than after, in ascending order,
// at most limit (1 to [MaxRead]); fewer, or none, at the end of the log. It is the
// cursor for reading the whole log in pages: pass the last sequence read as after.
// It returns the entries as stored, without checking them; an entry that cannot
// be decoded is reported as a [*Fault] of [ErrMalformed] at its sequence, so that
// a verifier can go on after it. Reading changes nothing.
//
// Errors. Bad arguments are [wht93.Violations] of this package's rules and change
// nothing; a store used after Close returns [ErrClosed]; any other error is the
// store's own (I/O, database).
//
// Concurrency. Implementations are safe for concurrent use by many goroutines;
// store/postgres is also safe for several processes sharing one log.
type Store interface {
	// Append seals recs (1 to [MaxBatch]) as the next entries of the log in one
	// durable step and returns them.
	Append(ctx context.Context, recs ...Record) ([]Entry, error)
	// Head returns the anchor of the last entry, or the zero Anchor.
	Head(ctx context.Context) (Anchor, error)
	// Read returns up to limit entries after sequence after, ascending.
	Read(ctx context.Context, after uint64, limit int) ([]Entry, error)
}

// Append appends recs to the log in s and checks what s returns: as many entries
// as records, with consecutive sequences, each carrying its record (normalized as
// by [CheckRecords]), chained to the one before it and hashed correctly. A store
// that returns anything else gets an [ErrStore] violation: the caller learns of a
// broken store at once, not at the next verification. Hosts log through Append
// rather than calling the store directly.
func Append(ctx context.Context, s Store, recs ...Record) ([]Entry, error) {
	checked, err := CheckRecords(recs)
	if err != nil {
		return nil, err
	}
	es, err := s.Append(ctx, recs...)
	if err != nil {
		return nil, err
	}
	if len(es) != len(checked) {
		return nil, ErrStore.Atf("entries", strconv.Itoa(len(es)),
			fmt.Sprintf("追加%d条记录，存储返回%d条", len(checked), len(es)),
			fmt.Sprintf("appended %d records, the store returned %d entries", len(checked), len(es)))
	}
	var h hasher
	for i := range es {
		e := &es[i]
		field := "entries[" + strconv.Itoa(i) + "]"
		switch {
		case e.Seq == 0 || (i > 0 && e.Seq != es[i-1].Seq+1):
			return nil, ErrStore.Atf(field+".seq", strconv.FormatUint(e.Seq, 10), "序号不连续", "sequence numbers are not consecutive")
		case i > 0 && e.Prev != es[i-1].Hash:
			return nil, ErrStore.Atf(field+".prev", e.Prev.String(), "未接续前一条记录", "entry does not chain to the one before it")
		case e.Version != Version || e.Hash != h.sum(e):
			return nil, ErrStore.Atf(field+".hash", e.Hash.String(), "哈希与内容不符", "hash does not match the entry")
		case !sameRecord(e.Record, checked[i]):
			return nil, ErrStore.Atf(field, strconv.FormatUint(e.Seq, 10), "返回的记录与追加的不同", "entry differs from the record appended")
		}
	}
	return es, nil
}

func sameRecord(a, b Record) bool {
	return a.Time.Equal(b.Time) && a.User == b.User && a.Action == b.Action && a.Object == b.Object &&
		a.Content == b.Content && string(a.Detail) == string(b.Detail)
}

// readPage is the page size of [Entries] and [Verify].
const readPage = 4096

// Entries returns the entries of s with sequence greater than after, in ascending
// order, up to the head as it is when the iteration starts (entries appended
// meanwhile are left for the next reader), reading in pages. It stops at the first
// error, which it yields with a zero Entry.
func Entries(ctx context.Context, s Store, after uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		head, err := s.Head(ctx)
		if err != nil {
			yield(Entry{}, err)
			return
		}
		p := pager{s: s, after: after, until: head.Seq}
		for {
			page, err := p.next(ctx)
			if err != nil {
				yield(Entry{}, err)
				return
			}
			if page == nil {
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// pager reads a store in pages from after up to until.
type pager struct {
	s            Store
	after, until uint64
}

// next returns the next page, or nil at the end. A page holds no entry above
// until. A store whose page does not move the cursor forward gets an ErrStore
// violation rather than an endless loop.
func (p *pager) next(ctx context.Context) ([]Entry, error) {
	if p.after >= p.until {
		return nil, nil
	}
	page, err := p.s.Read(ctx, p.after, int(min(uint64(readPage), p.until-p.after)))
	if err != nil {
		return nil, err
	}
	if len(page) == 0 {
		p.after = p.until
		return nil, nil
	}
	top := p.after
	n := 0
	for _, e := range page {
		if e.Seq > p.until {
			continue // appended after the reading began, or planted beyond the head
		}
		page[n] = e
		n++
		top = max(top, e.Seq)
	}
	if top == p.after {
		if n == 0 {
			p.after = p.until
			return nil, nil
		}
		return nil, ErrStore.Atf("after", strconv.FormatUint(p.after, 10),
			"读取没有向前推进", "a read returned no entry after the cursor")
	}
	p.after = top
	return page[:n], nil
}

// CheckRead returns an [ErrRead] violation unless limit is 1 to [MaxRead]; stores
// call it in Read.
func CheckRead(limit int) error {
	if limit < 1 || limit > MaxRead {
		return ErrRead.At("limit", strconv.Itoa(limit))
	}
	return nil
}
