package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/report"
	"pgregory.net/rapid"
)

var f = client.DefaultFormat()

func ticketReq(n int) *client.ReportTicketRequest {
	r := &client.ReportTicketRequest{PerformanceID: "P1", SessionID: "S1", SessionCode: report.SessionRef("S1"), PriceID: "A"}
	for i := range n {
		r.TicketList = append(r.TicketList, client.TicketInfo{TicketID: "T" + itoa(i), AvailableSale: client.Sellable})
	}
	return r
}

func TestEncode(t *testing.T) {
	body, err := report.Encode(f, ticketReq(2))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"performanceId":"P1","sessionId":"S1","sessionCode":"wht93:sessionCode:S1","priceId":"A","ticketList":[{"ticketId":"T0","availableSale":1},{"ticketId":"T1","availableSale":1}]}`
	if string(body) != want {
		t.Fatalf("body\n%s\nwant\n%s", body, want)
	}
	if err := client.CheckStored(client.PathTicket, body); err != nil {
		t.Fatalf("an encoded body is not sendable: %v", err)
	}
}

func TestEncodeRefuses(t *testing.T) {
	withToken := ticketReq(1)
	withToken.AccessToken = "tok-secret"
	badRef := ticketReq(1)
	badRef.SessionCode = report.SessionRef(`a"b`)
	emptyRef := ticketReq(1)
	emptyRef.SessionCode = report.SessionRef("")
	badCode := ticketReq(1)
	badCode.SessionCode = "123"
	mixed := &client.ReportCheckingRequest{TicketList: []client.Checkin{
		{TicketID: "T1", SessionID: "S1", PriceID: "A", SessionCode: report.SessionRef("S1"), CheckingTime: "2024-06-01 19:00:00", CheckingType: 1, AuthType: 2},
		{TicketID: "T2", SessionID: "S2", PriceID: "A", SessionCode: report.SessionRef("S2"), CheckingTime: "2024-06-01 19:00:00", CheckingType: 1, AuthType: 2},
	}}
	for _, tc := range []struct {
		name  string
		req   any
		rule  error
		field string
	}{
		{"token", withToken, report.ErrEncode, "accessToken"},
		{"quote in ref", badRef, report.ErrEncode, "sessionCode"},
		{"empty ref", emptyRef, report.ErrEncode, "sessionCode"},
		{"bad code", badCode, nil, "sessionCode"},
		{"too many", ticketReq(201), client.ErrBatchSize, "ticketList"},
		{"two sessions", mixed, report.ErrEncode, "ticketList[1].sessionId"},
		{"not a report", &client.VenueListRequest{}, report.ErrEncode, "request"},
		{"nil", (*client.ReportTicketRequest)(nil), report.ErrEncode, "request"},
	} {
		body, err := report.Encode(f, tc.req)
		if err == nil || body != nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if tc.rule != nil && !errors.Is(err, tc.rule) {
			t.Errorf("%s: %v is not %v", tc.name, err, tc.rule)
		}
		if !strings.Contains(err.Error(), tc.field) || strings.Contains(err.Error(), "tok-secret") {
			t.Errorf("%s: %v does not name %s or shows the token", tc.name, err, tc.field)
		}
	}
}

func TestTicketDrafts(t *testing.T) {
	ds, err := report.TicketDrafts(f, "s1/tickets", mustDate(2024, 6, 1), ticketReq(450))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("%d drafts", len(ds))
	}
	total := 0
	for i, d := range ds {
		var r client.ReportTicketRequest
		if err := json.Unmarshal(d.Body, &r); err != nil {
			t.Fatal(err)
		}
		total += len(r.TicketList)
		if d.Key != "s1/tickets/"+itoa(i) || d.Stream != report.SessionStream("S1") || d.Endpoint != client.PathTicket {
			t.Errorf("draft %d: %+v", i, d)
		}
	}
	if total != 450 {
		t.Fatalf("%d tickets in the drafts", total)
	}
}

