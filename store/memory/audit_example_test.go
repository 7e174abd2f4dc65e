package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/memory"
)

func ExampleNewAuditLog() {
	ctx := context.Background()
	log := memory.NewAuditLog()
	_, err := audit.Append(ctx, log, audit.Record{
		Time: time.Date(2024, 5, 27, 9, 0, 0, 0, wht93.CST), User: "gate-03", Action: audit.ActionCheckIn,
		Object: audit.Object{Type: "ticket", ID: "1101010010120240527010001"}, Content: "东门检票通过",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	es, _ := log.Read(ctx, 0, 10)
	fmt.Println(es[0].Seq, es[0].User, es[0].Action.Zh(), es[0].Object)
	// Output: 1 gate-03 检票 ticket:1101010010120240527010001
}
