package checkin_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93/checkin"
)

// TestFlowMonitor: rates over a rolling minute per gate and in total,
// warnings raised once per crossing and again after dropping below, people
// inside against capacity.
func TestFlowMonitor(t *testing.T) {
	var got []checkin.FlowWarning
	m := must[*checkin.FlowMonitor](t)(checkin.NewFlowMonitor(checkin.FlowSettings{
		Capacity: 100, WarnPercent: 50, GateRate: 3, TotalRate: 5,
		OnWarning: func(w checkin.FlowWarning) { got = append(got, w) },
	}))
	t0 := at(20, 19, 0)
	m.Entered("A", t0)
	m.Entered("A", t0.Add(10*time.Second))
	m.Entered("B", t0.Add(20*time.Second))
	if len(got) != 0 {
		t.Fatalf("early warnings %v", got)
	}
	m.Entered("A", t0.Add(30*time.Second)) // A: 3 in a minute
	if len(got) != 1 || got[0].Kind != checkin.GateRate || got[0].Gate != "A" || got[0].Value != 3 {
		t.Fatalf("gate warning %v", got)
	}
	m.Entered("A", t0.Add(40*time.Second)) // A: 4, total 5
	if len(got) != 2 || got[1].Kind != checkin.TotalRate || got[1].Value != 5 {
		t.Fatalf("total warning %v", got)
	}
	// A minute later the rates have dropped: Stats re-arms, a new burst warns again.
	st := m.Stats(t0.Add(99 * time.Second))
	if st.PerGate["A"] != 1 || st.PerGate["B"] != 0 || st.Total != 1 || st.Inside != 5 || strings.Join(st.Gates(), ",") != "A,B" {
		t.Fatalf("stats %+v", st)
	}
	for i := range 3 {
		m.Entered("A", t0.Add(time.Duration(101+i)*time.Second))
	}
	if len(got) != 3 || got[2].Kind != checkin.GateRate {
		t.Fatalf("second burst %v", got)
	}
	// Crowd: 50 of 100 inside.
	for i := range 42 {
		m.Entered("C", t0.Add(time.Duration(200+i*2)*time.Second))
	}
	var crowd []checkin.FlowWarning
	for _, w := range got {
		if w.Kind == checkin.Crowd {
			crowd = append(crowd, w)
		}
	}
	if len(crowd) != 1 || crowd[0].Value != 50 || crowd[0].Threshold != 50 || !strings.Contains(crowd[0].Zh(), "场内人数 50") {
		t.Fatalf("crowd %v", crowd)
	}
	m.Exited("X", t0.Add(300*time.Second), 10)
	if s := m.Stats(t0.Add(300 * time.Second)); s.Inside != 40 || s.Exited != 10 || s.Warnings != len(got) {
		t.Fatalf("after exits %+v", s)
	}
	if _, err := checkin.NewFlowMonitor(checkin.FlowSettings{Capacity: -1, WarnPercent: 101}); !errors.Is(err, checkin.ErrMonitor) {
		t.Fatalf("bad settings: %v", err)
	}
}

// TestDeviceMonitor: stale, offline and low-battery devices are reported;
// bad heartbeats are refused.
func TestDeviceMonitor(t *testing.T) {
	m := must[*checkin.DeviceMonitor](t)(checkin.NewDeviceMonitor(checkin.DeviceSettings{StaleAfter: time.Minute, LowBattery: 20}))
	t0 := at(20, 19, 0)
	for _, h := range []checkin.Heartbeat{
		{Device: "d1", Gate: "东1", At: t0, Network: checkin.NetOnline, Battery: 80},
		{Device: "d2", Gate: "东1", At: t0, Network: checkin.NetLAN, Battery: 20},
		{Device: "d3", Gate: "西1", At: t0, Network: checkin.NetLAN, Battery: 10, Charging: true},
		{Device: "d4", Gate: "西1", At: t0, Network: checkin.NetOffline, Battery: 90},
		{Device: "d5", Gate: "西2", At: t0.Add(-2 * time.Minute), Network: checkin.NetOnline, Battery: 90},
	} {
		if err := m.Heartbeat(h); err != nil {
			t.Fatal(err)
		}
	}
	m.Scanned("d1", "东1", t0.Add(5*time.Second))
	m.Scanned("d6", "北1", t0) // no heartbeat yet
	if err := m.Heartbeat(checkin.Heartbeat{Device: "d1", Gate: "东1", At: t0.Add(-time.Second), Network: checkin.NetOffline, Battery: 1}); err != nil {
		t.Fatal(err) // older: ignored
	}
	alerts := m.Alerts(t0.Add(10 * time.Second))
	var names []string
	for _, a := range alerts {
		names = append(names, a.Device)
	}
	if strings.Join(names, " ") != "d2 d4 d5 d6" {
		t.Fatalf("alerts %v", names)
	}
	ds := m.Devices(t0.Add(10 * time.Second))
	if len(ds) != 6 || !ds[0].OK() || ds[0].Scans != 1 || !ds[0].LastScan.Equal(t0.Add(5*time.Second)) || ds[0].Network != checkin.NetOnline {
		t.Fatalf("d1 %+v", ds[0])
	}
	if !ds[1].LowBattery || ds[2].LowBattery || !ds[3].Offline || !ds[4].Stale || !ds[5].Stale {
		t.Fatalf("flags %+v", ds)
	}
	if s := ds[1].Zh(); !strings.Contains(s, "电量低") || !strings.Contains(ds[1].En(), "low battery") {
		t.Fatalf("text %q", s)
	}
	if err := m.Heartbeat(checkin.Heartbeat{Device: "", Gate: "东1", At: t0, Network: 9, Battery: 101}); len(errorsOf(err)) != 3 {
		t.Fatalf("bad heartbeat: %v", err)
	}
}

func errorsOf(err error) []error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return nil
}

// TestResolve: the resolution of a ticket's entries is the same whatever
// their order, keeps the first max by time then id, and flags the rest.
func TestResolve(t *testing.T) {
	w := newWorld(t)
	tk, _ := w.issue(&w.sess, idZhang)
	mk := func(id string, sec int) checkin.Entry {
		return checkin.Entry{ID: id, Ticket: tk.Code, RealName: 3, Method: checkin.QR, Gate: "g", Device: "d", Node: "n",
			At: at(20, 19, 0).Add(time.Duration(sec) * time.Second), Count: 1}
	}
	es := []checkin.Entry{mk("c", 5), mk("b", 1), mk("a", 5), mk("d", 9)}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		in := make([]checkin.Entry, 0, 4)
		for _, i := range order {
			in = append(in, es[i])
		}
		c := checkin.Resolve(in, 2)
		if len(c.Kept) != 2 || c.Kept[0].ID != "b" || c.Kept[1].ID != "a" || len(c.Over) != 2 || c.Over[0].ID != "c" || c.Over[1].ID != "d" {
			t.Fatalf("order %v: %+v", order, c)
		}
		if !strings.Contains(c.Zh(), "检票 4 次，超过最大值 2 次") {
			t.Fatalf("%q", c.Zh())
		}
	}
	if c := checkin.Resolve(es[:1], 1); len(c.Over) != 0 || len(c.Kept) != 1 {
		t.Fatalf("no conflict: %+v", c)
	}
}
