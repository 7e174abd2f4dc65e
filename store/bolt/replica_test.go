package bolt_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/checkin/node/replicatest"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/bolt"
)

func openReplica(t *testing.T, path string) (*bolt.Replica, *bolt.DB) {
	t.Helper()
	db, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Replica()
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return r, db
}

func TestReplica(t *testing.T) {
	replicatest.TestReplicaStore(t, func(t *testing.T) (node.ReplicaStore, func() node.ReplicaStore) {
		path := filepath.Join(t.TempDir(), "replica.db")
		r, db := openReplica(t, path)
		t.Cleanup(func() { db.Close() })
		return r, func() node.ReplicaStore {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			r, db = openReplica(t, path)
			return r
		}
	})
}

func TestReplicaClosed(t *testing.T) {
	r, db := openReplica(t, filepath.Join(t.TempDir(), "replica.db"))
	db.Close()
	if err := r.Save(t.Context(), fixtureSession(t), nil, node.Cursors{}); !errors.Is(err, checkin.ErrClosedStore) {
		t.Fatalf("Save after Close: %v", err)
	}
	if _, _, err := r.Load(t.Context(), fixtureSession(t)); !errors.Is(err, checkin.ErrClosedStore) {
		t.Fatalf("Load after Close: %v", err)
	}
	if _, err := db.Replica(); !errors.Is(err, checkin.ErrClosedStore) {
		t.Fatalf("Replica after Close: %v", err)
	}
}

func fixtureSession(t *testing.T) codes.SessionCode {
	t.Helper()
	s, err := codes.ParseSessionCode("110101001012025052001")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
