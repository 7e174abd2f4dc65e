package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/bolt"
)

func ExampleOpenAuditLog() {
	dir, _ := os.MkdirTemp("", "wht93-audit")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	log, db, err := bolt.OpenAuditLog(filepath.Join(dir, "ops.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = audit.Append(ctx, log, audit.Record{
		Time: time.Date(2024, 5, 27, 9, 0, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionLogin,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	db.Close()

	// After a restart the chain goes on where it was.
	log, db, err = bolt.OpenAuditLog(filepath.Join(dir, "ops.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	es, err := audit.Append(ctx, log, audit.Record{
		Time: time.Date(2024, 5, 27, 9, 5, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionSale,
		Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "售出2张",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err := audit.Verify(ctx, log)
	fmt.Println(es[0].Seq, sum.Checked, err)
	// Output: 2 2 <nil>
}
