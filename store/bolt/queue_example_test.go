package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/bolt"
)

// The queue survives a restart: what was enqueued before Close is there after
// the next Open, and an enqueue repeated after a crash is deduplicated.
func ExampleOpenQueue() {
	dir, _ := os.MkdirTemp("", "wht93-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "queue.db")
	ctx := context.Background()
	now := time.Date(2024, 5, 27, 21, 0, 0, 0, wht93.CST)
	d := report.Draft{Key: "ticket/110101001012024052701A001", Stream: "110101001012024052701",
		Endpoint: "/report/ticket", Body: []byte(`{"ticketList":[]}`), Day: wht93.DateOf(now)}

	q, db, err := bolt.OpenQueue(path, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := q.Enqueue(ctx, now, d) // durable when it returns
	db.Close()

	q, db, _ = bolt.OpenQueue(path, nil)
	defer db.Close()
	again, _ := q.Enqueue(ctx, now, d)
	s, _ := q.Stats(ctx, now)
	fmt.Println(res[0].Seq, again[0].Seq, again[0].Duplicate, s.Depth)
	// Output: 1 1 true 1
}
