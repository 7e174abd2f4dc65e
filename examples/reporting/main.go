// Command reporting is the integration guide and load generator of the
// reporting pipeline: it reports a deterministic synthetic performance to the
// platform of WH/T 93-2021 Appendix A through the durable bolt queue and the
// delivery engine, and prints what it enqueued and what was delivered.
//
// With no -platform it starts the in-process simulator; otherwise it reports to
// the platform at -platform with -app-id, -secret and, for a private
// certificate authority, -ca-file. The queue and the session-code book live in
// one bbolt file, -queue (a temporary file by default). Every report carries an
// idempotency key derived from the synthetic data, so a run killed at any
// moment and started again with the same -queue enqueues nothing twice and
// delivers what was pending, oldest first.
//
//	go run ./examples/reporting
//	go run ./examples/reporting -queue /tmp/q.db -platform https://127.0.0.1:8443 \
//		-ca-file /tmp/ca.pem -app-id demo -secret demo-secret
package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
)

// options are the command's flags.
type options struct {
	platform, appID, secret, caFile string
	queue                           string
	sessions, tickets, orders       int
	refunds, checkins               int
	seed                            uint64
	rate                            float64
	lease, timeout                  time.Duration

	// onSim, when set, is called with the in-process simulator before it is
	// closed (tests read what it holds).
	onSim func(*platformsim.Sim)
}

// Limits of the synthetic data, so that a typo does not fill the disk.
const (
	maxSessions = 1000
	maxTickets  = 100000 // per session
)

func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("reporting", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.platform, "platform", "", "platform base URL (https://…); empty starts the in-process simulator")
	fs.StringVar(&o.appID, "app-id", "", "appId issued by the platform (with -platform)")
	fs.StringVar(&o.secret, "secret", "", "secret issued by the platform (with -platform); never printed")
	fs.StringVar(&o.caFile, "ca-file", "", "PEM file of the certificate authority of the platform (default: the system's)")
	fs.StringVar(&o.queue, "queue", "", "bbolt file of the queue and code book (default: a temporary file removed at exit)")
	fs.IntVar(&o.sessions, "sessions", 3, "sessions of the synthetic performance")
	fs.IntVar(&o.tickets, "tickets", 500, "tickets per session")
	fs.IntVar(&o.orders, "orders", 50, "orders per session (one ticket each)")
	fs.IntVar(&o.refunds, "refunds", 5, "refunded orders per session")
	fs.IntVar(&o.checkins, "checkins", 20, "checked-in tickets per session (of orders not refunded)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the synthetic data: the same seed makes the same reports")
	fs.Float64Var(&o.rate, "rate", 100, "most requests per second to the platform")
	fs.DurationVar(&o.lease, "lease", 10*time.Second, "lease of a record being sent; after a crash, its records are sent again once it expires")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up when not everything is delivered by then")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("多余的参数 / unexpected arguments: %q", fs.Args())
	}
	var errs []error
	bad := func(name string, v any, zh, en string) {
		errs = append(errs, fmt.Errorf("-%s: %s / %s: %v", name, zh, en, v))
	}
	if o.platform != "" && (o.appID == "" || o.secret == "") {
		bad("platform", o.platform, "需同时给出 -app-id 与 -secret", "needs -app-id and -secret")
	}
	if o.platform == "" && o.caFile != "" {
		bad("ca-file", o.caFile, "仅与 -platform 一起使用", "is used with -platform only")
	}
	if o.sessions < 1 || o.sessions > maxSessions {
		bad("sessions", o.sessions, fmt.Sprintf("须为1至%d", maxSessions), fmt.Sprintf("must be 1 to %d", maxSessions))
	}
	if o.tickets < 1 || o.tickets > maxTickets {
		bad("tickets", o.tickets, fmt.Sprintf("须为1至%d", maxTickets), fmt.Sprintf("must be 1 to %d", maxTickets))
	}
	if o.orders < 0 || o.orders > o.tickets {
		bad("orders", o.orders, "须为0至每场票数", "must be 0 to the tickets per session")
	}
	if o.refunds < 0 || o.checkins < 0 || o.refunds+o.checkins > o.orders {
		bad("refunds", fmt.Sprintf("%d+%d", o.refunds, o.checkins), "退票数与检票数之和不得超过订单数", "refunds plus check-ins must not exceed the orders")
	}
	if !(o.rate > 0) {
		bad("rate", o.rate, "须大于0", "must be positive")
	}
	if o.lease < time.Second || o.lease > time.Hour {
		bad("lease", o.lease, "须为1s至1h", "must be 1s to 1h")
	}
	if o.timeout <= 0 {
		bad("timeout", o.timeout, "须大于0", "must be positive")
	}
	return o, errors.Join(errs...)
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reporting:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "reporting:", err)
		stop()
		os.Exit(1)
	}
}

