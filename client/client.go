package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/piaowu/wht93"
)

// Config configures a [Client]. BaseURL, AppID and Secret are required; every
// other field has a default.
type Config struct {
	// BaseURL is the platform's address, such as "https://platform.example.cn/api";
	// the endpoint paths of A.3 are appended to it. It must be https:// unless
	// AllowInsecureHTTP is set.
	BaseURL string
	// AppID and Secret are the credentials the platform issued off-line (A.3.1.2).
	// The secret is never logged nor put in an error.
	AppID, Secret string
	// RootCAs are the certificate authorities trusted for the platform's
	// certificate; nil means the system's. Verification is never switched off.
	RootCAs *x509.CertPool
	// AllowInsecureHTTP permits a plain http:// BaseURL (tests, simulators, local
	// debugging). Appendix A.2.1 requires HTTPS for the real platform.
	AllowInsecureHTTP bool
	// Timeout bounds one attempt, connection and answer included (default 30 s).
	// The caller's context bounds the whole call, retries included.
	Timeout time.Duration
	// DateTime is the layout and zone of DateTime fields (default
	// "2006-01-02 15:04:05" in UTC+8).
	DateTime Format
	// Logger receives one line per attempt and per token event; never a body, the
	// secret or the token (default: discard).
	Logger *slog.Logger
	// TokenStore shares the access token between processes (default: none).
	TokenStore TokenStore
	// TokenMargin: refresh the token this long before it expires (default 5 min).
	TokenMargin time.Duration
	// Clock tells the time for token expiry (default: the system clock).
	Clock Clock
	// Retry is the retry policy (see [RetryPolicy] for the defaults).
	Retry RetryPolicy
	// Rand draws the back-off jitter (default: a generator seeded at random).
	// The client locks it; do not share it.
	Rand *rand.Rand
	// MaxConnsPerHost bounds the pooled connections kept to the platform (default 16).
	MaxConnsPerHost int
}

// ErrConfig is the rule that a client configuration is complete and safe.
var ErrConfig = wht93.NewRule("client.config", "客户端配置错误", "client configuration invalid")

// Client calls the endpoints of Appendix A. It is safe for concurrent use by any
// number of goroutines; create one per platform account and keep it.
type Client struct {
	base   string
	appID  string
	secret string
	format Format
	log    *slog.Logger
	clock  Clock
	retry  RetryPolicy
	budget *budget

	randMu sync.Mutex
	rand   *rand.Rand

	transport *http.Transport
	http      *retryablehttp.Client
	tokens    *TokenSource
}

