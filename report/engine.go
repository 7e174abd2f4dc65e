package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
)

// Sender sends a stored body to the platform and returns the answer's data.
// *client.Client implements it (client.Client.SendStored); its errors are
// classified with client.Classify.
type Sender interface {
	SendStored(ctx context.Context, path string, body []byte) (json.RawMessage, error)
}

// Clock tells the time and waits. Inject one in tests; nil means the system
// clock.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ErrEngineConfig is the rule that an engine configuration is complete.
var ErrEngineConfig = wht93.NewRule("report.engine.config", "上报引擎配置错误", "delivery engine configuration invalid")

// EngineConfig configures an [Engine]. Queue and Sender are required; every
// other field has a default.
type EngineConfig struct {
	Queue  Queue
	Sender Sender
	// Codes keeps the session codes (default: a [MemoryCodeBook], which does not
	// survive a restart: a host whose queue does should supply a durable one).
	Codes CodeBook
	// Clock tells the time for leases, back-off, the rate and deadlines
	// (default: the system clock).
	Clock Clock
	// LeaseTTL is how long a leased record stays with this engine (default 1 min);
	// a send is cut off at LeaseTTL·3/4 so that it ends before the lease does.
	LeaseTTL time.Duration
	// LeaseMax is how many records one pass leases (default 200).
	LeaseMax int
	// InFlight is how many requests are sent at the same time (default 20).
	InFlight int
	// Rate is the most requests per second (default 100); Burst the most sent at
	// once after a quiet time (default 20). The backlog after an outage goes out
	// at this rate.
	Rate  float64
	Burst int
	// MinBackoff and MaxBackoff shape the engine's back-off after a retryable
	// failure: 1 s, doubling with each failed round, up to 5 min.
	MinBackoff, MaxBackoff time.Duration
	// CodeWait is when a record whose session code is not known yet is tried
	// again (default 1 s).
	CodeWait time.Duration
	// Idle is how long Run waits when nothing is due and nobody called Notify
	// (default 1 s).
	Idle time.Duration
	// OnAlert is called when the engine pauses because an operator is needed
	// (4100, 4300, 4400, a TLS failure): it must return quickly. Optional.
	OnAlert func(Alert)
	// OnDelivered is called after each record is acked, with whether it was
	// late (backfill, 补报). It must return quickly. Optional.
	OnDelivered func(r Record, backfill bool)
	// Logger receives one line per failure and pause; never a body (default:
	// discard).
	Logger *slog.Logger
}

// Alert says why the engine paused: the record whose answer needs an
// operator, and that answer.
type Alert struct {
	Time     time.Time
	Seq      uint64
	Endpoint string
	// Code is the platform's result code (4100, 4300, 4400), 0 when none.
	Code int
	Err  error
}

// EngineStats are the engine's counters since it was made.
type EngineStats struct {
	Requests int64 // requests sent
	Acked    int64 // records delivered
	Backfill int64 // of those, delivered after their due time (补报)
	Retried  int64 // records returned to the queue for a later attempt
	Buried   int64 // records buried on a permanent error
	LostAcks int64 // answers whose lease had been taken by another sender
	Paused   bool
}

