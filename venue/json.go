package venue

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// ErrJSON is the rule that a JSON template is well formed and has only the fields of
// [Spec], with the right types.
var ErrJSON = wht93.NewRule("venue.json", "JSON格式错误或含有未知字段", "malformed JSON or unknown field")

// ReadJSON reads a template description from JSON: an object with "hall",
// "sections" (compact blocks, see [Section]) and "seats" (explicit seats, see
// [SeatSpec]). It reports every bad element with the line it starts on
// ("line 12.seats[3]"), and then the template's own violations in the same way.
//
//	{"hall": "大剧场",
//	 "sections": [{"floor": "一层", "area": "A区",
//	   "rows": [{"from": 1, "to": 10, "seats": {"from": 1, "to": 29, "parity": "odd"}, "skip": [7]}]}],
//	 "seats": [{"floor": "二层", "area": "包厢", "row": "1排", "number": "1号", "at": {"x": 5, "y": 40}}]}
func ReadJSON(r io.Reader) (*Template, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	spec, d, vs, err := decodeSpec(data)
	if err != nil {
		return nil, err
	}
	t, err := spec.build(
		func(i int) string {
			return "line " + strconv.Itoa(d.secLines[i]) + ".sections[" + strconv.Itoa(d.secIdx[i]) + "]"
		},
		func(i int) string {
			return "line " + strconv.Itoa(d.seatLines[i]) + ".seats[" + strconv.Itoa(d.seatIdx[i]) + "]"
		})
	for _, v := range wht93.ViolationsOf(err) {
		if v.Rule == ErrTemplateEmpty && len(vs) > 0 {
			continue // the elements that would have been seats are reported
		}
		vs = append(vs, v)
	}
	if err := vs.Err(); err != nil {
		return nil, byLine(vs)
	}
	return t, nil
}

// origins records where each decoded element came from: its line and its index in
// the input array (elements that failed to decode are left out of the Spec).
type origins struct {
	secLines, secIdx, seatLines, seatIdx []int
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets of '\n'

func newLineIndex(data []byte) lineIndex {
	var li lineIndex
	for i, b := range data {
		if b == '\n' {
			li = append(li, i)
		}
	}
	return li
}

func (li lineIndex) line(off int64) int {
	return sort.SearchInts(li, int(off)) + 1
}

// decodeSpec decodes a Spec, element by element, recording the line each section and
// seat starts on. It returns the violations of elements that did not decode (and are
// left out), and an error when the document as a whole cannot be read.
func decodeSpec(data []byte) (Spec, origins, wht93.Violations, error) {
	li := newLineIndex(data)
	at := func(off int64) string { return "line " + strconv.Itoa(li.line(off)) }
	syntax := func(err error, dec *json.Decoder) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		return wht93.Violations{ErrJSON.Atf(at(off), "", "JSON格式错误："+err.Error(), "malformed JSON: "+err.Error())}
	}

	var spec Spec
	var o origins
	var vs wht93.Violations
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return spec, o, nil, syntax(err, dec)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return spec, o, nil, wht93.Violations{ErrJSON.Atf(at(0), "", "JSON应为对象", "JSON must be an object")}
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return spec, o, nil, syntax(err, dec)
		}
		key, _ := tok.(string)
		keyAt := at(dec.InputOffset())
		if seen[key] {
			vs = append(vs, ErrJSON.Atf(keyAt, key, "字段重复", "duplicate field"))
		}
		seen[key] = true
		switch key {
		case "hall":
			if err := dec.Decode(&spec.Hall); err != nil {
				return spec, o, nil, syntax(err, dec)
			}
		case "sections", "seats":
			if tok, err := dec.Token(); err != nil {
				return spec, o, nil, syntax(err, dec)
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				if tok == nil { // null: no elements
					continue
				}
				return spec, o, nil, wht93.Violations{ErrJSON.Atf(keyAt, key, key+" 应为数组", key+" must be an array")}
			}
			for i := 0; dec.More(); i++ {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return spec, o, nil, syntax(err, dec)
				}
				start := dec.InputOffset() - int64(len(raw))
				line := li.line(start)
				field := "line " + strconv.Itoa(line) + "." + key + "[" + strconv.Itoa(i) + "]"
				ed := json.NewDecoder(bytes.NewReader(raw))
				ed.DisallowUnknownFields()
				if i >= MaxSeats {
					return spec, o, nil, append(vs, ErrTemplateSize.At(field, strconv.Itoa(i+1)))
				}
				var err error
				if key == "sections" {
					var s Section
					if err = ed.Decode(&s); err == nil {
						spec.Sections = append(spec.Sections, s)
						o.secLines, o.secIdx = append(o.secLines, line), append(o.secIdx, i)
					}
				} else {
					var s SeatSpec
					if err = ed.Decode(&s); err == nil {
						spec.Seats = append(spec.Seats, s)
						o.seatLines, o.seatIdx = append(o.seatLines, line), append(o.seatIdx, i)
					}
				}
				if err != nil {
					vs = append(vs, elementError(err, field))
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return spec, o, nil, syntax(err, dec)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return spec, o, nil, syntax(err, dec)
			}
			vs = append(vs, ErrJSON.Atf(keyAt, key, "未知字段", "unknown field"))
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return spec, o, nil, syntax(err, dec)
	}
	if _, err := dec.Token(); err != io.EOF {
		return spec, o, nil, wht93.Violations{ErrJSON.Atf(at(dec.InputOffset()), "", "JSON对象后有多余内容", "data after the JSON object")}
	}
	return spec, o, vs, nil
}

// byLine sorts violations whose field starts with "line N" by N, stably.
func byLine(vs wht93.Violations) wht93.Violations {
	lineOf := func(v *wht93.Violation) int {
		rest, ok := strings.CutPrefix(v.Field, "line ")
		if !ok {
			return 0
		}
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(rest)
		}
		n, _ := strconv.Atoi(rest[:end])
		return n
	}
	slices.SortStableFunc(vs, func(a, b *wht93.Violation) int { return lineOf(a) - lineOf(b) })
	return vs
}

// elementError reports a decoding error of one element, with the line of the error
// inside the element when the error knows its offset.
func elementError(err error, field string) *wht93.Violation {
	var pe *wht93.Violation
	if errors.As(err, &pe) { // from Parity.UnmarshalText
		return ErrJSON.Atf(field, pe.Value, pe.Zh, pe.En)
	}
	return ErrJSON.Atf(field, "", "JSON元素错误："+err.Error(), "bad JSON element: "+err.Error())
}