// New checks cfg and returns a client. It makes no request.
func New(cfg Config) (*Client, error) {
	var vs wht93.Violations
	u, err := url.Parse(cfg.BaseURL)
	switch {
	case cfg.BaseURL == "":
		vs = append(vs, ErrConfig.Atf("BaseURL", "", "平台地址为空", "BaseURL is empty"))
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		vs = append(vs, ErrConfig.Atf("BaseURL", cfg.BaseURL, "平台地址应为 https:// 地址", "BaseURL must be an https:// URL"))
	case u.Scheme == "http" && !cfg.AllowInsecureHTTP:
		vs = append(vs, ErrConfig.Atf("BaseURL", cfg.BaseURL,
			"附录A要求 HTTPS；明文 http:// 须显式设置 AllowInsecureHTTP",
			"Appendix A requires HTTPS; plain http:// needs AllowInsecureHTTP"))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		vs = append(vs, ErrConfig.Atf("BaseURL", u.Redacted(), "平台地址不能含用户信息、查询或片段", "BaseURL must not hold user info, a query or a fragment"))
	}
	if cfg.AppID == "" {
		vs = append(vs, ErrConfig.Atf("AppID", "", "appId 为空", "AppID is empty"))
	}
	if cfg.Secret == "" {
		vs = append(vs, ErrConfig.Atf("Secret", "", "secret 为空", "Secret is empty"))
	}
	if _, perr := time.Parse(cfg.DateTime.layout(), time.Date(2024, 5, 1, 19, 30, 0, 0, time.UTC).Format(cfg.DateTime.layout())); perr != nil {
		vs = append(vs, ErrConfig.Atf("DateTime.Layout", cfg.DateTime.Layout, "时间格式无法解析", "layout does not parse its own output"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	c := &Client{
		base:   strings.TrimRight(cfg.BaseURL, "/"),
		appID:  cfg.AppID,
		secret: cfg.Secret,
		format: Format{Layout: cfg.DateTime.layout(), Location: cfg.DateTime.location()},
		log:    cfg.Logger,
		clock:  cfg.Clock,
		retry:  cfg.Retry.withDefaults(),
		rand:   cfg.Rand,
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("component", "wht93/client")
	if c.clock == nil {
		c.clock = systemClock{}
	}
	if c.rand == nil {
		c.rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	c.budget = &budget{tokens: c.retry.Budget, capacity: c.retry.Budget}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	conns := cfg.MaxConnsPerHost
	if conns <= 0 {
		conns = 16
	}
	c.transport = &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: min(timeout, 10*time.Second), KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          conns * 2,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(timeout, 10*time.Second),
		ExpectContinueTimeout: time.Second,
	}
	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: noIdleClose{c.transport},
			Timeout:   timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // never re-send a body elsewhere
			},
		},
		Logger:       nil, // the client logs for itself, without URLs or bodies
		RetryWaitMin: c.retry.BaseDelay,
		RetryWaitMax: c.retry.MaxDelay,
		RetryMax:     c.retry.MaxAttempts,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) { return resp, err },
	}
	c.tokens = NewTokenSource(c.fetchToken, TokenSourceOptions{
		Clock: c.clock, Store: cfg.TokenStore, Margin: cfg.TokenMargin, Timeout: timeout * 2, Logger: c.log,
	})
	return c, nil
}

// Close releases the idle connections. The client must not be used afterwards.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// Format returns the DateTime format the client validates and writes.
func (c *Client) Format() Format { return c.format }

// DateTime writes t in the client's DateTime layout and zone.
func (c *Client) DateTime(t time.Time) DateTime { return c.format.DateTime(t) }

// Token returns the current access token, fetching one if needed.
func (c *Client) Token(ctx context.Context) (Token, error) { return c.tokens.Token(ctx) }

// RetryBudget returns the tokens left in the retry budget.
func (c *Client) RetryBudget() int { return c.budget.available() }

func (c *Client) fetchToken(ctx context.Context) (Token, error) {
	sent := c.clock.Now()
	r, err := c.GetAccessToken(ctx)
	if err != nil {
		return Token{}, err
	}
	life := r.ExpiresIn
	if life <= 0 {
		life = 3600 // 默认 3600 (table A.5)
	}
	return Token{AccessToken: r.AccessToken, Expiry: sent.Add(time.Duration(life) * time.Second)}, nil
}

// validator is a request that checks itself against its table.
type validator interface{ Validate(Format) wht93.Violations }

// call validates req, sends it with a token, handles 4200 (drop the token, take
// a new one, send once more) and decodes the answer's data into out (if not nil).
// withToken returns a copy of the request carrying the token.
func (c *Client) call(ctx context.Context, method, path string, req validator, withToken func(tok string) any, out any) error {
	if err := req.Validate(c.format).Err(); err != nil {
		return err
	}
	data, err := c.authorized(ctx, func(tok string) (json.RawMessage, error) {
		return c.send(ctx, method, path, tok, withToken)
	})
	if err != nil {
		return err
	}
	return c.decodeData(path, data, out)
}

// authorized runs send with a token and handles 4200: it drops the token, takes
// a new one and runs send once more.
func (c *Client) authorized(ctx context.Context, send func(tok string) (json.RawMessage, error)) (json.RawMessage, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, err
	}
	data, err := send(tok.AccessToken)
	if errors.Is(err, ErrTokenInvalid) {
		c.tokens.Invalidate(tok.AccessToken)
		if tok, err = c.tokens.Token(ctx); err != nil {
			return nil, err
		}
		data, err = send(tok.AccessToken)
	}
	return data, err
}