// Engine drains a report [Queue] to the platform through a [Sender]: due
// records oldest first, up to InFlight requests at once at a bounded rate,
// each record of an ordering stream after the one ahead of it, session
// references resolved from the [CodeBook]. Each answer is classified with
// client.Classify:
//
//   - success: the record is acked (and, for /performance/code, the codes
//     saved first);
//   - Retryable: the record, and the rest of its stream's run, go back to the
//     queue with the cause and the engine's back-off as their next time; the
//     engine sends nothing until then. Back-off is the engine's, not the
//     record's, so that after an outage every record waiting is due again at
//     once and the backlog goes out in sequence, oldest first;
//   - Permanent (4000, a request the client refuses): the record is buried
//     with the platform's message; the rest goes on;
//   - NeedsOperator (4100, 4300, 4400): the record is returned to the queue,
//     the engine pauses and calls OnAlert; [Engine.Resume] restarts it.
//
// A record whose session reference has no code yet is returned to the queue
// for CodeWait: it is never sent before its session code.
//
// Several engines may drain one queue (several processes on one PostgreSQL
// queue): leases keep them from sending a record twice at the same time.
// When Run's context ends, the engine stops leasing; a record whose answer
// arrived is acked or retried, any other stays leased until its lease
// expires, and is sent again then: nothing is lost.
//
// An Engine is safe for concurrent use; Run must not be called twice at once.
type Engine struct {
	cfg   EngineConfig
	clock Clock
	log   *slog.Logger

	bucket *bucket
	wake   chan struct{}

	mu        sync.Mutex
	stats     EngineStats
	fails     int       // consecutive failed rounds
	holdUntil time.Time // nothing is sent before this
	paused    *Alert
}

// NewEngine checks cfg and returns an engine. It starts nothing: call Run.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	var vs wht93.Violations
	if cfg.Queue == nil {
		vs = append(vs, ErrEngineConfig.Atf("Queue", "nil", "缺少队列", "Queue is required"))
	}
	if cfg.Sender == nil {
		vs = append(vs, ErrEngineConfig.Atf("Sender", "nil", "缺少发送方", "Sender is required"))
	}
	if cfg.LeaseTTL != 0 && (cfg.LeaseTTL < time.Second || cfg.LeaseTTL > MaxTTL) {
		vs = append(vs, ErrEngineConfig.Atf("LeaseTTL", cfg.LeaseTTL.String(), "租约时长须在1秒至30天之间", "LeaseTTL must lie between 1 s and 30 days"))
	}
	if cfg.LeaseMax < 0 || cfg.LeaseMax > MaxLease {
		vs = append(vs, ErrEngineConfig.Atf("LeaseMax", fmt.Sprint(cfg.LeaseMax), "须在0至10000之间", "must lie between 0 and 10000"))
	}
	if cfg.InFlight < 0 || cfg.Burst < 0 || cfg.Rate < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.CodeWait < 0 || cfg.Idle < 0 {
		vs = append(vs, ErrEngineConfig.Atf("EngineConfig", "negative", "数值不能为负", "no field may be negative"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&cfg.LeaseTTL, time.Minute)
	def(&cfg.MinBackoff, time.Second)
	def(&cfg.MaxBackoff, 5*time.Minute)
	def(&cfg.CodeWait, time.Second)
	def(&cfg.Idle, time.Second)
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.LeaseMax == 0 {
		cfg.LeaseMax = 200
	}
	if cfg.InFlight == 0 {
		cfg.InFlight = 20
	}
	if cfg.Rate == 0 {
		cfg.Rate = 100
	}
	if cfg.Burst == 0 {
		cfg.Burst = 20
	}
	if cfg.Codes == nil {
		cfg.Codes = &MemoryCodeBook{}
	}
	e := &Engine{cfg: cfg, clock: cfg.Clock, log: cfg.Logger, wake: make(chan struct{}, 1)}
	if e.clock == nil {
		e.clock = systemClock{}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.log = e.log.With("component", "wht93/report.engine")
	e.bucket = &bucket{clock: e.clock, rate: cfg.Rate, burst: float64(cfg.Burst), tokens: float64(cfg.Burst), last: e.clock.Now()}
	return e, nil
}

// Notify wakes Run at once, for example after an Enqueue.
func (e *Engine) Notify() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Resume ends a pause (after an operator fixed what the alert named) and
// wakes Run. It does nothing when the engine is not paused.
func (e *Engine) Resume() {
	e.mu.Lock()
	e.paused = nil
	e.mu.Unlock()
	e.Notify()
}

// Paused returns the alert that paused the engine, or nil.
func (e *Engine) Paused() *Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.paused == nil {
		return nil
	}
	a := *e.paused
	return &a
}

// Stats returns the engine's counters.
func (e *Engine) Stats() EngineStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats
	s.Paused = e.paused != nil
	return s
}

