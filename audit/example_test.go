package audit_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/memory"
)

func ExampleAppend() {
	ctx := context.Background()
	store := memory.NewAuditLog() // store/bolt or store/postgres in production
	now := time.Date(2024, 5, 27, 10, 2, 0, 0, wht93.CST)
	entries, err := audit.Append(ctx, store,
		audit.Record{Time: now, User: "op-007", Action: audit.ActionSale,
			Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "售出2张，共256.00元"},
		audit.Record{Time: now.Add(time.Minute), User: "op-007", Action: audit.ActionPrint,
			Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "打印2张"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		fmt.Println(e.Seq, e.Time.In(wht93.CST).Format(time.DateTime), e.User, e.Action.Zh(), e.Object, e.Content)
	}
	fmt.Println(entries[1].Prev == entries[0].Hash)
	// Output:
	// 1 2024-05-27 10:02:00 op-007 售票 order:A-1001 售出2张，共256.00元
	// 2 2024-05-27 10:03:00 op-007 打票 order:A-1001 打印2张
	// true
}

func ExampleAppend_invalid() {
	store := memory.NewAuditLog()
	_, err := audit.Append(context.Background(), store, audit.Record{
		Time: time.Date(2024, 5, 27, 10, 2, 0, 0, wht93.CST), User: "13912345678", Action: "approve",
	})
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v.Code(), v.Field, v.Value)
	}
	// Output:
	// audit.personalData records[0].user 13********8
	// audit.action records[0].action approve
}

func ExampleVerify() {
	ctx := context.Background()
	store := memory.NewAuditLog()
	for i, a := range []audit.Action{audit.ActionLogin, audit.ActionRefund, audit.ActionLogout} {
		_, err := audit.Append(ctx, store, audit.Record{
			Time: time.Date(2024, 5, 27, 10, i, 0, 0, wht93.CST), User: "op-007", Action: a,
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	sum, err := audit.Verify(ctx, store)
	fmt.Println(sum.Checked, "entries checked, error:", err)
	fmt.Println("head:", sum.Head.Seq) // export sum.Head somewhere else, to start the next verification from it
	// Output:
	// 3 entries checked, error: <nil>
	// head: 3
}

// A Verifier checks entries from any source, here an export whose second entry
// was edited; the finding names it.
func ExampleVerifier() {
	recs := []audit.Record{
		{Time: time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionSale, Content: "售出2张"},
		{Time: time.Date(2024, 5, 27, 10, 5, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionRefund, Content: "退票1张"},
		{Time: time.Date(2024, 5, 27, 10, 9, 0, 0, wht93.CST), User: "op-007", Action: audit.ActionLogout},
	}
	exported := audit.Seal(audit.Anchor{}, recs)
	exported[1].Content = "退票2张" // edited after the fact

	v := audit.NewVerifier(audit.Anchor{})
	for i := range exported {
		v.Next(&exported[i])
	}
	err := v.End(exported[2].Anchor())
	var faults audit.Faults
	if errors.As(err, &faults) {
		f := faults.First()
		fmt.Println(f.Seq, f.Rule().Code())
		fmt.Println(f.Violation.Zh)
		fmt.Println(f.Violation.En)
	}
	// Output:
	// 2 audit.edited
	// 第2条记录内容与其哈希不符（记录被修改）
	// entry 2 does not match its hash (edited)
}

func ExampleParseAnchor() {
	a, err := audit.ParseAnchor("anchor", "wht93-audit-v1:1842:9f3c0d3b6e6a4d1f6f0e1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f")
	fmt.Println(a.Seq, err)
	_, err = audit.ParseAnchor("anchor", "1842:9f3c")
	fmt.Println(errors.Is(err, audit.ErrAnchorFormat))
	// Output:
	// 1842 <nil>
	// true
}

// Verification from an anchor exported earlier reads only the entries after
// it, and checks that the anchor is still on the chain.
func ExampleVerifyWith() {
	ctx := context.Background()
	store := memory.NewAuditLog()
	appendAt := func(min int, a audit.Action) {
		_, err := audit.Append(ctx, store, audit.Record{
			Time: time.Date(2024, 5, 27, 10, min, 0, 0, wht93.CST), User: "op-007", Action: a,
		})
		if err != nil {
			fmt.Println(err)
		}
	}
	appendAt(0, audit.ActionLogin)
	appendAt(1, audit.ActionSale)
	sum, _ := audit.Verify(ctx, store)
	exported := sum.Head.String() // printed, mailed, timestamped: kept out of the log operators' reach

	appendAt(2, audit.ActionRefund)
	appendAt(3, audit.ActionLogout)
	from, err := audit.ParseAnchor("anchor", exported)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err = audit.VerifyWith(ctx, store, audit.VerifyOptions{From: from})
	fmt.Println(sum.From.Seq, sum.Checked, sum.Head.Seq, err)
	// Output: 2 2 4 <nil>
}

func ExampleEntries() {
	ctx := context.Background()
	store := memory.NewAuditLog()
	for i, a := range []audit.Action{audit.ActionLogin, audit.ActionConfig, audit.ActionLogout} {
		_, err := audit.Append(ctx, store, audit.Record{
			Time: time.Date(2024, 5, 27, 10, i, 0, 0, wht93.CST), User: "admin-1", Action: a,
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	for e, err := range audit.Entries(ctx, store, 1) { // the entries after the first
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(e.Seq, e.Action.Zh(), e.Action.En())
	}
	// Output:
	// 2 系统配置 configuration
	// 3 登出 logout
}
