package bolt_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/storetest"
)

func openCodeBook(t *testing.T, path string) (*bolt.CodeBook, *bolt.DB) {
	t.Helper()
	db, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CodeBook()
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return b, db
}

func TestCodeBook(t *testing.T) {
	storetest.TestCodeBook(t, func(t *testing.T) (report.CodeBook, func() report.CodeBook) {
		path := filepath.Join(t.TempDir(), "wht93.db")
		b, db := openCodeBook(t, path)
		t.Cleanup(func() { db.Close() })
		return b, func() report.CodeBook {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			// The same file also holds a queue: the ports stay independent.
			b2, db2 := openCodeBook(t, path)
			db = db2
			if _, err := db2.Queue(); err != nil {
				t.Fatal(err)
			}
			return b2
		}
	})
}

// A code book of a closed file answers ErrClosed.
func TestCodeBookClosed(t *testing.T) {
	ctx := context.Background()
	b, db := openCodeBook(t, filepath.Join(t.TempDir(), "wht93.db"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.SessionCode(ctx, "S1"); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("after Close: %v, want ErrClosed", err)
	}
	if err := b.SaveSessionCodes(ctx, map[string]string{"S1": "C1"}); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("save after Close: %v, want ErrClosed", err)
	}
}
