package venue

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// Spec describes a seat template compactly: sections of rows with seat ranges, and
// explicit seats for whatever the sections do not cover. [Build] turns it into a
// [Template]; [ReadJSON] reads it from JSON (the field names below).
//
// A Spec is a plain value: not safe for concurrent mutation.
type Spec struct {
	Hall     string     `json:"hall"`
	Sections []Section  `json:"sections,omitempty"`
	Seats    []SeatSpec `json:"seats,omitempty"`
}

// Section is one area of a floor described as blocks of rows, front to back (rows
// nearer the stage first).
type Section struct {
	Floor string `json:"floor"`
	Area  string `json:"area"`
	// RowLabel and SeatLabel turn row and seat numbers into names: "{n}" is replaced
	// by the number. The defaults are "{n}排" and "{n}号".
	RowLabel  string     `json:"rowLabel,omitempty"`
	SeatLabel string     `json:"seatLabel,omitempty"`
	Rows      []RowBlock `json:"rows"`
	// Origin, when set, gives every seat a drawing coordinate: Origin + (Pos×Pitch.X,
	// r×Pitch.Y) where r counts the section's rows from 0 in the order described.
	Origin *Point `json:"origin,omitempty"`
	Pitch  Point  `json:"pitch"`
}

// RowBlock is a run of rows with the same seats: rows From to To (To zero means just
// From; From > To counts down), or the rows named in Names instead of numbers.
type RowBlock struct {
	From  int       `json:"from,omitempty"`
	To    int       `json:"to,omitempty"`
	Names []string  `json:"names,omitempty"`
	Seats SeatRange `json:"seats"`
	// Skip lists seat numbers of the range that do not exist in these rows (a pillar,
	// a camera position); they keep their place, so their neighbours are not adjacent.
	Skip []int `json:"skip,omitempty"`
	// Gap leaves empty positions (an aisle) before the first seat of the block. A
	// block that continues a row already begun by an earlier block starts right after
	// that row's last position, plus Gap.
	Gap int `json:"gap,omitempty"`
}

// SeatRange is the seat numbers of a row in physical order (left to right as drawn):
// From to To inclusive, counting down when From > To, every number or only the odd
// (单号) or even (双号) ones.
type SeatRange struct {
	From   int    `json:"from"`
	To     int    `json:"to"`
	Parity Parity `json:"parity,omitempty"`
}

// Parity selects which seat numbers of a range exist.
type Parity uint8

// The parities of a seat range.
const (
	// AllNumbers numbers seats consecutively: 1, 2, 3 …
	AllNumbers Parity = iota
	// OddNumbers numbers seats with odd numbers only (单号): 1, 3, 5 …
	OddNumbers
	// EvenNumbers numbers seats with even numbers only (双号): 2, 4, 6 …
	EvenNumbers
)

// String returns "all", "odd" or "even".
func (p Parity) String() string {
	switch p {
	case AllNumbers:
		return "all"
	case OddNumbers:
		return "odd"
	case EvenNumbers:
		return "even"
	}
	return "Parity(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText returns "all", "odd" or "even".
func (p Parity) MarshalText() ([]byte, error) {
	if p > EvenNumbers {
		return nil, ErrParity.At("parity", p.String())
	}
	return []byte(p.String()), nil
}

// UnmarshalText accepts "all", "odd", "even", "单号" / "单" and "双号" / "双"; the
// empty string is "all".
func (p *Parity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "all":
		*p = AllNumbers
	case "odd", "单号", "单":
		*p = OddNumbers
	case "even", "双号", "双":
		*p = EvenNumbers
	default:
		return ErrParity.At("parity", string(b))
	}
	return nil
}

// SeatSpec is one explicit seat. Pos, when absent, is the position after the last
// one taken in its row so far (in input order); At, when present, is its drawing
// coordinate.
type SeatSpec struct {
	Location
	Pos *int   `json:"pos,omitempty"`
	At  *Point `json:"at,omitempty"`
}

// MaxNumber is the largest row or seat number of a [RowBlock].
const MaxNumber = 9999

// maxGap bounds RowBlock.Gap.
const maxGap = 1000

