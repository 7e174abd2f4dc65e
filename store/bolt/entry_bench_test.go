package bolt

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/internal/cputime"
)

// BenchmarkEntriesAdmit: 100 goroutines admit entries to 80,000 tickets
// (b.SetParallelism × GOMAXPROCS 2), durable, group-committed; the store
// alone, without the decision's signature check. The tickets come in the
// order of their codes, or shuffled as a crowd arrives (with scan ids
// numbered by gate). It reports the entries per commit.
func BenchmarkEntriesAdmit(b *testing.B) {
	for _, shuffled := range []bool{false, true} {
		name := "ordered"
		if shuffled {
			name = "shuffled"
		}
		b.Run(name, func(b *testing.B) { benchEntriesAdmit(b, shuffled, entCheckpoint) })
	}
}

func benchEntriesAdmit(b *testing.B, shuffled bool, k int) {
	const tickets = 80_000
	order := make([]int, tickets)
	for i := range order {
		order[i] = i
	}
	if shuffled {
		rand.New(rand.NewPCG(93, 636)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	db, err := Open(filepath.Join(b.TempDir(), "entries.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := db.entries(k)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST)
	var next, gates atomic.Int64
	before := db.commits.get()
	b.ReportAllocs()
	b.SetParallelism(50)
	b.ResetTimer()
	cpu0, cpuOK := cputime.Process()
	b.RunParallel(func(pb *testing.PB) {
		gate, scans := gates.Add(1), 0
		for pb.Next() {
			k := next.Add(1)
			id := fmt.Sprintf("b%d", k)
			if shuffled {
				scans++
				id = fmt.Sprintf("g%d-%d", gate, scans)
			}
			e := checkin.Entry{ID: id, Ticket: entCrashTicket(order[k%tickets]), SessionID: "s", Tier: "A", RealName: 3,
				Method: checkin.QR, Gate: "G", Device: "D", Node: "lan", At: at, Count: 1}
			if _, err := s.Admit(ctx, e, checkin.MaxEntries); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	cpu1, _ := cputime.Process()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "admits/s")
	if cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/admit")
	}
	if c := db.commits.get() - before; c > 0 {
		b.ReportMetric(float64(b.N)/float64(c), "admits/commit")
	}
}

// BenchmarkEntriesCheckpoint: the shuffled admissions of BenchmarkEntriesAdmit
// with other checkpoint sizes K.
func BenchmarkEntriesCheckpoint(b *testing.B) {
	for _, k := range []int{1024, 4096, 8192, 16384, 32768} {
		b.Run(fmt.Sprint("K=", k), func(b *testing.B) { benchEntriesAdmit(b, true, k) })
	}
}

// entBenchFill imports n entries (ids "g<gate>-<i>", one ticket each) into s,
// 10,000 at a time.
func entBenchFill(b *testing.B, s *Entries, n int) {
	b.Helper()
	ctx := context.Background()
	at := time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST)
	es := make([]checkin.Entry, 0, checkin.MaxImport)
	for i := 0; i < n; {
		es = es[:0]
		for ; i < n && len(es) < checkin.MaxImport; i++ {
			es = append(es, checkin.Entry{ID: fmt.Sprintf("g%d-%d", i%100, i), Ticket: entCrashTicket(i), SessionID: "s", Tier: "A",
				RealName: 3, Method: checkin.QR, Gate: "G", Device: "D", Node: "lan", At: at, Count: 1})
		}
		if _, err := s.Import(ctx, es...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEntriesOpen: the time to open a file's entry store (bbolt's open
// and the replay of the log above the watermark), with a full overlay (K-1
// entries above the watermark) and with 1,000,000 entries indexed up to the
// log's end.
func BenchmarkEntriesOpen(b *testing.B) {
	for _, c := range []struct {
		name    string
		n, fill int // entries, and the checkpoint size they are written with
	}{
		{"overlay-full", entCheckpoint - 1, entCheckpoint},
		{"1M-indexed", 1_000_000, checkin.MaxImport},
	} {
		b.Run(c.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "entries.db")
			db, err := Open(path, nil)
			if err != nil {
				b.Fatal(err)
			}
			s, err := db.entries(c.fill)
			if err != nil {
				b.Fatal(err)
			}
			entBenchFill(b, s, c.n)
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
			var overlay int
			b.ReportAllocs()
			for b.Loop() {
				s, db, err := OpenEntries(path, nil)
				if err != nil {
					b.Fatal(err)
				}
				overlay = len(s.ovID)
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(overlay), "replayed")
		})
	}
}

// BenchmarkEntriesOverlayMemory reports the heap the overlay holds per entry
// when it is full (K-1 entries above the watermark).
func BenchmarkEntriesOverlayMemory(b *testing.B) {
	var perEntry float64
	for b.Loop() {
		db, err := Open(filepath.Join(b.TempDir(), "entries.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		s, err := db.Entries()
		if err != nil {
			b.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		entBenchFill(b, s, entCheckpoint-1)
		// A change of nothing, so that the committer lets go of the import's.
		if err := db.update(context.Background(), func(*bbolt.Tx) error { return nil }); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		perEntry = float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(entCheckpoint-1)
		runtime.KeepAlive(s)
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(perEntry, "B/entry")
}
