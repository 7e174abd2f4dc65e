package inventory_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/venue"
)

// salesModel is what the sales of one session should have done, kept plainly: who
// holds which seat, the live tickets, and the counts the limits look at.
type salesModel struct {
	c       *inventory.Chart
	now     time.Time
	held    map[venue.SeatID]time.Time // seat -> hold expiry
	sold    map[venue.SeatID]int64     // seat -> serial
	tickets map[int64]modelTicket
	serials []int64
}

type modelTicket struct {
	seat   venue.SeatID
	buyer  int
	id     int
	tier   string
	amount wht93.Fen
}

const (
	modelPerOrder = 3
	modelPerBuyer = 4
	modelPerID    = 5
	modelPolicyA  = 2 // the policy's limit per buyer on tier A
)

func (m *salesModel) free(id venue.SeatID) bool {
	if _, ok := m.sold[id]; ok {
		return false
	}
	exp, ok := m.held[id]
	return !ok || !exp.After(m.now)
}

func (m *salesModel) count(pred func(modelTicket) bool) int {
	n := 0
	for _, t := range m.tickets {
		if pred(t) {
			n++
		}
	}
	return n
}

// TestSalesModel runs random purchases, abandoned holds, refunds and the passing of
// time through Sales on a memory store, and checks each outcome, the box office and
// the counters against the model: seats, the per-purchase, per-buyer and per-ID
// limits of the session, and a policy's per-buyer limit on tier A.
func TestSalesModel(t *testing.T) {
	tpl := hallTemplate(t, "大剧场")
	rapid.Check(t, func(rt *rapid.T) {
		s := testSession(t, "s1", session.Limits{PerOrder: modelPerOrder, PerBuyer: modelPerBuyer, PerID: modelPerID})
		s.RealName = realname.ModePerOrder
		policy := session.Policy{
			ID: "a-limit", Name: "A档限购", PerformanceID: "perf-1", ValidFrom: at(1, 0, 0), ValidUntil: at(20, 0, 0),
			Scope: session.Scope{Tiers: []string{"A"}}, Limits: session.Limits{PerBuyer: modelPolicyA},
		}
		st := memory.NewInventory()
		sales := newSales(t, st, inventory.Config{
			Session: s, Chart: mustChart(t, chartSpec("s1", tpl)), Policies: []session.Policy{policy},
			Channels: []session.Authorization{authorize(t, channel("web", session.OwnSales), s, session.Allocation{})},
		})
		c := sales.Chart()
		m := &salesModel{c: c, now: onSale, held: map[venue.SeatID]time.Time{}, sold: map[venue.SeatID]int64{}, tickets: map[int64]modelTicket{}}
		orders := 0
		key := func() string { orders++; return fmt.Sprintf("o%d", orders) }
		seatGen := rapid.Custom(func(rt *rapid.T) venue.SeatID {
			return venue.SeatID(rapid.IntRange(0, c.Len()-1).Draw(rt, "seat"))
		})

		// purchase checks one attempt against the model and records a success.
		purchase := func(rt *rapid.T, buyer, id int, req inventory.HoldRequest) {
			n := len(req.Seats)
			if n == 0 {
				n = req.N
			}
			req.Key, req.Buyer, req.Channel, req.TTL = key(), fmt.Sprintf("b%d", buyer), "web", 10*time.Minute
			sale, err := sales.Buy(ctx, m.now, req, inventory.Purchase{IDs: []realname.BlindIndex{blind(fmt.Sprint(id))}})
			// The reasons the model sees for a refusal.
			var rules []*wht93.Rule
			if n > modelPerOrder {
				rules = append(rules, session.ErrLimitPerOrder)
			}
			seatsOK := true
			if len(req.Seats) > 0 {
				for i, sid := range req.Seats {
					if slices.Contains(req.Seats[:i], sid) {
						rules, seatsOK = append(rules, inventory.ErrSeatTwice), false
					} else if !m.free(sid) {
						rules, seatsOK = append(rules, inventory.ErrSeatHeld, inventory.ErrSeatSold), false
					}
				}
			} else {
				free := 0
				for sid := range venue.SeatID(c.Len()) {
					if c.Tiers()[c.TierOf(sid)].ID == req.Tier && m.free(sid) {
						free++
					}
				}
				if free < n {
					rules, seatsOK = append(rules, inventory.ErrSoldOut), false
				}
			}
			if seatsOK && n <= modelPerOrder {
				// The limits, which depend on the tiers of the seats (known for
				// specific seats; for best available all are of req.Tier).
				tierA := 0
				if len(req.Seats) > 0 {
					for _, sid := range req.Seats {
						if c.Tiers()[c.TierOf(sid)].ID == "A" {
							tierA++
						}
					}
				} else if req.Tier == "A" {
					tierA = n
				}
				if m.count(func(t modelTicket) bool { return t.buyer == buyer })+n > modelPerBuyer {
					rules = append(rules, session.ErrLimitPerBuyer)
				}
				if m.count(func(t modelTicket) bool { return t.id == id })+n > modelPerID {
					rules = append(rules, session.ErrLimitPerID)
				}
				if tierA > 0 && m.count(func(t modelTicket) bool { return t.buyer == buyer && t.tier == "A" })+tierA > modelPolicyA {
					rules = append(rules, session.ErrLimitPerBuyer)
				}
			}
			if rules != nil {
				if err == nil {
					rt.Fatalf("purchase %+v succeeded, want one of %v", req, rules)
				}
				if !slices.ContainsFunc(rules, func(r *wht93.Rule) bool { return errors.Is(err, r) }) {
					rt.Fatalf("purchase %+v: %v, want one of %v", req, err, rules)
				}
				return
			}
			if err != nil {
				rt.Fatalf("purchase %+v: %v", req, err)
			}
			if len(sale.Tickets) != n {
				rt.Fatalf("purchase of %d got %d tickets", n, len(sale.Tickets))
			}
			for _, tk := range sale.Tickets {
				if !m.free(tk.Seat) {
					rt.Fatalf("sold %s, which the model has taken", c.Label(tk.Seat))
				}
				if req.Tier != "" && tk.Tier != req.Tier {
					rt.Fatalf("best available of tier %s sold a seat of %s", req.Tier, tk.Tier)
				}
				tier, _ := c.Tier(tk.Tier)
				if tk.Amount != tier.Price {
					rt.Fatalf("ticket at %s, list price %s", tk.Amount, tier.Price)
				}
				m.sold[tk.Seat] = tk.Serial
				delete(m.held, tk.Seat)
				m.tickets[tk.Serial] = modelTicket{seat: tk.Seat, buyer: buyer, id: id, tier: tk.Tier, amount: tk.Amount}
				m.serials = append(m.serials, tk.Serial)
			}
		}

		rt.Repeat(map[string]func(*rapid.T){
			"buyBest": func(rt *rapid.T) {
				purchase(rt, rapid.IntRange(0, 2).Draw(rt, "buyer"), rapid.IntRange(0, 2).Draw(rt, "id"), inventory.HoldRequest{
					Tier: rapid.SampledFrom([]string{"A", "B", "C", "D"}).Draw(rt, "tier"), N: rapid.IntRange(1, 4).Draw(rt, "n"),
				})
			},
			"buySeats": func(rt *rapid.T) {
				purchase(rt, rapid.IntRange(0, 2).Draw(rt, "buyer"), rapid.IntRange(0, 2).Draw(rt, "id"), inventory.HoldRequest{
					Seats: rapid.SliceOfN(seatGen, 1, 4).Draw(rt, "seats"),
				})
			},
			"abandon": func(rt *rapid.T) {
				ttl := time.Duration(rapid.IntRange(1, 300).Draw(rt, "ttl")) * time.Second
				req := inventory.HoldRequest{Key: key(), Buyer: "walker", Channel: "web", Tier: "B", N: 2, TTL: ttl}
				h, err := sales.Hold(ctx, m.now, req)
				if err != nil {
					return // tier B sold out: nothing to abandon
				}
				for _, sid := range h.Seats {
					if !m.free(sid) {
						rt.Fatalf("held %s, which the model has taken", c.Label(sid))
					}
					m.held[sid] = h.Expires
				}
			},
			"refund": func(rt *rapid.T) {
				if len(m.serials) == 0 {
					rt.Skip("nothing sold")
				}
				serial := rapid.SampledFrom(m.serials).Draw(rt, "serial")
				_, live := m.tickets[serial]
				_, err := sales.Refund(ctx, m.now, serial)
				switch {
				case live && err != nil:
					rt.Fatalf("refund %d: %v", serial, err)
				case !live && !errors.Is(err, inventory.ErrRefunded):
					rt.Fatalf("second refund of %d: %v", serial, err)
				}
				if live {
					delete(m.sold, m.tickets[serial].seat)
					delete(m.tickets, serial)
				}
			},
			"tick": func(rt *rapid.T) {
				m.now = m.now.Add(time.Duration(rapid.IntRange(1, 200).Draw(rt, "seconds")) * time.Second)
			},
			"": func(rt *rapid.T) {
				box, err := sales.BoxOffice(ctx, m.now)
				if err != nil {
					rt.Fatal(err)
				}
				held := 0
				for _, exp := range m.held {
					if exp.After(m.now) {
						held++
					}
				}
				var fen wht93.Fen
				for _, tk := range m.tickets {
					fen += tk.amount
				}
				if box.Sold.Tickets != len(m.tickets) || box.Sold.Fen != fen || box.Held.Tickets != held ||
					box.Total.Tickets != c.Len() || box.Left().Tickets != c.Len()-len(m.tickets) {
					rt.Fatalf("box office %+v; model: %d sold for %s, %d held", box, len(m.tickets), fen, held)
				}
			},
		})
	})
}
