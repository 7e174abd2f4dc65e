package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
)

func replicaPasses(t *testing.T) []checkin.Pass {
	t.Helper()
	f, err := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 6, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := b.Changes(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]checkin.Pass, len(cs))
	for i, c := range cs {
		ps[i] = c.Pass
	}
	return ps
}

// TestReplicaSaveAtomic: a Save whose transaction fails after writing its
// passes (the failure injected after putReplica, as a crash before commit
// would) leaves the previous passes and cursors: they are one transaction.
func TestReplicaSaveAtomic(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Replica()
	if err != nil {
		t.Fatal(err)
	}
	ps := replicaPasses(t)
	sess := ps[0].Ticket.Session()
	before := node.Cursors{Passes: 3, Down: 2, Up: 1}
	if err := r.Save(ctx, sess, ps[:3], before); err != nil {
		t.Fatal(err)
	}
	page := ps[3:]
	vals := make([][]byte, len(page))
	for i := range page {
		if vals[i], err = page[i].MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	}
	var cur [24]byte
	binary.BigEndian.PutUint64(cur[:], 6)
	injected := errors.New("injected failure before commit")
	wrote := false
	err = db.update(ctx, func(tx *bbolt.Tx) error {
		if err := putReplica(tx, sess, page, vals, cur[:]); err != nil {
			return err
		}
		wrote = true
		return injected
	})
	if !errors.Is(err, injected) || !wrote {
		t.Fatalf("update: %v (wrote %v)", err, wrote)
	}
	got, c, err := r.Load(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	if c != before || len(got) != 3 {
		t.Fatalf("after a failed save: %d passes, cursors %+v; want 3 and %+v", len(got), c, before)
	}
}

// TestReplicaCorrupt: Load names a record that does not decode, a pass saved
// under another ticket, and cursors of the wrong length; an unknown format is
// refused.
func TestReplicaCorrupt(t *testing.T) {
	ctx := context.Background()
	ps := replicaPasses(t)
	sess := ps[0].Ticket.Session()
	cases := []struct {
		name  string
		spoil func(sb *bbolt.Bucket) error
		rule  error
		field string
	}{
		{"garbage pass", func(sb *bbolt.Bucket) error {
			return sb.Bucket(bReplicaPass).Put([]byte(ps[1].Ticket.String()), []byte{9, 9})
		}, checkin.ErrEncoding, "pass[" + ps[1].Ticket.String() + "]"},
		{"pass under another ticket", func(sb *bbolt.Bucket) error {
			v, _ := ps[2].MarshalBinary()
			return sb.Bucket(bReplicaPass).Put([]byte(ps[1].Ticket.String()), v)
		}, node.ErrReplica, "pass[" + ps[1].Ticket.String() + "]"},
		{"short cursors", func(sb *bbolt.Bucket) error {
			return sb.Put(bReplicaCursors, []byte{1, 2, 3})
		}, node.ErrReplica, "cursors"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := Open(filepath.Join(t.TempDir(), "r.db"), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			r, err := db.Replica()
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Save(ctx, sess, ps, node.Cursors{Passes: 6}); err != nil {
				t.Fatal(err)
			}
			if err := db.update(ctx, func(tx *bbolt.Tx) error {
				return c.spoil(tx.Bucket([]byte(replicaBucket)).Bucket([]byte(sess.String())))
			}); err != nil {
				t.Fatal(err)
			}
			_, _, err = r.Load(ctx, sess)
			if !errors.Is(err, c.rule) || !strings.Contains(err.Error(), c.field) {
				t.Fatalf("Load: %v, want %v naming %s", err, c.rule, c.field)
			}
		})
	}
	db, err := Open(filepath.Join(t.TempDir(), "f.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte(replicaBucket))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("9"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Replica(); err == nil || !strings.Contains(err.Error(), `format "9"`) {
		t.Fatalf("Replica of format 9: %v", err)
	}
}
