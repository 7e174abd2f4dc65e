package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

// invSession returns a seated session on sale at invT0 with the limits given,
// one ID per order.
func invSession(t testing.TB, id string, limits session.Limits) session.Session {
	t.Helper()
	hall, err := codes.ParseHallCode("11010100101")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d, h int) time.Time { return time.Date(2025, time.May, d, h, 0, 0, 0, wht93.CST) }
	return session.Session{
		ID: id, PerformanceID: "perf", Name: "并发测试场次", Type: codes.TypeCode(2001),
		Venue: "测试场馆", Hall: "测试厅", HallCode: hall, Seated: true,
		Date: wht93.Date{Year: 2025, Month: time.May, Day: 20}, Start: day(20, 19), End: day(20, 21),
		TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModePerOrder, Limits: limits,
		Sales: session.Sales{OpenedAt: day(1, 9), Start: day(1, 10), Stop: day(20, 18)},
	}
}

// invSales returns the sales of the suite's chart for session sid on the store,
// through the channels "web" and "agent", with the limits given.
func invSales(t testing.TB, st inventory.Store, sid string, limits session.Limits, policies ...session.Policy) *inventory.Sales {
	t.Helper()
	s := invSession(t, sid, limits)
	var auths []session.Authorization
	for _, ch := range []session.Channel{
		{ID: "web", Name: "官网", Kind: session.OwnSales, Commission: decimal.Zero},
		{ID: "agent", Name: "分销商", Kind: session.Distribution, Commission: decimal.RequireFromString("0.05")},
	} {
		a, err := session.Authorize(&ch, &s, invT0.Add(-24*time.Hour), time.Time{}, session.Allocation{})
		if err != nil {
			t.Fatal(err)
		}
		auths = append(auths, a)
	}
	c, err := inventory.NewChart(invSpec(sid, invTemplate(t)))
	if err != nil {
		t.Fatal(err)
	}
	sales, err := inventory.New(st, inventory.Config{Session: s, Chart: c, Channels: auths, Policies: policies})
	if err != nil {
		t.Fatal(err)
	}
	if err := sales.Open(invCtx); err != nil {
		t.Fatal(err)
	}
	return sales
}

func invBlind(i int) realname.BlindIndex {
	return realname.BlindIndex(sha256.Sum256([]byte(fmt.Sprintf("document-%d", i))))
}

// invTestConcurrent has 1,000 buyers at once on overlapping seats and shared limits:
// 40 accounts of at most 4 tickets, 25 documents of at most 5, a policy limit of 6
// per account over the performance; some refund what they bought. No seat may be
// sold twice, no limit exceeded, and the box office must be the sum of the tickets.
func invTestConcurrent(t *testing.T, st inventory.Store) { invExercise(t, []inventory.Store{st}) }

// TestInventoryShared checks a store shared by several handles, as several
// processes selling one session have: open returns two or more handles on one
// new, empty store (for example one per database connection pool). 1,000 buyers
// buy through all the handles at once, on overlapping seats and shared limits; no
// seat may be sold twice, no limit exceeded, and the box office must be the sum
// of the tickets.
func TestInventoryShared(t *testing.T, open func(t *testing.T) []inventory.Store) {
	sts := open(t)
	if len(sts) < 2 {
		t.Fatalf("open returned %d handles, want at least 2", len(sts))
	}
	invExercise(t, sts)
}

