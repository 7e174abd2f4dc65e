package bolt

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
)

// entCrashEnv names the file the child of TestEntriesCrash admits to;
// entCrashRound tells it which round it is, entCrashKill in which checkpoint
// to kill itself (none when it is 0).
const (
	entCrashEnv     = "WHT93_ENTRY_CRASH_FILE"
	entCrashRound   = "WHT93_ENTRY_CRASH_ROUND"
	entCrashKill    = "WHT93_ENTRY_CRASH_KILL"
	entCrashK       = 50 // the checkpoint size: a checkpoint every 50 entries
	entCrashHot     = 40 // tickets scanned often, to reach the maximum
	entCrashTickets = 1_000_000
	entCrashMax     = 2
)

func entCrashTicket(i int) codes.TicketCode {
	s, _ := codes.ParseSessionCode("110101001012025052001")
	c, _ := codes.NewTicketCode(s, "C"+strconv.Itoa(i))
	return c
}

// entCrashPick draws a ticket: a hot one three times in ten, so that their
// maximum is reached, another otherwise, so that admissions never run out.
func entCrashPick(rng *rand.Rand) int {
	if rng.IntN(10) < 3 {
		return rng.IntN(entCrashHot)
	}
	return rng.IntN(entCrashTickets)
}

// TestEntriesCrashChild is the child of TestEntriesCrash: run without its
// variable it does nothing. Eight gates admit entries to a few hundred tickets
// (at most 2 each) until the process is killed, retrying some ids of this round
// and of the round before, and print "ack <id> <ticket> <count>" for each
// admission once Admit has returned it, that is once it is durable. The store
// checkpoints every entCrashK entries; with entCrashKill set to n, the child
// prints "checkpoint-kill" and kills itself with SIGKILL in its n-th
// checkpoint, after the checkpoint's writes and before its commit.
func TestEntriesCrashChild(t *testing.T) {
	path := os.Getenv(entCrashEnv)
	if path == "" {
		t.Skip("the child of TestEntriesCrash; runs only under it")
	}
	round, _ := strconv.Atoi(os.Getenv(entCrashRound))
	killIn, _ := strconv.Atoi(os.Getenv(entCrashKill))
	db, err := Open(path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	s, err := db.entries(entCrashK)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	checkpoints := 0
	s.flushHook = func() { // in the committer, inside the checkpoint's transaction
		if checkpoints++; checkpoints == killIn {
			mu.Lock()
			fmt.Fprintln(os.Stdout, "checkpoint-kill")
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
	go func() { // the parent holds our stdin: when it is gone, so are we
		io.Copy(io.Discard, os.Stdin)
		os.Exit(4)
	}()
	ctx := context.Background()
	for w := range 8 {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			for i := 0; ; i++ {
				id := fmt.Sprintf("r%d-w%d-%d", round, w, i)
				switch r := rng.IntN(10); {
				case r == 0 && i > 0:
					id = fmt.Sprintf("r%d-w%d-%d", round, w, rng.IntN(i)) // a retry of this round
				case r == 1 && round > 0:
					id = fmt.Sprintf("r%d-w%d-%d", round-1, w, rng.IntN(200)) // a retry after the crash
				}
				e := checkin.Entry{
					ID: id, Ticket: entCrashTicket(entCrashPick(rng)), SessionID: "s", Tier: "A", RealName: 1,
					Method: checkin.QR, Gate: "g" + strconv.Itoa(w), Device: "d" + strconv.Itoa(w), Node: "lan",
					At: time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST).Add(time.Duration(i) * time.Millisecond), Count: 1,
				}
				a, err := s.Admit(ctx, e, entCrashMax)
				if err != nil {
					fmt.Fprintln(os.Stderr, "admit:", err)
					os.Exit(3)
				}
				if !a.Admitted {
					continue
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %s %s %d\n", a.Entry.ID, a.Entry.Ticket, a.Entry.Count)
				mu.Unlock()
			}
		}()
	}
	select {} // until killed
}

// TestEntriesCrash kills a process admitting entries to a bolt file with
// SIGKILL at random moments (one round in three, in the middle of a
// checkpoint of its deferred indexes), reopens the file each time and checks
// that every admission acknowledged before the kill is there with its ticket
// and count, that no id is stored twice, that every ticket's count is its
// number of entries and within the maximum, and that the change feed lists
// each entry once in ascending order. The checkpoints are small, so that most
// reopens replay entries above the watermark into the overlay; the test
// checks that some do, and that checkpoints committed.
func TestEntriesCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes; skipped with -short")
	}
	rounds, rng := crashRounds(t, 12, 40, 0xe47)
	path := filepath.Join(t.TempDir(), "entries.db")
	type ack struct {
		ticket string
		count  int
	}
	acked := map[string]ack{}
	ctx := context.Background()
	ckKills, replayed, indexed := 0, 0, 0
	for round := range rounds {
		killIn := 0
		if round%3 == 1 {
			killIn = 1 + rng.IntN(4)
		}
		env := []string{entCrashEnv + "=" + path, entCrashRound + "=" + strconv.Itoa(round), entCrashKill + "=" + strconv.Itoa(killIn)}
		killAt := 1 + rng.IntN(300)
		if killIn > 0 {
			killAt = -1 // the child kills itself in a checkpoint
		}
		ckKilled := false
		crashChild(t, "TestEntriesCrashChild", env, killAt, func(text string) bool {
			if text == "checkpoint-kill" {
				ckKilled = true
				return false
			}
			f := strings.Fields(text)
			if len(f) != 4 || f[0] != "ack" {
				return false // the test framework's own lines
			}
			count, err := strconv.Atoi(f[3])
			if err != nil {
				t.Fatalf("round %d: child printed %q", round, text)
			}
			a := ack{f[2], count}
			if prev, ok := acked[f[1]]; ok && prev != a {
				t.Fatalf("round %d: id %s acknowledged as %v, then as %v", round, f[1], prev, a)
			}
			acked[f[1]] = a
			return true
		})
		if ckKilled {
			ckKills++
		} else if killIn > 0 {
			t.Fatalf("round %d: the child was to kill itself in a checkpoint and did not say so", round)
		}

		db, err := Open(path, nil)
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		s, err := db.entries(entCrashK)
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		if w, n := entState(t, s); n > 0 {
			replayed++
			if w > 0 {
				indexed++
			}
		}
		stored := map[string]checkin.Entry{}
		perTicket := map[string]int{}
		var after uint64
		for {
			cs, err := s.Changes(ctx, after, checkin.MaxChanges)
			if err != nil {
				t.Fatalf("round %d: reading: %v", round, err)
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				if c.Seq <= after {
					t.Fatalf("round %d: sequence %d after %d", round, c.Seq, after)
				}
				if _, dup := stored[c.Entry.ID]; dup {
					t.Fatalf("round %d: id %s stored twice", round, c.Entry.ID)
				}
				stored[c.Entry.ID] = c.Entry
				perTicket[c.Entry.Ticket.String()]++
				if c.Entry.Count != perTicket[c.Entry.Ticket.String()] {
					t.Fatalf("round %d: entry %s of %s has count %d, but is its entry number %d", round, c.Entry.ID, c.Entry.Ticket, c.Entry.Count, perTicket[c.Entry.Ticket.String()])
				}
				after = c.Seq
			}
		}
		for id, a := range acked {
			e, ok := stored[id]
			if !ok || e.Ticket.String() != a.ticket || e.Count != a.count {
				t.Fatalf("round %d: acknowledged admission %s %v lost or changed: stored %+v (present %v)", round, id, a, e, ok)
			}
		}
		for code, entries := range perTicket {
			tc, _ := codes.ParseTicketCode(code)
			n, err := s.Count(ctx, tc)
			if err != nil {
				t.Fatal(err)
			}
			if n != entries || n > entCrashMax {
				t.Fatalf("round %d: ticket %s counts %d, has %d entries, maximum %d", round, code, n, entries, entCrashMax)
			}
		}
		if round == rounds-1 {
			full := 0
			for i := range entCrashHot {
				if perTicket[entCrashTicket(i).String()] == entCrashMax {
					full++
				}
			}
			t.Logf("%d of the %d hot tickets reached the maximum", full, entCrashHot)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d admissions acknowledged over %d kills (%d in a checkpoint), all kept, none counted twice; %d reopens replayed entries into the overlay, %d of them above a checkpoint",
		len(acked), rounds, ckKills, replayed, indexed)
	if len(acked) == 0 {
		t.Fatal("nothing was acknowledged")
	}
	if ckKills == 0 || replayed == 0 || indexed == 0 {
		t.Fatal("the kills did not hit a checkpoint, or no reopen replayed entries above a checkpoint")
	}
}
