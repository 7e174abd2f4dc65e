package bolt

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// The entry store's bucket, "entry", holds its format ("format": "2"), the
// watermark of its indexes ("indexed": a sequence, 8 bytes big-endian) and
// these nested buckets:
//
//	log    seq (8 bytes big-endian) → entry (checkin.Entry.MarshalBinary)
//	id     entry id → seq                      the entries up to the watermark
//	count  ticket code → count (4 bytes big-endian) and the sequences of the
//	       ticket's entries in order (8 bytes big-endian each), as of the
//	       watermark
//
// A ticket enters a few times at most, so its count and its entries' sequences
// share one value (the ticket's count value).
// Sequences come from the log bucket's own sequence (bbolt NextSequence), so
// they grow with every entry stored and are never reused. The single writer of
// a bolt file commits in sequence order, which makes the log a change feed.
//
// # Deferred indexes
//
// The log is the truth: storing an entry writes it at the log's end and
// nothing else, so that a commit of a few hundred admissions writes a few
// pages whatever order the tickets come in (written at once, the two indexes
// took a leaf page of each per admission when the tickets came in a random
// order, as a crowd does). The id and count buckets are complete up to the
// watermark, the highest sequence whose entry they index. The entries above it
// are indexed in memory, in the overlay (Entries.ovID, Entries.ovCount): scan
// id → sequence, and ticket code → its complete count value, the one the count
// bucket would hold. A lookup asks the changes staged by the current
// transaction (committer only), then the overlay, then the buckets: the first
// that has the key answers, so an overlay value overrides the bucket's.
//
// When the overlay and the staged changes together index K entries (the
// checkpoint size, Entries.k), the change that reached K writes all of them
// into the buckets, each bucket in key order so that every page is written
// once per checkpoint rather than once per entry, and moves the watermark to
// the sequence of the last entry they index: a checkpoint. It commits with the changes of its
// transaction, or not at all. On open, the log above the watermark (fewer than
// K entries) is read back into the overlay. A format 1 store, whose indexes
// are complete, is converted on open: its watermark is the log's end.
const (
	entryBucket = "entry"
	entryFormat = "2"
)

// entCheckpoint is the checkpoint size K of a store opened by [DB.Entries]:
// the overlay indexes fewer than K entries (see Entries for the memory). With
// 100 gates on 80,000 tickets in a random order, 4,096 to 16,384 did about as
// well; a checkpoint of 8,192 entries commits in some 40 to 50 ms, which the
// admissions of its transaction wait for, once every 8,192 admissions.
const entCheckpoint = 8192

var (
	bEntLog, bEntID, bEntCount = []byte("log"), []byte("id"), []byte("count")
	bEntIndexed                = []byte("indexed")
)

// Entries is the [checkin.Store] of a bolt file: an admission is durable when
// Admit returns (bbolt fsyncs the file at commit) and is group-committed with
// every other change of its [DB], so that the gates of a stadium share fsyncs.
// Take it from [DB.Entries]; it lives as long as its DB. An Entries is safe for
// concurrent use; one process at a time opens the file.
//
// Memory: the overlay of the deferred indexes holds fewer than K (8,192)
// entries, 210 to 300 bytes each as measured (BenchmarkEntriesOverlayMemory:
// the map slots, the scan id, the ticket code and the count value), so at most
// about 2.5 MB; a transaction's staged changes add as much again at most
// while it runs.
type Entries struct {
	db *DB
	k  int // the checkpoint size

	// The state of the committer's current transaction; only the committer
	// touches it (see wtx).
	cur    *entTx
	curGen uint64
	// The index changes staged by the current transaction: what its changes
	// stored, not yet in the overlay (published once the transaction commits)
	// nor in the buckets (unless a checkpoint wrote them).
	stID    map[string]uint64
	stCount map[string][]byte
	chunk   []byte // where count values are carved from (see carve)
	// Scratch for checkpoints.
	ckIDs    []entIDKey
	ckCounts []entCountKey

	// The overlay: the index of the committed entries above the watermark. Only
	// the committer writes it, holding mu, in publish after a commit; the
	// committer reads it without mu (no one else writes it), readers holding
	// mu.RLock.
	//
	// A reader (Count, Entries) takes mu.RLock before its read transaction
	// begins and keeps it until it is done: the commits publish waits for are
	// then those that committed after the reader's last overlay change, at most
	// the one being published, so the reader's snapshot S and overlay O are
	// either of the same commit, or S has one commit C more. If C is a
	// checkpoint, O still has every entry C wrote into the buckets, with the
	// same values or older ones (O's values override S's buckets), and the
	// entries C staged after its checkpoint are in neither: the reader sees each
	// ticket as of a prefix of C, before C's callers are woken (a state no
	// caller can tell from the one before C). Otherwise the reader sees the
	// indexes as of O, which C only extends. Without the lock, a reader could
	// take its snapshot before a checkpoint and read the overlay after the
	// checkpoint emptied it, and miss the entries in between.
	mu      sync.RWMutex
	ovID    map[string]uint64
	ovCount map[string][]byte

	// Test hooks, nil outside tests: readHook runs in a reader between the
	// start of its read transaction and its first lookup; flushHook in a
	// checkpoint after its writes, before its commit.
	readHook, flushHook func()
}

