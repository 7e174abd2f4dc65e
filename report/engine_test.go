package report_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/memory"
)

func newEngine(t *testing.T, cfg report.EngineConfig) *report.Engine {
	t.Helper()
	e, err := report.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// run starts e.Run and returns a stop function that cancels it and waits.
func run(t *testing.T, e *report.Engine) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(func() {
		if ctx.Err() == nil {
			stop()
		}
	})
	return stop
}

func depth(t *testing.T, q report.Queue) int64 {
	s, err := q.Stats(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s.Depth
}

// checkDelivery checks that every record arrived, that within each endpoint
// the first arrivals come oldest first (strict: the engine sends one at a
// time), and that every arrival of a record carried its one body.
func checkDelivery(t *testing.T, w *world, n int, strict bool) {
	t.Helper()
	recs := allRecords(t, w.q, n)
	if len(recs) != n {
		t.Fatalf("%d records in the queue, want %d", len(recs), n)
	}
	for _, r := range recs {
		if r.State != report.Acked {
			t.Errorf("record %d (%s) is %s: %s", r.Seq, r.Endpoint, r.State, r.LastCause)
		}
	}
	got := accepted(t, w, recs)
	seen := map[uint64]bool{}
	last := map[string]uint64{}
	byStream := map[string]uint64{}
	stream := map[uint64]string{}
	for _, r := range recs {
		stream[r.Seq] = r.Stream
	}
	for _, d := range got {
		if seen[d.seq] {
			continue
		}
		seen[d.seq] = true
		if strict && d.seq < last[d.endpoint] {
			t.Errorf("%s: record %d arrived after record %d", d.endpoint, d.seq, last[d.endpoint])
		}
		last[d.endpoint] = max(last[d.endpoint], d.seq)
		if s := stream[d.seq]; s != "" {
			if d.seq < byStream[s] {
				t.Errorf("stream %s: record %d arrived after record %d", s, d.seq, byStream[s])
			}
			byStream[s] = d.seq
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct records accepted, want %d", len(seen), n)
	}
}

// TestEngineOutage cuts the platform off in the middle of a performance:
// everything arrives after recovery, by itself, oldest first within each
// endpoint, nothing twice with a different content.
func TestEngineOutage(t *testing.T) {
	w := newWorld(t, nil)
	ds := w.show(t, "OUT", 3, 450)
	half := len(ds) / 2
	e := newEngine(t, report.EngineConfig{Queue: w.q, Sender: w.c, InFlight: 1, Rate: 5000, Burst: 50,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, Idle: 5 * time.Millisecond})
	run(t, e)
	enqueue(t, w.q, time.Now(), ds[:half])
	e.Notify()
	waitFor(t, "first half delivered", func() bool { return depth(t, w.q) == 0 })

	w.sim.SetOutage(true)
	enqueue(t, w.q, time.Now(), ds[half:])
	e.Notify()
	waitFor(t, "failures during the outage", func() bool { return e.Stats().Retried >= 3 })
	if depth(t, w.q) != int64(len(ds)-half) {
		t.Fatalf("depth %d during the outage, want %d", depth(t, w.q), len(ds)-half)
	}
	w.sim.SetOutage(false)
	waitFor(t, "backlog delivered", func() bool { return depth(t, w.q) == 0 })
	checkDelivery(t, w, len(ds), true)
	if s := e.Stats(); s.Buried != 0 || s.Acked != int64(len(ds)) {
		t.Fatalf("stats %+v", s)
	}
}

// TestEngineStorm sends with 20 requests in flight through storms of 5100,
// 5000, HTTP 503 and 429 and dropped connections: every record arrives, each stream in order.
func TestEngineStorm(t *testing.T) {
	w := newWorld(t, nil)
	ds := w.show(t, "STORM", 4, 700)
	enqueue(t, w.q, time.Now(), ds)
	for _, f := range []platformsim.Fault{
		{Path: client.PathTicket, Code: client.CodeBusy, Times: 15},
		{Path: client.PathOrder, Code: client.CodeSystemError, Times: 3},
		{Path: client.PathChecking, HTTPStatus: 503, Times: 3},
		{Path: client.PathInventory, Drop: true, Times: 2},
		{Path: client.PathRefundOrder, HTTPStatus: 429, Times: 2},
		{Code: client.CodeBusy, Times: 1}, // may hit /getAccessToken: the client then waits 1 s
	} {
		w.sim.Inject(f)
	}
	e := newEngine(t, report.EngineConfig{Queue: w.q, Sender: w.c, Rate: 5000, Burst: 50,
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, Idle: 5 * time.Millisecond})
	run(t, e)
	waitFor(t, "storm survived", func() bool {
		if d := depth(t, w.q); d != 0 {
			r, _ := w.q.Get(context.Background(), 1)
			t.Logf("depth %d, stats %+v, faults left %d, first %s %s", d, e.Stats(), w.sim.PendingFaults(), r.State, r.LastCause)
			return false
		}
		return true
	})
	w.sim.ClearFaults()
	checkDelivery(t, w, len(ds), false)
	if s := e.Stats(); s.Retried == 0 || s.Buried != 0 {
		t.Fatalf("stats %+v: want retries and no burial", s)
	}
}

// TestEngineBuriesOnlyThePermanentFailure: a 4000 on one record buries that
// record, with the platform's message; the others arrive.
func TestEngineBuriesOnlyThePermanentFailure(t *testing.T) {
	w := newWorld(t, nil)
	ds := w.show(t, "BAD", 2, 10)
	enqueue(t, w.q, time.Now(), ds)
	w.sim.Inject(platformsim.Fault{Path: client.PathChecking, Code: client.CodeInvalidParams, Msg: "checkingTime 格式错误"})
	e := newEngine(t, report.EngineConfig{Queue: w.q, Sender: w.c})
	for range 20 {
		if _, err := e.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	recs := allRecords(t, w.q, len(ds))
	var dead []report.Record
	for _, r := range recs {
		switch r.State {
		case report.Dead:
			dead = append(dead, r)
		case report.Acked:
		default:
			t.Errorf("record %d %s is %s: %s", r.Seq, r.Endpoint, r.State, r.LastCause)
		}
	}
	if len(dead) != 1 || dead[0].Endpoint != client.PathChecking || !strings.Contains(dead[0].LastCause, "checkingTime 格式错误") {
		t.Fatalf("dead: %d records, first %+v", len(dead), dead)
	}
	if s := e.Stats(); s.Buried != 1 || s.Acked != int64(len(ds)-1) {
		t.Fatalf("stats %+v", s)
	}
}

// TestEnginePausesOnOperatorErrors: 4300 pauses everything and alerts once;
// nothing is buried; Resume delivers the rest.
func TestEnginePausesOnOperatorErrors(t *testing.T) {
	for _, code := range []int{client.CodeBadCredentials, client.CodeNoPermission, client.CodeDockingStatus} {
		w := newWorld(t, nil)
		ds := w.show(t, "OP", 2, 5)
		enqueue(t, w.q, time.Now(), ds)
		var alerts []report.Alert
		var mu sync.Mutex
		e := newEngine(t, report.EngineConfig{Queue: w.q, Sender: w.c, OnAlert: func(a report.Alert) {
			mu.Lock()
			alerts = append(alerts, a)
			mu.Unlock()
		}})
		ctx := context.Background()
		w.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: code})
		for range 3 {
			if _, err := e.DrainOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if e.Paused() == nil || len(alerts) != 1 || alerts[0].Code != code {
			t.Fatalf("%d: paused %v, alerts %+v", code, e.Paused(), alerts)
		}
		calls := len(w.sim.Messages())
		p, err := e.DrainOnce(ctx)
		if err != nil || !p.Held || len(w.sim.Messages()) != calls {
			t.Fatalf("%d: a paused engine sent: %+v %v", code, p, err)
		}
		if s := e.Stats(); s.Buried != 0 {
			t.Fatalf("%d: buried while paused: %+v", code, s)
		}
		e.Resume()
		for range 10 {
			if _, err := e.DrainOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		checkDelivery(t, w, len(ds), false)
	}
}

// TestEngineSessionCodeFirst: reports enqueued before their session's code
// request wait for it; no report of a session reaches the platform before
// its code.
func TestEngineSessionCodeFirst(t *testing.T) {
	w := newWorld(t, nil)
	ds := w.show(t, "REF", 2, 30)
	// The code request last: every report comes before it in the queue.
	ds = append(ds[1:], ds[0])
	enqueue(t, w.q, time.Now(), ds)
	clock := newFakeClock(time.Now())
	// Five records a pass: the first pass holds session 0's reports only.
	e := newEngine(t, report.EngineConfig{Queue: w.q, Sender: w.c, Clock: clock, CodeWait: time.Minute, LeaseMax: 5})
	ctx := context.Background()
	if _, err := e.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := w.sim.Calls(client.PathInventory) + w.sim.Calls(client.PathTicket); n != 0 {
		t.Fatalf("%d reports sent before the session code", n)
	}
	first, err := w.q.Get(ctx, 1)
	if err != nil || first.State != report.Pending || !strings.Contains(first.LastCause, report.SessionRef("REF-S0")) ||
		!first.Next.Equal(report.Micro(clock.Now().Add(time.Minute))) {
		t.Fatalf("first record: %+v %v", first, err)
	}
	for range 30 {
		p, err := e.DrainOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Leased == 0 { // the rest waits for CodeWait
			clock.Advance(time.Minute)
		}
	}
	checkDelivery(t, w, len(ds), false)
	seenCode := false
	for _, m := range w.sim.Messages() {
		switch m.Path {
		case client.PathSessionCode:
			seenCode = true
		case client.PathInventory, client.PathTicket, client.PathOrder, client.PathRefundOrder, client.PathChecking:
			if !seenCode {
				t.Fatalf("%s reached the platform before /performance/code", m.Path)
			}
		}
	}
}

// fakeSender answers from a function and records what it was sent.
type fakeSender struct {
	mu     sync.Mutex
	sent   []string
	answer func(path string, body []byte) (json.RawMessage, error)
}

func (f *fakeSender) SendStored(ctx context.Context, path string, body []byte) (json.RawMessage, error) {
	f.mu.Lock()
	f.sent = append(f.sent, string(body))
	f.mu.Unlock()
	return f.answer(path, body)
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

var busy = &client.Error{Code: client.CodeBusy, Endpoint: client.PathTicket, HTTPStatus: 200}

// TestEngineBackoff: a retryable failure returns the record with its cause
// and the engine's back-off as its next time, doubling per failed round; the
// engine sends nothing until then.
func TestEngineBackoff(t *testing.T) {
	q := memory.NewQueue()
	clock := newFakeClock(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	fails := 2
	s := &fakeSender{answer: func(string, []byte) (json.RawMessage, error) {
		if fails > 0 {
			fails--
			return nil, busy
		}
		return nil, nil
	}}
	e := newEngine(t, report.EngineConfig{Queue: q, Sender: s, Clock: clock, MinBackoff: time.Second, MaxBackoff: time.Minute})
	enqueue(t, q, clock.Now(), []report.Draft{{Key: "a", Endpoint: client.PathTicket, Body: []byte(`{}`), Day: mustDate(2024, 6, 1)}})
	ctx := context.Background()
	for i, wait := range []time.Duration{time.Second, 2 * time.Second} {
		if _, err := e.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		r, _ := q.Get(ctx, 1)
		if r.State != report.Pending || r.Attempts != i+1 || !strings.Contains(r.LastCause, "5100") ||
			!r.Next.Equal(report.Micro(clock.Now().Add(wait))) {
			t.Fatalf("after failure %d: %+v", i+1, r)
		}
		clock.Advance(wait - time.Millisecond)
		if p, _ := e.DrainOnce(ctx); !p.Held || s.count() != i+1 {
			t.Fatalf("sent during back-off: %+v, %d sends", p, s.count())
		}
		clock.Advance(time.Millisecond)
	}
	if _, err := e.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(ctx, 1); r.State != report.Acked || r.Attempts != 3 {
		t.Fatalf("final: %+v", r)
	}
}

// TestEngineDeadlines: a record delivered after 12:00 the next day is counted
// and reported as backfill; Late lists what is late or at risk.
func TestEngineDeadlines(t *testing.T) {
	q := memory.NewQueue()
	day := mustDate(2024, 6, 1)
	clock := newFakeClock(time.Date(2024, 6, 2, 11, 0, 0, 0, wht93.CST))
	s := &fakeSender{answer: func(string, []byte) (json.RawMessage, error) { return nil, nil }}
	var backfill []uint64
	e := newEngine(t, report.EngineConfig{Queue: q, Sender: s, Clock: clock, OnDelivered: func(r report.Record, late bool) {
		if late {
			backfill = append(backfill, r.Seq)
		}
	}})
	ctx := context.Background()
	enqueue(t, q, clock.Now(), []report.Draft{
		{Key: "old", Endpoint: client.PathTicket, Body: []byte(`{}`), Day: day.AddDays(-1)},
		{Key: "today", Endpoint: client.PathTicket, Body: []byte(`{}`), Day: day}})
	late, err := e.Late(ctx, 0)
	if err != nil || len(late) != 1 || late[0].Key != "old" {
		t.Fatalf("late: %+v %v", late, err)
	}
	atRisk, _ := e.Late(ctx, 2*time.Hour)
	if len(atRisk) != 2 {
		t.Fatalf("at risk within 2 h: %+v", atRisk)
	}
	if _, err := e.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Acked != 2 || st.Backfill != 1 || len(backfill) != 1 || backfill[0] != 1 {
		t.Fatalf("stats %+v, backfill %v", st, backfill)
	}
}

// TestEngineStopsCleanly: a send cut off by the end of Run leaves its record
// leased; another engine delivers it when the lease expires. Two engines on
// one queue never send one record at the same time.
func TestEngineStopsCleanly(t *testing.T) {
	q := memory.NewQueue()
	clock := newFakeClock(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	ctxSend := make(chan context.Context, 1)
	hang := senderFunc(func(ctx context.Context, path string, body []byte) (json.RawMessage, error) {
		ctxSend <- ctx
		<-ctx.Done()
		return nil, &client.Error{Endpoint: path, Err: ctx.Err()}
	})
	e1 := newEngine(t, report.EngineConfig{Queue: q, Sender: hang, Clock: clock, LeaseTTL: time.Minute})
	enqueue(t, q, clock.Now(), []report.Draft{{Key: "a", Endpoint: client.PathTicket, Body: []byte(`{}`), Day: mustDate(2024, 6, 1)}})
	stop := run(t, e1)
	<-ctxSend
	stop()
	r, _ := q.Get(context.Background(), 1)
	if r.State != report.Leased {
		t.Fatalf("after stop: %+v", r)
	}
	ok := &fakeSender{answer: func(string, []byte) (json.RawMessage, error) { return nil, nil }}
	e2 := newEngine(t, report.EngineConfig{Queue: q, Sender: ok, Clock: clock})
	if p, _ := e2.DrainOnce(context.Background()); p.Leased != 0 {
		t.Fatal("a held lease was taken")
	}
	clock.Advance(time.Minute)
	if _, err := e2.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(context.Background(), 1); r.State != report.Acked {
		t.Fatalf("after expiry: %+v", r)
	}
}

type senderFunc func(ctx context.Context, path string, body []byte) (json.RawMessage, error)

func (f senderFunc) SendStored(ctx context.Context, path string, body []byte) (json.RawMessage, error) {
	return f(ctx, path, body)
}

// TestEnginesShareAQueue: several engines drain one queue; no record is sent
// twice.
func TestEnginesShareAQueue(t *testing.T) {
	q := memory.NewQueue()
	var drafts []report.Draft
	for i := range 500 {
		drafts = append(drafts, report.Draft{Key: "k" + itoa(i), Stream: "s" + itoa(i%7), Endpoint: client.PathTicket,
			Body: []byte(`{"n":` + itoa(i) + `}`), Day: mustDate(2024, 6, 1)})
	}
	enqueue(t, q, time.Now(), drafts)
	var mu sync.Mutex
	sent := map[string]int{}
	var inFlight atomic.Int32
	s := senderFunc(func(_ context.Context, _ string, body []byte) (json.RawMessage, error) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		mu.Lock()
		sent[string(body)]++
		mu.Unlock()
		return nil, nil
	})
	var stops []func()
	for range 3 {
		stops = append(stops, run(t, newEngine(t, report.EngineConfig{Queue: q, Sender: s, LeaseMax: 20, Rate: 1e6, Burst: 1000, Idle: time.Millisecond})))
	}
	waitFor(t, "queue drained", func() bool { return depth(t, q) == 0 })
	for _, stop := range stops {
		stop()
	}
	if len(sent) != 500 {
		t.Fatalf("%d distinct bodies sent", len(sent))
	}
	for b, n := range sent {
		if n != 1 {
			t.Fatalf("%s sent %d times", b, n)
		}
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestNewEngineConfig(t *testing.T) {
	_, err := report.NewEngine(report.EngineConfig{LeaseTTL: time.Millisecond, InFlight: -1})
	vs := wht93.ViolationsOf(err)
	if !errors.Is(err, report.ErrEngineConfig) || len(vs) != 4 {
		t.Fatalf("got %v", err)
	}
}

// TestEngineRate: the token bucket bounds the requests per second, also for
// a backlog: with Rate 2 and Burst 1, sends are at least 500 ms apart.
func TestEngineRate(t *testing.T) {
	q := memory.NewQueue()
	clock := newFakeClock(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	var mu sync.Mutex
	var times []time.Time
	s := senderFunc(func(context.Context, string, []byte) (json.RawMessage, error) {
		mu.Lock()
		times = append(times, clock.Now())
		mu.Unlock()
		return nil, nil
	})
	var ds []report.Draft
	for i := range 5 {
		ds = append(ds, report.Draft{Key: itoa(i), Endpoint: client.PathTicket, Body: []byte(`{}`), Day: mustDate(2024, 6, 1)})
	}
	enqueue(t, q, clock.Now(), ds)
	e := newEngine(t, report.EngineConfig{Queue: q, Sender: s, Clock: clock, Rate: 2, Burst: 1, InFlight: 5})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := e.DrainOnce(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	sent := func() int { mu.Lock(); defer mu.Unlock(); return len(times) }
	for k := 1; k < 5; k++ {
		waitFor(t, "a send", func() bool { return sent() >= k })
		waitFor(t, "the senders to wait for a token", func() bool { return clock.pending() > 0 })
		clock.Advance(250 * time.Millisecond)
		clock.Advance(250 * time.Millisecond)
	}
	<-done
	if len(times) != 5 {
		t.Fatalf("%d sends", len(times))
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < 500*time.Millisecond {
			t.Fatalf("sends %d and %d %v apart", i-1, i, d)
		}
	}
}

// TestEngineReleasesShortLeases: a record whose lease has run short by the
// time its turn in a run comes is handed back unsent, so that no other
// sender can take it while it is on the wire.
func TestEngineReleasesShortLeases(t *testing.T) {
	q := memory.NewQueue()
	clock := newFakeClock(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	s := senderFunc(func(context.Context, string, []byte) (json.RawMessage, error) {
		clock.Advance(20 * time.Second) // a slow platform
		return nil, nil
	})
	var ds []report.Draft
	for i := range 3 {
		ds = append(ds, report.Draft{Key: itoa(i), Stream: "s", Endpoint: client.PathTicket, Body: []byte(`{}`), Day: mustDate(2024, 6, 1)})
	}
	enqueue(t, q, clock.Now(), ds)
	e := newEngine(t, report.EngineConfig{Queue: q, Sender: s, Clock: clock, LeaseTTL: time.Minute})
	if _, err := e.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Record 1 goes at 0 s (leases end at 60 s); at 20 s only 40 s are left,
	// less than the 45 s a send may take: 2 and 3 are handed back.
	want := []report.State{report.Acked, report.Pending, report.Pending}
	for i, st := range want {
		r, _ := q.Get(context.Background(), uint64(i+1))
		if r.State != st {
			t.Fatalf("record %d: %s (%s), want %s", i+1, r.State, r.LastCause, st)
		}
	}
	if _, err := e.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(context.Background(), 2); r.State != report.Acked {
		t.Fatalf("record 2 after a new lease: %s", r.State)
	}
}

// TestEngineCodeAnswerIncomplete: a /performance/code answer without a code
// for one of the request's sessions is not acked; it is retried with back-off.
func TestEngineCodeAnswerIncomplete(t *testing.T) {
	q := memory.NewQueue()
	clock := newFakeClock(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	answer := `{"S1":"110101001012024050101"}`
	s := senderFunc(func(context.Context, string, []byte) (json.RawMessage, error) { return json.RawMessage(answer), nil })
	book := &report.MemoryCodeBook{}
	e := newEngine(t, report.EngineConfig{Queue: q, Sender: s, Clock: clock, Codes: book})
	enqueue(t, q, clock.Now(), []report.Draft{{Key: "c", Endpoint: client.PathSessionCode,
		Body: []byte(`{"performanceId":"P","sessionList":[{"sessionId":"S1"},{"sessionId":"S2"}]}`), Day: mustDate(2024, 6, 1)}})
	ctx := context.Background()
	if _, err := e.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(ctx, 1); r.State != report.Pending || !strings.Contains(r.LastCause, "session codes missing") {
		t.Fatalf("incomplete answer: %+v", r)
	}
	answer = `{"S1":"110101001012024050101","S2":"110101001012024050102"}`
	clock.Advance(time.Second)
	if _, err := e.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if code, ok, _ := book.SessionCode(ctx, "S2"); !ok || code != "110101001012024050102" {
		t.Fatalf("S2: %q %v", code, ok)
	}
	if r, _ := q.Get(ctx, 1); r.State != report.Acked {
		t.Fatalf("complete answer: %+v", r)
	}
}
