package bolt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/storetest"
)

func auditOpen(t *testing.T, path string) (*AuditLog, *DB) {
	t.Helper()
	l, db, err := OpenAuditLog(path, nil)
	if err != nil {
		t.Fatalf("OpenAuditLog: %v", err)
	}
	return l, db
}

func auditTemp(t *testing.T) (*AuditLog, *DB) {
	t.Helper()
	l, db := auditOpen(t, filepath.Join(t.TempDir(), "audit.db"))
	t.Cleanup(func() { db.Close() })
	return l, db
}

func TestAudit(t *testing.T) {
	storetest.TestAudit(t, func(t *testing.T) audit.Store {
		l, _ := auditTemp(t)
		return l
	})
}

func TestAuditReopen(t *testing.T) {
	storetest.TestAuditReopen(t, func(t *testing.T) (audit.Store, func() audit.Store) {
		path := filepath.Join(t.TempDir(), "audit.db")
		l, db := auditOpen(t, path)
		t.Cleanup(func() { db.Close() })
		return l, func() audit.Store {
			if err := db.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			l, db = auditOpen(t, path)
			return l
		}
	})
}

func TestAuditTamper(t *testing.T) {
	storetest.TestAuditTamper(t, func(t *testing.T) (audit.Store, storetest.AuditTamperer) {
		l, db := auditTemp(t)
		return l, auditTamperer{db}
	})
}

// auditTamperer writes the file's entries bucket directly, as a tool with raw
// access to the file would.
type auditTamperer struct{ db *DB }

func (tm auditTamperer) Put(ctx context.Context, e audit.Entry) error {
	b, _ := e.MarshalBinary()
	return tm.putRaw(ctx, e.Seq, b)
}

func (tm auditTamperer) putRaw(ctx context.Context, seq uint64, b []byte) error {
	return tm.db.update(ctx, func(tx *bbolt.Tx) error {
		_, entries, err := auditRoot(tx)
		if err != nil {
			return err
		}
		return entries.Put(seqKey(seq), b)
	})
}

func (tm auditTamperer) Delete(ctx context.Context, seq uint64) error {
	return tm.db.update(ctx, func(tx *bbolt.Tx) error {
		_, entries, err := auditRoot(tx)
		if err != nil {
			return err
		}
		return entries.Delete(seqKey(seq))
	})
}

// TestAuditMalformed checks that an entry the file cannot decode, or one moved
// under another key, is reported at its sequence and that verification goes on
// after it.
func TestAuditMalformed(t *testing.T) {
	ctx := context.Background()
	l, db := auditTemp(t)
	var recs []audit.Record
	for i := range 6 {
		recs = append(recs, audit.Record{Time: auditTime(i), User: "op-1", Action: audit.ActionSale, Content: "售出"})
	}
	es, err := audit.Append(ctx, l, recs...)
	if err != nil {
		t.Fatal(err)
	}
	tm := auditTamperer{db}
	good, _ := es[1].MarshalBinary()
	if err := tm.putRaw(ctx, 2, good[:len(good)-3]); err != nil { // cut short
		t.Fatal(err)
	}
	moved, _ := es[4].MarshalBinary() // entry 5 stored under key 4
	if err := tm.putRaw(ctx, 4, moved); err != nil {
		t.Fatal(err)
	}
	_, err = audit.Verify(ctx, l)
	var faults audit.Faults
	if !errors.As(err, &faults) {
		t.Fatalf("Verify = %v, want faults", err)
	}
	want := []struct {
		code string
		seq  uint64
	}{{"audit.malformed", 2}, {"audit.malformed", 4}}
	if len(faults) != len(want) {
		t.Fatalf("Verify found %v, want %v", faults, want)
	}
	for i, w := range want {
		if faults[i].Rule().Code() != w.code || faults[i].Seq != w.seq {
			t.Fatalf("finding %d: %s at %d, want %s at %d (%v)", i, faults[i].Rule().Code(), faults[i].Seq, w.code, w.seq, faults)
		}
	}
}

func TestAuditFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.db")
	_, db := auditOpen(t, path)
	defer db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestAuditClosed(t *testing.T) {
	l, db := auditOpen(t, filepath.Join(t.TempDir(), "audit.db"))
	db.Close()
	ctx := context.Background()
	rec := audit.Record{Time: auditTime(0), User: "op-1", Action: audit.ActionLogin}
	if _, err := l.Append(ctx, rec); !errors.Is(err, audit.ErrClosed) {
		t.Fatalf("Append after Close: %v, want ErrClosed", err)
	}
	if _, err := l.Head(ctx); !errors.Is(err, audit.ErrClosed) {
		t.Fatalf("Head after Close: %v, want ErrClosed", err)
	}
	if _, err := l.Read(ctx, 0, 1); !errors.Is(err, audit.ErrClosed) {
		t.Fatalf("Read after Close: %v, want ErrClosed", err)
	}
}
