package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/storetest"
)

// auditSQL opens the test server of WHT93_TEST_PG_DSN, or skips the test (fails
// it under CI=true) when there is none.
func auditSQL(t testing.TB) *sql.DB {
	t.Helper()
	dsn := os.Getenv("WHT93_TEST_PG_DSN")
	if dsn == "" {
		msg := `no PostgreSQL: set WHT93_TEST_PG_DSN, for example with eval "$(scripts/pg-test-server start)" from the repository root`
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(20)
	t.Cleanup(func() { db.Close() })
	return db
}

// auditSchema returns a new schema name of the test's own, dropped at the end.
func auditSchema(t testing.TB, db *sql.DB) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "audit_t_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+name+`" CASCADE`)
	})
	return name
}

func auditOpenLog(t testing.TB, sqlDB *sql.DB, schema string) (*AuditLog, *DB) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, sqlDB, &Options{Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	l, err := db.AuditLog(ctx)
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	return l, db
}

func auditNew(t testing.TB) (*AuditLog, *DB) {
	t.Helper()
	sqlDB := auditSQL(t)
	return auditOpenLog(t, sqlDB, auditSchema(t, sqlDB))
}

func TestAudit(t *testing.T) {
	storetest.TestAudit(t, func(t *testing.T) audit.Store {
		l, _ := auditNew(t)
		return l
	})
}

func TestAuditReopen(t *testing.T) {
	storetest.TestAuditReopen(t, func(t *testing.T) (audit.Store, func() audit.Store) {
		sqlDB := auditSQL(t)
		schema := auditSchema(t, sqlDB)
		l, _ := auditOpenLog(t, sqlDB, schema)
		return l, func() audit.Store {
			other := auditSQL(t) // a new pool, as a restarted process has
			l, _ := auditOpenLog(t, other, schema)
			return l
		}
	})
}

// TestAuditShared appends from four connection pools at once, as four
// processes would.
func TestAuditShared(t *testing.T) {
	storetest.TestAuditShared(t, func(t *testing.T) []audit.Store {
		first := auditSQL(t)
		schema := auditSchema(t, first)
		var out []audit.Store
		for i := range 4 {
			sqlDB := first
			if i > 0 {
				sqlDB = auditSQL(t)
			}
			l, _ := auditOpenLog(t, sqlDB, schema)
			out = append(out, l)
		}
		return out
	})
}

func TestAuditTamper(t *testing.T) {
	storetest.TestAuditTamper(t, func(t *testing.T) (audit.Store, storetest.AuditTamperer) {
		l, db := auditNew(t)
		return l, auditTamperer{db}
	})
}

// auditTamperer edits the entries table with its trigger disabled, as the
// table's owner could.
type auditTamperer struct{ db *DB }

func (tm auditTamperer) raw(ctx context.Context, stmt string, args ...any) error {
	return tm.db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, tm.db.expand(`ALTER TABLE {{schema}}.wht93_audit_entries DISABLE TRIGGER wht93_audit_append_only`)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tm.db.expand(stmt), args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tm.db.expand(`ALTER TABLE {{schema}}.wht93_audit_entries ENABLE TRIGGER wht93_audit_append_only`))
		return err
	})
}

func (tm auditTamperer) Put(ctx context.Context, e audit.Entry) error {
	var detail []byte
	if len(e.Detail) > 0 {
		detail = e.Detail
	}
	return tm.raw(ctx, `INSERT INTO {{schema}}.wht93_audit_entries (`+auditColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (seq) DO UPDATE SET version = excluded.version, at_us = excluded.at_us,
			user_id = excluded.user_id, action = excluded.action, object_type = excluded.object_type,
			object_id = excluded.object_id, content = excluded.content, detail = excluded.detail,
			prev = excluded.prev, hash = excluded.hash`,
		int64(e.Seq), int16(e.Version), e.Time.UnixMicro(), e.User, string(e.Action), e.Object.Type, e.Object.ID,
		e.Content, detail, e.Prev[:], e.Hash[:])
}

func (tm auditTamperer) Delete(ctx context.Context, seq uint64) error {
	return tm.raw(ctx, `DELETE FROM {{schema}}.wht93_audit_entries WHERE seq = $1`, int64(seq))
}

