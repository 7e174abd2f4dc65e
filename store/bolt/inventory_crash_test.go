package bolt

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/venue"
)

// The inventory crash test re-executes the test binary as a child that sells and
// refunds seats until it is killed with SIGKILL at a random moment. The child
// prints a line for every change it was told is durable:
//
//	S serial seat buyer   a ticket sold (Sell returned)
//	R serial              a refund (Refund returned)
//
// The parent reopens the file after each kill and checks that it passes bbolt's
// consistency check, that every sold ticket is there on its seat, every refund
// is there, no seat has two live tickets, the counters are what the live tickets
// say, and that later serials are above every earlier one.
const (
	invCrashPathEnv = "WHT93_BOLT_INVENTORY_CRASH_CHILD"
	invCrashIterEnv = "WHT93_BOLT_INVENTORY_CRASH_ITER"
)

var invCrashBase = time.Date(2025, 5, 2, 10, 0, 0, 0, wht93.CST)

// invCrashSales is the child's and the parent's view of the crash session: 2 areas
// of 10 rows of 20 seats, tiers A and B, 6 tickets per buyer.
func invCrashSales(t testing.TB, st inventory.Store) *inventory.Sales {
	tpl, err := venue.Build(venue.Spec{Hall: "大厅", Sections: []venue.Section{
		{Floor: "一层", Area: "A区", Rows: []venue.RowBlock{{From: 1, To: 10, Seats: venue.SeatRange{From: 1, To: 20}}}},
		{Floor: "一层", Area: "B区", Rows: []venue.RowBlock{{From: 1, To: 10, Seats: venue.SeatRange{From: 1, To: 20}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := inventory.NewChart(inventory.ChartSpec{SessionID: "crash", Version: 1, Template: tpl,
		Tiers: []inventory.Tier{{ID: "A", Price: wht93.Yuan(500)}, {ID: "B", Price: wht93.Yuan(200)}},
		Prices: []inventory.Pricing{
			{Tier: "A", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "A区"}}}},
			{Tier: "B", Selection: inventory.Selection{Areas: []venue.AreaKey{{Floor: "一层", Area: "B区"}}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	hall, _ := codes.ParseHallCode("11010100101")
	day := func(d, h int) time.Time { return time.Date(2025, 5, d, h, 0, 0, 0, wht93.CST) }
	s := session.Session{ID: "crash", PerformanceID: "p", Name: "崩溃测试", Type: codes.TypeCode(2001), Venue: "场馆", Hall: "大厅",
		HallCode: hall, Seated: true, Date: wht93.Date{Year: 2025, Month: 5, Day: 20}, Start: day(20, 19), End: day(20, 21),
		TicketModes: session.ModesOf(session.Electronic), RealName: realname.ModeNone, Limits: session.Limits{PerBuyer: 6},
		Sales: session.Sales{OpenedAt: day(1, 9), Start: day(1, 10), Stop: day(20, 18)}}
	ch := session.Channel{ID: "web", Name: "官网", Kind: session.OwnSales, Commission: decimal.Zero}
	auth, err := session.Authorize(&ch, &s, day(1, 0), time.Time{}, session.Allocation{})
	if err != nil {
		t.Fatal(err)
	}
	sales, err := inventory.New(st, inventory.Config{Session: s, Chart: c, Channels: []session.Authorization{auth}})
	if err != nil {
		t.Fatal(err)
	}
	return sales
}

func TestInventoryCrashChild(t *testing.T) {
	path := os.Getenv(invCrashPathEnv)
	if path == "" {
		t.Skip("runs only as the child of TestInventoryCrash")
	}
	iter, _ := strconv.Atoi(os.Getenv(invCrashIterEnv))
	inv, db, err := OpenInventory(path, nil)
	if err != nil {
		fmt.Println("X open:", err)
		os.Exit(3)
	}
	defer db.Close()
	ctx := context.Background()
	sales := invCrashSales(t, inv)
	if err := sales.Open(ctx); err != nil {
		fmt.Println("X open chart:", err)
		os.Exit(3)
	}
	now := invCrashBase.Add(time.Duration(iter) * time.Hour) // earlier holds have expired
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		os.Stdout.WriteString(fmt.Sprintf(format, args...) + "\n")
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(iter), uint64(g)))
			for i := 0; ; i++ {
				buyer := fmt.Sprintf("b%d", rng.IntN(60))
				req := inventory.HoldRequest{Key: fmt.Sprintf("i%d-g%d-%d", iter, g, i), Buyer: buyer, Channel: "web", Tier: []string{"A", "B"}[rng.IntN(2)], N: 1 + rng.IntN(3)}
				sale, err := sales.Buy(ctx, now, req, inventory.Purchase{})
				if err != nil {
					if errors.Is(err, inventory.ErrSoldOut) || errors.Is(err, session.ErrLimitPerBuyer) {
						continue
					}
					say("X %v", err)
					os.Exit(3)
				}
				for _, tk := range sale.Tickets {
					say("S %d %d %s", tk.Serial, tk.Seat, buyer)
				}
				if rng.IntN(4) == 0 {
					tk := sale.Tickets[0]
					if _, err := sales.Refund(ctx, now, tk.Serial); err != nil {
						say("X %v", err)
						os.Exit(3)
					}
					say("R %d", tk.Serial)
				}
			}
		}()
	}
	wg.Wait()
}

func TestInventoryCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	path := filepath.Join(t.TempDir(), "inventory.db")
	sold := map[int64]venue.SeatID{}
	refunded := map[int64]bool{}
	rng := rand.New(rand.NewPCG(7, 7))
	for iter := range 4 {
		env := []string{invCrashPathEnv + "=" + path, invCrashIterEnv + "=" + strconv.Itoa(iter)}
		crashChild(t, "TestInventoryCrashChild", env, 20+rng.IntN(200), func(text string) bool {
			f := strings.Fields(text)
			switch {
			case len(f) == 4 && f[0] == "S":
				serial, _ := strconv.ParseInt(f[1], 10, 64)
				seat, _ := strconv.Atoi(f[2])
				sold[serial] = venue.SeatID(seat)
			case len(f) == 2 && f[0] == "R":
				serial, _ := strconv.ParseInt(f[1], 10, 64)
				refunded[serial] = true
			default:
				t.Fatalf("child: %s", text)
			}
			return true
		})
		invCrashCheck(t, path, sold, refunded)
	}
}

// invCrashCheck reopens the file and checks it against what the children said.
func invCrashCheck(t *testing.T, path string, sold map[int64]venue.SeatID, refunded map[int64]bool) {
	t.Helper()
	inv, db, err := OpenInventory(path, nil)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if err := db.bolt.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
	ctx := context.Background()
	sales := invCrashSales(t, inv)
	tickets, err := sales.Tickets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bySerial := map[int64]inventory.Ticket{}
	liveOn := map[venue.SeatID]int{}
	keys := map[string]int64{}
	var max int64
	for _, tk := range tickets {
		bySerial[tk.Serial] = tk
		max = tk.Serial
		if tk.Live() {
			liveOn[tk.Seat]++
			for _, k := range tk.Keys {
				keys[k]++
			}
		}
	}
	for serial, seat := range sold {
		tk, ok := bySerial[serial]
		if !ok || tk.Seat != seat {
			t.Fatalf("acknowledged ticket %d on seat %d lost (%+v)", serial, seat, tk)
		}
		if refunded[serial] && tk.Live() {
			t.Fatalf("acknowledged refund of %d lost", serial)
		}
	}
	sn, err := sales.Snapshot(ctx, invCrashBase.Add(100*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for id, n := range liveOn {
		if n > 1 {
			t.Fatalf("seat %d has %d live tickets", id, n)
		}
		if sn.States[id] != inventory.Sold {
			t.Fatalf("seat %d has a live ticket but is %s", id, sn.States[id])
		}
	}
	for id, st := range sn.States {
		if st == inventory.Sold && liveOn[venue.SeatID(id)] != 1 {
			t.Fatalf("seat %d is sold without a live ticket", id)
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	vals, err := inv.Counters(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range names {
		if vals[i] != keys[k] {
			t.Fatalf("counter %q = %d, live tickets say %d", k, vals[i], keys[k])
		}
	}
	// New serials continue above every ticket on file.
	if inv.serial.Load() < max {
		t.Fatalf("next serial %d is not above %d", inv.serial.Load()+1, max)
	}
}
