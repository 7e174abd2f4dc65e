package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// runCmd runs a command line and returns its exit status and outputs.
func runCmd(t testing.TB, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := run(args, strings.NewReader(stdin), &out, &errb)
	return rc, out.String(), errb.String()
}

func TestCheckSessionCode(t *testing.T) {
	rc, out, _ := runCmd(t, "", "check", "110101001012024052701")
	if rc != exitOK {
		t.Fatalf("rc %d: %s", rc, out)
	}
	for _, want := range []string{"OK", "11010100101", "北京市 东城区", "2024-05-27", "当日场次=01"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckImpossibleDate(t *testing.T) {
	rc, out, _ := runCmd(t, "", "check", "110101001012023022901")
	if rc != exitInvalid {
		t.Fatalf("rc %d", rc)
	}
	if !strings.Contains(out, "2023-02-29") || !strings.Contains(out, "INVALID") {
		t.Fatalf("the impossible date is not named:\n%s", out)
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"check"}, {"check", "--bogus", "1"}, {"frobnicate"}, {"id", "--type", "library-card", "1"}} {
		if rc, _, _ := runCmd(t, "", args...); rc != exitUsage {
			t.Errorf("%q: rc %d, want %d", args, rc, exitUsage)
		}
	}
}

func TestCheckStdinOneResultPerLine(t *testing.T) {
	in := "110101001012024052701\r\n１１０１０１\n\nabc\n1001\n110101001012024052701A00001"
	rc, out, errOut := runCmd(t, in, "check", "-")
	if rc != exitInvalid {
		t.Fatalf("rc %d", rc)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{"OK", "OK", "INVALID", "INVALID", "OK", "OK"}
	if len(lines) != len(want) {
		t.Fatalf("%d result lines for %d input lines:\n%s", len(lines), len(want), out)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, want[i]+"\t") {
			t.Errorf("line %d: %q, want %s", i+1, l, want[i])
		}
	}
	if !strings.Contains(errOut, "6 checked: 4 valid, 2 invalid") {
		t.Errorf("summary: %q", errOut)
	}
}

func TestCheckStdinOverlongLine(t *testing.T) {
	in := "110101\n" + strings.Repeat("1", maxLine+10) + "\n110101\n"
	rc, out, _ := runCmd(t, in, "check", "-")
	if rc != exitInvalid {
		t.Fatalf("rc %d", rc)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "INVALID") || !strings.HasPrefix(lines[2], "OK") {
		t.Fatalf("got:\n%.300s", out)
	}
}

func TestCheckJSON(t *testing.T) {
	rc, out, _ := runCmd(t, "", "check", "--json", "110101001012024052701", "110101001012023022901")
	if rc != exitInvalid {
		t.Fatalf("rc %d", rc)
	}
	var results []checkResult
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r checkResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		results = append(results, r)
	}
	if len(results) != 2 || !results[0].Valid || results[0].Kind == "" || len(results[0].Parts) == 0 {
		t.Fatalf("first: %+v", results)
	}
	if results[1].Valid || len(results[1].Violations) == 0 || results[1].Violations[0].Code == "" {
		t.Fatalf("second: %+v", results[1])
	}
}

func TestIDResidentAcceptance(t *testing.T) {
	const id = "11010119900307803X"
	if rc, out, _ := runCmd(t, "", "id", "--type", "resident-id", id); rc != exitOK {
		t.Fatalf("rc %d: %s", rc, out)
	}
	// Changing any one character makes it invalid, with the reason.
	for i := 0; i < len(id); i++ {
		for _, c := range "0123456789X" {
			if byte(c) == id[i] {
				continue
			}
			changed := id[:i] + string(c) + id[i+1:]
			rc, out, _ := runCmd(t, "", "id", "--type", "resident-id", changed)
			if rc != exitInvalid || !strings.Contains(out, "INVALID") || !strings.Contains(out, " / ") {
				t.Fatalf("%s: rc %d, %s", changed, rc, out)
			}
		}
	}
}

func TestIDNeverPrintsTheNumberWhole(t *testing.T) {
	const id = "11010119900307803X"
	for _, args := range [][]string{
		{"id", "--type", "resident-id", id},
		{"id", id},
		{"id", "--json", id},
		{"id", "--type", "resident-id", "11010119900307813X"},
		{"id", "--type", "passport", id},
	} {
		_, out, errOut := runCmd(t, "", args...)
		if strings.Contains(out, id) || strings.Contains(errOut, id) || strings.Contains(out, "11010119900307813X") {
			t.Errorf("%q printed the number whole:\n%s%s", args, out, errOut)
		}
	}
}

func TestIDCandidates(t *testing.T) {
	rc, out, _ := runCmd(t, "", "id", "11010119900307803X")
	if rc != exitOK || !strings.Contains(out, "resident-id") {
		t.Fatalf("rc %d: %s", rc, out)
	}
	rc, out, _ = runCmd(t, "", "id", "!!")
	if rc != exitInvalid {
		t.Fatalf("rc %d: %s", rc, out)
	}
}

func TestIDStdin(t *testing.T) {
	rc, out, errOut := runCmd(t, "11010119900307803X\n11010119900307813X\n", "id", "--type", "resident-id", "-")
	if rc != exitInvalid || strings.Count(out, "\n") != 2 || !strings.Contains(errOut, "2 checked: 1 valid, 1 invalid") {
		t.Fatalf("rc %d\n%s%s", rc, out, errOut)
	}
}

// checkCorpus returns n lines of codes: mostly valid session and ticket codes, with
// a share of invalid ones, as a vendor's export would hold.
func checkCorpus(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		day, month := 1+i%28, 1+(i/28)%12
		switch i % 10 {
		case 0:
			fmt.Fprintf(&b, "110101%03d%02d2023022901\n", 1+i%999, 1+i%99) // impossible date
		case 1, 2, 3:
			fmt.Fprintf(&b, "110105%03d%02d2024%02d%02d%02dS%07d\n", 1+i%999, 1+i%99, month, day, 1+i%9, i)
		default:
			fmt.Fprintf(&b, "110101%03d%02d2024%02d%02d%02d\n", 1+i%999, 1+i%99, month, day, 1+i%9)
		}
	}
	return b.Bytes()
}

// BenchmarkCheckStdin measures `wht93 check -` over 1,000,000 lines, without the
// process start and pipe: lines/s is the figure.
func BenchmarkCheckStdin(b *testing.B) {
	const n = 1_000_000
	corpus := checkCorpus(n)
	b.ReportAllocs()
	b.SetBytes(int64(len(corpus)))
	for b.Loop() {
		if rc := run([]string{"check", "-"}, bytes.NewReader(corpus), io.Discard, io.Discard); rc != exitInvalid {
			b.Fatalf("rc %d", rc)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
