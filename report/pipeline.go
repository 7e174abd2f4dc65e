package report

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
)

// Rules of the reporting pipeline.
var (
	// ErrEncode is a request that cannot be stored: of a kind the queue does not
	// carry, carrying an access token, or with a malformed session reference.
	ErrEncode = wht93.NewRule("report.encode", "请求无法入队", "request cannot be enqueued")
	// ErrSessionRef is a session reference whose code is not known yet.
	ErrSessionRef = wht93.NewRule("report.session_ref", "场次编码尚未取得", "session code not known yet")
)

// refPrefix starts a session reference. A session code is 21 digits, so the
// prefix can never be mistaken for one.
const refPrefix = "wht93:sessionCode:"

// SessionRef returns the placeholder to put in a sessionCode field when the
// session's code has not been obtained yet: it names the session by the
// vendor's sessionId and is replaced by the code when the record is sent (see
// [Engine]). The sessionId must not contain a double quote, a backslash or a
// control character (Encode refuses such a reference).
func SessionRef(sessionID string) string { return refPrefix + sessionID }

// Encode validates a typed request of Appendix A against its table and
// returns its body for the queue: the JSON the client would send, without the
// accessToken member (the client adds it at send time, see
// client.Client.SendStored). sessionCode fields may hold a [SessionRef]; they
// are validated as if they held a valid code. req is a pointer to one of the
// request types of the endpoints that report data (see [EndpointOf]). An
// invalid request returns every violation and no body.
func Encode(f client.Format, req any) ([]byte, error) {
	path, ok := EndpointOf(req)
	if !ok {
		return nil, wht93.Violations{ErrEncode.Atf("request", typeName(req),
			"不是可入队的上报请求", "not a report request the queue carries")}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, wht93.Violations{ErrEncode.Atf("request", typeName(req), "无法编码", "cannot be encoded: "+err.Error())}
	}
	const empty = `{"accessToken":"",`
	if !bytes.HasPrefix(body, []byte(empty)) {
		return nil, wht93.Violations{ErrEncode.Atf("accessToken", "***", "入队的请求不得含 accessToken", "an enqueued request must not carry accessToken")}
	}
	body = append([]byte{'{'}, body[len(empty):]...)
	refs, verr := sessionRefs(body)
	if verr != nil {
		return nil, wht93.Violations{verr}
	}
	// Validate a copy whose references hold a well-formed code.
	probe := body
	if len(refs) > 0 {
		probe, _ = resolveRefs(body, func(string) (string, bool) { return sampleCode, true })
	}
	v := reflect.New(reflect.TypeOf(req).Elem()).Interface()
	if err := json.Unmarshal(probe, v); err != nil {
		return nil, wht93.Violations{ErrEncode.Atf("request", path, "无法编码", "cannot be encoded: "+err.Error())}
	}
	if err := v.(interface {
		Validate(client.Format) wht93.Violations
	}).Validate(f).Err(); err != nil {
		return nil, err
	}
	if path == client.PathChecking {
		if vs := oneSession(req.(*client.ReportCheckingRequest)); vs != nil {
			return nil, vs
		}
	}
	return body, nil
}

// sampleCode is a well-formed session code (hall 11010100101, 2024-05-01,
// session 01) used only to validate a request whose code is a reference.
const sampleCode = "110101001012024050101"

// EndpointOf returns the endpoint a report request goes to.
func EndpointOf(req any) (string, bool) {
	switch r := req.(type) {
	case *client.SessionCodeRequest:
		return client.PathSessionCode, r != nil
	case *client.UpdatePerformanceRequest:
		return client.PathPerformanceUpdate, r != nil
	case *client.UpdateSessionRequest:
		return client.PathSessionUpdate, r != nil
	case *client.ReportInventoryRequest:
		return client.PathInventory, r != nil
	case *client.ReportTicketRequest:
		return client.PathTicket, r != nil
	case *client.ReportOrderRequest:
		return client.PathOrder, r != nil
	case *client.ReportRefundRequest:
		return client.PathRefundOrder, r != nil
	case *client.ReportCheckingRequest:
		return client.PathChecking, r != nil
	}
	return "", false
}