var _ checkin.Store = (*Entries)(nil)

// entHandle is the DB's single Entries: the overlay is the file's, so every
// caller must share it.
type entHandle struct {
	once sync.Once
	s    *Entries
	err  error
}

// Entries returns the file's entry store, creating its buckets on first use
// and converting a store of format 1; every call on one DB returns the same
// store. It fails when the file holds an entry store of a format this version
// does not know.
func (db *DB) Entries() (*Entries, error) { return db.entries(entCheckpoint) }

// entries is Entries with the checkpoint size k (tests choose a small one);
// the first call on the DB decides it.
func (db *DB) entries(k int) (*Entries, error) {
	db.ent.once.Do(func() {
		db.ent.s, db.ent.err = db.openEntries(k)
		if db.ent.err != nil {
			db.ent.s = nil
		}
	})
	return db.ent.s, db.ent.err
}

func (db *DB) openEntries(k int) (*Entries, error) {
	s := &Entries{
		db: db, k: max(k, 1),
		stID: map[string]uint64{}, stCount: map[string][]byte{},
		ovID: map[string]uint64{}, ovCount: map[string][]byte{},
	}
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, was, err := portRoot(tx, entryBucket, entryFormat, "an entry store", "1")
		if err != nil {
			return err
		}
		switch was {
		case "":
			if err := root.Put(bEntIndexed, seqKey(0)); err != nil {
				return err
			}
		case "1":
			if err := migrateEntries1(root); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bEntLog, bEntID, bEntCount} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return s.replay(tx)
	})
	if err != nil {
		return nil, checkinErr(err)
	}
	return s, nil
}

// migrateEntries1 converts an entry store of format 1 to format 2: its indexes
// are complete, so the watermark is the log's end.
func migrateEntries1(root *bbolt.Bucket) error {
	var w uint64
	if log := root.Bucket(bEntLog); log != nil {
		w = log.Sequence()
		if k, _ := log.Cursor().Last(); k != nil {
			if len(k) != 8 {
				return fmt.Errorf("bolt: entry log key %x is not a sequence", k)
			}
			w = max(w, binary.BigEndian.Uint64(k))
		}
	}
	if err := root.Put(bEntIndexed, seqKey(w)); err != nil {
		return err
	}
	return root.Put([]byte("format"), []byte(entryFormat))
}

