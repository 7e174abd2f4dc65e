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

// openReplica opens a new file's replica store, closed at the end of the test.
func openReplica(t *testing.T) (*DB, *Replica) {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := db.Replica()
	if err != nil {
		t.Fatal(err)
	}
	return db, r
}

// TestReplicaSaveAtomic: a Save whose transaction fails after writing its
// passes (the failure injected after putReplica, as a crash before commit
// would) leaves the previous passes and cursors: they are one transaction.
func TestReplicaSaveAtomic(t *testing.T) {
	ctx := context.Background()
	db, r := openReplica(t)
	var err error
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
			db, r := openReplica(t)
			var err error
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

// TestReplicaCursorsWithoutEpoch: cursors saved before they carried the
// upstream book's epoch (24 bytes) load with epoch 0, so that the next Sync
// learns the epoch; cursors saved now keep it.
func TestReplicaCursorsWithoutEpoch(t *testing.T) {
	ctx := context.Background()
	ps := replicaPasses(t)
	sess := ps[0].Ticket.Session()
	db, r := openReplica(t)
	var err error
	saved := node.Cursors{Passes: 6, Down: 5, Up: 4, Epoch: 77}
	if err := r.Save(ctx, sess, ps, saved); err != nil {
		t.Fatal(err)
	}
	if _, c, err := r.Load(ctx, sess); err != nil || c != saved {
		t.Fatalf("Load: %+v, %v; want %+v", c, err, saved)
	}
	var old [24]byte
	binary.BigEndian.PutUint64(old[:], 6)
	binary.BigEndian.PutUint64(old[8:], 5)
	binary.BigEndian.PutUint64(old[16:], 4)
	if err := db.update(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(replicaBucket)).Bucket([]byte(sess.String())).Put(bReplicaCursors, old[:])
	}); err != nil {
		t.Fatal(err)
	}
	got, c, err := r.Load(ctx, sess)
	if err != nil || c != (node.Cursors{Passes: 6, Down: 5, Up: 4}) || len(got) != len(ps) {
		t.Fatalf("Load of 24-byte cursors: %d passes, %+v, %v", len(got), c, err)
	}
}
