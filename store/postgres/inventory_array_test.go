package postgres

import (
	"slices"
	"testing"
)

// FuzzTextArray reads arbitrary text as a PostgreSQL text array literal (as the
// inventory reads a ticket's counter keys back): it never panics, and the strings
// it reads, written again, read back the same. Keys hold any character but NUL.
func FuzzTextArray(f *testing.F) {
	for _, seed := range []string{`{}`, `{a,b}`, `{"s\u001fsess-1\u001fb\u001fu1001","p\u001flimit-2"}`, `{"a \"b\" \\c",d}`, `{"unterminated}`, `{a,"b"x}`, `a,b`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		els, ok := pgParseTextArray(s)
		if !ok {
			return
		}
		again, ok := pgParseTextArray(pgTextArray(els))
		if !ok || !slices.Equal(again, els) {
			t.Fatalf("%q read as %q, written as %q, read back as %q", s, els, pgTextArray(els), again)
		}
	})
}

func TestTextArray(t *testing.T) {
	keys := []string{"s\x1fsess-1\x1fb\x1fu1001", `quote " and \ backslash`, "", "逗号,括号{}"}
	got, ok := pgParseTextArray(pgTextArray(keys))
	if !ok || !slices.Equal(got, keys) {
		t.Fatalf("round trip: %q %v", got, ok)
	}
	// PostgreSQL writes simple elements unquoted.
	got, ok = pgParseTextArray(`{abc,"d e",f}`)
	if !ok || !slices.Equal(got, []string{"abc", "d e", "f"}) {
		t.Fatalf("PostgreSQL's form: %q %v", got, ok)
	}
	if pgIntArray([]int16{3, -1}) != "{3,-1}" {
		t.Fatal("pgIntArray")
	}
}