// replay indexes the log above the watermark in the overlay (through the
// staged changes of the opening transaction, published when it commits), and
// checkpoints if it holds K entries or more.
func (s *Entries) replay(tx *bbolt.Tx) error {
	t, err := s.wtx(tx)
	if err != nil {
		return err
	}
	w, err := t.watermark()
	if err != nil {
		return err
	}
	if w == ^uint64(0) {
		return nil
	}
	c := t.b.log.Cursor()
	for k, v := c.Seek(seqKey(w + 1)); k != nil; k, v = c.Next() {
		seq, e, err := entDecode(k, v)
		if err != nil {
			return err
		}
		code := e.Ticket.String()
		old, n, err := entCountValue(s.countValue(t, []byte(code)), e.Ticket)
		if err != nil {
			return err
		}
		if _, err := s.stage(t, e.ID, code, seq, old, n); err != nil {
			return err
		}
	}
	return nil
}

// OpenEntries opens the bolt file at path (see [Open]) and returns its entry
// store. Closing the returned DB closes the store.
func OpenEntries(path string, opts *Options) (*Entries, *DB, error) {
	return openPort(path, opts, (*DB).Entries)
}

// checkinErr maps errClosed to the error of the checkin ports (the entry
// store and the replica).
// entDecode decodes v, the entry stored in the log under the key k, and
// returns it with its sequence.
func entDecode(k, v []byte) (uint64, checkin.Entry, error) {
	var e checkin.Entry
	if len(k) != 8 {
		return 0, e, fmt.Errorf("bolt: entry log key %x is not a sequence", k)
	}
	if err := e.UnmarshalBinary(v); err != nil {
		return 0, e, fmt.Errorf("bolt: entry at sequence %x: %w", k, err)
	}
	return binary.BigEndian.Uint64(k), e, nil
}

func checkinErr(err error) error {
	if errors.Is(err, errClosed) {
		return checkin.ErrClosedStore
	}
	return err
}

type entBuckets struct {
	root, log, id, count *bbolt.Bucket
}

func entRoot(tx *bbolt.Tx) (entBuckets, error) {
	root := bucket(tx, entryBucket)
	if root == nil {
		return entBuckets{}, errors.New("bolt: the file has no entry bucket")
	}
	b := entBuckets{root, root.Bucket(bEntLog), root.Bucket(bEntID), root.Bucket(bEntCount)}
	if b.log == nil || b.id == nil || b.count == nil {
		return entBuckets{}, errors.New("bolt: the entry bucket lacks one of its buckets")
	}
	return b, nil
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

// entTx is the entry store in one of the committer's write transactions: its
// buckets and a cursor on each, which every change of the transaction reuses
// (bbolt's Bucket.Get and Bucket.Put make a new cursor each call, and the
// committer is the one goroutine all admissions wait on). A cursor is
// repositioned by each Seek, so it stays valid across the Puts in between.
type entTx struct {
	tx                *bbolt.Tx
	b                 entBuckets
	logC, idC, countC *bbolt.Cursor
	// flushed is set once a checkpoint of this transaction wrote the overlay
	// into the buckets: lookups then skip the overlay, whose values the staged
	// changes written with it may have superseded.
	flushed bool
}

// wtx returns the store's state in the committer's current transaction,
// making it on the transaction's first change: it drops what an attempt that
// did not commit staged, and registers publish for the commit. Only update
// functions call it, and they all run in the committer goroutine, one at a
// time.
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
	s.unstage()
	t := &entTx{tx: tx, b: b, logC: b.log.Cursor(), idC: b.id.Cursor(), countC: b.count.Cursor()}
	s.cur, s.curGen = t, s.db.gen
	s.db.onCommit(func() { s.publish(t) })
	return t, nil
}

// watermark returns the sequence up to which the buckets index the log.
func (t *entTx) watermark() (uint64, error) { return entWatermark(t.b.root) }

func entWatermark(root *bbolt.Bucket) (uint64, error) {
	w := root.Get(bEntIndexed)
	if len(w) != 8 {
		return 0, fmt.Errorf("bolt: the entry index watermark is %d bytes", len(w))
	}
	return binary.BigEndian.Uint64(w), nil
}

