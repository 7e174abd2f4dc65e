package refund_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/refund"
)

// FuzzQuote checks that no schedule, amount or instant makes Quote panic, and
// that every quote keeps the fee between 0 and the amount paid, never above the
// rate, with refund = paid − fee. Seeds: the tiers of the tests' schedule.
func FuzzQuote(f *testing.F) {
	f.Add(int64(68000), int64(500), int64(7*24*60), int64(9*24*60))
	f.Add(int64(1999), int64(2000), int64(24*60), int64(24*60))
	f.Add(int64(1), int64(10000), int64(0), int64(-5))
	f.Add(int64(-1), int64(-3), int64(-60), int64(0))
	f.Fuzz(func(t *testing.T, paid, rateUnits, beforeMin, leadMin int64) {
		rate := decimal.New(rateUnits, -4)
		r := refund.Rules{Tiers: []refund.Tier{{Before: time.Duration(beforeMin%(1<<30)) * time.Minute, Fee: rate}}}
		start := time.Date(2025, 5, 20, 19, 30, 0, 0, wht93.CST)
		q, err := r.Quote(wht93.Fen(paid), start, start.Add(-time.Duration(leadMin%(1<<30))*time.Minute))
		if err != nil {
			if !errors.Is(err, refund.ErrRules) && !errors.Is(err, refund.ErrAmount) && !errors.Is(err, refund.ErrNotRefundable) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if q.Fee < 0 || q.Fee > q.Paid || q.Refund != q.Paid-q.Fee ||
			decimal.NewFromInt(int64(q.Fee)).GreaterThan(decimal.NewFromInt(paid).Mul(rate)) {
			t.Fatalf("paid %d rate %s: %+v", paid, rate, q)
		}
	})
}

func BenchmarkQuote(b *testing.B) {
	r := schedule()
	start := at(20, 19, 30)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Quote(68000, start, at(12, 10, 0)); err != nil {
			b.Fatal(err)
		}
	}
}