// SessionStream returns the ordering stream of a session's records.
func SessionStream(sessionID string) string { return "session:" + sessionID }

// StreamOf returns the ordering stream of a report request, which carries the
// order the data requires (Appendix A, "Ordering that the data itself
// requires"). Every report of a session shares the stream [SessionStream] of
// its sessionId: its update, its price tiers, then its tickets, the orders and
// refunds whose first sub-order is of that session, and its check-ins. So a
// price tier goes before the tickets and orders that name it, an order
// before its refunds and a ticket before its check-ins, each in the order
// enqueued. A performance update goes in "performance:"+performanceId;
// /performance/code depends on nothing (""). A session's code comes before any
// report of that session through the session reference, not the stream: a
// record whose reference cannot be resolved is not sent (see [Engine]).
//
// A refund names its session only by sessionCode: StreamOf finds the
// sessionId in a [SessionRef] there, and returns "" with ok false for a
// literal code (the caller then sets Draft.Stream to SessionStream itself).
func StreamOf(req any) (stream string, ok bool) {
	switch r := req.(type) {
	case *client.UpdatePerformanceRequest:
		return "performance:" + r.PerformanceID, true
	case *client.UpdateSessionRequest:
		return SessionStream(r.SessionID), true
	case *client.ReportInventoryRequest:
		if len(r.PriceList) > 0 {
			return SessionStream(r.PriceList[0].SessionID), true
		}
	case *client.ReportTicketRequest:
		return SessionStream(r.SessionID), true
	case *client.ReportOrderRequest:
		if len(r.TicketOrderList) > 0 {
			return SessionStream(r.TicketOrderList[0].SessionID), true
		}
	case *client.ReportRefundRequest:
		if len(r.TicketOrderList) > 0 {
			if id, isRef := strings.CutPrefix(r.TicketOrderList[0].SessionCode, refPrefix); isRef {
				return SessionStream(id), true
			}
		}
		return "", false
	case *client.ReportCheckingRequest:
		if len(r.TicketList) > 0 {
			return SessionStream(r.TicketList[0].SessionID), true
		}
	case *client.SessionCodeRequest:
		return "", true
	}
	return "", false
}

// NewDraft encodes req (see [Encode]) into a draft for the queue, with its
// endpoint and its stream ([StreamOf]); key names the report for
// deduplication and day is its business day (its deadline is [DueOf](day)).
// A refund whose sessionCode is a literal code is refused: build its Draft
// with [Encode] and Stream [SessionStream](sessionId) instead.
func NewDraft(f client.Format, key string, day wht93.Date, req any) (Draft, error) {
	body, err := Encode(f, req)
	if err != nil {
		return Draft{}, err
	}
	path, _ := EndpointOf(req)
	stream, ok := StreamOf(req)
	if !ok {
		return Draft{}, wht93.Violations{ErrEncode.Atf("ticketOrderList[0].sessionCode", "",
			"退票的场次无法确定：请使用 SessionRef，或自行设置 Draft.Stream",
			"the refund's session is unknown: use a SessionRef, or set Draft.Stream yourself")}
	}
	return Draft{Key: key, Stream: stream, Endpoint: path, Body: body, Day: day}, nil
}

// TicketDrafts splits the tickets of one session and price tier into drafts
// of at most client.MaxTicketsPerCall (200) tickets, the batch of
// /report/ticket, keyed key+"/"+i. req is not modified.
func TicketDrafts(f client.Format, key string, day wht93.Date, req *client.ReportTicketRequest) ([]Draft, error) {
	if req == nil {
		return nil, wht93.Violations{ErrEncode.At("request", "nil")}
	}
	var out []Draft
	var vs wht93.Violations
	for i := 0; i < len(req.TicketList) || i == 0; i += client.MaxTicketsPerCall {
		part := *req
		part.TicketList = req.TicketList[i:min(i+client.MaxTicketsPerCall, len(req.TicketList))]
		d, err := NewDraft(f, key+"/"+itoa(i/client.MaxTicketsPerCall), day, &part)
		if err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In("batch["+itoa(i/client.MaxTicketsPerCall)+"]")...)
			continue
		}
		out = append(out, d)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).String()
}

