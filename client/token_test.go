package client_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93/client"
	"github.com/piaowu/wht93/client/platformsim"
)

// fetcher is a fake /getAccessToken: it counts calls and can hold them.
type fetcher struct {
	calls   atomic.Int32
	clock   *fakeClock
	life    time.Duration
	hold    chan struct{} // when not nil, each fetch waits for it to close
	started chan struct{} // receives a value when a fetch starts, if not nil
	err     error
}

func (f *fetcher) fetch(ctx context.Context) (client.Token, error) {
	n := f.calls.Add(1)
	sent := f.clock.Now()
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-ctx.Done():
			return client.Token{}, ctx.Err()
		}
	}
	if f.err != nil {
		return client.Token{}, f.err
	}
	return client.Token{AccessToken: fmt.Sprintf("tok-%d", n), Expiry: sent.Add(f.life)}, nil
}

func TestTokenSourceOneRefreshForManyCallers(t *testing.T) {
	clock := newFakeClock()
	f := &fetcher{clock: clock, life: time.Hour, hold: make(chan struct{})}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock})
	var entered atomic.Int32
	var wg sync.WaitGroup
	toks := make([]client.Token, 100)
	errs := make([]error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entered.Add(1)
			toks[i], errs[i] = src.Token(context.Background())
		}()
	}
	waitFor(t, func() bool { return entered.Load() == 100 })
	close(f.hold)
	wg.Wait()
	for i := range 100 {
		if errs[i] != nil || toks[i].AccessToken != "tok-1" {
			t.Fatalf("caller %d: %v %v", i, toks[i], errs[i])
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d fetches, want 1", n)
	}
}

func TestTokenSourceExpiredTokenOneRefresh(t *testing.T) {
	clock := newFakeClock()
	f := &fetcher{clock: clock, life: time.Hour}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock})
	if _, err := src.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour) // expired
	f.hold = make(chan struct{})
	var wg sync.WaitGroup
	var entered atomic.Int32
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entered.Add(1)
			tok, err := src.Token(context.Background())
			if err != nil || tok.AccessToken != "tok-2" {
				t.Errorf("%v %v", tok, err)
			}
		}()
	}
	waitFor(t, func() bool { return entered.Load() == 100 })
	close(f.hold)
	wg.Wait()
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}
}

func TestTokenSourceNoWaitWhileValid(t *testing.T) {
	clock := newFakeClock()
	f := &fetcher{clock: clock, life: time.Hour}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock, Margin: 5 * time.Minute})
	if _, err := src.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.Advance(57 * time.Minute) // inside the margin, still valid
	f.hold, f.started = make(chan struct{}), make(chan struct{}, 1)
	for range 50 { // the refresh is held: nobody may wait for it
		tok, err := src.Token(context.Background())
		if err != nil || tok.AccessToken != "tok-1" {
			t.Fatal(tok, err)
		}
	}
	<-f.started
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("%d fetches, want one background refresh", n)
	}
	close(f.hold)
	waitFor(t, func() bool {
		tok, _ := src.Token(context.Background())
		return tok.AccessToken == "tok-2"
	})
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("%d fetches", n)
	}
}

func TestTokenSourceFailedRefreshBacksOff(t *testing.T) {
	clock := newFakeClock()
	boom := errors.New("platform down")
	f := &fetcher{clock: clock, life: time.Hour, err: boom}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock, FailureBackoff: time.Second, MaxFailureBackoff: 4 * time.Second})
	ctx := context.Background()
	if _, err := src.Token(ctx); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	for range 20 {
		_, err := src.Token(ctx)
		if !errors.Is(err, client.ErrRefreshBackoff) || !errors.Is(err, boom) {
			t.Fatal(err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d fetches during back-off", n)
	}
	// The back-off doubles: 1 s, 2 s, 4 s, 4 s.
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		clock.Advance(wait - time.Millisecond)
		if _, err := src.Token(ctx); !errors.Is(err, client.ErrRefreshBackoff) {
			t.Fatalf("step %d: %v", i, err)
		}
		clock.Advance(time.Millisecond)
		if _, err := src.Token(ctx); errors.Is(err, client.ErrRefreshBackoff) || !errors.Is(err, boom) {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	f.err = nil
	clock.Advance(4 * time.Second)
	if tok, err := src.Token(ctx); err != nil || tok.AccessToken == "" {
		t.Fatal(err)
	}
}

func TestTokenSourceInvalidateKeepsNewerToken(t *testing.T) {
	clock := newFakeClock()
	f := &fetcher{clock: clock, life: time.Hour}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock})
	ctx := context.Background()
	t1, _ := src.Token(ctx)
	src.Invalidate(t1.AccessToken)
	t2, _ := src.Token(ctx)
	src.Invalidate(t1.AccessToken) // a late 4200 for the old token
	t3, _ := src.Token(ctx)
	if t2.AccessToken == t1.AccessToken || t3 != t2 || f.calls.Load() != 2 {
		t.Fatalf("%v %v %v, %d fetches", t1, t2, t3, f.calls.Load())
	}
}

func TestTokenSourceCallerContext(t *testing.T) {
	clock := newFakeClock()
	f := &fetcher{clock: clock, life: time.Hour, hold: make(chan struct{})}
	src := client.NewTokenSource(f.fetch, client.TokenSourceOptions{Clock: clock})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := src.Token(ctx); done <- err }()
	waitFor(t, func() bool { return f.calls.Load() == 1 })
	other := make(chan client.Token)
	go func() { tok, _ := src.Token(context.Background()); other <- tok }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	close(f.hold) // the refresh outlives the caller who gave up, for the others
	if tok := <-other; tok.AccessToken != "tok-1" {
		t.Fatal(tok)
	}
}

func TestTokenExpiryCountedFromSend(t *testing.T) {
	clock := newFakeClock()
	// The simulator's clock runs 50 s ahead each time it is read: the answer
	// "arrives" late. The token's expiry must not include that delay.
	simNow := func() time.Time { clock.Advance(50 * time.Second); return clock.Now() }
	e := start(t, platformsim.Config{Now: simNow, ExpiresIn: 600}, func(c *client.Config) { c.Clock = clock })
	sent := clock.Now()
	tok, err := e.c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Expiry.Equal(sent.Add(600 * time.Second)) {
		t.Fatalf("expiry %v, want %v", tok.Expiry, sent.Add(600*time.Second))
	}
}

func TestTokenStoreSharedBetweenClients(t *testing.T) {
	store := &client.MemoryTokenStore{}
	e := start(t, platformsim.Config{}, func(c *client.Config) { c.TokenStore = store })
	cfg2 := e.cfg
	c2, err := client.New(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	ctx := context.Background()
	if _, err := e.c.PerformanceTypes(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.PerformanceTypes(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 1 {
		t.Fatalf("%d /getAccessToken calls for two clients sharing a store", n)
	}
	// A 4200 makes the second client fetch anew, not take the dead token back.
	e.sim.ExpireTokens()
	if _, err := c2.PerformanceTypes(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.PerformanceTypes(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Calls(client.PathAccessToken); n != 2 {
		t.Fatalf("%d /getAccessToken calls after one expiry", n)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	tok := client.Token{AccessToken: "very-secret-token", Expiry: time.Unix(0, 0)}
	for _, s := range []string{tok.String(), fmt.Sprint(tok), fmt.Sprintf("%v", tok)} {
		if s == "" || contains(s, "very-secret-token") {
			t.Fatal(s)
		}
	}
}

func contains(s, sub string) bool { return len(sub) > 0 && len(s) >= len(sub) && indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