func invExercise(t *testing.T, sts []inventory.Store) {
	st := sts[0]
	limits := session.Limits{PerOrder: 4, PerBuyer: 4, PerID: 5}
	policy := session.Policy{
		ID: "perf-limit", Name: "演出总限购", PerformanceID: "perf",
		ValidFrom: invT0.Add(-time.Hour), ValidUntil: invT0.Add(time.Hour), Limits: session.Limits{PerBuyer: 6},
	}
	// Two sessions share the policy's limit; each handle sells both.
	var h1, h2 []*inventory.Sales
	for _, h := range sts {
		h1 = append(h1, invSales(t, h, "conc-1", limits, policy))
		h2 = append(h2, invSales(t, h, "conc-2", limits, policy))
	}
	s1, s2 := h1[0], h2[0]
	c := s1.Chart()
	hot := make([]venue.SeatID, 0, 16)
	for id := range venue.SeatID(16) {
		hot = append(hot, id) // A区 1–2排: everybody wants them
	}
	const buyers = 1000
	var wg sync.WaitGroup
	var mu sync.Mutex
	unexpected := []error{}
	start := make(chan struct{})
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			sales := h1[i%len(sts)]
			if i%3 == 0 {
				sales = h2[i%len(sts)]
			}
			req := inventory.HoldRequest{Key: fmt.Sprintf("k%d", i), Buyer: fmt.Sprintf("acct%d", i%40), Channel: "web"}
			if i%7 == 0 {
				req.Channel = "agent"
			}
			n := 1 + i%3
			switch i % 4 {
			case 0, 1: // chosen seats, overlapping
				for j := range n {
					req.Seats = append(req.Seats, hot[(i*5+j*3)%len(hot)])
				}
			default:
				req.Tier, req.N = []string{"A", "B"}[i%2], n
			}
			ids := []realname.BlindIndex{invBlind(i % 25)}
			sale, err := sales.Buy(invCtx, invT0, req, inventory.Purchase{IDs: ids})
			switch {
			case err == nil:
				if i%10 == 0 { // some change their mind
					if _, err := sales.Refund(invCtx, invT0, sale.Tickets[0].Serial); err != nil {
						mu.Lock()
						unexpected = append(unexpected, err)
						mu.Unlock()
					}
				}
			case errors.Is(err, inventory.ErrSeatHeld), errors.Is(err, inventory.ErrSeatSold), errors.Is(err, inventory.ErrSeatTwice),
				errors.Is(err, inventory.ErrSoldOut), errors.Is(err, session.ErrLimitPerBuyer), errors.Is(err, session.ErrLimitPerID):
			default:
				mu.Lock()
				unexpected = append(unexpected, err)
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range unexpected {
		t.Errorf("unexpected error: %v", err)
	}
	perBuyer := map[string]int{}
	perBuyerSession := map[string]int{}
	perID := map[string]int{}
	var keys []string
	for _, sales := range []*inventory.Sales{s1, s2} {
		tickets, err := sales.Tickets(invCtx)
		if err != nil {
			t.Fatal(err)
		}
		bySeat := map[venue.SeatID]int{}
		var fen wht93.Fen
		live := 0
		for _, tk := range tickets {
			if !tk.Live() {
				continue
			}
			live++
			bySeat[tk.Seat]++
			fen += tk.Amount
			perBuyer[tk.Buyer]++
			perBuyerSession[tk.Session+"/"+tk.Buyer]++
			perID[tk.Session+"/"+tk.ID.String()]++
			if bySeat[tk.Seat] > 1 {
				t.Errorf("%s: seat %s sold %d times", tk.Session, c.Label(tk.Seat), bySeat[tk.Seat])
			}
			for _, k := range tk.Keys {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
		box, err := sales.BoxOffice(invCtx, invT0)
		if err != nil {
			t.Fatal(err)
		}
		if box.Sold.Tickets != live || box.Sold.Fen != fen || box.Held.Tickets != 0 {
			t.Errorf("%s: box office sold %+v held %d, tickets %d for %s", sales.Chart().SessionID(), box.Sold, box.Held.Tickets, live, fen)
		}
		if box.Total.Tickets != box.Sold.Tickets+box.Held.Tickets+box.Reserved.Tickets+box.Remaining.Tickets {
			t.Errorf("box office does not add up: %+v", box)
		}
		if live == 0 {
			t.Errorf("%s: nothing sold", sales.Chart().SessionID())
		}
	}
	for b, n := range perBuyer {
		if n > policy.Limits.PerBuyer {
			t.Errorf("%s holds %d tickets over the performance, limit %d", b, n, policy.Limits.PerBuyer)
		}
	}
	for b, n := range perBuyerSession {
		if n > limits.PerBuyer {
			t.Errorf("%s holds %d tickets, limit %d", b, n, limits.PerBuyer)
		}
	}
	for id, n := range perID {
		if n > limits.PerID {
			t.Errorf("document %s holds %d tickets, limit %d", id, n, limits.PerID)
		}
	}
	// The counters are what the live tickets say.
	vals, err := st.Counters(invCtx, keys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, sales := range []*inventory.Sales{s1, s2} {
		tickets, _ := sales.Tickets(invCtx)
		for _, tk := range tickets {
			if tk.Live() {
				for _, k := range tk.Keys {
					want[k]++
				}
			}
		}
	}
	for i, k := range keys {
		if vals[i] != want[k] {
			t.Errorf("counter %q = %d, live tickets say %d", k, vals[i], want[k])
		}
	}
}