// publish runs once t's transaction has committed, before its callers are
// woken: the overlay takes what the transaction staged (after dropping what
// its checkpoint wrote into the buckets, if it made one).
func (s *Entries) publish(t *entTx) {
	s.mu.Lock()
	if t.flushed {
		clear(s.ovID)
		clear(s.ovCount)
	}
	for id, seq := range s.stID {
		s.ovID[id] = seq
	}
	for code, v := range s.stCount {
		s.ovCount[code] = v
	}
	s.mu.Unlock()
	s.unstage()
	s.cur = nil // the transaction is over: let go of its nodes
}

// entStagedKeep is how many staged entries the staged maps are emptied for
// instead of being made anew: those a transaction of admissions stages
// (Options.MaxOpsPerCommit, 512 by default), and not the thousands of a large
// import, whose maps would otherwise stay that large.
const entStagedKeep = 1024

// unstage empties the staged changes.
func (s *Entries) unstage() {
	if len(s.stID) > entStagedKeep || len(s.stCount) > entStagedKeep {
		s.stID, s.stCount = map[string]uint64{}, map[string][]byte{}
		return
	}
	clear(s.stID)
	clear(s.stCount)
}

// seqOf returns the sequence of the entry with the id, if one is stored, as
// the committer's transaction sees it.
func (s *Entries) seqOf(t *entTx, id []byte) (uint64, bool, error) {
	if seq, ok := s.stID[string(id)]; ok {
		return seq, true, nil
	}
	if !t.flushed {
		if seq, ok := s.ovID[string(id)]; ok {
			return seq, true, nil
		}
	}
	k := entGet(t.idC, id)
	if k == nil {
		return 0, false, nil
	}
	if len(k) != 8 {
		return 0, false, fmt.Errorf("bolt: entry %q points to %x, which is not a sequence", id, k)
	}
	return binary.BigEndian.Uint64(k), true, nil
}

// countValue returns the count value of the ticket code (nil when it has
// none) as the committer's transaction sees it: unchecked (see entCountValue).
func (s *Entries) countValue(t *entTx, code []byte) []byte {
	if v, ok := s.stCount[string(code)]; ok {
		return v
	}
	if !t.flushed {
		if v, ok := s.ovCount[string(code)]; ok {
			return v
		}
	}
	return entGet(t.countC, code)
}

// entGet returns the value of key in the cursor's bucket, nil when it has none.
func entGet(c *bbolt.Cursor, key []byte) []byte {
	k, v := c.Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil
	}
	return v
}

// carve returns n bytes for a count value. Count values are carved from
// chunks of 16 KiB, 8-byte aligned, instead of one allocation each: a value
// is written once, by the committer, before anyone else can see it, and never
// again; a chunk is garbage once the overlay no longer holds any of its
// values.
func (s *Entries) carve(n int) []byte {
	r := (n + 7) &^ 7
	if cap(s.chunk)-len(s.chunk) < r {
		s.chunk = make([]byte, 0, max(16<<10, r))
	}
	l := len(s.chunk)
	s.chunk = s.chunk[:l+r]
	return s.chunk[l : l+n : l+n]
}

// stage indexes the entry with the id at sequence seq on the ticket code,
// whose old count value (old, holding n entries: see entCountValue) it
// extends, and checkpoints when the staged changes and the overlay reach K
// entries. It returns the sequence as a log key.
func (s *Entries) stage(t *entTx, id, code string, seq uint64, old []byte, n int) ([]byte, error) {
	size := 4 + 8*(n+1)
	v := s.carve(size)
	binary.BigEndian.PutUint32(v, uint32(n+1))
	if n > 0 {
		copy(v[4:], old[4:]) // copied: old may point into the mapped file
	}
	binary.BigEndian.PutUint64(v[size-8:], seq)
	s.stID[id] = seq
	s.stCount[code] = v
	pending := len(s.stID)
	if !t.flushed {
		pending += len(s.ovID)
	}
	if pending >= s.k {
		if err := s.flush(t, seq); err != nil {
			return nil, err
		}
	}
	return v[size-8 : size : size], nil
}

type entIDKey struct {
	id  string
	seq uint64
}

type entCountKey struct {
	code string
	v    []byte
}

