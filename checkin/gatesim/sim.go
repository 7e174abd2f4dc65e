package gatesim

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/ticket"
)

// Kind is what a simulated scan presents. It is a small value, safe for
// concurrent use.
type Kind uint8

// The kinds of scan.
const (
	Fresh        Kind = iota + 1 // a valid ticket's QR code, its first entry
	IDCard                       // a valid ticket's holder's ID card, its first entry
	Duplicate                    // a ticket that already entered, again through the same gate
	Forged                       // a code signed with another key
	Unreadable                   // something that is not a code (a URL, a damaged print)
	Refunded                     // a refunded ticket's code
	Void                         // a void ticket's code
	WrongSession                 // a ticket of another session
)

var kindNames = [...]string{Fresh: "fresh", IDCard: "id-card", Duplicate: "duplicate", Forged: "forged",
	Unreadable: "unreadable", Refunded: "refunded", Void: "void", WrongSession: "wrong-session"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Mix is the share of each kind of scan, from 0 to 1; what the shares leave
// is Fresh. A Mix is a plain value.
type Mix struct {
	IDCard, Duplicate, Forged, Unreadable, Refunded, Void, WrongSession float64
}

// Config configures a simulation (8.2.3 检票设备模拟器). It is a plain value,
// read once by New.
type Config struct {
	// Gates is the number of simulated gates, each with one device (1–1000).
	Gates int
	// Rate is each gate's scans per second, in the simulation's time (above 0).
	Rate float64
	// Scans is the total number of scans (1 and more).
	Scans int
	// Mix is the share of each kind of scan.
	Mix Mix
	// Max is the node's maximum of entries per ticket (0 means 1): what the
	// simulator expects of a duplicate.
	Max int
	// Seed makes the schedule: the same seed, the same scans.
	Seed uint64
	// Realtime paces the scans at their times (a demonstration); otherwise
	// each gate sends its next scan as soon as the last is answered.
	Realtime bool
	// HeartbeatEvery makes each device send a heartbeat every that many of its
	// scans, with its battery running down (0: none).
	HeartbeatEvery int
	// Network is what the devices' heartbeats say: checkin.NetOnline or
	// checkin.NetLAN (0 means online).
	Network checkin.Network
}

// Result is one scan and its answer. It is a plain value, safe for concurrent
// reads.
type Result struct {
	Gate     int
	Kind     Kind
	Scan     checkin.Scan
	Decision checkin.Decision
	Err      error // the transport's or the node's error: the decision is unknown
	// Want is the rule a refusal should carry, nil for an admission; Expected
	// says whether the answer was that.
	Want     *wht93.Rule
	Expected bool
}

// Summary counts a simulation's results. It is a plain value; its maps are
// the caller's once Run returns.
type Summary struct {
	Scans      int
	Accepted   int
	Refused    map[string]int // by reason code
	ByKind     map[Kind]int
	Unexpected int
	Errors     int
	Elapsed    time.Duration // wall time
}

// Codes returns the reason codes of s.Refused in order.
func (s Summary) Codes() []string { return slices.Sorted(maps.Keys(s.Refused)) }

// Sim is a set of simulated gates scanning against a node, in process or over
// HTTP. It knows what each scan should get and checks the answer. A Sim is
// used by one Run at a time.
type Sim struct {
	fx     *Fixture
	gate   node.Gate
	cfg    Config
	forger *ticket.Signer
}

// New returns a simulation of cfg against target with the fixture's tickets.
func New(fx *Fixture, target node.Gate, cfg Config) (*Sim, error) {
	var bad []string
	if fx == nil || target == nil {
		bad = append(bad, "fixture and target are required")
	}
	if cfg.Gates < 1 || cfg.Gates > 1000 {
		bad = append(bad, "gates must be 1 to 1000")
	}
	if !(cfg.Rate > 0) || cfg.Rate > 1e6 {
		bad = append(bad, "rate must be above 0 (and at most 1e6)")
	}
	if cfg.Scans < 1 {
		bad = append(bad, "scans must be at least 1")
	}
	m := cfg.Mix
	sum := 0.0
	for _, v := range []float64{m.IDCard, m.Duplicate, m.Forged, m.Unreadable, m.Refunded, m.Void, m.WrongSession} {
		if v < 0 || v > 1 {
			bad = append(bad, "each share of the mix must be 0 to 1")
			break
		}
		sum += v
	}
	if sum > 1 {
		bad = append(bad, "the shares of the mix add up to more than 1")
	}
	if cfg.Max < 0 || cfg.Max > checkin.MaxEntries || cfg.HeartbeatEvery < 0 {
		bad = append(bad, "max and heartbeat interval must not be negative")
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("gatesim: %s", strings.Join(bad, "; "))
	}
	if cfg.Max == 0 {
		cfg.Max = 1
	}
	if cfg.Network == 0 {
		cfg.Network = checkin.NetOnline
	}
	forger, err := ticket.NewSigner(fx.Signer.KeyID(), ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		return nil, err
	}
	return &Sim{fx: fx, gate: target, cfg: cfg, forger: forger}, nil
}

// planned is one scan of the schedule.
type planned struct {
	gate int
	kind Kind
	scan checkin.Scan
	want *wht93.Rule
}

// Plan returns the schedule of scans, gate by gate, each gate's in time order.
// It is deterministic: the same fixture and configuration give the same plan.
func (s *Sim) Plan() ([][]checkin.Scan, error) {
	p, err := s.plan()
	if err != nil {
		return nil, err
	}
	out := make([][]checkin.Scan, len(p))
	for g := range p {
		for _, x := range p[g] {
			out[g] = append(out[g], x.scan)
		}
	}
	return out, nil
}

func (s *Sim) plan() ([][]planned, error) {
	rng := rand.New(rand.NewPCG(s.cfg.Seed, 0x823))
	perGate := make([][]planned, s.cfg.Gates)
	used := make([][]int, s.cfg.Gates) // tickets each gate admitted, with their entries so far
	entries := map[int]int{}
	next := 0
	step := time.Duration(float64(time.Second) / s.cfg.Rate)
	m := s.cfg.Mix
	for k := range s.cfg.Scans {
		g := k % s.cfg.Gates
		j := len(perGate[g])
		at := s.fx.Doors().Add(time.Duration(j)*step + time.Duration(g)*step/time.Duration(s.cfg.Gates+1))
		name := fmt.Sprintf("G%02d", g+1)
		sc := checkin.Scan{ID: fmt.Sprintf("sim-%d-%s-%06d", s.cfg.Seed, name, j), Method: checkin.QR,
			Gate: name, Device: name + "-D1", At: at}
		r := rng.Float64()
		kind := Fresh
		for _, c := range []struct {
			share float64
			k     Kind
		}{{m.IDCard, IDCard}, {m.Duplicate, Duplicate}, {m.Forged, Forged}, {m.Unreadable, Unreadable},
			{m.Refunded, Refunded}, {m.Void, Void}, {m.WrongSession, WrongSession}} {
			if r < c.share {
				kind = c.k
				break
			}
			r -= c.share
		}
		switch {
		case kind == Duplicate && len(used[g]) == 0,
			kind == Refunded && len(s.fx.RefundedCredentials) == 0,
			kind == Void && len(s.fx.VoidCredentials) == 0,
			kind == WrongSession && len(s.fx.OtherCredentials) == 0:
			kind = Fresh
		}
		if (kind == Fresh || kind == IDCard) && next >= len(s.fx.Tickets) {
			if len(used[g]) == 0 {
				return nil, fmt.Errorf("gatesim: %d scans need more than the fixture's %d tickets", s.cfg.Scans, len(s.fx.Tickets))
			}
			kind = Duplicate
		}
		var want *wht93.Rule
		switch kind {
		case Fresh, IDCard:
			i := next
			next++
			if kind == IDCard {
				sc.Method, sc.Holder = checkin.IDCard, s.fx.Holders[i]
			} else {
				sc.Credential = s.fx.Credentials[i]
			}
			used[g] = append(used[g], i)
			entries[i]++
		case Duplicate:
			i := used[g][rng.IntN(len(used[g]))]
			sc.Credential = s.fx.Credentials[i]
			if entries[i] >= s.cfg.Max {
				want = checkin.ErrMaxEntries
			}
			entries[i]++
		case Forged:
			signed, err := ticket.ParseCredential(s.fx.Credentials[rng.IntN(len(s.fx.Credentials))])
			if err != nil {
				return nil, err
			}
			if sc.Credential, err = s.forger.Sign(signed.Credential); err != nil {
				return nil, err
			}
			want = checkin.ErrForged
		case Unreadable:
			sc.Credential = "https://example.cn/e/" + strconv.Itoa(rng.IntN(1e6))
			want = checkin.ErrUnreadable
		case Refunded:
			sc.Credential = s.fx.RefundedCredentials[rng.IntN(len(s.fx.RefundedCredentials))]
			want = checkin.ErrRefunded
		case Void:
			sc.Credential = s.fx.VoidCredentials[rng.IntN(len(s.fx.VoidCredentials))]
			want = checkin.ErrVoid
		case WrongSession:
			sc.Credential = s.fx.OtherCredentials[rng.IntN(len(s.fx.OtherCredentials))]
			want = checkin.ErrWrongSession
		}
		perGate[g] = append(perGate[g], planned{gate: g, kind: kind, scan: sc, want: want})
	}
	return perGate, nil
}

// Run sends the planned scans, each gate in its own goroutine and in its own
// order, calls observe with each result (from the gates' goroutines, one call
// at a time), and returns the summary. It stops early when ctx ends.
func (s *Sim) Run(ctx context.Context, observe func(Result)) (Summary, error) {
	plan, err := s.plan()
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Refused: map[string]int{}, ByKind: map[Kind]int{}}
	var mu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	for g := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			battery := 100 - g%7
			for j, p := range plan[g] {
				if ctx.Err() != nil {
					return
				}
				if s.cfg.Realtime {
					wait := time.Until(start.Add(p.scan.At.Sub(s.fx.Doors())))
					if wait > 0 {
						t := time.NewTimer(wait)
						select {
						case <-ctx.Done():
							t.Stop()
							return
						case <-t.C:
						}
					}
				}
				d, err := s.gate.Scan(ctx, p.scan)
				r := Result{Gate: p.gate, Kind: p.kind, Scan: p.scan, Decision: d, Err: err, Want: p.want}
				r.Expected = err == nil && ((p.want == nil && d.Accepted) || (p.want != nil && errors.Is(d.Err(), p.want)))
				mu.Lock()
				sum.Scans++
				sum.ByKind[p.kind]++
				switch {
				case err != nil:
					sum.Errors++
				case d.Accepted:
					sum.Accepted++
				default:
					sum.Refused[d.Code()]++
				}
				if !r.Expected {
					sum.Unexpected++
				}
				if observe != nil {
					observe(r)
				}
				mu.Unlock()
				if s.cfg.HeartbeatEvery > 0 && (j+1)%s.cfg.HeartbeatEvery == 0 {
					battery = max(0, battery-1-j%3)
					s.gate.Heartbeat(ctx, checkin.Heartbeat{Device: p.scan.Device, Gate: p.scan.Gate, At: p.scan.At,
						Network: s.cfg.Network, Battery: battery, LastScan: p.scan.At})
				}
			}
		}()
	}
	wg.Wait()
	sum.Elapsed = time.Since(start)
	return sum, ctx.Err()
}