// TestAuditTrigger checks that the table itself refuses UPDATE, DELETE and
// TRUNCATE, whoever asks, and that the log is intact afterwards.
func TestAuditTrigger(t *testing.T) {
	ctx := context.Background()
	l, db := auditNew(t)
	_, err := audit.Append(ctx, l,
		audit.Record{Time: time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST), User: "op-1", Action: audit.ActionLogin},
		audit.Record{Time: time.Date(2024, 5, 27, 10, 1, 0, 0, wht93.CST), User: "op-1", Action: audit.ActionRefund, Content: "退票1张"})
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE {{schema}}.wht93_audit_entries SET content = '退票2张' WHERE seq = 2`,
		`UPDATE {{schema}}.wht93_audit_entries SET seq = seq + 10`,
		`DELETE FROM {{schema}}.wht93_audit_entries WHERE seq = 1`,
		`DELETE FROM {{schema}}.wht93_audit_entries`,
		`TRUNCATE {{schema}}.wht93_audit_entries`,
	} {
		_, err := db.sql.ExecContext(ctx, db.expand(stmt))
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: error %v, want the trigger's refusal", stmt, err)
		}
		var s interface{ SQLState() string }
		if !errors.As(err, &s) || s.SQLState() != "42501" {
			t.Fatalf("%s: error %v, want SQLSTATE 42501", stmt, err)
		}
	}
	sum, err := audit.Verify(ctx, l)
	if err != nil || sum.Checked != 2 {
		t.Fatalf("Verify after refused changes = %+v, %v", sum, err)
	}
}

// TestAuditMalformedRow checks that a row no entry could have written is
// reported at its sequence, and verification goes on after it.
func TestAuditMalformedRow(t *testing.T) {
	ctx := context.Background()
	l, db := auditNew(t)
	var recs []audit.Record
	for i := range 4 {
		recs = append(recs, audit.Record{Time: time.Date(2024, 5, 27, 10, i, 0, 0, wht93.CST), User: "op-1", Action: audit.ActionSale})
	}
	if _, err := audit.Append(ctx, l, recs...); err != nil {
		t.Fatal(err)
	}
	if err := (auditTamperer{db}).raw(ctx, `UPDATE {{schema}}.wht93_audit_entries SET hash = '\x0102' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, err := audit.Verify(ctx, l)
	var faults audit.Faults
	if !errors.As(err, &faults) || len(faults) != 1 || faults[0].Seq != 2 || !errors.Is(err, audit.ErrMalformed) {
		t.Fatalf("Verify = %v, want one ErrMalformed at 2", err)
	}
}

// TestAuditGroupCancel appends from many goroutines through one AuditLog while
// the contexts of some are cancelled mid-way: every append that returned nil is
// stored as returned, the others leave no hole, and the chain verifies.
func TestAuditGroupCancel(t *testing.T) {
	l, _ := auditNew(t)
	const workers, each = 24, 8
	var (
		mu   sync.Mutex
		kept []audit.Entry
		wg   sync.WaitGroup
	)
	for w := range workers {
		ctx, cancel := context.WithCancel(context.Background())
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cancel()
			for i := range each {
				if w%3 == 0 && i == w%each {
					cancel() // the rest of this worker's appends fail or race the cancel
				}
				es, err := l.Append(ctx, audit.Record{
					Time: time.Date(2024, 5, 27, 10, i, 0, 0, wht93.CST), User: "op-" + strconv.Itoa(w), Action: audit.ActionSale,
				})
				if err != nil {
					if !errors.Is(err, context.Canceled) {
						t.Errorf("worker %d: %v", w, err)
					}
					continue
				}
				mu.Lock()
				kept = append(kept, es...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	ctx := context.Background()
	sum, err := audit.Verify(ctx, l)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	for _, e := range kept {
		got, err := l.Read(ctx, e.Seq-1, 1)
		if err != nil || len(got) != 1 || got[0].Hash != e.Hash {
			t.Fatalf("entry %d returned by Append is not stored as returned: %v %v", e.Seq, got, err)
		}
	}
	if sum.Checked < uint64(len(kept)) {
		t.Fatalf("%d entries in the log, %d appends acknowledged", sum.Checked, len(kept))
	}
}
