package venue

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// Template is the seat template of one seated hall (6.3.1.2 场所座位模板): the
// standard set of seats on which every seating chart of a session in the hall is
// built. Build one with [NewTemplate], [Build], [ReadCSV] or [ReadJSON]; unseated
// halls have no template ([Hall.Seated] false, a capacity instead).
//
// Seats are numbered by [SeatID] 0 … Len()-1, grouped by area (in the order the
// areas first appear in the input), then by row within the area (in order of first
// appearance: describe rows from the stage backwards), then by position within the
// row. Each row and each area is therefore a contiguous range of ids.
//
// A Template is immutable once built and safe for concurrent use.
type Template struct {
	hall  string
	seats []Seat
	rows  []Row
	areas []Area
	index map[Location]SeatID
}

// Row is one row of a template: the seats [First, End) in physical order.
type Row struct {
	AreaKey
	Name  string
	Area  int    // index in Template.Areas
	First SeatID // first seat of the row
	End   SeatID // one past the last seat of the row
}

// Len returns the number of seats in the row.
func (r Row) Len() int { return int(r.End - r.First) }

// Area is one seat area of a template: the rows [FirstRow, EndRow) and the seats
// [First, End).
type Area struct {
	AreaKey
	FirstRow int
	EndRow   int
	First    SeatID
	End      SeatID

	floor int // 1-based ordinal of the area's floor among the template's floors
}

// Len returns the number of seats in the area.
func (a Area) Len() int { return int(a.End - a.First) }

var (
	// ErrHallName is the rule that a template names its hall (at most 50 characters,
	// Appendix A hallName String 50).
	ErrHallName = wht93.NewRule("venue.template.hall", "座位模板应注明场厅名称（最多50个字符）", "seat template must name its hall (at most 50 characters)")
	// ErrTemplateEmpty is the rule that a seat template has at least one seat.
	ErrTemplateEmpty = wht93.NewRule("venue.template.empty", "座位模板没有座位", "seat template has no seat")
	// ErrTemplateSize is the rule that a seat template has at most MaxSeats seats.
	ErrTemplateSize = wht93.NewRule("venue.template.size", "座位模板座位数超过上限250000", "seat template has more than 250000 seats")
)

// NewTemplate builds the template of the hall named hall from explicit seats, in any
// order. It returns every violation at once: a bad location element, a negative or
// shared position, a non-finite coordinate, a duplicate location. Seats are copied.
func NewTemplate(hall string, seats []Seat) (*Template, error) {
	return assemble(hall, "hall", slices.Clone(seats), func(i int) string { return "seats[" + strconv.Itoa(i) + "]" })
}

func checkHall(field, hall string) *wht93.Violation {
	if !wht93.CleanText(hall, 50, "") {
		return ErrHallName.At(field, strings.ToValidUTF8(hall, "\uFFFD"))
	}
	return nil
}

type rowKey struct{ floor, area, row string }

