package venue_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

func seed(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds %s: %v", pattern, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkViolations asserts that a refusal is made of violations that name a line or
// the whole input.
func checkViolations(t *testing.T, err error) {
	t.Helper()
	vs := wht93.ViolationsOf(err)
	if len(vs) == 0 {
		t.Fatalf("error without violations: %v", err)
	}
	for _, v := range vs {
		if v.Rule == nil || !(strings.HasPrefix(v.Field, "line ") || v.Field == "hall" || v.Field == "seats" || v.Field == "") {
			t.Fatalf("violation without a line: %#v", v)
		}
	}
}

// FuzzReadCSV: ReadCSV never panics, refuses with line-numbered violations, and what
// it accepts survives WriteCSV and ReadCSV unchanged.
func FuzzReadCSV(f *testing.F) {
	seed(f, "*.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := venue.ReadCSV(bytes.NewReader(data), "厅")
		if err != nil {
			checkViolations(t, err)
			return
		}
		var buf bytes.Buffer
		if err := tpl.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := venue.ReadCSV(&buf, "厅")
		if err != nil {
			t.Fatalf("re-reading %q: %v", buf.String(), err)
		}
		assertSameTemplate(t, tpl, again)
	})
}

// FuzzReadJSON: ReadJSON never panics, refuses with line-numbered violations, and
// what it accepts survives Spec, encoding and ReadJSON unchanged.
func FuzzReadJSON(f *testing.F) {
	seed(f, "*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := venue.ReadJSON(bytes.NewReader(data))
		if err != nil {
			checkViolations(t, err)
			return
		}
		b, err := json.Marshal(tpl.Spec())
		if err != nil {
			t.Fatal(err)
		}
		again, err := venue.ReadJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-reading %s: %v", b, err)
		}
		assertSameTemplate(t, tpl, again)
	})
}
