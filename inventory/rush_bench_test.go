package inventory_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/internal/cputime"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/store/postgres"
	"github.com/piaowu/wht93/venue"
)

// The on-sale rush: an 80,000-seat stadium, 10,000 buyers at once, each asking for
// 1–4 seats, half of them for specific adjacent seats of a row they chose on the
// seat map (falling back to best available when someone was faster), half for the
// best available seats of a tier; then each pays (Sell, with the per-buyer limit
// checked in the same step). Reported per run: seats sold per second of the rush
// and the 99th percentile of hold latency.
//
//	go test -run '^$' -bench Rush -benchtime 1x -count 6 ./inventory/
//
// PostgreSQL joins when WHT93_TEST_PG_DSN is set (scripts/pg-test-server).

const (
	rushBuyers = 10_000
	rushPgConn = 32
)

// stadium is 2 floors × 20 areas × 40 rows × 50 seats: tier A on rows 1–10 of the
// first floor, B on its rows 11–40, C on rows 1–20 of the second floor, D on the rest.
func stadium(tb testing.TB) (*inventory.Chart, session.Session, []session.Authorization) {
	tb.Helper()
	var sections []venue.Section
	var pA, pB, pC, pD inventory.Selection
	for f, floor := range []string{"一层", "二层"} {
		for a := 1; a <= 20; a++ {
			area := fmt.Sprintf("%d区", f*100+a)
			sections = append(sections, venue.Section{Floor: floor, Area: area, Rows: []venue.RowBlock{{From: 1, To: 40, Seats: venue.SeatRange{From: 1, To: 50}}}})
			for r := 1; r <= 40; r++ {
				rk := inventory.RowKey{AreaKey: venue.AreaKey{Floor: floor, Area: area}, Row: fmt.Sprintf("%d排", r)}
				switch {
				case f == 0 && r <= 10:
					pA.Rows = append(pA.Rows, rk)
				case f == 0:
					pB.Rows = append(pB.Rows, rk)
				case r <= 20:
					pC.Rows = append(pC.Rows, rk)
				default:
					pD.Rows = append(pD.Rows, rk)
				}
			}
		}
	}
	tpl, err := venue.Build(venue.Spec{Hall: "体育场", Sections: sections})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := inventory.NewChart(inventory.ChartSpec{
		SessionID: "rush", Version: 1, Template: tpl,
		Tiers:  []inventory.Tier{{ID: "A", Price: wht93.Yuan(1280)}, {ID: "B", Price: wht93.Yuan(880)}, {ID: "C", Price: wht93.Yuan(580)}, {ID: "D", Price: wht93.Yuan(280)}},
		Prices: []inventory.Pricing{{Tier: "A", Selection: pA}, {Tier: "B", Selection: pB}, {Tier: "C", Selection: pC}, {Tier: "D", Selection: pD}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	s := testSession(tb, "rush", session.Limits{PerOrder: 4, PerBuyer: 4})
	return c, s, []session.Authorization{authorize(tb, channel("web", session.OwnSales), s, session.Allocation{})}
}

type rushResult struct {
	seats   int
	elapsed time.Duration
	cpu     time.Duration // the process's CPU time (user and system) during the rush
	holds   []time.Duration
}

// rush runs one on-sale rush on a store that has no chart yet.
func rush(b *testing.B, st inventory.Store, c *inventory.Chart, s session.Session, auths []session.Authorization) rushResult {
	sales, err := inventory.New(st, inventory.Config{Session: s, Chart: c, Channels: auths})
	if err != nil {
		b.Fatal(err)
	}
	if err := sales.Open(ctx); err != nil {
		b.Fatal(err)
	}
	tiers := []string{"A", "B", "B", "C", "C", "D"}
	rows := c.Template().Rows()
	lat := make([][2]time.Duration, rushBuyers) // the hold, and the fallback hold (0: none)
	sold := make([]int, rushBuyers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 1)
	// The requests are made before the rush, so that a buyer's goroutine does
	// no more than a buyer's calls.
	reqs := make([]inventory.HoldRequest, rushBuyers)
	for i := range reqs {
		rng := mrand.New(mrand.NewPCG(uint64(i), 42))
		n := 1 + rng.IntN(4)
		req := inventory.HoldRequest{Key: fmt.Sprintf("order-%d", i), Buyer: fmt.Sprintf("acct-%d", i), Channel: "web", TTL: 10 * time.Minute}
		if i%2 == 0 {
			row := rows[rng.IntN(len(rows))]
			first := row.First + venue.SeatID(rng.IntN(row.Len()-n+1))
			for k := range n {
				req.Seats = append(req.Seats, first+venue.SeatID(k))
			}
		} else {
			req.Tier, req.N = tiers[rng.IntN(len(tiers))], n
		}
		reqs[i] = req
	}
	buy := func(i int) {
		req := &reqs[i]
		n := max(len(req.Seats), req.N)
		t0 := time.Now()
		h, err := sales.Hold(ctx, onSale, *req)
		lat[i][0] = time.Since(t0)
		if err != nil && (errors.Is(err, inventory.ErrSeatHeld) || errors.Is(err, inventory.ErrSeatSold)) {
			req.Tier, req.N = c.Tiers()[c.TierOf(req.Seats[0])].ID, n
			req.Seats, req.Key = nil, req.Key+"-best"
			t0 = time.Now()
			h, err = sales.Hold(ctx, onSale, *req)
			lat[i][1] = time.Since(t0)
		}
		if err == nil {
			var sale *inventory.Sale
			if sale, err = sales.Sell(ctx, onSale, h, inventory.Purchase{}); err == nil {
				sold[i] = len(sale.Tickets)
			}
		}
		if err != nil && !errors.Is(err, inventory.ErrSoldOut) {
			select {
			case errs <- fmt.Errorf("buyer %d: %w", i, err):
			default:
			}
		}
	}
	for i := range rushBuyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			buy(i)
		}()
	}
	cpu0, _ := cputime.Process()
	t0 := time.Now()
	close(start)
	wg.Wait()
	cpu1, _ := cputime.Process()
	res := rushResult{elapsed: time.Since(t0), cpu: cpu1 - cpu0}
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	for i := range sold {
		res.seats += sold[i]
		for _, d := range lat[i] {
			if d > 0 {
				res.holds = append(res.holds, d)
			}
		}
	}
	// What was sold is what the box office says, one ticket per seat.
	box, err := sales.BoxOffice(ctx, onSale)
	if err != nil {
		b.Fatal(err)
	}
	tickets, err := sales.Tickets(ctx)
	if err != nil {
		b.Fatal(err)
	}
	seen := make(map[venue.SeatID]bool, len(tickets))
	for _, t := range tickets {
		if seen[t.Seat] {
			b.Fatalf("seat %s sold twice", c.Label(t.Seat))
		}
		seen[t.Seat] = true
	}
	if box.Sold.Tickets != res.seats || len(tickets) != res.seats {
		b.Fatalf("sold %d seats, box office says %d, %d tickets", res.seats, box.Sold.Tickets, len(tickets))
	}
	return res
}

func report(b *testing.B, runs []rushResult) {
	var seats int
	var elapsed, cpu time.Duration
	var holds []time.Duration
	for _, r := range runs {
		seats += r.seats
		elapsed += r.elapsed
		cpu += r.cpu
		holds = append(holds, r.holds...)
	}
	slices.Sort(holds)
	b.ReportMetric(float64(seats)/elapsed.Seconds(), "seats/s")
	b.ReportMetric(float64(holds[len(holds)*99/100].Microseconds())/1000, "p99-hold-ms")
	b.ReportMetric(float64(seats)/float64(len(runs)), "seats/rush")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(runs)), "cpu-ms/rush")
}

