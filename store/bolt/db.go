package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// DB is one bbolt file holding the data of the SDK's ports. Open it once per
// process (the file is locked against a second process) and take the ports
// from it: [DB.Queue], and the ports other packages add.
//
// # Layout
//
// Each port keeps everything under one top-level bucket named after it
// ("queue", "inventory", "entry", "audit", …) and records its own format
// version under the key "format" inside it; its constructor creates the bucket
// on first use and refuses a format it does not know. A port never touches
// another's bucket, so ports are added without a migration of the file.
//
// # Durability and group commit
//
// Every change goes through [DB.update]: one committer goroutine gathers the
// changes waiting at the moment it starts a transaction, applies them in one
// bbolt transaction, commits (bbolt fsyncs the file) and only then wakes their
// callers. Under load many callers share one fsync; alone, a caller waits for
// exactly one. A change whose function fails is taken out and the others are
// applied again without it, so one caller's failure is never another's. A
// change may ask for a function to run after its transaction commits and
// before the callers are woken (onCommit): the entry store publishes its
// in-memory index overlay that way.
//
// A DB is safe for concurrent use.
type DB struct {
	bolt *bbolt.DB
	ops  chan *op

	mu     sync.RWMutex // guards closed against sends on ops
	closed bool

	closing chan struct{}
	stopped chan struct{}

	commits counter // transactions committed, for tests and benchmarks
	hook    func()  // test hook: runs in the committer before each transaction

	// gen numbers the committer's transactions. Only the committer touches it:
	// an update function may read it to keep state for the length of one
	// transaction (see Queue.wtx).
	gen uint64

	// after holds what the changes of the committer's current transaction
	// asked to run once it commits (see onCommit). Only the committer touches
	// it.
	after []func()

	inv invHandle // the inventory port (inventory.go): one per file, it keeps seats in memory
	ent entHandle // the entry store (entry.go): one per file, it keeps an index overlay in memory
}

// Options configure [Open]. The zero value is the default.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file; 0 means 10 seconds.
	LockTimeout time.Duration
	// MaxOpsPerCommit bounds how many changes share one transaction; 0 means
	// 512.
	MaxOpsPerCommit int
}

// FileMode is the mode of a file that Open creates: readable and writable by
// its owner only (the queue holds report bodies with personal data).
const FileMode = 0o600

// errClosed is returned by update and view once Close has begun; each port
// turns it into its own error.
var errClosed = errors.New("bolt: database is closed")

type op struct {
	fn   func(*bbolt.Tx) error
	err  error
	done chan struct{}
}

type counter struct {
	mu sync.Mutex
	n  int64
}

