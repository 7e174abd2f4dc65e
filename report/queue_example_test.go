package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/memory"
)

// A sender's loop: enqueue what must reach the platform, lease it, and ack,
// retry or bury each record after the platform answered. Records of one stream
// (one session) go out in order.
func ExampleQueue() {
	ctx := context.Background()
	var q report.Queue = memory.NewQueue() // store/bolt or store/postgres in production
	now := time.Date(2024, 5, 27, 21, 0, 0, 0, wht93.CST)
	day := wht93.DateOf(now)
	session := "110101001012024052701"

	res, _ := q.Enqueue(ctx, now,
		report.Draft{Key: "code/" + session, Stream: session, Endpoint: "/performance/code", Body: []byte(`{}`), Day: day},
		report.Draft{Key: "session/" + session, Stream: session, Endpoint: "/report/session/update", Body: []byte(`{}`), Day: day},
	)
	again, _ := q.Enqueue(ctx, now, report.Draft{Key: "code/" + session, Stream: session, Endpoint: "/performance/code", Day: day})
	fmt.Println("enqueued", res[0].Seq, res[1].Seq, "again:", again[0].Seq, again[0].Duplicate)

	recs, _ := q.Lease(ctx, now, 30*time.Second, 1)
	fmt.Println("leased", recs[0].Seq, recs[0].Endpoint)
	blocked, _ := q.Lease(ctx, now, 30*time.Second, 10)
	fmt.Println("leased while the session code is out:", len(blocked))

	// The platform is busy: retry in a minute, with the cause kept.
	_ = q.Retry(ctx, now.Add(time.Minute), "5100 服务器繁忙", recs[0].Claim())
	recs, _ = q.Lease(ctx, now.Add(time.Minute), 30*time.Second, 10)
	fmt.Println("leased a minute later", len(recs), "records, attempt", recs[0].Attempts)
	_ = q.Ack(ctx, now.Add(time.Minute), recs[0].Claim(), recs[1].Claim())

	s, _ := q.Stats(ctx, now.Add(time.Minute))
	fmt.Printf("depth %d, acked %d, backfill %d\n", s.Depth, s.Acked, s.Backfill)
	// Output:
	// enqueued 1 2 again: 1 true
	// leased 1 /performance/code
	// leased while the session code is out: 0
	// leased a minute later 2 records, attempt 2
	// depth 0, acked 2, backfill 0
}
