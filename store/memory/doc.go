// Package memory implements the SDK's ports in memory, for tests and
// demonstrations: nothing survives the process. It holds the report queue
// ([NewQueue]), the inventory ([NewInventory]), the entry counts of check-in
// ([NewEntries]) and the operation log ([NewAuditLog]). Each type keeps its port's whole
// contract otherwise (ordering, leases, deduplication), and passes the same
// conformance suite in store/storetest as the durable stores.
//
//	q := memory.NewQueue()
//	res, err := q.Enqueue(ctx, now, report.Draft{Key: "ticket/…", Stream: sessionCode,
//		Endpoint: "/report/ticket", Body: body, Day: day})
//	recs, err := q.Lease(ctx, now, 30*time.Second, 200)
//	err = q.Ack(ctx, now, recs[0].Claim())
//
// Use store/bolt or store/postgres where the data must survive a restart.
package memory
