// Package gatesim is the check-in device simulator of clause 8.2.3 (检票设备
// 模拟器): simulated gates scanning at chosen rates against an online or a LAN
// node, in process or over HTTP, mixing first entries by QR code and ID card
// with duplicates, forged and unreadable codes, refunded, void and
// wrong-session tickets, showing each message (with Print, as the JSON a
// device sends and receives) and checking each answer against what it should
// be. NewFixture makes the session, keys and tickets it scans. The command
// line runs it as "wht93 gate simulate".
//
//	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 500, Refunded: 5, Other: 5, Seed: 1})
//	sim, _ := gatesim.New(fx, gate, gatesim.Config{Gates: 8, Rate: 2, Scans: 400,
//		Mix: gatesim.Mix{Duplicate: 0.1, Forged: 0.05, Refunded: 0.05, WrongSession: 0.05}})
//	sum, err := sim.Run(ctx, func(r gatesim.Result) { gatesim.Print(os.Stdout, r, true) })
//	// sum.Unexpected == 0: every answer was the one the standard asks for
package gatesim
