package report_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/memory"
)

// fakeClock is a Clock that moves only when told; After fires on Advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
}

// waitFor polls cond until it holds or the deadline passes: it waits on a
// condition, never for a fixed time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond) // polling interval, not a wait for an event
	}
}

// world is a simulator, a client for it, a memory queue and the drafts of a
// synthetic performance.
type world struct {
	sim *platformsim.Sim
	c   *client.Client
	q   *memory.Queue
	f   client.Format
	day wht93.Date
}

func newWorld(t testing.TB, mod func(*client.Config)) *world {
	t.Helper()
	sim, err := platformsim.Start(platformsim.Config{KeepMessages: 100000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cfg := sim.ClientConfig()
	cfg.Retry = client.RetryPolicy{MaxAttempts: 1}
	cfg.Timeout = 5 * time.Second
	if mod != nil {
		mod(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &world{sim: sim, c: c, q: memory.NewQueue(), f: c.Format(), day: mustDate(2024, 6, 1)}
}

// hall returns an unseated, enabled, operating hall code.
func (w *world) hall(t testing.TB) string {
	t.Helper()
	for _, v := range w.sim.Venues() {
		for _, h := range v.HallList {
			if h.HasSeat == client.Unseated && h.EnableState == client.Enabled && h.ManagementStatus == client.StatusOpen {
				return h.HallCode
			}
		}
	}
	t.Fatal("no unseated hall")
	return ""
}

// show builds the drafts of one performance with sessions sessions: its code
// request, then per session a price tier, tickets in batches, orders with
// refunds and check-ins. Every sessionCode is a SessionRef.
func (w *world) show(t testing.TB, perf string, sessions, tickets int) []report.Draft {
	t.Helper()
	hall := w.hall(t)
	dt := func(d, h int) client.DateTime {
		return w.f.DateTime(time.Date(2024, 6, d, h, 0, 0, 0, wht93.CST))
	}
	codeReq := &client.SessionCodeRequest{PerformanceID: perf, PerformanceName: "茶馆", TypeID: 1001}
	for s := range sessions {
		codeReq.SessionList = append(codeReq.SessionList, client.SessionInfo{
			SessionID: fmt.Sprintf("%s-S%d", perf, s), SessionName: fmt.Sprintf("第%d场", s+1), HallCode: hall,
			SessionStartTime: dt(2+s, 19), SessionEndTime: dt(2+s, 21), HasSeat: client.Unseated})
	}
	var out []report.Draft
	add := func(key string, req any) {
		d, err := report.NewDraft(w.f, key, w.day, req)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		out = append(out, d)
	}
	add(perf+"/code", codeReq)
	for s := range sessions {
		sid := fmt.Sprintf("%s-S%d", perf, s)
		ref := report.SessionRef(sid)
		add(sid+"/tier", &client.ReportInventoryRequest{SessionCode: ref, PriceList: []client.PriceTier{{
			PerformanceID: perf, SessionID: sid, PriceID: "P100", PriceName: "草坪", TicketPrice: 10000,
			AvailableInventory: tickets, UnavailableInventory: 0}}})
		tr := &client.ReportTicketRequest{PerformanceID: perf, SessionID: sid, SessionCode: ref, PriceID: "P100"}
		for i := range tickets {
			tr.TicketList = append(tr.TicketList, client.TicketInfo{TicketID: fmt.Sprintf("%s-T%04d", sid, i), AvailableSale: client.Sellable})
		}
		if tickets > 0 {
			ds, err := report.TicketDrafts(w.f, sid+"/tickets", w.day, tr)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ds...)
		}
		for i := range min(tickets, 3) {
			oid := fmt.Sprintf("%s-O%d", sid, i)
			tid := fmt.Sprintf("%s-T%04d", sid, i)
			add(oid, &client.ReportOrderRequest{OrderID: oid, OrderTime: dt(1, 10), ChannelType: client.ChannelOwn,
				ChannelName: "官网", TicketNum: 1, TotalAmount: 10000, TicketType: client.TicketNormal,
				TicketMode: client.ModeElectronic, AuthMode: client.AuthNotRealName,
				TicketOrderList: []client.TicketOrder{{TicketOrderID: oid + "-1", PerformanceID: perf, SessionID: sid,
					SessionCode: ref, PriceID: "P100", TicketPrice: 10000, TicketID: tid, TicketOrderAmount: 10000}}})
			if i == 0 {
				add(oid+"/refund", &client.ReportRefundRequest{RefundOrderID: oid + "-R", OrderID: oid, Reason: "行程变化",
					RefundOrderTime: dt(1, 11), TicketOrderList: []client.RefundTicket{{TicketOrderID: oid + "-1",
						SessionCode: ref, RefundAmount: 9000}}})
			} else {
				add(oid+"/checkin", &client.ReportCheckingRequest{TicketList: []client.Checkin{{TicketID: tid, SessionID: sid,
					PriceID: "P100", SessionCode: ref, CheckingTime: dt(2+s, 18), CheckingType: client.CheckQR, AuthType: client.CheckedAnon}}})
			}
		}
	}
	return out
}

// delivered is one record as the platform accepted it, in arrival order.
type delivered struct {
	seq      uint64
	endpoint string
}

// accepted maps every successful exchange in the simulator's log to the
// record it carried: the request without its token, compared with each
// record's body with its references resolved.
func accepted(t *testing.T, w *world, recs []report.Record) []delivered {
	t.Helper()
	codes := map[string]string{}
	for _, s := range w.sim.Sessions() {
		codes[s.Session.SessionID] = s.SessionCode
	}
	bySig := map[string]uint64{}
	for _, r := range recs {
		b := r.Body
		for id, code := range codes {
			b = bytes.ReplaceAll(b, []byte(report.SessionRef(id)), []byte(code))
		}
		bySig[r.Endpoint+" "+string(b)] = r.Seq
	}
	var out []delivered
	for _, m := range w.sim.Messages() {
		env, err := client.DecodeEnvelope(m.Response)
		if err != nil || !env.OK() || m.Path == client.PathAccessToken || m.Path == client.PathVenueList {
			continue
		}
		req := m.Request
		const pre = `{"accessToken":"`
		if !bytes.HasPrefix(req, []byte(pre)) {
			t.Fatalf("request without a leading token: %.60s", req)
		}
		end := bytes.Index(req[len(pre):], []byte(`",`))
		body := append([]byte{'{'}, req[len(pre)+end+2:]...)
		seq, ok := bySig[m.Path+" "+string(body)]
		if !ok {
			t.Fatalf("the platform accepted a body no record holds: %s %.200s", m.Path, body)
		}
		out = append(out, delivered{seq, m.Path})
	}
	return out
}

// allRecords lists every record of the queue.
func allRecords(t *testing.T, q report.Queue, n int) []report.Record {
	t.Helper()
	var out []report.Record
	for seq := uint64(1); len(out) < n && seq < uint64(n)*4+10; seq++ {
		r, err := q.Get(context.Background(), seq)
		if err == nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func enqueue(t *testing.T, q report.Queue, now time.Time, ds []report.Draft) []report.Enqueued {
	t.Helper()
	res, err := q.Enqueue(context.Background(), now, ds...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustDate(y, m, d int) wht93.Date {
	return wht93.DateOf(time.Date(y, time.Month(m), d, 12, 0, 0, 0, wht93.CST))
}

// clockNow is a fixed instant for tests that need one.
var clockNow = time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST)

func newMemoryQueue() *memory.Queue { return memory.NewQueue() }

func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}
