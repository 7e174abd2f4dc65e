package bolt

import (
	"context"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/report"
)

// The code book's bucket, "codebook", holds its format ("format": "1") and a
// nested bucket "code" mapping each vendor sessionId to the session code the
// platform gave for it (/performance/code).
const (
	codebookBucket = "codebook"
	codebookFormat = "1"
)

var bCode = []byte("code")

// CodeBook is the [report.CodeBook] of a bolt file: the session codes the
// platform gave, kept so that session references resolve after a restart.
// A change is durable when SaveSessionCodes returns nil; it is group-committed
// with every other change of its [DB]. Take it from [DB.CodeBook]; it lives as
// long as its DB. A CodeBook is safe for concurrent use.
type CodeBook struct {
	db *DB
}

var _ report.CodeBook = (*CodeBook)(nil)

// CodeBook returns the file's session-code book, creating its bucket on first
// use. It fails when the file holds a code book of a format this version does
// not know.
func (db *DB) CodeBook() (*CodeBook, error) {
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		root, _, err := portRoot(tx, codebookBucket, codebookFormat, "a code book")
		if err != nil {
			return err
		}
		_, err = root.CreateBucketIfNotExists(bCode)
		return err
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return &CodeBook{db: db}, nil
}

// SessionCode returns the code saved for sessionID, with ok false when none
// is. An invalid sessionID is simply unknown.
func (b *CodeBook) SessionCode(_ context.Context, sessionID string) (string, bool, error) {
	if !report.ValidCodeEntry(sessionID) {
		return "", false, nil
	}
	var code string
	var ok bool
	err := b.db.view(func(tx *bbolt.Tx) error {
		root := bucket(tx, codebookBucket)
		if root == nil {
			return nil
		}
		if v := root.Bucket(bCode).Get([]byte(sessionID)); v != nil {
			code, ok = string(v), true
		}
		return nil
	})
	if err != nil {
		return "", false, mapErr(err)
	}
	return code, ok, nil
}

// SaveSessionCodes saves codes (sessionId → session code) in one durable step:
// all of them or, on error, none. Saving a code again replaces it. An invalid
// entry fails the call with every violation ([report.CheckSessionCodes]) and
// saves nothing.
func (b *CodeBook) SaveSessionCodes(ctx context.Context, codes map[string]string) error {
	if len(codes) == 0 {
		return nil
	}
	if err := report.CheckSessionCodes(codes); err != nil {
		return err
	}
	err := b.db.update(ctx, func(tx *bbolt.Tx) error {
		root := tx.Bucket([]byte(codebookBucket))
		if root == nil {
			return fmt.Errorf("bolt: code book bucket missing")
		}
		cb := root.Bucket(bCode)
		for id, code := range codes {
			if err := cb.Put([]byte(id), []byte(code)); err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr(err)
}
