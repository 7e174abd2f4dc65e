package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/venue"
)

// invModel is what a store should hold, kept as plainly as possible: a state per
// seat, the holds, the tickets and the counters.
type invModel struct {
	c        *inventory.Chart
	tpl      *venue.Template
	now      time.Time
	state    []inventory.State
	holdOf   []string
	holds    map[string]*invMHold
	used     map[string]bool // keys used by a sale
	tickets  map[int64]*invMTicket
	serials  []int64
	counters map[string]int64
	sold     []wht93.Fen
}

type invMHold struct {
	seats   []venue.SeatID
	expires time.Time
}

type invMTicket struct {
	seat   venue.SeatID
	order  string
	amount wht93.Fen
	live   bool
	keys   []string
}

// expire releases the holds that expired at or before now.
func (m *invModel) expire() {
	for k, h := range m.holds {
		if !h.expires.After(m.now) {
			m.drop(k)
		}
	}
}

func (m *invModel) drop(key string) int {
	n := 0
	for _, id := range m.holds[key].seats {
		if m.state[id] == inventory.Held && m.holdOf[id] == key {
			m.state[id], m.holdOf[id] = inventory.Available, ""
			n++
		}
	}
	delete(m.holds, key)
	return n
}

func (m *invModel) adjacent(seats []venue.SeatID) bool {
	for i := 1; i < len(seats); i++ {
		a, _ := m.tpl.Seat(seats[i-1])
		b, _ := m.tpl.Seat(seats[i])
		if m.tpl.RowOf(seats[i-1]) != m.tpl.RowOf(seats[i]) || b.Pos != a.Pos+1 {
			return false
		}
	}
	return true
}

// hasRun reports whether the tier has n adjacent seats that access a may take.
func (m *invModel) hasRun(tier, n int, a inventory.Access) bool {
	for _, row := range m.tpl.Rows() {
		run, last := 0, -2
		for id := row.First; id < row.End; id++ {
			s, _ := m.tpl.Seat(id)
			if m.state[id] != inventory.Available || m.c.TierOf(id) != tier || !m.c.Allows(a, id) {
				run = 0
				continue
			}
			if run > 0 && s.Pos != last+1 {
				run = 0
			}
			run++
			last = s.Pos
			if run >= n {
				return true
			}
		}
	}
	return false
}

var invAccesses = []inventory.Access{invPublic, {Channel: "agent"}, {Staff: true}}

