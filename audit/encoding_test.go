package audit_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/piaowu/wht93/audit"
)

type vector struct {
	name, want string // want: "ok <hash>" or a rule code
	bin        []byte
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/entries.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 3 {
			t.Fatalf("bad vector line %q", line)
		}
		bin, err := hex.DecodeString(parts[2])
		if err != nil {
			t.Fatalf("vector %s: %v", parts[0], err)
		}
		out = append(out, vector{parts[0], parts[1], bin})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVectors(t *testing.T) {
	var good []audit.Entry
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			var e audit.Entry
			err := e.UnmarshalBinary(v.bin)
			hash, ok := strings.CutPrefix(v.want, "ok ")
			if !ok {
				if err == nil {
					t.Fatalf("decoded %+v, want %s", e, v.want)
				}
				if !errors.Is(err, audit.ErrEncoding) || !strings.Contains(v.want, audit.ErrEncoding.Code()) {
					t.Fatalf("error %v, want %s", err, v.want)
				}
				if e.Seq != 0 || e.User != "" {
					t.Fatalf("a failed decode changed the entry: %+v", e)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if e.Hash.String() != hash || e.ComputeHash().String() != hash {
				t.Fatalf("hash %v, computed %v, want %s", e.Hash, e.ComputeHash(), hash)
			}
			b, _ := e.MarshalBinary()
			if !bytes.Equal(b, v.bin) {
				t.Fatalf("MarshalBinary does not give back the vector:\n got %x\nwant %x", b, v.bin)
			}
			if !bytes.Equal(e.Canonical(), v.bin[:len(v.bin)-32]) {
				t.Fatal("Canonical differs from the vector's canonical part")
			}
			good = append(good, e)
		})
	}
	if len(good) != 3 {
		t.Fatalf("%d good vectors, want 3", len(good))
	}
	// Sealing the same records gives the same chain, byte for byte.
	recs := make([]audit.Record, len(good))
	for i, e := range good {
		recs[i] = e.Record
	}
	checked, err := audit.CheckRecords(recs)
	if err != nil {
		t.Fatalf("the vectors' records are invalid: %v", err)
	}
	for i, e := range audit.Seal(audit.Anchor{}, checked) {
		if e.Hash != good[i].Hash || e.Prev != good[i].Prev {
			t.Fatalf("Seal: entry %d hash %v prev %v, want %v %v", e.Seq, e.Hash, e.Prev, good[i].Hash, good[i].Prev)
		}
	}
	v := audit.NewVerifier(audit.Anchor{})
	for i := range good {
		v.Next(&good[i])
	}
	if err := v.End(good[2].Anchor()); err != nil {
		t.Fatalf("the vectors do not verify as a chain: %v", err)
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.bin)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var e audit.Entry
		if err := e.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, audit.ErrEncoding) {
				t.Fatalf("error %v is not ErrEncoding", err)
			}
			return
		}
		// The encoding is canonical: what decodes encodes back to the same bytes.
		out, _ := e.MarshalBinary()
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip differs:\n in %x\nout %x", b, out)
		}
		// Verifying a decoded entry never panics, whatever it holds.
		v := audit.NewVerifier(audit.Anchor{Seq: e.Seq - 1, Hash: e.Prev})
		v.Next(&e)
		_ = v.End(e.Anchor())
	})
}

func FuzzParseAnchor(f *testing.F) {
	f.Add("wht93-audit-v1:0:" + strings.Repeat("0", 64))
	f.Add("wht93-audit-v1:17:" + strings.Repeat("ab", 32))
	f.Add("wht93-audit-v1:18446744073709551615:" + strings.Repeat("F", 64))
	f.Add("wht93-audit-v1:017:" + strings.Repeat("ab", 32))
	f.Add("wht93-audit-v2:1:" + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, s string) {
		a, err := audit.ParseAnchor("anchor", s)
		if err != nil {
			if !errors.Is(err, audit.ErrAnchorFormat) {
				t.Fatalf("error %v is not ErrAnchorFormat", err)
			}
			return
		}
		if a.String() != strings.ToLower(s) {
			t.Fatalf("ParseAnchor(%q).String() = %q", s, a.String())
		}
		b, err := audit.ParseAnchor("anchor", a.String())
		if err != nil || b != a {
			t.Fatalf("round trip of %q: %v, %v", s, b, err)
		}
	})
}
