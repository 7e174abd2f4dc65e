package bolt

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/piaowu/wht93/audit"
)

func auditBenchRecord(i int) audit.Record {
	return audit.Record{
		Time: auditTime(i), User: "op-" + strconv.Itoa(i%50), Action: audit.ActionSale,
		Object:  audit.Object{Type: "order", ID: "A-" + strconv.Itoa(i)},
		Content: "售出2张，共256.00元",
	}
}

// BenchmarkAuditAppend measures durable appends of one record each (every
// append is fsynced before it returns), by 1 appender and by 64 concurrent
// appenders sharing group commits.
func BenchmarkAuditAppend(b *testing.B) {
	for _, appenders := range []int{1, 64} {
		b.Run("appenders="+strconv.Itoa(appenders), func(b *testing.B) {
			l, db, err := OpenAuditLog(filepath.Join(b.TempDir(), "audit.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			b.ReportAllocs()
			if appenders == 1 {
				i := 0
				for b.Loop() {
					if _, err := l.Append(ctx, auditBenchRecord(i)); err != nil {
						b.Fatal(err)
					}
					i++
				}
			} else {
				var n atomic.Int64
				b.SetParallelism((appenders + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)) // ≈ appenders goroutines
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := l.Append(ctx, auditBenchRecord(int(n.Add(1)))); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// BenchmarkAuditVerify measures the verification of a log of 1,000,000
// entries read from the file.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 1_000_000
	l, db, err := OpenAuditLog(filepath.Join(b.TempDir(), "audit.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	recs := make([]audit.Record, audit.MaxBatch)
	for i := 0; i < n; i += len(recs) {
		for j := range recs {
			recs[j] = auditBenchRecord(i + j)
		}
		if _, err := l.Append(ctx, recs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		sum, err := audit.Verify(ctx, l)
		if err != nil || sum.Checked != n {
			b.Fatalf("Verify = %+v, %v", sum, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/entry")
}
