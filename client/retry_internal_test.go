package client

import (
	"net/http"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestDelayBoundsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := RetryPolicy{
			BaseDelay:     time.Duration(rapid.Int64Range(1, int64(time.Second)).Draw(t, "base")),
			MaxDelay:      time.Duration(rapid.Int64Range(1, int64(time.Minute)).Draw(t, "max")),
			RetryAfterMax: time.Duration(rapid.Int64Range(1, int64(time.Minute)).Draw(t, "ramax")),
		}
		n := rapid.IntRange(0, 200).Draw(t, "retry")
		j := rapid.Float64Range(0, 0.999999).Draw(t, "jitter")
		q := p.withDefaults()
		d := p.Delay(n, -1, j)
		ceil := q.BaseDelay
		for k := 0; k < n && ceil < q.MaxDelay; k++ {
			ceil *= 2
		}
		ceil = min(ceil, q.MaxDelay)
		if d < ceil/2 || d > ceil {
			t.Fatalf("delay %v outside [%v, %v]", d, ceil/2, ceil)
		}
		ra := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "retryAfter"))
		if got := p.Delay(n, ra, j); got != min(ra, q.RetryAfterMax) {
			t.Fatalf("Retry-After %v gave %v", ra, got)
		}
	})
}

func TestDelayGrows(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := p.Delay(i, -1, 0.999999999); got.Round(time.Millisecond) != w*time.Millisecond {
			t.Errorf("retry %d: %v, want %v", i, got, w*time.Millisecond)
		}
		if got := p.Delay(i, -1, 0); got != w*time.Millisecond/2 {
			t.Errorf("retry %d low: %v", i, got)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":     -1,
		"7":    7 * time.Second,
		"-3":   -1,
		"soon": -1,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
		"99999999999999": time.Duration(1<<31-1) * time.Second,
	}
	for h, want := range cases {
		if got := parseRetryAfter(h, now); got != want {
			t.Errorf("%q: %v, want %v", h, got, want)
		}
	}
}

func TestBackoffHookHonoursCappedRetryAfter(t *testing.T) {
	c, err := New(Config{BaseURL: "https://platform.example.cn", AppID: "a", Secret: "s",
		Retry: RetryPolicy{BaseDelay: time.Second, MaxDelay: 8 * time.Second, RetryAfterMax: 20 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	resp := &http.Response{Header: http.Header{"Retry-After": {"3600"}}}
	if got := c.backoff(0, 0, 0, resp); got != 20*time.Second {
		t.Fatalf("capped Retry-After: %v", got)
	}
	resp.Header.Set("Retry-After", "2")
	if got := c.backoff(0, 0, 3, resp); got != 2*time.Second {
		t.Fatalf("Retry-After: %v", got)
	}
	if got := c.backoff(0, 0, 3, nil); got < 4*time.Second || got > 8*time.Second {
		t.Fatalf("back-off: %v", got)
	}
}

func TestBudget(t *testing.T) {
	b := &budget{tokens: 10, capacity: 10}
	if !b.acquire(5) || !b.acquire(5) || b.acquire(1) {
		t.Fatal("acquire")
	}
	b.release(100)
	if b.available() != 10 {
		t.Fatal(b.available())
	}
}
