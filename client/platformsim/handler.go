package platformsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/client"
)

const maxRequestBody = 4 << 20

var codeMsg = map[int]string{
	client.CodeOK:             "接口调用成功",
	client.CodeInvalidParams:  "请求参数非法",
	client.CodeNoPermission:   "对接权限验证失败，无该接口权限",
	client.CodeTokenInvalid:   "token已失效，请重新获取 token",
	client.CodeBadCredentials: "账号或密钥错误",
	client.CodeDockingStatus:  "对接状态错误",
	client.CodeSystemError:    "系统异常，请重新上报数据",
	client.CodeBusy:           "服务器繁忙，请稍后重试",
}

// Handler returns the simulator's HTTP handler: the twelve endpoints of A.3 and,
// when Config.Admin is set, the admin endpoints under /_sim/. Start serves it;
// it can also be mounted in another server.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, p := range client.Paths() {
		mux.HandleFunc(p, s.serveAPI)
	}
	if s.cfg.Admin {
		s.adminRoutes(mux)
	}
	return mux
}

// exchange is what one call produced.
type exchange struct {
	status     int
	body       []byte
	retryAfter string
	drop       bool
}

func envelope(code int, msg string, data any) []byte {
	if msg == "" {
		msg = codeMsg[code]
	}
	raw := json.RawMessage("null")
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			code, msg = client.CodeSystemError, codeMsg[client.CodeSystemError]
		} else {
			raw = b
		}
	}
	b, _ := json.Marshal(client.Envelope{Code: client.ResultCode(code), Data: raw, Msg: msg, Success: code == client.CodeOK})
	return b
}

func (s *Sim) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	path := r.URL.Path
	body, rerr := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	shown := path
	if r.URL.RawQuery != "" {
		shown += "?" + r.URL.RawQuery
	}
	m := Message{Time: s.now(), Method: r.Method, Path: path, Request: body}
	s.mu.Lock()
	s.calls[path]++
	f, faulted := s.takeFault(path)
	s.mu.Unlock()
	if faulted {
		m.Fault = f.String()
	}
	if f.Hang > 0 {
		t := time.NewTimer(time.Duration(f.Hang))
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			m.Duration = time.Since(start)
			s.record(m)
			return
		}
	}
	var ex exchange
	switch {
	case f.Drop:
		ex.drop = true
	case f.HTTPStatus != 0:
		ex = exchange{status: f.HTTPStatus, retryAfter: f.RetryAfter}
	case f.Code != 0:
		ex = exchange{status: http.StatusOK, body: envelope(f.Code, f.Msg, nil), retryAfter: f.RetryAfter}
	case rerr != nil || len(body) > maxRequestBody:
		ex = exchange{status: http.StatusOK, body: envelope(client.CodeInvalidParams, "请求体无法读取或过大 / body unreadable or too large", nil)}
	default:
		ex = s.answer(r, path, body)
	}
	m.Path = shown
	if ex.drop {
		m.Duration = time.Since(start)
		s.record(m)
		panic(http.ErrAbortHandler) // closes the connection without an answer
	}
	if ex.retryAfter != "" {
		w.Header().Set("Retry-After", ex.retryAfter)
	}
	if ex.body != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(ex.status)
	w.Write(ex.body)
	m.Status, m.Response, m.Duration = ex.status, ex.body, time.Since(start)
	s.record(m)
}

func ok(data any) exchange {
	return exchange{status: http.StatusOK, body: envelope(client.CodeOK, "", data)}
}

func fail(e *apiError) exchange {
	return exchange{status: http.StatusOK, body: envelope(e.code, e.msg, nil)}
}

// decode reads a body strictly: one JSON object of the request's fields only.
func decode(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid("JSON 无法解析 / body is not the request of this interface: %v", err)
	}
	if dec.More() {
		return invalid("JSON 之后有多余内容 / data after the JSON object")
	}
	return nil
}

type validator interface {
	Validate(client.Format) wht93.Violations
}

