package inventory

import (
	"context"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

// Figures are a number of tickets and their value in fen.
type Figures struct {
	Tickets int
	Fen     wht93.Fen
}

func (f *Figures) add(n int, fen wht93.Fen) {
	f.Tickets += n
	f.Fen += fen
}

// TierFigures are the box-office figures of one tier. Every seat that is not
// blocked is in exactly one of Sold, Held, Reserved and Remaining, and Total is
// their sum, in tickets and in fen: sold tickets at what they were sold for, the
// others at list price (staff and complimentary seats at 0).
type TierFigures struct {
	Tier      Tier
	Total     Figures // 总票数 / 总票房: every seat not blocked
	Sold      Figures // 已出售: live tickets
	Held      Figures // 已锁定: held by orders not yet paid
	Reserved  Figures // 预留: available, but only for a channel or staff
	Remaining Figures // 剩余可售: available to the public
	Blocked   Figures // 封座: not for sale, at list price (not in Total)
}

// BoxOffice is the box office of a session at one instant (票房, 6.3.2.5, E.2.2.4),
// per tier and in all, read from one snapshot so that the figures always add up.
// Estimate is the chart's list-price gross (票房测算): what the session takes when
// every seat that is not blocked sells at its list price.
type BoxOffice struct {
	SessionID string
	Version   int64
	At        time.Time
	Tiers     []TierFigures
	Total     Figures
	Sold      Figures
	Held      Figures
	Reserved  Figures
	Remaining Figures
	Blocked   Figures
	Estimate  wht93.Fen
}

// Left returns what is not sold yet: held, reserved and remaining (剩余票数, 剩余票房).
func (b *BoxOffice) Left() Figures {
	return Figures{
		Tickets: b.Held.Tickets + b.Reserved.Tickets + b.Remaining.Tickets,
		Fen:     b.Held.Fen + b.Reserved.Fen + b.Remaining.Fen,
	}
}

// listPrice is what a seat is worth at list price: 0 for staff and complimentary
// seats.
func (c *Chart) listPrice(id int) wht93.Fen {
	if c.ttype[id] != Sellable {
		return 0
	}
	return c.tiers[c.seatTier[id]].Price
}

// BoxOffice computes the box office from a snapshot of the chart's seats.
func (c *Chart) BoxOffice(sn *Snapshot) *BoxOffice {
	b := &BoxOffice{SessionID: c.SessionID(), Version: c.Version(), At: sn.At, Tiers: make([]TierFigures, len(c.tiers))}
	for t := range b.Tiers {
		b.Tiers[t].Tier = c.tiers[t]
	}
	for id, st := range sn.States {
		tf := &b.Tiers[c.seatTier[id]]
		list := c.listPrice(id)
		cls := c.class[id]
		switch {
		case cls == classBlocked && st == Available:
			tf.Blocked.add(1, list)
			b.Estimate -= list
		case st == Sold:
			tf.Sold.Tickets++ // fen from the snapshot's per-tier amounts
		case st == Held:
			tf.Held.add(1, list)
		case cls != classOpen:
			tf.Reserved.add(1, list)
		default:
			tf.Remaining.add(1, list)
		}
		b.Estimate += list
	}
	for t := range b.Tiers {
		tf := &b.Tiers[t]
		tf.Sold.Fen = sn.Sold[t]
		tf.Total = Figures{
			Tickets: tf.Sold.Tickets + tf.Held.Tickets + tf.Reserved.Tickets + tf.Remaining.Tickets,
			Fen:     tf.Sold.Fen + tf.Held.Fen + tf.Reserved.Fen + tf.Remaining.Fen,
		}
		b.Total.add(tf.Total.Tickets, tf.Total.Fen)
		b.Sold.add(tf.Sold.Tickets, tf.Sold.Fen)
		b.Held.add(tf.Held.Tickets, tf.Held.Fen)
		b.Reserved.add(tf.Reserved.Tickets, tf.Reserved.Fen)
		b.Remaining.add(tf.Remaining.Tickets, tf.Remaining.Fen)
		b.Blocked.add(tf.Blocked.Tickets, tf.Blocked.Fen)
	}
	return b
}

// Estimate returns the box-office estimate of the chart (票房测算, 6.3.2.5): its box
// office with nothing sold.
func (c *Chart) Estimate() *BoxOffice {
	sn := &Snapshot{Version: c.Version(), States: make([]State, c.n), Sold: make([]wht93.Fen, len(c.tiers))}
	for i := range sn.States {
		sn.States[i] = Available
	}
	return c.BoxOffice(sn)
}

// PublicTier is what the public sees of one tier, overall or in one area.
type PublicTier struct {
	Tier      string
	Name      string
	Price     wht93.Fen
	Tickets   int // tickets of the tier for sale in all (not blocked, not staff or complimentary)
	Sold      int // of which sold
	Available int // available to the public now
}

// PublicArea is what the public sees of one seat area.
type PublicArea struct {
	Area  venue.AreaKey
	Tiers []PublicTier
}

// PublicView is the public information of 7.1.2 on a session's tickets: how many
// tickets are for sale in all, the price of each tier in each area, and what is
// sold and still available, live. It holds no personal data. An unseated session
// (Seated false) has no areas and must be shown as such (7.1.3.3).
type PublicView struct {
	SessionID string
	Seated    bool
	At        time.Time
	OnSale    int // 全场可售门票总张数
	Sold      int
	Available int
	Tiers     []PublicTier
	Areas     []PublicArea
}

// Public computes the public view from a snapshot of the chart's seats.
func (c *Chart) Public(sn *Snapshot) *PublicView {
	v := &PublicView{SessionID: c.SessionID(), Seated: c.Seated(), At: sn.At, Tiers: c.publicTiers()}
	var areas []venue.Area
	if c.tpl != nil {
		areas = c.tpl.Areas()
		v.Areas = make([]PublicArea, len(areas))
		for i, a := range areas {
			v.Areas[i] = PublicArea{Area: a.AreaKey}
		}
	}
	area := 0
	areaTier := map[[2]int]int{} // (area, tier) -> index in v.Areas[area].Tiers
	for id, st := range sn.States {
		if c.class[id] == classBlocked || c.ttype[id] != Sellable {
			continue
		}
		t := int(c.seatTier[id])
		count := func(pt *PublicTier) {
			pt.Tickets++
			switch {
			case st == Sold:
				pt.Sold++
			case st == Available && c.class[id] == classOpen:
				pt.Available++
			}
		}
		count(&v.Tiers[t])
		if areas != nil {
			for venue.SeatID(id) >= areas[area].End {
				area++
			}
			k := [2]int{area, t}
			j, ok := areaTier[k]
			if !ok {
				j = len(v.Areas[area].Tiers)
				areaTier[k] = j
				tier := c.tiers[t]
				v.Areas[area].Tiers = append(v.Areas[area].Tiers, PublicTier{Tier: tier.ID, Name: tier.Name, Price: tier.Price})
			}
			count(&v.Areas[area].Tiers[j])
		}
	}
	for _, pt := range v.Tiers {
		v.OnSale += pt.Tickets
		v.Sold += pt.Sold
		v.Available += pt.Available
	}
	return v
}

func (c *Chart) publicTiers() []PublicTier {
	out := make([]PublicTier, len(c.tiers))
	for i, t := range c.tiers {
		out[i] = PublicTier{Tier: t.ID, Name: t.Name, Price: t.Price}
	}
	return out
}

// SeatView is one seat of the seat map a buyer chooses from (选座, 7.1.3.3).
type SeatView struct {
	Seat  venue.SeatID
	Label string
	Tier  string
	Price wht93.Fen
	// Selectable is true when the buyer (through the access) may hold the seat now.
	Selectable bool
}

// SeatMap returns the seat map of a seated chart as access a sees it in the
// snapshot: every seat that is not blocked, with whether it can be chosen.
func (c *Chart) SeatMap(sn *Snapshot, a Access) []SeatView {
	if c.tpl == nil {
		return nil
	}
	k := c.accessClass(a)
	out := make([]SeatView, 0, c.n)
	for id, st := range sn.States {
		if c.class[id] == classBlocked {
			continue
		}
		t := c.tiers[c.seatTier[id]]
		out = append(out, SeatView{
			Seat: venue.SeatID(id), Label: c.Label(venue.SeatID(id)), Tier: t.ID, Price: c.listPrice(id),
			Selectable: st == Available && allowed(c.class[id], a, k),
		})
	}
	return out
}

// BoxOffice returns the session's box office at now.
func (s *Sales) BoxOffice(ctx context.Context, now time.Time) (*BoxOffice, error) {
	sn, err := s.Snapshot(ctx, now)
	if err != nil {
		return nil, err
	}
	return s.chart.BoxOffice(sn), nil
}

// Public returns the public view of the session's tickets at now (7.1.2).
func (s *Sales) Public(ctx context.Context, now time.Time) (*PublicView, error) {
	sn, err := s.Snapshot(ctx, now)
	if err != nil {
		return nil, err
	}
	return s.chart.Public(sn), nil
}
