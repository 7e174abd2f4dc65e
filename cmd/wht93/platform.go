package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/piaowu/wht93/client/platformsim"
)

const platformUsage = `wht93 platform serve — 运行上报平台模拟器 / run the Appendix A platform simulator (8.2.2)

用法 / usage:
  wht93 platform serve [--addr HOST:PORT] [--app-id ID] [--secret SECRET]
                       [--ca-out FILE] [--plain-http] [--expires-in SECONDS] [--seed N] [--quiet]

It serves the twelve endpoints of Appendix A over HTTPS with its own CA (written
to --ca-out for clients and curl --cacert), prints every exchange as it passes
(secrets masked), and serves the fault-injection endpoints under /_sim/:
  POST /_sim/fault {"path":"/report/ticket","code":5100,"times":2}   also httpStatus, hang, drop, retryAfter
  POST /_sim/outage {"on":true}     POST /_sim/clear     POST /_sim/expire-tokens
  POST /_sim/expires-in {"seconds":60}     POST /_sim/random {"rate":0.1,"seed":7}
  GET  /_sim/state     GET /_sim/messages
Ctrl-C stops it.
`

// runPlatform runs "wht93 platform ..." until interrupted and returns the exit
// status.
func runPlatform(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return servePlatform(ctx, args, stdout, stderr, nil)
}

// lockedWriter serialises the writes of the simulator's goroutines and ours.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// servePlatform is runPlatform with the context and a hook called once the
// simulator is ready (for tests).
func servePlatform(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(*platformsim.Sim)) int {
	fs, code := verbFlags(args, "platform", "serve", platformUsage, stdout, stderr)
	if fs == nil {
		return code
	}
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	appID := fs.String("app-id", "demo", "the appId the simulator issues")
	secret := fs.String("secret", "demo-secret", "the secret the simulator issues")
	caOut := fs.String("ca-out", "", "write the simulator's CA certificate (PEM) to this file")
	plain := fs.Bool("plain-http", false, "serve plain HTTP (local debugging only)")
	expiresIn := fs.Int("expires-in", 3600, "token lifetime in seconds")
	seed := fs.Uint64("seed", 1, "seed of tokens and random faults")
	quiet := fs.Bool("quiet", false, "do not print the exchanges")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数 / unexpected arguments: %q\n", fs.Args())
		return exitUsage
	}
	if *plain && *caOut != "" {
		fmt.Fprintln(stderr, "--ca-out 与 --plain-http 不能同时使用 / --ca-out makes no sense with --plain-http")
		return exitUsage
	}
	if *appID == "" || *secret == "" || *expiresIn <= 0 {
		fmt.Fprintln(stderr, "--app-id、--secret 不能为空，--expires-in 须为正 / --app-id and --secret must not be empty, --expires-in must be positive")
		return exitUsage
	}
	out := &lockedWriter{w: stdout}
	cfg := platformsim.Config{Addr: *addr, AppID: *appID, Secret: *secret, PlainHTTP: *plain,
		ExpiresIn: *expiresIn, Seed: *seed, Admin: true}
	if !*quiet {
		cfg.MessageLog = out
	}
	sim, err := platformsim.Start(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	defer sim.Close()
	if *caOut != "" {
		if err := os.WriteFile(*caOut, sim.CAPEM(), 0o644); err != nil {
			fmt.Fprintf(stderr, "写入 CA 证书失败 / cannot write the CA certificate: %v\n", err)
			return exitInvalid
		}
	}
	fmt.Fprintf(out, "平台模拟器已启动 / platform simulator listening on %s (appId %q)\n", sim.URL(), *appID)
	if *caOut != "" {
		fmt.Fprintf(out, "CA 证书 / CA certificate: %s\n", *caOut)
	} else if !*plain {
		fmt.Fprintln(out, "CA 证书未写出；用 --ca-out FILE 写出 / CA not written; use --ca-out FILE")
	}
	fmt.Fprintln(out, "故障注入 / fault injection: POST "+sim.URL()+"/_sim/fault (see wht93 platform help)")
	if host, _, err := net.SplitHostPort(*addr); err == nil {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			fmt.Fprintln(stderr, "警告：非回环地址，任何能访问者都可注入故障 / warning: not a loopback address; anyone who can reach it can inject faults")
		}
	}
	if ready != nil {
		ready(sim)
	}
	<-ctx.Done()
	fmt.Fprintln(out, "平台模拟器已停止 / platform simulator stopped")
	return exitOK
}