// run reports the synthetic performance of o and waits until the queue is
// empty, printing to w.
func run(ctx context.Context, o options, w io.Writer) error {
	if o.queue == "" {
		dir, err := os.MkdirTemp("", "wht93-reporting-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.queue = filepath.Join(dir, "queue.db")
	}

	// 1. The platform: the simulator, or the one named by the flags.
	cfg, closeSim, err := platformConfig(o, w)
	if err != nil {
		return err
	}
	defer closeSim()
	cfg.Timeout = 10 * time.Second
	c, err := client.New(cfg)
	if err != nil {
		return err
	}
	defer c.Close()

	// 2. The durable queue and code book: one bbolt file, durable when a call returns.
	db, err := bolt.Open(o.queue, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	q, err := db.Queue()
	if err != nil {
		return err
	}
	codes, err := db.CodeBook()
	if err != nil {
		return err
	}
	before, err := q.Stats(ctx, time.Now())
	if err != nil {
		return err
	}
	if before.Depth > 0 {
		fmt.Fprintf(w, "queue %s: %d records pending from an earlier run (oldest enqueued %s)\n",
			o.queue, before.Depth, before.Oldest.Format(time.RFC3339))
	}

	// 3. The engine drains the queue; codes obtained from /performance/code are
	// saved in the durable code book before that record is acked.
	var mu sync.Mutex
	delivered := map[string]int{}
	progress := make(chan struct{}, 1)
	e, err := report.NewEngine(report.EngineConfig{
		Queue: q, Sender: c, Codes: codes,
		Rate: o.rate, LeaseTTL: o.lease,
		MinBackoff: 500 * time.Millisecond, MaxBackoff: 5 * time.Second, CodeWait: 200 * time.Millisecond,
		OnDelivered: func(r report.Record, _ bool) {
			mu.Lock()
			delivered[r.Endpoint]++
			mu.Unlock()
			select {
			case progress <- struct{}{}:
			default:
			}
		},
		OnAlert: func(a report.Alert) {
			fmt.Fprintf(w, "engine paused, an operator is needed: record %d %s code %d: %v\n", a.Seq, a.Endpoint, a.Code, a.Err)
		},
	})
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.Run(runCtx) }()
	stopEngine := sync.OnceFunc(func() { cancel(); <-done })
	defer stopEngine()
	e.Notify() // records pending from an earlier run go out while the reports are built

	// 4. The reports, each under a key derived from the data: enqueueing them
	// again stores nothing new.
	deadline := time.NewTimer(o.timeout)
	defer deadline.Stop()
	hall, err := pickHall(ctx, c)
	for err != nil && client.Classify(err) == client.Retryable {
		fmt.Fprintf(w, "venue list failed, trying again: %v\n", err)
		select {
		case <-time.After(2 * time.Second):
		case <-deadline.C:
			return fmt.Errorf("超时 / timed out after %s: the platform's venue list is unreachable: %w", o.timeout, err)
		case <-ctx.Done():
			return ctx.Err()
		}
		hall, err = pickHall(ctx, c)
	}
	if err != nil {
		return err
	}
	drafts, err := synthesize(c.Format(), o, hall)
	if err != nil {
		return err
	}
	added := map[string]int{}
	dups := 0
	for chunk := range slices.Chunk(drafts, report.MaxBatch) {
		res, err := q.Enqueue(ctx, time.Now(), chunk...)
		if err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		for i, r := range res {
			if r.Duplicate {
				dups++
			} else {
				added[chunk[i].Endpoint]++
			}
		}
	}
	fmt.Fprintf(w, "enqueued %d new records, %d already in the queue (synthetic performance seed %d, %d sessions)\n",
		len(drafts)-dups, dups, o.seed, o.sessions)
	printByEndpoint(w, "  enqueued", added)
	e.Notify()

	// 5. Wait until every record is acked (or buried), or the timeout.
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var st report.Stats
	for {
		st, err = q.Stats(ctx, time.Now())
		if err != nil {
			return err
		}
		if st.Depth == 0 {
			break
		}
		select {
		case <-progress:
		case <-tick.C:
		case <-deadline.C:
			return fmt.Errorf("超时 / timed out after %s: %d records still pending (oldest enqueued %s ago, %d failing); "+
				"run again with the same -queue to go on", o.timeout, st.Depth, st.OldestAge.Round(time.Second), st.Failing)
		case <-ctx.Done():
			return fmt.Errorf("interrupted with %d records pending; run again with the same -queue to go on", st.Depth)
		}
	}
	stopEngine()

	es := e.Stats()
	mu.Lock()
	fmt.Fprintf(w, "delivered %d records in %d requests this run (%d as backfill 补报, %d retried, %d buried)\n",
		es.Acked, es.Requests, es.Backfill, es.Retried, es.Buried)
	printByEndpoint(w, "  delivered", delivered)
	mu.Unlock()
	fmt.Fprintf(w, "queue: %d acked, %d pending, %d dead\n", st.Acked, st.Depth, st.Dead)
	if st.Dead > 0 {
		return fmt.Errorf("%d records were buried (see `wht93 queue list --dead --db %s`)", st.Dead, o.queue)
	}
	fmt.Fprintln(w, "everything enqueued was delivered")
	return nil
}

func printByEndpoint(w io.Writer, label string, m map[string]int) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(w, "%s %-24s %d\n", label, k, m[k])
	}
}