func BenchmarkRush(b *testing.B) {
	c, s, auths := stadium(b)
	run := func(b *testing.B, open func(b *testing.B) inventory.Store) {
		var runs []rushResult
		for b.Loop() {
			runs = append(runs, rush(b, open(b), c, s, auths))
		}
		report(b, runs)
	}
	b.Run("naive", func(b *testing.B) {
		run(b, func(*testing.B) inventory.Store { return newNaive() })
	})
	b.Run("memory", func(b *testing.B) {
		run(b, func(*testing.B) inventory.Store { return memory.NewInventory() })
	})
	b.Run("bolt", func(b *testing.B) {
		run(b, func(b *testing.B) inventory.Store {
			inv, db, err := bolt.OpenInventory(filepath.Join(b.TempDir(), "rush.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return inv
		})
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("WHT93_TEST_PG_DSN")
		if dsn == "" {
			b.Skip(`WHT93_TEST_PG_DSN is not set: run eval "$(scripts/pg-test-server start)" first`)
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(rushPgConn)
		db.SetMaxIdleConns(rushPgConn)
		run(b, func(b *testing.B) inventory.Store {
			var r [6]byte
			rand.Read(r[:])
			schema := "rush_" + hex.EncodeToString(r[:])
			b.Cleanup(func() { db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`) })
			inv, err := postgres.OpenInventory(context.Background(), db, &postgres.Options{Schema: schema})
			if err != nil {
				b.Fatal(err)
			}
			return inv
		})
	})
}

// naive is the baseline: one mutex over every session, seat states in maps, and
// best available as a scan for the first free seats of the tier in id order. It
// keeps the Store contract (all or nothing, expiry, counters) in the plainest way.
type naive struct {
	mu       sync.Mutex
	charts   map[string]*inventory.Chart
	seats    map[string]map[venue.SeatID]*naiveSeat
	tickets  map[string][]*inventory.Ticket
	holds    map[string][]venue.SeatID // session + key -> seats
	orders   map[string]bool           // session + key used by a sale
	counters map[string]int64
	serial   int64
}

type naiveSeat struct {
	state   inventory.State
	hold    string
	expires time.Time
	ticket  *inventory.Ticket
}

func newNaive() *naive {
	return &naive{charts: map[string]*inventory.Chart{}, seats: map[string]map[venue.SeatID]*naiveSeat{}, tickets: map[string][]*inventory.Ticket{},
		holds: map[string][]venue.SeatID{}, orders: map[string]bool{}, counters: map[string]int64{}}
}

func (s *naive) check(c *inventory.Chart) (map[venue.SeatID]*naiveSeat, error) {
	have, ok := s.charts[c.SessionID()]
	switch {
	case !ok:
		return nil, inventory.ErrNoChart.At("sessionId", c.SessionID())
	case have.Version() != c.Version():
		return nil, inventory.ErrStaleChart.At("version", fmt.Sprint(c.Version()))
	}
	return s.seats[c.SessionID()], nil
}

func (s *naive) state(st *naiveSeat, now time.Time) inventory.State {
	if st == nil {
		return inventory.Available
	}
	if st.state == inventory.Held && !st.expires.After(now) {
		return inventory.Available
	}
	return st.state
}

func (s *naive) Create(_ context.Context, c *inventory.Chart) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.charts[c.SessionID()]; ok {
		return inventory.ErrChartExists.At("sessionId", c.SessionID())
	}
	s.charts[c.SessionID()] = c
	s.seats[c.SessionID()] = map[venue.SeatID]*naiveSeat{}
	return nil
}

func (s *naive) Reconfigure(_ context.Context, from, to *inventory.Chart, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(from)
	if err != nil {
		return err
	}
	st := make([]inventory.State, from.Len())
	for id := range st {
		st[id] = s.state(seats[venue.SeatID(id)], now)
	}
	if err := inventory.CheckReconfigure(from, to, st); err != nil {
		return err
	}
	s.charts[from.SessionID()] = to
	return nil
}

func (s *naive) Hold(_ context.Context, op *inventory.HoldOp) ([]venue.SeatID, error) {
	if err := op.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(op.Chart)
	if err != nil {
		return nil, err
	}
	c := op.Chart
	hk := c.SessionID() + "/" + op.Hold
	if s.orders[hk] {
		return nil, inventory.ErrHoldKey.At("hold", op.Hold)
	}
	for _, id := range s.holds[hk] {
		if st := seats[id]; st != nil && st.hold == op.Hold && s.state(st, op.Now) == inventory.Held {
			return nil, inventory.ErrHoldKey.At("hold", op.Hold)
		}
	}
	var take []venue.SeatID
	if len(op.Seats) > 0 {
		var vs wht93.Violations
		for i, id := range op.Seats {
			if v := c.SeatViolation(fmt.Sprintf("seats[%d]", i), id, s.state(seats[id], op.Now), op.Access); v != nil {
				vs = append(vs, v)
			}
		}
		if err := vs.Err(); err != nil {
			return nil, err
		}
		take = slices.Clone(op.Seats)
	} else {
		t, _ := c.TierIndex(op.Tier)
		for id := range venue.SeatID(c.Len()) {
			if c.TierOf(id) == t && c.Allows(op.Access, id) && s.state(seats[id], op.Now) == inventory.Available {
				take = append(take, id)
				if len(take) == op.N {
					break
				}
			}
		}
		if len(take) < op.N {
			return nil, inventory.ErrSoldOut.At("n", fmt.Sprint(op.N))
		}
	}
	for _, id := range take {
		seats[id] = &naiveSeat{state: inventory.Held, hold: op.Hold, expires: op.Expires}
	}
	s.holds[hk] = take
	return slices.Clone(take), nil
}

func (s *naive) Release(_ context.Context, c *inventory.Chart, hold string, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(c)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range s.holds[c.SessionID()+"/"+hold] {
		if st := seats[id]; st != nil && st.hold == hold && s.state(st, now) == inventory.Held {
			delete(seats, id)
			n++
		}
	}
	delete(s.holds, c.SessionID()+"/"+hold)
	return n, nil
}

func (s *naive) Sell(_ context.Context, op *inventory.SaleOp) ([]inventory.Ticket, error) {
	if err := op.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(op.Chart)
	if err != nil {
		return nil, err
	}
	var vs wht93.Violations
	for i, t := range op.Tickets {
		st := seats[t.Seat]
		if s.state(st, op.Now) != inventory.Held || st.hold != op.Hold {
			vs = append(vs, inventory.ErrNotHeld.At(fmt.Sprintf("tickets[%d].seat", i), op.Chart.Label(t.Seat)))
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	var over []inventory.CounterValue
	for _, ca := range op.Counters {
		if ca.Max > 0 && s.counters[ca.Key]+ca.Add > ca.Max {
			over = append(over, inventory.CounterValue{Key: ca.Key, Value: s.counters[ca.Key], Add: ca.Add, Max: ca.Max})
		}
	}
	if over != nil {
		return nil, &inventory.CapError{Counters: over}
	}
	for _, ca := range op.Counters {
		s.counters[ca.Key] += ca.Add
	}
	s.orders[op.Chart.SessionID()+"/"+op.Hold] = true
	out := make([]inventory.Ticket, len(op.Tickets))
	for i, t := range op.Tickets {
		s.serial++
		t.Serial = s.serial
		tc := t
		seats[t.Seat] = &naiveSeat{state: inventory.Sold, ticket: &tc}
		s.tickets[op.Chart.SessionID()] = append(s.tickets[op.Chart.SessionID()], &tc)
		out[i] = t
	}
	return out, nil
}

func (s *naive) Refund(_ context.Context, c *inventory.Chart, serial int64, now time.Time) (inventory.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(c)
	if err != nil {
		return inventory.Ticket{}, err
	}
	for _, t := range s.tickets[c.SessionID()] {
		if t.Serial != serial {
			continue
		}
		if !t.Live() {
			return inventory.Ticket{}, inventory.ErrRefunded.At("serial", fmt.Sprint(serial))
		}
		t.RefundedAt = now
		delete(seats, t.Seat)
		for _, k := range t.Keys {
			s.counters[k]--
		}
		return *t, nil
	}
	return inventory.Ticket{}, inventory.ErrTicketUnknown.At("serial", fmt.Sprint(serial))
}

func (s *naive) Snapshot(_ context.Context, c *inventory.Chart, now time.Time) (*inventory.Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seats, err := s.check(c)
	if err != nil {
		return nil, err
	}
	sn := &inventory.Snapshot{Version: c.Version(), At: now, States: make([]inventory.State, c.Len()), Sold: make([]wht93.Fen, len(c.Tiers()))}
	for id := range sn.States {
		st := seats[venue.SeatID(id)]
		sn.States[id] = s.state(st, now)
		if sn.States[id] == inventory.Sold {
			sn.Sold[c.TierOf(venue.SeatID(id))] += st.ticket.Amount
		}
	}
	return sn, nil
}

func (s *naive) Tickets(_ context.Context, c *inventory.Chart) ([]inventory.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.check(c); err != nil {
		return nil, err
	}
	out := make([]inventory.Ticket, 0, len(s.tickets[c.SessionID()]))
	for _, t := range s.tickets[c.SessionID()] {
		out = append(out, *t)
	}
	return out, nil
}

func (s *naive) Counters(_ context.Context, keys []string) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = s.counters[k]
	}
	return out, nil
}
