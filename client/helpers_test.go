package client_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (a log sink).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	sim   *platformsim.Sim
	c     *client.Client
	clock *fakeClock
	log   *syncBuffer
	cfg   client.Config
}

// start starts a simulator over TLS and a client for it, with a fake clock for
// both and fast retries.
func start(t testing.TB, simCfg platformsim.Config, mod func(*client.Config)) *env {
	t.Helper()
	clock := newFakeClock()
	if simCfg.Now == nil {
		simCfg.Now = clock.Now
	}
	sim, err := platformsim.Start(simCfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	logs := &syncBuffer{}
	cfg := sim.ClientConfig()
	cfg.Clock = clock
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Retry = client.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond, RetryAfterMax: 5 * time.Millisecond}
	cfg.Timeout = 5 * time.Second
	if mod != nil {
		mod(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &env{sim: sim, c: c, clock: clock, log: logs, cfg: cfg}
}

// show is a reported show: a performance with a seated and an unseated session,
// a price tier each, and their codes.
type show struct {
	perfID                string
	seatedID, unseatedID  string
	seatedCode, standCode string
	seatedHall, standHall string
	seatedTier, standTier string
}

// hallOf finds a seated or unseated enabled, operating hall in the venue list.
func hallOf(t testing.TB, venues []client.Venue, seated bool) string {
	t.Helper()
	for _, v := range venues {
		for _, h := range v.HallList {
			if (h.HasSeat == client.Seated) == seated && h.EnableState == client.Enabled && h.ManagementStatus == client.StatusOpen {
				return h.HallCode
			}
		}
	}
	t.Fatalf("no hall with seated=%v", seated)
	return ""
}

func (e *env) reportShow(t testing.TB, perfID string) show {
	t.Helper()
	ctx := context.Background()
	venues, err := e.c.AllVenues(ctx, client.VenueListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := show{perfID: perfID, seatedID: perfID + "-S1", unseatedID: perfID + "-S2",
		seatedHall: hallOf(t, venues, true), standHall: hallOf(t, venues, false)}
	dt := func(h int) client.DateTime { return e.c.DateTime(time.Date(2024, 6, 1, h, 30, 0, 0, wht93.CST)) }
	codes, err := e.c.RequestSessionCodes(ctx, &client.SessionCodeRequest{
		PerformanceID: perfID, PerformanceName: "茶馆", TypeID: 1001, Approval: "京演审字〔2024〕001号",
		SessionList: []client.SessionInfo{
			{SessionID: s.seatedID, SessionName: "首演", HallCode: s.seatedHall, SessionStartTime: dt(19), SessionEndTime: dt(21),
				HasSeat: client.Seated, SeatingChart: "https://example.cn/chart/1.png", Tag: client.Int(client.TagTest)},
			{SessionID: s.unseatedID, SessionName: "草坪场", HallCode: s.standHall, SessionStartTime: dt(14), SessionEndTime: dt(16),
				HasSeat: client.Unseated},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.seatedCode, s.standCode = codes[s.seatedID], codes[s.unseatedID]
	s.seatedTier, s.standTier = "P380", "P100"
	for _, tier := range []struct {
		code, session, price string
		fen                  wht93.Fen
	}{
		{s.seatedCode, s.seatedID, s.seatedTier, 38000}, {s.standCode, s.unseatedID, s.standTier, 10000}} {
		err := e.c.ReportInventory(ctx, &client.ReportInventoryRequest{SessionCode: tier.code, PriceList: []client.PriceTier{{
			PerformanceID: perfID, SessionID: tier.session, PriceID: tier.price, PriceName: "票档" + tier.price,
			TicketPrice: tier.fen, AvailableInventory: 1000, UnavailableInventory: 10}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// seatedTickets returns n tickets with seats, ids prefix-1…prefix-n.
func seatedTickets(prefix string, n int) []client.TicketInfo {
	out := make([]client.TicketInfo, n)
	for i := range out {
		out[i] = client.TicketInfo{TicketID: fmt.Sprintf("%s-%d", prefix, i+1), AvailableSale: client.Sellable,
			FloorName: "1层", AreaName: "A区", RowName: fmt.Sprintf("%d排", i/40+1), SeatNo: fmt.Sprintf("%d号", i%40+1)}
	}
	return out
}
