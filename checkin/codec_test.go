package checkin_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

type vector struct {
	kind, note string
	ok         bool
	b          []byte
}

func vectors(t testing.TB) []vector {
	f, err := os.Open("testdata/binary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("testdata line %q", line)
		}
		b, err := hex.DecodeString(cols[2])
		if err != nil {
			t.Fatalf("testdata hex %q: %v", cols[2], err)
		}
		out = append(out, vector{kind: cols[0], ok: cols[1] == "ok", b: b, note: cols[3]})
	}
	return out
}

// TestVectors: every valid vector decodes and encodes back to itself; every
// invalid one is an error of this package.
func TestVectors(t *testing.T) {
	for _, v := range vectors(t) {
		var err error
		var again []byte
		switch v.kind {
		case "pass":
			var p checkin.Pass
			if err = p.UnmarshalBinary(v.b); err == nil {
				again, _ = p.MarshalBinary()
			}
		case "entry":
			var e checkin.Entry
			if err = e.UnmarshalBinary(v.b); err == nil {
				again, _ = e.MarshalBinary()
			}
		}
		switch {
		case v.ok && err != nil:
			t.Errorf("%s: %v", v.note, err)
		case v.ok && !bytes.Equal(again, v.b):
			t.Errorf("%s: re-encodes to %x", v.note, again)
		case !v.ok && err == nil:
			t.Errorf("%s: decoded", v.note)
		case !v.ok && !errors.Is(err, checkin.ErrEncoding) && !errors.Is(err, checkin.ErrPass) && !errors.Is(err, checkin.ErrEntry):
			t.Errorf("%s: error of another kind: %v", v.note, err)
		}
	}
}

func TestEntryRoundTrip(t *testing.T) {
	e := checkin.Entry{ID: "a:b.c_d-e", Ticket: must[codes.TicketCode](t)(codes.ParseTicketCode("110101001012025052001T1")),
		SessionID: "", Tier: "", RealName: 1, Method: checkin.RFID, Gate: "北门 3", Device: "d", Node: "lan-北",
		At: time.Date(2025, 5, 20, 19, 0, 0, 123456789, time.UTC), Count: 10000}
	b := must[[]byte](t)(e.MarshalBinary())
	var got checkin.Entry
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	want := e.Normalized()
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	e.Count = 0
	if _, err := e.MarshalBinary(); !errors.Is(err, checkin.ErrEntry) {
		t.Fatalf("count 0: %v", err)
	}
}

func fuzzSeeds(f *testing.F, kind string) {
	for _, v := range vectors(f) {
		if v.kind == kind {
			f.Add(v.b)
		}
	}
}

// FuzzPass: decoding never panics, and what decodes re-encodes to the same
// bytes (one pass, one encoding).
func FuzzPass(f *testing.F) {
	fuzzSeeds(f, "pass")
	f.Fuzz(func(t *testing.T, b []byte) {
		var p checkin.Pass
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("%x decodes to %+v, which encodes to %x (%v)", b, p, again, err)
		}
	})
}

// FuzzEntry: decoding never panics, and what decodes re-encodes to the same
// bytes.
func FuzzEntry(f *testing.F) {
	fuzzSeeds(f, "entry")
	f.Fuzz(func(t *testing.T, b []byte) {
		var e checkin.Entry
		if err := e.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := e.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("%x decodes to %+v, which encodes to %x (%v)", b, e, again, err)
		}
	})
}
