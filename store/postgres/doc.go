// Package postgres implements the SDK's ports on PostgreSQL, for hosts whose
// processes or machines share one database. It is written on database/sql
// only: the host opens the *sql.DB with the driver of its choice (the SDK's
// tests use github.com/jackc/pgx/v5/stdlib) and the SDK pulls in no driver.
//
//	sqlDB, err := sql.Open("pgx", dsn)
//	db, err := postgres.Open(ctx, sqlDB, &postgres.Options{Schema: "wht93"})
//	q, err := db.Queue(ctx) // the report queue (report.Queue)
//
// Every table lives in one schema of the host's choosing, created by explicit,
// versioned migrations recorded in the schema's wht93_migrations table (see
// [DB]); each port migrates its own tables when it is first taken from the DB.
// Several processes may run the same version at once: migrations take an
// advisory lock, and each port states how it stays correct when processes
// share it (for the queue: [Queue]).
//
// Tests: the package's tests need a server; set WHT93_TEST_PG_DSN (the
// repository's scripts/pg-test-server starts one and prints it). Without it
// they are skipped, except under CI=true, where they fail.
package postgres
