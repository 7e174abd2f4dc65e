package node_test

import (
	"context"
	"fmt"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

// Two LAN nodes admit the same ticket while cut off from the online server;
// when they sync, both entries count and the conflict is flagged, resolved
// the same way at every node.
func ExampleNode_Sync() {
	ctx := context.Background()
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 2, Seed: 5})
	p, _ := fx.Policy(checkin.Rules{})
	book, _ := fx.Book()
	flag := func(c checkin.Conflict) {
		fmt.Println("flagged:", c.Ticket, "kept", c.Kept[0].ID, "over", c.Over[0].ID)
	}
	online, _ := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p, Verifier: fx.Verifier,
		Store: memory.NewEntries(), Book: book, OnConflict: flag})
	east, _ := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p, Verifier: fx.Verifier, Store: memory.NewEntries()})
	west, _ := node.New(node.Config{Name: "lan-west", Mode: checkin.NetLAN, Policy: p, Verifier: fx.Verifier, Store: memory.NewEntries()})
	east.Sync(ctx, online)
	west.Sync(ctx, online)

	// The network is down: each node admits ticket 0.
	scan := func(n *node.Node, id string, at time.Time) {
		d, _ := n.Scan(ctx, checkin.Scan{ID: id, Method: checkin.QR, Credential: fx.Credentials[0], Gate: n.Name(), Device: "d1", At: at})
		fmt.Println(n.Name(), d.Zh())
	}
	scan(east, "east-1", fx.Doors().Add(time.Minute))
	scan(west, "west-1", fx.Doors())

	// The network is back.
	r1, _ := east.Sync(ctx, online)
	r2, _ := west.Sync(ctx, online)
	n, _ := online.Store().Count(ctx, fx.Tickets[0].Code)
	fmt.Println("pushed", r1.Up, r2.Up, "online count", n)
	// Output:
	// lan-east 准予入场（第1次检票，最多1次）
	// lan-west 准予入场（第1次检票，最多1次）
	// flagged: 110101001012025052001N00000001 kept west-1 over east-1
	// pushed 1 1 online count 2
}
