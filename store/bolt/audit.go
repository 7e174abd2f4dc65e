package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/audit"
)

// The operation log's bucket, "audit", holds its format under "format", its head
// under "head" (the last entry's sequence, 8 bytes big-endian, and hash, 32
// bytes) and the nested bucket "entries": sequence (8 bytes big-endian) → the
// entry in the binary form of [audit.Entry.MarshalBinary] (its canonical
// encoding and its hash). Keys in sequence order make Read one cursor walk.
const (
	auditBucket = "audit"
	auditFormat = "1"
)

var (
	bAuditEntries = []byte("entries")
	kAuditHead    = []byte("head")
)

// AuditLog is the [audit.Store] of a bolt file: an append is durable when it
// returns (bbolt fsyncs the file at commit) and is group-committed with every
// other change of its [DB], so concurrent appenders share fsyncs. It has no way
// to change or remove an entry. Take it from [DB.AuditLog]; it lives as long as
// its DB. An AuditLog is safe for concurrent use; one process at a time opens
// the file.
type AuditLog struct {
	db *DB
}

var _ audit.Store = (*AuditLog)(nil)

// AuditLog returns the file's operation log, creating its bucket on first use.
// It fails when the file holds a log of a format this version does not know.
func (db *DB) AuditLog() (*AuditLog, error) {
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, _, err := portRoot(tx, auditBucket, auditFormat, "an operation log")
		if err != nil {
			return err
		}
		_, err = root.CreateBucketIfNotExists(bAuditEntries)
		return err
	})
	if err != nil {
		return nil, auditErr(err)
	}
	return &AuditLog{db: db}, nil
}

// OpenAuditLog opens the bolt file at path (see [Open]) and returns its
// operation log. Closing the returned DB closes the log.
func OpenAuditLog(path string, opts *Options) (*AuditLog, *DB, error) {
	return openPort(path, opts, (*DB).AuditLog)
}

func auditErr(err error) error {
	if errors.Is(err, errClosed) {
		return audit.ErrClosed
	}
	return err
}

func auditRoot(tx *bbolt.Tx) (root, entries *bbolt.Bucket, err error) {
	root = bucket(tx, auditBucket)
	if root == nil {
		return nil, nil, errors.New("bolt: the file has no audit bucket")
	}
	entries = root.Bucket(bAuditEntries)
	if entries == nil {
		return nil, nil, errors.New("bolt: the audit bucket has no entries bucket")
	}
	return root, entries, nil
}

func auditHead(root *bbolt.Bucket) (audit.Anchor, error) {
	v := root.Get(kAuditHead)
	if v == nil {
		return audit.Anchor{}, nil
	}
	if len(v) != 8+len(audit.Hash{}) {
		return audit.Anchor{}, fmt.Errorf("bolt: the audit head is %d bytes, want 40", len(v))
	}
	a := audit.Anchor{Seq: binary.BigEndian.Uint64(v)}
	copy(a.Hash[:], v[8:])
	return a, nil
}

// Append implements [audit.Store].
func (l *AuditLog) Append(ctx context.Context, recs ...audit.Record) ([]audit.Entry, error) {
	checked, err := audit.CheckRecords(recs)
	if err != nil {
		return nil, err
	}
	var out []audit.Entry
	err = l.db.update(ctx, func(tx *bbolt.Tx) error {
		out = nil
		root, entries, err := auditRoot(tx)
		if err != nil {
			return err
		}
		head, err := auditHead(root)
		if err != nil {
			return err
		}
		es := audit.Seal(head, checked)
		for _, e := range es {
			b, _ := e.MarshalBinary()
			if err := entries.Put(seqKey(e.Seq), b); err != nil {
				return err
			}
		}
		last := es[len(es)-1]
		if err := root.Put(kAuditHead, append(seqKey(last.Seq), last.Hash[:]...)); err != nil {
			return err
		}
		out = es
		return nil
	})
	if err != nil {
		return nil, auditErr(err)
	}
	return out, nil
}

// Head implements [audit.Store].
func (l *AuditLog) Head(ctx context.Context) (audit.Anchor, error) {
	if err := ctx.Err(); err != nil {
		return audit.Anchor{}, err
	}
	var head audit.Anchor
	err := l.db.view(func(tx *bbolt.Tx) error {
		root, _, err := auditRoot(tx)
		if err != nil {
			return err
		}
		head, err = auditHead(root)
		return err
	})
	return head, auditErr(err)
}

// Read implements [audit.Store]. An entry that cannot be decoded, or that holds
// another sequence than the one it is stored under, is reported as an
// [audit.Malformed] fault when it is the first of the page (the page before it
// is returned first).
func (l *AuditLog) Read(ctx context.Context, after uint64, limit int) ([]audit.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := audit.CheckRead(limit); err != nil {
		return nil, err
	}
	if after == ^uint64(0) {
		return []audit.Entry{}, nil
	}
	out := make([]audit.Entry, 0, min(limit, 1024))
	err := l.db.view(func(tx *bbolt.Tx) error {
		_, entries, err := auditRoot(tx)
		if err != nil {
			return err
		}
		c := entries.Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var e audit.Entry
			err := e.UnmarshalBinary(v) // copies: nothing refers to the mapped file
			if err == nil && (len(k) != 8 || binary.BigEndian.Uint64(k) != e.Seq) {
				err = fmt.Errorf("stored under key %x but holds sequence %d", k, e.Seq)
			}
			if err != nil {
				if len(out) > 0 {
					return nil
				}
				seq := after + 1
				if len(k) == 8 {
					seq = binary.BigEndian.Uint64(k)
				}
				return audit.Malformed(seq, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, auditErr(err)
	}
	return out, nil
}
