package venue_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/venue"
)

// theatreSpec is a small theatre: odd seats left of the centre line, even seats to
// the right, a skipped seat, and a balcony.
func theatreSpec() venue.Spec {
	return venue.Spec{Hall: "大剧场", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{
			{From: 1, To: 3, Seats: venue.SeatRange{From: 9, To: 1, Parity: venue.OddNumbers}, Skip: []int{5}},
			{From: 1, To: 3, Seats: venue.SeatRange{From: 2, To: 10, Parity: venue.EvenNumbers}, Gap: 1},
		}},
		{Floor: "二层", Area: "楼座", Rows: []venue.RowBlock{
			{Names: []string{"A排", "B排"}, Seats: venue.SeatRange{From: 1, To: 12}},
		}},
	}}
}

// E.2.1.2 场所座位模板: a) the template can be viewed; b) it can be created with
// hall, area, floor, row and column; c) it is one record and every seat's location is
// unique.
func TestE212SeatTemplate(t *testing.T) {
	// b) create.
	tpl, err := venue.Build(theatreSpec())
	if err != nil {
		t.Fatal(err)
	}
	// a) view: every seat with its hall, area, floor, row and column.
	if tpl.Hall() != "大剧场" {
		t.Errorf("hall %q", tpl.Hall())
	}
	want := 3*(4+5) + 2*12 // odd 9,7,3,1 (5 skipped) + even 2…10, three rows; 2 × 12
	if tpl.Len() != want {
		t.Fatalf("template has %d seats, want %d", tpl.Len(), want)
	}
	first, _ := tpl.Seat(0)
	if got := first.Location.String(); got != "一层 A区 1排 9号" {
		t.Errorf("first seat %q", got)
	}
	// c) one record whose locations are all unique.
	seen := make(map[venue.Location]bool)
	for id, s := range tpl.Seats() {
		if seen[s.Location] {
			t.Fatalf("seat %d: location %v twice", id, s.Location)
		}
		seen[s.Location] = true
		if got, ok := tpl.Lookup(s.Location); !ok || got != id {
			t.Fatalf("Lookup(%v) = %d, %v; want %d", s.Location, got, ok, id)
		}
	}
	// and a duplicate location is refused.
	dup := theatreSpec()
	dup.Seats = []venue.SeatSpec{{Location: venue.Location{Floor: "一层", Area: "A区", Row: "2排", Number: "3号"}}}
	_, err = venue.Build(dup)
	if !errors.Is(err, venue.ErrDuplicateSeat) {
		t.Fatalf("duplicate location: %v", err)
	}
	vs := wht93.ViolationsOf(err)
	if len(vs) != 1 || vs[0].Field != "seats[0]" || vs[0].Value != "一层 A区 2排 3号" ||
		!strings.Contains(vs[0].En, "sections[0].rows[0]") {
		t.Fatalf("duplicate reported as %v", vs)
	}
}

func TestOddEvenPositions(t *testing.T) {
	tpl, err := venue.Build(theatreSpec())
	if err != nil {
		t.Fatal(err)
	}
	row, _ := tpl.Row(0)
	if row.Name != "1排" || row.Area != 0 || row.Len() != 9 {
		t.Fatalf("row 0 = %+v", row)
	}
	var got []string
	for id := row.First; id < row.End; id++ {
		s, _ := tpl.Seat(id)
		got = append(got, fmt.Sprintf("%s@%d", s.Number, s.Pos))
		if tpl.RowOf(id) != 0 || tpl.AreaOf(id) != 0 {
			t.Fatalf("seat %d in row %d area %d", id, tpl.RowOf(id), tpl.AreaOf(id))
		}
	}
	// 9 7 _ 3 1 | aisle | 2 4 6 8 10: the skipped 5 and the gap keep their places.
	wantSeats := []string{"9号@0", "7号@1", "3号@3", "1号@4", "2号@6", "4号@7", "6号@8", "8号@9", "10号@10"}
	if !slices.Equal(got, wantSeats) {
		t.Fatalf("row 1排 = %v, want %v", got, wantSeats)
	}
	areas := tpl.Areas()
	if len(areas) != 2 || areas[1].AreaKey != (venue.AreaKey{Floor: "二层", Area: "楼座"}) ||
		areas[1].FirstRow != 3 || areas[1].EndRow != 5 || areas[1].Len() != 24 {
		t.Fatalf("areas = %+v", areas)
	}
	if i, ok := tpl.LookupArea(venue.AreaKey{Floor: "二层", Area: "楼座"}); !ok || i != 1 {
		t.Fatalf("LookupArea = %d, %v", i, ok)
	}
	if _, ok := tpl.Seat(venue.SeatID(tpl.Len())); ok {
		t.Fatal("Seat out of range reported ok")
	}
	if tpl.RowOf(-1) != -1 || tpl.AreaOf(venue.SeatID(tpl.Len())) != -1 {
		t.Fatal("RowOf/AreaOf out of range")
	}
}

