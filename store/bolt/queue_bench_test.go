package bolt_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	diskqueue "github.com/nsqio/go-diskqueue"
	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/storetest"
)

// The enqueue benchmarks store 256-byte bodies and report durable records per
// second ("records/s"). go-diskqueue is the peer: with syncEvery 1 it fsyncs
// after every message (but answers Put before that fsync); with nsqd's
// defaults (syncEvery 2500, syncTimeout 2s) a Put is not durable at all.

var (
	benchNow  = time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)
	benchBody = storetest.BenchDraft(0).Body
)

// openBenchQueue is the open function of the storetest benchmarks: a queue in
// a file of its own, closed with b.Cleanup; it reports allocations.
func openBenchQueue(b *testing.B) report.Queue {
	q, db, err := bolt.OpenQueue(filepath.Join(b.TempDir(), "q.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	b.ReportAllocs()
	return q
}

func perSecond(b *testing.B, records int) {
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkEnqueue(b *testing.B) {
	ctx := context.Background()
	b.Run("bolt", func(b *testing.B) {
		storetest.BenchmarkQueueEnqueue(b, openBenchQueue)
		b.Run("batch=200/producers=8", func(b *testing.B) {
			q := openBenchQueue(b)
			b.SetParallelism((8 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				ds := make([]report.Draft, 200)
				for pb.Next() {
					for j := range ds {
						ds[j] = storetest.BenchDraft(n.Add(1))
					}
					if _, err := q.Enqueue(ctx, benchNow, ds...); err != nil {
						b.Error(err)
						return
					}
				}
			})
			perSecond(b, 200*b.N)
		})
	})
	// The floor under the queue: bbolt alone, 200 puts of 256 bytes under
	// sequential keys per transaction, one index, no records to encode.
	b.Run("bbolt-raw/puts=200", func(b *testing.B) {
		db, err := bbolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		var seq uint64
		for b.Loop() {
			err := db.Update(func(tx *bbolt.Tx) error {
				bk, err := tx.CreateBucketIfNotExists([]byte("b"))
				if err != nil {
					return err
				}
				for range 200 {
					seq++
					if err := bk.Put(binary.BigEndian.AppendUint64(nil, seq), benchBody); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b, 200*b.N)
	})
	diskq := func(b *testing.B, syncEvery int64, syncTimeout time.Duration) diskqueue.Interface {
		dq := diskqueue.New("bench", b.TempDir(), 100<<20, 0, 1<<20, syncEvery, syncTimeout,
			func(diskqueue.LogLevel, string, ...any) {})
		b.Cleanup(func() { dq.Close() })
		return dq
	}
	b.Run("diskqueue/syncEvery=1/producers=64", func(b *testing.B) {
		dq := diskq(b, 1, 2*time.Second)
		b.ResetTimer()
		storetest.BenchProducers(b, 64, func(int64) error { return dq.Put(benchBody) })
		perSecond(b, b.N)
	})
	b.Run("diskqueue/syncEvery=1/producers=1", func(b *testing.B) {
		dq := diskq(b, 1, 2*time.Second)
		for b.Loop() {
			if err := dq.Put(benchBody); err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b, b.N)
	})
	b.Run("diskqueue/defaults/producers=64", func(b *testing.B) {
		dq := diskq(b, 2500, 2*time.Second)
		b.ResetTimer()
		storetest.BenchProducers(b, 64, func(int64) error { return dq.Put(benchBody) })
		perSecond(b, b.N)
	})
	b.Run("diskqueue/defaults/producers=1", func(b *testing.B) {
		dq := diskq(b, 2500, 2*time.Second)
		for b.Loop() {
			if err := dq.Put(benchBody); err != nil {
				b.Fatal(err)
			}
		}
		perSecond(b, b.N)
	})
}

// BenchmarkLeaseAck drains a queue: lease 200, ack them in one call.
func BenchmarkLeaseAck(b *testing.B) {
	storetest.BenchmarkQueueLeaseAck(b, openBenchQueue)
}

var (
	million     sync.Once
	millionPath string
	millionErr  error
)

// millionQueue builds, once per test binary, a bolt file of 1,000,000 pending
// records in 100 streams and the free lane; TestMain removes it.
func millionQueue() (string, error) {
	million.Do(func() {
		dir, err := os.MkdirTemp("", "wht93-bench-")
		if err != nil {
			millionErr = err
			return
		}
		millionPath = filepath.Join(dir, "million.db")
		q, db, err := bolt.OpenQueue(millionPath, nil)
		if err != nil {
			millionErr = err
			return
		}
		defer db.Close()
		ds := make([]report.Draft, report.MaxBatch)
		for i := int64(0); i < 1_000_000; {
			for j := range ds {
				d := storetest.BenchDraft(i)
				d.Body = benchBody[:128]
				if i%2 == 1 {
					d.Stream = fmt.Sprint("1101010010120240527", i%100)
				}
				ds[j] = d
				i++
			}
			if _, err := q.Enqueue(context.Background(), benchNow, ds...); err != nil {
				millionErr = err
				return
			}
		}
	})
	return millionPath, millionErr
}

// BenchmarkReopenMillion opens a file of 1,000,000 pending records (warm page
// cache), reads its stats, leases 200 records and closes it.
func BenchmarkReopenMillion(b *testing.B) {
	path, err := millionQueue()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	at := benchNow
	b.ResetTimer()
	for b.Loop() {
		q, db, err := bolt.OpenQueue(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		s, err := q.Stats(ctx, at)
		if err != nil || s.Depth != 1_000_000 {
			b.Fatalf("Stats: %+v, %v", s, err)
		}
		at = at.Add(2 * time.Hour) // the previous iteration's leases have expired
		recs, err := q.Lease(ctx, at, time.Hour, 200)
		if err != nil || len(recs) != 200 {
			b.Fatalf("Lease: %d records, %v", len(recs), err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if millionPath != "" {
		os.RemoveAll(filepath.Dir(millionPath))
	}
	os.Exit(code)
}
