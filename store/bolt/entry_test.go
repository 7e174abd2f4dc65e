package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/piaowu/wht93"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/store/storetest"
)

func entOpen(t *testing.T, path string) (*Entries, *DB) {
	t.Helper()
	s, db, err := OpenEntries(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// entTB is what entOpenK needs of a test (a *testing.T or a *rapid.T).
type entTB interface {
	Helper()
	Fatal(args ...any)
}

// entOpenK opens the entry store of the file with the checkpoint size k.
func entOpenK(t entTB, path string, k int) (*Entries, *DB) {
	t.Helper()
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.entries(k)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return s, db
}

// entSizes are the checkpoint sizes the suites run with: the default, and
// small ones, so that checkpoints happen all the time (with 1, at every entry).
var entSizes = []int{entCheckpoint, 1, 3}

func TestEntries(t *testing.T) {
	for _, k := range entSizes {
		t.Run(fmt.Sprint("K=", k), func(t *testing.T) {
			storetest.TestEntries(t, func(t *testing.T) checkin.Store {
				s, db := entOpenK(t, filepath.Join(t.TempDir(), "entries.db"), k)
				t.Cleanup(func() { db.Close() })
				return s
			})
		})
	}
}

func TestEntriesReopen(t *testing.T) {
	for _, k := range entSizes {
		t.Run(fmt.Sprint("K=", k), func(t *testing.T) {
			storetest.TestEntriesReopen(t, func(t *testing.T) (checkin.Store, func() checkin.Store) {
				path := filepath.Join(t.TempDir(), "entries.db")
				s, db := entOpenK(t, path, k)
				t.Cleanup(func() { db.Close() })
				return s, func() checkin.Store {
					if err := db.Close(); err != nil {
						t.Fatal(err)
					}
					s, db = entOpenK(t, path, k)
					return s
				}
			})
		})
	}
}

// TestEntriesManyCounts: a ticket admitted past 127 entries (where the count
// no longer fits the byte the committer patches) keeps every count.
func TestEntriesManyCounts(t *testing.T) {
	s, db := entOpen(t, filepath.Join(t.TempDir(), "entries.db"))
	defer db.Close()
	ctx := context.Background()
	for i := 1; i <= 130; i++ {
		e := checkin.Entry{ID: "m" + strconv.Itoa(i), Ticket: entCrashTicket(1), RealName: 1, Method: checkin.QR,
			Gate: "g", Device: "d", Node: "n", At: time.Date(2025, 5, 20, 19, 0, i, 0, wht93.CST), Count: 1}
		a, err := s.Admit(ctx, e, checkin.MaxEntries)
		if err != nil || a.Entry.Count != i {
			t.Fatalf("entry %d: %+v %v", i, a, err)
		}
	}
	es, err := s.Entries(ctx, entCrashTicket(1))
	if err != nil || len(es) != 130 || es[127].Count != 128 || es[129].Count != 130 {
		t.Fatalf("%d entries, %v", len(es), err)
	}
}
