package report_test

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93/report"
)

func TestApplyTransitions(t *testing.T) {
	due := time.Date(2024, 5, 28, 4, 0, 0, 0, time.UTC)
	early, late := due.Add(-time.Hour), due.Add(time.Hour)
	expiry := early.Add(time.Minute)
	base := report.Record{Seq: 7, Due: due, Attempts: 2, LeaseToken: 5, LeaseExpiry: early}
	with := func(s report.State, cause string, done time.Time) report.Record {
		r := base
		r.State, r.LastCause, r.Done = s, cause, done
		return r
	}
	cases := []struct {
		name  string
		r     report.Record
		apply func(*report.Record) report.Counts
		want  report.Counts
		check func(report.Record) bool
	}{
		{"lease pending", with(report.Pending, "", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyLease(r, expiry) },
			report.Counts{Leased: 1, Attempts: 1},
			func(r report.Record) bool {
				return r.State == report.Leased && r.Attempts == 3 && r.LeaseToken == 6 && r.LeaseExpiry.Equal(expiry)
			}},
		{"lease expired lease", with(report.Leased, "x", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyLease(r, expiry) },
			report.Counts{Attempts: 1},
			func(r report.Record) bool { return r.State == report.Leased && r.Attempts == 3 && r.LeaseToken == 6 }},
		{"ack in time", with(report.Leased, "x", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyAck(r, early) },
			report.Counts{Depth: -1, Leased: -1, Failing: -1, Attempts: -2, Acked: 1},
			func(r report.Record) bool {
				return r.State == report.Acked && r.Done.Equal(early) && r.LastCause == "x"
			}},
		{"ack late", with(report.Leased, "", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyAck(r, late) },
			report.Counts{Depth: -1, Leased: -1, Attempts: -2, Acked: 1, Backfill: 1},
			func(r report.Record) bool { return r.State == report.Acked && r.Done.Equal(late) }},
		{"ack at due is not backfill", with(report.Leased, "", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyAck(r, due) },
			report.Counts{Depth: -1, Leased: -1, Attempts: -2, Acked: 1},
			func(r report.Record) bool { return r.State == report.Acked }},
		{"first retry", with(report.Leased, "", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyRetry(r, late, "timeout") },
			report.Counts{Leased: -1, Failing: 1},
			func(r report.Record) bool {
				return r.State == report.Pending && r.Next.Equal(late) && r.LastCause == "timeout" && r.Attempts == 2
			}},
		{"retry again", with(report.Leased, "old", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyRetry(r, late, "new") },
			report.Counts{Leased: -1},
			func(r report.Record) bool { return r.State == report.Pending && r.LastCause == "new" }},
		{"bury leased", with(report.Leased, "", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyBury(r, early, "permanent") },
			report.Counts{Depth: -1, Leased: -1, Attempts: -2, Dead: 1},
			func(r report.Record) bool {
				return r.State == report.Dead && r.Done.Equal(early) && r.LastCause == "permanent"
			}},
		{"bury pending that failed", with(report.Pending, "old", time.Time{}),
			func(r *report.Record) report.Counts { return report.ApplyBury(r, early, "operator") },
			report.Counts{Depth: -1, Failing: -1, Attempts: -2, Dead: 1},
			func(r report.Record) bool { return r.State == report.Dead && r.LastCause == "operator" }},
		{"redrive", with(report.Dead, "permanent", early),
			func(r *report.Record) report.Counts { return report.ApplyRedrive(r, late) },
			report.Counts{Depth: 1, Failing: 1, Dead: -1},
			func(r report.Record) bool {
				return r.State == report.Pending && r.Attempts == 0 && r.Next.Equal(late) && r.Done.IsZero() &&
					r.LastCause == "permanent" && r.LeaseToken == 5
			}},
	}
	for _, c := range cases {
		r := c.r
		if got := c.apply(&r); got != c.want {
			t.Errorf("%s: counts change by %+v, want %+v", c.name, got, c.want)
		}
		if !c.check(r) {
			t.Errorf("%s: record after: %+v", c.name, r)
		}
	}
}

