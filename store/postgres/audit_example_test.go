package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/postgres"
)

// The host opens the database with the driver of its choice; the operation
// log's tables are created on first use. (This example is compiled, not run: it
// needs a server.)
func ExampleDB_AuditLog() {
	dsn := os.Getenv("WHT93_TEST_PG_DSN") // postgres://…
	ctx := context.Background()
	sqlDB, err := sql.Open("pgx", dsn)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sqlDB.Close()
	sqlDB.ExecContext(ctx, `DROP SCHEMA IF EXISTS audit_example CASCADE`)
	defer sqlDB.ExecContext(ctx, `DROP SCHEMA IF EXISTS audit_example CASCADE`)

	db, err := postgres.Open(ctx, sqlDB, &postgres.Options{Schema: "audit_example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	log, err := db.AuditLog(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	es, err := audit.Append(ctx, log, audit.Record{
		Time: time.Date(2024, 5, 27, 9, 0, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionRefund,
		Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "退票1张，退款128.00元",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = sqlDB.ExecContext(ctx, `DELETE FROM audit_example.wht93_audit_entries`)
	fmt.Println(es[0].Seq, err) // 1, and the trigger's refusal: the log is append-only
}