func TestStreamOf(t *testing.T) {
	refund := &client.ReportRefundRequest{OrderID: "O1", TicketOrderList: []client.RefundTicket{{SessionCode: report.SessionRef("S9")}}}
	if s, ok := report.StreamOf(refund); !ok || s != report.SessionStream("S9") {
		t.Fatalf("refund with a ref: %q %v", s, ok)
	}
	refund.TicketOrderList[0].SessionCode = "110101001012024050101"
	if _, ok := report.StreamOf(refund); ok {
		t.Fatal("a refund with a literal code has a stream")
	}
	order := &client.ReportOrderRequest{TicketOrderList: []client.TicketOrder{{SessionID: "S9"}}}
	checkin := &client.ReportCheckingRequest{TicketList: []client.Checkin{{SessionID: "S9"}}}
	for _, r := range []any{order, checkin, ticketReq(1)} {
		s, _ := report.StreamOf(r)
		want := report.SessionStream("S9")
		if _, isTicket := r.(*client.ReportTicketRequest); isTicket {
			want = report.SessionStream("S1")
		}
		if s != want {
			t.Errorf("%T: %q, want %q", r, s, want)
		}
	}
}

// TestRefsResolve: whatever the sessionIds, an encoded body with references,
// resolved with the engine's code book, is the body with the codes written in.
func TestRefsResolve(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.StringMatching(`[A-Za-z0-9_\-:.]{1,32}`).Draw(t, "sessionId")
		r := ticketReq(1)
		r.SessionID = id
		r.SessionCode = report.SessionRef(id)
		body, err := report.Encode(f, r)
		if err != nil {
			t.Fatal(err)
		}
		code := "110101001012024050102"
		book := &report.MemoryCodeBook{}
		_ = book.SaveSessionCodes(context.Background(), map[string]string{id: code})
		var sent []byte
		s := senderFunc(func(_ context.Context, _ string, b []byte) (json.RawMessage, error) { sent = b; return nil, nil })
		q := newQueueWith(t, body)
		e, _ := report.NewEngine(report.EngineConfig{Queue: q, Sender: s, Codes: book})
		if _, err := e.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.SessionCode = code
		want, _ := report.Encode(f, r)
		if !bytes.Equal(sent, want) {
			t.Fatalf("sent %s\nwant %s", sent, want)
		}
	})
}

// FuzzSessionRefs: any body, references or not, is either refused by Encode's
// reference check or resolved by the engine without a panic, and a body
// without references is sent byte for byte.
func FuzzSessionRefs(f *testing.F) {
	for _, s := range []string{`{}`, `{"sessionCode":"wht93:sessionCode:S1"}`, `{"a":"wht93:sessionCode:`, `"wht93:sessionCode:"`,
		`{"x":["wht93:sessionCode:A","wht93:sessionCode:B"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		book := &report.MemoryCodeBook{}
		_ = book.SaveSessionCodes(context.Background(), map[string]string{"S1": "110101001012024050101"})
		var sent []byte
		s := senderFunc(func(_ context.Context, _ string, b []byte) (json.RawMessage, error) { sent = b; return nil, nil })
		q := newQueueWith(t, body)
		e, _ := report.NewEngine(report.EngineConfig{Queue: q, Sender: s, Codes: book})
		if _, err := e.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(body, []byte("wht93:sessionCode:")) && sent != nil && !bytes.Equal(sent, body) {
			t.Fatalf("body changed: %q → %q", body, sent)
		}
	})
}

func newQueueWith(t interface{ Fatal(...any) }, body []byte) report.Queue {
	q := newMemoryQueue()
	_, err := q.Enqueue(context.Background(), clockNow, report.Draft{Key: "k", Endpoint: client.PathTicket, Body: body, Day: wht93.DateOf(clockNow)})
	if err != nil {
		t.Fatal(err)
	}
	return q
}
