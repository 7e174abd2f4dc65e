package codes

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"pgregory.net/rapid"
)

// inUseRegions lists every region code in use today.
func inUseRegions() []string {
	var out []string
	for r := range Regions {
		if r.InUse() {
			out = append(out, r.Code)
		}
	}
	return out
}

// allRegions lists every region code of the dataset.
func allRegions() []string {
	var out []string
	for r := range Regions {
		out = append(out, r.Code)
	}
	return out
}

func drawDate(t *rapid.T) wht93.Date {
	y := rapid.IntRange(1, 9999).Draw(t, "year")
	m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
	d := rapid.IntRange(1, wht93.DaysIn(y, m)).Draw(t, "day")
	return wht93.Date{Year: y, Month: m, Day: d}
}

var idAlphabet = []rune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")

// fullWidth returns s with its ASCII letters and digits in full-width form.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// roundTrip checks that c's String parses back to c with parse, also in full
// width with spaces around, and through MarshalText / UnmarshalText.
func roundTrip[T interface {
	comparable
	Code
	MarshalText() ([]byte, error)
}](t *rapid.T, c T, parse func(string) (T, error), unmarshal func([]byte) (T, error)) {
	s := c.String()
	for _, in := range []string{s, " " + fullWidth(s) + "\u3000"} {
		p, err := parse(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		if p != c || p.String() != s {
			t.Fatalf("parse %q = %v, want %v", in, p, c)
		}
	}
	b, err := c.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	u, err := unmarshal(b)
	if err != nil || u != c {
		t.Fatalf("unmarshal %q = %v, %v", b, u, err)
	}
	any, err := Parse(s)
	if err != nil || any.Kind() != c.Kind() || any.String() != s {
		t.Fatalf("Parse(%q) = %v, %v", s, any, err)
	}
}

func unmarshalAs[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](b []byte) (T, error) {
	var v T
	err := P(&v).UnmarshalText(b)
	return v, err
}

func TestPropertyCodesRoundTrip(t *testing.T) {
	regions := inUseRegions()
	rapid.Check(t, func(t *rapid.T) {
		regionStr := rapid.SampledFrom(regions).Draw(t, "region")
		vseq := rapid.IntRange(1, 999).Draw(t, "venueSequence")
		hseq := rapid.IntRange(1, 99).Draw(t, "hallSequence")
		date := drawDate(t)
		nth := rapid.IntRange(1, 99).Draw(t, "number")
		id := rapid.StringOfN(rapid.SampledFrom(idAlphabet), 1, MaxTicketIDLen, -1).Draw(t, "id")

		region, err := ParseRegionCode(regionStr)
		if err != nil {
			t.Fatal(err)
		}
		venue, err := NewVenueCode(region, vseq)
		if err != nil {
			t.Fatal(err)
		}
		hall, err := NewHallCode(venue, hseq)
		if err != nil {
			t.Fatal(err)
		}
		session, err := NewSessionCode(hall, date, nth)
		if err != nil {
			t.Fatal(err)
		}
		ticket, err := NewTicketCode(session, id)
		if err != nil {
			t.Fatal(err)
		}

		roundTrip(t, region, ParseRegionCode, unmarshalAs[RegionCode])
		roundTrip(t, venue, ParseVenueCode, unmarshalAs[VenueCode])
		roundTrip(t, hall, ParseHallCode, unmarshalAs[HallCode])
		roundTrip(t, session, ParseSessionCode, unmarshalAs[SessionCode])
		roundTrip(t, ticket, ParseTicketCode, unmarshalAs[TicketCode])

		// The accessors give back the parts.
		if session.Date() != date || session.Number() != nth || session.HallSequence() != hseq ||
			session.VenueSequence() != vseq || session.Hall() != hall || session.Venue() != venue ||
			session.RegionCode() != region || session.Region().Code != regionStr {
			t.Fatalf("accessors of %v", session)
		}
		if ticket.Session() != session || ticket.ID() != id || len(ticket.String()) > MaxTicketLen {
			t.Fatalf("accessors of %v", ticket)
		}
		// No finding at all, not even a warning, for a code built from parts.
		if _, vs := CheckTicketCode(ticket.String()); len(vs) != 0 {
			t.Fatalf("findings for %v: %v", ticket, vs)
		}
	})
}

func TestPropertyEveryRegionParses(t *testing.T) {
	for _, code := range allRegions() {
		c, vs := CheckRegionCode(code)
		if vs.Err() != nil || c.String() != code {
			t.Fatalf("%s: %v", code, vs)
		}
		if r := c.Region(); r.InUse() != (len(vs) == 0) {
			t.Fatalf("%s: in use %v, findings %v", code, r.InUse(), vs)
		}
	}
}

func TestPropertyTypeCodeRoundTrip(t *testing.T) {
	types := PerformanceTypes()
	rapid.Check(t, func(t *rapid.T) {
		info := rapid.SampledFrom(types).Draw(t, "type")
		roundTrip(t, info.Code, ParseTypeCode, unmarshalAs[TypeCode])
		if c, ok := TypeCodeOfID(info.ID); !ok || c != info.Code {
			t.Fatalf("TypeCodeOfID(%d) = %v, %v", info.ID, c, ok)
		}
	})
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 9999).Draw(t, "n")
		s := pad(n, 4)
		c, err := ParseTypeCode(s)
		if (err == nil) != TypeCode(n).Valid() {
			t.Fatalf("%s: %v", s, err)
		}
		if err == nil && c.String() != s {
			t.Fatalf("%s → %v", s, c)
		}
	})
}