// Late returns the records not delivered whose due time is before now+horizon,
// oldest first: late ones with horizon 0, late or at risk with a positive
// horizon. Buried records that missed their deadline are included.
func (e *Engine) Late(ctx context.Context, horizon time.Duration) ([]Record, error) {
	q := ListQuery{Filter: ListLate, Now: e.clock.Now().Add(horizon), Limit: MaxList}
	var out []Record
	for {
		recs, err := e.cfg.Queue.List(ctx, q)
		if err != nil {
			return out, err
		}
		out = append(out, recs...)
		if len(recs) < q.Limit {
			return out, nil
		}
		q.After = recs[len(recs)-1].Seq
	}
}

// Pass is what one [Engine.DrainOnce] did.
type Pass struct {
	Leased int // records leased
	// Held reports that the engine sent nothing because it is paused or
	// backing off; Until is when the back-off ends (zero when paused).
	Held  bool
	Until time.Time
}

// Run drains the queue until ctx ends, then returns nil once every goroutine
// it started has finished. A failing queue is logged and tried again after
// Idle.
func (e *Engine) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		p, err := e.DrainOnce(ctx)
		if err != nil && ctx.Err() == nil {
			e.log.Warn("queue failed", "err", err)
		}
		if err == nil && !p.Held && p.Leased > 0 {
			continue // there may be more
		}
		wait := e.cfg.Idle
		if p.Held && !p.Until.IsZero() {
			wait = min(wait, max(p.Until.Sub(e.clock.Now()), 0))
		}
		select {
		case <-ctx.Done():
		case <-e.wake:
		case <-e.clock.After(wait):
		}
	}
	return nil
}

// DrainOnce leases one batch of due records and sends them, returning when
// every answer is dealt with. Run calls it in a loop; tests and hosts with
// their own scheduler may call it directly.
func (e *Engine) DrainOnce(ctx context.Context) (Pass, error) {
	now := e.clock.Now()
	e.mu.Lock()
	paused, hold := e.paused != nil, e.holdUntil
	e.mu.Unlock()
	if paused {
		return Pass{Held: true}, nil
	}
	if now.Before(hold) {
		return Pass{Held: true, Until: hold}, nil
	}
	recs, err := e.cfg.Queue.Lease(ctx, now, e.cfg.LeaseTTL, e.cfg.LeaseMax)
	if err != nil || len(recs) == 0 {
		return Pass{}, err
	}
	// Session codes first, so that the reports leased with them resolve.
	var first, then [][]Record
	for _, ch := range chainsOf(recs) {
		if ch[0].Endpoint == client.PathSessionCode {
			first = append(first, ch)
		} else {
			then = append(then, ch)
		}
	}
	e.sendAll(ctx, first)
	e.sendAll(ctx, then)
	return Pass{Leased: len(recs)}, nil
}

// sendAll sends chains, up to InFlight at once, and returns when all are done.
func (e *Engine) sendAll(ctx context.Context, chains [][]Record) {
	work := make(chan []Record)
	var wg sync.WaitGroup
	for range min(e.cfg.InFlight, len(chains)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range work {
				e.sendChain(ctx, ch)
			}
		}()
	}
	for _, ch := range chains {
		work <- ch
	}
	close(work)
	wg.Wait()
}

// chainsOf groups leased records into runs that must go in order: the
// records of one stream, in sequence; a record without a stream alone. The
// chains come in the order of their first record.
func chainsOf(recs []Record) [][]Record {
	var out [][]Record
	at := map[string]int{}
	for _, r := range recs {
		if r.Stream == "" {
			out = append(out, []Record{r})
			continue
		}
		if i, ok := at[r.Stream]; ok {
			out[i] = append(out[i], r)
			continue
		}
		at[r.Stream] = len(out)
		out = append(out, []Record{r})
	}
	return out
}

