package client

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Token is a platform access token and the instant it stops being valid.
type Token struct {
	AccessToken string
	// Expiry is counted from the instant the /getAccessToken request was sent,
	// not from when its answer arrived, so that a slow answer never makes the
	// client believe a token lives longer than it does.
	Expiry time.Time
}

// LogValue hides the token in logs: only its length and expiry are shown.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("len", len(t.AccessToken)), slog.Time("expiry", t.Expiry))
}

// String masks the token.
func (t Token) String() string {
	return fmt.Sprintf("Token(***, expires %s)", t.Expiry.Format(time.RFC3339))
}

// Clock tells the time. Inject one in tests; nil means the system clock.
type Clock interface{ Now() time.Time }

// ClockFunc adapts a function to [Clock].
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// TokenStore shares one token between processes (for example a row in the
// vendor's database, or a key in a cache). It is optional.
//
// Contract: Load returns the token last saved, with ok false when there is none;
// Save replaces it. Both must be safe for concurrent use by several processes; a
// lost race between two Saves is harmless (each saved token is valid). An error
// from either is logged and the token source carries on with its own copy and
// the platform, so a broken store never stops reporting.
type TokenStore interface {
	Load(ctx context.Context) (tok Token, ok bool, err error)
	Save(ctx context.Context, tok Token) error
}

// MemoryTokenStore is a TokenStore in memory, for tests and for several clients
// within one process. It is safe for concurrent use; the zero value is empty.
type MemoryTokenStore struct {
	mu  sync.Mutex
	tok Token
	ok  bool
}

// Load returns the stored token.
func (m *MemoryTokenStore) Load(context.Context) (Token, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tok, m.ok, nil
}

// Save stores tok.
func (m *MemoryTokenStore) Save(_ context.Context, tok Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok, m.ok = tok, true
	return nil
}

// FetchFunc obtains a new token from the platform.
type FetchFunc func(ctx context.Context) (Token, error)

// TokenSourceOptions configure a [TokenSource]. Zero fields take the defaults.
type TokenSourceOptions struct {
	// Clock tells the time (default: the system clock).
	Clock Clock
	// Store shares the token between processes (default: none).
	Store TokenStore
	// Margin: a token is refreshed in the background once it has less than this
	// left to live, while callers keep using it (default 5 minutes, and never
	// more than a fifth of the token's lifetime).
	Margin time.Duration
	// FailureBackoff is how long after a failed refresh callers are answered with
	// that failure instead of a new request; it doubles with each consecutive
	// failure up to MaxFailureBackoff (defaults 1 s and 1 min).
	FailureBackoff, MaxFailureBackoff time.Duration
	// Timeout bounds one refresh, which runs detached from any one caller's
	// context so that a caller giving up does not fail the others (default 30 s).
	Timeout time.Duration
	// Logger receives refresh events, never the token (default: discard).
	Logger *slog.Logger
}

// TokenSource hands out the access token, refreshing it when needed. It is safe
// for concurrent use:
//   - callers never wait while a valid token exists; within Margin of expiry one
//     background refresh starts and callers keep the current token meanwhile;
//   - when no valid token exists, concurrent callers share one refresh (one
//     /getAccessToken for any number of callers), each waiting only as long as
//     its own context allows;
//   - a failed refresh is not retried in a storm: for FailureBackoff (growing)
//     callers get the failure at once, wrapped with ErrRefreshBackoff;
//   - [TokenSource.Invalidate] drops a token the platform refused (code 4200).
type TokenSource struct {
	fetch FetchFunc
	opt   TokenSourceOptions

	mu        sync.Mutex
	tok       Token
	refreshAt time.Time
	bad       string // the token last invalidated: never taken back from the store
	flight    *flight
	failures  int
	retryAt   time.Time
	lastErr   error
}

type flight struct {
	done chan struct{}
	tok  Token
	err  error
}

