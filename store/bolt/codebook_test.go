package bolt_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
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

func TestCodeBookContract(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wht93.db")
	b, db := openCodeBook(t, path)

	if _, ok, err := b.SessionCode(ctx, "S1"); err != nil || ok {
		t.Fatalf("unknown session: ok=%v err=%v", ok, err)
	}
	want := map[string]string{"S1": "11010100120240601001", "S2": "11010100120240601002"}
	if err := b.SaveSessionCodes(ctx, want); err != nil {
		t.Fatal(err)
	}
	// Saving the same codes again is allowed; a changed code replaces the old.
	if err := b.SaveSessionCodes(ctx, map[string]string{"S1": want["S1"]}); err != nil {
		t.Fatal(err)
	}
	if err := b.SaveSessionCodes(ctx, map[string]string{"S2": "11010100120240601009"}); err != nil {
		t.Fatal(err)
	}
	want["S2"] = "11010100120240601009"
	if err := b.SaveSessionCodes(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check := func(b *bolt.CodeBook) {
		t.Helper()
		for id, code := range want {
			got, ok, err := b.SessionCode(ctx, id)
			if err != nil || !ok || got != code {
				t.Fatalf("SessionCode(%q) = %q, %v, %v; want %q", id, got, ok, err, code)
			}
		}
		if _, ok, _ := b.SessionCode(ctx, "S3"); ok {
			t.Fatal("S3 known")
		}
		if _, ok, _ := b.SessionCode(ctx, ""); ok {
			t.Fatal("empty id known")
		}
	}
	check(b)

	// Reopen: the codes are durable, and the queue of the same file is independent.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.SessionCode(ctx, "S1"); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("after Close: %v, want ErrClosed", err)
	}
	if err := b.SaveSessionCodes(ctx, want); !errors.Is(err, report.ErrClosed) {
		t.Fatalf("save after Close: %v, want ErrClosed", err)
	}
	b2, db2 := openCodeBook(t, path)
	defer db2.Close()
	check(b2)
	if _, err := db2.Queue(); err != nil {
		t.Fatal(err)
	}
	check(b2)
}

func TestCodeBookBadInput(t *testing.T) {
	ctx := context.Background()
	b, db := openCodeBook(t, filepath.Join(t.TempDir(), "wht93.db"))
	defer db.Close()
	long := strings.Repeat("x", report.MaxKey+1)
	for _, tc := range []struct {
		name  string
		codes map[string]string
	}{
		{"empty id", map[string]string{"": "C1"}},
		{"empty code", map[string]string{"S1": ""}},
		{"long id", map[string]string{long: "C1"}},
		{"long code", map[string]string{"S1": long}},
		{"NUL in id", map[string]string{"S\x001": "C1"}},
		{"invalid UTF-8 code", map[string]string{"S1": "\xff\xfe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One good entry next to the bad one: nothing is saved.
			codes := map[string]string{"GOOD": "C9"}
			for k, v := range tc.codes {
				codes[k] = v
			}
			err := b.SaveSessionCodes(ctx, codes)
			if !errors.Is(err, bolt.ErrCodeBookEntry) {
				t.Fatalf("err = %v, want ErrCodeBookEntry", err)
			}
			if strings.Contains(err.Error(), long) {
				t.Fatal("error shows the whole value")
			}
			if _, ok, _ := b.SessionCode(ctx, "GOOD"); ok {
				t.Fatal("a failed call saved something")
			}
		})
	}
}

func TestCodeBookConcurrent(t *testing.T) {
	ctx := context.Background()
	b, db := openCodeBook(t, filepath.Join(t.TempDir(), "wht93.db"))
	defer db.Close()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				id := fmt.Sprintf("S%d-%d", g, i)
				if err := b.SaveSessionCodes(ctx, map[string]string{id: "C" + id}); err != nil {
					t.Error(err)
					return
				}
				if c, ok, err := b.SessionCode(ctx, id); err != nil || !ok || c != "C"+id {
					t.Errorf("%s: %q %v %v", id, c, ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