var (
	// ErrParity is the rule that a parity is all, odd (单号) or even (双号).
	ErrParity = wht93.NewRule("venue.layout.parity", "单双号应为 all、odd（单号）或 even（双号）", "parity must be all, odd or even")
	// ErrRowRange is the rule that a block's rows are numbered 1…9999 or named, not both.
	ErrRowRange = wht93.NewRule("venue.layout.rows", "排号应在1至9999之间，或给出排名称（不能同时给出）", "rows must be numbered 1 to 9999 or named, not both")
	// ErrSeatRange is the rule that a seat range runs within 1…9999 and that its ends
	// have the range's parity.
	ErrSeatRange = wht93.NewRule("venue.layout.seats", "座位号应在1至9999之间，且首尾座位号符合单双号", "seat numbers must be 1 to 9999 and the ends must match the parity")
	// ErrSkip is the rule that a skipped seat is a number of the range, listed once.
	ErrSkip = wht93.NewRule("venue.layout.skip", "跳过的座位号不在座位范围内或重复", "skipped seat number is not in the range or is listed twice")
	// ErrGap is the rule that a gap is 0 to 1000 positions.
	ErrGap = wht93.NewRule("venue.layout.gap", "空位数应在0至1000之间", "gap must be 0 to 1000 positions")
	// ErrLabel is the rule that a label pattern contains "{n}" exactly once.
	ErrLabel = wht93.NewRule("venue.layout.label", "名称模式应恰好包含一个 {n}", `label pattern must contain "{n}" exactly once`)
	// ErrNoRows is the rule that a section has at least one block of rows.
	ErrNoRows = wht93.NewRule("venue.layout.norows", "区域没有排", "section has no rows")
)

// Build turns the description into a template, reporting every violation at once
// (field paths such as "sections[1].rows[0].seats.from" or "seats[7].number").
func Build(s Spec) (*Template, error) {
	return s.build(func(i int) string { return "sections[" + strconv.Itoa(i) + "]" },
		func(i int) string { return "seats[" + strconv.Itoa(i) + "]" })
}

// label replaces "{n}" in pattern by n.
func label(pattern string, n int) string {
	i := strings.Index(pattern, "{n}")
	return pattern[:i] + strconv.Itoa(n) + pattern[i+3:]
}

type block struct {
	sec, blk int
	rows     []string // row names
	ords     []int    // each row's ordinal in its section (for drawing coordinates)
	numbers  []int    // seat numbers in physical order, skipped ones included
	skip     map[int]bool
	gap      int
}

