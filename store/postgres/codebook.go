package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/piaowu/wht93/report"
)

// The code book's migrations (component "codebook"): one row per session,
// its vendor sessionId and the session code the platform gave.
var codebookSteps = []step{{version: 1, name: "session codes", sql: []string{`
	CREATE TABLE {{schema}}.session_code (
		session_id   text PRIMARY KEY,
		session_code text NOT NULL,
		saved_at     timestamptz NOT NULL DEFAULT now()
	)`}}}

// CodeBook is the [report.CodeBook] of a PostgreSQL schema: the session codes
// the platform gave, kept so that session references resolve after a restart
// and in every process sharing the schema. SaveSessionCodes is committed when
// it returns. Take it from [DB.CodeBook]. A CodeBook is safe for concurrent
// use, by several processes too.
type CodeBook struct {
	db *DB
}

var _ report.CodeBook = (*CodeBook)(nil)

// CodeBook returns the schema's session-code book, creating its table on first
// use (migration component "codebook").
func (db *DB) CodeBook(ctx context.Context) (*CodeBook, error) {
	if err := db.migrate(ctx, "codebook", codebookSteps); err != nil {
		return nil, err
	}
	return &CodeBook{db: db}, nil
}

// SessionCode returns the code saved for sessionID, with ok false when none
// is. An invalid sessionID is simply unknown.
func (b *CodeBook) SessionCode(ctx context.Context, sessionID string) (string, bool, error) {
	if !report.ValidCodeEntry(sessionID) {
		return "", false, nil
	}
	var code string
	err := b.db.sql.QueryRowContext(ctx, b.db.expand(
		`SELECT session_code FROM {{schema}}.session_code WHERE session_id = $1`), sessionID).Scan(&code)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("postgres: session code: %w", err)
	}
	return code, true, nil
}

// SaveSessionCodes saves codes (sessionId → session code) in one transaction:
// all of them or, on error, none. Saving a code again replaces it. An invalid
// entry fails the call with every violation ([report.CheckSessionCodes]) and
// saves nothing.
func (b *CodeBook) SaveSessionCodes(ctx context.Context, codes map[string]string) error {
	if len(codes) == 0 {
		return nil
	}
	ids := make([]string, 0, len(codes))
	if err := report.CheckSessionCodes(codes); err != nil {
		return err
	}
	for id := range codes {
		ids = append(ids, id)
	}
	sort.Strings(ids) // one lock order for concurrent savers
	stmt := b.db.expand(`INSERT INTO {{schema}}.session_code (session_id, session_code) VALUES ($1, $2)
		ON CONFLICT (session_id) DO UPDATE SET session_code = EXCLUDED.session_code, saved_at = now()
		WHERE {{schema}}.session_code.session_code IS DISTINCT FROM EXCLUDED.session_code`)
	err := b.db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, stmt, id, codes[id]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: save session codes: %w", err)
	}
	return nil
}
