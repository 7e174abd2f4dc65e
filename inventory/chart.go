package inventory

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

// RowKey names one row of a template: its floor and area, and the row's name.
type RowKey struct {
	venue.AreaKey
	Row string
}

// String returns "一层 A区 3排".
func (k RowKey) String() string { return k.Floor + " " + k.Area + " " + k.Row }

// Selection picks seats of a chart. A seated chart selects whole areas, whole rows
// and single seats (the union of the three); an unseated chart selects Quantity
// places of the tier Tier instead.
type Selection struct {
	Areas []venue.AreaKey
	Rows  []RowKey
	Seats []venue.SeatID
	// Tier and Quantity select places of an unseated chart: Quantity places of the
	// tier, taken from its places that no earlier selection of the chart took.
	Tier     string
	Quantity int
}

// Pricing puts the selected seats at a price tier (票价划分, 6.3.2.4). Later
// pricings override earlier ones.
type Pricing struct {
	Tier string
	Selection
}

// Typing makes the selected seats staff or complimentary seats (or sellable
// again). Later typings override earlier ones.
type Typing struct {
	Type TicketType
	Selection
}

// Reservation sets seats aside (预留, 6.3.2.7, E.2.2.6): for a sales channel, which
// alone may sell them, or — without a channel — for staff to issue. Staff may issue
// any reserved seat. The note says why (预留备注).
type Reservation struct {
	Name    string // e.g. "主办方预留"; at most 50 characters
	Note    string // 预留备注; at most 200 characters, optional
	Channel string // the channel the seats are reserved for; empty: staff only
	Selection
}

// Block takes seats out of sale altogether (封座: a camera position, a broken seat),
// with a note saying why.
type Block struct {
	Note string // at most 200 characters, optional
	Selection
}

// ChartSpec describes the seating chart of one session (演出票图): a seat
// template, price tiers and a tier for every seat, ticket types, reservations and
// blocked seats. An unseated session has no template: its tiers carry capacities.
// NewChart turns a spec into a Chart.
//
// A ChartSpec is a plain value: not safe for concurrent mutation.
type ChartSpec struct {
	SessionID string
	// Version is 1 for a new chart; each change of a published chart (a new price,
	// a reservation, a block) is made by building the next version and passing it to
	// Sales.Reconfigure, so that stores can tell a stale chart from the current one.
	Version      int64
	Template     *venue.Template // nil: an unseated session (无座)
	Tiers        []Tier
	Prices       []Pricing // seated charts: every seat must end up priced
	Types        []Typing  // seats not typed are Sellable
	Reservations []Reservation
	Blocks       []Block
	// Stage, when set on a template whose seats all have drawing coordinates, is
	// where best-available seats are measured from; otherwise seats nearer the front
	// of their area (rows are described from the stage backwards) and nearer the
	// middle of their row come first.
	Stage *venue.Point
}

// Seat classes: who may take a seat. Channel reservations are 1, 2, … (the index
// of the channel in Chart.channels plus one).
const (
	classOpen    int32 = 0  // anyone
	classBlocked int32 = -1 // nobody
	classStaff   int32 = -2 // staff only
)

// Chart is a session's seating chart (票图), immutable once built and safe for
// concurrent use. Seats are the template's SeatIDs; in an unseated chart they are
// places 0 … Len()-1, the places of each tier in a contiguous range.
type Chart struct {
	spec      ChartSpec // deep copy
	tpl       *venue.Template
	n         int
	tiers     []Tier
	tierIdx   map[string]int
	seatTier  []uint16
	ttype     []TicketType
	class     []int32
	resOf     []int16 // reservation index per seat, -1: none
	channels  []string
	chanClass map[string]int32

	// unseated
	tierStart []int32 // first place of each tier, and Len() at the end

	// geometry for best-available picks (seated)
	pos       []int32
	rowOf     []int32
	rowRank   []int32 // row's index within its area
	rowCenter []float64
	points    []venue.Point // nil unless every seat has a drawing coordinate
	segs      []segment
	segOf     []int32
	tierRows  [][]tierRow // per tier: rows holding the tier, by default preference
	stage     *venue.Point

	fp [32]byte
}

// segment is a maximal run of consecutive seat ids of one row at one tier.
type segment struct {
	first, end venue.SeatID
	tier       uint16
	row        int32
	ord        int32 // index of its row entry in tierRows[tier]
}