// sendChain sends the records of one chain in order.
func (e *Engine) sendChain(ctx context.Context, chain []Record) {
	for i, rec := range chain {
		rest := chain[i:]
		if ctx.Err() != nil {
			return // left leased: sent again when the leases expire
		}
		e.mu.Lock()
		stop, hold := e.paused != nil, e.holdUntil
		e.mu.Unlock()
		if now := e.clock.Now(); stop || now.Before(hold) {
			if hold.Before(now) {
				hold = now
			}
			e.retry(ctx, hold, "上报引擎暂停或退避中，稍后重发 / engine paused or backing off", rest)
			return
		}
		if rec.LeaseExpiry.Sub(e.clock.Now()) < e.cfg.LeaseTTL*3/4 {
			// A long run: the lease would end during the send and another
			// sender could take the record meanwhile. Hand the rest back.
			e.retry(ctx, e.clock.Now(), "租约将尽，未发送 / lease running short, not sent", rest)
			return
		}
		body, missing, err := e.resolve(ctx, rec.Body)
		if err != nil {
			e.retry(ctx, e.clock.Now().Add(e.cfg.CodeWait), "场次编码簿不可用 / code book failed: "+err.Error(), rest)
			return
		}
		if missing != "" {
			e.retry(ctx, e.clock.Now().Add(e.cfg.CodeWait),
				ErrSessionRef.Atf("sessionCode", SessionRef(missing), "等待场次编码", "waiting for the session code").Error(), rest)
			return
		}
		if err := e.bucket.wait(ctx); err != nil {
			return
		}
		sctx, cancel := context.WithTimeout(ctx, e.cfg.LeaseTTL*3/4)
		data, err := e.cfg.Sender.SendStored(sctx, rec.Endpoint, body)
		cancel()
		e.count(func(s *EngineStats) { s.Requests++ })
		if err != nil && ctx.Err() != nil {
			return // no answer we can trust: left leased
		}
		switch client.Classify(err) {
		case 0:
			if !e.delivered(ctx, rec, data) {
				e.retry(ctx, e.failed(), "平台应答缺少场次编码或编码未能保存 / session codes missing from the answer or not saved", rest)
				return
			}
		case client.Permanent:
			e.bury(ctx, rec, err)
		case client.NeedsOperator:
			e.pause(rec, err)
			e.retry(ctx, e.clock.Now(), err.Error(), rest)
			return
		default: // Retryable
			e.retry(ctx, e.failed(), err.Error(), rest)
			return
		}
	}
}

// resolve replaces the session references of body by their codes.
func (e *Engine) resolve(ctx context.Context, body []byte) ([]byte, string, error) {
	var lerr error
	out, missing := resolveRefs(body, func(id string) (string, bool) {
		code, ok, err := e.cfg.Codes.SessionCode(ctx, id)
		if err != nil && lerr == nil {
			lerr = err
		}
		return code, ok && err == nil
	})
	if lerr != nil {
		return nil, "", lerr
	}
	return out, missing, nil
}

// delivered saves the codes of a /performance/code answer, then acks rec.
// It reports false when the answer lacks the 21-digit code of a session of
// the request or the codes could not be saved (the record is then sent
// again later and the platform answers the same codes).
func (e *Engine) delivered(ctx context.Context, rec Record, data json.RawMessage) bool {
	e.mu.Lock()
	e.fails = 0
	e.mu.Unlock()
	if rec.Endpoint == client.PathSessionCode {
		var codes client.SessionCodes
		if err := json.Unmarshal(data, &codes); err != nil {
			e.log.Warn("session codes unreadable", "seq", rec.Seq, "err", err)
			return false
		}
		var req client.SessionCodeRequest
		if err := json.Unmarshal(rec.Body, &req); err == nil {
			for _, si := range req.SessionList {
				if len(codes[si.SessionID]) != 21 {
					e.log.Warn("answer lacks a session code", "seq", rec.Seq, "sessionId", si.SessionID)
					return false
				}
			}
		}
		if err := e.cfg.Codes.SaveSessionCodes(ctx, codes); err != nil {
			e.log.Warn("session codes not saved", "seq", rec.Seq, "err", err)
			return false
		}
	}
	now := e.clock.Now()
	err := e.cfg.Queue.Ack(context.WithoutCancel(ctx), now, rec.Claim())
	if err != nil {
		e.lost(rec, "ack", err)
		return true
	}
	late := now.After(rec.Due)
	e.count(func(s *EngineStats) {
		s.Acked++
		if late {
			s.Backfill++
		}
	})
	if e.cfg.OnDelivered != nil {
		rec.State, rec.Done = Acked, Micro(now)
		e.cfg.OnDelivered(rec, late)
	}
	return true
}

