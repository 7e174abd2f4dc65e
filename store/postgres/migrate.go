package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
)

// DB is the SDK's PostgreSQL schema on a host's *sql.DB. Open it once per
// process with the schema (namespace) to use, and take the ports from it:
// [DB.Queue], and the ports other packages add. Several processes may open the
// same schema at once; each port's tables are created by versioned migrations
// that run exactly once.
//
// # Migrations
//
// The schema holds one table of applied migrations, wht93_migrations
// (component, version, name, applied_at). Each port is a component ("queue",
// "inventory", "entry", "audit", …) with its own list of steps, numbered from 1
// without gaps and never changed once released: a new version of a port
// appends steps. A port's constructor calls [DB.migrate] with its list; it
// applies the steps the schema does not have yet, in one transaction per
// step, under a transaction-scoped advisory lock of the schema so that
// concurrent openers wait for each other instead of racing. A schema newer than
// the code (a step number the code does not know) is an error: an older SDK
// does not write to a newer schema.
//
// SQL of a step names tables as {{schema}}.name; migrate puts in the quoted
// schema name.
//
// A DB is safe for concurrent use.
type DB struct {
	sql    *sql.DB
	schema string
}

// Options configure [Open].
type Options struct {
	// Schema is the PostgreSQL schema (namespace) of the SDK's tables, created
	// if missing: lower-case ASCII letters, digits and '_', starting with a
	// letter or '_', at most 63 bytes. Empty means "wht93".
	Schema string
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// step is one migration step of one component: statements run in order, in
// one transaction (one statement per string, for drivers that take one at a
// time).
type step struct {
	version int
	name    string
	sql     []string
}

// Open creates the schema and its migration table when they do not exist
// and returns the DB. The host opens db with the driver of its choice (the
// SDK's tests use github.com/jackc/pgx/v5/stdlib) and closes it after the
// ports are done with it.
func Open(ctx context.Context, db *sql.DB, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = "wht93"
	}
	if !schemaName.MatchString(o.Schema) {
		return nil, fmt.Errorf("postgres: schema name %q: use lower-case letters, digits and '_' (at most 63, not starting with a digit)", o.Schema)
	}
	d := &DB{sql: db, schema: o.Schema}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, d.lockKey("migrate")); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, d.expand(`CREATE SCHEMA IF NOT EXISTS {{schema}}`)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, d.expand(`
			CREATE TABLE IF NOT EXISTS {{schema}}.wht93_migrations (
				component  text        NOT NULL,
				version    integer     NOT NULL,
				name       text        NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now(),
				PRIMARY KEY (component, version)
			)`))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: prepare schema %s: %w", o.Schema, err)
	}
	return d, nil
}

// Schema returns the schema's name.
func (db *DB) Schema() string { return db.schema }

// expand puts the quoted schema name in place of {{schema}}.
func (db *DB) expand(sql string) string {
	return strings.ReplaceAll(sql, "{{schema}}", `"`+db.schema+`"`)
}

// lockKey returns the advisory lock key of a name within the schema.
func (db *DB) lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("wht93/" + db.schema + "/" + name))
	return int64(h.Sum64())
}

// migrate applies the steps of component that the schema does not have yet.
func (db *DB) migrate(ctx context.Context, component string, steps []step) error {
	for i, s := range steps {
		if s.version != i+1 {
			return fmt.Errorf("postgres: %s step %d is numbered %d", component, i+1, s.version)
		}
	}
	for {
		applied := false
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, db.lockKey("migrate")); err != nil {
				return err
			}
			var have int
			err := tx.QueryRowContext(ctx, db.expand(
				`SELECT coalesce(max(version), 0) FROM {{schema}}.wht93_migrations WHERE component = $1`), component).Scan(&have)
			if err != nil {
				return err
			}
			if have > len(steps) {
				return fmt.Errorf("postgres: schema %s has %s at version %d; this SDK knows versions up to %d", db.schema, component, have, len(steps))
			}
			if have == len(steps) {
				return nil
			}
			s := steps[have]
			for _, stmt := range s.sql {
				if _, err := tx.ExecContext(ctx, db.expand(stmt)); err != nil {
					return fmt.Errorf("%s step %d (%s): %w", component, s.version, s.name, err)
				}
			}
			_, err = tx.ExecContext(ctx, db.expand(
				`INSERT INTO {{schema}}.wht93_migrations (component, version, name) VALUES ($1, $2, $3)`),
				component, s.version, s.name)
			applied = err == nil
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migrate %s: %w", component, err)
		}
		if !applied {
			return nil
		}
	}
}

// inTx runs fn in a transaction and commits it; it runs fn again (up to five
// times) when PostgreSQL aborted the transaction for a deadlock or a
// serialization failure, which concurrent callers may cause. fn must set its
// results afresh on each run.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.tryTx(ctx, fn)
		if err == nil || attempt == 5 || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// retryable reports a deadlock (40P01) or serialization failure (40001). The
// drivers' errors expose the SQLSTATE through a SQLState method (pgx, lib/pq).
func retryable(err error) bool {
	var s interface{ SQLState() string }
	if errors.As(err, &s) {
		return s.SQLState() == "40P01" || s.SQLState() == "40001"
	}
	return false
}