func TestClaimsAndAllowed(t *testing.T) {
	c := report.Claim{Seq: 3, Token: 2}
	cases := []struct {
		name             string
		r                *report.Record
		holds, ackRepeat bool
	}{
		{"no record", nil, false, false},
		{"leased under the claim", &report.Record{Seq: 3, State: report.Leased, LeaseToken: 2}, true, false},
		{"leased again", &report.Record{Seq: 3, State: report.Leased, LeaseToken: 3}, false, false},
		{"acked under the claim", &report.Record{Seq: 3, State: report.Acked, LeaseToken: 2}, false, true},
		{"acked under another claim", &report.Record{Seq: 3, State: report.Acked, LeaseToken: 3}, false, false},
		{"dead under the claim", &report.Record{Seq: 3, State: report.Dead, LeaseToken: 2}, false, false},
	}
	for _, k := range cases {
		if got := report.ClaimHolds(k.r, c); got != k.holds {
			t.Errorf("%s: ClaimHolds = %v", k.name, got)
		}
		if got := report.Repeated(k.r, c, report.Acked); got != k.ackRepeat {
			t.Errorf("%s: Repeated(Acked) = %v", k.name, got)
		}
		if report.Repeated(k.r, c, 0) {
			t.Errorf("%s: Repeated(0) = true", k.name)
		}
	}
	for s, redrive := range map[report.State]bool{report.Pending: false, report.Leased: false, report.Dead: true, report.Acked: false} {
		r := &report.Record{Seq: 9, State: s}
		err := report.RedriveAllowed(r)
		if (err == nil) != redrive || (err != nil && !errors.Is(err, report.ErrState)) {
			t.Errorf("RedriveAllowed(%s) = %v", s, err)
		}
		err = report.BuryAllowed(r)
		if (err == nil) != s.Open() || (err != nil && (!errors.Is(err, report.ErrState) || err.Error() != report.WrongState(9, s).Error())) {
			t.Errorf("BuryAllowed(%s) = %v", s, err)
		}
	}
}

func TestCountsOf(t *testing.T) {
	due := time.Date(2024, 5, 28, 4, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		r    report.Record
		want report.Counts
	}{
		{"pending", report.Record{State: report.Pending, Attempts: 2}, report.Counts{Depth: 1, Attempts: 2}},
		{"pending that failed", report.Record{State: report.Pending, Attempts: 1, LastCause: "x"},
			report.Counts{Depth: 1, Failing: 1, Attempts: 1}},
		{"leased", report.Record{State: report.Leased, Attempts: 3}, report.Counts{Depth: 1, Leased: 1, Attempts: 3}},
		{"dead", report.Record{State: report.Dead, Attempts: 3, LastCause: "x"}, report.Counts{Dead: 1}},
		{"acked in time", report.Record{State: report.Acked, Attempts: 1, Due: due, Done: due}, report.Counts{Acked: 1}},
		{"acked late", report.Record{State: report.Acked, Due: due, Done: due.Add(time.Microsecond)},
			report.Counts{Acked: 1, Backfill: 1}},
		{"no state", report.Record{Attempts: 1, LastCause: "x"}, report.Counts{}},
	}
	for _, c := range cases {
		if got := report.CountsOf(&c.r); got != c.want {
			t.Errorf("%s: CountsOf = %+v, want %+v", c.name, got, c.want)
		}
	}
	c := report.Counts{Depth: 1, Leased: 2, Failing: 3, Attempts: 4, Dead: 5, Acked: 6, Backfill: 7}
	s := c.Stats()
	if s != (report.Stats{Depth: 1, Leased: 2, Failing: 3, Attempts: 4, Dead: 5, Acked: 6, Backfill: 7}) {
		t.Errorf("Stats() = %+v", s)
	}
	d := c
	d.Add(c)
	d.Sub(report.Counts{Depth: 1, Leased: 1, Failing: 1, Attempts: 1, Dead: 1, Acked: 1, Backfill: 1})
	if d != (report.Counts{Depth: 1, Leased: 3, Failing: 5, Attempts: 7, Dead: 9, Acked: 11, Backfill: 13}) {
		t.Errorf("Add and Sub: %+v", d)
	}
}

