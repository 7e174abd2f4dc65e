package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

func ticketReq(s show, tickets []client.TicketInfo) *client.ReportTicketRequest {
	return &client.ReportTicketRequest{PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode,
		PriceID: s.seatedTier, TicketList: tickets}
}

// TestResultCodes: every result code of table A.2 and the transport failures,
// with the behaviour each one gets.
func TestResultCodes(t *testing.T) {
	cases := []struct {
		name     string
		fault    platformsim.Fault
		ok       bool
		calls    int // calls that reached /report/ticket
		class    client.Class
		sentinel error
	}{
		{"4000 not retried", platformsim.Fault{Code: 4000, Msg: "ticketList[0].seatNo 非法"}, false, 1, client.Permanent, client.ErrInvalidParams},
		{"4100 not retried", platformsim.Fault{Code: 4100}, false, 1, client.NeedsOperator, client.ErrNoPermission},
		{"4300 not retried", platformsim.Fault{Code: 4300}, false, 1, client.NeedsOperator, client.ErrBadCredentials},
		{"4400 not retried", platformsim.Fault{Code: 4400}, false, 1, client.NeedsOperator, client.ErrDockingStatus},
		{"5000 retried", platformsim.Fault{Code: 5000, Times: 2}, true, 3, 0, nil},
		{"5100 retried until attempts run out", platformsim.Fault{Code: 5100, Times: -1}, false, 4, client.Retryable, client.ErrBusy},
		{"HTTP 503 retried", platformsim.Fault{HTTPStatus: 503, Times: 3}, true, 4, 0, nil},
		{"HTTP 429 with Retry-After retried", platformsim.Fault{HTTPStatus: 429, RetryAfter: "1"}, true, 2, 0, nil},
		{"HTTP 500 exhausted", platformsim.Fault{HTTPStatus: 500, Times: -1}, false, 4, client.Retryable, client.ErrHTTPStatus},
		{"HTTP 404 not retried", platformsim.Fault{HTTPStatus: 404}, false, 1, client.NeedsOperator, client.ErrHTTPStatus},
		{"HTTP 400 not retried", platformsim.Fault{HTTPStatus: 400}, false, 1, client.Permanent, client.ErrHTTPStatus},
		{"dropped connection retried", platformsim.Fault{Drop: true, Times: 2}, true, 3, 0, nil},
		{"dropped connection exhausted", platformsim.Fault{Drop: true, Times: -1}, false, 4, client.Retryable, client.ErrTransport},
		{"unknown code", platformsim.Fault{Code: 4000, Msg: "x"}, false, 1, client.Permanent, client.ErrInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, platformsim.Config{}, nil)
			s := e.reportShow(t, "P")
			e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: tc.fault.Code, Msg: tc.fault.Msg, HTTPStatus: tc.fault.HTTPStatus,
				RetryAfter: tc.fault.RetryAfter, Drop: tc.fault.Drop, Times: tc.fault.Times})
			err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 3)))
			if got := e.sim.Calls(client.PathTicket); got != tc.calls {
				t.Errorf("%d calls, want %d", got, tc.calls)
			}
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				if len(e.sim.Tickets(s.seatedCode)) != 3 {
					t.Fatal("tickets not kept")
				}
				return
			}
			var ce *client.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err %T %v", err, err)
			}
			if got := client.Classify(err); got != tc.class {
				t.Errorf("class %v, want %v (%v)", got, tc.class, err)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("%v is not %v", err, tc.sentinel)
			}
			if ce.Endpoint != client.PathTicket || ce.Attempts != tc.calls {
				t.Errorf("endpoint %q attempts %d", ce.Endpoint, ce.Attempts)
			}
			if tc.fault.Msg != "" && (ce.Msg != tc.fault.Msg || !strings.Contains(err.Error(), tc.fault.Msg)) {
				t.Errorf("msg %q, error %q", ce.Msg, err)
			}
			if len(e.sim.Tickets(s.seatedCode)) != 0 {
				t.Fatal("faulted call stored tickets")
			}
		})
	}
}

// TestCodeAsNumberOrString: the envelope code is accepted in both forms.
func TestDecodeEnvelope(t *testing.T) {
	cases := []struct {
		in   string
		code int
		ok   bool
		err  bool
	}{
		{`{"code":"200","data":true,"msg":"接口调用成功","success":true}`, 200, true, false},
		{`{"code":200,"data":{},"msg":"ok","success":true}`, 200, true, false},
		{`{"code":4000,"data":null,"msg":"bad","success":false}`, 4000, false, false},
		{`{"code":" 5100 ","success":false}`, 0, false, true},
		{`{"code":"200","success":"true"}`, 200, true, false},
		{`{"code":"200"}`, 200, false, false},
		{`{"code":200.5,"success":true}`, 0, false, true},
		{`{"code":-1,"success":true}`, 0, false, true},
		{`{"data":{}}`, 0, false, true},
		{`<html>502 Bad Gateway</html>`, 0, false, true},
		{`{"code":"200","success":true}{}`, 0, false, true},
		{``, 0, false, true},
	}
	for _, tc := range cases {
		env, err := client.DecodeEnvelope([]byte(tc.in))
		if (err != nil) != tc.err || (err == nil && (int(env.Code) != tc.code || env.OK() != tc.ok)) {
			t.Errorf("%s: %+v %v", tc.in, env, err)
		}
		if err != nil && !errors.Is(err, client.ErrMalformedResponse) {
			t.Errorf("%s: %v is not ErrMalformedResponse", tc.in, err)
		}
	}
}

