package node

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// The HTTP transport of a node, for devices on the LAN and for LAN nodes
// syncing with the online server. Devices speak JSON (what a simulator or a
// protocol analyser shows, 8.2.3 通信报文显示); the sync pages are binary
// (a replica of 80,000 passes moves in well under a second):
//
//	POST /v1/scan        JSON scanWire → JSON decisionWire
//	POST /v1/heartbeat   JSON heartbeatWire → 204
//	GET  /v1/passes?after=N&limit=M   → application/octet-stream:
//	                     uvarint next, then per change: uvarint seq, uvarint
//	                     length, checkin.Pass.MarshalBinary; header
//	                     Wht93-Book-Epoch: the page's epoch (decimal)
//	GET  /v1/entries?after=N&limit=M  → uvarint next, then per entry: uvarint
//	                     length, checkin.Entry.MarshalBinary
//	POST /v1/push        the same framing of entries → JSON {"added": n}
//
// Errors are JSON {"code", "zh", "en", "field", "value"} with status 400 for a
// violation and 500 otherwise. The transport adds no authentication: run it
// on the venue's own network behind TLS and the host's access control.

// maxBody bounds a request or response body (a page of 10,000 entries is
// under 2 MB).
const maxBody = 16 << 20

// scanWire is a scan as JSON.
type scanWire struct {
	ID          string    `json:"id"`
	Method      string    `json:"method"`
	Credential  string    `json:"credential,omitempty"`
	Holder      string    `json:"holder,omitempty"` // the blind index, 64 hex digits
	FaceMatched bool      `json:"faceMatched,omitempty"`
	Gate        string    `json:"gate"`
	Device      string    `json:"device"`
	At          time.Time `json:"at"`
}

// entryWire is an entry as JSON.
type entryWire struct {
	ID        string    `json:"id"`
	Ticket    string    `json:"ticketCode"`
	SessionID string    `json:"sessionId,omitempty"`
	Tier      string    `json:"priceId,omitempty"`
	RealName  int       `json:"authMode"`
	Method    string    `json:"method"`
	Gate      string    `json:"gate"`
	Device    string    `json:"device"`
	Node      string    `json:"node"`
	At        time.Time `json:"at"`
	Count     int       `json:"count"`
}

// decisionWire is a decision as JSON.
type decisionWire struct {
	Accepted  bool       `json:"accepted"`
	Duplicate bool       `json:"duplicate,omitempty"`
	Code      string     `json:"code"`
	Zh        string     `json:"zh"`
	En        string     `json:"en"`
	Ticket    string     `json:"ticketCode,omitempty"`
	Count     int        `json:"count"`
	Max       int        `json:"max"`
	Field     string     `json:"field,omitempty"`
	Value     string     `json:"value,omitempty"`
	Entry     *entryWire `json:"entry,omitempty"`
}

type heartbeatWire struct {
	Device   string    `json:"device"`
	Gate     string    `json:"gate"`
	At       time.Time `json:"at"`
	Network  string    `json:"network"`
	Battery  int       `json:"battery"`
	Charging bool      `json:"charging,omitempty"`
	LastScan time.Time `json:"lastScan,omitzero"`
}

