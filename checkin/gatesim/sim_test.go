package gatesim_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

func fixture(t *testing.T) *gatesim.Fixture {
	t.Helper()
	f, err := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 150, Refunded: 3, Void: 2, Other: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func onlineNode(t *testing.T, f *gatesim.Fixture, mode checkin.Network, book *checkin.Book, flow *checkin.FlowMonitor, dev *checkin.DeviceMonitor) *node.Node {
	t.Helper()
	p, err := f.Policy(checkin.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(node.Config{Name: mode.String(), Mode: mode, Policy: p, Verifier: f.Verifier, Store: memory.NewEntries(),
		Book: book, Flow: flow, Devices: dev})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var mix = gatesim.Mix{IDCard: 0.1, Duplicate: 0.15, Forged: 0.05, Unreadable: 0.05, Refunded: 0.05, Void: 0.05, WrongSession: 0.05}

// TestSimulateOnline: 8 gates, 200 scans of every kind against an online node
// in process; every answer is the expected one, and the flow and device
// monitors saw the run.
func TestSimulateOnline(t *testing.T) {
	f := fixture(t)
	book, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	var warnings []checkin.FlowWarning
	flow, _ := checkin.NewFlowMonitor(checkin.FlowSettings{Capacity: 120, GateRate: 30, OnWarning: func(w checkin.FlowWarning) { warnings = append(warnings, w) }})
	dev, _ := checkin.NewDeviceMonitor(checkin.DeviceSettings{})
	n := onlineNode(t, f, checkin.NetOnline, book, flow, dev)
	sim, err := gatesim.New(f, n, gatesim.Config{Gates: 8, Rate: 2, Scans: 200, Mix: mix, Seed: 3, HeartbeatEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := sim.Run(context.Background(), func(r gatesim.Result) { gatesim.Print(&out, r, false) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scans != 200 || sum.Unexpected != 0 || sum.Errors != 0 {
		t.Fatalf("summary %+v\n%s", sum, out.String())
	}
	for _, k := range []gatesim.Kind{gatesim.Fresh, gatesim.IDCard, gatesim.Duplicate, gatesim.Forged, gatesim.Unreadable, gatesim.Refunded, gatesim.Void, gatesim.WrongSession} {
		if sum.ByKind[k] == 0 {
			t.Fatalf("no %s scan in %+v", k, sum.ByKind)
		}
	}
	if sum.Accepted != sum.ByKind[gatesim.Fresh]+sum.ByKind[gatesim.IDCard] || sum.Refused[checkin.ErrMaxEntries.Code()] != sum.ByKind[gatesim.Duplicate] {
		t.Fatalf("summary %+v", sum)
	}
	if !strings.Contains(out.String(), checkin.ErrMaxEntries.Zh()) || !strings.Contains(out.String(), "准予入场") || strings.Contains(out.String(), "unexpected") {
		t.Fatalf("output:\n%s", out.String())
	}
	if st := flow.Stats(f.Doors().Add(100e9)); st.Entered != sum.Accepted {
		t.Fatalf("flow saw %d entries, %d accepted", st.Entered, sum.Accepted)
	}
	if len(warnings) == 0 || warnings[0].Kind != checkin.Crowd {
		t.Fatalf("warnings %v", warnings)
	}
	ds := dev.Devices(f.Doors().Add(20e9))
	if len(ds) != 8 || ds[0].Scans != 25 || ds[0].Battery >= 100 {
		t.Fatalf("devices %+v", ds)
	}
}

// TestSimulateLANOverHTTP: the same against a LAN node over HTTP, which then
// syncs its entries up to the online node.
func TestSimulateLANOverHTTP(t *testing.T) {
	f := fixture(t)
	book, err := f.Book()
	if err != nil {
		t.Fatal(err)
	}
	on := onlineNode(t, f, checkin.NetOnline, book, nil, nil)
	ln := onlineNode(t, f, checkin.NetLAN, nil, nil, nil)
	if _, err := ln.Sync(context.Background(), on); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(node.Handler(ln))
	defer srv.Close()
	c, err := node.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	sim, err := gatesim.New(f, c, gatesim.Config{Gates: 4, Rate: 5, Scans: 80, Mix: mix, Seed: 4, Network: checkin.NetLAN})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := sim.Run(context.Background(), func(r gatesim.Result) { gatesim.Print(&out, r, true) })
	if err != nil || sum.Unexpected != 0 {
		t.Fatalf("%+v %v\n%s", sum, err, out.String())
	}
	if !strings.Contains(out.String(), `→ {"id":"sim-4-G01-000000"`) || !strings.Contains(out.String(), `← {"accepted":`) {
		t.Fatalf("wire output:\n%s", out.String())
	}
	r, err := ln.Sync(context.Background(), on)
	if err != nil || r.Up != sum.Accepted {
		t.Fatalf("sync up %+v %v, %d accepted", r, err, sum.Accepted)
	}
}

// TestPlan: the schedule is deterministic and bad configurations are refused.
func TestPlan(t *testing.T) {
	f := fixture(t)
	n := onlineNode(t, f, checkin.NetOnline, nil, nil, nil)
	cfg := gatesim.Config{Gates: 3, Rate: 1, Scans: 30, Mix: mix, Seed: 9}
	a, _ := gatesim.New(f, n, cfg)
	b, _ := gatesim.New(f, n, cfg)
	pa, err := a.Plan()
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := b.Plan()
	if fmt.Sprint(pa) != fmt.Sprint(pb) || len(pa) != 3 || len(pa[0]) != 10 {
		t.Fatal("plans differ or have the wrong shape")
	}
	for _, bad := range []gatesim.Config{{Gates: 0, Rate: 1, Scans: 1}, {Gates: 1, Rate: 0, Scans: 1}, {Gates: 1, Rate: 1, Scans: 0},
		{Gates: 1, Rate: 1, Scans: 1, Mix: gatesim.Mix{Forged: 0.7, Duplicate: 0.7}}} {
		if _, err := gatesim.New(f, n, bad); err == nil {
			t.Fatalf("config %+v accepted", bad)
		}
	}
	big, _ := gatesim.New(f, n, gatesim.Config{Gates: 1, Rate: 1, Scans: 1000})
	if _, err := big.Plan(); err != nil {
		t.Fatalf("more scans than tickets should become duplicates: %v", err)
	}
}
