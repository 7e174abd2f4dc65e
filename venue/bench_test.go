package venue

import (
	"bytes"
	"testing"
)

// stadium100k describes a 100,000-seat stadium: 4 floors × 25 areas × 40 rows × 25
// seats, half the areas numbered odd/even with a skipped seat per row.
func stadium100k() Spec {
	s := Spec{Hall: "体育场"}
	floors := []string{"一层", "二层", "三层", "四层"}
	for _, f := range floors {
		for a := range 25 {
			sec := Section{Floor: f, Area: string(rune('A'+a%26)) + "区"}
			if a%2 == 0 {
				sec.Rows = []RowBlock{{From: 1, To: 40, Seats: SeatRange{From: 1, To: 25}}}
			} else {
				sec.Rows = []RowBlock{
					{From: 1, To: 40, Seats: SeatRange{From: 25, To: 1, Parity: OddNumbers}},
					{From: 1, To: 40, Seats: SeatRange{From: 2, To: 24, Parity: EvenNumbers}, Gap: 1},
				}
			}
			s.Sections = append(s.Sections, sec)
		}
	}
	return s
}

func BenchmarkBuildTemplate100k(b *testing.B) {
	spec := stadium100k()
	b.ReportAllocs()
	for b.Loop() {
		t, err := Build(spec)
		if err != nil {
			b.Fatal(err)
		}
		if t.Len() != 100_000 {
			b.Fatalf("built %d seats", t.Len())
		}
	}
}

func BenchmarkReadCSV100k(b *testing.B) {
	t, err := Build(stadium100k())
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := t.WriteCSV(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(data), "体育场"); err != nil {
			b.Fatal(err)
		}
	}
}
