package inventory

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

// rankScale separates rows in default scores: a run's score is its row's rank
// (index within its area, counted from the stage) times rankScale plus its
// distance from the row's middle, in positions.
const rankScale = 1e6

// buildGeometry computes what best-available picks need of a seated chart: seat
// positions and rows, segments of one tier within a row, and each tier's rows in
// the default order of preference.
func (c *Chart) buildGeometry() {
	if c.tpl == nil {
		return
	}
	n := c.n
	c.pos = make([]int32, n)
	c.rowOf = make([]int32, n)
	pts := make([]venue.Point, n)
	all := true
	for id, s := range c.tpl.Seats() {
		c.pos[id] = int32(s.Pos)
		c.rowOf[id] = int32(c.tpl.RowOf(id))
		if s.HasPoint {
			pts[id] = s.At
		} else {
			all = false
		}
	}
	if all {
		c.points = pts
	}
	if c.spec.Stage != nil && c.points != nil {
		c.stage = c.spec.Stage
	}
	rows := c.tpl.Rows()
	areas := c.tpl.Areas()
	c.rowRank = make([]int32, len(rows))
	c.rowCenter = make([]float64, len(rows))
	c.segOf = make([]int32, n)
	for r, row := range rows {
		c.rowRank[r] = int32(r - areas[row.Area].FirstRow)
		c.rowCenter[r] = float64(c.pos[row.First]+c.pos[row.End-1]) / 2
		for id := row.First; id < row.End; {
			t := c.seatTier[id]
			start := id
			for id < row.End && c.seatTier[id] == t {
				c.segOf[id] = int32(len(c.segs))
				id++
			}
			c.segs = append(c.segs, segment{first: start, end: id, tier: t, row: int32(r)})
		}
	}
	c.tierRows = make([][]tierRow, len(c.tiers))
	for s := range c.segs {
		sg := &c.segs[s]
		trs := c.tierRows[sg.tier]
		if len(trs) == 0 || trs[len(trs)-1].row != sg.row {
			trs = append(trs, tierRow{row: sg.row, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)})
		}
		tr := &trs[len(trs)-1]
		tr.segs = append(tr.segs, int32(s))
		if c.points != nil {
			for id := sg.first; id < sg.end; id++ {
				p := c.points[id]
				tr.minX, tr.maxX = min(tr.minX, p.X), max(tr.maxX, p.X)
				tr.minY, tr.maxY = min(tr.minY, p.Y), max(tr.maxY, p.Y)
			}
		}
		c.tierRows[sg.tier] = trs
	}
	for t := range c.tierRows {
		trs := c.tierRows[t]
		for i := range trs {
			trs[i].bound = c.rowBound(&trs[i], c.stage)
		}
		slices.SortStableFunc(trs, func(a, b tierRow) int {
			return cmp.Or(cmp.Compare(a.bound, b.bound), int(a.row-b.row))
		})
		for i := range trs {
			for _, s := range trs[i].segs {
				c.segs[s].ord = int32(i)
			}
		}
	}
}

// rowBound is the lowest score a run in the row can have: from the focus, the
// distance to the bounding box of the row's seats of the tier; by default the
// row's rank.
func (c *Chart) rowBound(tr *tierRow, focus *venue.Point) float64 {
	if focus == nil {
		return float64(c.rowRank[tr.row]) * rankScale
	}
	dx := max(tr.minX-focus.X, 0, focus.X-tr.maxX)
	dy := max(tr.minY-focus.Y, 0, focus.Y-tr.maxY)
	return math.Hypot(dx, dy)
}

// runScore scores the run of adjacent seats f … l (lower is better).
func (c *Chart) runScore(f, l venue.SeatID, focus *venue.Point) float64 {
	if focus == nil {
		r := c.rowOf[f]
		mid := float64(c.pos[f]+c.pos[l]) / 2
		return float64(c.rowRank[r])*rankScale + math.Abs(mid-c.rowCenter[r])
	}
	x := (c.points[f].X + c.points[l].X) / 2
	y := (c.points[f].Y + c.points[l].Y) / 2
	return math.Hypot(x-focus.X, y-focus.Y)
}

// seatScore scores one seat for picks that cannot keep a group together.
func (c *Chart) seatScore(id venue.SeatID, focus *venue.Point) float64 {
	return c.runScore(id, id, focus)
}

