package venue_test

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93/venue"
)

// genSpec draws small descriptions whose blocks are each valid; sections may
// describe the same area and rows again, so duplicates happen.
func genSpec(t *rapid.T) venue.Spec {
	spec := venue.Spec{Hall: "厅"}
	for range rapid.IntRange(1, 3).Draw(t, "sections") {
		sec := venue.Section{
			Floor: rapid.SampledFrom([]string{"一层", "二层"}).Draw(t, "floor"),
			Area:  rapid.SampledFrom([]string{"A区", "B区", "C区"}).Draw(t, "area"),
		}
		for range rapid.IntRange(1, 3).Draw(t, "blocks") {
			parity := venue.Parity(rapid.IntRange(0, 2).Draw(t, "parity"))
			fix := func(n int) int {
				if !((parity == venue.OddNumbers && n%2 == 0) || (parity == venue.EvenNumbers && n%2 == 1)) {
					return n
				}
				return n + 1
			}
			r := venue.SeatRange{From: fix(rapid.IntRange(1, 15).Draw(t, "from")), To: fix(rapid.IntRange(1, 15).Draw(t, "to")), Parity: parity}
			b := venue.RowBlock{From: rapid.IntRange(1, 4).Draw(t, "row"), To: rapid.IntRange(0, 4).Draw(t, "rowTo"), Seats: r, Gap: rapid.IntRange(0, 2).Draw(t, "gap")}
			lo, hi := min(r.From, r.To), max(r.From, r.To)
			var numbers []int
			for n := lo; n <= hi; n++ {
				if (parity == venue.OddNumbers && n%2 == 0) || (parity == venue.EvenNumbers && n%2 == 1) {
					continue
				}
				numbers = append(numbers, n)
			}
			if len(numbers) > 1 {
				for _, n := range numbers {
					if len(b.Skip)+1 < len(numbers) && rapid.IntRange(0, 4).Draw(t, "skip") == 0 {
						b.Skip = append(b.Skip, n)
					}
				}
			}
			sec.Rows = append(sec.Rows, b)
		}
		spec.Sections = append(spec.Sections, sec)
	}
	return spec
}

type modelSeat struct {
	loc venue.Location
	pos int
}

// model lists the seats a description stands for, in description order, with their
// positions: the plain reading of the documentation of Section and RowBlock.
func model(spec venue.Spec) []modelSeat {
	var out []modelSeat
	next := make(map[[3]string]int)
	for _, sec := range spec.Sections {
		for _, b := range sec.Rows {
			to := b.To
			if to == 0 {
				to = b.From
			}
			var rows []int
			for r := b.From; ; {
				rows = append(rows, r)
				if r == to {
					break
				}
				if r < to {
					r++
				} else {
					r--
				}
			}
			step := 1
			if b.Seats.Parity != venue.AllNumbers {
				step = 2
			}
			if b.Seats.To < b.Seats.From {
				step = -step
			}
			skip := make(map[int]bool)
			for _, n := range b.Skip {
				skip[n] = true
			}
			for _, r := range rows {
				row := fmt.Sprintf("%d排", r)
				k := [3]string{sec.Floor, sec.Area, row}
				pos := next[k] + b.Gap
				i := 0
				for n := b.Seats.From; ; n += step {
					if !skip[n] {
						out = append(out, modelSeat{venue.Location{Floor: sec.Floor, Area: sec.Area, Row: row, Number: fmt.Sprintf("%d号", n)}, pos + i})
					}
					i++
					if n == b.Seats.To {
						break
					}
				}
				next[k] = pos + i
			}
		}
	}
	return out
}

// Every described seat is in the template exactly once, at its position, with a
// unique location; a description that names one location twice is refused.
func TestPropertyBuildEverySeatOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		spec := genSpec(t)
		want := model(spec)
		count := make(map[venue.Location]int)
		for _, s := range want {
			count[s.loc]++
		}
		dup := len(count) < len(want)
		tpl, err := venue.Build(spec)
		if dup {
			if !errors.Is(err, venue.ErrDuplicateSeat) {
				t.Fatalf("duplicates not refused: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid description refused: %v", err)
		}
		if tpl.Len() != len(want) {
			t.Fatalf("template has %d seats, description %d", tpl.Len(), len(want))
		}
		for _, m := range want {
			id, ok := tpl.Lookup(m.loc)
			if !ok {
				t.Fatalf("seat %v missing", m.loc)
			}
			s, _ := tpl.Seat(id)
			if s.Location != m.loc || s.Pos != m.pos {
				t.Fatalf("seat %v: got %v at %d, want position %d", id, s.Location, s.Pos, m.pos)
			}
		}
		// Rows are contiguous id ranges with strictly increasing positions, and
		// areas are contiguous runs of rows.
		seen := make(map[venue.Location]bool)
		var next venue.SeatID
		for i, r := range tpl.Rows() {
			if r.First != next || r.End <= r.First {
				t.Fatalf("row %d = %+v, expected to start at %d", i, r, next)
			}
			next = r.End
			prev := -1
			for id := r.First; id < r.End; id++ {
				s, _ := tpl.Seat(id)
				if s.Pos <= prev || s.Row != r.Name || s.AreaKey() != r.AreaKey || tpl.RowOf(id) != i {
					t.Fatalf("seat %d %+v in row %+v after position %d", id, s, r, prev)
				}
				prev = s.Pos
				if seen[s.Location] {
					t.Fatalf("location %v twice", s.Location)
				}
				seen[s.Location] = true
			}
		}
		if int(next) != tpl.Len() {
			t.Fatalf("rows cover %d of %d seats", next, tpl.Len())
		}
		for i, a := range tpl.Areas() {
			for r := a.FirstRow; r < a.EndRow; r++ {
				row, _ := tpl.Row(r)
				if row.Area != i || row.AreaKey != a.AreaKey {
					t.Fatalf("row %d not in area %d", r, i)
				}
			}
		}
	})
}
