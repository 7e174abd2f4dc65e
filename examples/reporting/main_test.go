package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
	"github.com/piaowu/wht93/report"
)

// childEnv makes the test binary run main with the arguments it holds
// (separated by U+001F): the crash test kills that child with SIGKILL.
const childEnv = "WHT93_REPORTING_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childEnv); ok {
		os.Args = append([]string{"reporting"}, strings.Split(args, "\x1f")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func defaults(t *testing.T, args ...string) options {
	t.Helper()
	o, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestNoFlags runs the example as `go run ./examples/reporting` does and checks
// the simulator holds every record of the synthetic performance, once.
func TestNoFlags(t *testing.T) {
	o := defaults(t)
	var counts platformsim.Counts
	var checked bool
	o.onSim = func(sim *platformsim.Sim) {
		counts = sim.Counts()
		checkPlatform(t, sim, o)
		checked = true
	}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	if !checked {
		t.Fatal("the simulator was not started")
	}
	want := wantCounts(o, counts.Venues)
	if counts != want {
		t.Fatalf("platform holds %+v, want %+v", counts, want)
	}
	s := out.String()
	for _, line := range []string{
		"enqueued 238 new records, 0 already in the queue",
		"delivered 238 records in 238 requests this run (238 as backfill 补报, 0 retried, 0 buried)",
		"queue: 238 acked, 0 pending, 0 dead",
		"everything enqueued was delivered",
	} {
		if !strings.Contains(s, line) {
			t.Errorf("output lacks %q:\n%s", line, s)
		}
	}
}

// TestRerunEnqueuesNothingTwice runs the example twice on one queue against
// one platform: the second run finds every report already queued and sends
// nothing.
func TestRerunEnqueuesNothingTwice(t *testing.T) {
	sim := startSim(t)
	o := defaults(t, platformArgs(t, sim, filepath.Join(t.TempDir(), "q.db"), "-sessions", "2", "-tickets", "250",
		"-orders", "10", "-refunds", "2", "-checkins", "3", "-seed", "7")...)
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	calls := len(sim.Messages())
	out.Reset()
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	n := len(mustSynth(t, sim, o))
	for _, line := range []string{
		fmt.Sprintf("enqueued 0 new records, %d already in the queue", n),
		"delivered 0 records in 0 requests this run",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("second run's output lacks %q:\n%s", line, &out)
		}
	}
	for _, m := range sim.Messages()[calls:] {
		if m.Path != client.PathAccessToken && m.Path != client.PathVenueList {
			t.Errorf("second run sent %s", m.Path)
		}
	}
	checkPlatform(t, sim, o)
	if got, want := sim.Counts(), wantCounts(o, sim.Counts().Venues); got != want {
		t.Fatalf("platform holds %+v, want %+v", got, want)
	}
}

// TestKilledAndRerun kills the example with SIGKILL while it delivers, runs it
// again with the same queue against the same platform, and checks that the
// platform ends with every record once in content, and that the second run
// enqueued nothing twice.
func TestKilledAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	sim := startSim(t)
	queue := filepath.Join(t.TempDir(), "q.db")
	args := platformArgs(t, sim, queue, "-sessions", "2", "-tickets", "1000", "-orders", "150",
		"-refunds", "20", "-checkins", "60", "-seed", "3", "-rate", "150", "-lease", "1s")
	o := defaults(t, args...)
	total := len(mustSynth(t, sim, o))

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\x1f"))
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has enqueued, then until some orders (not all) are
	// on the platform: it is in the middle of delivering.
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "enqueued ") {
	}
	go io.Copy(io.Discard, stdout)
	exited := make(chan struct{})
	go func() { _ = child.Wait(); close(exited) }()
	waitFor(t, 15*time.Second, func() bool {
		select {
		case <-exited:
			t.Fatal("the child ended before it was killed")
		default:
		}
		return sim.Counts().Orders >= 40
	})
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	mid := sim.Counts()
	if mid.Checkins == 2*60 {
		t.Fatalf("the child finished before it was killed: %+v", mid)
	}
	t.Logf("killed with %+v on the platform", mid)

	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, &out)
	}
	s := out.String()
	if !strings.Contains(s, "records pending from an earlier run") ||
		!strings.Contains(s, fmt.Sprintf("enqueued 0 new records, %d already in the queue", total)) ||
		!strings.Contains(s, "everything enqueued was delivered") {
		t.Fatalf("second run:\n%s", s)
	}
	checkPlatform(t, sim, o)
	if got, want := sim.Counts(), wantCounts(o, mid.Venues); got != want {
		t.Fatalf("platform holds %+v, want %+v", got, want)
	}
	checkOldestFirst(t, sim)
}

