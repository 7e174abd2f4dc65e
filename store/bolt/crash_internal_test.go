package bolt

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// holdFirstCommit holds db's committer in the next transaction it starts:
// entered is closed once it is held there, and closing release lets it go on.
func holdFirstCommit(db *DB) (entered, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	var once sync.Once
	db.hook = func() { once.Do(func() { close(entered); <-release }) }
	return entered, release
}

// crashRounds returns how many rounds a crash test runs (ci of them when the
// CI variable is "true", n otherwise) and a generator seeded from the clock
// on the given stream; it logs the seed, to replay a failure.
func crashRounds(t *testing.T, n, ci int, stream uint64) (int, *rand.Rand) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		n = ci
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d rounds", seed, n)
	return n, rand.New(rand.NewPCG(seed, stream))
}

// The crash tests run a child test in a new process that changes a bolt file
// and prints a line for each change it was told is durable; the parent kills
// the child with SIGKILL at a random moment, reopens the file and checks that
// every change printed is there. crashChild is their common part.

// crashRun is one child process of a crash test.
type crashRun struct {
	// Lines are what the child printed that line accepted, until it died.
	Lines int
	// Stderr is what the child wrote to its standard error.
	Stderr string
}

// crashChild runs the test named child (a function of this package's tests)
// in a new process with env added to the environment, and hands each line the
// child prints to line, which returns whether the line was one of the child's
// (others are the test framework's own). After killAt such lines it kills the
// child with SIGKILL (0: at once; a negative killAt: never, the child kills
// itself), and reads on: lines already in the pipe were acknowledged too. It
// fails t unless the child died of SIGKILL. The child's standard input stays
// open while it runs, so that a child may exit when its parent is gone.
func crashChild(t *testing.T, child string, env []string, killAt int, line func(text string) bool) crashRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { // when line fails t, the child goes too
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	killed := false
	kill := func() {
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		killed = true
	}
	if killAt == 0 {
		kill()
	}
	var run crashRun
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if !line(sc.Text()) {
			continue
		}
		if run.Lines++; run.Lines == killAt && !killed {
			kill()
		}
	}
	err = cmd.Wait()
	run.Stderr = stderr.String()
	if !killed && killAt >= 0 {
		t.Fatalf("%s ended by itself after %d lines: %v; stderr:\n%s", child, run.Lines, err, run.Stderr)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("%s did not die of SIGKILL: %v; stderr:\n%s", child, err, run.Stderr)
	}
	return run
}