// invTestModel runs random operations on a store and on the model and compares
// them after each step: results, seat states, sold amounts and counters. Each case
// is a new session of one store.
func invTestModel(t *testing.T, open func(t *testing.T) inventory.Store) {
	st := open(t)
	tpl := invTemplate(t)
	cases := 0
	rapid.Check(t, func(rt *rapid.T) {
		cases++
		c, err := inventory.NewChart(invSpec(fmt.Sprintf("model-%d", cases), tpl))
		if err != nil {
			rt.Fatal(err)
		}
		if err := st.Create(invCtx, c); err != nil {
			rt.Fatal(err)
		}
		m := &invModel{
			c: c, tpl: tpl, now: invT0, state: make([]inventory.State, c.Len()), holdOf: make([]string, c.Len()),
			holds: map[string]*invMHold{}, used: map[string]bool{}, tickets: map[int64]*invMTicket{},
			counters: map[string]int64{}, sold: make([]wht93.Fen, len(c.Tiers())),
		}
		for i := range m.state {
			m.state[i] = inventory.Available
		}
		counterKeys := []string{c.SessionID() + "/b0", c.SessionID() + "/b1", c.SessionID() + "/free"}
		keyGen := rapid.SampledFrom([]string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"})
		accessGen := rapid.SampledFrom(invAccesses)
		ttlGen := rapid.Map(rapid.IntRange(1, 120), func(s int) time.Duration { return time.Duration(s) * time.Second })

		holdResult := func(key string, a inventory.Access, got []venue.SeatID, err error, want func() ([]venue.SeatID, []*wht93.Rule)) {
			m.expire()
			seats, rules := want()
			if rules != nil {
				if err == nil {
					rt.Fatalf("hold %s by %+v = %v, want one of %v", key, a, got, rules)
				}
				if !slices.ContainsFunc(rules, func(r *wht93.Rule) bool { return errors.Is(err, r) }) {
					rt.Fatalf("hold %s by %+v: error %v, want one of %v", key, a, err, rules)
				}
				return
			}
			if err != nil {
				rt.Fatalf("hold %s by %+v: %v, want %v", key, a, err, seats)
			}
			if seats != nil && !slices.Equal(got, seats) {
				rt.Fatalf("hold %s = %v, want %v", key, got, seats)
			}
		}
		take := func(key string, seats []venue.SeatID, ttl time.Duration) {
			m.holds[key] = &invMHold{seats: slices.Clone(seats), expires: m.now.Add(ttl)}
			for _, id := range seats {
				m.state[id], m.holdOf[id] = inventory.Held, key
			}
		}
		keyRule := func(key string) []*wht93.Rule {
			if m.holds[key] != nil || m.used[key] {
				return []*wht93.Rule{inventory.ErrHoldKey}
			}
			return nil
		}

		rt.Repeat(map[string]func(*rapid.T){
			"holdSeats": func(rt *rapid.T) {
				key, a, ttl := keyGen.Draw(rt, "key"), accessGen.Draw(rt, "access"), ttlGen.Draw(rt, "ttl")
				seats := rapid.SliceOfN(rapid.Map(rapid.IntRange(0, c.Len()-1), func(i int) venue.SeatID { return venue.SeatID(i) }), 1, 3).Draw(rt, "seats")
				op := &inventory.HoldOp{Chart: c, Hold: key, Owner: "o", Access: a, Seats: seats, Now: m.now, Expires: m.now.Add(ttl)}
				got, err := st.Hold(invCtx, op)
				holdResult(key, a, got, err, func() ([]venue.SeatID, []*wht93.Rule) {
					rules := keyRule(key) // any reason may be the one reported
					for i, id := range seats {
						switch {
						case slices.Contains(seats[:i], id):
							rules = append(rules, inventory.ErrSeatTwice)
						case m.state[id] == inventory.Sold || m.state[id] == inventory.Held || !c.Allows(a, id):
							if v := c.SeatViolation("", id, m.state[id], a); v != nil {
								rules = append(rules, v.Rule)
							}
						}
					}
					if rules != nil {
						return nil, rules
					}
					return seats, nil
				})
				if err == nil {
					take(key, seats, ttl)
				}
			},
			"holdBest": func(rt *rapid.T) {
				key, a, ttl := keyGen.Draw(rt, "key"), accessGen.Draw(rt, "access"), ttlGen.Draw(rt, "ttl")
				tier := rapid.IntRange(0, 1).Draw(rt, "tier")
				n := rapid.IntRange(1, 4).Draw(rt, "n")
				op := &inventory.HoldOp{Chart: c, Hold: key, Owner: "o", Access: a, Tier: c.Tiers()[tier].ID, N: n, Now: m.now, Expires: m.now.Add(ttl)}
				got, err := st.Hold(invCtx, op)
				holdResult(key, a, got, err, func() ([]venue.SeatID, []*wht93.Rule) {
					if r := keyRule(key); r != nil {
						return nil, r
					}
					free := 0
					for id := range m.state {
						if m.state[id] == inventory.Available && c.TierOf(venue.SeatID(id)) == tier && c.Allows(a, venue.SeatID(id)) {
							free++
						}
					}
					if free < n {
						return nil, []*wht93.Rule{inventory.ErrSoldOut}
					}
					return nil, nil
				})
				if err != nil {
					return
				}
				if len(got) != n || !slices.IsSorted(got) {
					rt.Fatalf("best hold of %d returned %v", n, got)
				}
				for i, id := range got {
					if m.state[id] != inventory.Available || c.TierOf(id) != tier || !c.Allows(a, id) || (i > 0 && got[i-1] == id) {
						rt.Fatalf("best hold took %s (%s, tier %d)", c.Label(id), m.state[id], c.TierOf(id))
					}
				}
				if m.hasRun(tier, n, a) && !m.adjacent(got) {
					rt.Fatalf("best hold of %d took %v, not adjacent although a row has %d adjacent seats", n, got, n)
				}
				take(key, got, ttl)
			},
			"release": func(rt *rapid.T) {
				key := keyGen.Draw(rt, "key")
				got, err := st.Release(invCtx, c, key, m.now)
				if err != nil {
					rt.Fatal(err)
				}
				m.expire()
				want := 0
				if m.holds[key] != nil {
					want = m.drop(key)
				}
				if got != want {
					rt.Fatalf("release %s = %d, want %d", key, got, want)
				}
			},
			"sell": func(rt *rapid.T) {
				key := keyGen.Draw(rt, "key")
				m.expire()
				var seats []venue.SeatID
				if h := m.holds[key]; h != nil && rapid.Bool().Draw(rt, "whole") {
					seats = slices.Clone(h.seats)
				} else {
					seats = []venue.SeatID{venue.SeatID(rapid.IntRange(0, c.Len()-1).Draw(rt, "seat"))}
				}
				buyer := counterKeys[rapid.IntRange(0, 1).Draw(rt, "buyer")]
				counters := []inventory.CounterAdd{{Key: buyer, Add: int64(len(seats)), Max: 3}, {Key: counterKeys[2], Add: int64(len(seats))}}
				op := invSaleOp(c, key, m.now, seats, counters...)
				got, err := st.Sell(invCtx, op)
				// The model's answer.
				h := m.holds[key]
				held := h != nil
				for _, id := range seats {
					held = held && m.state[id] == inventory.Held && m.holdOf[id] == key
				}
				switch {
				case held && m.counters[buyer]+int64(len(seats)) > 3:
					var ce *inventory.CapError
					if !errors.As(err, &ce) || len(ce.Counters) != 1 || ce.Counters[0].Key != buyer || ce.Counters[0].Value != m.counters[buyer] {
						rt.Fatalf("sell %s over the limit: %v, want a CapError on %s at %d", key, err, buyer, m.counters[buyer])
					}
				case held:
					if err != nil || len(got) != len(seats) {
						rt.Fatalf("sell %s %v: %v %v", key, seats, got, err)
					}
					for i, tk := range got {
						id := seats[i]
						if _, dup := m.tickets[tk.Serial]; dup || tk.Serial <= 0 || tk.Seat != id {
							rt.Fatalf("sell %s: ticket %+v", key, tk)
						}
						m.tickets[tk.Serial] = &invMTicket{seat: id, order: key, amount: tk.Amount, live: true, keys: []string{buyer, counterKeys[2]}}
						m.serials = append(m.serials, tk.Serial)
						m.state[id], m.holdOf[id] = inventory.Sold, ""
						m.sold[c.TierOf(id)] += tk.Amount
						m.counters[buyer]++
						m.counters[counterKeys[2]]++
						h.seats = slices.DeleteFunc(h.seats, func(s venue.SeatID) bool { return s == id })
					}
					if len(h.seats) == 0 {
						delete(m.holds, key)
					}
					m.used[key] = true
				default:
					again := len(seats) > 0
					for _, id := range seats {
						found := false
						for _, tk := range m.tickets {
							found = found || (tk.live && tk.seat == id && tk.order == key)
						}
						again = again && found
					}
					if again {
						if err != nil || len(got) != len(seats) {
							rt.Fatalf("retried sell %s: %v %v", key, got, err)
						}
						for i, tk := range got {
							if mt := m.tickets[tk.Serial]; mt == nil || mt.seat != seats[i] {
								rt.Fatalf("retried sell %s returned %+v", key, tk)
							}
						}
						return
					}
					if !errors.Is(err, inventory.ErrNotHeld) && !errors.Is(err, inventory.ErrSeatTwice) {
						rt.Fatalf("sell %s %v of seats not held: %v, want ErrNotHeld", key, seats, err)
					}
				}
			},
			"refund": func(rt *rapid.T) {
				if len(m.serials) == 0 {
					rt.Skip("nothing sold")
				}
				serial := rapid.SampledFrom(m.serials).Draw(rt, "serial")
				got, err := st.Refund(invCtx, c, serial, m.now)
				m.expire()
				tk := m.tickets[serial]
				if !tk.live {
					if !errors.Is(err, inventory.ErrRefunded) {
						rt.Fatalf("refund of refunded %d: %v", serial, err)
					}
					return
				}
				if err != nil || got.Serial != serial || got.Live() {
					rt.Fatalf("refund %d = %+v, %v", serial, got, err)
				}
				tk.live = false
				m.state[tk.seat] = inventory.Available
				m.sold[c.TierOf(tk.seat)] -= tk.amount
				for _, k := range tk.keys {
					m.counters[k]--
				}
			},
			"tick": func(rt *rapid.T) {
				m.now = m.now.Add(time.Duration(rapid.IntRange(0, 90).Draw(rt, "seconds")) * time.Second)
			},
			"": func(rt *rapid.T) {
				m.expire()
				sn, err := st.Snapshot(invCtx, c, m.now)
				if err != nil {
					rt.Fatal(err)
				}
				for id, s := range sn.States {
					if s != m.state[id] {
						rt.Fatalf("seat %s is %s, model says %s", c.Label(venue.SeatID(id)), s, m.state[id])
					}
				}
				if !slices.Equal(sn.Sold, m.sold) {
					rt.Fatalf("sold %v, model says %v", sn.Sold, m.sold)
				}
				vals, err := st.Counters(invCtx, counterKeys)
				if err != nil {
					rt.Fatal(err)
				}
				for i, k := range counterKeys {
					if vals[i] != m.counters[k] {
						rt.Fatalf("counter %s = %d, model says %d", k, vals[i], m.counters[k])
					}
				}
			},
		})
	})
}