// checkOldestFirst checks that the orders of each session first reached the
// platform in the order they were enqueued (their orderIds ascend), across the
// kill and the second run.
func checkOldestFirst(t *testing.T, sim *platformsim.Sim) {
	t.Helper()
	seen := map[string]bool{}
	last := map[string]string{} // session → last new orderId
	n := 0
	for _, m := range sim.MessagesTo(client.PathOrder) {
		env, err := client.DecodeEnvelope(m.Response)
		if err != nil || !env.OK() {
			continue
		}
		var r client.ReportOrderRequest
		mustJSON(t, m.Request, &r)
		if seen[r.OrderID] {
			continue // sent again after the kill: its lease had not been acked
		}
		seen[r.OrderID] = true
		n++
		sid := r.TicketOrderList[0].SessionID
		if r.OrderID < last[sid] {
			t.Fatalf("order %s reached the platform after %s", r.OrderID, last[sid])
		}
		last[sid] = r.OrderID
	}
	if n == 0 {
		t.Fatal("no order in the message log")
	}
}

func TestFlagsRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-sessions", "0"}, "-sessions"},
		{[]string{"-tickets", "100001"}, "-tickets"},
		{[]string{"-tickets", "10", "-orders", "11"}, "-orders"},
		{[]string{"-orders", "5", "-refunds", "3", "-checkins", "3"}, "-refunds"},
		{[]string{"-platform", "https://x"}, "needs -app-id and -secret"},
		{[]string{"-ca-file", "/tmp/ca.pem"}, "-ca-file"},
		{[]string{"-rate", "0"}, "-rate"},
		{[]string{"-lease", "1ms"}, "-lease"},
		{[]string{"-timeout", "0s"}, "-timeout"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		_, err := parseFlags(tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want it to name %q", tc.args, err, tc.want)
		}
	}
	if _, err := parseFlags([]string{"-platform", "https://x", "-app-id", "a", "-secret", "top-secret-value", "-sessions", "0"}, io.Discard); err == nil || strings.Contains(err.Error(), "top-secret-value") {
		t.Errorf("err = %v: refused, without the secret", err)
	}
}

func startSim(t *testing.T) *platformsim.Sim {
	t.Helper()
	sim, err := platformsim.Start(platformsim.Config{KeepMessages: 100000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func platformArgs(t *testing.T, sim *platformsim.Sim, queue string, more ...string) []string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, sim.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return append([]string{"-platform", sim.URL(), "-ca-file", ca, "-app-id", sim.AppID(), "-secret", sim.Secret(),
		"-queue", queue, "-timeout", "60s"}, more...)
}

// waitFor waits until cond holds, checking it as the simulator changes.
func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", limit)
		}
		<-tick.C
	}
}

func wantCounts(o options, venues int) platformsim.Counts {
	return platformsim.Counts{Venues: venues, Performances: 1, Sessions: o.sessions, Tiers: o.sessions,
		Tickets: o.sessions * o.tickets, Orders: o.sessions * o.orders, Refunds: o.sessions * o.refunds,
		Checkins: o.sessions * o.checkins}
}

