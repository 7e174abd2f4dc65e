package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
)

// The token store's migrations (component "token"): one row per platform
// account, the access token and its expiry.
var tokenSteps = []step{{version: 1, name: "platform tokens", sql: []string{`
	CREATE TABLE {{schema}}.platform_token (
		app_id       text PRIMARY KEY,
		access_token text NOT NULL,
		expiry_us    bigint NOT NULL,
		saved_at     timestamptz NOT NULL DEFAULT now()
	)`}}}

// ErrTokenAccount is an account name the token store cannot key a token by:
// empty, longer than 256 bytes, not UTF-8, or holding NUL.
var ErrTokenAccount = wht93.NewRule("postgres.token.account",
	"账号标识须为1至256字节的UTF-8文本，不含NUL",
	"account must be 1 to 256 bytes of UTF-8 without NUL")

// TokenStore is a [client.TokenStore] on PostgreSQL: every process that takes
// it for the same account, from the same schema, shares one platform access
// token, so that a fleet of reporting processes asks the platform for one token
// rather than one each. Save keeps the token that lives longest: when two
// processes refresh at once, the later expiry wins, and an older token never
// replaces a newer one. Load returns the token saved last, expired or not (the
// token source decides what to do with it).
//
// The table holds a live credential of the platform account: grant access to
// the schema as to the account's secret. The token appears in no error.
// A TokenStore is safe for concurrent use, by several processes too. Take it
// from [DB.TokenStore].
type TokenStore struct {
	db      *DB
	account string
}

var _ client.TokenStore = (*TokenStore)(nil)

// TokenStore returns the token store of account (the platform appId, or any
// name the host gives the account), creating its table on first use
// (migration component "token").
func (db *DB) TokenStore(ctx context.Context, account string) (*TokenStore, error) {
	if account == "" || len(account) > 256 || !utf8.ValidString(account) || containsNUL(account) {
		return nil, ErrTokenAccount.At("account", fmt.Sprintf("%d bytes", len(account)))
	}
	if err := db.migrate(ctx, "token", tokenSteps); err != nil {
		return nil, err
	}
	return &TokenStore{db: db, account: account}, nil
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// Load returns the token saved last for the account, with ok false when none is.
func (s *TokenStore) Load(ctx context.Context) (client.Token, bool, error) {
	var tok string
	var us int64
	err := s.db.sql.QueryRowContext(ctx, s.db.expand(
		`SELECT access_token, expiry_us FROM {{schema}}.platform_token WHERE app_id = $1`), s.account).Scan(&tok, &us)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return client.Token{}, false, nil
	case err != nil:
		return client.Token{}, false, fmt.Errorf("postgres: load token: %w", err)
	}
	return client.Token{AccessToken: tok, Expiry: time.UnixMicro(us)}, true, nil
}

// Save stores tok for the account unless the stored token expires later.
func (s *TokenStore) Save(ctx context.Context, tok client.Token) error {
	_, err := s.db.sql.ExecContext(ctx, s.db.expand(`
		INSERT INTO {{schema}}.platform_token (app_id, access_token, expiry_us) VALUES ($1, $2, $3)
		ON CONFLICT (app_id) DO UPDATE SET access_token = EXCLUDED.access_token,
			expiry_us = EXCLUDED.expiry_us, saved_at = now()
		WHERE {{schema}}.platform_token.expiry_us <= EXCLUDED.expiry_us`),
		s.account, tok.AccessToken, tok.Expiry.UnixMicro())
	if err != nil {
		return fmt.Errorf("postgres: save token: %w", err)
	}
	return nil
}