func oneSession(r *client.ReportCheckingRequest) wht93.Violations {
	for i, c := range r.TicketList {
		if c.SessionID != r.TicketList[0].SessionID {
			return wht93.Violations{ErrEncode.Atf("ticketList["+itoa(i)+"].sessionId", c.SessionID,
				"一次入队的检票须属同一场次（以保证先票后检票的顺序）", "check-ins enqueued together must belong to one session (tickets before check-ins)")}
		}
	}
	return nil
}

// sessionRefs returns the sessionIds the body refers to, in order of
// appearance, or a violation for a malformed reference.
func sessionRefs(body []byte) ([]string, *wht93.Violation) {
	var ids []string
	rest := body
	for {
		i := bytes.Index(rest, []byte(`"`+refPrefix))
		if i < 0 {
			return ids, nil
		}
		rest = rest[i+1+len(refPrefix):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return nil, ErrEncode.Atf("sessionCode", refPrefix, "场次引用不完整", "session reference not closed")
		}
		id := rest[:j]
		if j == 0 || bytes.IndexByte(id, '\\') >= 0 {
			return nil, ErrEncode.Atf("sessionCode", refPrefix+string(id),
				"场次引用须含非空、无转义字符的 sessionId", "session reference needs a sessionId without escapes")
		}
		ids = append(ids, string(id))
		rest = rest[j+1:]
	}
}

// resolveRefs replaces every session reference in body by the code lookup
// gives. It returns the first sessionId lookup does not know, with ok false.
func resolveRefs(body []byte, lookup func(sessionID string) (string, bool)) ([]byte, string) {
	marker := []byte(`"` + refPrefix)
	if !bytes.Contains(body, marker) {
		return body, ""
	}
	out := make([]byte, 0, len(body))
	rest := body
	for {
		i := bytes.Index(rest, marker)
		if i < 0 {
			return append(out, rest...), ""
		}
		out = append(out, rest[:i+1]...)
		rest = rest[i+1+len(refPrefix):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return append(out, rest...), ""
		}
		id := string(rest[:j])
		code, ok := lookup(id)
		if !ok {
			return nil, id
		}
		out = append(out, code...)
		rest = rest[j:]
	}
}

// CodeBook keeps the session codes the platform gave (/performance/code), so
// that session references resolve after a restart. It is a port: the engine
// saves every code it obtains before it acks the /performance/code record,
// and looks codes up when it sends a record holding a reference.
//
// Contract: SaveSessionCodes is durable when it returns nil and may be called
// again with the same codes; SessionCode returns ok false for an unknown
// sessionId. Both are safe for concurrent use. A host implements it on its
// own database (the session table usually has a column for the code already).
type CodeBook interface {
	SessionCode(ctx context.Context, sessionID string) (code string, ok bool, err error)
	SaveSessionCodes(ctx context.Context, codes map[string]string) error
}

// MemoryCodeBook is a CodeBook in memory, for tests and demonstrations:
// nothing survives the process. It is safe for concurrent use; the zero
// value is empty.
type MemoryCodeBook struct {
	mu    sync.Mutex
	codes map[string]string
}

// SessionCode returns the code saved for sessionID.
func (m *MemoryCodeBook) SessionCode(_ context.Context, sessionID string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[sessionID]
	return c, ok, nil
}

// SaveSessionCodes saves codes, or none of them when one is invalid
// ([CheckSessionCodes]).
func (m *MemoryCodeBook) SaveSessionCodes(_ context.Context, codes map[string]string) error {
	if err := CheckSessionCodes(codes); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.codes == nil {
		m.codes = make(map[string]string)
	}
	for k, v := range codes {
		m.codes[k] = v
	}
	return nil
}