// flush is a checkpoint: it writes the overlay (unless this transaction did
// already) and the staged changes into the buckets, each bucket in key order,
// and moves the watermark to w, the sequence of the last entry staged (entries
// are staged in sequence order: what the overlay holds is below it). The staged
// changes are then empty and the overlay skipped for the rest of the
// transaction; publish empties it once the transaction commits.
func (s *Entries) flush(t *entTx, w uint64) error {
	ids, counts := s.ckIDs[:0], s.ckCounts[:0]
	size := 0
	if !t.flushed {
		for id, seq := range s.ovID {
			ids = append(ids, entIDKey{id, seq})
			size += len(id) + 8
		}
		for code, v := range s.ovCount {
			if _, ok := s.stCount[code]; !ok {
				counts = append(counts, entCountKey{code, v})
				size += len(code)
			}
		}
	}
	for id, seq := range s.stID { // never in the overlay: it would be a duplicate
		ids = append(ids, entIDKey{id, seq})
		size += len(id) + 8
	}
	for code, v := range s.stCount {
		counts = append(counts, entCountKey{code, v})
		size += len(code)
	}
	slices.SortFunc(ids, func(a, b entIDKey) int { return cmp.Compare(a.id, b.id) })
	slices.SortFunc(counts, func(a, b entCountKey) int { return cmp.Compare(a.code, b.code) })
	// bbolt keeps the keys and values put until the transaction ends: they
	// are copied into one buffer for this checkpoint alone.
	buf := make([]byte, 0, size)
	add := func(p []byte) []byte {
		l := len(buf)
		buf = append(buf, p...)
		return buf[l:len(buf):len(buf)]
	}
	for _, e := range ids {
		k := add([]byte(e.id))
		l := len(buf)
		buf = binary.BigEndian.AppendUint64(buf, e.seq)
		if err := t.b.id.Put(k, buf[l:len(buf):len(buf)]); err != nil {
			return err
		}
	}
	for _, e := range counts {
		if err := t.b.count.Put(add([]byte(e.code)), e.v); err != nil {
			return err
		}
	}
	if err := t.b.root.Put(bEntIndexed, seqKey(w)); err != nil {
		return err
	}
	clear(ids)
	clear(counts)
	s.ckIDs, s.ckCounts = ids[:0], counts[:0]
	t.flushed = true
	s.unstage()
	if s.flushHook != nil {
		s.flushHook()
	}
	return nil
}

// entBuf is what a change prepares in its caller's goroutine, before it
// reaches the committer: the entry's keys and encoding in one allocation.
type entBuf struct {
	id, ticket []byte // the keys in the id and count buckets
	code       string // the ticket code
	enc        []byte // the entry encoded (checkin.Entry.MarshalBinary)
}

// entPrepare encodes e, a valid entry, and its keys.
func entPrepare(e *checkin.Entry) (entBuf, error) {
	code := e.Ticket.String()
	buf := make([]byte, 0, len(e.ID)+len(code)+160)
	buf = append(buf, e.ID...)
	buf = append(buf, code...)
	buf, err := e.AppendBinary(buf)
	if err != nil {
		return entBuf{}, err
	}
	nid, nkey := len(e.ID), len(e.ID)+len(code)
	return entBuf{id: buf[:nid:nid], ticket: buf[nid:nkey:nkey], code: code, enc: buf[nkey:len(buf):len(buf)]}, nil
}

