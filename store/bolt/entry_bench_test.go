package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
)

// BenchmarkEntriesAdmit: 100 goroutines admit entries to distinct tickets
// (b.SetParallelism × GOMAXPROCS 2), durable, group-committed; the store
// alone, without the decision's signature check. It reports the entries per
// commit.
func BenchmarkEntriesAdmit(b *testing.B) {
	s, db, err := OpenEntries(filepath.Join(b.TempDir(), "entries.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := time.Date(2025, 5, 20, 19, 0, 0, 0, wht93.CST)
	var next atomic.Int64
	before := db.commits.get()
	b.ReportAllocs()
	b.SetParallelism(50)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := next.Add(1)
			e := checkin.Entry{ID: fmt.Sprintf("b%d", k), Ticket: entCrashTicket(int(k % 80000)), SessionID: "s", Tier: "A", RealName: 3,
				Method: checkin.QR, Gate: "G", Device: "D", Node: "lan", At: at, Count: 1}
			if _, err := s.Admit(ctx, e, checkin.MaxEntries); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "admits/s")
	if c := db.commits.get() - before; c > 0 {
		b.ReportMetric(float64(b.N)/float64(c), "admits/commit")
	}
}
