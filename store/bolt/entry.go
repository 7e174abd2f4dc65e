package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// The entry store's bucket, "entry", holds its format ("format": "1") and
// these nested buckets:
//
//	log    seq (8 bytes big-endian) → entry (checkin.Entry.MarshalBinary)
//	id     entry id → seq                      every stored entry, for idempotency
//	count  ticket code → count (4 bytes big-endian) and the sequences of the
//	       ticket's entries in order (8 bytes big-endian each)
//
// A ticket enters a few times at most, so its count and its entries' sequences
// share one value: an admission writes three keys.
// Sequences come from the log bucket's own sequence (bbolt NextSequence), so
// they grow with every entry stored and are never reused. The single writer of
// a bolt file commits in sequence order, which makes the log a change feed.
const (
	entryBucket = "entry"
	entryFormat = "1"
)

var bEntLog, bEntID, bEntCount = []byte("log"), []byte("id"), []byte("count")

// Entries is the [checkin.Store] of a bolt file: an admission is durable when
// Admit returns (bbolt fsyncs the file at commit) and is group-committed with
// every other change of its [DB], so that the gates of a stadium share fsyncs.
// Take it from [DB.Entries]; it lives as long as its DB. An Entries is safe for
// concurrent use; one process at a time opens the file.
type Entries struct {
	db *DB
}

var _ checkin.Store = (*Entries)(nil)

// Entries returns the file's entry store, creating its buckets on first use.
// It fails when the file holds an entry store of a format this version does
// not know.
func (db *DB) Entries() (*Entries, error) {
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists([]byte(entryBucket))
		if err != nil {
			return err
		}
		switch f := root.Get([]byte("format")); {
		case f == nil:
			if err := root.Put([]byte("format"), []byte(entryFormat)); err != nil {
				return err
			}
		case string(f) != entryFormat:
			return fmt.Errorf("bolt: %s holds an entry store of format %q; this version reads format %q", db.Path(), f, entryFormat)
		}
		for _, name := range [][]byte{bEntLog, bEntID, bEntCount} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, entErr(err)
	}
	return &Entries{db: db}, nil
}

// OpenEntries opens the bolt file at path (see [Open]) and returns its entry
// store. Closing the returned DB closes the store.
func OpenEntries(path string, opts *Options) (*Entries, *DB, error) {
	db, err := Open(path, opts)
	if err != nil {
		return nil, nil, err
	}
	s, err := db.Entries()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, db, nil
}

func entErr(err error) error {
	if errors.Is(err, errClosed) {
		return checkin.ErrClosedStore
	}
	return err
}

type entBuckets struct{ log, id, count *bbolt.Bucket }

func entRoot(tx *bbolt.Tx) (entBuckets, error) {
	root := bucket(tx, entryBucket)
	if root == nil {
		return entBuckets{}, errors.New("bolt: the file has no entry bucket")
	}
	b := entBuckets{root.Bucket(bEntLog), root.Bucket(bEntID), root.Bucket(bEntCount)}
	if b.log == nil || b.id == nil || b.count == nil {
		return entBuckets{}, errors.New("bolt: the entry bucket lacks one of its buckets")
	}
	return b, nil
}

func entSeqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// ticketValue returns the count value of a ticket: its count and the
// sequences of its entries (nil for a ticket never entered).
func (b entBuckets) ticketValue(code codes.TicketCode) ([]byte, int, error) {
	v := b.count.Get([]byte(code.String()))
	if v == nil {
		return nil, 0, nil
	}
	if len(v) < 4 {
		return nil, 0, fmt.Errorf("bolt: the count of %s is %d bytes", code, len(v))
	}
	n := int(binary.BigEndian.Uint32(v))
	if len(v) != 4+8*n {
		return nil, 0, fmt.Errorf("bolt: the count of %s is %d with %d bytes of sequences", code, n, len(v)-4)
	}
	return v, n, nil
}

func (b entBuckets) countOf(code codes.TicketCode) (int, error) {
	_, n, err := b.ticketValue(code)
	return n, err
}

// byID returns the entry stored under id, if any.
func (b entBuckets) byID(id string) (checkin.Entry, bool, error) {
	k := b.id.Get([]byte(id))
	if k == nil {
		return checkin.Entry{}, false, nil
	}
	v := b.log.Get(k)
	if v == nil {
		return checkin.Entry{}, false, fmt.Errorf("bolt: entry %q points to sequence %x, which is missing", id, k)
	}
	var e checkin.Entry
	if err := e.UnmarshalBinary(v); err != nil {
		return checkin.Entry{}, false, fmt.Errorf("bolt: entry at sequence %x: %w", k, err)
	}
	return e, true, nil
}

