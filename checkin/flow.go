package checkin

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/piaowu/wht93"
)

// FlowKind is what a crowd-flow warning is about. It is a small value, safe for
// concurrent use.
type FlowKind uint8

// The kinds of crowd-flow warning.
const (
	// GateRate: the entries of one gate in the last minute reached the gate
	// threshold.
	GateRate FlowKind = 1
	// TotalRate: the entries of every gate in the last minute reached the total
	// threshold.
	TotalRate FlowKind = 2
	// Crowd: the people inside reached the warning share of the capacity.
	Crowd FlowKind = 3
)

// String returns "gate-rate", "total-rate" or "crowd".
func (k FlowKind) String() string {
	switch k {
	case GateRate:
		return "gate-rate"
	case TotalRate:
		return "total-rate"
	case Crowd:
		return "crowd"
	}
	return "flow(" + strconv.Itoa(int(k)) + ")"
}

// FlowSettings configure a FlowMonitor (6.3.6.2.2 客流监控、客流预警). Zero
// thresholds are off. A FlowSettings is a plain value.
type FlowSettings struct {
	// Capacity is how many people the venue holds; 0 turns the crowd warning off.
	Capacity int
	// WarnPercent is the share of Capacity, in percent (1–100), at which the
	// crowd warning is raised; 0 means 90.
	WarnPercent int
	// GateRate is the entries per minute at one gate that raise a warning.
	GateRate int
	// TotalRate is the entries per minute at all gates together that raise a
	// warning.
	TotalRate int
	// OnWarning receives each warning as it is raised, in the goroutine that
	// reported the entry (the monitor's lock is not held). A warning is raised
	// when its value reaches the threshold, and again only after the value has
	// dropped below it. Nil: warnings are only counted and kept (see
	// FlowStats.Warnings).
	OnWarning func(FlowWarning)
}

// FlowWarning is a crowd-flow warning (客流预警警报, E.2.8 b). A FlowWarning is a
// plain value.
type FlowWarning struct {
	Kind      FlowKind
	Gate      string // GateRate: the gate
	Value     int    // entries in the last minute, or people inside
	Threshold int
	Capacity  int // Crowd: the capacity
	At        time.Time
}

// Zh returns the warning in Chinese, starting with 客流预警警报.
func (w FlowWarning) Zh() string {
	switch w.Kind {
	case GateRate:
		return fmt.Sprintf("客流预警警报：检票口 %s 近1分钟入场 %d 人次，达到预警值 %d", w.Gate, w.Value, w.Threshold)
	case TotalRate:
		return fmt.Sprintf("客流预警警报：全场近1分钟入场 %d 人次，达到预警值 %d", w.Value, w.Threshold)
	default:
		return fmt.Sprintf("客流预警警报：场内人数 %d，达到容量 %d 的预警线 %d", w.Value, w.Capacity, w.Threshold)
	}
}

// En returns the warning in English.
func (w FlowWarning) En() string {
	switch w.Kind {
	case GateRate:
		return fmt.Sprintf("crowd-flow warning: gate %s admitted %d in the last minute, at or above %d", w.Gate, w.Value, w.Threshold)
	case TotalRate:
		return fmt.Sprintf("crowd-flow warning: %d admitted in the last minute at all gates, at or above %d", w.Value, w.Threshold)
	default:
		return fmt.Sprintf("crowd-flow warning: %d people inside, at or above %d of a capacity of %d", w.Value, w.Threshold, w.Capacity)
	}
}

// String returns "zh / en".
func (w FlowWarning) String() string { return w.Zh() + " / " + w.En() }

// FlowStats is the crowd flow at an instant. A FlowStats is a plain value,
// safe for concurrent reads.
type FlowStats struct {
	At       time.Time
	PerGate  map[string]int // entries in the last minute, by gate
	Total    int            // entries in the last minute
	Entered  int            // entries since the monitor started
	Exited   int
	Inside   int // Entered - Exited, at least 0
	Capacity int
	Warnings int // warnings raised since the monitor started
}

// Gates returns the gates of s.PerGate in order.
func (s FlowStats) Gates() []string { return slices.Sorted(maps.Keys(s.PerGate)) }

// FlowMonitor counts entries per minute per gate and in total and the people
// inside against the capacity, and raises crowd-flow warnings (客流预警) when
// they reach their thresholds. It reads no clock: the instants come with the
// entries and with Stats. A FlowMonitor is safe for concurrent use.
type FlowMonitor struct {
	s FlowSettings

	mu       sync.Mutex
	gates    map[string]*minute
	total    minute
	entered  int
	exited   int
	raised   map[flowKey]bool
	warnings int
}

type flowKey struct {
	kind FlowKind
	gate string
}

// minute counts events in the last 60 seconds with one-second buckets.
type minute struct {
	sec [60]int64
	n   [60]int
}