// platformConfig returns the client configuration of the platform of o,
// starting the in-process simulator when o names none.
func platformConfig(o options, w io.Writer) (client.Config, func(), error) {
	if o.platform == "" {
		sim, err := platformsim.Start(platformsim.Config{KeepMessages: 1})
		if err != nil {
			return client.Config{}, nil, err
		}
		fmt.Fprintf(w, "platform: in-process simulator at %s\n", sim.URL())
		return sim.ClientConfig(), func() {
			if o.onSim != nil {
				o.onSim(sim)
			}
			sim.Close()
		}, nil
	}
	cfg := client.Config{BaseURL: o.platform, AppID: o.appID, Secret: o.secret}
	if o.caFile != "" {
		pem, err := os.ReadFile(o.caFile)
		if err != nil {
			return cfg, nil, fmt.Errorf("-ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return cfg, nil, fmt.Errorf("-ca-file: 文件中没有PEM证书 / no PEM certificate in the file: %q", o.caFile)
		}
		cfg.RootCAs = pool
	}
	fmt.Fprintf(w, "platform: %s\n", o.platform)
	return cfg, func() {}, nil
}

// pickHall returns the lowest code of an unseated, enabled, operating hall in
// the platform's venue list: the same platform gives the same hall.
func pickHall(ctx context.Context, c *client.Client) (string, error) {
	var halls []string
	for v, err := range c.Venues(ctx, client.VenueListRequest{}) {
		if err != nil {
			return "", fmt.Errorf("venue list: %w", err)
		}
		for _, h := range v.HallList {
			if h.HasSeat == client.Unseated && h.EnableState == client.Enabled && h.ManagementStatus == client.StatusOpen {
				halls = append(halls, h.HallCode)
			}
		}
	}
	if len(halls) == 0 {
		return "", errors.New("the platform lists no unseated, enabled, operating hall")
	}
	return slices.Min(halls), nil
}

// businessDay is the day of the synthetic sales: long past, so that every
// record goes to the platform as backfill (补报) and the output is the same on
// every day the example runs.
var businessDay = wht93.Date{Year: 2024, Month: time.June, Day: 1}

var names = []string{"茶馆", "雷雨", "牡丹亭", "天鹅湖", "卡门", "哈姆雷特", "四世同堂", "红楼梦"}

// synthesize returns the drafts of the synthetic performance of o in the order
// a ticketing system makes them: the session-code request, then per session
// its price tier, its tickets (in batches of 200), its orders, the refunds of
// the first orders and the check-ins of the next ones. Every report of a
// session names it by report.SessionRef, resolved at send time. The drafts
// depend only on o (its seed and counts) and hall.
func synthesize(f client.Format, o options, hall string) ([]report.Draft, error) {
	rng := rand.New(rand.NewPCG(o.seed, 0x5748_5439_3332_3032))
	perf := fmt.Sprintf("SYN%d", o.seed)
	key := func(parts ...any) string { return fmt.Sprint(append([]any{"syn/", o.seed}, parts...)...) }
	at := func(d, h, m, s int) client.DateTime {
		return f.DateTime(time.Date(businessDay.Year, businessDay.Month, businessDay.Day+d, h, m, s, 0, wht93.CST))
	}
	var out []report.Draft
	addOn := func(k string, day wht93.Date, req any) error {
		d, err := report.NewDraft(f, k, day, req)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		out = append(out, d)
		return nil
	}
	add := func(k string, req any) error { return addOn(k, businessDay, req) }

	codeReq := &client.SessionCodeRequest{PerformanceID: perf, PerformanceName: names[rng.IntN(len(names))], TypeID: 1001}
	sid := func(s int) string { return fmt.Sprintf("%s-S%d", perf, s) }
	for s := range o.sessions {
		codeReq.SessionList = append(codeReq.SessionList, client.SessionInfo{
			SessionID: sid(s), SessionName: fmt.Sprintf("第%d场", s+1), HallCode: hall,
			SessionStartTime: at(1+s, 19, 30, 0), SessionEndTime: at(1+s, 21, 30, 0), HasSeat: client.Unseated})
	}
	if err := add(key("/code"), codeReq); err != nil {
		return nil, err
	}
	for s := range o.sessions {
		id, ref := sid(s), report.SessionRef(sid(s))
		price := wht93.Fen(8000 + 1000*rng.IntN(81)) // 80.00 to 880.00
		tid := func(i int) string { return fmt.Sprintf("%s-T%05d", id, i) }
		if err := add(key("/", id, "/tier"), &client.ReportInventoryRequest{SessionCode: ref, PriceList: []client.PriceTier{{
			PerformanceID: perf, SessionID: id, PriceID: "A", PriceName: "看台", TicketPrice: price,
			AvailableInventory: o.tickets}}}); err != nil {
			return nil, err
		}
		tr := &client.ReportTicketRequest{PerformanceID: perf, SessionID: id, SessionCode: ref, PriceID: "A"}
		for i := range o.tickets {
			tr.TicketList = append(tr.TicketList, client.TicketInfo{TicketID: tid(i), AvailableSale: client.Sellable})
		}
		ds, err := report.TicketDrafts(f, key("/", id, "/tickets"), businessDay, tr)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
		sold := rng.Perm(o.tickets)[:o.orders]
		for i, t := range sold {
			oid := fmt.Sprintf("%s-O%05d", id, i)
			if err := add(key("/", oid), &client.ReportOrderRequest{OrderID: oid, OrderTime: at(0, 10, i/60%60, i%60),
				ChannelType: client.ChannelOwn, ChannelName: "官网", TicketNum: 1, TotalAmount: price,
				TicketType: client.TicketNormal, TicketMode: client.ModeElectronic, AuthMode: client.AuthNotRealName,
				TicketOrderList: []client.TicketOrder{{TicketOrderID: oid + "-1", PerformanceID: perf, SessionID: id,
					SessionCode: ref, PriceID: "A", TicketPrice: price, TicketID: tid(t), TicketOrderAmount: price}}}); err != nil {
				return nil, err
			}
		}
		for i := range o.refunds {
			oid := fmt.Sprintf("%s-O%05d", id, i)
			if err := add(key("/", oid, "/refund"), &client.ReportRefundRequest{RefundOrderID: oid + "-R", OrderID: oid,
				Reason: "行程变化", RefundOrderTime: at(0, 11, i/60%60, i%60), TicketOrderList: []client.RefundTicket{{
					TicketOrderID: oid + "-1", SessionCode: ref, RefundAmount: price * 9 / 10}}}); err != nil {
				return nil, err
			}
		}
		for i := o.refunds; i < o.refunds+o.checkins; i++ {
			if err := addOn(key("/", id, "/checkin/", tid(sold[i])), businessDay.AddDays(1+s), &client.ReportCheckingRequest{TicketList: []client.Checkin{{
				TicketID: tid(sold[i]), SessionID: id, PriceID: "A", SessionCode: ref, CheckingTime: at(1+s, 19, i/60%60, i%60),
				CheckingType: client.CheckQR, AuthType: client.CheckedAnon}}}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
