package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/memory"
)

const gateUsage = `wht93 gate simulate — 检票设备模拟器 / check-in device simulator (8.2.3)

用法 / usage:
  wht93 gate simulate [--gates N] [--rate R] [--scans N] [--tickets N]
                      [--mode online|lan] [--transport inproc|http] [--store memory|FILE]
                      [--id-card F] [--dup F] [--forged F] [--unreadable F]
                      [--refunded F] [--void F] [--wrong-session F] [--max N]
                      [--capacity N] [--gate-rate N] [--total-rate N]
                      [--seed N] [--realtime] [--wire] [--quiet]

Simulated gates scan a made-up session's tickets against an online node or a
LAN node (which first pulls the session's passes from the online node and at
the end pushes its entries up), mixing in ID cards, duplicates, forged and
unreadable codes, refunded, void and wrong-session tickets in the shares given
(F from 0 to 1; the rest are first entries by QR code). Each scan and its
answer are shown — with --wire as the JSON messages a device sends and gets —
then a summary, the crowd-flow warnings (客流预警) and the devices' state.
--transport http puts the nodes on loopback HTTP; --store FILE keeps the
node's entries in a bolt file. Times are the simulation's (doors open an hour
before the show); --realtime paces the scans at --rate per gate per second.

退出状态 / exit status: 0 every answer as expected, 1 otherwise, 2 usage error
`

// runGate runs "wht93 gate ..." and returns the exit status.
func runGate(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return simulateGates(ctx, args, stdout, stderr)
}

func simulateGates(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, code := verbFlags(args, "gate", "simulate", gateUsage, stdout, stderr)
	if fs == nil {
		return code
	}
	gates := fs.Int("gates", 4, "simulated gates")
	rate := fs.Float64("rate", 2, "scans per second per gate")
	scans := fs.Int("scans", 40, "total scans")
	tickets := fs.Int("tickets", 0, "valid tickets of the session (0: as many as scans)")
	mode := fs.String("mode", "lan", "online or lan")
	transport := fs.String("transport", "inproc", "inproc or http (loopback)")
	storeArg := fs.String("store", "memory", "memory, or a bolt file for the node's entries")
	var mix gatesim.Mix
	fs.Float64Var(&mix.IDCard, "id-card", 0.1, "share of ID-card entries")
	fs.Float64Var(&mix.Duplicate, "dup", 0.1, "share of duplicate scans")
	fs.Float64Var(&mix.Forged, "forged", 0.05, "share of forged codes")
	fs.Float64Var(&mix.Unreadable, "unreadable", 0.02, "share of unreadable codes")
	fs.Float64Var(&mix.Refunded, "refunded", 0.05, "share of refunded tickets")
	fs.Float64Var(&mix.Void, "void", 0.02, "share of void tickets")
	fs.Float64Var(&mix.WrongSession, "wrong-session", 0.05, "share of tickets of another session")
	max := fs.Int("max", 1, "maximum entries per ticket")
	capacity := fs.Int("capacity", 0, "venue capacity for the crowd warning (0: off)")
	gateRate := fs.Int("gate-rate", 0, "entries per minute at one gate that raise a warning (0: off)")
	totalRate := fs.Int("total-rate", 0, "entries per minute in all that raise a warning (0: off)")
	seed := fs.Uint64("seed", 1, "seed of the session and the schedule")
	realtime := fs.Bool("realtime", false, "pace the scans in real time")
	wire := fs.Bool("wire", false, "show the JSON messages")
	quiet := fs.Bool("quiet", false, "show the summary only")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("多余的参数 / unexpected arguments: %q", fs.Args())
	case *mode != "online" && *mode != "lan":
		return usageErr("--mode 应为 online 或 lan / --mode must be online or lan: %q", *mode)
	case *transport != "inproc" && *transport != "http":
		return usageErr("--transport 应为 inproc 或 http / --transport must be inproc or http: %q", *transport)
	case *max < 1 || *max > checkin.MaxEntries:
		return usageErr("--max 应为1至10000 / --max must be 1 to 10000: %d", *max)
	case *scans < 1 || *scans > 10_000_000 || *tickets < 0 || *tickets > 10_000_000:
		return usageErr("--scans 应为1至10000000，--tickets 不能为负 / --scans must be 1 to 10000000, --tickets not negative")
	}
	n := *tickets
	if n == 0 {
		n = *scans
	}
	out := &lockedWriter{w: stdout}
	fx, err := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: n, Refunded: 5, Void: 3, Other: 5, Seed: *seed})
	if err != nil {
		return usageErr("%v", err)
	}
	policy, err := fx.Policy(checkin.Rules{MaxEntries: *max})
	if err != nil {
		return usageErr("%v", err)
	}
	flow, err := checkin.NewFlowMonitor(checkin.FlowSettings{Capacity: *capacity, GateRate: *gateRate, TotalRate: *totalRate,
		OnWarning: func(w checkin.FlowWarning) { fmt.Fprintf(out, "⚠ %s\n", w) }})
	if err != nil {
		return usageErr("%v", err)
	}
	devices, _ := checkin.NewDeviceMonitor(checkin.DeviceSettings{})

	book, err := fx.Book()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	onConflict := func(c checkin.Conflict) { fmt.Fprintf(out, "⚠ %s / %s\n", c.Zh(), c.En()) }
	onCfg := node.Config{Name: "online", Mode: checkin.NetOnline, Policy: policy, Verifier: fx.Verifier, Store: memory.NewEntries(), Book: book,
		OnConflict: onConflict}
	var store checkin.Store = memory.NewEntries()
	if *storeArg != "memory" {
		s, db, err := bolt.OpenEntries(*storeArg, nil)
		if err != nil {
			fmt.Fprintf(stderr, "打开检票存储失败 / opening the entry store: %v\n", err)
			return exitInvalid
		}
		defer db.Close()
		store = s
	}
	network := checkin.NetLAN
	if *mode == "online" {
		network = checkin.NetOnline
		onCfg.Store, onCfg.Flow, onCfg.Devices = store, flow, devices
	}
	on, err := node.New(onCfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	var up node.Upstream = on
	target := on
	if *transport == "http" && *mode == "lan" {
		cl, _, stopSrv, err := serveNode(on)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitInvalid
		}
		defer stopSrv()
		up = cl
	}
	if *mode == "lan" {
		lan, err := node.New(node.Config{Name: "lan-1", Mode: checkin.NetLAN, Policy: policy, Verifier: fx.Verifier, Store: store,
			Flow: flow, Devices: devices, OnConflict: onConflict})
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitInvalid
		}
		start := time.Now()
		r, err := lan.Sync(ctx, up)
		if err != nil {
			fmt.Fprintf(stderr, "同步失败 / sync failed: %v\n", err)
			return exitInvalid
		}
		took := time.Since(start).Round(time.Millisecond)
		fmt.Fprintf(out, "局域网节点 lan-1 从在线服务器增量下载 %d 张票、%d 条检票记录（%s，%s）/ LAN node lan-1 pulled %d passes and %d entries from the online server (%s, %s)\n",
			r.Passes, r.Down, took, *transport, r.Passes, r.Down, took, *transport)
		target = lan
	}
	var gate node.Gate = target
	if *transport == "http" {
		cl, base, stopSrv, err := serveNode(target)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitInvalid
		}
		defer stopSrv()
		gate = cl
		fmt.Fprintf(out, "检票设备经 HTTP 连接 %s / devices talk HTTP to %s\n", base, base)
	}
	sim, err := gatesim.New(fx, gate, gatesim.Config{Gates: *gates, Rate: *rate, Scans: *scans, Mix: mix, Max: *max, Seed: *seed,
		Realtime: *realtime, HeartbeatEvery: 5, Network: network})
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(out, "场次 %s %s，%d 个检票口，每口每秒 %.3g 次，共 %d 次检票，最多入场 %d 次 / session %s, %d gates at %.3g scans/s each, %d scans, at most %d entries per ticket\n",
		fx.Session.Code, fx.Session.Name, *gates, *rate, *scans, *max, fx.Session.Code, *gates, *rate, *scans, *max)
	sum, err := sim.Run(ctx, func(r gatesim.Result) {
		if !*quiet {
			gatesim.Print(out, r, *wire)
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "模拟中断 / simulation stopped: %v\n", err)
		return exitInvalid
	}
	printSummary(out, sum, flow, devices, fx.Doors().Add(time.Duration(float64(*scans)/float64(*gates) / *rate * float64(time.Second))))
	if *mode == "lan" {
		r, err := target.Sync(ctx, up)
		if err != nil {
			fmt.Fprintf(stderr, "同步失败 / sync failed: %v\n", err)
			return exitInvalid
		}
		fmt.Fprintf(out, "局域网节点 lan-1 向在线服务器回传 %d 条检票记录 / LAN node lan-1 pushed %d entries up to the online server\n", r.Up, r.Up)
	}
	if sum.Unexpected > 0 || sum.Errors > 0 {
		return exitInvalid
	}
	return exitOK
}

