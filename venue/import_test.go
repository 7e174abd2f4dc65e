package venue_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

func readCSVFile(t *testing.T, name, hall string) (*venue.Template, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return venue.ReadCSV(f, hall)
}

func readJSONFile(t *testing.T, name string) (*venue.Template, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return venue.ReadJSON(f)
}

func TestReadCSV(t *testing.T) {
	tpl, err := readCSVFile(t, "small-theatre.csv", "小剧场")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Len() != 6 || tpl.NumRows() != 3 || len(tpl.Areas()) != 2 {
		t.Fatalf("%d seats, %d rows, %d areas", tpl.Len(), tpl.NumRows(), len(tpl.Areas()))
	}
	id, ok := tpl.Lookup(venue.Location{Floor: "一层", Area: "A区", Row: "1排", Number: "3号"})
	s, _ := tpl.Seat(id)
	if !ok || s.Pos != 3 || !s.HasPoint || s.At != (venue.Point{X: 13, Y: 10}) {
		t.Fatalf("1排 3号 = %+v (%v)", s, ok)
	}
	// Without pos, a seat takes the next position of its row.
	id, _ = tpl.Lookup(venue.Location{Floor: "一层", Area: "A区", Row: "2排", Number: "2号"})
	if s, _ := tpl.Seat(id); s.Pos != 1 {
		t.Fatalf("2排 2号 at %d", s.Pos)
	}
	id, _ = tpl.Lookup(venue.Location{Floor: "二层", Area: "包厢", Row: "1排", Number: "1号"})
	if s, _ := tpl.Seat(id); s.HasPoint {
		t.Fatal("empty x, y gave a point")
	}

	tpl, err = readCSVFile(t, "chinese-header.csv", "小剧场")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := tpl.Seat(0); tpl.Len() != 4 || s.Floor != "一层" || s.Number != "1号" {
		t.Fatalf("BOM / Chinese header: %d seats, first %+v", tpl.Len(), s)
	}
}

