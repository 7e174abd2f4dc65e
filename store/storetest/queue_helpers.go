package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// base is the suite's starting instant; its nanoseconds check that queues keep
// times to the microsecond.
var base = time.Date(2024, 5, 27, 10, 0, 0, 123456789, wht93.CST)

// day is the business day of the suite's drafts unless a test says otherwise.
var day = wht93.Date{Year: 2024, Month: 5, Day: 27}

func draft(key, stream string) report.Draft {
	return report.Draft{
		Key:      key,
		Stream:   stream,
		Endpoint: "/report/ticket",
		Body:     []byte(`{"ticketCode":"` + key + `","x":"\u0000\u00ff"}` + "\x00\xff\xfe"),
		Day:      day,
	}
}

func enqueue(t testing.TB, q report.Queue, now time.Time, ds ...report.Draft) []uint64 {
	t.Helper()
	res, err := q.Enqueue(context.Background(), now, ds...)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	if len(res) != len(ds) {
		t.Fatalf("Enqueue returned %d results for %d drafts", len(res), len(ds))
	}
	seqs := make([]uint64, len(res))
	for i, r := range res {
		seqs[i] = r.Seq
	}
	return seqs
}

func lease(t testing.TB, q report.Queue, now time.Time, ttl time.Duration, max int) []report.Record {
	t.Helper()
	recs, err := q.Lease(context.Background(), now, ttl, max)
	if err != nil {
		t.Fatalf("Lease: %v", err)
	}
	return recs
}

func get(t testing.TB, q report.Queue, seq uint64) report.Record {
	t.Helper()
	r, err := q.Get(context.Background(), seq)
	if err != nil {
		t.Fatalf("Get(%d): %v", seq, err)
	}
	return r
}

func stats(t testing.TB, q report.Queue, now time.Time) report.Stats {
	t.Helper()
	s, err := q.Stats(context.Background(), now)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return s
}

func list(t testing.TB, q report.Queue, lq report.ListQuery) []report.Record {
	t.Helper()
	recs, err := q.List(context.Background(), lq)
	if err != nil {
		t.Fatalf("List(%+v): %v", lq, err)
	}
	return recs
}

func claims(recs []report.Record) []report.Claim {
	out := make([]report.Claim, len(recs))
	for i, r := range recs {
		out[i] = r.Claim()
	}
	return out
}

func seqsOf(recs []report.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}

func wantSeqs(t testing.TB, what string, got []report.Record, want ...uint64) {
	t.Helper()
	g := seqsOf(got)
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Fatalf("%s: got sequences %v, want %v", what, g, want)
	}
}

func mustOK(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// mustRule checks that err is a violation of rule and nothing else of the
// queue's making.
func mustRule(t testing.TB, what string, err error, rule *wht93.Rule) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, rule.Code())
	}
	if !errors.Is(err, rule) {
		t.Fatalf("%s: error %q is not %s", what, err, rule.Code())
	}
	if len(wht93.ViolationsOf(err)) == 0 {
		t.Fatalf("%s: error %q carries no wht93.Violation", what, err)
	}
}

// lostClaims returns the claims that an ErrLeaseLost error names.
func lostClaims(err error) []string {
	var out []string
	for _, v := range wht93.ViolationsOf(err) {
		if v.Rule == report.ErrLeaseLost {
			out = append(out, v.Value)
		}
	}
	return out
}

// diffRecord describes how got differs from want, or returns "".
func diffRecord(got, want report.Record) string {
	var d []string
	add := func(field string, g, w any) { d = append(d, fmt.Sprintf("%s = %v, want %v", field, g, w)) }
	if got.Seq != want.Seq {
		add("Seq", got.Seq, want.Seq)
	}
	if got.Key != want.Key {
		add("Key", got.Key, want.Key)
	}
	if got.Stream != want.Stream {
		add("Stream", got.Stream, want.Stream)
	}
	if got.Endpoint != want.Endpoint {
		add("Endpoint", got.Endpoint, want.Endpoint)
	}
	if !bytes.Equal(got.Body, want.Body) {
		add("Body", fmt.Sprintf("%q", got.Body), fmt.Sprintf("%q", want.Body))
	}
	if got.Day != want.Day {
		add("Day", got.Day, want.Day)
	}
	times := []struct {
		name string
		g, w time.Time
	}{
		{"Due", got.Due, want.Due}, {"Enqueued", got.Enqueued, want.Enqueued},
		{"Next", got.Next, want.Next}, {"LeaseExpiry", got.LeaseExpiry, want.LeaseExpiry},
		{"Done", got.Done, want.Done},
	}
	for _, tm := range times {
		if !tm.g.Equal(tm.w) {
			add(tm.name, tm.g.Format(time.RFC3339Nano), tm.w.Format(time.RFC3339Nano))
		}
		if !tm.g.IsZero() && tm.g.Location() != time.UTC {
			add(tm.name+".Location()", tm.g.Location(), time.UTC)
		}
	}
	if got.State != want.State {
		add("State", got.State, want.State)
	}
	if got.Attempts != want.Attempts {
		add("Attempts", got.Attempts, want.Attempts)
	}
	if got.LastCause != want.LastCause {
		add("LastCause", got.LastCause, want.LastCause)
	}
	if got.LeaseToken != want.LeaseToken {
		add("LeaseToken", got.LeaseToken, want.LeaseToken)
	}
	return strings.Join(d, "; ")
}

func wantRecord(t testing.TB, what string, got, want report.Record) {
	t.Helper()
	if d := diffRecord(got, want); d != "" {
		t.Fatalf("%s: record %d: %s", what, want.Seq, d)
	}
}

// diffStats describes how got differs from want, or returns "".
func diffStats(got, want report.Stats) string {
	var d []string
	add := func(field string, g, w any) { d = append(d, fmt.Sprintf("%s = %v, want %v", field, g, w)) }
	if got.Depth != want.Depth {
		add("Depth", got.Depth, want.Depth)
	}
	if got.Leased != want.Leased {
		add("Leased", got.Leased, want.Leased)
	}
	if got.Failing != want.Failing {
		add("Failing", got.Failing, want.Failing)
	}
	if got.Attempts != want.Attempts {
		add("Attempts", got.Attempts, want.Attempts)
	}
	if !got.Oldest.Equal(want.Oldest) {
		add("Oldest", got.Oldest, want.Oldest)
	}
	if got.OldestAge != want.OldestAge {
		add("OldestAge", got.OldestAge, want.OldestAge)
	}
	if got.Dead != want.Dead {
		add("Dead", got.Dead, want.Dead)
	}
	if got.Acked != want.Acked {
		add("Acked", got.Acked, want.Acked)
	}
	if got.Backfill != want.Backfill {
		add("Backfill", got.Backfill, want.Backfill)
	}
	return strings.Join(d, "; ")
}

func wantStats(t testing.TB, what string, got, want report.Stats) {
	t.Helper()
	if d := diffStats(got, want); d != "" {
		t.Fatalf("%s: stats: %s", what, d)
	}
}
