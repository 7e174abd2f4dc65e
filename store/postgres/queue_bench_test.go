package postgres_test

import (
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/storetest"
)

// The enqueue benchmarks store 256-byte bodies and report committed records
// per second ("records/s"), with the server on the same machine.

// openBenchQueue returns an open function for the storetest benchmarks: a
// queue in a schema of its own on the shared test pool.
func openBenchQueue(b *testing.B) func(b *testing.B) report.Queue {
	db := testDB(b)
	return func(b *testing.B) report.Queue { return openQueue(b, db, freshSchema(b, db)) }
}

func BenchmarkEnqueue(b *testing.B) {
	open := openBenchQueue(b)
	b.Run("postgres", func(b *testing.B) { storetest.BenchmarkQueueEnqueue(b, open) })
}

// BenchmarkLeaseAck drains a queue: lease 200, ack them in one call.
func BenchmarkLeaseAck(b *testing.B) {
	storetest.BenchmarkQueueLeaseAck(b, openBenchQueue(b))
}