// NewTokenSource returns a token source that calls fetch for new tokens.
func NewTokenSource(fetch FetchFunc, opt TokenSourceOptions) *TokenSource {
	if opt.Clock == nil {
		opt.Clock = systemClock{}
	}
	if opt.Margin <= 0 {
		opt.Margin = 5 * time.Minute
	}
	if opt.FailureBackoff <= 0 {
		opt.FailureBackoff = time.Second
	}
	if opt.MaxFailureBackoff < opt.FailureBackoff {
		opt.MaxFailureBackoff = max(time.Minute, opt.FailureBackoff)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &TokenSource{fetch: fetch, opt: opt}
}

// refreshBackoffError is returned while a failed refresh is cooling down.
type refreshBackoffError struct {
	until time.Time
	cause error
}

func (e *refreshBackoffError) Error() string {
	return fmt.Sprintf("%s (%s): %v", ErrRefreshBackoff.Error(), e.until.Format(time.RFC3339), e.cause)
}

func (e *refreshBackoffError) Unwrap() []error { return []error{ErrRefreshBackoff, e.cause} }

// Token returns a valid token, refreshing it if there is none.
func (s *TokenSource) Token(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	now := s.opt.Clock.Now()
	s.mu.Lock()
	if s.tok.AccessToken != "" && now.Before(s.tok.Expiry) {
		tok := s.tok
		if !now.Before(s.refreshAt) && s.flight == nil && !now.Before(s.retryAt) {
			s.startLocked(ctx) // early refresh in the background
		}
		s.mu.Unlock()
		return tok, nil
	}
	f := s.flight
	if f == nil {
		if now.Before(s.retryAt) {
			err := &refreshBackoffError{until: s.retryAt, cause: s.lastErr}
			s.mu.Unlock()
			return Token{}, err
		}
		f = s.startLocked(ctx)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// Invalidate drops tok if it is the current token (the platform answered 4200
// for it). A token refreshed meanwhile by another caller is kept.
func (s *TokenSource) Invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bad = tok
	if s.tok.AccessToken == tok {
		s.tok = Token{}
		s.refreshAt = time.Time{}
		s.opt.Logger.Info("access token dropped: platform answered 4200")
	}
}

func (s *TokenSource) startLocked(ctx context.Context) *flight {
	f := &flight{done: make(chan struct{})}
	s.flight = f
	bad := s.bad
	go s.run(context.WithoutCancel(ctx), f, bad)
	return f
}

func (s *TokenSource) run(ctx context.Context, f *flight, bad string) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	tok, fromStore, err := s.refresh(ctx, bad)
	now := s.opt.Clock.Now()
	s.mu.Lock()
	if err == nil {
		s.tok = tok
		s.refreshAt = refreshAt(tok, now, s.opt.Margin)
		s.failures, s.retryAt, s.lastErr = 0, time.Time{}, nil
	} else {
		s.failures++
		wait := s.opt.FailureBackoff << min(s.failures-1, 16)
		if wait > s.opt.MaxFailureBackoff || wait <= 0 {
			wait = s.opt.MaxFailureBackoff
		}
		s.retryAt, s.lastErr = now.Add(wait), err
	}
	s.flight = nil
	f.tok, f.err = tok, err
	close(f.done)
	failures := s.failures
	s.mu.Unlock()
	if err != nil {
		s.opt.Logger.Warn("access token refresh failed", "error", err, "failures", failures)
	} else {
		s.opt.Logger.Info("access token refreshed", "token", tok, "fromStore", fromStore)
	}
}

// refreshAt is when to start refreshing tok early: Margin before expiry, but
// never earlier than four fifths of the lifetime left at now.
func refreshAt(tok Token, now time.Time, margin time.Duration) time.Time {
	life := tok.Expiry.Sub(now)
	if m := life / 5; m < margin {
		margin = m
	}
	return tok.Expiry.Add(-margin)
}

// refresh takes a valid token from the store if another process saved one, or
// fetches a new one and saves it.
func (s *TokenSource) refresh(ctx context.Context, bad string) (Token, bool, error) {
	st := s.opt.Store
	if st != nil {
		tok, ok, err := st.Load(ctx)
		switch {
		case err != nil:
			s.opt.Logger.Warn("token store load failed", "error", err)
		case ok && tok.AccessToken != "" && tok.AccessToken != bad && tok.AccessToken != s.current() &&
			s.opt.Clock.Now().Before(tok.Expiry.Add(-s.opt.Margin/5)):
			return tok, true, nil
		}
	}
	tok, err := s.fetch(ctx)
	if err != nil {
		return Token{}, false, err
	}
	if st != nil {
		if err := st.Save(ctx, tok); err != nil {
			s.opt.Logger.Warn("token store save failed", "error", err)
		}
	}
	return tok, false, nil
}

func (s *TokenSource) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok.AccessToken
}
