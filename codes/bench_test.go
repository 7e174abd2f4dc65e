package codes

import (
	"strings"
	"testing"

	"golang.org/x/text/width"
)

var (
	sinkSession SessionCode
	sinkTicket  TicketCode
	sinkRegion  Region
	sinkString  string
	sinkParts   []Part
)

func BenchmarkParseSessionCode(b *testing.B) {
	LookupRegion("110101") // load the data outside the timing
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseSessionCode("110101001012024052701")
		if err != nil {
			b.Fatal(err)
		}
		sinkSession = c
	}
}

// BenchmarkParseSessionCodeNormalised measures the slow path: full-width digits
// and spaces, folded before checking.
func BenchmarkParseSessionCodeNormalised(b *testing.B) {
	LookupRegion("110101")
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseSessionCode(" １１０１０１００１０１２０２４０５２７０１ ")
		if err != nil {
			b.Fatal(err)
		}
		sinkSession = c
	}
}

func BenchmarkParseTicketCode(b *testing.B) {
	LookupRegion("110101")
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseTicketCode("110101001012024052701R60RK4CSM6MV3EE1SC5H66S35CS")
		if err != nil {
			b.Fatal(err)
		}
		sinkTicket = c
	}
}

func BenchmarkLookupRegion(b *testing.B) {
	LookupRegion("110101")
	b.ReportAllocs()
	for b.Loop() {
		r, ok := LookupRegion("110101")
		if !ok {
			b.Fatal("not found")
		}
		sinkRegion = r
	}
}

// BenchmarkCheckParts is the work of `wht93 check` per line: recognise, check,
// and list the parts into a reused slice.
func BenchmarkCheckParts(b *testing.B) {
	LookupRegion("110101")
	lines := []string{"110101001012024052701", "110101001012024052701N00000042", "11010100101", "1001", "110101001012023022901"}
	var parts []Part
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c, vs := Check(lines[i%len(lines)])
		i++
		if c != nil {
			parts = c.AppendParts(parts[:0])
		} else if len(vs) == 0 {
			b.Fatal("no code and no violation")
		}
	}
	sinkParts = parts
}

// BenchmarkNormalize compares the hand-written fold with golang.org/x/text/width.
func BenchmarkNormalize(b *testing.B) {
	inputs := map[string]string{
		"plain":     "110101001012024052701",
		"fullwidth": " １１０１０１００１０１２０２４０５２７０１ ",
	}
	for name, in := range inputs {
		b.Run("hand/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = Normalize(in)
			}
		})
		b.Run("xtext/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = strings.TrimSpace(width.Fold.String(in))
			}
		})
	}
}

// TestNormalizeMatchesXText checks the hand-written fold against
// golang.org/x/text/width on the characters codes are made of.
func TestNormalizeMatchesXText(t *testing.T) {
	for r := rune(0x21); r <= 0x7e; r++ {
		full := string(r + 0xFEE0)
		eq(t, Normalize(full), strings.TrimSpace(width.Fold.String(full)), full)
	}
	eq(t, Normalize("\u3000"), strings.TrimSpace(width.Fold.String("\u3000")))
}