func TestBuildViolations(t *testing.T) {
	rows := func(b ...venue.RowBlock) []venue.Section {
		return []venue.Section{{Floor: "一层", Area: "A区", Rows: b}}
	}
	seats := venue.SeatRange{From: 1, To: 10}
	tests := []struct {
		name  string
		spec  venue.Spec
		rule  *wht93.Rule
		field string
		value string
	}{
		{"no hall", venue.Spec{Sections: rows(venue.RowBlock{From: 1, Seats: seats})}, venue.ErrHallName, "hall", ""},
		{"no seat", venue.Spec{Hall: "h"}, venue.ErrTemplateEmpty, "seats", "0"},
		{"row 0", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 0, Seats: seats})}, venue.ErrRowRange, "sections[0].rows[0].from", "0"},
		{"row too big", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, To: 10000, Seats: seats})}, venue.ErrRowRange, "sections[0].rows[0].to", "10000"},
		{"names and numbers", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Names: []string{"A"}, Seats: seats})}, venue.ErrRowRange, "sections[0].rows[0].from", "1"},
		{"row name twice", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{Names: []string{"A排", "A排"}, Seats: seats})}, venue.ErrRowRange, "sections[0].rows[0].names[1]", "A排"},
		{"seat 0", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 0, To: 5}})}, venue.ErrSeatRange, "sections[0].rows[0].seats.from", "0"},
		{"odd range even end", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 1, To: 10, Parity: venue.OddNumbers}})}, venue.ErrSeatRange, "sections[0].rows[0].seats.to", "10"},
		{"even range odd start", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 1, To: 10, Parity: venue.EvenNumbers}})}, venue.ErrSeatRange, "sections[0].rows[0].seats.from", "1"},
		{"bad parity", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 1, To: 9, Parity: 7}})}, venue.ErrParity, "sections[0].rows[0].seats.parity", "Parity(7)"},
		{"skip outside", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: seats, Skip: []int{11}})}, venue.ErrSkip, "sections[0].rows[0].skip[0]", "11"},
		{"skip wrong parity", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 1, To: 9, Parity: venue.OddNumbers}, Skip: []int{4}})}, venue.ErrSkip, "sections[0].rows[0].skip[0]", "4"},
		{"skip twice", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: seats, Skip: []int{3, 3}})}, venue.ErrSkip, "sections[0].rows[0].skip[1]", "3"},
		{"skip all", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: venue.SeatRange{From: 1, To: 2}, Skip: []int{1, 2}})}, venue.ErrSkip, "sections[0].rows[0].skip", "2"},
		{"negative gap", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, Seats: seats, Gap: -1})}, venue.ErrGap, "sections[0].rows[0].gap", "-1"},
		{"label without {n}", venue.Spec{Hall: "h", Sections: []venue.Section{{Floor: "一层", Area: "A区", SeatLabel: "号", Rows: []venue.RowBlock{{From: 1, Seats: seats}}}}}, venue.ErrLabel, "sections[0].seatLabel", "号"},
		{"label too long", venue.Spec{Hall: "h", Sections: []venue.Section{{Floor: "一层", Area: "A区", SeatLabel: "第{n}号座位号码座位位", Rows: []venue.RowBlock{{From: 1, Seats: seats}}}}}, venue.ErrNameLength, "sections[0].rows[0].seats", "第10号座位号码座位位"},
		{"no rows", venue.Spec{Hall: "h", Sections: []venue.Section{{Floor: "一层", Area: "A区"}}}, venue.ErrNoRows, "sections[0].rows", "0"},
		{"empty area", venue.Spec{Hall: "h", Sections: []venue.Section{{Floor: "一层", Rows: []venue.RowBlock{{From: 1, Seats: seats}}}}}, venue.ErrNameEmpty, "sections[0].area", ""},
		{"control char", venue.Spec{Hall: "h", Sections: []venue.Section{{Floor: "一\n层", Area: "A", Rows: []venue.RowBlock{{From: 1, Seats: seats}}}}}, venue.ErrNameChars, "sections[0].floor", "一\n层"},
		{"trailing space", venue.Spec{Hall: "h", Seats: []venue.SeatSpec{{Location: venue.Location{Floor: "一层 ", Area: "A", Row: "1", Number: "1"}}}}, venue.ErrNameChars, "seats[0].floor", "一层 "},
		{"negative pos", venue.Spec{Hall: "h", Seats: []venue.SeatSpec{{Location: venue.Location{Floor: "一层", Area: "A", Row: "1", Number: "1"}, Pos: ptr(-2)}}}, venue.ErrSeatPos, "seats[0].pos", "-2"},
		{"shared pos", venue.Spec{Hall: "h", Seats: []venue.SeatSpec{
			{Location: venue.Location{Floor: "一层", Area: "A", Row: "1", Number: "1"}, Pos: ptr(3)},
			{Location: venue.Location{Floor: "一层", Area: "A", Row: "1", Number: "2"}, Pos: ptr(3)}}}, venue.ErrSeatPos, "seats[1].pos", "3"},
		{"too many", venue.Spec{Hall: "h", Sections: rows(venue.RowBlock{From: 1, To: 100, Seats: venue.SeatRange{From: 1, To: 9999}})}, venue.ErrTemplateSize, "sections[0].rows[0]", "999900"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := venue.Build(tt.spec)
			if tpl != nil || err == nil {
				t.Fatalf("built %v, err %v", tpl, err)
			}
			vs := wht93.ViolationsOf(err)
			for _, v := range vs {
				if v.Rule == tt.rule && v.Field == tt.field && v.Value == tt.value {
					return
				}
			}
			t.Fatalf("want %s at %q = %q, got %v", tt.rule.Code(), tt.field, tt.value, err)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestBuildReportsEveryViolation(t *testing.T) {
	spec := venue.Spec{Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 0, Seats: venue.SeatRange{From: 1, To: 4}}}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, Seats: venue.SeatRange{From: 1, To: 4}, Skip: []int{9}}}},
	}, Seats: []venue.SeatSpec{
		{Location: venue.Location{Floor: "二层", Area: "包厢", Row: "1排", Number: "1号"}},
		{Location: venue.Location{Floor: "二层", Area: "包厢", Row: "1排", Number: "1号"}},
	}}
	_, err := venue.Build(spec)
	for _, rule := range []*wht93.Rule{venue.ErrHallName, venue.ErrRowRange, venue.ErrSkip, venue.ErrDuplicateSeat} {
		if !errors.Is(err, rule) {
			t.Errorf("missing %s in %v", rule.Code(), err)
		}
	}
}