func printSummary(w io.Writer, s gatesim.Summary, flow *checkin.FlowMonitor, devices *checkin.DeviceMonitor, now time.Time) {
	fmt.Fprintf(w, "\n共检票 %d 次：准予入场 %d，拒绝 %d，错误 %d，与预期不符 %d（用时 %s）/ %d scans: %d admitted, %d refused, %d errors, %d unexpected (%s)\n",
		s.Scans, s.Accepted, s.Scans-s.Accepted-s.Errors, s.Errors, s.Unexpected, s.Elapsed.Round(time.Millisecond),
		s.Scans, s.Accepted, s.Scans-s.Accepted-s.Errors, s.Errors, s.Unexpected, s.Elapsed.Round(time.Millisecond))
	for _, code := range s.Codes() {
		zh := code
		if r := checkin.RuleOf(code); r != nil {
			zh = r.Zh()
		}
		fmt.Fprintf(w, "  %-24s %5d  %s\n", code, s.Refused[code], zh)
	}
	st := flow.Stats(now)
	var per []string
	for _, g := range st.Gates() {
		per = append(per, fmt.Sprintf("%s %d", g, st.PerGate[g]))
	}
	fmt.Fprintf(w, "客流 / flow: 近1分钟 %d 人次（%s），场内 %d 人", st.Total, strings.Join(per, "，"), st.Inside)
	if st.Capacity > 0 {
		fmt.Fprintf(w, "，容量 %d", st.Capacity)
	}
	fmt.Fprintf(w, "，预警 %d 次 / %d in the last minute, %d inside, %d warnings\n", st.Warnings, st.Total, st.Inside, st.Warnings)
	fmt.Fprintln(w, "设备 / devices:")
	for _, d := range devices.Devices(now) {
		fmt.Fprintf(w, "  %s\n", d.Zh())
	}
}

// serveNode serves n's HTTP API on a loopback port and returns a client of it,
// its base URL and a function that stops it.
func serveNode(n *node.Node) (*node.Client, string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	srv := &http.Server{Handler: node.Handler(n), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	base := "http://" + l.Addr().String()
	cl, err := node.NewClient(base, nil)
	if err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	return cl, base, func() { srv.Close() }, nil
}
