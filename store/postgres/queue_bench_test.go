package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// The enqueue benchmarks store 256-byte bodies and report committed records
// per second ("records/s"), with the server on the same machine.

var (
	benchNow  = time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	benchBody = bytes.Repeat([]byte("b"), 256)
)

func benchDraft(i int64) report.Draft {
	return report.Draft{
		Key:      fmt.Sprint("k", i),
		Stream:   []string{"", "110101001012024052701", "110101001012024052702"}[i%3],
		Endpoint: "/report/ticket",
		Body:     benchBody,
		Day:      wht93.DateOf(benchNow),
	}
}

func BenchmarkEnqueue(b *testing.B) {
	db := testDB(b)
	ctx := context.Background()
	b.Run("postgres/producers=64", func(b *testing.B) {
		q := openQueue(b, db, freshSchema(b, db))
		b.SetParallelism((64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
		var n atomic.Int64
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := q.Enqueue(ctx, benchNow, benchDraft(n.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("postgres/producers=1", func(b *testing.B) {
		q := openQueue(b, db, freshSchema(b, db))
		var i int64
		for b.Loop() {
			i++
			if _, err := q.Enqueue(ctx, benchNow, benchDraft(i)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("postgres/batch=200", func(b *testing.B) {
		q := openQueue(b, db, freshSchema(b, db))
		ds := make([]report.Draft, 200)
		var i int64
		for b.Loop() {
			for j := range ds {
				i++
				ds[j] = benchDraft(i)
			}
			if _, err := q.Enqueue(ctx, benchNow, ds...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

// BenchmarkLeaseAck drains a queue: lease 200, ack them in one call.
func BenchmarkLeaseAck(b *testing.B) {
	db := testDB(b)
	ctx := context.Background()
	q := openQueue(b, db, freshSchema(b, db))
	ds := make([]report.Draft, 200)
	var i int64
	for b.Loop() {
		b.StopTimer()
		for j := range ds {
			i++
			ds[j] = benchDraft(i)
		}
		if _, err := q.Enqueue(ctx, benchNow, ds...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		recs, err := q.Lease(ctx, benchNow, time.Minute, 200)
		if err != nil || len(recs) != 200 {
			b.Fatalf("Lease: %d records, %v", len(recs), err)
		}
		cs := make([]report.Claim, len(recs))
		for j, r := range recs {
			cs[j] = r.Claim()
		}
		if err := q.Ack(ctx, benchNow, cs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "records/s")
}