func (c *Client) decodeData(path string, data json.RawMessage, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Code: CodeOK, Endpoint: path, HTTPStatus: http.StatusOK,
			Err: fmt.Errorf("%w: data: %v", ErrMalformedResponse, err)}
	}
	return nil
}

// causeError pairs a rule with the underlying error.
type causeError struct {
	rule  *wht93.Rule
	cause error
}

func (e *causeError) Error() string   { return e.rule.Error() + ": " + e.cause.Error() }
func (e *causeError) Unwrap() []error { return []error{e.rule, e.cause} }

// send sends one request, with retries, and returns the envelope's data on
// success. The body is marshalled once: every attempt sends the same bytes.
func (c *Client) send(ctx context.Context, method, path, token string, withToken func(string) any) (json.RawMessage, error) {
	target := c.base + path
	var body []byte
	if method == http.MethodGet {
		target += "?accessToken=" + url.QueryEscape(token)
	} else {
		var err error
		if body, err = json.Marshal(withToken(token)); err != nil {
			return nil, &Error{Endpoint: path, Err: err}
		}
	}
	return c.do(ctx, method, path, target, body)
}

// do sends one request to target, with retries, and returns the envelope's
// data on success. A nil body sends none; any other is sent as it is, as JSON.
func (c *Client) do(ctx context.Context, method, path, target string, body []byte) (json.RawMessage, error) {
	st := &attempt{endpoint: path}
	rctx := context.WithValue(ctx, attemptKey{}, st)
	var rbody any
	if body != nil {
		rbody = body
	}
	req, err := retryablehttp.NewRequestWithContext(rctx, method, target, rbody)
	if err != nil {
		return nil, &Error{Endpoint: path, Err: redact(err)}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	return c.finish(ctx, st, resp, err)
}

func (c *Client) finish(ctx context.Context, st *attempt, resp *http.Response, err error) (json.RawMessage, error) {
	e := &Error{Endpoint: st.endpoint, Attempts: st.attempts}
	var extra []error
	if st.budgetOut {
		extra = append(extra, ErrRetryBudget)
	}
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if cerr := ctx.Err(); cerr != nil {
			e.Err = cerr
			if st.lastErr != nil {
				e.Err = fmt.Errorf("%w (last attempt: %v)", cerr, st.lastErr)
			}
			return nil, e
		}
		rule := ErrTransport
		if isTLSError(err) {
			rule = ErrTLS
		}
		e.Err = errors.Join(append([]error{&causeError{rule, redact(err)}}, extra...)...)
		return nil, e
	}
	defer resp.Body.Close()
	e.HTTPStatus = resp.StatusCode
	b, env, derr := st.body, st.env, st.envErr
	if !st.bodyRead {
		var rerr error
		b, rerr = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if rerr != nil {
			e.Err = errors.Join(append([]error{&causeError{ErrTransport, redact(rerr)}}, extra...)...)
			return nil, e
		}
		env, derr = DecodeEnvelope(b)
	}
	if len(b) > maxBody {
		e.Err = fmt.Errorf("%w: answer larger than %d bytes", ErrMalformedResponse, maxBody)
		return nil, e
	}
	if derr == nil {
		e.Code, e.Msg = int(env.Code), shorten200(env.Msg)
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		extra = append([]error{fmt.Errorf("%w: %s", ErrHTTPStatus, resp.Status)}, extra...)
	case derr != nil:
		extra = append([]error{derr}, extra...)
	case env.OK():
		return env.Data, nil
	case env.Code == CodeOK:
		extra = append([]error{fmt.Errorf("%w: code 200 without success true", ErrMalformedResponse)}, extra...)
	}
	if e.Code == CodeOK && resp.StatusCode != http.StatusOK {
		e.Code = 0
	}
	e.Err = errors.Join(extra...)
	return nil, e
}

func shorten200(s string) string {
	r := []rune(s)
	if len(r) <= 200 {
		return s
	}
	return string(r[:197]) + "..."
}
