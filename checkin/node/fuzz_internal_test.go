package node

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// seedEntries returns the valid entry vectors of checkin/testdata/binary.tsv,
// framed as a push body.
func seedEntries(f *testing.F) [][]byte {
	fh, err := os.Open("../testdata/binary.tsv")
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	var out [][]byte
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 4 || cols[0] != "entry" {
			continue
		}
		b, err := hex.DecodeString(cols[2])
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, append([]byte{byte(len(b))}, b...))
	}
	return out
}

// FuzzReadEntries: the framing of pushed and pulled entries never panics,
// and what it reads re-frames to the same bytes.
func FuzzReadEntries(f *testing.F) {
	for _, s := range seedEntries(f) {
		f.Add(s)
		f.Add(append(append([]byte{}, s...), s...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := readEntries(b)
		if err != nil {
			return
		}
		again, err := appendEntries(nil, es)
		if err != nil || string(again) != string(b) {
			t.Fatalf("%x reads as %d entries that frame as %x (%v)", b, len(es), again, err)
		}
	})
}

// FuzzScanJSON: a device's scan message never panics the node's decoding.
func FuzzScanJSON(f *testing.F) {
	fh, err := os.ReadFile("testdata/scans.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(string(fh), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w scanWire
		if json.Unmarshal([]byte(s), &w) != nil {
			return
		}
		sc, err := scanFromWire(w)
		if err != nil {
			return
		}
		sc.Validate() // must not panic either
		again, err := scanFromWire(scanToWire(sc))
		if err != nil || again != sc {
			t.Fatalf("%q: scan %+v comes back as %+v (%v)", s, sc, again, err)
		}
	})
}
