package realname

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
)

// testToday is the fixed "today" of the tests and of testdata/vectors.tsv.
var testToday = wht93.Date{Year: 2026, Month: time.January, Day: 15}

type vector struct {
	line   int
	typ    DocType
	number string
	valid  bool
	rules  []string // error rules when invalid, warnings when valid
	source string
}

func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	f, err := os.Open("testdata/vectors.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 4 {
			tb.Fatalf("vectors.tsv:%d: %d fields, want 4", n, len(parts))
		}
		t, err := ParseDocType(parts[0])
		if err != nil {
			tb.Fatalf("vectors.tsv:%d: %v", n, err)
		}
		num := parts[1]
		if strings.HasPrefix(num, `"`) {
			if num, err = strconv.Unquote(num); err != nil {
				tb.Fatalf("vectors.tsv:%d: %v", n, err)
			}
		}
		v := vector{line: n, typ: t, number: num, source: parts[3]}
		for _, e := range strings.Split(parts[2], ",") {
			switch {
			case e == "valid":
				v.valid = true
			case strings.HasPrefix(e, "warn:"):
				v.rules = append(v.rules, strings.TrimPrefix(e, "warn:"))
			default:
				v.rules = append(v.rules, e)
			}
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func codesOf(vs wht93.Violations) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Code())
	}
	slices.Sort(out)
	return out
}

func TestVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors) < 50 {
		t.Fatalf("only %d vectors", len(vectors))
	}
	// Every rule of a number has at least one invalid vector breaking it alone.
	covered := map[string]bool{}
	for _, v := range vectors {
		t.Run(strconv.Itoa(v.line)+"_"+v.typ.String(), func(t *testing.T) {
			d, err := Validate(v.typ, v.number, testToday)
			want := slices.Clone(v.rules)
			slices.Sort(want)
			if v.valid {
				if err != nil {
					t.Fatalf("%s %q: want valid, got %v", v.typ, v.number, err)
				}
				if got := codesOf(d.Warnings()); !slices.Equal(got, want) {
					t.Fatalf("%s %q: warnings %v, want %v", v.typ, v.number, got, want)
				}
				if d.Type() != v.typ || d.Form() == 0 || d.Number() == "" {
					t.Fatalf("%s %q: incomplete document %v form %v", v.typ, v.number, d, d.Form())
				}
				// What validates re-validates to itself.
				again, err := Validate(v.typ, d.Number(), testToday)
				if err != nil || again.Number() != d.Number() {
					t.Fatalf("canonical %s does not re-validate: %v", d, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s %q (%s): want %v, got valid %v", v.typ, v.number, v.source, want, d)
			}
			if !d.IsZero() {
				t.Fatalf("invalid number returned a document %v", d)
			}
			got := codesOf(wht93.Violations(wht93.ViolationsOf(err)).Errors())
			if !slices.Equal(got, want) {
				t.Fatalf("%s %q (%s): rules %v, want %v: %v", v.typ, v.number, v.source, got, want, err)
			}
			if len(want) == 1 {
				covered[want[0]] = true
			}
			// The whole number never appears in the error.
			n := Normalize(v.number)
			if len(n) >= 8 && strings.Contains(err.Error(), n) {
				t.Fatalf("error reveals the number: %v", err)
			}
		})
	}
	for _, r := range []*wht93.Rule{ErrEmpty, ErrLength, ErrCharset, ErrCheckDigit, ErrBirthDate,
		ErrBirthFuture, ErrBirthEarly, ErrAddress, ErrPermitPrefix, ErrOtherType, ErrPrefix,
		ErrProvince, ErrNationality} {
		if !covered[r.Code()] {
			t.Errorf("rule %s has no invalid vector breaking it alone", r.Code())
		}
	}
}

func violationsOf(err error) wht93.Violations { return wht93.ViolationsOf(err) }