type errorWire struct {
	Code  string `json:"code"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
	Field string `json:"field,omitempty"`
	Value string `json:"value,omitempty"`
}

// ScanJSON returns the JSON a device sends for s (the message the simulator
// shows).
func ScanJSON(s checkin.Scan) ([]byte, error) { return json.Marshal(scanToWire(s)) }

// DecisionJSON returns the JSON a node answers with d.
func DecisionJSON(d checkin.Decision) ([]byte, error) { return json.Marshal(decisionToWire(d)) }

func scanToWire(s checkin.Scan) scanWire {
	w := scanWire{ID: s.ID, Method: s.Method.String(), Credential: s.Credential, FaceMatched: s.FaceMatched,
		Gate: s.Gate, Device: s.Device, At: s.At}
	if s.HasHolder() {
		w.Holder = s.Holder.String()
	}
	return w
}

func scanFromWire(w scanWire) (checkin.Scan, error) {
	m, err := checkin.ParseMethod(w.Method)
	if err != nil {
		return checkin.Scan{}, err
	}
	s := checkin.Scan{ID: w.ID, Method: m, Credential: w.Credential, FaceMatched: w.FaceMatched, Gate: w.Gate, Device: w.Device, At: w.At}
	if w.Holder != "" {
		idx, err := realname.ParseBlindIndex(w.Holder)
		if err != nil {
			return checkin.Scan{}, err
		}
		s.Holder = idx
	}
	return s, nil
}

func entryToWire(e checkin.Entry) *entryWire {
	return &entryWire{ID: e.ID, Ticket: e.Ticket.String(), SessionID: e.SessionID, Tier: e.Tier, RealName: int(e.RealName),
		Method: e.Method.String(), Gate: e.Gate, Device: e.Device, Node: e.Node, At: e.At, Count: e.Count}
}

func entryFromWire(w *entryWire) (checkin.Entry, error) {
	code, err := codes.ParseTicketCode(w.Ticket)
	if err != nil {
		return checkin.Entry{}, err
	}
	m, err := checkin.ParseMethod(w.Method)
	if err != nil {
		return checkin.Entry{}, err
	}
	e := checkin.Entry{ID: w.ID, Ticket: code, SessionID: w.SessionID, Tier: w.Tier, RealName: realname.Mode(w.RealName),
		Method: m, Gate: w.Gate, Device: w.Device, Node: w.Node, At: w.At.In(wht93.CST), Count: w.Count}
	return e, e.Validate()
}

func decisionToWire(d checkin.Decision) decisionWire {
	w := decisionWire{Accepted: d.Accepted, Duplicate: d.Duplicate, Code: d.Code(), Zh: d.Zh(), En: d.En(), Count: d.Count, Max: d.Max}
	if !d.Ticket.IsZero() {
		w.Ticket = d.Ticket.String()
	}
	if d.Refusal != nil {
		w.Field, w.Value = d.Refusal.Field, d.Refusal.Value
	}
	if d.Accepted {
		w.Entry = entryToWire(d.Entry)
	}
	return w
}

func decisionFromWire(w decisionWire) (checkin.Decision, error) {
	d := checkin.Decision{Accepted: w.Accepted, Duplicate: w.Duplicate, Count: w.Count, Max: w.Max}
	if w.Ticket != "" {
		c, err := codes.ParseTicketCode(w.Ticket)
		if err != nil {
			return checkin.Decision{}, err
		}
		d.Ticket = c
	}
	if w.Accepted {
		if w.Entry == nil {
			return checkin.Decision{}, errors.New("node: an accepted decision without its entry")
		}
		e, err := entryFromWire(w.Entry)
		if err != nil {
			return checkin.Decision{}, err
		}
		d.Entry = e
		return d, nil
	}
	rule := checkin.RuleOf(w.Code)
	if rule == nil {
		return checkin.Decision{}, fmt.Errorf("node: unknown refusal code %q", w.Code)
	}
	d.Refusal = rule.Atf(w.Field, w.Value, w.Zh, w.En)
	return d, nil
}

// Handler returns the HTTP handler of the node: devices scan and report
// heartbeats through it, LAN nodes below sync through it.
func Handler(n *Node) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/scan", func(w http.ResponseWriter, r *http.Request) {
		var sw scanWire
		if err := decodeJSON(r, &sw); err != nil {
			writeError(w, err)
			return
		}
		s, err := scanFromWire(sw)
		if err != nil {
			writeError(w, err)
			return
		}
		d, err := n.Scan(r.Context(), s)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, decisionToWire(d))
	})
	mux.HandleFunc("POST /v1/heartbeat", func(w http.ResponseWriter, r *http.Request) {
		var hw heartbeatWire
		if err := decodeJSON(r, &hw); err != nil {
			writeError(w, err)
			return
		}
		h := checkin.Heartbeat{Device: hw.Device, Gate: hw.Gate, At: hw.At, Network: parseNetwork(hw.Network),
			Battery: hw.Battery, Charging: hw.Charging, LastScan: hw.LastScan}
		if err := n.Heartbeat(r.Context(), h); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /v1/passes", func(w http.ResponseWriter, r *http.Request) {
		after, limit, err := pageArgs(r)
		if err != nil {
			writeError(w, err)
			return
		}
		p, err := n.Passes(r.Context(), after, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set(epochHeader, strconv.FormatUint(p.Epoch, 10))
		b := binary.AppendUvarint(make([]byte, 0, 16+len(p.Changes)*110), p.Next)
		for _, c := range p.Changes {
			pb, err := c.Pass.MarshalBinary()
			if err != nil {
				writeError(w, err)
				return
			}
			b = binary.AppendUvarint(b, c.Seq)
			b = binary.AppendUvarint(b, uint64(len(pb)))
			b = append(b, pb...)
		}
		writeBinary(w, b)
	})
	mux.HandleFunc("GET /v1/entries", func(w http.ResponseWriter, r *http.Request) {
		after, limit, err := pageArgs(r)
		if err != nil {
			writeError(w, err)
			return
		}
		p, err := n.Entries(r.Context(), after, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		b, err := appendEntries(binary.AppendUvarint(nil, p.Next), p.Entries)
		if err != nil {
			writeError(w, err)
			return
		}
		writeBinary(w, b)
	})
	mux.HandleFunc("POST /v1/push", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			writeError(w, badRequest("body", "请求体过大或读取失败", "request body too large or unreadable"))
			return
		}
		es, err := readEntries(body)
		if err != nil {
			writeError(w, err)
			return
		}
		added, err := n.Push(r.Context(), es)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"added": added})
	})
	return mux
}

func parseNetwork(s string) checkin.Network {
	for _, n := range []checkin.Network{checkin.NetOnline, checkin.NetLAN, checkin.NetOffline} {
		if n.String() == s {
			return n
		}
	}
	return 0
}

var (
	errHTTP   = wht93.NewRule("checkin.node.http", "检票节点通信请求有误", "malformed request to the check-in node")
	errRemote = wht93.NewRule("checkin.node.remote", "检票节点返回错误", "the check-in node answered with an error")
)

func badRequest(field, zh, en string) error { return errHTTP.Atf(field, "", zh, en) }

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errHTTP.Atf("body", "", "JSON 格式错误："+err.Error(), "malformed JSON: "+err.Error())
	}
	return nil
}

func pageArgs(r *http.Request) (uint64, int, error) {
	q := r.URL.Query()
	after, err := strconv.ParseUint(q.Get("after"), 10, 64)
	if err != nil {
		return 0, 0, errHTTP.Atf("after", q.Get("after"), "游标应为非负整数", "the cursor must be a non-negative integer")
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		return 0, 0, errHTTP.Atf("limit", q.Get("limit"), "数量应为整数", "the limit must be an integer")
	}
	return after, limit, nil
}

// appendEntries appends es to b, each as a uvarint length and its encoding
// (encoded in one scratch buffer, not one allocation each).
func appendEntries(b []byte, es []checkin.Entry) ([]byte, error) {
	var eb []byte
	for _, e := range es {
		var err error
		if eb, err = e.AppendBinary(eb[:0]); err != nil {
			return nil, err
		}
		b = binary.AppendUvarint(b, uint64(len(eb)))
		b = append(b, eb...)
	}
	return b, nil
}

func readEntries(b []byte) ([]checkin.Entry, error) {
	var out []checkin.Entry
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, checkin.ErrEncoding.Atf("entries", strconv.Itoa(len(out)), "检票记录分帧错误", "malformed entry framing")
		}
		var e checkin.Entry
		if err := e.UnmarshalBinary(b[k : k+int(n)]); err != nil {
			return nil, err
		}
		out = append(out, e)
		b = b[k+int(n):]
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeBinary(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func writeError(w http.ResponseWriter, err error) {
	vs := wht93.ViolationsOf(err)
	if len(vs) == 0 {
		writeJSON(w, http.StatusInternalServerError, errorWire{Code: "checkin.node.internal", Zh: "检票节点内部错误", En: "check-in node error: " + err.Error()})
		return
	}
	v := vs[0]
	writeJSON(w, http.StatusBadRequest, errorWire{Code: v.Code(), Zh: v.Zh, En: v.En, Field: v.Field, Value: v.Value})
}

// Client is a node over HTTP: a device's [Gate], a LAN node's [Upstream]. It
// is safe for concurrent use.
type Client struct {
	base string
	hc   *http.Client
}

var (
	_ Gate     = (*Client)(nil)
	_ Upstream = (*Client)(nil)
	_ Gate     = (*Node)(nil)
	_ Upstream = (*Node)(nil)
)

// NewClient returns a client of the node served at base ("http://10.0.0.2:7093")
// with hc (nil means a client with a 10-second timeout).
func NewClient(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ErrNode.Atf("base", base, "节点地址应为 http(s) 绝对地址", "the node's address must be an absolute http(s) URL")
	}
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{base: strings.TrimSuffix(base, "/"), hc: hc}, nil
}

func (c *Client) do(ctx context.Context, method, path, ctype string, body []byte) ([]byte, error) {
	b, _, err := c.doHeader(ctx, method, path, ctype, body)
	return b, err
}

// doHeader is do, returning the answer's header too.
func (c *Client) doHeader(ctx context.Context, method, path, ctype string, body []byte) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxBody {
		return nil, nil, fmt.Errorf("node client: %s answered more than %d bytes", path, maxBody)
	}
	if resp.StatusCode/100 != 2 {
		var ew errorWire
		if json.Unmarshal(b, &ew) == nil && ew.Code != "" {
			rule := checkin.RuleOf(ew.Code)
			switch {
			case rule != nil:
			case ew.Code == errHTTP.Code():
				rule = errHTTP
			case ew.Code == ErrNode.Code():
				rule = ErrNode
			default:
				rule = errRemote
			}
			return nil, nil, rule.Atf(ew.Field, ew.Value, ew.Zh, ew.En)
		}
		return nil, nil, fmt.Errorf("node client: %s: HTTP %d", path, resp.StatusCode)
	}
	return b, resp.Header, nil
}

// Scan implements Gate.
func (c *Client) Scan(ctx context.Context, s checkin.Scan) (checkin.Decision, error) {
	body, err := ScanJSON(s)
	if err != nil {
		return checkin.Decision{}, err
	}
	b, err := c.do(ctx, http.MethodPost, "/v1/scan", "application/json", body)
	if err != nil {
		return checkin.Decision{}, err
	}
	var w decisionWire
	if err := json.Unmarshal(b, &w); err != nil {
		return checkin.Decision{}, fmt.Errorf("node client: decision: %w", err)
	}
	return decisionFromWire(w)
}

// Heartbeat implements Gate.
func (c *Client) Heartbeat(ctx context.Context, h checkin.Heartbeat) error {
	body, err := json.Marshal(heartbeatWire{Device: h.Device, Gate: h.Gate, At: h.At, Network: h.Network.String(),
		Battery: h.Battery, Charging: h.Charging, LastScan: h.LastScan})
	if err != nil {
		return err
	}
	_, err = c.do(ctx, http.MethodPost, "/v1/heartbeat", "application/json", body)
	return err
}

// epochHeader carries a page of passes' Epoch (decimal). It is a header, so
// that clients that do not read it see the page as before.
const epochHeader = "Wht93-Book-Epoch"

// Passes implements Upstream.
func (c *Client) Passes(ctx context.Context, after uint64, limit int) (PassPage, error) {
	b, h, err := c.doHeader(ctx, http.MethodGet, "/v1/passes?after="+strconv.FormatUint(after, 10)+"&limit="+strconv.Itoa(limit), "", nil)
	if err != nil {
		return PassPage{}, err
	}
	var epoch uint64
	if v := h.Get(epochHeader); v != "" {
		if epoch, err = strconv.ParseUint(v, 10, 64); err != nil {
			return PassPage{}, checkin.ErrEncoding.Atf("epoch", strconv.Quote(v[:min(len(v), 32)]), "票据变更编号纪元格式错误", "malformed epoch of the change numbering")
		}
	}
	next, k := binary.Uvarint(b)
	if k <= 0 {
		return PassPage{}, checkin.ErrEncoding.Atf("next", "", "分页游标格式错误", "malformed page cursor")
	}
	b = b[k:]
	p := PassPage{Next: next, Epoch: epoch}
	for len(b) > 0 {
		seq, k1 := binary.Uvarint(b)
		if k1 <= 0 {
			return PassPage{}, checkin.ErrEncoding.Atf("seq", "", "分帧错误", "malformed framing")
		}
		n, k2 := binary.Uvarint(b[k1:])
		if k2 <= 0 || n > uint64(len(b)-k1-k2) {
			return PassPage{}, checkin.ErrEncoding.Atf("length", "", "分帧错误", "malformed framing")
		}
		var ps checkin.Pass
		if err := ps.UnmarshalBinary(b[k1+k2 : k1+k2+int(n)]); err != nil {
			return PassPage{}, err
		}
		p.Changes = append(p.Changes, checkin.PassChange{Seq: seq, Pass: ps})
		b = b[k1+k2+int(n):]
	}
	return p, nil
}

// Entries implements Upstream.
func (c *Client) Entries(ctx context.Context, after uint64, limit int) (EntryPage, error) {
	b, err := c.do(ctx, http.MethodGet, "/v1/entries?after="+strconv.FormatUint(after, 10)+"&limit="+strconv.Itoa(limit), "", nil)
	if err != nil {
		return EntryPage{}, err
	}
	next, k := binary.Uvarint(b)
	if k <= 0 {
		return EntryPage{}, checkin.ErrEncoding.Atf("next", "", "分页游标格式错误", "malformed page cursor")
	}
	es, err := readEntries(b[k:])
	if err != nil {
		return EntryPage{}, err
	}
	return EntryPage{Entries: es, Next: next}, nil
}

// Push implements Upstream.
func (c *Client) Push(ctx context.Context, es []checkin.Entry) (int, error) {
	body, err := appendEntries(nil, es)
	if err != nil {
		return 0, err
	}
	b, err := c.do(ctx, http.MethodPost, "/v1/push", "application/octet-stream", body)
	if err != nil {
		return 0, err
	}
	var out struct {
		Added int `json:"added"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, fmt.Errorf("node client: push: %w", err)
	}
	return out.Added, nil
}
