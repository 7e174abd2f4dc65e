package postgres

import (
	"context"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
)

// BenchmarkAuditAppend measures committed appends of one record each, by 1
// appender and by 64 concurrent appenders (each append one transaction that
// locks the head row).
func BenchmarkAuditAppend(b *testing.B) {
	t0 := time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	rec := func(i int) audit.Record {
		return audit.Record{
			Time: t0.Add(time.Duration(i) * time.Second), User: "op-" + strconv.Itoa(i%50), Action: audit.ActionSale,
			Object: audit.Object{Type: "order", ID: "A-" + strconv.Itoa(i)}, Content: "售出2张，共256.00元",
		}
	}
	for _, appenders := range []int{1, 64} {
		b.Run("appenders="+strconv.Itoa(appenders), func(b *testing.B) {
			sqlDB := auditSQL(b)
			sqlDB.SetMaxOpenConns(appenders + 2)
			sqlDB.SetMaxIdleConns(appenders + 2)
			l, _ := auditOpenLog(b, sqlDB, auditSchema(b, sqlDB))
			ctx := context.Background()
			b.ReportAllocs()
			if appenders == 1 {
				i := 0
				for b.Loop() {
					if _, err := l.Append(ctx, rec(i)); err != nil {
						b.Fatal(err)
					}
					i++
				}
			} else {
				var n atomic.Int64
				b.SetParallelism((appenders + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)) // ≈ appenders goroutines
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := l.Append(ctx, rec(int(n.Add(1)))); err != nil {
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
