// Package report carries the SDK's data to the government reporting platform of
// WH/T 93-2021 Appendix A so that no report is ever lost (clause 6.3.8, tests
// E.3.4 and E.4.1 d).
//
// Its centre is the persistent report queue port, [Queue]: a report is enqueued
// durably as the exact request body the platform will receive (without the
// access token, which is added at send time), under an idempotency key that
// dedupes re-enqueues, in an ordering stream (one session and its dependants)
// within which nothing goes out before the record ahead of it is acked or
// buried, and with its business day, which makes it due by 12:00 the next day in
// China Standard Time ([DueOf]); what arrives later is backfill (补报).
//
//	q := memory.NewQueue() // or bolt.Open(path, nil) then db.Queue(), or postgres
//	res, err := q.Enqueue(ctx, now, report.Draft{Key: "ticket/…", Stream: sessionCode,
//		Endpoint: "/report/ticket", Body: body, Day: day})
//	recs, err := q.Lease(ctx, now, 30*time.Second, 200)
//	err = q.Ack(ctx, now, recs[0].Claim())
//
// The delivery engine, [Engine], drains the queue through the Appendix A client:
// due records oldest first, session codes from /performance/code before any
// report of that session (a report enqueued before its session has a code
// carries a placeholder, [SessionRef], resolved at send time from the host's
// [CodeBook]), each answer classified — acked, retried with back-off persisted in
// the queue, buried on a permanent error, or the engine paused with an alert when
// an operator is needed — and the backlog sent at a bounded rate after an outage.
//
//	body, err := report.Encode(req) // validated against its table, without the token
//	e, err := report.NewEngine(report.EngineConfig{Queue: q, Sender: c, Codes: codes, OnAlert: alert})
//	go e.Run(ctx)
//	q.Enqueue(ctx, now, draft); e.Notify()
//
// Records are leased, then acked, retried at a later time with their cause, or
// buried in a dead-letter set with their cause; they are never removed on read.
// The implementations are store/memory, store/bolt (the embedded default) and
// store/postgres; store/storetest holds the conformance kit that a host's own
// implementation runs.
package report
