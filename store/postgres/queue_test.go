package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/postgres"
	"github.com/piaowu/wht93/store/storetest"
)

// The tests need a PostgreSQL server: WHT93_TEST_PG_DSN names a database in
// which they may create and drop schemas. scripts/pg-test-server starts one.
const dsnEnv = "WHT93_TEST_PG_DSN"

var (
	shared     *sql.DB
	sharedOnce sync.Once
	sharedErr  error
)

// testDB returns the pool shared by the package's tests, or skips (fails under
// CI=true) without a server.
func testDB(t testing.TB) *sql.DB {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		msg := dsnEnv + ` is not set: run eval "$(scripts/pg-test-server start)" first (scripts/pg-test-server stop "$WHT93_PG_DIR" when done)`
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	sharedOnce.Do(func() {
		shared, sharedErr = sql.Open("pgx", dsn)
		if sharedErr == nil {
			shared.SetMaxOpenConns(40)
			sharedErr = shared.Ping()
		}
	})
	if sharedErr != nil {
		t.Fatalf("PostgreSQL at %s: %v", dsnEnv, sharedErr)
	}
	return shared
}

// freshSchema returns the name of a schema of its own for one test, dropped
// when the test ends.
func freshSchema(t testing.TB, db *sql.DB) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	t.Cleanup(func() { db.Exec(`DROP SCHEMA IF EXISTS "` + name + `" CASCADE`) })
	return name
}

func openQueue(t testing.TB, db *sql.DB, schema string) *postgres.Queue {
	t.Helper()
	q, err := postgres.OpenQueue(context.Background(), db, &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestQueue(t *testing.T) {
	db := testDB(t)
	storetest.TestQueue(t, func(t *testing.T) report.Queue {
		return openQueue(t, db, freshSchema(t, db))
	})
}

func TestQueueReopen(t *testing.T) {
	db := testDB(t)
	storetest.TestQueueReopen(t, func(t *testing.T) (report.Queue, func() report.Queue) {
		schema := freshSchema(t, db)
		q := openQueue(t, db, schema)
		var pool *sql.DB
		return q, func() report.Queue {
			// A new pool, as a restarted process has.
			if pool != nil {
				pool.Close()
			}
			var err error
			pool, err = sql.Open("pgx", os.Getenv(dsnEnv))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Close() })
			return openQueue(t, pool, schema)
		}
	})
}

// TestQueueShared drains one queue through three pools, as three processes.
func TestQueueShared(t *testing.T) {
	db := testDB(t)
	storetest.TestQueueShared(t, func(t *testing.T) []report.Queue {
		schema := freshSchema(t, db)
		var qs []report.Queue
		for range 3 {
			pool, err := sql.Open("pgx", os.Getenv(dsnEnv))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Close() })
			qs = append(qs, openQueue(t, pool, schema))
		}
		return qs
	})
}

func TestMigrate(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	schema := freshSchema(t, db)
	// Concurrent openers of a new schema: the migration runs once.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = postgres.OpenQueue(ctx, db, &postgres.Options{Schema: schema})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM "` + schema + `".wht93_migrations WHERE component = 'queue'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("queue migrations recorded %d times, want 1", n)
	}
	// A schema from a newer SDK is refused.
	if _, err := db.Exec(`INSERT INTO "` + schema + `".wht93_migrations (component, version, name) VALUES ('queue', 99, 'future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.OpenQueue(ctx, db, &postgres.Options{Schema: schema}); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("open of a newer schema: %v, want a refusal naming version 99", err)
	}
	for _, bad := range []string{"Bad", "1abc", "a-b", `x"; DROP TABLE y; --`, strings.Repeat("a", 64)} {
		if _, err := postgres.Open(ctx, db, &postgres.Options{Schema: bad}); err == nil {
			t.Fatalf("schema name %q accepted", bad)
		}
	}
}
