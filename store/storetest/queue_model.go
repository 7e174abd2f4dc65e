package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/report"
)

// model is the queue's contract written as plainly as possible: every operation
// scans every record. The store must agree with it after every step.
type model struct {
	recs map[uint64]*report.Record
	keys map[string]uint64
	last uint64
}

func (m *model) sorted() []*report.Record {
	out := make([]*report.Record, 0, len(m.recs))
	for _, r := range m.recs {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *report.Record) int { return int(a.Seq) - int(b.Seq) })
	return out
}

func (m *model) lease(now, expiry time.Time, max int) []uint64 {
	blocked := map[string]bool{}
	var out []uint64
	for _, r := range m.sorted() {
		if len(out) == max {
			break
		}
		if !r.State.Open() || (r.Stream != "" && blocked[r.Stream]) {
			continue
		}
		due := (r.State == report.Pending && !r.Next.After(now)) ||
			(r.State == report.Leased && !r.LeaseExpiry.After(now))
		if !due {
			if r.Stream != "" {
				blocked[r.Stream] = true
			}
			continue
		}
		r.State = report.Leased
		r.Attempts++
		r.LeaseToken++
		r.LeaseExpiry = expiry
		out = append(out, r.Seq)
	}
	return out
}

// settle returns the claims that do not hold and applies fn to the others.
func (m *model) settle(cs []report.Claim, ackAgain bool, fn func(*report.Record)) []string {
	var lost []string
	for _, c := range cs {
		r := m.recs[c.Seq]
		switch {
		case r != nil && r.State == report.Leased && r.LeaseToken == c.Token:
			fn(r)
		case ackAgain && r != nil && r.State == report.Acked && r.LeaseToken == c.Token:
		default:
			lost = append(lost, c.String())
		}
	}
	return lost
}

func (m *model) stats(now time.Time) report.Stats {
	var s report.Stats
	for _, r := range m.sorted() {
		switch r.State {
		case report.Pending, report.Leased:
			if s.Depth == 0 {
				s.Oldest = r.Enqueued
				s.OldestAge = max(now.Sub(r.Enqueued), 0)
			}
			s.Depth++
			if r.State == report.Leased {
				s.Leased++
			}
			if r.LastCause != "" {
				s.Failing++
			}
			s.Attempts += int64(r.Attempts)
		case report.Dead:
			s.Dead++
		case report.Acked:
			s.Acked++
			if r.Done.After(r.Due) {
				s.Backfill++
			}
		}
	}
	return s
}

func (m *model) list(q report.ListQuery) []uint64 {
	var out []uint64
	for _, r := range m.sorted() {
		if r.Seq <= q.After || len(out) == q.Limit {
			continue
		}
		switch {
		case q.Filter == report.ListOpen && r.State.Open(),
			q.Filter == report.ListDead && r.State == report.Dead,
			q.Filter == report.ListLate && r.State != report.Acked && r.Due.Before(q.Now):
			out = append(out, r.Seq)
		}
	}
	return out
}