// fillCache recomputes a segment's cache for open seats.
func (b *Board) fillCache(s int32) *segCache {
	sc := &b.cache[s]
	if !sc.dirty {
		return sc
	}
	c := b.c
	sg := &c.segs[s]
	sc.run = 0
	for k := range sc.best {
		sc.best[k] = math.Inf(1)
		sc.at[k] = -1
	}
	free := func(id venue.SeatID) bool { return b.st[id] == Available && c.class[id] == classOpen }
	for id := sg.first; id < sg.end; {
		if !free(id) {
			id++
			continue
		}
		// A run of adjacent free open seats: a … e-1.
		a := id
		for id++; id < sg.end && free(id) && c.pos[id] == c.pos[id-1]+1; id++ {
		}
		n := int32(id - a)
		sc.run = max(sc.run, n)
		for k := int32(1); k <= min(n, cacheN); k++ {
			f := b.bestStart(a, n, k)
			if sco := c.runScore(f, f+venue.SeatID(k)-1, c.stage); sco < sc.best[k-1] {
				sc.best[k-1], sc.at[k-1] = sco, f
			}
		}
	}
	sc.dirty = false
	return sc
}

// bestStart returns the first seat of the best window of k seats in the run of n
// adjacent seats from a, the earliest of equals: by default the window whose
// middle is nearest the row's middle (computed), from the stage the nearest
// (scanned).
func (b *Board) bestStart(a venue.SeatID, n, k int32) venue.SeatID {
	c := b.c
	if c.stage == nil {
		r := c.rowOf[a]
		ideal := c.rowCenter[r] - float64(c.pos[a]) - float64(k-1)/2
		j := int32(math.Ceil(ideal - 0.5))
		return a + venue.SeatID(min(max(j, 0), n-k))
	}
	best, at := math.Inf(1), a
	for j := int32(0); j <= n-k; j++ {
		f := a + venue.SeatID(j)
		if sco := c.runScore(f, f+venue.SeatID(k)-1, c.stage); sco < best {
			best, at = sco, f
		}
	}
	return at
}

// scanSeg finds the best run of n adjacent seats of the segment that access a (of
// class k) may take, scored from focus; it returns +Inf when there is none.
func (b *Board) scanSeg(s int32, n int, a Access, k int32, focus *venue.Point) (float64, venue.SeatID) {
	c := b.c
	sg := &c.segs[s]
	best, at := math.Inf(1), venue.SeatID(-1)
	run := 0
	for id := sg.first; id < sg.end; id++ {
		if b.st[id] != Available || !allowed(c.class[id], a, k) {
			run = 0
			continue
		}
		if run > 0 && c.pos[id] != c.pos[id-1]+1 {
			run = 0
		}
		run++
		if run >= n {
			f := id - venue.SeatID(n) + 1
			if sco := c.runScore(f, id, focus); sco < best {
				best, at = sco, f
			}
		}
	}
	return best, at
}

// pick chooses n seats of the tier with index t for access a: the best run of n
// adjacent seats in a row, and when no row has one, the n best single seats.
// Seats are best nearest the focus point when one is given (or the chart's
// stage), and otherwise in front rows of their area and near the middle of their
// row.
func (b *Board) pick(t, n int, a Access, focus *venue.Point) ([]venue.SeatID, *wht93.Violation) {
	c := b.c
	k := c.accessClass(a)
	public := !a.Staff && k == 0
	if public && int(b.availOpen[t]) < n {
		return nil, b.soldOut(t, n, int(b.availOpen[t]))
	}
	if focus != nil && c.tpl != nil && c.points == nil {
		return nil, ErrNoPoints.At("focus", fmt.Sprint(*focus))
	}
	if c.tpl == nil {
		return b.pickPlaces(t, n, a, k)
	}
	trs := c.tierRows[t]
	best, at := math.Inf(1), venue.SeatID(-1)
	if focus == nil && public {
		// The common case: cached best windows of open seats.
		for i := int(b.skip[t]); i < len(trs); i++ {
			tr := &trs[i]
			if tr.bound >= best {
				break
			}
			free := false
			for _, s := range tr.segs {
				sc := b.fillCache(s)
				if sc.run > 0 {
					free = true
				}
				if int(sc.run) < n {
					continue
				}
				sco, f := math.Inf(1), venue.SeatID(-1)
				if n <= cacheN {
					sco, f = sc.best[n-1], sc.at[n-1]
				} else {
					sco, f = b.scanSeg(s, n, a, k, c.stage)
				}
				if sco < best {
					best, at = sco, f
				}
			}
			if !free && i == int(b.skip[t]) {
				b.skip[t]++
			}
		}
	} else {
		f := focus
		if f == nil {
			f = c.stage
		}
		order := trs
		if focus != nil {
			order = slices.Clone(trs)
			for i := range order {
				order[i].bound = c.rowBound(&order[i], focus)
			}
			slices.SortStableFunc(order, func(x, y tierRow) int { return cmp.Compare(x.bound, y.bound) })
		}
		for i := range order {
			tr := &order[i]
			if tr.bound >= best {
				break
			}
			for _, s := range tr.segs {
				if sco, fs := b.scanSeg(s, n, a, k, f); sco < best {
					best, at = sco, fs
				}
			}
		}
		focus = f
	}
	if at >= 0 {
		seats := make([]venue.SeatID, n)
		for i := range seats {
			seats[i] = at + venue.SeatID(i)
		}
		return seats, nil
	}
	if focus == nil {
		focus = c.stage
	}
	return b.pickSingles(t, n, a, k, focus)
}

