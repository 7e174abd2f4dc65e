package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/storetest"
)

func entOpen(t testing.TB, sqlDB *sql.DB, schema string) *Entries {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, sqlDB, &Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s, err := db.Entries(ctx)
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	return s
}

// entNew returns an entry store in a new schema of the test server; without
// one the test skips (fails under CI=true), see auditSQL.
func entNew(t testing.TB) *Entries {
	t.Helper()
	sqlDB := auditSQL(t)
	return entOpen(t, sqlDB, auditSchema(t, sqlDB))
}

func TestEntries(t *testing.T) {
	storetest.TestEntries(t, func(t *testing.T) checkin.Store { return entNew(t) })
}

func TestEntriesReopen(t *testing.T) {
	storetest.TestEntriesReopen(t, func(t *testing.T) (checkin.Store, func() checkin.Store) {
		sqlDB := auditSQL(t)
		schema := auditSchema(t, sqlDB)
		return entOpen(t, sqlDB, schema), func() checkin.Store {
			return entOpen(t, auditSQL(t), schema) // a new pool, as a restarted process has
		}
	})
}

// TestEntriesShared: two pools on one schema, as two processes sharing it,
// admit the same tickets at once; no ticket goes over its maximum and the
// change feed lists every entry once.
func TestEntriesShared(t *testing.T) {
	sqlDB := auditSQL(t)
	schema := auditSchema(t, sqlDB)
	stores := []*Entries{entOpen(t, sqlDB, schema), entOpen(t, auditSQL(t), schema)}
	sc, _ := codes.ParseSessionCode("110101001012025052001")
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	admitted := 0
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for i := range 30 {
				code, _ := codes.NewTicketCode(sc, fmt.Sprintf("S%d", i%6))
				a, err := s.Admit(ctx, checkin.Entry{ID: fmt.Sprintf("w%d-%d", w, i), Ticket: code, RealName: 1, Method: checkin.QR,
					Gate: "g", Device: "d", Node: "n", At: time.Date(2025, 5, 20, 19, 0, i, 0, wht93.CST), Count: 1}, 4)
				if err != nil {
					t.Error(err)
					return
				}
				if a.Admitted {
					mu.Lock()
					admitted++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	cs, err := stores[0].Changes(ctx, 0, checkin.MaxChanges)
	if err != nil {
		t.Fatal(err)
	}
	if admitted != 24 || len(cs) != 24 {
		t.Fatalf("%d admitted, %d stored; want 6 tickets × 4", admitted, len(cs))
	}
}