func (m *minute) add(at time.Time, n int) {
	s := at.Unix()
	i := int(((s % 60) + 60) % 60)
	if m.sec[i] != s {
		m.sec[i], m.n[i] = s, 0
	}
	m.n[i] += n
}

// count returns the events of the 60 seconds up to and including now's second.
func (m *minute) count(now time.Time) int {
	s := now.Unix()
	total := 0
	for i := range m.sec {
		if m.sec[i] > s-60 && m.sec[i] <= s {
			total += m.n[i]
		}
	}
	return total
}

// NewFlowMonitor returns a monitor with the settings s, or the violations of
// settings out of bounds (negative thresholds, a percent above 100).
func NewFlowMonitor(s FlowSettings) (*FlowMonitor, error) {
	var vs wht93.Violations
	for _, f := range []struct {
		name string
		v    int
	}{{"capacity", s.Capacity}, {"gateRate", s.GateRate}, {"totalRate", s.TotalRate}} {
		if f.v < 0 {
			vs = append(vs, ErrMonitor.Atf(f.name, strconv.Itoa(f.v), "阈值不能为负", "a threshold must not be negative"))
		}
	}
	if s.WarnPercent < 0 || s.WarnPercent > 100 {
		vs = append(vs, ErrMonitor.Atf("warnPercent", strconv.Itoa(s.WarnPercent), "预警比例应为1至100", "the warning share must be 1 to 100 percent"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if s.WarnPercent == 0 {
		s.WarnPercent = 90
	}
	return &FlowMonitor{s: s, gates: map[string]*minute{}, raised: map[flowKey]bool{}}, nil
}

// Entered records an admission at the gate at the instant at and raises the
// warnings it causes.
func (m *FlowMonitor) Entered(gate string, at time.Time) {
	m.mu.Lock()
	g := m.gates[gate]
	if g == nil {
		g = &minute{}
		m.gates[gate] = g
	}
	g.add(at, 1)
	m.total.add(at, 1)
	m.entered++
	ws := m.evaluate(at, gate)
	m.mu.Unlock()
	m.notify(ws)
}

// Exited records n people leaving (an exit gate's count), for the people
// inside.
func (m *FlowMonitor) Exited(gate string, at time.Time, n int) {
	if n <= 0 {
		return
	}
	m.mu.Lock()
	m.exited += n
	ws := m.evaluate(at, gate)
	m.mu.Unlock()
	m.notify(ws)
}

// Stats returns the flow at now, and re-arms the warnings whose values have
// dropped below their thresholds.
func (m *FlowMonitor) Stats(now time.Time) FlowStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := FlowStats{At: now, PerGate: make(map[string]int, len(m.gates)), Entered: m.entered, Exited: m.exited,
		Inside: m.inside(), Capacity: m.s.Capacity}
	for g, w := range m.gates {
		st.PerGate[g] = w.count(now)
		m.rearm(flowKey{GateRate, g}, st.PerGate[g], m.s.GateRate)
	}
	st.Total = m.total.count(now)
	m.rearm(flowKey{TotalRate, ""}, st.Total, m.s.TotalRate)
	m.rearm(flowKey{Crowd, ""}, st.Inside, m.crowdThreshold())
	st.Warnings = m.warnings
	return st
}

func (m *FlowMonitor) inside() int { return max(0, m.entered-m.exited) }

func (m *FlowMonitor) crowdThreshold() int {
	if m.s.Capacity == 0 {
		return 0
	}
	return max(1, (m.s.Capacity*m.s.WarnPercent+99)/100)
}

func (m *FlowMonitor) rearm(k flowKey, v, threshold int) {
	if threshold > 0 && v < threshold {
		m.raised[k] = false
	}
}

func (m *FlowMonitor) evaluate(at time.Time, gate string) []FlowWarning {
	var ws []FlowWarning
	check := func(k flowKey, v, threshold int) {
		if threshold <= 0 {
			return
		}
		if v < threshold {
			m.raised[k] = false
			return
		}
		if m.raised[k] {
			return
		}
		m.raised[k] = true
		m.warnings++
		ws = append(ws, FlowWarning{Kind: k.kind, Gate: k.gate, Value: v, Threshold: threshold, Capacity: m.s.Capacity, At: at})
	}
	if g := m.gates[gate]; g != nil {
		check(flowKey{GateRate, gate}, g.count(at), m.s.GateRate)
	}
	check(flowKey{TotalRate, ""}, m.total.count(at), m.s.TotalRate)
	check(flowKey{Crowd, ""}, m.inside(), m.crowdThreshold())
	return ws
}

func (m *FlowMonitor) notify(ws []FlowWarning) {
	if m.s.OnWarning == nil {
		return
	}
	for _, w := range ws {
		m.s.OnWarning(w)
	}
}
