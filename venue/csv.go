package venue

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// MaxInputBytes is the largest template file [ReadCSV] and [ReadJSON] read.
const MaxInputBytes = 64 << 20

var (
	// ErrInputSize is the rule that a template file has at most MaxInputBytes bytes.
	ErrInputSize = wht93.NewRule("venue.import.size", "座位模板文件超过64 MiB", "seat template file is larger than 64 MiB")
	// ErrCSVHeader is the rule that a CSV template starts with a header naming the
	// columns floor, area, row and number (or 楼层, 区域, 排, 座位号), optionally pos
	// (位置) and x, y; each once.
	ErrCSVHeader = wht93.NewRule("venue.csv.header", "CSV表头应包含 floor、area、row、number 列（或 楼层、区域、排、座位号），每列一次", "CSV header must name the columns floor, area, row and number, each once")
	// ErrCSVRecord is the rule that a CSV line is well formed and has one field per
	// header column.
	ErrCSVRecord = wht93.NewRule("venue.csv.record", "CSV行格式错误或列数与表头不符", "CSV line is malformed or has a different number of fields than the header")
	// ErrNumber is the rule that a pos is a non-negative integer and x, y are finite
	// numbers, given together.
	ErrNumber = wht93.NewRule("venue.import.number", "数值格式错误（pos 应为非负整数，x、y 应为数值且同时给出）", "bad number (pos must be a non-negative integer, x and y numbers given together)")
)

var csvColumns = map[string]string{
	"floor": "floor", "楼层": "floor",
	"area": "area", "区域": "area", "座位区域": "area",
	"row": "row", "排": "row", "行": "row",
	"number": "number", "seat": "number", "座位号": "number", "列": "number", "号": "number",
	"pos": "pos", "位置": "pos",
	"x": "x", "y": "y",
}

// ReadCSV reads the seat template of the hall named hall from CSV: a header line,
// then one seat per line. Columns (in any order, names in English or Chinese):
// floor (楼层), area (区域), row (排), number (座位号), and optionally pos (位置, the
// physical position in the row; by default the next one after the row's previous
// seat in the file) and x, y (the drawing coordinate). Empty lines and lines starting
// with # are skipped; a UTF-8 byte-order mark is allowed.
//
// Every bad line is reported, with its line number ("line 12.number"), together
// with the template's own violations such as a duplicate location.
func ReadCSV(r io.Reader, hall string) (*Template, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = true

	var vs wht93.Violations
	lineName := func(l int) string { return "line " + strconv.Itoa(l) }

	// Header.
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, wht93.Violations{ErrCSVHeader.At("line 1", "")}
	}
	if err != nil {
		return nil, wht93.Violations{csvError(err, lineName)}
	}
	line, _ := cr.FieldPos(0)
	header := cloneStrings(rec)
	col := make(map[string]int)
	for i, h := range header {
		name, ok := csvColumns[strings.ToLower(strings.TrimSpace(h))]
		if _, dup := col[name]; !ok || dup {
			vs = append(vs, ErrCSVHeader.At(lineName(line), h))
			continue
		}
		col[name] = i
	}
	for _, need := range []string{"floor", "area", "row", "number"} {
		if _, ok := col[need]; !ok {
			vs = append(vs, ErrCSVHeader.Atf(lineName(line), strings.Join(header, ","), "CSV表头缺少 "+need+" 列", "CSV header lacks the column "+need))
		}
	}
	_, hasX := col["x"]
	_, hasY := col["y"]
	if hasX != hasY {
		vs = append(vs, ErrCSVHeader.Atf(lineName(line), strings.Join(header, ","), "CSV表头应同时包含 x 和 y 列", "CSV header must have both x and y or neither"))
	}
	if len(vs) > 0 {
		return nil, vs
	}

	cFloor, cArea, cRow, cNumber := col["floor"], col["area"], col["row"], col["number"]
	var seats []SeatSpec
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			vs = append(vs, csvError(err, lineName))
			continue
		}
		line, _ := cr.FieldPos(0)
		where := lineName(line)
		if len(rec) != len(header) {
			vs = append(vs, ErrCSVRecord.Atf(where, strconv.Itoa(len(rec)),
				"CSV行有 "+strconv.Itoa(len(rec))+" 列，表头有 "+strconv.Itoa(len(header))+" 列",
				"CSV line has "+strconv.Itoa(len(rec))+" fields, the header "+strconv.Itoa(len(header))))
			continue
		}
		if len(seats) == MaxSeats {
			vs = append(vs, ErrTemplateSize.At(where, strconv.Itoa(MaxSeats+1)))
			break
		}
		// The fields are parts of a string allocated for this line (ReuseRecord
		// reuses only the slice), so they can be kept without copying.
		ss := SeatSpec{Location: Location{
			Floor: rec[cFloor], Area: rec[cArea], Row: rec[cRow], Number: rec[cNumber],
		}}
		if i, ok := col["pos"]; ok && rec[i] != "" {
			p, err := strconv.Atoi(rec[i])
			if err != nil || p < 0 {
				vs = append(vs, ErrNumber.At(where+".pos", rec[i]))
			} else {
				ss.Pos = &p
			}
		}
		if ix, ok := col["x"]; ok && (rec[ix] != "" || rec[col["y"]] != "") {
			x, errX := strconv.ParseFloat(rec[ix], 64)
			y, errY := strconv.ParseFloat(rec[col["y"]], 64)
			if errX != nil || errY != nil || !finite(x) || !finite(y) {
				vs = append(vs, ErrNumber.At(where+".x", rec[ix]+","+rec[col["y"]]))
			} else {
				ss.At = &Point{x, y}
			}
		}
		seats = append(seats, ss)
		lines = append(lines, line)
	}
	if len(vs) > 0 && len(seats) == 0 {
		return nil, vs
	}
	t, err := Spec{Hall: hall, Seats: seats}.build(nil, func(i int) string { return lineName(lines[i]) })
	if err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if err := vs.Err(); err != nil {
		return nil, byLine(vs)
	}
	return t, nil
}

func cloneStrings(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.Clone(v)
	}
	return out
}

func csvError(err error, lineName func(int) string) *wht93.Violation {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return ErrCSVRecord.Atf(lineName(pe.Line), "", "CSV格式错误："+pe.Err.Error(), "malformed CSV: "+pe.Err.Error())
	}
	return ErrCSVRecord.Atf("", "", "读取CSV失败："+err.Error(), "reading CSV failed: "+err.Error())
}

// readLimited reads all of r, refusing more than MaxInputBytes.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(bufio.NewReader(r), MaxInputBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxInputBytes {
		return nil, wht93.Violations{ErrInputSize.At("", strconv.Itoa(len(data))+"+")}
	}
	return data, nil
}

// WriteCSV writes the template in the form [ReadCSV] reads: the header
// floor,area,row,number,pos,x,y and one seat per line in id order (x and y empty for
// a seat without a drawing coordinate). Reading it back gives the same template.
func (t *Template) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"floor", "area", "row", "number", "pos", "x", "y"}); err != nil {
		return err
	}
	rec := make([]string, 7)
	for _, s := range t.seats {
		rec[0], rec[1], rec[2], rec[3] = s.Floor, s.Area, s.Row, s.Number
		rec[4] = strconv.Itoa(s.Pos)
		rec[5], rec[6] = "", ""
		if s.HasPoint {
			rec[5] = strconv.FormatFloat(s.At.X, 'g', -1, 64)
			rec[6] = strconv.FormatFloat(s.At.Y, 'g', -1, 64)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
