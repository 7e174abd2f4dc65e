package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
)

var t0 = time.Date(2024, 5, 27, 10, 0, 0, 0, wht93.CST)

func rec() audit.Record {
	return audit.Record{Time: t0, User: "op-007", Action: audit.ActionSale,
		Object: audit.Object{Type: "order", ID: "A-1001"}, Content: "售出2张", Detail: []byte(`{"n":2}`)}
}

func TestCheckRecords(t *testing.T) {
	with := func(f func(*audit.Record)) audit.Record { r := rec(); f(&r); return r }
	cases := []struct {
		name  string
		rec   audit.Record
		rule  *wht93.Rule // nil: valid
		field string
		value string // the value the violation shows, when it matters
	}{
		{name: "valid", rec: rec()},
		{name: "no object", rec: with(func(r *audit.Record) { r.Object = audit.Object{}; r.Action = audit.ActionLogin })},
		{name: "type without id", rec: with(func(r *audit.Record) { r.Object = audit.Object{Type: "config"} })},
		{name: "host action", rec: with(func(r *audit.Record) { r.Action = "acme.discount-approve_2" })},
		{name: "user with punctuation", rec: with(func(r *audit.Record) { r.User = "box-office:op_07.a" })},
		{name: "11 digits not a mobile", rec: with(func(r *audit.Record) { r.User = "10012345678" })},
		{name: "18 digits, wrong check digit", rec: with(func(r *audit.Record) { r.User = "110101199003078031" })},
		{name: "content with newline and tab", rec: with(func(r *audit.Record) { r.Content = "第一行\n\t第二行" })},
		{name: "content at the limit", rec: with(func(r *audit.Record) { r.Content = strings.Repeat("x", audit.MaxContent) })},
		{name: "no detail", rec: with(func(r *audit.Record) { r.Detail = nil })},
		{name: "year 9999", rec: with(func(r *audit.Record) { r.Time = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC) })},

		{name: "zero time", rec: with(func(r *audit.Record) { r.Time = time.Time{} }), rule: audit.ErrTime, field: "time"},
		{name: "year 10000", rec: with(func(r *audit.Record) { r.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), rule: audit.ErrTime, field: "time"},
		{name: "no user", rec: with(func(r *audit.Record) { r.User = "" }), rule: audit.ErrUser, field: "user"},
		{name: "user too long", rec: with(func(r *audit.Record) { r.User = strings.Repeat("u", audit.MaxUser+1) }), rule: audit.ErrUser, field: "user"},
		{name: "user a name", rec: with(func(r *audit.Record) { r.User = "王小明" }), rule: audit.ErrUser, field: "user", value: "***"},
		{name: "user an email", rec: with(func(r *audit.Record) { r.User = "wang@example.com" }), rule: audit.ErrUser, field: "user", value: "wa*************m"},
		{name: "user a mobile", rec: with(func(r *audit.Record) { r.User = "13912345678" }), rule: audit.ErrPersonalData, field: "user", value: "13********8"},
		{name: "user a mobile with 86", rec: with(func(r *audit.Record) { r.User = "8613912345678" }), rule: audit.ErrPersonalData, field: "user"},
		{name: "user a mobile with +86", rec: with(func(r *audit.Record) { r.User = "+8613912345678" }), rule: audit.ErrUser, field: "user", value: "+8***********8"},
		{name: "user an ID number", rec: with(func(r *audit.Record) { r.User = "11010119900307803x" }), rule: audit.ErrPersonalData, field: "user", value: "11***************x"},
		{name: "plain unknown action", rec: with(func(r *audit.Record) { r.Action = "approve" }), rule: audit.ErrAction, field: "action"},
		{name: "action with space", rec: with(func(r *audit.Record) { r.Action = "acme. approve" }), rule: audit.ErrAction, field: "action"},
		{name: "action starting with a dot", rec: with(func(r *audit.Record) { r.Action = ".approve" }), rule: audit.ErrAction, field: "action"},
		{name: "id without type", rec: with(func(r *audit.Record) { r.Object = audit.Object{ID: "A"} }), rule: audit.ErrObject, field: "object.type"},
		{name: "type with space", rec: with(func(r *audit.Record) { r.Object.Type = "my order" }), rule: audit.ErrObject, field: "object.type"},
		{name: "id with newline", rec: with(func(r *audit.Record) { r.Object.ID = "A\n1" }), rule: audit.ErrObject, field: "object.id"},
		{name: "id too long", rec: with(func(r *audit.Record) { r.Object.ID = strings.Repeat("1", audit.MaxObjectID+1) }), rule: audit.ErrObject, field: "object.id"},
		{name: "content over the limit", rec: with(func(r *audit.Record) { r.Content = strings.Repeat("x", audit.MaxContent+1) }), rule: audit.ErrTooLong, field: "content", value: "4097 bytes"},
		{name: "content with NUL", rec: with(func(r *audit.Record) { r.Content = "\x00" }), rule: audit.ErrText, field: "content"},
		{name: "detail over the limit", rec: with(func(r *audit.Record) { r.Detail = make([]byte, audit.MaxDetail+1) }), rule: audit.ErrTooLong, field: "detail", value: "65537 bytes"},
		{name: "detail not JSON", rec: with(func(r *audit.Record) { r.Detail = []byte("n=2") }), rule: audit.ErrDetail, field: "detail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := audit.CheckRecords([]audit.Record{rec(), c.rec})
			if c.rule == nil {
				if err != nil {
					t.Fatalf("CheckRecords: %v", err)
				}
				if len(out) != 2 || out[1].User != c.rec.User || out[1].Time.Location() != time.UTC {
					t.Fatalf("CheckRecords returned %+v", out)
				}
				return
			}
			if out != nil || !errors.Is(err, c.rule) {
				t.Fatalf("CheckRecords = %v, %v; want %s", out, err, c.rule.Code())
			}
			vs := wht93.ViolationsOf(err)
			if len(vs) != 1 || vs[0].Field != "records[1]."+c.field {
				t.Fatalf("violations %v, want one at records[1].%s", vs, c.field)
			}
			if c.value != "" && vs[0].Value != c.value {
				t.Fatalf("violation value %q, want %q", vs[0].Value, c.value)
			}
			if vs[0].Zh == "" || vs[0].En == "" {
				t.Fatalf("violation without both languages: %v", vs[0])
			}
		})
	}
}

