package venue

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// MaxNameLen is the longest floor, area, row or seat-number name, in characters:
// Appendix A reports each as a String 10 (floorName, areaName, rowName, seatNo).
const MaxNameLen = 10

// MaxSeats is the largest seat template accepted. The largest stadiums hold about
// 150,000 seats; the bound keeps a malformed description or file from exhausting
// memory.
const MaxSeats = 250_000

// SeatID is a seat's index in its [Template]: 0 … Len()-1. It is compact and stable
// (the same template input always gives the same ids), so that a seating chart can
// keep per-seat state in slices indexed by it.
type SeatID int32

// Location is where a seat is (6.3.1.2: hall, area, floor, row, column; the hall is
// the template's). Each element is the name that the audience reads and that
// Appendix A reports, such as "一层", "A区", "3排", "12号". Within one template a
// location is unique.
type Location struct {
	Floor  string `json:"floor"`  // 楼层, e.g. "一层"
	Area   string `json:"area"`   // 座位区域, e.g. "A区"
	Row    string `json:"row"`    // 行 (排), e.g. "3排"
	Number string `json:"number"` // 列 (座位号), e.g. "12号"
}

// String returns the display label, the four names separated by spaces:
// "一层 A区 3排 12号".
func (l Location) String() string {
	return l.Floor + " " + l.Area + " " + l.Row + " " + l.Number
}

// AreaKey returns the floor and area of the location.
func (l Location) AreaKey() AreaKey { return AreaKey{l.Floor, l.Area} }

// AreaKey names one seat area of a template: a floor and an area on it.
type AreaKey struct {
	Floor string
	Area  string
}

// String returns "一层 A区".
func (k AreaKey) String() string { return k.Floor + " " + k.Area }

// Point is a drawing coordinate of a seat on the seat map, in the unit the host's
// drawing uses. The SDK only stores and returns it.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Seat is one seat of a template: its location, its physical position in its row and,
// optionally, its drawing coordinate. A Seat is a value; copies are independent.
type Seat struct {
	Location
	// Pos is the seat's physical position in its row, counting from 0 and counting
	// gaps (skipped seats, aisles): two seats of a row are neighbours exactly when
	// their positions differ by 1.
	Pos int
	// At is the drawing coordinate when HasPoint is true.
	At       Point
	HasPoint bool

	row int32 // index of the seat's row in its template
}

var (
	// ErrNameEmpty is the rule that every element of a seat location is given.
	ErrNameEmpty = wht93.NewRule("venue.seat.name.empty", "座位定位元素不能为空", "seat location element must not be empty")
	// ErrNameLength is the rule that a location element has at most MaxNameLen characters.
	ErrNameLength = wht93.NewRule("venue.seat.name.length", "座位定位元素最多10个字符", "seat location element must have at most 10 characters")
	// ErrNameChars is the rule that a location element has no control characters and no
	// leading or trailing space.
	ErrNameChars = wht93.NewRule("venue.seat.name.chars", "座位定位元素含有控制字符或首尾空格", "seat location element has control characters or leading/trailing space")
	// ErrDuplicateSeat is the rule that a seat location is unique in its template
	// (6.3.1.2 场所座位定位具有唯一性).
	ErrDuplicateSeat = wht93.NewRule("venue.seat.duplicate", "座位定位重复", "seat location is not unique")
	// ErrSeatPos is the rule that a seat's position in its row is not negative and
	// not shared with another seat of the row.
	ErrSeatPos = wht93.NewRule("venue.seat.pos", "座位在排内的位置无效或重复", "seat position in its row is negative or taken")
	// ErrPoint is the rule that a drawing coordinate is a finite number.
	ErrPoint = wht93.NewRule("venue.seat.point", "座位坐标应为有限数值", "seat coordinate must be a finite number")
)

// checkName reports the violations of one location element.
func checkName(field, s string) *wht93.Violation {
	if s == "" {
		return ErrNameEmpty.At(field, s)
	}
	if !utf8.ValidString(s) {
		return ErrNameChars.At(field, strings.ToValidUTF8(s, "\uFFFD"))
	}
	if utf8.RuneCountInString(s) > MaxNameLen {
		return ErrNameLength.At(field, s)
	}
	if !wht93.CleanText(s, MaxNameLen, "") {
		return ErrNameChars.At(field, s)
	}
	return nil
}

// Check returns the violations of the location: every element given, at most
// MaxNameLen characters, no control characters, no leading or trailing space.
func (l Location) Check() wht93.Violations {
	var vs wht93.Violations
	for _, f := range [...]struct{ name, v string }{
		{"floor", l.Floor}, {"area", l.Area}, {"row", l.Row}, {"number", l.Number},
	} {
		if v := checkName(f.name, f.v); v != nil {
			vs = append(vs, v)
		}
	}
	return vs
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