func (s *Sim) answer(r *http.Request, path string, body []byte) exchange {
	if path == client.PathPerformanceTypes {
		if r.Method != http.MethodGet {
			return exchange{status: http.StatusMethodNotAllowed}
		}
		if e := s.checkToken(r.URL.Query().Get("accessToken")); e != nil {
			return fail(e)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return ok(s.st.types)
	}
	if r.Method != http.MethodPost {
		return exchange{status: http.StatusMethodNotAllowed}
	}
	if path == client.PathAccessToken {
		return s.accessToken(body)
	}
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		return fail(invalid("JSON 无法解析 / body is not JSON: %v", err))
	}
	if e := s.checkToken(tok.AccessToken); e != nil {
		return fail(e)
	}
	f := s.format
	var (
		data any = true
		e    *apiError
	)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	switch path {
	case client.PathVenueList:
		var q client.VenueListRequest
		if e = parse(body, &q, f); e == nil {
			data = st.venueList(&q)
		}
	case client.PathVenueSave:
		var q client.VenueSaveRequest
		if e = parse(body, &q, f); e == nil {
			data, e = st.venueSave(&q)
		}
	case client.PathSessionCode:
		var q client.SessionCodeRequest
		if e = parse(body, &q, f); e == nil {
			data, e = st.sessionCode(f, &q)
		}
	case client.PathPerformanceUpdate:
		var q client.UpdatePerformanceRequest
		if e = parse(body, &q, f); e == nil {
			e = st.performanceUpdate(&q)
		}
	case client.PathSessionUpdate:
		var q client.UpdateSessionRequest
		if e = parse(body, &q, f); e == nil {
			e = st.sessionUpdate(f, &q)
		}
	case client.PathInventory:
		var q client.ReportInventoryRequest
		if e = parse(body, &q, f); e == nil {
			e = st.inventory(&q)
		}
	case client.PathTicket:
		var q client.ReportTicketRequest
		if e = parse(body, &q, f); e == nil {
			e = st.ticket(f, &q)
		}
	case client.PathOrder:
		var q client.ReportOrderRequest
		if e = parse(body, &q, f); e == nil {
			e = st.order(&q)
		}
	case client.PathRefundOrder:
		var q client.ReportRefundRequest
		if e = parse(body, &q, f); e == nil {
			e = st.refund(&q)
		}
	case client.PathChecking:
		var q client.ReportCheckingRequest
		if e = parse(body, &q, f); e == nil {
			e = st.checking(&q)
		}
	default:
		return exchange{status: http.StatusNotFound}
	}
	if e != nil {
		return fail(e)
	}
	return ok(data)
}

func parse(body []byte, v validator, f client.Format) *apiError {
	if e := decode(body, v); e != nil {
		return e
	}
	return violations(v.Validate(f).Errors())
}

func (s *Sim) accessToken(body []byte) exchange {
	var q client.AccessTokenRequest
	if e := decode(body, &q); e != nil {
		return fail(e)
	}
	if vs := q.Validate(s.format).Errors(); len(vs) > 0 {
		return fail(violations(vs))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if secret, found := s.creds[q.AppID]; !found || secret != q.Secret {
		return fail(&apiError{code: client.CodeBadCredentials, msg: codeMsg[client.CodeBadCredentials]})
	}
	tok := fmt.Sprintf("%016x%016x", s.rnd.Uint64(), s.rnd.Uint64())
	s.tokens[tok] = s.now().Add(time.Duration(s.expiresIn) * time.Second)
	return ok(client.AccessTokenResponse{AccessToken: tok, ExpiresIn: s.expiresIn})
}

func (s *Sim) checkToken(tok string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, found := s.tokens[tok]
	if !found || !s.now().Before(exp) {
		if found {
			delete(s.tokens, tok)
		}
		return &apiError{code: client.CodeTokenInvalid, msg: codeMsg[client.CodeTokenInvalid]}
	}
	return nil
}

// Calls returns how many calls reached path, whatever their answer.
func (s *Sim) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}
