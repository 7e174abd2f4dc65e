package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/gatesim"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/store/memory"
)

// runCheckIn walks through check-in at a LAN node (6.3.6.1 局域网模式) whose
// entries are kept in entries (the embedded bolt file in main): the node pulls
// the session's passes from the online server, a simulated gate admits a ticket,
// refuses its second entry with the message of E.2.7, admits a holder by ID card,
// the crowd-flow monitor warns, and the node pushes its entries up.
func runCheckIn(ctx context.Context, w io.Writer, entries checkin.Store) error {
	fx, err := gatesim.NewFixture(gatesim.FixtureOptions{Tickets: 3, Refunded: 1, Seed: 1})
	if err != nil {
		return err
	}
	policy, err := fx.Policy(checkin.Rules{MaxEntries: 1})
	if err != nil {
		return err
	}
	book, err := fx.Book() // the host keeps the online book up to date as tickets sell and refund
	if err != nil {
		return err
	}
	online, err := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: policy,
		Verifier: fx.Verifier, Store: memory.NewEntries(), Book: book})
	if err != nil {
		return err
	}
	flow, err := checkin.NewFlowMonitor(checkin.FlowSettings{Capacity: 3, WarnPercent: 60,
		OnWarning: func(fw checkin.FlowWarning) { fmt.Fprintln(w, "warning:", fw.Zh()) }})
	if err != nil {
		return err
	}
	lan, err := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: policy,
		Verifier: fx.Verifier, Store: entries, Flow: flow})
	if err != nil {
		return err
	}
	r, err := lan.Sync(ctx, online) // over HTTP: node.NewClient(url, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "LAN node pulled %d passes\n", r.Passes)

	doors := fx.Doors()
	scan := func(s checkin.Scan) error {
		d, err := lan.Scan(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s %-7s %s\n", s.At.Format("15:04:05"), s.Method, d.Zh())
		return nil
	}
	qr := checkin.Scan{ID: "scan-1", Method: checkin.QR, Credential: fx.Credentials[0], Gate: "东1", Device: "东1-01", At: doors}
	again := qr
	again.ID, again.At = "scan-2", doors.Add(time.Minute)
	card := checkin.Scan{ID: "scan-3", Method: checkin.IDCard, Holder: fx.Holders[1], Gate: "东1", Device: "东1-02", At: doors.Add(2 * time.Minute)}
	for _, s := range []checkin.Scan{qr, again, card} {
		if err := scan(s); err != nil {
			return err
		}
	}
	if r, err = lan.Sync(ctx, online); err != nil {
		return err
	}
	n, err := online.Store().Count(ctx, fx.Tickets[1].Code)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "LAN node pushed %d entries up; online count of the ID-card ticket: %d\n", r.Up, n)
	return nil
}
