package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
)

// auditTime is the time of the i-th record of these tests.
func auditTime(i int) time.Time {
	return time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST).Add(time.Duration(i) * time.Second)
}

// auditCrashEnv names the file the child process of TestAuditCrash appends to;
// auditCrashRound tells it which round it is.
const (
	auditCrashEnv   = "WHT93_AUDIT_CRASH_FILE"
	auditCrashRound = "WHT93_AUDIT_CRASH_ROUND"
)

// TestAuditCrashChild is the child of TestAuditCrash: run without its variable
// it does nothing. Four appenders append to the file until the process is
// killed, and print "ack <seq> <content>" for each entry once Append has
// returned it, that is once it is durable.
func TestAuditCrashChild(t *testing.T) {
	path := os.Getenv(auditCrashEnv)
	if path == "" {
		t.Skip("the child of TestAuditCrash; runs only under it")
	}
	round := os.Getenv(auditCrashRound)
	l, _, err := OpenAuditLog(path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	ctx := context.Background()
	for w := range 4 {
		go func() {
			for i := 0; ; i++ {
				n := 1 + i%3
				recs := make([]audit.Record, n)
				for p := range recs {
					recs[p] = audit.Record{
						Time: auditTime(i), User: "op-" + strconv.Itoa(w), Action: audit.ActionSale,
						Object:  audit.Object{Type: "order", ID: strconv.Itoa(i)},
						Content: fmt.Sprintf("r%s-w%d-i%d-p%d", round, w, i, p),
					}
				}
				es, err := audit.Append(ctx, l, recs...)
				if err != nil {
					fmt.Fprintln(os.Stderr, "append:", err)
					os.Exit(3)
				}
				var b strings.Builder
				for _, e := range es {
					fmt.Fprintf(&b, "ack %d %s\n", e.Seq, e.Content)
				}
				mu.Lock()
				os.Stdout.WriteString(b.String())
				mu.Unlock()
			}
		}()
	}
	select {} // until killed
}

// TestAuditCrash kills a process appending to a bolt log with SIGKILL at random
// moments, reopens the file each time and checks that every entry acknowledged
// before the kill is there, as acknowledged, and that the whole chain verifies.
func TestAuditCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	rounds, rng := crashRounds(t, 20, 50, 0x57a93)
	path := filepath.Join(t.TempDir(), "audit.db")
	acked := map[uint64]string{}
	ctx := context.Background()
	for round := range rounds {
		env := []string{auditCrashEnv + "=" + path, auditCrashRound + "=" + strconv.Itoa(round)}
		killAt := 1 + rng.IntN(400) // acknowledgements to wait for
		crashChild(t, "TestAuditCrashChild", env, killAt, func(text string) bool {
			seqText, content, ok := strings.Cut(strings.TrimPrefix(text, "ack "), " ")
			if !ok || !strings.HasPrefix(text, "ack ") {
				return false
			}
			seq, err := strconv.ParseUint(seqText, 10, 64)
			if err != nil {
				t.Fatalf("round %d: child printed %q", round, text)
			}
			if prev, dup := acked[seq]; dup {
				t.Fatalf("round %d: sequence %d acknowledged twice (%s, then %s)", round, seq, prev, content)
			}
			acked[seq] = content
			return true
		})

		l, db, err := OpenAuditLog(path, nil)
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		head, err := l.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[uint64]string{}
		for e, err := range audit.Entries(ctx, l, 0) {
			if err != nil {
				t.Fatalf("round %d: reading: %v", round, err)
			}
			stored[e.Seq] = e.Content
		}
		for seq, content := range acked {
			if got, ok := stored[seq]; !ok || got != content {
				t.Fatalf("round %d: acknowledged entry %d (%s) lost or changed: stored %q, present %v; head %d",
					round, seq, content, got, ok, head.Seq)
			}
		}
		sum, err := audit.Verify(ctx, l)
		if err != nil {
			t.Fatalf("round %d: Verify after the kill: %v", round, err)
		}
		if uint64(len(stored)) != head.Seq || sum.Checked != head.Seq {
			t.Fatalf("round %d: %d entries stored, %d checked, head %d", round, len(stored), sum.Checked, head.Seq)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d entries acknowledged over %d kills, all kept", len(acked), rounds)
}
