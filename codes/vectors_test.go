package codes

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
)

// vector is one line of testdata/vectors.tsv.
type vector struct {
	line     int
	kind     string
	input    string
	findings []string // rule codes, "warn:" prefixed for warnings; nil when ok
	source   string
}

func (v vector) ok() bool {
	for _, f := range v.findings {
		if !strings.HasPrefix(f, "warn:") {
			return false
		}
	}
	return true
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/vectors.tsv")
	noErr(t, err)
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("testdata/vectors.tsv:%d: %d columns, want 4", n, len(cols))
		}
		v := vector{line: n, kind: cols[0], input: cols[1], source: cols[3]}
		if strings.HasPrefix(v.input, `"`) {
			if v.input, err = strconv.Unquote(v.input); err != nil {
				t.Fatalf("testdata/vectors.tsv:%d: input: %v", n, err)
			}
		}
		if cols[2] != "ok" {
			v.findings = strings.Split(cols[2], ",")
		}
		out = append(out, v)
	}
	noErr(t, sc.Err())
	if len(out) == 0 {
		t.Fatal("no vectors")
	}
	return out
}

// checkKind runs the Check function of a vector's kind.
func checkKind(t testing.TB, kind, s string) (Code, wht93.Violations) {
	switch kind {
	case "region":
		return wrap(CheckRegionCode(s))
	case "venue":
		return wrap(CheckVenueCode(s))
	case "hall":
		return wrap(CheckHallCode(s))
	case "session":
		return wrap(CheckSessionCode(s))
	case "ticket":
		return wrap(CheckTicketCode(s))
	case "type":
		return wrap(CheckTypeCode(s))
	case "any":
		return Check(s)
	}
	t.Fatalf("unknown kind %q", kind)
	return nil, nil
}

// parseKind runs the Parse function of a vector's kind.
func parseKind(t testing.TB, kind, s string) (Code, error) {
	var (
		c   Code
		err error
	)
	switch kind {
	case "region":
		c, err = ParseRegionCode(s)
	case "venue":
		c, err = ParseVenueCode(s)
	case "hall":
		c, err = ParseHallCode(s)
	case "session":
		c, err = ParseSessionCode(s)
	case "ticket":
		c, err = ParseTicketCode(s)
	case "type":
		c, err = ParseTypeCode(s)
	case "any":
		c, err = Parse(s)
	default:
		t.Fatalf("unknown kind %q", kind)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func findingsOf(vs wht93.Violations) []string {
	var out []string
	for _, v := range vs {
		if v.Warning {
			out = append(out, "warn:"+v.Code())
		} else {
			out = append(out, v.Code())
		}
	}
	slices.Sort(out)
	return out
}

func TestVectors(t *testing.T) {
	covered := map[string]bool{}
	for _, v := range loadVectors(t) {
		t.Run(strconv.Itoa(v.line)+"_"+v.kind, func(t *testing.T) {
			c, vs := checkKind(t, v.kind, v.input)
			want := slices.Clone(v.findings)
			slices.Sort(want)
			eq(t, findingsOf(vs), want, v.source)
			for _, x := range vs {
				// Every violation names a field and carries the input as given.
				must(t, x.Field != "" && x.Value == v.input && x.Zh != "" && x.En != "", x)
			}

			pc, err := parseKind(t, v.kind, v.input)
			if v.ok() {
				noErr(t, err, v.source)
				must(t, c != nil && pc != nil, v.source)
				eq(t, pc, c)
				eq(t, c.String(), Normalize(v.input), "re-serialises to the normalised input")
			} else {
				must(t, err != nil && c == nil && pc == nil, v.source)
				// The error carries every finding, warnings included.
				eq(t, findingsOf(wht93.ViolationsOf(err)), findingsOf(vs))
				for _, x := range vs.Errors() {
					must(t, errors.Is(err, x.Rule), x.Code())
				}
			}
			for _, f := range v.findings {
				covered[strings.TrimPrefix(f, "warn:")] = true
			}
		})
	}
	// Each rule that input can break has a vector.
	for _, r := range []*wht93.Rule{ErrEmpty, ErrLength, ErrNonDigit, ErrKind, ErrRegionUnknown,
		ErrRegionAbolished, ErrVenueSequence, ErrHallSequence, ErrSessionDate, ErrSessionNumber,
		ErrTicketLength, ErrTicketChar, ErrTypeUnknown} {
		must(t, covered[r.Code()], "no vector for "+r.Code())
	}
}

// TestVectorsBreakOneRule checks that each invalid vector whose comment does not
// say otherwise breaks exactly one error-level rule.
func TestVectorsBreakOneRule(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.ok() || strings.Contains(v.source, "several") || strings.Contains(v.source, "invalid UTF-8") {
			continue
		}
		_, vs := checkKind(t, v.kind, v.input)
		eq(t, len(vs.Errors()), 1, v.line, " ", v.source)
	}
}