// assemble validates seats, orders them and indexes them. It takes ownership of
// seats. where names the input element of seat i in violations.
func assemble(hall, hallField string, seats []Seat, where func(i int) string) (*Template, error) {
	var vs wht93.Violations
	if v := checkHall(hallField, hall); v != nil {
		vs = append(vs, v)
	}
	switch {
	case len(seats) == 0:
		return nil, append(vs, ErrTemplateEmpty.At("seats", "0")).Err()
	case len(seats) > MaxSeats:
		return nil, append(vs, ErrTemplateSize.At("seats", strconv.Itoa(len(seats)))).Err()
	}

	// Group seats into areas and rows in order of first appearance.
	areaIdx := make(map[AreaKey]int)
	rowIdx := make(map[rowKey]int)
	var areaRows [][]int // rows of each area, in order of appearance
	var rowKeys []rowKey
	rowOf := make([]int32, len(seats))
	lastRow, lastKey := -1, rowKey{}
	names := make(map[string]bool) // location elements already checked
	var prev Location              // the previous seat's location
	prevOK := false                // whether all of it was valid
	for i := range seats {
		s := &seats[i]
		ok := true
		for _, f := range [...]struct{ name, v, prev string }{
			{"floor", s.Floor, prev.Floor}, {"area", s.Area, prev.Area}, {"row", s.Row, prev.Row}, {"number", s.Number, prev.Number},
		} {
			if (prevOK && f.v == f.prev) || names[f.v] {
				continue // most seats share floor, area and row with the seat before
			}
			if v := checkName(f.name, f.v); v != nil {
				vs = append(vs, wht93.Violations{v}.In(where(i))...)
				ok = false
			} else {
				names[f.v] = true
			}
		}
		prev, prevOK = s.Location, ok
		if s.Pos < 0 {
			vs = append(vs, ErrSeatPos.At(where(i)+".pos", strconv.Itoa(s.Pos)))
		}
		if s.HasPoint && (!finite(s.At.X) || !finite(s.At.Y)) {
			vs = append(vs, ErrPoint.At(where(i)+".at", fmt.Sprint(s.At)))
		}
		k := rowKey{s.Floor, s.Area, s.Row}
		if lastRow >= 0 && k == lastKey {
			rowOf[i] = int32(lastRow)
			continue
		}
		r, ok := rowIdx[k]
		if !ok {
			ak := AreaKey{s.Floor, s.Area}
			a, ok := areaIdx[ak]
			if !ok {
				a = len(areaRows)
				areaIdx[ak] = a
				areaRows = append(areaRows, nil)
			}
			r = len(rowKeys)
			rowIdx[k] = r
			rowKeys = append(rowKeys, k)
			areaRows[a] = append(areaRows[a], r)
		}
		rowOf[i] = int32(r)
		lastRow, lastKey = r, k
	}

	// Order rows by area, then by appearance; count the seats of each row.
	order := make([]int, 0, len(rowKeys)) // final position -> input row
	for _, rs := range areaRows {
		order = append(order, rs...)
	}
	final := make([]int32, len(rowKeys)) // input row -> final row
	for f, r := range order {
		final[r] = int32(f)
	}
	start := make([]int32, len(rowKeys)+1)
	for i := range seats {
		start[final[rowOf[i]]+1]++
	}
	for r := range rowKeys {
		start[r+1] += start[r]
	}

	// Place each seat into its row's range (counting sort, stable), then sort each
	// row by position.
	t := &Template{hall: hall, seats: make([]Seat, len(seats))}
	src := make([]int32, len(seats)) // template id -> input index
	next := slices.Clone(start[:len(rowKeys)])
	for i := range seats {
		f := final[rowOf[i]]
		id := next[f]
		next[f]++
		src[id] = int32(i)
	}
	for f := range order {
		part := src[start[f]:start[f+1]]
		if !slices.IsSortedFunc(part, func(a, b int32) int { return seats[a].Pos - seats[b].Pos }) {
			slices.SortStableFunc(part, func(a, b int32) int { return seats[a].Pos - seats[b].Pos })
		}
		for j := 1; j < len(part); j++ {
			if p, q := part[j-1], part[j]; seats[p].Pos == seats[q].Pos && seats[q].Pos >= 0 {
				vs = append(vs, ErrSeatPos.Atf(where(int(q))+".pos", strconv.Itoa(seats[q].Pos),
					"座位在排内的位置与 "+where(int(p))+" 相同", "seat position in its row is the same as "+where(int(p))))
			}
		}
	}

	// Index the locations; a location seen before is a duplicate.
	t.index = make(map[Location]SeatID, len(seats))
	for id, i := range src {
		s := seats[i]
		s.row = final[rowOf[i]]
		t.seats[id] = s
	}
	inv := make([]SeatID, len(seats)) // input index -> template id
	for id, i := range src {
		inv[i] = SeatID(id)
	}
	for i, id := range inv {
		loc := t.seats[id].Location
		if prev, ok := t.index[loc]; ok {
			first := where(int(src[prev]))
			vs = append(vs, ErrDuplicateSeat.Atf(where(i), loc.String(),
				"座位定位与 "+first+" 重复", "seat location is the same as at "+first))
			continue
		}
		t.index[loc] = id
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}

	// Rows and areas.
	t.rows = make([]Row, len(order))
	t.areas = make([]Area, len(areaRows))
	floors := make(map[string]int)
	f := 0
	for a, rs := range areaRows {
		k := rowKeys[rs[0]]
		fl, ok := floors[k.floor]
		if !ok {
			fl = len(floors) + 1
			floors[k.floor] = fl
		}
		t.areas[a] = Area{AreaKey: AreaKey{k.floor, k.area}, FirstRow: f, EndRow: f + len(rs), First: SeatID(start[f]), End: SeatID(start[f+len(rs)]), floor: fl}
		for _, r := range rs {
			k := rowKeys[r]
			t.rows[f] = Row{AreaKey: AreaKey{k.floor, k.area}, Name: k.row, Area: a, First: SeatID(start[f]), End: SeatID(start[f+1])}
			f++
		}
	}
	return t, nil
}

