package platformsim

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/piaowu/wht93/client"
)

// Config configures a simulator. Every field has a default.
type Config struct {
	// AppID and Secret are the credentials the simulator issues at start
	// (defaults "sim-app" and "sim-secret"); [Sim.IssueCredentials] adds more.
	AppID, Secret string
	// ExpiresIn is the token lifetime in seconds it answers (default 3600).
	ExpiresIn int
	// Addr is where to listen (default "127.0.0.1:0", a free loopback port).
	Addr string
	// PlainHTTP serves http:// instead of TLS (local debugging only).
	PlainHTTP bool
	// Admin serves the fault-injection endpoints under /_sim/ (see the package doc).
	Admin bool
	// Now tells the time for token expiry (default time.Now).
	Now func() time.Time
	// Seed seeds the simulator's randomness: tokens and random faults
	// (default 1, so that runs repeat).
	Seed uint64
	// DateTime is the format of DateTime fields it accepts (default
	// "2006-01-02 15:04:05", UTC+8).
	DateTime client.Format
	// MessageLog, when set, receives every exchange in readable form as it passes
	// (clause 8.2.2.2: 具备通信报文显示功能).
	MessageLog io.Writer
	// KeepMessages is how many recent exchanges [Sim.Messages] keeps (default 1000).
	KeepMessages int
	// Venues is the standard venue list (default [StandardVenues]).
	Venues []VenueSeed
	// Types is the performance type list (default [StandardTypes]).
	Types []client.PerformanceType
}

// Sim is a running platform simulator. All its methods are safe for concurrent
// use, also while clients call it.
type Sim struct {
	cfg    Config
	now    func() time.Time
	format client.Format
	url    string
	auth   *authority
	ln     net.Listener
	srv    *http.Server
	done   chan struct{}

	mu        sync.Mutex
	rnd       *rand.Rand
	creds     map[string]string
	tokens    map[string]time.Time
	expiresIn int
	st        *state
	faults    []*fault
	outage    bool
	random    *randomFaults
	calls     map[string]int
	msgs      []Message
	msgSeq    int
	conns     int
	logMu     sync.Mutex
}

// Start starts a simulator and returns when it accepts connections.
func Start(cfg Config) (*Sim, error) {
	if cfg.AppID == "" {
		cfg.AppID = "sim-app"
	}
	if cfg.Secret == "" {
		cfg.Secret = "sim-secret"
	}
	if cfg.ExpiresIn <= 0 {
		cfg.ExpiresIn = 3600
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.KeepMessages <= 0 {
		cfg.KeepMessages = 1000
	}
	if cfg.Venues == nil {
		cfg.Venues = StandardVenues()
	}
	if cfg.Types == nil {
		cfg.Types = StandardTypes()
	}
	s := &Sim{
		cfg:       cfg,
		now:       cfg.Now,
		format:    client.Format{Layout: cfg.DateTime.Layout, Location: cfg.DateTime.Location},
		done:      make(chan struct{}),
		rnd:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		creds:     map[string]string{cfg.AppID: cfg.Secret},
		tokens:    map[string]time.Time{},
		expiresIn: cfg.ExpiresIn,
		calls:     map[string]int{},
	}
	if s.format.Layout == "" {
		s.format = client.DefaultFormat()
	}
	st, err := newState(cfg.Venues, cfg.Types)
	if err != nil {
		return nil, err
	}
	s.st = st
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("platformsim: listen %s: %w", cfg.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.mu.Lock()
				s.conns++
				s.mu.Unlock()
			}
		},
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // handshake noise; exchanges go to MessageLog
	}
	scheme := "https"
	if cfg.PlainHTTP {
		scheme = "http"
		go func() { defer close(s.done); _ = s.srv.Serve(ln) }()
	} else {
		host, _, _ := net.SplitHostPort(cfg.Addr)
		if s.auth, err = newAuthority([]string{host}, time.Now()); err != nil {
			ln.Close()
			return nil, fmt.Errorf("platformsim: certificate: %w", err)
		}
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.auth.cert}, MinVersion: tls.VersionTLS12}
		go func() { defer close(s.done); _ = s.srv.ServeTLS(ln, "", "") }()
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.To4() == nil {
		host = "[" + host + "]"
	}
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	s.url = fmt.Sprintf("%s://%s:%d", scheme, host, addr.Port)
	return s, nil
}

// URL returns the base URL clients use, such as "https://127.0.0.1:41234".
func (s *Sim) URL() string { return s.url }

// AppID returns the appId issued at start.
func (s *Sim) AppID() string { return s.cfg.AppID }

// Secret returns the secret issued at start.
func (s *Sim) Secret() string { return s.cfg.Secret }

// CAPool returns a pool holding the simulator's CA, for client.Config.RootCAs;
// nil for a plain-HTTP simulator.
func (s *Sim) CAPool() *x509.CertPool {
	if s.auth == nil {
		return nil
	}
	return s.auth.pool
}

// CAPEM returns the simulator's CA certificate in PEM (for curl --cacert or
// another process); nil for a plain-HTTP simulator.
func (s *Sim) CAPEM() []byte {
	if s.auth == nil {
		return nil
	}
	return append([]byte(nil), s.auth.caPEM...)
}

// ClientConfig returns a client configuration for this simulator with its
// first credentials and its CA (AllowInsecureHTTP set for a plain-HTTP one).
func (s *Sim) ClientConfig() client.Config {
	return client.Config{
		BaseURL: s.url, AppID: s.cfg.AppID, Secret: s.cfg.Secret,
		RootCAs: s.CAPool(), AllowInsecureHTTP: s.cfg.PlainHTTP, DateTime: s.format,
	}
}

// Connections returns how many connections clients have opened so far.
func (s *Sim) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// IssueCredentials issues a new appId and secret, as the platform does off-line
// (A.3.1.2).
func (s *Sim) IssueCredentials() (appID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	appID = fmt.Sprintf("app%016x", s.rnd.Uint64())
	secret = fmt.Sprintf("%016x%016x", s.rnd.Uint64(), s.rnd.Uint64())
	s.creds[appID] = secret
	return appID, secret
}

// Close stops the simulator at once: connections are closed and hanging
// answers end.
func (s *Sim) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}
