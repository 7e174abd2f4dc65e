package client_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// TestNothingSecretLogged runs a full report with failures of every kind and
// searches the client's log output and every error for the secret, the tokens
// and personal data from the bodies.
func TestNothingSecretLogged(t *testing.T) {
	const secret = "Sup3r-S3cret-Value-0042"
	const phone = "13800138000"
	const person = "王小明"
	var simLog syncBuffer
	e := start(t, platformsim.Config{Secret: secret, MessageLog: &simLog}, nil)
	ctx := context.Background()
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	s := e.reportShow(t, "P-LOG")
	note(e.c.UpdatePerformance(ctx, &client.UpdatePerformanceRequest{PerformanceID: s.perfID, Performer: person}))
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: 5000})
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Drop: true})
	note(e.c.ReportTicket(ctx, ticketReq(s, seatedTickets("T", 5))))
	e.sim.ExpireTokens()
	dt := e.c.DateTime(time.Date(2024, 6, 1, 10, 0, 0, 0, wht93.CST))
	order := &client.ReportOrderRequest{OrderID: "O-" + phone, OrderTime: dt, ChannelType: 1, ChannelName: person, TicketNum: 1,
		TotalAmount: 38000, TicketType: 1, TicketMode: 2, AuthMode: 3, TicketOrderList: []client.TicketOrder{{TicketOrderID: "TO-1",
			PerformanceID: s.perfID, SessionID: s.seatedID, SessionCode: s.seatedCode, PriceID: s.seatedTier, TicketPrice: 38000, TicketID: "T-1", TicketOrderAmount: 38000}}}
	note(e.c.ReportOrder(ctx, order))
	e.sim.Inject(platformsim.Fault{Path: client.PathRefundOrder, Code: 4000})
	note(e.c.ReportRefund(ctx, &client.ReportRefundRequest{RefundOrderID: "R-1", OrderID: order.OrderID, Reason: "联系人" + person + phone,
		RefundOrderTime: dt, TicketOrderList: []client.RefundTicket{{TicketOrderID: "TO-1", SessionCode: s.seatedCode, TicketID: "T-1", RefundAmount: 100}}}))
	// The GET carries the token in its query string: fail it at the transport.
	e.sim.Inject(platformsim.Fault{Path: client.PathPerformanceTypes, Drop: true, Times: -1})
	_, err := e.c.PerformanceTypes(ctx)
	note(err)
	e.sim.ClearFaults()
	// An invalid request quotes values in its violations: not these.
	note(e.c.ReportOrder(ctx, &client.ReportOrderRequest{OrderID: "O-2", ChannelName: person}))
	// A client with a wrong secret.
	bad := e.cfg
	bad.Secret = "Wrong-S3cret-Value-0043"
	c2, _ := client.New(bad)
	_, err = c2.PerformanceTypes(ctx)
	note(err)

	if len(errs) < 4 {
		t.Fatalf("only %d failures: the run did not exercise the failure paths: %v", len(errs), errs)
	}
	var tokens []string
	for _, m := range e.sim.MessagesTo(client.PathAccessToken) {
		var env struct {
			Data client.AccessTokenResponse `json:"data"`
		}
		if json.Unmarshal(m.Response, &env) == nil && env.Data.AccessToken != "" {
			tokens = append(tokens, env.Data.AccessToken)
		}
	}
	if len(tokens) < 2 {
		t.Fatalf("%d tokens issued", len(tokens))
	}
	logs := e.log.String()
	if !strings.Contains(logs, client.PathTicket) || !strings.Contains(logs, "retrying") || !strings.Contains(logs, "access token refreshed") {
		t.Fatalf("the log does not show the run:\n%s", logs)
	}
	forbidden := append([]string{secret, bad.Secret, phone, person}, tokens...)
	var texts []string
	texts = append(texts, logs)
	for _, err := range errs {
		texts = append(texts, err.Error())
	}
	for _, text := range texts {
		for _, f := range forbidden {
			if strings.Contains(text, f) {
				t.Errorf("%q found in:\n%s", f, text)
			}
		}
	}
	// The simulator's message display masks the secret and the tokens too.
	shown := simLog.String()
	if !strings.Contains(shown, "/getAccessToken") {
		t.Fatal("simulator message log empty")
	}
	for _, f := range append([]string{secret}, tokens...) {
		if strings.Contains(shown, f) {
			t.Errorf("simulator display shows %q", f)
		}
	}
}