// put stores e (whose id is not stored) and counts it. enc is e encoded
// (see encodeEntry) with its count, which put sets to the ticket's new count
// when admit is true.
func (b entBuckets) put(e *checkin.Entry, enc []byte, admit bool) error {
	old, n, err := b.ticketValue(e.Ticket)
	if err != nil {
		return err
	}
	if admit {
		if enc, err = withCount(e, enc, n+1); err != nil {
			return err
		}
	}
	seq, err := b.log.NextSequence()
	if err != nil {
		return err
	}
	k := entSeqKey(seq)
	if err := b.log.Put(k, enc); err != nil {
		return err
	}
	if err := b.id.Put([]byte(e.ID), k); err != nil {
		return err
	}
	v := make([]byte, 4, 4+8*(n+1))
	binary.BigEndian.PutUint32(v, uint32(n+1))
	if n > 0 {
		v = append(v, old[4:]...) // copied: old points into the mapped file
	}
	v = binary.BigEndian.AppendUint64(v, seq)
	return b.count.Put([]byte(e.Ticket.String()), v)
}

// withCount returns enc, the encoding of e with a count of 1, with the count n
// instead: the count is the encoding's last field, a uvarint, so a count below
// 128 replaces its last byte (the encoding is done once, in the caller's
// goroutine, and the committer only patches it).
func withCount(e *checkin.Entry, enc []byte, n int) ([]byte, error) {
	if n < 128 {
		out := make([]byte, len(enc))
		copy(out, enc)
		out[len(out)-1] = byte(n)
		return out, nil
	}
	f := *e
	f.Count = n
	return f.MarshalBinary()
}

// Admit implements [checkin.Store].
func (s *Entries) Admit(ctx context.Context, e checkin.Entry, max int) (checkin.Admission, error) {
	if err := ctx.Err(); err != nil {
		return checkin.Admission{}, err
	}
	e, err := checkin.CheckAdmit(e, max)
	if err != nil {
		return checkin.Admission{}, err
	}
	enc, err := e.MarshalBinary() // Count 1: see withCount
	if err != nil {
		return checkin.Admission{}, err
	}
	var out checkin.Admission
	err = s.db.update(ctx, func(tx *bbolt.Tx) error {
		out = checkin.Admission{}
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		old, ok, err := b.byID(e.ID)
		if err != nil {
			return err
		}
		if ok {
			n, err := b.countOf(old.Ticket)
			out = checkin.Admission{Entry: old, Admitted: true, Duplicate: true, Count: n}
			return err
		}
		n, err := b.countOf(e.Ticket)
		if err != nil {
			return err
		}
		if n >= max {
			out = checkin.Admission{Count: n}
			return nil
		}
		stored := e
		stored.Count = n + 1
		if err := b.put(&stored, enc, true); err != nil {
			return err
		}
		out = checkin.Admission{Entry: stored, Admitted: true, Count: n + 1}
		return nil
	})
	if err != nil {
		return checkin.Admission{}, entErr(err)
	}
	return out, nil
}

// Import implements [checkin.Store].
func (s *Entries) Import(ctx context.Context, es ...checkin.Entry) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	es, err := checkin.CheckImport(es)
	if err != nil {
		return 0, err
	}
	encs := make([][]byte, len(es))
	for i := range es {
		if encs[i], err = es[i].MarshalBinary(); err != nil {
			return 0, err
		}
	}
	added := 0
	err = s.db.update(ctx, func(tx *bbolt.Tx) error {
		added = 0
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		for i := range es {
			if b.id.Get([]byte(es[i].ID)) != nil {
				continue
			}
			if err := b.put(&es[i], encs[i], false); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return 0, entErr(err)
	}
	return added, nil
}

// Count implements [checkin.Store].
func (s *Entries) Count(ctx context.Context, code codes.TicketCode) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.view(func(tx *bbolt.Tx) error {
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		n, err = b.countOf(code)
		return err
	})
	return n, entErr(err)
}

// Entries implements [checkin.Store].
func (s *Entries) Entries(ctx context.Context, code codes.TicketCode) ([]checkin.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []checkin.Entry{}
	err := s.db.view(func(tx *bbolt.Tx) error {
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		tv, n, err := b.ticketValue(code)
		if err != nil {
			return err
		}
		for i := range n {
			seq := tv[4+8*i : 12+8*i]
			v := b.log.Get(seq)
			if v == nil {
				return fmt.Errorf("bolt: the entries of %s name sequence %x, which is missing", code, seq)
			}
			var e checkin.Entry
			if err := e.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("bolt: entry at sequence %x: %w", seq, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, entErr(err)
	}
	return out, nil
}

// Changes implements [checkin.Store].
func (s *Entries) Changes(ctx context.Context, after uint64, limit int) ([]checkin.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkin.CheckRead(limit); err != nil {
		return nil, err
	}
	out := []checkin.Change{}
	if after == ^uint64(0) {
		return out, nil
	}
	err := s.db.view(func(tx *bbolt.Tx) error {
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		c := b.log.Cursor()
		for k, v := c.Seek(entSeqKey(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			if len(k) != 8 {
				return fmt.Errorf("bolt: entry log key %x is not a sequence", k)
			}
			var e checkin.Entry
			if err := e.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("bolt: entry at sequence %x: %w", k, err)
			}
			out = append(out, checkin.Change{Seq: binary.BigEndian.Uint64(k), Entry: e})
		}
		return nil
	})
	if err != nil {
		return nil, entErr(err)
	}
	return out, nil
}