// The counters a store keeps by adding the Counts of each change equal the
// sum of the records' shares, whatever the changes.
func TestCountsFollowChanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		now := time.Date(2024, 5, 28, 0, 0, 0, 0, time.UTC)
		recs := make([]report.Record, rapid.IntRange(1, 6).Draw(t, "records"))
		var kept report.Counts
		for i := range recs {
			recs[i] = report.Record{Seq: uint64(i + 1), State: report.Pending, Due: now.Add(time.Duration(i) * time.Hour)}
			kept.Depth++ // an Enqueue
		}
		for range rapid.IntRange(0, 40).Draw(t, "steps") {
			r := &recs[rapid.IntRange(0, len(recs)-1).Draw(t, "record")]
			now = now.Add(time.Duration(rapid.IntRange(1, 120).Draw(t, "minutes")) * time.Minute)
			switch op := rapid.IntRange(0, 5).Draw(t, "op"); {
			case op == 0 && r.State.Open():
				kept.Add(report.ApplyLease(r, now.Add(time.Minute)))
			case op == 1 && r.State == report.Leased:
				kept.Add(report.ApplyAck(r, now))
			case op == 2 && r.State == report.Leased:
				kept.Add(report.ApplyRetry(r, now, "retry"))
			case op == 3 && r.State.Open():
				kept.Add(report.ApplyBury(r, now, "bury"))
			case op == 4 && r.State == report.Dead:
				kept.Add(report.ApplyRedrive(r, now))
			case op == 5 && r.State == report.Acked: // a Purge
				kept.Sub(report.CountsOf(r))
				r.State = 0
			}
		}
		var sum report.Counts
		for i := range recs {
			sum.Add(report.CountsOf(&recs[i]))
		}
		if kept != sum {
			t.Fatalf("counters kept %+v, sum of the records' shares %+v", kept, sum)
		}
	})
}

func TestCheckOperationArgs(t *testing.T) {
	at := time.Date(2024, 5, 28, 1, 2, 3, 4567, time.UTC)
	micro := report.Micro(at)
	ok := []report.Claim{{Seq: 1, Token: 1}}
	bad := []report.Claim{{Seq: 0, Token: 1}}
	cases := []struct {
		name string
		call func() (time.Time, error)
		rule error // nil: no error, the time in Micro form
	}{
		{"ack", func() (time.Time, error) { return report.CheckAck(at, ok) }, nil},
		{"ack bad time first", func() (time.Time, error) { return report.CheckAck(time.Time{}, bad) }, report.ErrQueueTime},
		{"ack bad claims", func() (time.Time, error) { return report.CheckAck(at, bad) }, report.ErrQueueClaim},
		{"retry", func() (time.Time, error) { return report.CheckRetry(at, "c", ok) }, nil},
		{"retry bad next first", func() (time.Time, error) { return report.CheckRetry(time.Time{}, "", bad) }, report.ErrQueueTime},
		{"retry bad cause before claims", func() (time.Time, error) { return report.CheckRetry(at, "", bad) }, report.ErrQueueCause},
		{"retry no claims", func() (time.Time, error) { return report.CheckRetry(at, "c", nil) }, report.ErrQueueBatch},
		{"bury", func() (time.Time, error) { return report.CheckBury(at, "c", ok) }, nil},
		{"bury bad cause before claims", func() (time.Time, error) { return report.CheckBury(at, "", bad) }, report.ErrQueueCause},
		{"bury bad claims", func() (time.Time, error) { return report.CheckBury(at, "c", bad) }, report.ErrQueueClaim},
		{"redrive", func() (time.Time, error) { return report.CheckRedrive(at, 1) }, nil},
		{"redrive bad time first", func() (time.Time, error) { return report.CheckRedrive(time.Time{}, 0) }, report.ErrQueueTime},
		{"redrive seq 0", func() (time.Time, error) { return report.CheckRedrive(at, 0) }, report.ErrNotFound},
		{"bury record", func() (time.Time, error) { return report.CheckBuryRecord(at, 1, "c") }, nil},
		{"bury record seq before cause", func() (time.Time, error) { return report.CheckBuryRecord(at, 0, "") }, report.ErrNotFound},
		{"bury record bad cause", func() (time.Time, error) { return report.CheckBuryRecord(at, 1, "") }, report.ErrQueueCause},
	}
	for _, c := range cases {
		got, err := c.call()
		switch {
		case c.rule == nil && (err != nil || !got.Equal(micro) || got.Location() != time.UTC):
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, micro)
		case c.rule != nil && (!errors.Is(err, c.rule) || !got.IsZero()):
			t.Errorf("%s: %v, %v; want a violation of %v and the zero time", c.name, got, err, c.rule)
		}
	}
}