func (c *counter) add() { c.mu.Lock(); c.n++; c.mu.Unlock() }
func (c *counter) get() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Open opens the bbolt file at path, creating it with [FileMode] when it does
// not exist, and starts its committer. Close it with [DB.Close].
func Open(path string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = 10 * time.Second
	}
	if o.MaxOpsPerCommit <= 0 {
		o.MaxOpsPerCommit = 512
	}
	b, err := bbolt.Open(path, FileMode, &bbolt.Options{
		Timeout:      o.LockTimeout,
		FreelistType: bbolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	db := &DB{
		bolt:    b,
		ops:     make(chan *op, o.MaxOpsPerCommit),
		closing: make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go db.commit(o.MaxOpsPerCommit)
	return db, nil
}

// Path returns the file's path.
func (db *DB) Path() string { return db.bolt.Path() }

// Close waits for the changes already submitted to commit, stops the committer
// and closes the file. Calls after Close fail; a second Close returns nil.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	db.mu.Unlock()
	close(db.closing)
	<-db.stopped
	return db.bolt.Close()
}

// update applies fn in a write transaction shared with the other changes
// waiting at the time, and returns once that transaction is committed (or
// failed). fn may run more than once (when another change of its transaction
// fails, the transaction is rolled back and run again without it): it must
// derive everything from the transaction and set its results afresh on each
// run. If ctx ends first, update returns ctx.Err() and the change may still be
// committed.
func (db *DB) update(ctx context.Context, fn func(*bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o, err := db.submit(fn)
	if err != nil {
		return err
	}
	return o.wait(ctx)
}

// submit hands fn to the committer without waiting for it (see update);
// o.wait waits. A port that must hand its changes over in the order it made
// them submits under its own locks and waits after releasing them, so that
// many changes share a commit (see Inventory).
func (db *DB) submit(fn func(*bbolt.Tx) error) (*op, error) {
	o := &op{fn: fn, done: make(chan struct{})}
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return nil, errClosed
	}
	db.ops <- o
	return o, nil
}

// wait waits for o's transaction to commit or fail, or for ctx to end.
func (o *op) wait(ctx context.Context) error {
	select {
	case <-o.done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// onCommit registers f to run once the transaction the calling update
// function runs in has committed: in the committer, after the commit (the
// fsync) and before any caller of the transaction is woken, in the order of
// registration. When the transaction fails or is rolled back to run again
// without a failing change, f is dropped and never runs: a function that runs
// again registers again. So a port keeps in memory what its changes staged in
// a transaction and makes it visible only once it is durable (see
// Entries.publish). Only update functions call onCommit; f must not fail and
// must not call update.
func (db *DB) onCommit(f func()) { db.after = append(db.after, f) }

// view runs fn in a read-only transaction: a consistent snapshot.
func (db *DB) view(fn func(*bbolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return errClosed
	}
	return db.bolt.View(fn)
}

// commit is the committer goroutine.
func (db *DB) commit(maxOps int) {
	defer close(db.stopped)
	batch := make([]*op, 0, maxOps)
	for {
		select {
		case o := <-db.ops:
			batch = append(batch[:0], o)
		case <-db.closing:
			for { // the senders are gone (Close holds closed); drain what they left
				select {
				case o := <-db.ops:
					db.apply([]*op{o})
				default:
					return
				}
			}
		}
	gather:
		for len(batch) < maxOps {
			select {
			case o := <-db.ops:
				batch = append(batch, o)
			default:
				break gather
			}
		}
		db.apply(batch)
		// The callers just woken are runnable: let them queue their next
		// changes before the next transaction starts, so that they share it
		// instead of waiting for the one after. Yield as long as yielding brings
		// more changes (a lone caller costs one yield that finds nothing).
		for n := len(db.ops); n < maxOps; {
			runtime.Gosched()
			m := len(db.ops)
			if m == n {
				break
			}
			n = m
		}
	}
}

// apply runs the batch in one transaction and wakes its callers. A failing
// function is reported to its caller alone and the rest is applied again.
func (db *DB) apply(batch []*op) {
	for len(batch) > 0 {
		if db.hook != nil {
			db.hook()
		}
		db.gen++
		clear(db.after) // a rolled-back attempt's: never run
		db.after = db.after[:0]
		failed := -1
		err := db.bolt.Update(func(tx *bbolt.Tx) error {
			for i, o := range batch {
				if err := o.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			if err == nil {
				db.commits.add()
				for _, f := range db.after {
					f()
				}
			}
			clear(db.after)
			db.after = db.after[:0]
			for _, o := range batch {
				o.err = err
				close(o.done)
			}
			return
		}
		batch[failed].err = err
		close(batch[failed].done)
		batch = append(batch[:failed:failed], batch[failed+1:]...)
	}
}

// portRoot returns the top-level bucket of a port in tx, creating it on first
// use with the port's format under "format". A bucket of another format fails,
// with what (the port: "a queue", …) in the error, unless the format is one
// of old, which the caller converts. It returns the format the bucket held
// before: "" when it is new.
func portRoot(tx *bbolt.Tx, name, format, what string, old ...string) (*bbolt.Bucket, string, error) {
	root, err := tx.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, "", err
	}
	f := root.Get([]byte("format"))
	switch {
	case f == nil:
		return root, "", root.Put([]byte("format"), []byte(format))
	case string(f) != format && !slices.Contains(old, string(f)):
		return nil, "", fmt.Errorf("bolt: %s holds %s of format %q; this version reads format %q", tx.DB().Path(), what, f, format)
	}
	return root, string(f), nil
}

// openPort opens the bolt file at path (see [Open]) and takes a port from it
// with get; it closes the file again when get fails. The OpenXxx functions
// are made of it.
func openPort[P any](path string, opts *Options, get func(*DB) (P, error)) (P, *DB, error) {
	var zero P
	db, err := Open(path, opts)
	if err != nil {
		return zero, nil, err
	}
	p, err := get(db)
	if err != nil {
		db.Close()
		return zero, nil, err
	}
	return p, db, nil
}

// seqKey returns a sequence as a key: 8 bytes big-endian, so that keys sort
// in sequence order (the queue's records, the entry log, the operation log,
// the inventory's tickets).
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq) }

// bucket returns the top-level bucket name of tx, or nil when it does not
// exist (in a read-only transaction before the port's first use).
func bucket(tx *bbolt.Tx, name string) *bbolt.Bucket { return tx.Bucket([]byte(name)) }
