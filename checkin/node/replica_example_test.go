package node_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

// A LAN node restarted on its replica store (here in memory; bolt's
// DB.Replica on disk) decides at once, with the online side out of reach,
// and syncs on from its saved cursors.
func ExampleReplicaStore() {
	ctx := context.Background()
	fx, _ := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 3, Seed: 5})
	p, _ := fx.Policy(checkin.Rules{})
	book, _ := fx.Book()
	online, _ := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p, Verifier: fx.Verifier,
		Store: memory.NewEntries(), Book: book})
	replica, entries := node.NewMemoryReplica(), memory.NewEntries()
	lan := func() *node.Node {
		n, err := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p, Verifier: fx.Verifier,
			Store: entries, Replica: replica})
		if err != nil {
			panic(err)
		}
		return n
	}
	first := lan()
	r, _ := first.Sync(ctx, online)
	fmt.Println("pulled", r.Passes, "passes, pass cursor", r.Cursors.Passes)

	restarted := lan() // after a power cut; the online side is out of reach
	fmt.Println("replica", restarted.Book().Len(), "passes, pass cursor", restarted.Cursors().Passes, "same epoch:", restarted.Cursors().Epoch == r.Cursors.Epoch)
	d, _ := restarted.Scan(ctx, checkin.Scan{ID: "s1", Method: checkin.QR, Credential: fx.Credentials[1], Gate: "东1", Device: "d1", At: fx.Doors()})
	fmt.Println(d.Zh())
	_, err := restarted.Sync(ctx, unreachable{})
	fmt.Println(errors.Is(err, errUnreachable))
	// Output:
	// pulled 3 passes, pass cursor 3
	// replica 3 passes, pass cursor 3 same epoch: true
	// 准予入场（第1次检票，最多1次）
	// true
}

var errUnreachable = errors.New("unreachable")

type unreachable struct{}

func (unreachable) Passes(context.Context, uint64, int) (node.PassPage, error) {
	return node.PassPage{}, errUnreachable
}
func (unreachable) Entries(context.Context, uint64, int) (node.EntryPage, error) {
	return node.EntryPage{}, errUnreachable
}
func (unreachable) Push(context.Context, []checkin.Entry) (int, error) { return 0, errUnreachable }