// tierRow is one row holding seats of a tier: its segments of the tier and the
// lowest score a run in it can have under the chart's default preference.
type tierRow struct {
	row        int32
	segs       []int32
	bound      float64
	minX, maxX float64 // bounding box of the tier's seats in the row (with points)
	minY, maxY float64
}

// NewChart validates the spec and builds the chart, reporting every violation at
// once. The spec is copied.
func NewChart(spec ChartSpec) (*Chart, error) {
	spec = cloneSpec(spec)
	c := &Chart{spec: spec, tpl: spec.Template, tierIdx: make(map[string]int), chanClass: make(map[string]int32)}
	var vs wht93.Violations
	if !cleanText(spec.SessionID, 50) {
		vs = append(vs, ErrChart.At("sessionId", printable(spec.SessionID)))
	}
	if spec.Version < 1 {
		vs = append(vs, ErrChart.Atf("version", strconv.FormatInt(spec.Version, 10), "票图版本应从1开始", "chart version must be at least 1"))
	}
	if spec.Stage != nil && (!finite(spec.Stage.X) || !finite(spec.Stage.Y)) {
		vs = append(vs, ErrChart.At("stage", fmt.Sprint(*spec.Stage)))
	}
	if len(spec.Tiers) == 0 || len(spec.Tiers) > MaxTiers {
		vs = append(vs, ErrChart.Atf("tiers", strconv.Itoa(len(spec.Tiers)), "票档数量应为1至64个", "a chart needs 1 to 64 tiers"))
	}
	c.tiers = slices.Clone(spec.Tiers)
	for i, t := range c.tiers {
		f := "tiers[" + strconv.Itoa(i) + "]"
		if !cleanText(t.ID, 50) {
			vs = append(vs, ErrTier.At(f+".id", printable(t.ID)))
		} else if _, dup := c.tierIdx[t.ID]; dup {
			vs = append(vs, ErrTier.Atf(f+".id", t.ID, "票档编号重复", "tier id listed twice"))
		} else {
			c.tierIdx[t.ID] = i
		}
		if t.Name == "" {
			c.tiers[i].Name = t.ID
		} else if !cleanText(t.Name, 50) {
			vs = append(vs, ErrTier.At(f+".name", printable(t.Name)))
		}
		if v := t.Price.CheckNonNegative(f + ".price"); v != nil {
			vs = append(vs, v)
		}
		if t.Quantity < 0 || t.Quantity > MaxPlaces {
			vs = append(vs, ErrTier.At(f+".quantity", strconv.Itoa(t.Quantity)))
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err // the rest needs sound tiers
	}
	if c.tpl != nil {
		vs = c.buildSeated(vs)
	} else {
		vs = c.buildUnseated(vs)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	// The list-price gross of every tier must fit in fen.
	var total wht93.Fen
	for i, t := range c.tiers {
		g, ok := t.Price.Mul(int64(t.Quantity))
		if ok {
			total, ok = total.Add(g)
		}
		if !ok {
			return nil, ErrTier.Atf("tiers["+strconv.Itoa(i)+"].price", t.Price.String(), "票价乘以数量超出金额范围", "price times quantity is out of range")
		}
	}
	c.buildGeometry()
	c.fp = c.fingerprint()
	return c, nil
}

// fingerprint hashes what stores act on: the session, version, tiers, and each
// seat's tier, type and class with the channels of the classes.
func (c *Chart) fingerprint() [32]byte {
	h := sha256.New()
	var buf [8]byte
	str := func(s string) {
		binary.BigEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	num := func(n int64) {
		binary.BigEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
	}
	str(c.spec.SessionID)
	num(c.spec.Version)
	num(int64(c.n))
	for _, t := range c.tiers {
		str(t.ID)
		num(int64(t.Price))
		num(int64(t.Quantity))
	}
	for _, ch := range c.channels {
		str(ch)
	}
	seat := make([]byte, 7*c.n)
	for id := range c.n {
		binary.BigEndian.PutUint16(seat[7*id:], c.seatTier[id])
		seat[7*id+2] = byte(c.ttype[id])
		binary.BigEndian.PutUint32(seat[7*id+3:], uint32(c.class[id]))
	}
	h.Write(seat)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Fingerprint returns a hash of what a store acts on — the session, the version,
// the tiers, and each seat's tier, ticket type and access class — so that a store
// can tell two different charts given the same version apart.
func (c *Chart) Fingerprint() [32]byte { return c.fp }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func cloneSel(s Selection) Selection {
	s.Areas = slices.Clone(s.Areas)
	s.Rows = slices.Clone(s.Rows)
	s.Seats = slices.Clone(s.Seats)
	return s
}

func cloneSpec(s ChartSpec) ChartSpec {
	s.Tiers = slices.Clone(s.Tiers)
	s.Prices = slices.Clone(s.Prices)
	for i := range s.Prices {
		s.Prices[i].Selection = cloneSel(s.Prices[i].Selection)
	}
	s.Types = slices.Clone(s.Types)
	for i := range s.Types {
		s.Types[i].Selection = cloneSel(s.Types[i].Selection)
	}
	s.Reservations = slices.Clone(s.Reservations)
	for i := range s.Reservations {
		s.Reservations[i].Selection = cloneSel(s.Reservations[i].Selection)
	}
	s.Blocks = slices.Clone(s.Blocks)
	for i := range s.Blocks {
		s.Blocks[i].Selection = cloneSel(s.Blocks[i].Selection)
	}
	if s.Stage != nil {
		p := *s.Stage
		s.Stage = &p
	}
	return s
}

// selectSeated calls fn for every seat of a seated selection, after checking it.
func (c *Chart) selectSeated(vs wht93.Violations, f string, s Selection, fn func(venue.SeatID)) wht93.Violations {
	if s.Tier != "" || s.Quantity != 0 {
		vs = append(vs, ErrSelection.Atf(f+".tier", printable(s.Tier), "有座票图按区域、排、座位选择，不按数量", "a seated chart selects areas, rows and seats, not a quantity"))
	}
	if len(s.Areas) == 0 && len(s.Rows) == 0 && len(s.Seats) == 0 {
		vs = append(vs, ErrSelection.Atf(f, "", "没有选择任何座位", "the selection is empty"))
	}
	for i, ak := range s.Areas {
		a, ok := c.tpl.LookupArea(ak)
		if !ok {
			vs = append(vs, ErrSelection.Atf(f+".areas["+strconv.Itoa(i)+"]", printable(ak.String()), "座位模板中没有该区域", "the template has no such area"))
			continue
		}
		area := c.tpl.Areas()[a]
		for id := area.First; id < area.End; id++ {
			fn(id)
		}
	}
	for i, rk := range s.Rows {
		found := false
		if a, ok := c.tpl.LookupArea(rk.AreaKey); ok {
			area := c.tpl.Areas()[a]
			for r := area.FirstRow; r < area.EndRow; r++ {
				row, _ := c.tpl.Row(r)
				if row.Name == rk.Row {
					for id := row.First; id < row.End; id++ {
						fn(id)
					}
					found = true
					break
				}
			}
		}
		if !found {
			vs = append(vs, ErrSelection.Atf(f+".rows["+strconv.Itoa(i)+"]", printable(rk.String()), "座位模板中没有该排", "the template has no such row"))
		}
	}
	for i, id := range s.Seats {
		if id < 0 || int(id) >= c.n {
			vs = append(vs, ErrSelection.Atf(f+".seats["+strconv.Itoa(i)+"]", strconv.Itoa(int(id)), "座位模板中没有该座位", "the template has no such seat"))
			continue
		}
		fn(id)
	}
	return vs
}

// allocPlaces makes the per-seat ticket types, access classes and reservations
// of c.n seats: every seat sellable, open and reserved for none.
func (c *Chart) allocPlaces() {
	c.ttype = make([]TicketType, c.n)
	for i := range c.ttype {
		c.ttype[i] = Sellable
	}
	c.class = make([]int32, c.n)
	c.resOf = make([]int16, c.n)
	for i := range c.resOf {
		c.resOf[i] = -1
	}
}

func (c *Chart) buildSeated(vs wht93.Violations) wht93.Violations {
	c.n = c.tpl.Len()
	const unpriced = math.MaxUint16
	c.seatTier = make([]uint16, c.n)
	for i := range c.seatTier {
		c.seatTier[i] = unpriced
	}
	c.allocPlaces()
	for i, p := range c.spec.Prices {
		f := "prices[" + strconv.Itoa(i) + "]"
		t, ok := c.tierIdx[p.Tier]
		if !ok {
			vs = append(vs, ErrSelection.Atf(f+".tier", printable(p.Tier), "票档不存在", "no such tier"))
		}
		vs = c.selectSeated(vs, f, p.Selection, func(id venue.SeatID) {
			if ok {
				c.seatTier[id] = uint16(t)
			}
		})
	}
	for i, ty := range c.spec.Types {
		f := "types[" + strconv.Itoa(i) + "]"
		if !ty.Type.Valid() {
			vs = append(vs, ErrTicketType.At(f+".type", ty.Type.String()))
		}
		vs = c.selectSeated(vs, f, ty.Selection, func(id venue.SeatID) { c.ttype[id] = ty.Type })
	}
	for i, r := range c.spec.Reservations {
		f := "reservations[" + strconv.Itoa(i) + "]"
		vs = c.checkReservation(vs, f, r)
		cls := c.classFor(r.Channel)
		vs = c.selectSeated(vs, f, r.Selection, func(id venue.SeatID) {
			c.class[id] = cls
			c.resOf[id] = int16(i)
		})
	}
	for id, t := range c.ttype {
		if t != Sellable {
			c.class[id] = classStaff
		}
	}
	for i, b := range c.spec.Blocks {
		f := "blocks[" + strconv.Itoa(i) + "]"
		if b.Note != "" && !cleanText(b.Note, 200) {
			vs = append(vs, ErrSelection.Atf(f+".note", printable(b.Note), "封座备注最多200个字符，不含控制字符", "block note must have at most 200 characters, no control characters"))
		}
		vs = c.selectSeated(vs, f, b.Selection, func(id venue.SeatID) { c.class[id] = classBlocked })
	}
	// Every seat priced; quantities as declared.
	count := make([]int, len(c.tiers))
	missing, first := 0, venue.SeatID(-1)
	for id, t := range c.seatTier {
		if t == unpriced {
			if missing == 0 {
				first = venue.SeatID(id)
			}
			missing++
			continue
		}
		count[t]++
	}
	if missing > 0 {
		vs = append(vs, ErrUnpriced.Atf("prices", c.Label(first),
			fmt.Sprintf("%d 个座位未划定票档，例如", missing), fmt.Sprintf("%d seats are not priced at any tier, for example", missing)))
	}
	for i, t := range c.tiers {
		if t.Quantity != 0 && t.Quantity != count[i] {
			vs = append(vs, ErrTierQuantity.Atf("tiers["+strconv.Itoa(i)+"].quantity", strconv.Itoa(t.Quantity),
				fmt.Sprintf("票档 %s 划定了 %d 个座位", t.ID, count[i]), fmt.Sprintf("tier %s has %d seats priced at it", t.ID, count[i])))
		}
		c.tiers[i].Quantity = count[i]
	}
	return vs
}

func (c *Chart) checkReservation(vs wht93.Violations, f string, r Reservation) wht93.Violations {
	if !cleanText(r.Name, 50) {
		vs = append(vs, ErrReservation.At(f+".name", printable(r.Name)))
	}
	if r.Note != "" && !cleanText(r.Note, 200) {
		vs = append(vs, ErrReservation.At(f+".note", printable(r.Note)))
	}
	if r.Channel != "" && !cleanText(r.Channel, 50) {
		vs = append(vs, ErrReservation.At(f+".channel", printable(r.Channel)))
	}
	return vs
}

// classFor returns the class of seats reserved for channel ("" for staff only),
// registering the channel.
func (c *Chart) classFor(channel string) int32 {
	if channel == "" {
		return classStaff
	}
	if k, ok := c.chanClass[channel]; ok {
		return k
	}
	c.channels = append(c.channels, channel)
	k := int32(len(c.channels))
	c.chanClass[channel] = k
	return k
}

func (c *Chart) buildUnseated(vs wht93.Violations) wht93.Violations {
	total := 0
	c.tierStart = make([]int32, len(c.tiers)+1)
	for i, t := range c.tiers {
		if t.Quantity < 1 {
			vs = append(vs, ErrTierQuantity.Atf("tiers["+strconv.Itoa(i)+"].quantity", strconv.Itoa(t.Quantity), "无座票档应有至少1个容量", "an unseated tier needs a capacity of at least 1"))
		}
		c.tierStart[i] = int32(total)
		total += max(t.Quantity, 0)
	}
	c.tierStart[len(c.tiers)] = int32(total)
	if total > MaxPlaces {
		return append(vs, ErrTierQuantity.Atf("tiers", strconv.Itoa(total), "无座容量合计超过250000", "unseated capacity is more than 250000 in all"))
	}
	if err := vs.Err(); err != nil {
		return vs
	}
	c.n = total
	c.seatTier = make([]uint16, c.n)
	for t := range c.tiers {
		for p := c.tierStart[t]; p < c.tierStart[t+1]; p++ {
			c.seatTier[p] = uint16(t)
		}
	}
	c.allocPlaces()
	// Selections carve places from the end of each tier, in the order types,
	// reservations, blocks.
	carved := make([]int32, len(c.tiers))
	carve := func(f string, s Selection, fn func(venue.SeatID)) {
		if len(s.Areas) > 0 || len(s.Rows) > 0 || len(s.Seats) > 0 {
			vs = append(vs, ErrSelection.Atf(f, "", "无座票图按票档和数量选择，不按区域、排、座位", "an unseated chart selects a quantity of a tier, not areas, rows or seats"))
			return
		}
		t, ok := c.tierIdx[s.Tier]
		if !ok {
			vs = append(vs, ErrSelection.Atf(f+".tier", printable(s.Tier), "票档不存在", "no such tier"))
			return
		}
		left := c.tierStart[t+1] - c.tierStart[t] - carved[t]
		if s.Quantity < 1 || int64(s.Quantity) > int64(left) {
			vs = append(vs, ErrSelection.Atf(f+".quantity", strconv.Itoa(s.Quantity),
				fmt.Sprintf("数量应为1至%d（票档 %s 尚未划分的容量）", left, s.Tier), fmt.Sprintf("quantity must be 1 to %d (what tier %s has left)", left, s.Tier)))
			return
		}
		end := c.tierStart[t+1] - carved[t]
		for p := end - int32(s.Quantity); p < end; p++ {
			fn(venue.SeatID(p))
		}
		carved[t] += int32(s.Quantity)
	}
	if len(c.spec.Prices) > 0 {
		vs = append(vs, ErrSelection.Atf("prices", strconv.Itoa(len(c.spec.Prices)), "无座票图没有座位可划定票档", "an unseated chart has no seats to price"))
	}
	for i, ty := range c.spec.Types {
		f := "types[" + strconv.Itoa(i) + "]"
		if !ty.Type.Valid() {
			vs = append(vs, ErrTicketType.At(f+".type", ty.Type.String()))
		}
		carve(f, ty.Selection, func(id venue.SeatID) {
			c.ttype[id] = ty.Type
			if ty.Type != Sellable {
				c.class[id] = classStaff
			}
		})
	}
	for i, r := range c.spec.Reservations {
		f := "reservations[" + strconv.Itoa(i) + "]"
		vs = c.checkReservation(vs, f, r)
		cls := c.classFor(r.Channel)
		carve(f, r.Selection, func(id venue.SeatID) {
			c.class[id] = cls
			c.resOf[id] = int16(i)
		})
	}
	for i, b := range c.spec.Blocks {
		f := "blocks[" + strconv.Itoa(i) + "]"
		if b.Note != "" && !cleanText(b.Note, 200) {
			vs = append(vs, ErrSelection.Atf(f+".note", printable(b.Note), "封座备注最多200个字符，不含控制字符", "block note must have at most 200 characters, no control characters"))
		}
		carve(f, b.Selection, func(id venue.SeatID) { c.class[id] = classBlocked })
	}
	return vs
}

// SessionID returns the session the chart belongs to.
func (c *Chart) SessionID() string { return c.spec.SessionID }

// Version returns the chart's version.
func (c *Chart) Version() int64 { return c.spec.Version }

// Seated reports whether the chart is of a seated session (有座).
func (c *Chart) Seated() bool { return c.tpl != nil }

// Template returns the seat template, nil for an unseated chart.
func (c *Chart) Template() *venue.Template { return c.tpl }

// Len returns the number of seats (or unseated places).
func (c *Chart) Len() int { return c.n }

// Tiers returns the tiers, with the quantity of each: the seats priced at it, or
// its capacity.
func (c *Chart) Tiers() []Tier { return slices.Clone(c.tiers) }

// Tier returns the tier with the id.
func (c *Chart) Tier(id string) (Tier, bool) {
	i, ok := c.tierIdx[id]
	if !ok {
		return Tier{}, false
	}
	return c.tiers[i], true
}

// TierIndex returns the index of the tier with the id in Tiers().
func (c *Chart) TierIndex(id string) (int, bool) {
	i, ok := c.tierIdx[id]
	return i, ok
}

// Spec returns a copy of the spec the chart was built from, for storing it or for
// building the next version.
func (c *Chart) Spec() ChartSpec { return cloneSpec(c.spec) }

// Channels returns the channels that seats are reserved for, in order of first
// reservation.
func (c *Chart) Channels() []string { return slices.Clone(c.channels) }

func (c *Chart) in(id venue.SeatID) bool { return id >= 0 && int(id) < c.n }

// TierOf returns the index in Tiers() of the seat's tier, or -1 for an unknown seat.
func (c *Chart) TierOf(id venue.SeatID) int {
	if !c.in(id) {
		return -1
	}
	return int(c.seatTier[id])
}

// TypeOf returns the seat's ticket type, or 0 for an unknown seat.
func (c *Chart) TypeOf(id venue.SeatID) TicketType {
	if !c.in(id) {
		return 0
	}
	return c.ttype[id]
}

// Blocked reports whether the seat is blocked.
func (c *Chart) Blocked(id venue.SeatID) bool { return c.in(id) && c.class[id] == classBlocked }

// ReservedFor returns the reservation a seat belongs to, if any: its name, note and
// channel (empty: staff only).
func (c *Chart) ReservedFor(id venue.SeatID) (Reservation, bool) {
	if !c.in(id) || c.resOf[id] < 0 || c.class[id] == classBlocked {
		return Reservation{}, false
	}
	r := c.spec.Reservations[c.resOf[id]]
	r.Selection = Selection{}
	return r, true
}

// Restricted reports whether the public cannot buy the seat: it is blocked,
// reserved, or a staff or complimentary seat.
func (c *Chart) Restricted(id venue.SeatID) bool { return c.in(id) && c.class[id] != classOpen }

// Label returns the seat's label as the audience reads it: "一层 A区 3排 12号", or for
// an unseated place its tier and number, "A档 第12张".
func (c *Chart) Label(id venue.SeatID) string {
	if !c.in(id) {
		return "#" + strconv.Itoa(int(id))
	}
	if c.tpl != nil {
		s, _ := c.tpl.Seat(id)
		return s.Location.String()
	}
	t := c.seatTier[id]
	return c.tiers[t].Name + " 第" + strconv.Itoa(int(int32(id)-c.tierStart[t])+1) + "张"
}

// Places returns the places [first, end) of the tier with the index t in an
// unseated chart.
func (c *Chart) places(t int) (venue.SeatID, venue.SeatID) {
	return venue.SeatID(c.tierStart[t]), venue.SeatID(c.tierStart[t+1])
}

// Access says who asks for seats, and therefore which seats it may take: the
// public through a channel takes open seats and the seats reserved for that
// channel; staff take any seat that is not blocked.
type Access struct {
	Channel string
	Staff   bool
}

// class returns the class of reserved seats the access may take besides open ones
// (0: none).
func (c *Chart) accessClass(a Access) int32 {
	if a.Staff {
		return 0
	}
	return c.chanClass[a.Channel]
}

// allowed reports whether access a (with class k from accessClass) may take a
// seat of class cls.
func allowed(cls int32, a Access, k int32) bool {
	switch {
	case cls == classOpen:
		return true
	case cls == classBlocked:
		return false
	case a.Staff:
		return true
	}
	return k != 0 && cls == k
}

// Allows reports whether the access may take the seat (ignoring its state).
func (c *Chart) Allows(a Access, id venue.SeatID) bool {
	return c.in(id) && allowed(c.class[id], a, c.accessClass(a))
}

// Class returns the seat's access class as stores keep it: 0 open, -1 blocked,
// -2 staff only, k ≥ 1 reserved for the channel Channels()[k-1].
func (c *Chart) Class(id venue.SeatID) int32 {
	if !c.in(id) {
		return classBlocked
	}
	return c.class[id]
}

// SeatViolation explains why access a cannot take the seat in state st (its state
// at the instant of the request, Held only for a live hold of another order), and
// returns nil when it can. Stores use it to report a refused hold.
func (c *Chart) SeatViolation(field string, id venue.SeatID, st State, a Access) *wht93.Violation {
	if !c.in(id) {
		return ErrSeatUnknown.At(field, strconv.Itoa(int(id)))
	}
	cls := c.class[id]
	switch {
	case cls == classBlocked:
		return ErrSeatBlocked.At(field, c.Label(id))
	case !allowed(cls, a, c.accessClass(a)):
		if c.ttype[id] != Sellable {
			return ErrNotSellable.At(field, c.Label(id))
		}
		return ErrSeatReserved.At(field, c.Label(id))
	case st == Sold:
		return ErrSeatSold.At(field, c.Label(id))
	case st == Held:
		return ErrSeatHeld.At(field, c.Label(id))
	}
	return nil
}
