package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

func TestSendStored(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	s := e.reportShow(t, "RAW1")
	ctx := context.Background()
	body := `{"performanceId":"RAW1","sessionId":"` + s.seatedID + `","sessionCode":"` + s.seatedCode +
		`","priceId":"` + s.seatedTier + `","ticketList":[{"ticketId":"T<1>","availableSale":1,"floorName":"1","areaName":"A","rowName":"1","seatNo":"1"}]}`
	e.sim.ExpireTokens() // 4200 → one new token, one more try
	if _, err := e.c.SendStored(ctx, client.PathTicket, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.sim.Ticket(s.seatedCode, "T<1>"); !ok {
		t.Fatal("ticket not received")
	}
	// The bytes on the wire are the stored body with the token spliced in,
	// not re-encoded (no \u003c for "<").
	msgs := e.sim.MessagesTo(client.PathTicket)
	last := string(msgs[len(msgs)-1].Request)
	if !strings.HasPrefix(last, `{"accessToken":"`) || !strings.HasSuffix(last, body[1:]) {
		t.Fatalf("wire body %q does not end with the stored body", last)
	}

	// A refusal keeps the typed error: 4000 is Permanent.
	e.sim.Inject(platformsim.Fault{Path: client.PathTicket, Code: client.CodeInvalidParams})
	_, err := e.c.SendStored(ctx, client.PathTicket, []byte(body))
	if client.Classify(err) != client.Permanent || !errors.Is(err, client.ErrInvalidParams) {
		t.Fatalf("4000: got %v (%v)", err, client.Classify(err))
	}
}

func TestSendStoredRefuses(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	before := len(e.sim.Messages())
	for _, tc := range []struct{ path, body, field string }{
		{client.PathTicket, `[1]`, "body"},
		{client.PathTicket, `[{"buyerName":"张三","buyerCertNo":"110101199003074371"}]`, "body"},
		{client.PathTicket, `{"a":`, "body"},
		{client.PathTicket, ``, "body"},
		{client.PathTicket, `{"x":1,"accessToken":"secret-token"}`, "body.accessToken"},
		{client.PathAccessToken, `{}`, "path"},
		{"/nowhere", `{}`, "path"},
	} {
		_, err := e.c.SendStored(context.Background(), tc.path, []byte(tc.body))
		if !errors.Is(err, client.ErrStoredBody) || client.Classify(err) != client.Permanent {
			t.Errorf("%s %q: got %v", tc.path, tc.body, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.field+":") || strings.Contains(err.Error(), "secret-token") ||
			strings.Contains(err.Error(), "张三") || strings.Contains(err.Error(), "1101011990") {
			t.Errorf("%s %q: error %q names the wrong field or shows the token", tc.path, tc.body, err)
		}
	}
	if n := len(e.sim.Messages()); n != before {
		t.Fatalf("%d exchanges for refused bodies", n-before)
	}
}

func TestSendStoredEmptyObject(t *testing.T) {
	e := start(t, platformsim.Config{}, nil)
	data, err := e.c.SendStored(context.Background(), client.PathVenueList, []byte(` { } `))
	// An empty venue query is accepted or refused by the platform, but the
	// spliced body must be valid JSON either way.
	msgs := e.sim.MessagesTo(client.PathVenueList)
	if len(msgs) == 0 || !json.Valid(msgs[len(msgs)-1].Request) {
		t.Fatalf("spliced body invalid: %v %v", data, err)
	}
}