// Every bad line is reported with its line number.
func TestReadCSVBadRows(t *testing.T) {
	tests := []struct {
		file string
		hall string
		want []struct {
			field string
			rule  *wht93.Rule
		}
	}{
		{"bad-rows.csv", "厅", []struct {
			field string
			rule  *wht93.Rule
		}{
			{"line 3.area", venue.ErrNameEmpty},
			{"line 4", venue.ErrDuplicateSeat},
			{"line 5.pos", venue.ErrNumber},
			{"line 6", venue.ErrCSVRecord},
			{"line 7", venue.ErrCSVRecord},
		}},
		{"bad-rows2.csv", "", []struct {
			field string
			rule  *wht93.Rule
		}{
			{"hall", venue.ErrHallName},
			{"line 2.number", venue.ErrNameLength},
		}},
		{"bad-header.csv", "厅", []struct {
			field string
			rule  *wht93.Rule
		}{
			{"line 1", venue.ErrCSVHeader}, // zone
			{"line 1", venue.ErrCSVHeader}, // no area
			{"line 1", venue.ErrCSVHeader}, // no number
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tpl, err := readCSVFile(t, tt.file, tt.hall)
			if tpl != nil {
				t.Fatal("bad file built a template")
			}
			vs := wht93.ViolationsOf(err)
			if len(vs) != len(tt.want) {
				t.Fatalf("got %d violations, want %d: %v", len(vs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if vs[i].Field != w.field || vs[i].Rule != w.rule {
					t.Errorf("violation %d = %v, want %s at %s", i, vs[i], w.rule.Code(), w.field)
				}
			}
		})
	}
}

func TestReadCSVEdgeCases(t *testing.T) {
	tests := []struct {
		name, in string
		rule     *wht93.Rule
		field    string
	}{
		{"empty", "", venue.ErrCSVHeader, "line 1"},
		{"header only", "floor,area,row,number\n", venue.ErrTemplateEmpty, "seats"},
		{"x without y", "floor,area,row,number,x\n", venue.ErrCSVHeader, "line 1"},
		{"column twice", "floor,area,row,number,楼层\n", venue.ErrCSVHeader, "line 1"},
		{"bad x", "floor,area,row,number,x,y\n1,A,1,1,NaN,2\n", venue.ErrNumber, "line 2.x"},
		{"x only", "floor,area,row,number,x,y\n1,A,1,1,3,\n", venue.ErrNumber, "line 2.x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := venue.ReadCSV(strings.NewReader(tt.in), "厅")
			vs := wht93.ViolationsOf(err)
			if len(vs) == 0 || vs[0].Rule != tt.rule || vs[0].Field != tt.field {
				t.Fatalf("got %v, want %s at %s", err, tt.rule.Code(), tt.field)
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	tpl, err := readJSONFile(t, "theatre.json")
	if err != nil {
		t.Fatal(err)
	}
	// 10 rows × (10 odd − 1 skipped) + 10 rows × 6 even + 3 rows × 4 even + 2 × 30 + 2 boxes.
	if want := 90 + 60 + 12 + 60 + 2; tpl.Len() != want {
		t.Fatalf("%d seats, want %d", tpl.Len(), want)
	}
	id, _ := tpl.Lookup(venue.Location{Floor: "一层", Area: "双号区", Row: "2排", Number: "14号"})
	if s, _ := tpl.Seat(id); s.Pos != 7 { // 2 4 6 8 10 12 at 0–5, aisle at 6
		t.Fatalf("2排 14号 at %d", s.Pos)
	}
	id, _ = tpl.Lookup(venue.Location{Floor: "一层", Area: "单号区", Row: "3排", Number: "1号"})
	if s, _ := tpl.Seat(id); s.At != (venue.Point{X: 9, Y: 3}) {
		t.Fatalf("3排 1号 at %v", s.At)
	}
	if _, ok := tpl.Lookup(venue.Location{Floor: "二层", Area: "楼座", Row: "B排", Number: "30座"}); !ok {
		t.Fatal("named row with seat label missing")
	}
	// Spec → JSON → ReadJSON gives the same template.
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(tpl.Spec()); err != nil {
		t.Fatal(err)
	}
	again, err := venue.ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	assertSameTemplate(t, tpl, again)
}

func TestReadJSONBadElements(t *testing.T) {
	_, err := readJSONFile(t, "bad-elements.json")
	want := []struct {
		field string
		rule  *wht93.Rule
	}{
		{"line 4.sections[0]", venue.ErrJSON},
		{"line 5.sections[1]", venue.ErrJSON},
		{"line 6.sections[2].rows[0].from", venue.ErrRowRange},
		{"line 7.sections[3].rows[0].skip[0]", venue.ErrSkip},
		{"line 7.sections[3].rows[0].skip[1]", venue.ErrSkip},
		{"line 11.seats[1]", venue.ErrDuplicateSeat},
	}
	vs := wht93.ViolationsOf(err)
	if len(vs) != len(want) {
		t.Fatalf("got %d violations, want %d: %v", len(vs), len(want), err)
	}
	for i, w := range want {
		if vs[i].Field != w.field || vs[i].Rule != w.rule {
			t.Errorf("violation %d = %v, want %s at %s", i, vs[i], w.rule.Code(), w.field)
		}
	}

	_, err = readJSONFile(t, "syntax.json")
	vs = wht93.ViolationsOf(err)
	if len(vs) != 1 || vs[0].Field != "line 3" || !errors.Is(err, venue.ErrJSON) {
		t.Fatalf("syntax error reported as %v", err)
	}
}

func TestReadJSONEdgeCases(t *testing.T) {
	tests := []struct {
		name, in string
		rule     *wht93.Rule
		field    string
	}{
		{"empty", "", venue.ErrJSON, "line 1"},
		{"array", "[]", venue.ErrJSON, "line 1"},
		{"unknown key", `{"hall":"h","colour":1,"seats":[{"floor":"1","area":"A","row":"1","number":"1"}]}`, venue.ErrJSON, "line 1"},
		{"key twice", "{\"hall\":\"h\",\n\"hall\":\"i\"}", venue.ErrJSON, "line 2"},
		{"seats not array", `{"hall":"h","seats":{}}`, venue.ErrJSON, "line 1"},
		{"trailing data", `{"hall":"h"} {}`, venue.ErrJSON, "line 1"},
		{"null seats", `{"hall":"h","seats":null}`, venue.ErrTemplateEmpty, "seats"},
		{"wrong type", "{\"hall\":\"h\",\"seats\":[\n{\"floor\":1}]}", venue.ErrJSON, "line 2.seats[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := venue.ReadJSON(strings.NewReader(tt.in))
			vs := wht93.ViolationsOf(err)
			if len(vs) == 0 || vs[0].Rule != tt.rule || vs[0].Field != tt.field {
				t.Fatalf("got %v, want %s at %s", err, tt.rule.Code(), tt.field)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	big := strings.Repeat(" ", venue.MaxInputBytes+1)
	if _, err := venue.ReadJSON(strings.NewReader(big)); !errors.Is(err, venue.ErrInputSize) {
		t.Fatalf("JSON: %v", err)
	}
	if _, err := venue.ReadCSV(strings.NewReader(big), "h"); !errors.Is(err, venue.ErrInputSize) {
		t.Fatalf("CSV: %v", err)
	}
}