// testModel runs random operations on a queue and on the model and compares
// every answer.
func testModel(t *testing.T, open func(*testing.T) report.Queue) {
	keys := []string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11"}
	streams := []string{"", "", "s1", "s2", "s3"}
	days := []wht93.Date{{Year: 2024, Month: 5, Day: 25}, {Year: 2024, Month: 5, Day: 26}, {Year: 2024, Month: 5, Day: 27}}
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		q := open(t)
		m := &model{recs: map[uint64]*report.Record{}, keys: map[string]uint64{}}
		now := base
		var known []report.Claim // every claim handed out, current or stale

		check := func(what string, got error, lost []string, rule *wht93.Rule) {
			switch {
			case rule == nil && len(lost) == 0 && got != nil:
				rt.Fatalf("%s: %v, want no error", what, got)
			case rule == nil && len(lost) > 0:
				if !errors.Is(got, report.ErrLeaseLost) || fmt.Sprint(lostClaims(got)) != fmt.Sprint(lost) {
					rt.Fatalf("%s: error %v, want lease lost for %v", what, got, lost)
				}
			case rule != nil && !errors.Is(got, rule):
				rt.Fatalf("%s: error %v, want %s", what, got, rule.Code())
			}
		}
		sameRecords := func(what string, got []report.Record, want []uint64) {
			if fmt.Sprint(seqsOf(got)) != fmt.Sprint(want) {
				rt.Fatalf("%s: sequences %v, model %v", what, seqsOf(got), want)
			}
			for _, r := range got {
				if d := diffRecord(r, *m.recs[r.Seq]); d != "" {
					rt.Fatalf("%s: record %d: %s", what, r.Seq, d)
				}
			}
		}
		pickClaims := func(rt *rapid.T) []report.Claim {
			if len(known) == 0 {
				return nil
			}
			n := rapid.IntRange(1, 3).Draw(rt, "claims")
			var cs []report.Claim
			seen := map[uint64]bool{}
			for range n {
				c := rapid.SampledFrom(known).Draw(rt, "claim")
				if !seen[c.Seq] {
					seen[c.Seq] = true
					cs = append(cs, c)
				}
			}
			return cs
		}
		seq := func(rt *rapid.T) uint64 { return rapid.Uint64Range(1, m.last+1).Draw(rt, "seq") }

		rt.Repeat(map[string]func(*rapid.T){
			"enqueue": func(rt *rapid.T) {
				n := rapid.IntRange(1, 4).Draw(rt, "n")
				ds := make([]report.Draft, n)
				for i := range ds {
					ds[i] = report.Draft{
						Key:      rapid.SampledFrom(keys).Draw(rt, "key"),
						Stream:   rapid.SampledFrom(streams).Draw(rt, "stream"),
						Endpoint: rapid.SampledFrom([]string{"/report/ticket", "/report/order"}).Draw(rt, "endpoint"),
						Body:     rapid.SliceOfN(rapid.Byte(), 0, 24).Draw(rt, "body"),
						Day:      rapid.SampledFrom(days).Draw(rt, "day"),
					}
				}
				res, err := q.Enqueue(ctx, now, ds...)
				if err != nil {
					rt.Fatalf("Enqueue: %v", err)
				}
				for i, d := range ds {
					if s, ok := m.keys[d.Key]; ok {
						if res[i] != (report.Enqueued{Seq: s, Duplicate: true}) {
							rt.Fatalf("Enqueue of known key %s = %+v, want duplicate of %d", d.Key, res[i], s)
						}
						continue
					}
					if res[i].Duplicate || res[i].Seq <= m.last {
						rt.Fatalf("Enqueue of new key %s = %+v, want a new sequence above %d", d.Key, res[i], m.last)
					}
					m.last = res[i].Seq
					n := report.Micro(now)
					m.recs[m.last] = &report.Record{
						Seq: m.last, Key: d.Key, Stream: d.Stream, Endpoint: d.Endpoint,
						Body: append([]byte(nil), d.Body...), Day: d.Day, Due: report.DueOf(d.Day),
						Enqueued: n, State: report.Pending, Next: n,
					}
					m.keys[d.Key] = m.last
				}
			},
			"lease": func(rt *rapid.T) {
				ttl := time.Duration(rapid.IntRange(1, 10).Draw(rt, "ttl")) * time.Second
				max := rapid.IntRange(1, 5).Draw(rt, "max")
				got, err := q.Lease(ctx, now, ttl, max)
				if err != nil {
					rt.Fatalf("Lease: %v", err)
				}
				want := m.lease(report.Micro(now), report.Micro(now.Add(ttl)), max)
				sameRecords("Lease", got, want)
				known = append(known, claims(got)...)
			},
			"ack": func(rt *rapid.T) {
				cs := pickClaims(rt)
				if cs == nil {
					rt.Skip("no claims yet")
				}
				n := report.Micro(now)
				lost := m.settle(cs, true, func(r *report.Record) { r.State, r.Done = report.Acked, n })
				check("Ack", q.Ack(ctx, now, cs...), lost, nil)
			},
			"retry": func(rt *rapid.T) {
				cs := pickClaims(rt)
				if cs == nil {
					rt.Skip("no claims yet")
				}
				next := now.Add(time.Duration(rapid.IntRange(-2000, 15000).Draw(rt, "next ms")) * time.Millisecond)
				cause := rapid.SampledFrom([]string{"5100 busy", "5000 系统异常", "transport"}).Draw(rt, "cause")
				lost := m.settle(cs, false, func(r *report.Record) {
					r.State, r.Next, r.LastCause = report.Pending, report.Micro(next), cause
				})
				check("Retry", q.Retry(ctx, next, cause, cs...), lost, nil)
			},
			"bury": func(rt *rapid.T) {
				cs := pickClaims(rt)
				if cs == nil {
					rt.Skip("no claims yet")
				}
				n := report.Micro(now)
				lost := m.settle(cs, false, func(r *report.Record) {
					r.State, r.Done, r.LastCause = report.Dead, n, "4000 bad"
				})
				check("Bury", q.Bury(ctx, now, "4000 bad", cs...), lost, nil)
			},
			"redrive": func(rt *rapid.T) {
				s := seq(rt)
				r := m.recs[s]
				var rule *wht93.Rule
				switch {
				case r == nil:
					rule = report.ErrNotFound
				case r.State != report.Dead:
					rule = report.ErrState
				default:
					r.State, r.Attempts, r.Next, r.Done = report.Pending, 0, report.Micro(now), time.Time{}
				}
				check("Redrive", q.Redrive(ctx, now, s), nil, rule)
			},
			"buryRecord": func(rt *rapid.T) {
				s := seq(rt)
				r := m.recs[s]
				var rule *wht93.Rule
				switch {
				case r == nil:
					rule = report.ErrNotFound
				case !r.State.Open():
					rule = report.ErrState
				default:
					r.State, r.Done, r.LastCause = report.Dead, report.Micro(now), "operator"
				}
				check("BuryRecord", q.BuryRecord(ctx, now, s, "operator"), nil, rule)
			},
			"purge": func(rt *rapid.T) {
				before := now.Add(time.Duration(rapid.IntRange(-5000, 5000).Draw(rt, "before ms")) * time.Millisecond)
				max := rapid.IntRange(1, 3).Draw(rt, "max")
				n, err := q.Purge(ctx, before, max)
				if err != nil {
					rt.Fatalf("Purge: %v", err)
				}
				var gone []uint64
				for _, r := range m.sorted() {
					if len(gone) < max && r.State == report.Acked && r.Done.Before(report.Micro(before)) {
						gone = append(gone, r.Seq)
					}
				}
				if n != len(gone) {
					rt.Fatalf("Purge deleted %d, model %d (%v)", n, len(gone), gone)
				}
				for _, s := range gone {
					delete(m.keys, m.recs[s].Key)
					delete(m.recs, s)
					if _, err := q.Get(ctx, s); !errors.Is(err, report.ErrNotFound) {
						rt.Fatalf("Get(%d) after Purge: %v, want not found", s, err)
					}
				}
			},
			"tick": func(rt *rapid.T) {
				now = now.Add(time.Duration(rapid.IntRange(0, 20000).Draw(rt, "ms")) * time.Millisecond)
			},
			"get": func(rt *rapid.T) {
				s := seq(rt)
				got, err := q.Get(ctx, s)
				if r := m.recs[s]; r == nil {
					check("Get", err, nil, report.ErrNotFound)
				} else if err != nil {
					rt.Fatalf("Get(%d): %v", s, err)
				} else if d := diffRecord(got, *r); d != "" {
					rt.Fatalf("Get(%d): %s", s, d)
				}
			},
			"list": func(rt *rapid.T) {
				lq := report.ListQuery{
					Filter: rapid.SampledFrom([]report.Filter{report.ListOpen, report.ListDead, report.ListLate}).Draw(rt, "filter"),
					After:  rapid.Uint64Range(0, m.last).Draw(rt, "after"),
					Limit:  rapid.IntRange(1, 6).Draw(rt, "limit"),
					Now:    now.Add(time.Duration(rapid.IntRange(-48, 48).Draw(rt, "hours")) * time.Hour),
				}
				got, err := q.List(ctx, lq)
				if err != nil {
					rt.Fatalf("List: %v", err)
				}
				if lq.Filter != report.ListLate {
					lq.Now = time.Time{}
				} else {
					lq.Now = report.Micro(lq.Now)
				}
				sameRecords(fmt.Sprintf("List(%s after %d limit %d)", lq.Filter, lq.After, lq.Limit), got, m.list(lq))
			},
			"": func(rt *rapid.T) {
				got, err := q.Stats(ctx, now)
				if err != nil {
					rt.Fatalf("Stats: %v", err)
				}
				if d := diffStats(got, m.stats(now)); d != "" {
					rt.Fatalf("Stats: %s", d)
				}
			},
		})
	})
}
