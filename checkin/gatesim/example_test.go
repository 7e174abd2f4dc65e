package gatesim_test

import (
	"context"
	"fmt"
	"os"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

// One gate scans a first entry, a duplicate and a refunded ticket at an
// online node, and shows each message.
func Example() {
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 5, Refunded: 1, Seed: 1})
	p, _ := fx.Policy(checkin.Rules{})
	book, _ := fx.Book()
	n, _ := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p, Verifier: fx.Verifier,
		Store: memory.NewEntries(), Book: book})
	sim, _ := gatesim.New(fx, n, gatesim.Config{Gates: 1, Rate: 1, Scans: 4, Seed: 4,
		Mix: gatesim.Mix{Duplicate: 0.4, Refunded: 0.3}})
	sum, _ := sim.Run(context.Background(), func(r gatesim.Result) { gatesim.Print(os.Stdout, r, false) })
	fmt.Println(sum.Scans, "scans,", sum.Accepted, "admitted,", sum.Unexpected, "unexpected")
	// Output:
	// 18:30:00.000 G01 G01-D1 qr       fresh         110101001012025052001N00000001
	//   ⇐ [checkin.ok] 准予入场（第1次检票，最多1次） / admitted (entry 1 of at most 1) ✓
	// 18:30:01.000 G01 G01-D1 qr       fresh         110101001012025052001N00000002
	//   ⇐ [checkin.ok] 准予入场（第1次检票，最多1次） / admitted (entry 1 of at most 1) ✓
	// 18:30:02.000 G01 G01-D1 qr       duplicate     110101001012025052001N00000002
	//   ⇐ [checkin.max_entries] 演出票检票次数超过演出票务系统设置的最大值，不可再次检票入场 / the ticket has been checked in the maximum number of times the ticketing system allows: no further entry (1 of 1) ✓
	// 18:30:03.000 G01 G01-D1 qr       refunded      110101001012025052001N00000006
	//   ⇐ [checkin.refunded] 演出票已退票，不可检票入场 / the ticket has been refunded: no entry ✓
	// 4 scans, 2 admitted, 0 unexpected
}