func mustSynth(t *testing.T, sim *platformsim.Sim, o options) []report.Draft {
	t.Helper()
	c, err := client.New(sim.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hall, err := pickHall(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := synthesize(c.Format(), o, hall)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// checkPlatform checks that every report of the synthetic performance of o is
// on the platform with the content it was enqueued with, its session
// references resolved to the codes the platform gave.
func checkPlatform(t *testing.T, sim *platformsim.Sim, o options) {
	t.Helper()
	codes := map[string]string{}
	for _, s := range sim.Sessions() {
		codes[s.Session.SessionID] = s.SessionCode
	}
	if len(codes) < o.sessions {
		t.Fatalf("platform has %d sessions, want %d", len(codes), o.sessions)
	}
	checkins := map[string][]client.Checkin{} // by session code
	for _, d := range mustSynth(t, sim, o) {
		body := d.Body
		for id, code := range codes {
			body = bytes.ReplaceAll(body, []byte(report.SessionRef(id)), []byte(code))
		}
		if bytes.Contains(body, []byte(report.SessionRef(""))) {
			t.Fatalf("%s: unresolved reference in %.120s", d.Key, body)
		}
		switch d.Endpoint {
		case client.PathSessionCode:
			var r client.SessionCodeRequest
			mustJSON(t, body, &r)
			for _, s := range r.SessionList {
				got, ok := sim.Session(s.SessionID)
				if !ok || !reflect.DeepEqual(got.Session, s) {
					t.Errorf("session %s: %+v, want %+v", s.SessionID, got.Session, s)
				}
			}
		case client.PathInventory:
			var r client.ReportInventoryRequest
			mustJSON(t, body, &r)
			tiers := sim.Tiers(r.SessionCode)
			if len(tiers) != 1 || !reflect.DeepEqual(tiers[0].Tier, r.PriceList[0]) {
				t.Errorf("tiers of %s: %+v, want %+v", r.SessionCode, tiers, r.PriceList)
			}
		case client.PathTicket:
			var r client.ReportTicketRequest
			mustJSON(t, body, &r)
			for _, tk := range r.TicketList {
				got, ok := sim.Ticket(r.SessionCode, tk.TicketID)
				if !ok || got.Ticket != tk || got.PriceID != r.PriceID {
					t.Errorf("ticket %s: %+v, want %+v", tk.TicketID, got, tk)
				}
			}
		case client.PathOrder:
			var r client.ReportOrderRequest
			mustJSON(t, body, &r)
			got, ok := sim.Order(r.OrderID)
			if !ok || !reflect.DeepEqual(got.Order, r) {
				t.Errorf("order %s: %+v, want %+v", r.OrderID, got.Order, r)
			}
		case client.PathRefundOrder:
			var r client.ReportRefundRequest
			mustJSON(t, body, &r)
			got, ok := sim.Refund(r.RefundOrderID)
			if !ok || !reflect.DeepEqual(got.Refund, r) {
				t.Errorf("refund %s: %+v, want %+v", r.RefundOrderID, got.Refund, r)
			}
		case client.PathChecking:
			var r client.ReportCheckingRequest
			mustJSON(t, body, &r)
			for _, c := range r.TicketList {
				checkins[c.SessionCode] = append(checkins[c.SessionCode], c)
			}
		default:
			t.Fatalf("unexpected endpoint %s", d.Endpoint)
		}
	}
	for code, want := range checkins {
		var got []client.Checkin
		for _, r := range sim.Checkins(code) {
			got = append(got, r.Checkin)
		}
		if !sameSet(got, want) {
			t.Errorf("check-ins of %s: %d on the platform, want %d", code, len(got), len(want))
		}
	}
}

func sameSet(a, b []client.Checkin) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[client.Checkin]int{}
	for _, c := range a {
		seen[c]++
	}
	for _, c := range b {
		if seen[c] == 0 {
			return false
		}
		seen[c]--
	}
	return true
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %.120s", err, b)
	}
}
