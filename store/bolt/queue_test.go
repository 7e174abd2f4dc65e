package bolt_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/storetest"
)

func openQueue(t *testing.T, path string) (*bolt.Queue, *bolt.DB) {
	t.Helper()
	q, db, err := bolt.OpenQueue(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return q, db
}

func TestQueue(t *testing.T) {
	storetest.TestQueue(t, func(t *testing.T) report.Queue {
		q, db := openQueue(t, filepath.Join(t.TempDir(), "queue.db"))
		t.Cleanup(func() { db.Close() })
		return q
	})
}

func TestQueueReopen(t *testing.T) {
	storetest.TestQueueReopen(t, func(t *testing.T) (report.Queue, func() report.Queue) {
		path := filepath.Join(t.TempDir(), "queue.db")
		q, db := openQueue(t, path)
		t.Cleanup(func() { db.Close() })
		return q, func() report.Queue {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			q, db = openQueue(t, path)
			return q
		}
	})
}

func TestFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue.db")
	_, db := openQueue(t, path)
	defer db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&^bolt.FileMode != 0 {
		t.Fatalf("file created with mode %v, want at most %v", fi.Mode().Perm(), os.FileMode(bolt.FileMode))
	}
	if db.Path() != path {
		t.Fatalf("Path() = %q, want %q", db.Path(), path)
	}
}

func TestClosed(t *testing.T) {
	q, db := openQueue(t, filepath.Join(t.TempDir(), "queue.db"))
	ctx := context.Background()
	now := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	if _, err := q.Enqueue(ctx, now, report.Draft{Key: "k", Endpoint: "/e", Day: wht93.DateOf(now)}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err := q.Enqueue(ctx, now, report.Draft{Key: "k2", Endpoint: "/e", Day: wht93.DateOf(now)})
	if !errors.Is(err, report.ErrClosed) {
		t.Fatalf("Enqueue after Close: %v, want ErrClosed", err)
	}
	if _, err := q.Get(ctx, 1); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("Get after Close: %v, want ErrClosed", err)
	}
	if _, err := q.Stats(ctx, now); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("Stats after Close: %v, want ErrClosed", err)
	}
}

func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue.db")
	_, db := openQueue(t, path)
	defer db.Close()
	// bbolt's lock is per open file description: a second Open in the same
	// process waits like a second process would.
	_, err := bolt.Open(path, &bolt.Options{LockTimeout: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("a second Open of a file in use succeeded")
	}
}