// Hall returns the name of the template's hall.
func (t *Template) Hall() string { return t.hall }

// Len returns the number of seats.
func (t *Template) Len() int { return len(t.seats) }

// Seat returns the seat with the id, and false when the id is out of range.
func (t *Template) Seat(id SeatID) (Seat, bool) {
	if id < 0 || int(id) >= len(t.seats) {
		return Seat{}, false
	}
	return t.seats[id], true
}

// Lookup returns the id of the seat at loc.
func (t *Template) Lookup(loc Location) (SeatID, bool) {
	id, ok := t.index[loc]
	return id, ok
}

// Seats yields every seat in id order.
func (t *Template) Seats() iter.Seq2[SeatID, Seat] {
	return func(yield func(SeatID, Seat) bool) {
		for i := range t.seats {
			if !yield(SeatID(i), t.seats[i]) {
				return
			}
		}
	}
}

// NumRows returns the number of rows.
func (t *Template) NumRows() int { return len(t.rows) }

// Row returns row i (0 ≤ i < NumRows()), and false when i is out of range.
func (t *Template) Row(i int) (Row, bool) {
	if i < 0 || i >= len(t.rows) {
		return Row{}, false
	}
	return t.rows[i], true
}

// RowOf returns the index of the seat's row, or -1 when the id is out of range.
func (t *Template) RowOf(id SeatID) int {
	if id < 0 || int(id) >= len(t.seats) {
		return -1
	}
	return int(t.seats[id].row)
}

// Rows returns a copy of the rows, in id order.
func (t *Template) Rows() []Row { return slices.Clone(t.rows) }

// Areas returns a copy of the areas, in id order.
func (t *Template) Areas() []Area { return slices.Clone(t.areas) }

// AreaOf returns the index of the seat's area, or -1 when the id is out of range.
func (t *Template) AreaOf(id SeatID) int {
	if id < 0 || int(id) >= len(t.seats) {
		return -1
	}
	return t.rows[t.seats[id].row].Area
}

// LookupArea returns the index of the area k.
func (t *Template) LookupArea(k AreaKey) (int, bool) {
	for i, a := range t.areas {
		if a.AreaKey == k {
			return i, true
		}
	}
	return -1, false
}

// CodeSeat returns the numbers that locate the seat in a seat-based ticket code
// (codes.SeatTicketCode): the floor's ordinal among the template's floors, the
// area's among its areas and the row's within its area, in id order and counting
// from 1, and the seat's position in its row plus 1. Distinct seats of a template get
// distinct numbers. It reports false for an id out of range or numbers beyond the
// code's widths (99 floors, 999 areas, 999 rows per area, 9999 positions).
func (t *Template) CodeSeat(id SeatID) (codes.Seat, bool) {
	if id < 0 || int(id) >= len(t.seats) {
		return codes.Seat{}, false
	}
	s := &t.seats[id]
	r := &t.rows[s.row]
	a := &t.areas[r.Area]
	cs := codes.Seat{Floor: a.floor, Area: r.Area + 1, Row: int(s.row) - a.FirstRow + 1, Number: s.Pos + 1}
	if cs.Floor > 99 || cs.Area > 999 || cs.Row > 999 || cs.Number > 9999 {
		return codes.Seat{}, false
	}
	return cs, true
}

// Spec returns a description that [Build] turns back into an identical template:
// the hall and every seat, explicitly, with its position and coordinate.
func (t *Template) Spec() Spec {
	s := Spec{Hall: t.hall, Seats: make([]SeatSpec, len(t.seats))}
	for i, st := range t.seats {
		pos := st.Pos
		ss := SeatSpec{Location: st.Location, Pos: &pos}
		if st.HasPoint {
			p := st.At
			ss.At = &p
		}
		s.Seats[i] = ss
	}
	return s
}
