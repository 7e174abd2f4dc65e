package bolt

import (
	"bytes"
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

	// cur is the store's state in the committer's current transaction; only
	// the committer touches it (see wtx).
	cur    *entTx
	curGen uint64
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
	return entCountValue(b.count.Get([]byte(code.String())), code)
}

// entCountValue checks v, the count value of the ticket code (nil when it
// has none), and returns it with the count it holds.
func entCountValue(v []byte, code codes.TicketCode) ([]byte, int, error) {
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

// entTx is the entry store in one of the committer's write transactions: its
// buckets and a cursor on each, which every change of the transaction reuses
// (bbolt's Bucket.Get and Bucket.Put make a new cursor each call, and the
// committer is the one goroutine all admissions wait on). A cursor is
// repositioned by each Seek, so it stays valid across the Puts in between.
type entTx struct {
	tx                *bbolt.Tx
	b                 entBuckets
	logC, idC, countC *bbolt.Cursor
}

// wtx returns the store's state in the committer's current transaction,
// making it on the transaction's first change. Only update functions call it,
// and they all run in the committer goroutine, one at a time.
func (s *Entries) wtx(tx *bbolt.Tx) (*entTx, error) {
	if t := s.cur; t != nil && s.curGen == s.db.gen && t.tx == tx {
		return t, nil
	}
	b, err := entRoot(tx)
	if err != nil {
		return nil, err
	}
	// The log only ever grows at its end: fill its pages before splitting them
	// (the default splits them half full).
	b.log.FillPercent = 1
	t := &entTx{tx: tx, b: b, logC: b.log.Cursor(), idC: b.id.Cursor(), countC: b.count.Cursor()}
	s.cur, s.curGen = t, s.db.gen
	return t, nil
}

// entGet returns the value of key in the cursor's bucket, nil when it has none.
func entGet(c *bbolt.Cursor, key []byte) []byte {
	k, v := c.Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil
	}
	return v
}

// entBuf is what a change prepares in its caller's goroutine, before it
// reaches the committer: the entry's keys and encoding in one allocation,
// with room for the ticket's count value while the ticket has few entries.
type entBuf struct {
	id, ticket []byte // the keys in the id and count buckets
	enc        []byte // the entry encoded (checkin.Entry.MarshalBinary)
	spare      []byte // capacity for the count value
}

// entSpare is the count value a change has room for without an allocation in
// the committer: a count and up to 4 sequences.
const entSpare = 4 + 8*4

// entPrepare encodes e, a valid entry, and its keys.
func entPrepare(e *checkin.Entry) (entBuf, error) {
	code := e.Ticket.String()
	buf := make([]byte, 0, len(e.ID)+len(code)+entSpare+160)
	buf = append(buf, e.ID...)
	buf = append(buf, code...)
	buf, err := e.AppendBinary(buf)
	if err != nil {
		return entBuf{}, err
	}
	nid, nkey := len(e.ID), len(e.ID)+len(code)
	enc := buf[nkey:len(buf):len(buf)]
	return entBuf{id: buf[:nid:nid], ticket: buf[nid:nkey:nkey], enc: enc, spare: buf[len(buf):len(buf)]}, nil
}

// put stores e (whose id is not stored) as the entry after the ticket's old
// count value (old, holding n entries: see entCountValue), and counts it.
// With admit, e.Count is n+1 and p.enc, which encodes e with a count of 1, is
// patched to say so.
//
// The values put must stay as they are until the transaction ends, and a
// change's update function runs again in a new transaction when another change
// of its transaction fails: p's buffers are written afresh on each run and
// read by no one else, so reusing them is safe.
func (t *entTx) put(e *checkin.Entry, p *entBuf, old []byte, n int, admit bool) error {
	enc := p.enc
	if admit {
		var err error
		if enc, err = withCount(e, enc, n+1); err != nil {
			return err
		}
	}
	seq, err := t.b.log.NextSequence()
	if err != nil {
		return err
	}
	size := 4 + 8*(n+1)
	var v []byte
	if size <= cap(p.spare) {
		v = p.spare[:size]
	} else {
		v = make([]byte, size)
	}
	binary.BigEndian.PutUint32(v, uint32(n+1))
	if n > 0 {
		copy(v[4:], old[4:]) // copied: old points into the mapped file or a node
	}
	binary.BigEndian.PutUint64(v[size-8:], seq)
	k := v[size-8 : size : size] // the sequence, as a key and as the id's value
	if err := t.b.log.Put(k, enc); err != nil {
		return err
	}
	if err := t.b.id.Put(p.id, k); err != nil {
		return err
	}
	return t.b.count.Put(p.ticket, v)
}