// put stores e (whose id is not stored) as the entry after the ticket's old
// count value (old, holding n entries: see entCountValue): at the log's end,
// and in the staged index changes. With admit, e.Count is n+1 and p.enc, which
// encodes e with a count of 1, is patched to say so.
//
// The values put must stay as they are until the transaction ends, and a
// change's update function runs again in a new transaction when another change
// of its transaction fails: p's buffer is written afresh on each run and read
// by no one else, so patching it in place is safe.
func (s *Entries) put(t *entTx, e *checkin.Entry, p *entBuf, old []byte, n int, admit bool) error {
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
	k, err := s.stage(t, e.ID, p.code, seq, old, n)
	if err != nil {
		return err
	}
	return t.b.log.Put(k, enc)
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
		return checkin.Admission{}, checkinErr(err)
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
	seq, dup, err := s.seqOf(t, a.p.id)
	if err != nil {
		return err
	}
	if dup {
		old, err := t.entryAt(seq, a.e.ID)
		if err != nil {
			return err
		}
		_, n, err := entCountValue(s.countValue(t, []byte(old.Ticket.String())), old.Ticket)
		a.out = checkin.Admission{Entry: old, Admitted: true, Duplicate: true, Count: n}
		return err
	}
	tv, n, err := entCountValue(s.countValue(t, a.p.ticket), a.e.Ticket)
	if err != nil {
		return err
	}
	if n >= a.max {
		a.out = checkin.Admission{Count: n}
		return nil
	}
	stored := a.e
	stored.Count = n + 1
	if err := s.put(t, &stored, &a.p, tv, n, true); err != nil {
		return err
	}
	a.out = checkin.Admission{Entry: stored, Admitted: true, Count: n + 1}
	return nil
}

// entryAt returns the entry at sequence seq, which the id index gives for id.
func (t *entTx) entryAt(seq uint64, id string) (checkin.Entry, error) {
	v := entGet(t.logC, seqKey(seq))
	if v == nil {
		return checkin.Entry{}, fmt.Errorf("bolt: entry %q points to sequence %d, which is missing", id, seq)
	}
	var e checkin.Entry
	if err := e.UnmarshalBinary(v); err != nil {
		return checkin.Entry{}, fmt.Errorf("bolt: entry at sequence %d: %w", seq, err)
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
			if _, dup, err := s.seqOf(t, ps[i].id); err != nil || dup {
				if err != nil {
					return err
				}
				continue
			}
			tv, n, err := entCountValue(s.countValue(t, ps[i].ticket), es[i].Ticket)
			if err != nil {
				return err
			}
			if err := s.put(t, &es[i], &ps[i], tv, n, false); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return 0, checkinErr(err)
	}
	return added, nil
}

// view runs fn on the committed indexes: a read transaction begun under
// mu.RLock, which fn holds (see Entries.mu), and the overlay.
func (s *Entries) view(fn func(b entBuckets) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db.view(func(tx *bbolt.Tx) error {
		b, err := entRoot(tx)
		if err != nil {
			return err
		}
		if s.readHook != nil {
			s.readHook()
		}
		return fn(b)
	})
}

// ticketValue returns the committed count value of a ticket and its count,
// from the overlay or the bucket; the caller holds mu.RLock.
func (s *Entries) ticketValue(b entBuckets, code codes.TicketCode) ([]byte, int, error) {
	c := code.String()
	v, ok := s.ovCount[c]
	if !ok {
		v = b.count.Get([]byte(c))
	}
	return entCountValue(v, code)
}

// Count implements [checkin.Store].
func (s *Entries) Count(ctx context.Context, code codes.TicketCode) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err := s.view(func(b entBuckets) error {
		var err error
		_, n, err = s.ticketValue(b, code)
		return err
	})
	return n, checkinErr(err)
}

// Entries implements [checkin.Store].
func (s *Entries) Entries(ctx context.Context, code codes.TicketCode) ([]checkin.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []checkin.Entry{}
	err := s.view(func(b entBuckets) error {
		tv, n, err := s.ticketValue(b, code)
		if err != nil {
			return err
		}
		for i := range n {
			seq := tv[4+8*i : 12+8*i]
			v := b.log.Get(seq)
			if v == nil {
				return fmt.Errorf("bolt: the entries of %s name sequence %x, which is missing", code, seq)
			}
			_, e, err := entDecode(seq, v)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, checkinErr(err)
	}
	return out, nil
}

// Changes implements [checkin.Store]. It reads the log alone, without the
// indexes.
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
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			seq, e, err := entDecode(k, v)
			if err != nil {
				return err
			}
			out = append(out, checkin.Change{Seq: seq, Entry: e})
		}
		return nil
	})
	if err != nil {
		return nil, checkinErr(err)
	}
	return out, nil
}