func (e *Engine) bury(ctx context.Context, rec Record, cause error) {
	e.log.Warn("record buried", "seq", rec.Seq, "endpoint", rec.Endpoint, "err", cause)
	if err := e.cfg.Queue.Bury(context.WithoutCancel(ctx), e.clock.Now(), ClipCause(cause.Error()), rec.Claim()); err != nil {
		e.lost(rec, "bury", err)
		return
	}
	e.count(func(s *EngineStats) { s.Buried++ })
}

func (e *Engine) retry(ctx context.Context, next time.Time, cause string, recs []Record) {
	claims := make([]Claim, len(recs))
	for i, r := range recs {
		claims[i] = r.Claim()
	}
	if err := e.cfg.Queue.Retry(context.WithoutCancel(ctx), next, ClipCause(cause), claims...); err != nil {
		e.lost(recs[0], "retry", err)
		if !errors.Is(err, ErrLeaseLost) {
			return
		}
	}
	e.count(func(s *EngineStats) { s.Retried += int64(len(recs)) })
}

func (e *Engine) lost(rec Record, op string, err error) {
	if errors.Is(err, ErrLeaseLost) {
		e.count(func(s *EngineStats) { s.LostAcks++ })
	}
	e.log.Warn("queue refused "+op, "seq", rec.Seq, "err", err)
}

// failed records a retryable failure and returns the time until which the
// engine holds: the first failure of a round starts a new round with a
// doubled back-off; failures within the round share its end, so that every
// record retried in it is due again at the same instant.
func (e *Engine) failed() time.Time {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !now.Before(e.holdUntil) {
		e.fails++
		d := e.cfg.MinBackoff
		for i := 1; i < e.fails && d < e.cfg.MaxBackoff; i++ {
			d *= 2
		}
		e.holdUntil = now.Add(min(d, e.cfg.MaxBackoff))
	}
	return e.holdUntil
}

func (e *Engine) pause(rec Record, err error) {
	a := Alert{Time: e.clock.Now(), Seq: rec.Seq, Endpoint: rec.Endpoint, Err: err}
	var ce *client.Error
	if errors.As(err, &ce) {
		a.Code = ce.Code
	}
	e.mu.Lock()
	first := e.paused == nil
	if first {
		e.paused = &a
	}
	e.mu.Unlock()
	e.log.Error("delivery paused: operator needed", "seq", rec.Seq, "endpoint", rec.Endpoint, "err", err)
	if first && e.cfg.OnAlert != nil {
		e.cfg.OnAlert(a)
	}
}

func (e *Engine) count(f func(*EngineStats)) {
	e.mu.Lock()
	f(&e.stats)
	e.mu.Unlock()
}

// bucket is a token bucket on requests per second.
type bucket struct {
	clock Clock
	mu    sync.Mutex
	rate  float64
	burst float64

	tokens float64
	last   time.Time
}

func (b *bucket) wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.clock.Now()
		if el := now.Sub(b.last); el > 0 {
			b.tokens = min(b.burst, b.tokens+el.Seconds()*b.rate)
			b.last = now
		}
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		d := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.clock.After(max(d, time.Millisecond)):
		}
	}
}