func TestTokenInvalidMidRunRefreshesOnce(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	s := e.reportShow(t, "P")
	ctx := context.Background()
	if err := e.c.ReportTicket(ctx, ticketReq(s, seatedTickets("W", 1))); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 1 {
		t.Fatal(n)
	}
	e.sim.ExpireTokens() // every caller below holds a token the platform now refuses
	var wg sync.WaitGroup
	errs := make(chan error, 8*10)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				tk := client.TicketInfo{TicketID: fmt.Sprintf("G%d-%d", g, i), AvailableSale: client.Sellable,
					FloorName: "2层", AreaName: fmt.Sprintf("%d区", g), RowName: fmt.Sprintf("%d排", i), SeatNo: "1号"}
				errs <- e.c.ReportTicket(ctx, ticketReq(s, []client.TicketInfo{tk}))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 2 {
		t.Fatalf("%d /getAccessToken calls, want 2 (one refresh)", n)
	}
}

func TestTokenInvalidTwiceIsNotALoop(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	s := e.reportShow(t, "P")
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 4200, Times: -1})
	err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 1)))
	if !errors.Is(err, client.ErrTokenInvalid) {
		t.Fatal(err)
	}
	if a, b := e.sim.Calls(client.PathTicket), e.sim.Calls(client.PathAccessToken); a != 2 || b != 2 {
		t.Fatalf("%d ticket calls, %d token calls; want 2 and 2", a, b)
	}
}

func TestBadCredentialsIsTerminal(t *testing.T) {
	e := start(t, platformsim.Config{}, func(c *client.Config) { c.Secret = "wrong-secret" })
	ctx := context.Background()
	for range 5 {
		_, err := e.c.PerformanceTypes(ctx)
		if !errors.Is(err, client.ErrBadCredentials) || client.Classify(err) != client.NeedsOperator {
			t.Fatalf("err %v class %v", err, client.Classify(err))
		}
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 1 {
		t.Fatalf("%d /getAccessToken calls, want 1: a failed refresh must not be retried in a storm", n)
	}
	if e.sim.Calls(client.PathPerformanceTypes) != 0 {
		t.Fatal("called without a token")
	}
	e.clock.Advance(2 * time.Second) // past the first back-off: one more try
	_, err := e.c.PerformanceTypes(ctx)
	if !errors.Is(err, client.ErrBadCredentials) || e.sim.Calls(client.PathAccessToken) != 2 {
		t.Fatalf("err %v, %d calls", err, e.sim.Calls(client.PathAccessToken))
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Fatal("secret in the error")
	}
}

func TestSameBodyOnEveryRetry(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	s := e.reportShow(t, "P")
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 5000, Times: 1})
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, HTTPStatus: 502, Times: 1})
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Drop: true, Times: 1})
	if err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 200))); err != nil {
		t.Fatal(err)
	}
	msgs := e.sim.MessagesTo(client.PathTicket)
	if len(msgs) != 4 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs[1:] {
		if !bytes.Equal(m.Request, msgs[0].Request) {
			t.Fatalf("attempt %d sent a different body", i+2)
		}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(msgs[0].Request, &probe); err != nil {
		t.Fatal(err)
	}
	if len(probe) != 6 { // accessToken performanceId sessionId sessionCode priceId ticketList: nothing else on the wire
		t.Fatalf("fields on the wire: %v", keys(probe))
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOutageSpendsTheRetryBudget(t *testing.T) {
	e := start(t, platformsim.Config{}, func(c *client.Config) { c.Retry.Budget = 20 })
	s := e.reportShow(t, "P")
	ctx := context.Background()
	e.sim.SetOutage(true)
	req := ticketReq(s, seatedTickets("T", 1))
	err := e.c.ReportTicket(ctx, req) // 4 attempts, 3 retries: 15 of 20 spent
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Attempts != 4 || !errors.Is(err, client.ErrTransport) || client.Classify(err) != client.Retryable {
		t.Fatalf("first: %v", err)
	}
	err = e.c.ReportTicket(ctx, req) // 1 retry left in the budget
	if !errors.As(err, &ce) || ce.Attempts != 2 || !errors.Is(err, client.ErrRetryBudget) || !errors.Is(err, client.ErrTransport) {
		t.Fatalf("second: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{client.PathTicket, "无法连接平台", "unreachable", "retry budget exhausted", "2 次尝试"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	before := e.sim.Calls(client.PathTicket)
	err = e.c.ReportTicket(ctx, req) // budget empty: one attempt only
	if !errors.As(err, &ce) || ce.Attempts != 1 || e.sim.Calls(client.PathTicket) != before+1 {
		t.Fatalf("third: %v", err)
	}
	e.sim.SetOutage(false)
	for range 5 {
		if err := e.c.ReportTicket(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.c.RetryBudget(); got != 5 {
		t.Fatalf("budget %d after 5 successes, want 5", got)
	}
}

func TestCancelledContextReturnsPromptly(t *testing.T) {
	t.Run("while the platform hangs", func(t *testing.T) {
		e := start(t, platformsim.Config{}, nil)
		s := e.reportShow(t, "P")
		e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Hang: platformsim.Duration(time.Hour)})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- e.c.ReportTicket(ctx, ticketReq(s, seatedTickets("T", 1))) }()
		waitFor(t, func() bool { return e.sim.Calls(client.PathTicket) == 1 })
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) || client.Classify(err) != client.Retryable {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("call did not end with its context")
		}
	})
	t.Run("while waiting to retry", func(t *testing.T) {
		e := start(t, platformsim.Config{}, func(c *client.Config) { c.Retry.RetryAfterMax = time.Hour })
		s := e.reportShow(t, "P")
		e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 5100, RetryAfter: "3600"})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- e.c.ReportTicket(ctx, ticketReq(s, seatedTickets("T", 1))) }()
		waitFor(t, func() bool { return len(e.sim.MessagesTo(client.PathTicket)) == 1 })
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("back-off did not end with the context")
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		e := start(t, platformsim.Config{}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := e.c.PerformanceTypes(ctx); !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		if e.sim.Calls(client.PathAccessToken) != 0 {
			t.Fatal("sent")
		}
	})
}

