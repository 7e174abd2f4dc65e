package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/piaowu/wht93/client/platformsim"
)

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPlatformServe is the acceptance check of the command: it serves TLS with
// the CA it wrote, a POST /getAccessToken with the credentials answers a token,
// the exchange is printed with the secret masked, and the admin endpoints work.
func TestPlatformServe(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	var stdout, stderr safeBuffer
	ctx, cancel := context.WithCancel(context.Background())
	simc := make(chan *platformsim.Sim, 1)
	done := make(chan int)
	go func() {
		done <- servePlatform(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--ca-out", caFile,
			"--app-id", "demo", "--secret", "demo-secret"}, &stdout, &stderr, func(s *platformsim.Sim) { simc <- s })
	}()
	var sim *platformsim.Sim
	select {
	case sim = <-simc:
	case code := <-done:
		t.Fatalf("exited %d: %s", code, stderr.String())
	}
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("CA file is not PEM")
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Post(sim.URL()+"/getAccessToken", "application/json", strings.NewReader(`{"appId":"demo","secret":"demo-secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Code    string `json:"code"`
		Success bool   `json:"success"`
		Data    struct {
			AccessToken string `json:"accessToken"`
			ExpiresIn   int    `json:"expiresIn"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if env.Code != "200" || !env.Success || env.Data.AccessToken == "" || env.Data.ExpiresIn != 3600 {
		t.Fatalf("%+v", env)
	}
	resp, err = hc.Post(sim.URL()+"/_sim/fault", "application/json", strings.NewReader(`{"code":5100}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || sim.PendingFaults() != 1 {
		t.Fatalf("admin: %d, %d faults", resp.StatusCode, sim.PendingFaults())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := stdout.String()
	for _, want := range []string{"listening on https://127.0.0.1:", "POST /getAccessToken", `"secret": "***"`, "← HTTP 200", "stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "demo-secret") || strings.Contains(out, env.Data.AccessToken) {
		t.Fatalf("secret or token printed:\n%s", out)
	}
}

func TestPlatformUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"run"}, {"serve", "--nope"}, {"serve", "extra"},
		{"serve", "--plain-http", "--ca-out", "x.pem"}, {"serve", "--secret", ""}} {
		var stdout, stderr bytes.Buffer
		if code := servePlatform(context.Background(), args, &stdout, &stderr, nil); code != exitUsage || stderr.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := servePlatform(context.Background(), []string{"help"}, &stdout, &stderr, nil); code != exitOK || !strings.Contains(stdout.String(), "/_sim/fault") {
		t.Fatal(code, stdout.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := servePlatform(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--plain-http", "--quiet"}, &stdout, &stderr, nil); code != exitOK {
		t.Fatal(code, stderr.String())
	}
	if code := servePlatform(ctx, []string{"serve", "--addr", "nonsense"}, &stdout, &stderr, nil); code != exitInvalid {
		t.Fatal(code)
	}
}
