package audit_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/store/memory"
)

// TestE38 follows test E.3.8 (日志) of the standard for clause 6.4.3.3.
func TestE38(t *testing.T) {
	ctx := context.Background()
	store := memory.NewAuditLog()
	at := func(min int) time.Time { return time.Date(2024, 5, 27, 9, min, 0, 0, wht93.CST) }
	ops := []audit.Record{
		{Time: at(0), User: "op-007", Action: audit.ActionLogin, Content: "售票员登录，终端 BO-2"},
		{Time: at(1), User: "op-001", Action: audit.ActionShow, Object: audit.Object{Type: "show", ID: "P-2024-018"}, Content: "新建演出《茶馆》"},
		{Time: at(2), User: "op-001", Action: audit.ActionShow, Object: audit.Object{Type: "show", ID: "P-2024-018"}, Content: "修改演出简介",
			Detail: []byte(`{"field":"intro","before":"旧简介","after":"新简介"}`)},
		{Time: at(3), User: "op-001", Action: audit.ActionSession, Object: audit.Object{Type: "session", ID: "110101001012024052701"}, Content: "删除场次"},
		{Time: at(4), User: "op-007", Action: audit.ActionSale, Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "售出2张，共256.00元"},
		{Time: at(5), User: "op-007", Action: audit.ActionPrint, Object: audit.Object{Type: "ticket", ID: "1101010010120240527010001"}, Content: "第1次打印"},
		{Time: at(6), User: "op-007", Action: audit.ActionRefund, Object: audit.Object{Type: "ticket", ID: "1101010010120240527010002"}, Content: "退票1张，退款128.00元"},
		{Time: at(7), User: "gate-03", Action: audit.ActionCheckIn, Object: audit.Object{Type: "ticket", ID: "1101010010120240527010001"}, Content: "东门检票通过"},
		{Time: at(8), User: "op-007", Action: audit.ActionLogout, Content: "售票员登出"},
	}

	// a) The system keeps a log of its users' operations: each is appended.
	for _, r := range ops {
		if _, err := audit.Append(ctx, store, r); err != nil {
			t.Fatalf("a) logging %s: %v", r.Action, err)
		}
	}

	// b) The log holds the users' logins, the deletions and changes they made,
	// and check-ins; c) each with its time, content and user.
	var log []audit.Entry
	for e, err := range audit.Entries(ctx, store, 0) {
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, e)
	}
	if len(log) != len(ops) {
		t.Fatalf("the log holds %d entries, want %d", len(log), len(ops))
	}
	find := func(a audit.Action, content string) *audit.Entry {
		for i := range log {
			if log[i].Action == a && strings.Contains(log[i].Content, content) {
				return &log[i]
			}
		}
		t.Fatalf("b) no %s entry with %q in the log", a, content)
		return nil
	}
	if e := find(audit.ActionLogin, "登录"); !e.Time.Equal(at(0)) || e.User != "op-007" {
		t.Fatalf("b) login logged as %v", e)
	}
	find(audit.ActionShow, "修改")
	find(audit.ActionSession, "删除")
	find(audit.ActionCheckIn, "检票")
	for _, e := range log {
		if e.Time.IsZero() || e.User == "" || e.Content == "" || !e.Action.Valid() {
			t.Fatalf("c) entry without time, user, action or content: %v", e)
		}
	}
	want := []string{
		"#1 2024-05-27 09:00:00 CST op-007 登录(login) 售票员登录，终端 BO-2",
		"#2 2024-05-27 09:01:00 CST op-001 演出活动信息管理(performance management) show:P-2024-018 新建演出《茶馆》",
		"#3 2024-05-27 09:02:00 CST op-001 演出活动信息管理(performance management) show:P-2024-018 修改演出简介",
		"#4 2024-05-27 09:03:00 CST op-001 场次管理(session management) session:110101001012024052701 删除场次",
		"#5 2024-05-27 09:04:00 CST op-007 售票(sale) order:A-1001 售出2张，共256.00元",
		"#6 2024-05-27 09:05:00 CST op-007 打票(print) ticket:1101010010120240527010001 第1次打印",
		"#7 2024-05-27 09:06:00 CST op-007 退票(refund) ticket:1101010010120240527010002 退票1张，退款128.00元",
		"#8 2024-05-27 09:07:00 CST gate-03 检票(check-in) ticket:1101010010120240527010001 东门检票通过",
		"#9 2024-05-27 09:08:00 CST op-007 登出(logout) 售票员登出",
	}
	for i, e := range log {
		line, _, _ := strings.Cut(e.String(), " [")
		if line != want[i] {
			t.Fatalf("c) the log shows\n%s\nwant\n%s", line, want[i])
		}
	}

	// d) The log cannot be modified. The port has no method that changes or
	// removes an entry ...
	var methods []string
	st := reflect.TypeFor[audit.Store]()
	for i := range st.NumMethod() {
		methods = append(methods, st.Method(i).Name)
	}
	if !slices.Equal(methods, []string{"Append", "Head", "Read"}) {
		t.Fatalf("d) the store port has the methods %v, want only Append, Head, Read", methods)
	}
	// ... changing an entry read from it changes nothing stored ...
	log[2].Content = "改过的内容"
	if _, err := audit.Verify(ctx, store); err != nil {
		t.Fatalf("d) the log changed when a copy read from it did: %v", err)
	}
	// ... and a change made behind its back, in its storage, is found and named.
	raw := &sliceStore{head: log[len(log)-1].Anchor()}
	for e, err := range audit.Entries(ctx, store, 0) {
		if err != nil {
			t.Fatal(err)
		}
		raw.entries = append(raw.entries, e)
	}
	raw.entries[2].Content = "修改演出简介（改）"
	_, err := audit.Verify(ctx, raw)
	var faults audit.Faults
	if !errors.As(err, &faults) || faults.First().Seq != 3 || !errors.Is(err, audit.ErrEdited) {
		t.Fatalf("d) an edit of entry 3 was not found: %v", err)
	}
	// e) The result: a log of every operation, with time, user, action, object
	// and content, that cannot be edited unseen.
	t.Logf("E.3.8: %d operations logged; edit of entry 3 found: %v", len(log), faults.First())
}
