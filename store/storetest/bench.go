package storetest

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/report"
)

var (
	// benchNow is the clock of the benchmarks: every record is enqueued at it.
	benchNow = time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	// benchBody is the body of every [BenchDraft]; nothing writes to it.
	benchBody = bytes.Repeat([]byte("b"), 256)
)

// BenchDraft returns the draft of the i-th record of the queue benchmarks: key
// "k" and i, a 256-byte body, business day 2024-05-27, and one of three lanes
// (the free lane and two streams) in turn. The body is shared by every draft
// it returns: do not modify it.
func BenchDraft(i int64) report.Draft {
	return report.Draft{
		Key:      fmt.Sprint("k", i),
		Stream:   []string{"", "110101001012024052701", "110101001012024052702"}[i%3],
		Endpoint: "/report/ticket",
		Body:     benchBody,
		Day:      wht93.DateOf(benchNow),
	}
}

// BenchProducers runs fn on about goroutines goroutines (whatever GOMAXPROCS
// is) until b.N calls in all; i counts the calls from 1. An error fails the
// benchmark and ends that goroutine.
func BenchProducers(b *testing.B, goroutines int, fn func(i int64) error) {
	b.SetParallelism((goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := fn(n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// perSecond reports records/b.Elapsed() as the metric unit.
func perSecond(b *testing.B, records int, unit string) {
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), unit)
}

// BenchmarkQueueEnqueue measures the enqueueing of [BenchDraft] records in
// three sub-benchmarks: producers=64 (64 concurrent producers of one record a
// call), producers=1 (one record a call) and batch=200 (200 records a call).
// Each reports records per second ("records/s"). open is called once per
// sub-benchmark and returns an empty queue of its own, released with
// b.Cleanup; it may call b.ReportAllocs.
func BenchmarkQueueEnqueue(b *testing.B, open func(b *testing.B) report.Queue) {
	ctx := context.Background()
	b.Run("producers=64", func(b *testing.B) {
		q := open(b)
		b.ResetTimer()
		BenchProducers(b, 64, func(i int64) error {
			_, err := q.Enqueue(ctx, benchNow, BenchDraft(i))
			return err
		})
		perSecond(b, b.N, "records/s")
	})
	b.Run("producers=1", func(b *testing.B) {
		q := open(b)
		var i int64
		for b.Loop() {
			i++
			if _, err := q.Enqueue(ctx, benchNow, BenchDraft(i)); err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b, b.N, "records/s")
	})
	b.Run("batch=200", func(b *testing.B) {
		q := open(b)
		ds := make([]report.Draft, 200)
		var i int64
		for b.Loop() {
			for j := range ds {
				i++
				ds[j] = BenchDraft(i)
			}
			if _, err := q.Enqueue(ctx, benchNow, ds...); err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b, 200*b.N, "records/s")
	})
}

// BenchmarkQueueLeaseAck drains the queue that open returns (empty, released
// with b.Cleanup; open may call b.ReportAllocs): each iteration enqueues 200
// records outside the timer, then leases them and acks them in one call. It
// reports records per second ("records/s").
func BenchmarkQueueLeaseAck(b *testing.B, open func(b *testing.B) report.Queue) {
	ctx := context.Background()
	q := open(b)
	ds := make([]report.Draft, 200)
	var i int64
	for b.Loop() {
		b.StopTimer()
		for j := range ds {
			i++
			ds[j] = BenchDraft(i)
		}
		if _, err := q.Enqueue(ctx, benchNow, ds...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		recs, err := q.Lease(ctx, benchNow, time.Minute, 200)
		if err != nil || len(recs) != 200 {
			b.Fatalf("Lease: %d records, %v", len(recs), err)
		}
		if err := q.Ack(ctx, benchNow, claims(recs)...); err != nil {
			b.Fatal(err)
		}
	}
	perSecond(b, 200*b.N, "records/s")
}

// BenchAuditRecord returns the i-th record of the operation-log benchmarks: a
// sale of order "A-" and i by one of 50 operators, i seconds after
// 2024-05-27 10:00 CST.
func BenchAuditRecord(i int) audit.Record {
	return audit.Record{
		Time: benchNow.Add(time.Duration(i) * time.Second), User: "op-" + strconv.Itoa(i%50), Action: audit.ActionSale,
		Object:  audit.Object{Type: "order", ID: "A-" + strconv.Itoa(i)},
		Content: "售出2张，共256.00元",
	}
}

// BenchmarkAuditAppend measures appends of one [BenchAuditRecord] each, in
// the sub-benchmarks appenders=1 and appenders=64 (concurrent appenders), and
// reports appends per second ("appends/s"). open is called once per run of a
// sub-benchmark with its number of appenders and returns an empty log of its
// own, released with b.Cleanup.
func BenchmarkAuditAppend(b *testing.B, open func(b *testing.B, appenders int) audit.Store) {
	for _, appenders := range []int{1, 64} {
		b.Run("appenders="+strconv.Itoa(appenders), func(b *testing.B) {
			l := open(b, appenders)
			ctx := context.Background()
			b.ReportAllocs()
			if appenders == 1 {
				i := 0
				for b.Loop() {
					if _, err := l.Append(ctx, BenchAuditRecord(i)); err != nil {
						b.Fatal(err)
					}
					i++
				}
			} else {
				BenchProducers(b, appenders, func(i int64) error {
					_, err := l.Append(ctx, BenchAuditRecord(int(i)))
					return err
				})
			}
			perSecond(b, b.N, "appends/s")
		})
	}
}