func TestNewTemplateGroupsRowsAndAreas(t *testing.T) {
	// Seats given out of order: areas, rows and positions interleaved.
	seat := func(floor, area, row, num string, pos int) venue.Seat {
		return venue.Seat{Location: venue.Location{Floor: floor, Area: area, Row: row, Number: num}, Pos: pos}
	}
	tpl, err := venue.NewTemplate("小剧场", []venue.Seat{
		seat("一层", "A区", "2排", "2号", 1),
		seat("一层", "B区", "1排", "1号", 0),
		seat("一层", "A区", "1排", "2号", 1),
		seat("一层", "A区", "2排", "1号", 0),
		seat("一层", "A区", "1排", "1号", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range tpl.Seats() {
		got = append(got, s.Location.String())
	}
	want := []string{"一层 A区 2排 1号", "一层 A区 2排 2号", "一层 A区 1排 1号", "一层 A区 1排 2号", "一层 B区 1排 1号"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	for i, r := range tpl.Rows() {
		for id := r.First; id < r.End; id++ {
			if tpl.RowOf(id) != i {
				t.Fatalf("seat %d not in row %d", id, i)
			}
		}
	}
}

func TestSpecRoundTrip(t *testing.T) {
	spec := theatreSpec()
	spec.Sections[0].Origin = &venue.Point{X: 1, Y: 2}
	spec.Sections[0].Pitch = venue.Point{X: 0.5, Y: 1}
	a, err := venue.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := venue.Build(a.Spec())
	if err != nil {
		t.Fatal(err)
	}
	assertSameTemplate(t, a, b)
	s, _ := a.Seat(1) // 1排 7号 at position 1
	if !s.HasPoint || s.At != (venue.Point{X: 1.5, Y: 2}) {
		t.Fatalf("seat %v at %v (%v)", s.Location, s.At, s.HasPoint)
	}
	row2, _ := a.Row(1)
	s, _ = a.Seat(row2.First)
	if s.At != (venue.Point{X: 1, Y: 3}) {
		t.Fatalf("second row's first seat at %v", s.At)
	}
}

func assertSameTemplate(t *testing.T, a, b *venue.Template) {
	t.Helper()
	if a.Hall() != b.Hall() || a.Len() != b.Len() || a.NumRows() != b.NumRows() {
		t.Fatalf("templates differ: %s/%d/%d vs %s/%d/%d", a.Hall(), a.Len(), a.NumRows(), b.Hall(), b.Len(), b.NumRows())
	}
	for id, s := range a.Seats() {
		o, _ := b.Seat(id)
		if s != o {
			t.Fatalf("seat %d: %+v vs %+v", id, s, o)
		}
	}
	if !slices.Equal(a.Rows(), b.Rows()) || !slices.Equal(a.Areas(), b.Areas()) {
		t.Fatal("rows or areas differ")
	}
}

func TestParityText(t *testing.T) {
	for in, want := range map[string]venue.Parity{"": venue.AllNumbers, "all": venue.AllNumbers, "odd": venue.OddNumbers,
		"单号": venue.OddNumbers, "单": venue.OddNumbers, "even": venue.EvenNumbers, "双号": venue.EvenNumbers, "双": venue.EvenNumbers} {
		var p venue.Parity
		if err := p.UnmarshalText([]byte(in)); err != nil || p != want {
			t.Errorf("%q → %v, %v", in, p, err)
		}
	}
	var p venue.Parity
	if err := p.UnmarshalText([]byte("both")); !errors.Is(err, venue.ErrParity) {
		t.Errorf("both: %v", err)
	}
	if _, err := venue.Parity(3).MarshalText(); !errors.Is(err, venue.ErrParity) {
		t.Errorf("marshal 3: %v", err)
	}
	if b, _ := venue.OddNumbers.MarshalText(); string(b) != "odd" {
		t.Errorf("odd marshals as %s", b)
	}
}

// Every seat of a template gets distinct seat-code numbers, and they make valid
// ticket codes.
func TestCodeSeat(t *testing.T) {
	tpl, err := venue.Build(theatreSpec())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := codes.ParseSessionCode("110101001012025052001")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[codes.Seat]venue.SeatID)
	for id := range tpl.Seats() {
		cs, ok := tpl.CodeSeat(id)
		if !ok {
			t.Fatalf("seat %d has no code numbers", id)
		}
		if prev, dup := seen[cs]; dup {
			t.Fatalf("seats %d and %d share %v", prev, id, cs)
		}
		seen[cs] = id
		if _, err := codes.SeatTicketCode(sc, cs); err != nil {
			t.Fatalf("seat %d: %v", id, err)
		}
	}
	last, _ := tpl.CodeSeat(venue.SeatID(tpl.Len() - 1)) // 二层 楼座 B排 12号
	if last != (codes.Seat{Floor: 2, Area: 2, Row: 2, Number: 12}) {
		t.Fatalf("last seat %+v", last)
	}
	if _, ok := tpl.CodeSeat(-1); ok {
		t.Fatal("CodeSeat(-1)")
	}
}

// An invalid name is reported for every seat that has it, even right after another
// invalid seat.
func TestInvalidNameEverySeat(t *testing.T) {
	loc := func(area, num string) venue.SeatSpec {
		return venue.SeatSpec{Location: venue.Location{Floor: "一层", Area: area, Row: "1排", Number: num}}
	}
	_, err := venue.Build(venue.Spec{Hall: "h", Seats: []venue.SeatSpec{loc("A区", "1号"), loc("", "2号"), loc("", "3号"), loc("A区", "")}})
	var fields []string
	for _, v := range wht93.ViolationsOf(err) {
		fields = append(fields, v.Field)
	}
	if strings.Join(fields, " ") != "seats[1].area seats[2].area seats[3].number" {
		t.Fatalf("fields %v", fields)
	}
}
