package bolt

import (
	"context"
	"fmt"
	"unicode/utf8"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
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

// ErrCodeBookEntry is a sessionId or session code that the code book cannot
// keep: empty, longer than [report.MaxKey] bytes, not UTF-8, or holding NUL.
var ErrCodeBookEntry = wht93.NewRule("bolt.codebook.entry",
	"场次标识与场次编码须为1至256字节的UTF-8文本，不含NUL",
	"sessionId and session code must be 1 to 256 bytes of UTF-8 without NUL")

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
		root, err := tx.CreateBucketIfNotExists([]byte(codebookBucket))
		if err != nil {
			return err
		}
		switch f := root.Get([]byte("format")); {
		case f == nil:
			if err := root.Put([]byte("format"), []byte(codebookFormat)); err != nil {
				return err
			}
		case string(f) != codebookFormat:
			return fmt.Errorf("bolt: %s holds a code book of format %q; this version reads format %q", db.Path(), f, codebookFormat)
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
	if !validCodeEntry(sessionID) {
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
// entry fails the call with every violation and saves nothing; the values in
// the violations are masked, since a sessionId is the vendor's own datum.
func (b *CodeBook) SaveSessionCodes(ctx context.Context, codes map[string]string) error {
	if len(codes) == 0 {
		return nil
	}
	var vs wht93.Violations
	for id, code := range codes {
		if !validCodeEntry(id) {
			vs = append(vs, ErrCodeBookEntry.At("codes", maskCodeEntry(id)))
		}
		if !validCodeEntry(code) {
			vs = append(vs, ErrCodeBookEntry.At("codes["+maskCodeEntry(id)+"]", maskCodeEntry(code)))
		}
	}
	if err := vs.Err(); err != nil {
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

func validCodeEntry(s string) bool {
	if len(s) == 0 || len(s) > report.MaxKey || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return true
}

// maskCodeEntry shows the length and the first two bytes' worth of runes of an
// entry, never the whole of it.
func maskCodeEntry(s string) string {
	r := []rune(s)
	if len(r) <= 2 || !validCodeEntry(string(r[:2])) {
		return fmt.Sprintf("(%d bytes)", len(s))
	}
	return fmt.Sprintf("%s… (%d bytes)", string(r[:2]), len(s))
}