// withCount returns enc, the encoding of e with a count of 1, with the count n
// instead: the count is the encoding's last field, a uvarint, so a count below
// 128 replaces its last byte, in place (see put for why that is safe); a
// larger one is encoded anew.
func withCount(e *checkin.Entry, enc []byte, n int) ([]byte, error) {
	if n < 128 {
		enc[len(enc)-1] = byte(n)
		return enc, nil
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
	p, err := entPrepare(&e) // Count 1: see withCount
	if err != nil {
		return checkin.Admission{}, err
	}
	a := &entAdmit{e: e, p: p, max: max}
	if err := s.db.update(ctx, func(tx *bbolt.Tx) error { return s.admit(tx, a) }); err != nil {
		return checkin.Admission{}, entErr(err)
	}
	return a.out, nil
}

// entAdmit is one admission on its way through the committer.
type entAdmit struct {
	e   checkin.Entry
	p   entBuf
	max int
	out checkin.Admission
}

// admit is the update function of an admission.
func (s *Entries) admit(tx *bbolt.Tx, a *entAdmit) error {
	a.out = checkin.Admission{}
	t, err := s.wtx(tx)
	if err != nil {
		return err
	}
	if k := entGet(t.idC, a.p.id); k != nil {
		old, err := t.entryAt(k, a.e.ID)
		if err != nil {
			return err
		}
		_, n, err := entCountValue(entGet(t.countC, []byte(old.Ticket.String())), old.Ticket)
		a.out = checkin.Admission{Entry: old, Admitted: true, Duplicate: true, Count: n}
		return err
	}
	tv, n, err := entCountValue(entGet(t.countC, a.p.ticket), a.e.Ticket)
	if err != nil {
		return err
	}
	if n >= a.max {
		a.out = checkin.Admission{Count: n}
		return nil
	}
	stored := a.e
	stored.Count = n + 1
	if err := t.put(&stored, &a.p, tv, n, true); err != nil {
		return err
	}
	a.out = checkin.Admission{Entry: stored, Admitted: true, Count: n + 1}
	return nil
}

// entryAt returns the entry at sequence k, which the id index gives for id.
func (t *entTx) entryAt(k []byte, id string) (checkin.Entry, error) {
	v := entGet(t.logC, k)
	if v == nil {
		return checkin.Entry{}, fmt.Errorf("bolt: entry %q points to sequence %x, which is missing", id, k)
	}
	var e checkin.Entry
	if err := e.UnmarshalBinary(v); err != nil {
		return checkin.Entry{}, fmt.Errorf("bolt: entry at sequence %x: %w", k, err)
	}
	return e, nil
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
	ps := make([]entBuf, len(es))
	for i := range es {
		if ps[i], err = entPrepare(&es[i]); err != nil {
			return 0, err
		}
	}
	added := 0
	err = s.db.update(ctx, func(tx *bbolt.Tx) error {
		added = 0
		t, err := s.wtx(tx)
		if err != nil {
			return err
		}
		for i := range es {
			if entGet(t.idC, ps[i].id) != nil {
				continue
			}
			tv, n, err := entCountValue(entGet(t.countC, ps[i].ticket), es[i].Ticket)
			if err != nil {
				return err
			}
			if err := t.put(&es[i], &ps[i], tv, n, false); err != nil {
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