func TestHangingAttemptTimesOutAndIsRetried(t *testing.T) {
	e := start(t, platformsim.Config{}, func(c *client.Config) { c.Timeout = 200 * time.Millisecond })
	s := e.reportShow(t, "P")
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Hang: platformsim.Duration(time.Hour)})
	if err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 1))); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Calls(client.PathTicket); n != 2 {
		t.Fatalf("%d calls", n)
	}
}

// waitFor waits until cond holds, checking it as the scheduler runs.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPlainHTTPRefusedUnlessAllowed(t *testing.T) {
	cfg := client.Config{BaseURL: "http://127.0.0.1:1", AppID: "a", Secret: "s"}
	_, err := client.New(cfg)
	if err == nil || !errors.Is(err, client.ErrConfig) || !strings.Contains(err.Error(), "AllowInsecureHTTP") {
		t.Fatal(err)
	}
	cfg.AllowInsecureHTTP = true
	if _, err := client.New(cfg); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "ftp://x", "https://user:pw@x", "https://x?q=1", "platform.example.cn"} {
		if _, err := client.New(client.Config{BaseURL: bad, AppID: "a", Secret: "s"}); !errors.Is(err, client.ErrConfig) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := client.New(client.Config{BaseURL: "https://x"}); len(strings.Split(err.Error(), ";")) != 2 {
		t.Errorf("missing appId and secret not both reported: %v", err)
	}
}

func TestPlainHTTPSimulator(t *testing.T) {
	e := start(t, platformsim.Config{PlainHTTP: true}, nil)
	if !strings.HasPrefix(e.sim.URL(), "http://") {
		t.Fatal(e.sim.URL())
	}
	if _, err := e.c.PerformanceTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestUntrustedCertificateRefused(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	cfg := e.cfg
	cfg.RootCAs = nil // the system pool does not trust the simulator's CA
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PerformanceTypes(context.Background())
	if !errors.Is(err, client.ErrTLS) || !strings.Contains(err.Error(), "certificate") || client.Classify(err) != client.NeedsOperator {
		t.Fatal(err)
	}
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Attempts != 1 {
		t.Fatalf("a certificate failure was retried: %v", err)
	}
	if e.sim.Calls(client.PathAccessToken) != 0 {
		t.Fatal("request reached the platform over an unverified connection")
	}
}

// TestFailuresKeepTheConnection: failed attempts (an error code, an HTTP 5xx)
// do not make the client flush its connection pool.
func TestFailuresKeepTheConnection(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	s := e.reportShow(t, "P")
	before := e.sim.Connections()
	for range 3 {
		e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 5000})
		e.sim.Inject(platformsim.Fault{Path: client.PathTicket, HTTPStatus: 503})
		if err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 2))); err != nil {
			t.Fatal(err)
		}
		e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 4000})
		if err := e.c.ReportTicket(context.Background(), ticketReq(s, seatedTickets("T", 2))); !errors.Is(err, client.ErrInvalidParams) {
			t.Fatal(err)
		}
	}
	if got := e.sim.Connections(); got != before || before != 1 {
		t.Fatalf("%d connections before, %d after: the pool was flushed", before, got)
	}
}

func TestIssuedCredentials(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	id, secret := e.sim.IssueCredentials()
	cfg := e.cfg
	cfg.AppID, cfg.Secret = id, secret
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.PerformanceTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if id == e.sim.AppID() || len(secret) < 16 {
		t.Fatal(id, secret)
	}
}