// Print writes a result as the simulator shows it: the time, gate, device,
// method and what was presented, then the answer in Chinese and English.
// With wire, the request and the answer are written as the JSON messages a
// device sends and receives (8.2.3 通信报文显示).
func Print(w io.Writer, r Result, wire bool) {
	mark := "✓"
	if !r.Expected {
		mark = "✗ unexpected"
	}
	what := r.Scan.Credential
	if r.Scan.Method == checkin.IDCard {
		what = "证件索引 " + r.Scan.Holder.String()[:12] + "…"
	} else if signed, err := ticket.ParseCredential(what); err == nil {
		what = signed.Ticket.String()
	} else if len(what) > 28 {
		what = what[:28] + "…"
	}
	fmt.Fprintf(w, "%s %s %s %-8s %-13s %s\n", r.Scan.At.In(wht93.CST).Format("15:04:05.000"), r.Scan.Gate, r.Scan.Device,
		r.Scan.Method, r.Kind, what)
	if wire {
		if b, err := node.ScanJSON(r.Scan); err == nil {
			fmt.Fprintf(w, "  → %s\n", b)
		}
	}
	switch {
	case r.Err != nil:
		fmt.Fprintf(w, "  ⇐ 错误 / error: %v %s\n", r.Err, mark)
	case wire:
		if b, err := node.DecisionJSON(r.Decision); err == nil {
			fmt.Fprintf(w, "  ← %s %s\n", b, mark)
		}
	default:
		fmt.Fprintf(w, "  ⇐ [%s] %s %s\n", r.Decision.Code(), r.Decision, mark)
	}
}
