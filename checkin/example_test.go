package checkin_test

import (
	"context"
	"fmt"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/memory"
)

// The check-in steps of the quickstart: a LAN node pulls the session's passes
// from the online server, a simulated gate admits a ticket, refuses its second
// entry with the message of E.2.7, admits a holder by ID card, the crowd-flow
// monitor raises a warning, and the LAN node pushes its entries up.
func Example_lanCheckIn() {
	ctx := context.Background()
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 3, Refunded: 1, Seed: 1})
	policy, _ := fx.Policy(checkin.Rules{MaxEntries: 1})
	book, _ := fx.Book() // the host keeps the online book up to date as tickets sell and refund

	online, _ := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: policy,
		Verifier: fx.Verifier, Store: memory.NewEntries(), Book: book})
	flow, _ := checkin.NewFlowMonitor(checkin.FlowSettings{Capacity: 3, WarnPercent: 60,
		OnWarning: func(w checkin.FlowWarning) { fmt.Println("⚠", w.Zh()) }})
	lan, _ := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: policy,
		Verifier: fx.Verifier, Store: memory.NewEntries(), Flow: flow}) // store/bolt in production

	r, _ := lan.Sync(ctx, online) // over HTTP: node.NewClient(url, nil)
	fmt.Printf("LAN node pulled %d passes\n", r.Passes)

	doors := fx.Doors()
	show := func(s checkin.Scan) {
		d, _ := lan.Scan(ctx, s)
		fmt.Printf("%s %-7s %s\n", s.At.Format("15:04:05"), s.Method, d.Zh())
	}
	qr := checkin.Scan{ID: "scan-1", Method: checkin.QR, Credential: fx.Credentials[0], Gate: "东1", Device: "东1-01", At: doors}
	show(qr)
	again := qr
	again.ID, again.At = "scan-2", doors.Add(time.Minute)
	show(again)
	card := checkin.Scan{ID: "scan-3", Method: checkin.IDCard, Holder: fx.Holders[1], Gate: "东1", Device: "东1-02", At: doors.Add(2 * time.Minute)}
	show(card)

	r, _ = lan.Sync(ctx, online)
	n, _ := online.Store().Count(ctx, fx.Tickets[1].Code)
	fmt.Printf("LAN node pushed %d entries up; online count of the ID-card ticket: %d\n", r.Up, n)
	// Output:
	// LAN node pulled 4 passes
	// 18:30:00 qr      准予入场（第1次检票，最多1次）
	// 18:31:00 qr      演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场
	// ⚠ 客流预警警报：场内人数 2，达到容量 3 的预警线 2
	// 18:32:00 id-card 准予入场（第1次检票，最多1次）
	// LAN node pushed 2 entries up; online count of the ID-card ticket: 1
}

// A gate decides from the passes it holds and the entries counted so far;
// Enter records an accepted entry in a store, atomically.
func ExampleChecker_Enter() {
	ctx := context.Background()
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 1, Seed: 2})
	policy, _ := fx.Policy(checkin.Rules{})
	book, _ := fx.Book()
	c, _ := checkin.NewChecker("online", policy, fx.Verifier)
	st := memory.NewEntries()
	s := checkin.Scan{ID: "s1", Method: checkin.QR, Credential: fx.Credentials[0], Gate: "G1", Device: "G1-D1", At: fx.Doors()}
	d, _ := c.Enter(ctx, st, s, book)
	fmt.Println(d.Accepted, d.Entry.Count, d.Entry.Checking().Type)
	s.ID = "s2"
	d, _ = c.Enter(ctx, st, s, book)
	fmt.Println(d.Code())
	s.At = fx.Session.End
	fmt.Println(c.Decide(s, book, func(codes.TicketCode) int { return 0 }).Code())
	// Output:
	// true 1 1
	// checkin.max_entries
	// checkin.expired
}

// Entries admitted at two nodes cut off from each other are all counted;
// Resolve says which the maximum allowed, the same way everywhere.
func ExampleResolve() {
	code, _ := codes.ParseTicketCode("110101001012025052001T1")
	at := time.Date(2025, 5, 20, 19, 0, 0, 0, time.UTC)
	east := checkin.Entry{ID: "east-1", Ticket: code, RealName: 1, Method: checkin.QR, Gate: "东1", Device: "d", Node: "lan-east", At: at.Add(time.Second), Count: 1}
	west := checkin.Entry{ID: "west-1", Ticket: code, RealName: 1, Method: checkin.QR, Gate: "西1", Device: "d", Node: "lan-west", At: at, Count: 1}
	c := checkin.Resolve([]checkin.Entry{east, west}, 1)
	fmt.Println(c.Kept[0].ID, c.Over[0].ID)
	fmt.Println(c.Zh())
	// Output:
	// west-1 east-1
	// 演出票 110101001012025052001T1 检票 2 次，超过最大值 1 次（局域网节点断网期间分别放行），请核查
}

// The device monitor reports stale, offline and low-battery devices (E.2.8 c).
func ExampleDeviceMonitor() {
	m, _ := checkin.NewDeviceMonitor(checkin.DeviceSettings{StaleAfter: time.Minute, LowBattery: 20})
	t0 := time.Date(2025, 5, 20, 19, 0, 0, 0, time.UTC)
	m.Heartbeat(checkin.Heartbeat{Device: "东1-01", Gate: "东1", At: t0, Network: checkin.NetLAN, Battery: 15})
	m.Heartbeat(checkin.Heartbeat{Device: "东1-02", Gate: "东1", At: t0, Network: checkin.NetOnline, Battery: 80})
	for _, d := range m.Alerts(t0.Add(30 * time.Second)) {
		fmt.Println(d.Zh())
	}
	// Output:
	// 设备 东1-01（检票口 东1）：网络 局域网，电量 15%，检票 0 次【电量低】
}
