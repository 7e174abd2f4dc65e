package codes

import (
	"testing"

	"github.com/piaowu/wht93"
)

// seed adds every input of testdata/vectors.tsv to the corpus.
func seed(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.input)
	}
}

// fuzzParser checks one parser on any input: it never panics; Parse succeeds
// exactly when Check has no error-level violation, and then both return the same
// code; what parses re-serialises to its normalised input and re-parses equal.
func fuzzParser[T interface {
	comparable
	String() string
}](t *testing.T, s string, parse func(string) (T, error), check func(string) (T, wht93.Violations)) {
	c, err := parse(s)
	cc, vs := check(s)
	if (err == nil) != (vs.Err() == nil) {
		t.Fatalf("%q: Parse error %v, Check errors %v", s, err, vs.Errors())
	}
	for _, v := range vs {
		if v.Rule == nil || v.Field == "" || v.Value != s || v.Zh == "" || v.En == "" {
			t.Fatalf("%q: malformed violation %#v", s, v)
		}
	}
	if err != nil {
		var zero T
		if c != zero || cc != zero {
			t.Fatalf("%q: error %v with a code %v / %v", s, err, c, cc)
		}
		return
	}
	if c != cc {
		t.Fatalf("%q: Parse %v, Check %v", s, c, cc)
	}
	out := c.String()
	if out != Normalize(s) {
		t.Fatalf("%q parses to %q, not its normalised form %q", s, out, Normalize(s))
	}
	again, err := parse(out)
	if err != nil || again != c {
		t.Fatalf("%q re-parses to %v, %v", out, again, err)
	}
}

func FuzzParseSessionCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseSessionCode, CheckSessionCode)
		if c, err := ParseSessionCode(s); err == nil {
			if !c.Date().Valid() || c.Number() < 1 || c.Hall().Venue() != c.Venue() {
				t.Fatalf("%q: parts %v %d", s, c.Date(), c.Number())
			}
			_ = c.Parts()
		}
	})
}

func FuzzParseTicketCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseTicketCode, CheckTicketCode)
		if c, err := ParseTicketCode(s); err == nil {
			if len(c.String()) > MaxTicketLen || c.ID() == "" || c.Session().String()+c.ID() != c.String() {
				t.Fatalf("%q: parts %v %q", s, c.Session(), c.ID())
			}
			_ = c.Parts()
		}
	})
}

func FuzzParseHallCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseHallCode, CheckHallCode)
		if c, err := ParseHallCode(s); err == nil {
			_ = c.Parts()
		}
	})
}

func FuzzParseVenueCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseVenueCode, CheckVenueCode)
		if c, err := ParseVenueCode(s); err == nil {
			_ = c.Parts()
		}
	})
}

func FuzzParseRegionCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseRegionCode, CheckRegionCode)
		if c, err := ParseRegionCode(s); err == nil && c.Region().Code != c.String() {
			t.Fatalf("%q: region %v", s, c.Region())
		}
	})
}

func FuzzParseTypeCode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		fuzzParser(t, s, ParseTypeCode, CheckTypeCode)
		if c, err := ParseTypeCode(s); err == nil && (!c.Valid() || c.Name() == "") {
			t.Fatalf("%q: %v", s, c)
		}
	})
}

func FuzzParseVenueType(f *testing.F) {
	for _, v := range VenueTypes() {
		f.Add(v.String())
	}
	f.Add("LiveHouse")
	f.Add("广场")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVenueType(s)
		if err != nil {
			return
		}
		if !v.Valid() {
			t.Fatalf("%q: %v", s, v)
		}
		b, err := v.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if again, err := ParseVenueType(string(b)); err != nil || again != v {
			t.Fatalf("%q: %v re-parses to %v, %v", s, v, again, err)
		}
	})
}

// FuzzCheck is the parser of any kind (codes.Check, what `wht93 check` runs).
func FuzzCheck(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		c, vs := Check(s)
		_, err := Parse(s)
		if (err == nil) != (vs.Err() == nil) || (c == nil) != (vs.Err() != nil) {
			t.Fatalf("%q: Parse %v, Check %v, %v", s, err, c, vs)
		}
		if c == nil {
			return
		}
		k, ok := Classify(s).One()
		if !ok || k != c.Kind() || c.String() != Normalize(s) {
			t.Fatalf("%q: kind %v (%v), code %q", s, c.Kind(), k, c.String())
		}
		_ = c.AppendParts(nil)
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Fatalf("%q re-parses to %v, %v", c.String(), again, err)
		}
	})
}
