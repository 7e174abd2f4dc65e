package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// RetryPolicy says which failed attempts are sent again and when. Retried are
// transport errors and time-outs, HTTP 429 and 5xx, and the envelope codes 5000
// and 5100; never 4000, 4100, 4300 or 4400 (4200 is handled by the token source:
// one new token, one more try). Zero fields take the defaults.
//
// The retry budget is a token bucket shared by every call of one client, after
// aws-sdk-go-v2's retry/standard.go: a retry takes RetryCost tokens (TimeoutCost
// after a time-out), a successful retried call gives its cost back, any other
// success adds SuccessIncrement, and when the bucket is empty failures are
// returned at once. An outage is therefore not multiplied by retries.
type RetryPolicy struct {
	// MaxAttempts counts every sending of one request, the first included
	// (default 4; 1 disables retries).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the back-off: attempt n waits a random time
	// between half and all of min(MaxDelay, BaseDelay·2ⁿ) (defaults 200 ms, 10 s).
	BaseDelay, MaxDelay time.Duration
	// RetryAfterMax caps a Retry-After the platform asks for (default 30 s).
	RetryAfterMax time.Duration
	// Budget is the capacity of the retry token bucket (default 500).
	Budget int
	// RetryCost, TimeoutCost and SuccessIncrement: defaults 5, 10, 1.
	RetryCost, TimeoutCost, SuccessIncrement int
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 10 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.RetryAfterMax <= 0 {
		p.RetryAfterMax = 30 * time.Second
	}
	if p.Budget <= 0 {
		p.Budget = 500
	}
	if p.RetryCost <= 0 {
		p.RetryCost = 5
	}
	if p.TimeoutCost <= 0 {
		p.TimeoutCost = 10
	}
	if p.SuccessIncrement <= 0 {
		p.SuccessIncrement = 1
	}
	return p
}

// Delay returns the wait before retry number retry (0 for the first retry).
// retryAfter is the platform's Retry-After, or a negative value when it sent
// none; it is honoured, capped at RetryAfterMax. jitter is a random number in
// [0, 1). Delay is a pure function.
func (p RetryPolicy) Delay(retry int, retryAfter time.Duration, jitter float64) time.Duration {
	p = p.withDefaults()
	if retryAfter >= 0 {
		return min(retryAfter, p.RetryAfterMax)
	}
	ceil := p.MaxDelay
	if retry < 62 {
		if d := p.BaseDelay << retry; d > 0 && d < ceil && d>>retry == p.BaseDelay {
			ceil = d
		}
	}
	half := ceil / 2
	return half + time.Duration(jitter*float64(ceil-half))
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date. It
// returns -1 when there is none or it cannot be read.
func parseRetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return -1
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s < 0 {
			return -1
		}
		if s > math.MaxInt32 {
			s = math.MaxInt32
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}

// budget is the retry token bucket. Safe for concurrent use.
type budget struct {
	mu       sync.Mutex
	tokens   int
	capacity int
}

func (b *budget) acquire(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

func (b *budget) release(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.tokens+n, b.capacity)
}

// Available returns the tokens left in the bucket.
func (b *budget) available() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}

// attempt is the state of one call across its attempts; it travels in the
// request's context from Client.send to the retry hooks.
type attempt struct {
	endpoint   string
	attempts   int
	lastCost   int
	budgetOut  bool
	body       []byte // the body of the last answer, once read
	bodyRead   bool
	env        Envelope // body decoded, when bodyRead
	envErr     error
	retryAfter time.Duration
	lastErr    error
}

type attemptKey struct{}

const maxBody = 16 << 20

// checkRetry is the retryablehttp CheckRetry hook.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, _ := ctx.Value(attemptKey{}).(*attempt)
	if st == nil {
		st = &attempt{}
	}
	st.attempts++
	st.bodyRead, st.body, st.retryAfter, st.lastErr = false, nil, -1, nil
	st.env, st.envErr = Envelope{}, nil
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	retry, timeout, code := c.judge(st, resp, err)
	logAt := func(level slog.Level, msg string) {
		if !c.log.Enabled(ctx, level) {
			return
		}
		attrs := make([]slog.Attr, 0, 5)
		attrs = append(attrs, slog.String("endpoint", st.endpoint), slog.Int("attempt", st.attempts))
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		if code != 0 {
			attrs = append(attrs, slog.Int("code", code))
		}
		if st.lastErr != nil {
			attrs = append(attrs, slog.Any("error", st.lastErr))
		}
		c.log.LogAttrs(ctx, level, msg, attrs...)
	}
	if !retry {
		if err == nil && resp != nil && resp.StatusCode == http.StatusOK && code == CodeOK {
			if st.lastCost > 0 {
				c.budget.release(st.lastCost)
			} else {
				c.budget.release(c.retry.SuccessIncrement)
			}
		}
		logAt(slog.LevelDebug, "platform answered")
		return false, nil
	}
	if st.attempts >= c.retry.MaxAttempts {
		logAt(slog.LevelWarn, "platform call failed, no attempts left")
		return false, nil
	}
	cost := c.retry.RetryCost
	if timeout {
		cost = c.retry.TimeoutCost
	}
	if !c.budget.acquire(cost) {
		st.budgetOut = true
		logAt(slog.LevelWarn, "platform call failed, retry budget exhausted")
		return false, nil
	}
	st.lastCost = cost
	logAt(slog.LevelWarn, "platform call failed, retrying")
	return true, nil
}

// judge decides whether an attempt is worth another one, reading the body of a
// 200 answer to see the envelope code.
func (c *Client) judge(st *attempt, resp *http.Response, err error) (retry, timeout bool, code int) {
	if err != nil {
		st.lastErr = redact(err)
		if isTLSError(err) {
			return false, false, 0
		}
		var ne net.Error
		timeout = errors.As(err, &ne) && ne.Timeout()
		return true, timeout, 0
	}
	st.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if rerr != nil {
		st.lastErr = redact(rerr)
		return true, false, 0
	}
	st.body, st.bodyRead = b, true
	st.env, st.envErr = DecodeEnvelope(b)
	if st.envErr == nil {
		code = int(st.env.Code)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests, s >= 500:
		return true, false, code
	case s != http.StatusOK:
		return false, false, code
	}
	return code == CodeSystemError || code == CodeBusy, false, code
}

// isTLSError reports whether err is a failed certificate verification.
func isTLSError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// backoff is the retryablehttp Backoff hook.
func (c *Client) backoff(_, _ time.Duration, n int, resp *http.Response) time.Duration {
	ra := time.Duration(-1)
	if resp != nil {
		ra = parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
	}
	c.randMu.Lock()
	j := c.rand.Float64()
	c.randMu.Unlock()
	return c.retry.Delay(n, ra, j)
}

// redact removes the query (which may hold the access token) from URLs in
// transport errors.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			u.User = nil
			cp.URL = u.String()
		} else {
			cp.URL = "(url)"
		}
		return &cp
	}
	return err
}

// noIdleClose hides CloseIdleConnections from retryablehttp, which would
// otherwise flush the connection pool after every failed call.
type noIdleClose struct{ rt http.RoundTripper }

func (n noIdleClose) RoundTrip(r *http.Request) (*http.Response, error) { return n.rt.RoundTrip(r) }
