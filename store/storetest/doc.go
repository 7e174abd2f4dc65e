// Package storetest is the conformance kit of the SDK's ports: one exported
// function per port that runs the port's whole contract against an
// implementation, ours (store/memory, store/bolt, store/postgres) or a host's
// own. Call it from a test with a factory that opens an empty store:
//
//	func TestQueue(t *testing.T) {
//		storetest.TestQueue(t, func(t *testing.T) report.Queue {
//			q := myqueue.Open(…) // empty, released with t.Cleanup
//			return q
//		})
//	}
//
// For the report queue: [TestQueue] (every operation, ordering streams,
// leases, concurrent producers and consumers, and a state-machine test of
// random operations against a model, using pgregory.net/rapid),
// [TestQueueReopen] (durability across close and reopen) and
// [TestQueueShared] (several handles on one queue, as several processes).
// For the session-code book of the delivery engine: [TestCodeBook].
// The benchmarks that the stores share, with the same records and metrics:
// [BenchmarkQueueEnqueue], [BenchmarkQueueLeaseAck] and [BenchmarkAuditAppend].
// Each misbehaviour fails the subtest that found it, with the operation, the
// record and what was expected.
package storetest
