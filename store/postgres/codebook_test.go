package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/postgres"
)

func openCodeBook(t *testing.T, schema string) *postgres.CodeBook {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testDB(t), &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CodeBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCodeBookContract(t *testing.T) {
	ctx := context.Background()
	schema := freshSchema(t, testDB(t))
	b := openCodeBook(t, schema)
	if _, ok, err := b.SessionCode(ctx, "S1"); err != nil || ok {
		t.Fatalf("unknown session: ok=%v err=%v", ok, err)
	}
	want := map[string]string{"S1": "11010100120240601001", "S2": "11010100120240601002"}
	if err := b.SaveSessionCodes(ctx, want); err != nil {
		t.Fatal(err)
	}
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
	// A second opener of the schema (another process) sees the same codes, and
	// its migration finds the table already there.
	for _, b := range []*postgres.CodeBook{b, openCodeBook(t, schema)} {
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
}

func TestCodeBookBadInput(t *testing.T) {
	ctx := context.Background()
	b := openCodeBook(t, freshSchema(t, testDB(t)))
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
			codes := map[string]string{"GOOD": "C9"}
			for k, v := range tc.codes {
				codes[k] = v
			}
			err := b.SaveSessionCodes(ctx, codes)
			if !errors.Is(err, postgres.ErrCodeBookEntry) {
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
	b := openCodeBook(t, freshSchema(t, testDB(t)))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				// Overlapping sets saved at once: no deadlock, last write wins.
				codes := map[string]string{fmt.Sprintf("S%d-%d", g, i): "C", "SHARED": fmt.Sprint("C", g)}
				if err := b.SaveSessionCodes(ctx, codes); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for g := range 8 {
		if _, ok, err := b.SessionCode(ctx, fmt.Sprintf("S%d-9", g)); err != nil || !ok {
			t.Fatalf("S%d-9: %v %v", g, ok, err)
		}
	}
	if c, ok, _ := b.SessionCode(ctx, "SHARED"); !ok || !strings.HasPrefix(c, "C") {
		t.Fatalf("SHARED = %q %v", c, ok)
	}
}
