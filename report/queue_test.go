package report_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

func TestDueOf(t *testing.T) {
	cases := []struct {
		day  wht93.Date
		want time.Time
	}{
		{wht93.Date{Year: 2024, Month: 5, Day: 27}, time.Date(2024, 5, 28, 4, 0, 0, 0, time.UTC)},
		{wht93.Date{Year: 2024, Month: 2, Day: 29}, time.Date(2024, 3, 1, 4, 0, 0, 0, time.UTC)},
		{wht93.Date{Year: 2023, Month: 12, Day: 31}, time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		if got := report.DueOf(c.day); !got.Equal(c.want) {
			t.Errorf("DueOf(%s) = %v, want %v (12:00 CST the next day)", c.day, got, c.want)
		}
	}
}

func TestLateAndBackfill(t *testing.T) {
	due := time.Date(2024, 5, 28, 4, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		r        report.Record
		now      time.Time
		late     bool
		backfill bool
	}{
		{"pending before due", report.Record{State: report.Pending, Due: due}, due.Add(-time.Second), false, false},
		{"pending at due", report.Record{State: report.Pending, Due: due}, due, false, false},
		{"pending after due", report.Record{State: report.Pending, Due: due}, due.Add(time.Microsecond), true, false},
		{"dead after due", report.Record{State: report.Dead, Due: due}, due.Add(time.Hour), true, false},
		{"acked in time", report.Record{State: report.Acked, Due: due, Done: due}, due.Add(time.Hour), false, false},
		{"acked late", report.Record{State: report.Acked, Due: due, Done: due.Add(time.Second)}, due, true, true},
	}
	for _, c := range cases {
		if got := c.r.Late(c.now); got != c.late {
			t.Errorf("%s: Late = %v, want %v", c.name, got, c.late)
		}
		if got := c.r.Backfill(); got != c.backfill {
			t.Errorf("%s: Backfill = %v, want %v", c.name, got, c.backfill)
		}
	}
}

func TestStrings(t *testing.T) {
	for s, want := range map[report.State]string{report.Pending: "pending", report.Leased: "leased",
		report.Dead: "dead", report.Acked: "acked", 0: "state(0)", 9: "state(9)"} {
		if s.String() != want {
			t.Errorf("State(%d).String() = %q, want %q", s, s.String(), want)
		}
	}
	for f, want := range map[report.Filter]string{report.ListOpen: "open", report.ListDead: "dead",
		report.ListLate: "late", 7: "filter(7)"} {
		if f.String() != want {
			t.Errorf("Filter(%d).String() = %q, want %q", f, f.String(), want)
		}
	}
	if got := (report.Claim{Seq: 12, Token: 3}).String(); got != "12/3" {
		t.Errorf("Claim.String() = %q", got)
	}
	if !report.Pending.Open() || !report.Leased.Open() || report.Dead.Open() || report.Acked.Open() {
		t.Error("State.Open is wrong")
	}
}

func TestCheckDrafts(t *testing.T) {
	day := wht93.Date{Year: 2024, Month: 5, Day: 27}
	body := []byte("body")
	ds, err := report.CheckDrafts([]report.Draft{{Key: "k", Endpoint: "/e", Body: body, Day: day}})
	if err != nil {
		t.Fatal(err)
	}
	if !ds[0].Due.Equal(report.DueOf(day)) {
		t.Errorf("default due %v", ds[0].Due)
	}
	body[0] = 'X'
	if string(ds[0].Body) != "body" {
		t.Error("CheckDrafts did not copy the body")
	}
	long := strings.Repeat("键", 100) // 300 bytes
	_, err = report.CheckDrafts([]report.Draft{{Key: long, Stream: "s\x00", Endpoint: "", Day: day}})
	vs := wht93.ViolationsOf(err)
	if len(vs) != 3 || !errors.Is(err, report.ErrQueueKey) || !errors.Is(err, report.ErrQueueStream) || !errors.Is(err, report.ErrQueueEndpoint) {
		t.Fatalf("violations %v", err)
	}
	if vs[0].Field != "drafts[0].key" || !strings.Contains(vs[0].Value, "(300 bytes)") || !utf8.ValidString(vs[0].Value) {
		t.Errorf("violation %q at %q: want the field path and a shortened value", vs[0].Value, vs[0].Field)
	}
	if !strings.Contains(vs[0].Error(), "幂等键") || !strings.Contains(vs[0].Error(), "idempotency key") {
		t.Errorf("message %q: want Chinese and English", vs[0].Error())
	}
}

func TestClipCause(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "unknown"},
		{"5100 服务器繁忙", "5100 服务器繁忙"},
		{"a\x00b\xffc", "a\uFFFDb\uFFFDc"},
	}
	for _, c := range cases {
		if got := report.ClipCause(c.in); got != c.want {
			t.Errorf("ClipCause(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, n := range []int{report.MaxCause, report.MaxCause + 1, 10 * report.MaxCause} {
		in := strings.Repeat("原", n/3+1)[:n-n%3] // whole runes
		got := report.ClipCause(in)
		if err := report.CheckCause("cause", got); err != nil {
			t.Fatalf("ClipCause of %d bytes gave an invalid cause: %v", len(in), err)
		}
		if len(in) > report.MaxCause && !strings.HasSuffix(got, "bytes cut]") {
			t.Errorf("ClipCause of %d bytes did not say what it cut: %q", len(in), got[len(got)-30:])
		}
		if len(in) <= report.MaxCause && got != in {
			t.Errorf("ClipCause changed a cause of %d bytes", len(in))
		}
	}
}

func TestMicro(t *testing.T) {
	in := time.Date(2024, 5, 27, 10, 0, 0, 123456789, wht93.CST)
	got := report.Micro(in)
	if !got.Equal(time.Date(2024, 5, 27, 2, 0, 0, 123456000, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("Micro = %v", got)
	}
	if !report.Micro(time.Time{}).IsZero() {
		t.Error("Micro of the zero time is not zero")
	}
	for _, bad := range []time.Time{{}, time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := report.CheckTime("now", bad); !errors.Is(err, report.ErrQueueTime) {
			t.Errorf("CheckTime(%v) = %v", bad, err)
		}
	}
}

func TestCheckArgs(t *testing.T) {
	if err := report.CheckLease(report.MinTTL, 1); err != nil {
		t.Error(err)
	}
	if err := report.CheckLease(0, 0); len(wht93.ViolationsOf(err)) != 2 {
		t.Errorf("CheckLease(0, 0) = %v, want two violations", err)
	}
	if err := report.CheckClaims([]report.Claim{{Seq: 1, Token: 1}, {Seq: 2, Token: 1}}); err != nil {
		t.Error(err)
	}
	if err := report.CheckClaims([]report.Claim{{Seq: 1, Token: 1}, {Seq: 1, Token: 2}, {Seq: 0, Token: 1}}); len(wht93.ViolationsOf(err)) != 2 {
		t.Errorf("CheckClaims: %v, want two violations", err)
	}
	q, err := report.CheckList(report.ListQuery{Filter: report.ListOpen, Now: time.Now()})
	if err != nil || q.Limit != 100 || !q.Now.IsZero() {
		t.Errorf("CheckList defaults: %+v, %v", q, err)
	}
	if err := report.LeaseLost(nil); err != nil {
		t.Errorf("LeaseLost(nil) = %v", err)
	}
	if err := report.LeaseLost([]report.Claim{{Seq: 4, Token: 2}}); !errors.Is(err, report.ErrLeaseLost) || !strings.Contains(err.Error(), `"4/2"`) {
		t.Errorf("LeaseLost = %v", err)
	}
}