// build validates and generates. secName and seatName name the input elements.
func (s Spec) build(secName, seatName func(int) string) (*Template, error) {
	var vs wht93.Violations
	var blocks []block
	total := len(s.Seats)
	for i, sec := range s.Sections {
		bs, n, svs := sec.blocks(i)
		vs = append(vs, svs.In(secName(i))...)
		blocks = append(blocks, bs...)
		total += n
	}
	if total > MaxSeats {
		return nil, append(vs, ErrTemplateSize.At("seats", strconv.Itoa(total))).Err()
	}

	// Generate the seats of the valid blocks and check them all together, so that
	// one bad block does not hide a duplicate elsewhere.
	seats := make([]Seat, 0, total)
	origin := make([]int32, 0, total) // block index, or -1-i for explicit seat i
	nextPos := make(map[rowKey]int)
	for bi, b := range blocks {
		sec := s.Sections[b.sec]
		seatLabel := or(sec.SeatLabel, "{n}号")
		names := make([]string, len(b.numbers))
		for j, n := range b.numbers {
			names[j] = label(seatLabel, n)
		}
		for ri, row := range b.rows {
			k := rowKey{sec.Floor, sec.Area, row}
			pos := nextPos[k] + b.gap
			rowOrd := b.ords[ri]
			for j, n := range b.numbers {
				if !b.skip[n] {
					st := Seat{Location: Location{sec.Floor, sec.Area, row, names[j]}, Pos: pos + j}
					if sec.Origin != nil {
						st.At = Point{sec.Origin.X + float64(pos+j)*sec.Pitch.X, sec.Origin.Y + float64(rowOrd)*sec.Pitch.Y}
						st.HasPoint = true
					}
					seats = append(seats, st)
					origin = append(origin, int32(bi))
				}
			}
			nextPos[k] = pos + len(b.numbers)
		}
	}
	for i, ss := range s.Seats {
		k := rowKey{ss.Floor, ss.Area, ss.Row}
		st := Seat{Location: ss.Location}
		if ss.Pos != nil {
			st.Pos = *ss.Pos
		} else {
			st.Pos = nextPos[k]
		}
		if st.Pos+1 > nextPos[k] {
			nextPos[k] = st.Pos + 1
		}
		if ss.At != nil {
			st.At, st.HasPoint = *ss.At, true
		}
		seats = append(seats, st)
		origin = append(origin, int32(-1-i))
	}
	t, err := assemble(s.Hall, "hall", seats, func(i int) string {
		o := origin[i]
		if o < 0 {
			return seatName(int(-1 - o))
		}
		b := blocks[o]
		return secName(b.sec) + ".rows[" + strconv.Itoa(b.blk) + "]"
	})
	for _, v := range wht93.ViolationsOf(err) {
		if v.Rule == ErrTemplateEmpty && len(vs) > 0 {
			continue // the sections that would have had seats are reported
		}
		vs = append(vs, v)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (sec Section) rowNames(b RowBlock) []string {
	if len(b.Names) > 0 {
		return b.Names
	}
	rowLabel := or(sec.RowLabel, "{n}排")
	to := b.To
	if to == 0 {
		to = b.From
	}
	step := 1
	if to < b.From {
		step = -1
	}
	names := make([]string, 0, abs(to-b.From)+1)
	for n := b.From; ; n += step {
		names = append(names, label(rowLabel, n))
		if n == to {
			break
		}
	}
	return names
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// blocks validates the section and returns its blocks and their seat count.
func (sec Section) blocks(si int) ([]block, int, wht93.Violations) {
	var vs wht93.Violations
	labelsOK := true
	for _, f := range [...]struct{ name, v string }{{"floor", sec.Floor}, {"area", sec.Area}} {
		if v := checkName(f.name, f.v); v != nil {
			vs = append(vs, v)
			labelsOK = false // reported once here, not once per seat
		}
	}
	for _, f := range [...]struct{ name, v string }{{"rowLabel", sec.RowLabel}, {"seatLabel", sec.SeatLabel}} {
		if f.v != "" && strings.Count(f.v, "{n}") != 1 {
			vs = append(vs, ErrLabel.At(f.name, f.v))
			labelsOK = false
		}
	}
	if sec.Origin != nil && (!finite(sec.Origin.X) || !finite(sec.Origin.Y) || !finite(sec.Pitch.X) || !finite(sec.Pitch.Y)) {
		vs = append(vs, ErrPoint.At("origin", fmt.Sprint(*sec.Origin, sec.Pitch)))
	}
	if len(sec.Rows) == 0 {
		vs = append(vs, ErrNoRows.At("rows", "0"))
	}
	var out []block
	total := 0
	ords := make(map[string]int) // row name -> ordinal in the section
	for bi, b := range sec.Rows {
		field := "rows[" + strconv.Itoa(bi) + "]"
		bvs := b.check()
		if labelsOK && len(bvs) == 0 {
			blk := block{sec: si, blk: bi, rows: sec.rowNames(b), gap: b.Gap}
			blk.numbers = b.Seats.numbers()
			blk.ords = make([]int, len(blk.rows))
			for ri, name := range blk.rows {
				o, ok := ords[name]
				if !ok {
					o = len(ords)
					ords[name] = o
				}
				blk.ords[ri] = o
			}
			for _, n := range b.Skip {
				if blk.skip == nil {
					blk.skip = make(map[int]bool, len(b.Skip))
				}
				blk.skip[n] = true
			}
			// Check the longest names once: the last number has the most digits
			// of the range's largest end.
			seatLabel := or(sec.SeatLabel, "{n}号")
			for _, n := range []int{b.Seats.From, b.Seats.To} {
				if v := checkName("seats", label(seatLabel, n)); v != nil {
					bvs = append(bvs, v)
					break
				}
			}
			for _, name := range blk.rows {
				if v := checkName("names", name); v != nil {
					bvs = append(bvs, v)
					break
				}
			}
			if len(bvs) > 0 {
				vs = append(vs, bvs.In(field)...)
				continue
			}
			n := len(blk.rows) * (len(blk.numbers) - len(b.Skip))
			total += n
			if total > MaxSeats {
				// Stop generating names for an absurd description.
				vs = append(vs, bvs.In(field)...)
				return nil, total, append(vs, ErrTemplateSize.At(field, strconv.Itoa(total)))
			}
			out = append(out, blk)
		}
		vs = append(vs, bvs.In(field)...)
	}
	return out, total, vs
}

// check validates one block on its own.
func (b RowBlock) check() wht93.Violations {
	var vs wht93.Violations
	inRange := func(n int) bool { return n >= 1 && n <= MaxNumber }
	switch {
	case len(b.Names) > 0 && (b.From != 0 || b.To != 0):
		vs = append(vs, ErrRowRange.At("from", strconv.Itoa(b.From)))
	case len(b.Names) > MaxSeats:
		vs = append(vs, ErrRowRange.At("names", strconv.Itoa(len(b.Names))))
	case len(b.Names) > 0:
		seen := make(map[string]bool, len(b.Names))
		for i, n := range b.Names {
			f := "names[" + strconv.Itoa(i) + "]"
			if v := checkName(f, n); v != nil {
				vs = append(vs, v)
			} else if seen[n] {
				vs = append(vs, ErrRowRange.Atf(f, n, "排名称重复", "row name listed twice"))
			}
			seen[n] = true
		}
	case !inRange(b.From):
		vs = append(vs, ErrRowRange.At("from", strconv.Itoa(b.From)))
	case b.To != 0 && !inRange(b.To):
		vs = append(vs, ErrRowRange.At("to", strconv.Itoa(b.To)))
	}
	r := b.Seats
	switch {
	case r.Parity > EvenNumbers:
		vs = append(vs, ErrParity.At("seats.parity", r.Parity.String()))
	case !inRange(r.From):
		vs = append(vs, ErrSeatRange.At("seats.from", strconv.Itoa(r.From)))
	case !inRange(r.To):
		vs = append(vs, ErrSeatRange.At("seats.to", strconv.Itoa(r.To)))
	case !r.Parity.matches(r.From):
		vs = append(vs, ErrSeatRange.At("seats.from", strconv.Itoa(r.From)))
	case !r.Parity.matches(r.To):
		vs = append(vs, ErrSeatRange.At("seats.to", strconv.Itoa(r.To)))
	default:
		lo, hi := min(r.From, r.To), max(r.From, r.To)
		seen := make(map[int]bool, len(b.Skip))
		for i, n := range b.Skip {
			if n < lo || n > hi || !r.Parity.matches(n) || seen[n] {
				vs = append(vs, ErrSkip.At("skip["+strconv.Itoa(i)+"]", strconv.Itoa(n)))
			}
			seen[n] = true
		}
		if len(seen) >= r.count() {
			vs = append(vs, ErrSkip.Atf("skip", strconv.Itoa(len(seen)), "跳过了范围内的全部座位", "skips every seat of the range"))
		}
	}
	if b.Gap < 0 || b.Gap > maxGap {
		vs = append(vs, ErrGap.At("gap", strconv.Itoa(b.Gap)))
	}
	return vs
}

func (p Parity) matches(n int) bool {
	switch p {
	case OddNumbers:
		return n%2 == 1
	case EvenNumbers:
		return n%2 == 0
	}
	return true
}

func (p Parity) step() int {
	if p == AllNumbers {
		return 1
	}
	return 2
}

// count returns how many numbers the (valid) range holds.
func (r SeatRange) count() int { return abs(r.To-r.From)/r.Parity.step() + 1 }

// numbers returns the (valid) range's numbers in physical order.
func (r SeatRange) numbers() []int {
	step := r.Parity.step()
	if r.To < r.From {
		step = -step
	}
	out := make([]int, 0, r.count())
	for n := r.From; ; n += step {
		out = append(out, n)
		if n == r.To {
			break
		}
	}
	return out
}