func TestCheckRecordsAll(t *testing.T) {
	bad := audit.Record{User: "张三", Action: "x", Content: strings.Repeat("长", audit.MaxContent)}
	_, err := audit.CheckRecords([]audit.Record{bad})
	vs := wht93.ViolationsOf(err)
	want := []string{"records[0].time", "records[0].user", "records[0].action", "records[0].content"}
	if len(vs) != len(want) {
		t.Fatalf("violations %v, want every one of %v", vs, want)
	}
	for i, v := range vs {
		if v.Field != want[i] {
			t.Fatalf("violation %d at %s, want %s", i, v.Field, want[i])
		}
	}
	if strings.Contains(err.Error(), "张三") {
		t.Fatalf("error %q shows the name in clear", err)
	}
	for _, n := range []int{0, audit.MaxBatch + 1} {
		if _, err := audit.CheckRecords(make([]audit.Record, n)); !errors.Is(err, audit.ErrBatch) {
			t.Fatalf("%d records: %v, want ErrBatch", n, err)
		}
	}
}

func TestCheckNormalizes(t *testing.T) {
	r := rec()
	r.Time = time.Date(2024, 5, 27, 10, 0, 0, 123456789, wht93.CST)
	out, err := r.Check()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 5, 27, 2, 0, 0, 123456000, time.UTC); out.Time != want {
		t.Fatalf("time %v, want %v", out.Time, want)
	}
	r.Detail[0] = '['
	if string(out.Detail) != `{"n":2}` {
		t.Fatal("Check did not copy the detail")
	}
}

func TestActions(t *testing.T) {
	seen := map[audit.Action]bool{}
	for _, a := range audit.Actions() {
		if seen[a] || !a.Builtin() || !a.Valid() || a.HostDefined() || a.Zh() == string(a) || a.En() == "" {
			t.Fatalf("action %q: duplicate, or not a named built-in", a)
		}
		seen[a] = true
	}
	// Clause 6.4.3.3 names these operations; each has its action.
	for a, zh := range map[audit.Action]string{
		audit.ActionLogin: "登录", audit.ActionLogout: "登出", audit.ActionShow: "演出活动信息管理",
		audit.ActionSale: "售票", audit.ActionPrint: "打票", audit.ActionRefund: "退票", audit.ActionCheckIn: "检票",
	} {
		if a.Zh() != zh {
			t.Fatalf("%s.Zh() = %q, want %q", a, a.Zh(), zh)
		}
	}
	host := audit.Action("acme.approve")
	if host.Builtin() || !host.HostDefined() || !host.Valid() || host.Zh() != "acme.approve" {
		t.Fatalf("host action %q misclassified", host)
	}
	if audit.Action("approve").Valid() {
		t.Fatal("an unknown action without a namespace is valid")
	}
}

func TestParseAnchor(t *testing.T) {
	h := strings.Repeat("0a", 32)
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"wht93-audit-v1:12:" + h, true},
		{"wht93-audit-v1:12:" + strings.ToUpper(h), true},
		{"wht93-audit-v1:0:" + strings.Repeat("0", 64), true},
		{"wht93-audit-v1:0:" + h, false},
		{"wht93-audit-v1:12:" + strings.Repeat("0", 64), false},
		{"wht93-audit-v1:012:" + h, false},
		{"wht93-audit-v1:-1:" + h, false},
		{"wht93-audit-v1:18446744073709551616:" + h, false},
		{"wht93-audit-v1:12:" + h[:63], false},
		{"wht93-audit-v1:12:" + h[:62] + "zz", false},
		{"wht93-audit-v2:12:" + h, false},
		{"12:" + h, false},
		{"", false},
	} {
		a, err := audit.ParseAnchor("anchor", c.in)
		if c.ok != (err == nil) {
			t.Fatalf("ParseAnchor(%q) = %v, %v", c.in, a, err)
		}
		if c.ok && a.String() != strings.ToLower(c.in) {
			t.Fatalf("ParseAnchor(%q).String() = %q", c.in, a)
		}
		if !c.ok && !errors.Is(err, audit.ErrAnchorFormat) {
			t.Fatalf("ParseAnchor(%q): %v, want ErrAnchorFormat", c.in, err)
		}
	}
	var a audit.Anchor
	if err := a.UnmarshalText([]byte("wht93-audit-v1:3:" + h)); err != nil || a.Seq != 3 {
		t.Fatalf("UnmarshalText: %v, %v", a, err)
	}
	if b, _ := a.MarshalText(); string(b) != "wht93-audit-v1:3:"+h {
		t.Fatalf("MarshalText = %s", b)
	}
}

func TestEntryString(t *testing.T) {
	r := rec()
	r.Content = "售出2张\n备注"
	es := audit.Seal(audit.Anchor{}, []audit.Record{r})
	got := es[0].String()
	want := "#1 2024-05-27 10:00:00 CST op-007 售票(sale) order:A-1001 售出2张\\n备注 [" + es[0].Hash.String()[:8] + "…]"
	if got != want {
		t.Fatalf("String() =\n%s\nwant\n%s", got, want)
	}
}