func TestPropertySeatTicketCodesUnique(t *testing.T) {
	sc := SessionCode{"110101001012024052701"}
	seatGen := rapid.Custom(func(t *rapid.T) Seat {
		return Seat{
			Floor:  rapid.IntRange(0, 99).Draw(t, "floor"),
			Area:   rapid.IntRange(0, 999).Draw(t, "area"),
			Row:    rapid.IntRange(0, 999).Draw(t, "row"),
			Number: rapid.IntRange(0, 9999).Draw(t, "seat"),
			Issue:  rapid.IntRange(0, 99).Draw(t, "issue"),
		}
	})
	rapid.Check(t, func(t *rapid.T) {
		seats := rapid.SliceOfNDistinct(seatGen, 1, 300, func(s Seat) Seat { return s }).Draw(t, "seats")
		seen := map[TicketCode]Seat{}
		for _, s := range seats {
			c, err := SeatTicketCode(sc, s)
			if err != nil {
				t.Fatal(err)
			}
			if prev, dup := seen[c]; dup {
				t.Fatalf("%v and %v share %v", prev, s, c)
			}
			seen[c] = s
			if len(c.String()) > MaxTicketLen {
				t.Fatalf("%v: %d bytes", c, len(c.String()))
			}
			if p, err := ParseTicketCode(c.String()); err != nil || p != c {
				t.Fatalf("%v: %v", c, err)
			}
			if back, ok := c.Seat(); !ok || back != s {
				t.Fatalf("%v: seat %v, want %v", c, back, s)
			}
		}
	})
}

func TestPropertySequenceTicketCodesUnique(t *testing.T) {
	sc := SessionCode{"110101001012024052701"}
	rapid.Check(t, func(t *rapid.T) {
		ns := rapid.SliceOfNDistinct(rapid.Uint64(), 1, 300, func(n uint64) uint64 { return n }).Draw(t, "ns")
		seen := map[TicketCode]uint64{}
		for _, n := range ns {
			c, err := SequenceTicketCode(sc, n)
			if err != nil {
				t.Fatal(err)
			}
			if prev, dup := seen[c]; dup {
				t.Fatalf("%d and %d share %v", prev, n, c)
			}
			seen[c] = n
			if len(c.String()) > MaxTicketLen {
				t.Fatalf("%v: %d bytes", c, len(c.String()))
			}
			if p, err := ParseTicketCode(c.String()); err != nil || p != c {
				t.Fatalf("%v: %v", c, err)
			}
			if back, ok := c.Sequence(); !ok || back != n {
				t.Fatalf("%v: sequence %d, want %d", c, back, n)
			}
		}
	})
}

func TestPropertyRandomTicketCodes(t *testing.T) {
	sc := SessionCode{"110101001012024052701"}
	// Any bytes from the reader give a valid code of 48 bytes, and different bytes
	// (in the 130 bits used) give different codes.
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SliceOfN(rapid.Byte(), 17, 17).Draw(t, "a")
		b := rapid.SliceOfN(rapid.Byte(), 17, 17).Draw(t, "b")
		ca, err := RandomTicketCode(sc, bytes.NewReader(a))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := RandomTicketCode(sc, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(ca.String()) != 48 || strings.ToUpper(ca.ID()) != ca.ID() {
			t.Fatalf("%v", ca)
		}
		if p, err := ParseTicketCode(ca.String()); err != nil || p != ca {
			t.Fatalf("%v: %v", ca, err)
		}
		// The first 130 bits decide the code.
		a[16] &= 0xC0
		b[16] &= 0xC0
		if (ca == cb) != bytes.Equal(a, b) {
			t.Fatalf("%x → %v, %x → %v", a, ca, b, cb)
		}
	})

	// With crypto/rand, many draws never collide.
	seen := make(map[TicketCode]bool, 20000)
	for range 20000 {
		c, err := RandomTicketCode(sc, rand.Reader)
		noErr(t, err)
		must(t, !seen[c], "collision ", c)
		seen[c] = true
	}
}