// pickSingles chooses the n best single seats of the tier.
func (b *Board) pickSingles(t, n int, a Access, k int32, focus *venue.Point) ([]venue.SeatID, *wht93.Violation) {
	c := b.c
	type cand struct {
		id    venue.SeatID
		score float64
	}
	var cands []cand
	for _, tr := range c.tierRows[t] {
		for _, s := range tr.segs {
			sg := &c.segs[s]
			for id := sg.first; id < sg.end; id++ {
				if b.st[id] == Available && allowed(c.class[id], a, k) {
					cands = append(cands, cand{id, c.seatScore(id, focus)})
				}
			}
		}
	}
	if len(cands) < n {
		return nil, b.soldOut(t, n, len(cands))
	}
	slices.SortFunc(cands, func(x, y cand) int {
		return cmp.Or(cmp.Compare(x.score, y.score), int(x.id-y.id))
	})
	seats := make([]venue.SeatID, n)
	for i := range seats {
		seats[i] = cands[i].id
	}
	slices.Sort(seats)
	return seats, nil
}

// pickPlaces chooses n places of an unseated tier, lowest first.
func (b *Board) pickPlaces(t, n int, a Access, k int32) ([]venue.SeatID, *wht93.Violation) {
	c := b.c
	first, end := c.places(t)
	seats := make([]venue.SeatID, 0, n)
	lead := true
	for id := max(first, venue.SeatID(b.cur[t])); id < end && len(seats) < n; id++ {
		if b.st[id] != Available {
			if lead {
				b.cur[t] = int32(id) + 1
			}
			continue
		}
		lead = false
		if allowed(c.class[id], a, k) {
			seats = append(seats, id)
		}
	}
	if len(seats) < n {
		return nil, b.soldOut(t, n, len(seats))
	}
	return seats, nil
}

func (b *Board) soldOut(t, n, left int) *wht93.Violation {
	id := b.c.tiers[t].ID
	return ErrSoldOut.Atf("n", strconv.Itoa(n),
		fmt.Sprintf("票档 %s 可选座位 %d 个，不足 %d 个", id, left, n),
		fmt.Sprintf("tier %s has %d seats to choose from, fewer than %d", id, left, n))
}

// Pick returns the seats a best-available hold of n seats of the tier would take
// now for access a, nearest the focus when one is given, without holding them.
func (b *Board) Pick(tier string, n int, a Access, focus *venue.Point, now time.Time) ([]venue.SeatID, error) {
	b.reclaim(now.UnixNano())
	t, ok := b.c.TierIndex(tier)
	if !ok {
		return nil, ErrRequest.Atf("tier", printable(tier), "票档不存在", "no such tier")
	}
	if n < 1 || n > MaxHold {
		return nil, ErrRequest.Atf("n", strconv.Itoa(n), "座位数应为1至100", "number of seats must be 1 to 100")
	}
	seats, v := b.pick(t, n, a, focus)
	if v != nil {
		return nil, v
	}
	return seats, nil
}
