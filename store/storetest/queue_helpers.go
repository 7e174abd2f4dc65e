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

// diff collects the fields in which a value differs from the one wanted.
type diff []string

func (d *diff) add(field string, g, w any) {
	*d = append(*d, fmt.Sprintf("%s = %v, want %v", field, g, w))
}

func (d diff) String() string { return strings.Join(d, "; ") }

// diffField adds field to d when g and w differ.
func diffField[T comparable](d *diff, field string, g, w T) {
	if g != w {
		d.add(field, g, w)
	}
}

// diffRecord describes how got differs from want, or returns "".
func diffRecord(got, want report.Record) string {
	var d diff
	diffField(&d, "Seq", got.Seq, want.Seq)
	diffField(&d, "Key", got.Key, want.Key)
	diffField(&d, "Stream", got.Stream, want.Stream)
	diffField(&d, "Endpoint", got.Endpoint, want.Endpoint)
	if !bytes.Equal(got.Body, want.Body) {
		d.add("Body", fmt.Sprintf("%q", got.Body), fmt.Sprintf("%q", want.Body))
	}
	diffField(&d, "Day", got.Day, want.Day)
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
			d.add(tm.name, tm.g.Format(time.RFC3339Nano), tm.w.Format(time.RFC3339Nano))
		}
		if !tm.g.IsZero() && tm.g.Location() != time.UTC {
			d.add(tm.name+".Location()", tm.g.Location(), time.UTC)
		}
	}
	diffField(&d, "State", got.State, want.State)
	diffField(&d, "Attempts", got.Attempts, want.Attempts)
	diffField(&d, "LastCause", got.LastCause, want.LastCause)
	diffField(&d, "LeaseToken", got.LeaseToken, want.LeaseToken)
	return d.String()
}

func wantRecord(t testing.TB, what string, got, want report.Record) {
	t.Helper()
	if d := diffRecord(got, want); d != "" {
		t.Fatalf("%s: record %d: %s", what, want.Seq, d)
	}
}

// diffStats describes how got differs from want, or returns "".
func diffStats(got, want report.Stats) string {
	var d diff
	diffField(&d, "Depth", got.Depth, want.Depth)
	diffField(&d, "Leased", got.Leased, want.Leased)
	diffField(&d, "Failing", got.Failing, want.Failing)
	diffField(&d, "Attempts", got.Attempts, want.Attempts)
	if !got.Oldest.Equal(want.Oldest) {
		d.add("Oldest", got.Oldest, want.Oldest)
	}
	diffField(&d, "OldestAge", got.OldestAge, want.OldestAge)
	diffField(&d, "Dead", got.Dead, want.Dead)
	diffField(&d, "Acked", got.Acked, want.Acked)
	diffField(&d, "Backfill", got.Backfill, want.Backfill)
	return d.String()
}

func wantStats(t testing.TB, what string, got, want report.Stats) {
	t.Helper()
	if d := diffStats(got, want); d != "" {
		t.Fatalf("%s: stats: %s", what, d)
	}
}
