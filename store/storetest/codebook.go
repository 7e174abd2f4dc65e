package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/piaowu/wht93/report"
)

// CodeBookFactory opens an empty [report.CodeBook] for one test. reopen returns
// another handle on the same data as a restarted process would see it (a store
// that keeps nothing across a restart returns the same book); the factory
// closes what it opened through t.Cleanup.
type CodeBookFactory func(t *testing.T) (book report.CodeBook, reopen func() report.CodeBook)

// TestCodeBook checks the contract of a session-code book: unknown sessions,
// saving, replacing, durability across reopen, invalid entries refused with
// [report.ErrCodeBookEntry] and nothing saved, and concurrent savers.
func TestCodeBook(t *testing.T, open CodeBookFactory) {
	t.Run("contract", func(t *testing.T) { testCodeBookContract(t, open) })
	t.Run("badInput", func(t *testing.T) { testCodeBookBadInput(t, open) })
	t.Run("concurrent", func(t *testing.T) { testCodeBookConcurrent(t, open) })
}

func testCodeBookContract(t *testing.T, open CodeBookFactory) {
	ctx := context.Background()
	b, reopen := open(t)
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
	check := func(b report.CodeBook) {
		t.Helper()
		for id, code := range want {
			got, ok, err := b.SessionCode(ctx, id)
			if err != nil || !ok || got != code {
				t.Fatalf("SessionCode(%q) = %q, %v, %v; want %q", id, got, ok, err, code)
			}
		}
		for _, id := range []string{"S3", "", "S\x001", "\xff"} {
			if _, ok, err := b.SessionCode(ctx, id); ok || err != nil {
				t.Fatalf("SessionCode(%q): ok=%v err=%v; want unknown", id, ok, err)
			}
		}
	}
	check(b)
	check(reopen())
}

func testCodeBookBadInput(t *testing.T, open CodeBookFactory) {
	ctx := context.Background()
	b, _ := open(t)
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
			if !errors.Is(err, report.ErrCodeBookEntry) {
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

func testCodeBookConcurrent(t *testing.T, open CodeBookFactory) {
	ctx := context.Background()
	b, _ := open(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				// Overlapping sets saved at once: no deadlock, every save kept.
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
		for i := range 10 {
			if _, ok, err := b.SessionCode(ctx, fmt.Sprintf("S%d-%d", g, i)); err != nil || !ok {
				t.Fatalf("S%d-%d: %v %v", g, i, ok, err)
			}
		}
	}
	if c, ok, _ := b.SessionCode(ctx, "SHARED"); !ok || !strings.HasPrefix(c, "C") {
		t.Fatalf("SHARED = %q %v", c, ok)
	}
}
