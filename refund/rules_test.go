package refund_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/refund"
)

func TestQuote(t *testing.T) {
	start := at(20, 19, 30)
	r := schedule()
	tests := []struct {
		name string
		paid wht93.Fen
		at   time.Time
		fee  wht93.Fen
		tier int
		rule error
	}{
		{"8 days ahead: 5 %", 68000, at(12, 19, 30), 3400, 0, nil},
		{"exactly 7 days: 5 % (inclusive)", 68000, at(13, 19, 30), 3400, 0, nil},
		{"a minute under 7 days: 20 %", 68000, at(13, 19, 31), 13600, 1, nil},
		{"exactly 24 hours: 20 %", 38000, at(19, 19, 30), 7600, 1, nil},
		{"under 24 hours: not refundable", 38000, at(19, 19, 31), 0, 0, refund.ErrNotRefundable},
		{"after the start", 38000, at(20, 19, 31), 0, 0, refund.ErrNotRefundable},
		{"fraction of a fen not charged: 0.05 × 1999 = 99.95", 1999, at(1, 0, 0), 99, 0, nil},
		{"20 % of 1 fen is 0", 1, at(15, 0, 0), 0, 1, nil},
		{"free ticket", 0, at(1, 0, 0), 0, 0, nil},
		{"negative paid", -1, at(1, 0, 0), 0, 0, refund.ErrAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := r.Quote(tt.paid, start, tt.at)
			if tt.rule != nil {
				if !errors.Is(err, tt.rule) {
					t.Fatalf("err %v, want %v", err, tt.rule)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Fee != tt.fee || q.Refund != tt.paid-tt.fee || q.Paid != tt.paid || q.Tier != tt.tier {
				t.Errorf("quote %+v, want fee %d tier %d", q, tt.fee, tt.tier)
			}
		})
	}
}

func TestQuoteMessages(t *testing.T) {
	_, err := schedule().Quote(100, at(20, 19, 30), at(20, 10, 0))
	want := `at: 演出开始前不足1天，不予退票 / less than 1 day before the start: no refund: "2025-05-20 10:00:00"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// A schedule whose last tier is refundable refuses later refunds too.
	r := refund.Rules{Tiers: []refund.Tier{{Before: 2 * time.Hour, Fee: decimal.Zero}}}
	_, err = r.Quote(100, at(20, 19, 30), at(20, 18, 0))
	want = `at: 演出开始前不足2小时，不予退票 / less than 2 hours before the start: no refund: "2025-05-20 18:00:00"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestValidate(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		rules  refund.Rules
		fields []string
	}{
		{"sound", schedule(), nil},
		{"empty", refund.Rules{}, []string{"tiers"}},
		{"too many", refund.Rules{Tiers: make([]refund.Tier, refund.MaxTiers+1)}, []string{"tiers"}},
		{"every violation at once", refund.Rules{Tiers: []refund.Tier{
			{Before: -time.Hour, Fee: d("0.1")},
			{Before: 90 * time.Second, Fee: d("1.5")},
			{Before: 48 * time.Hour, Fee: d("-0.1")},
			{Before: time.Hour, Fee: d("0.12345")},
			{Before: 0, NoRefund: true, Fee: d("0.1")},
		}}, []string{"tiers[0].before", "tiers[1].before", "tiers[1].fee", "tiers[2].before", "tiers[2].fee", "tiers[3].fee", "tiers[4].fee"}},
		{"100 % is allowed, trailing zeros too", refund.Rules{Tiers: []refund.Tier{{Before: time.Hour, Fee: d("1.000000")}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := wht93.ViolationsOf(tt.rules.Validate())
			var got []string
			for _, v := range vs {
				if !errors.Is(v, refund.ErrRules) {
					t.Errorf("violation of another rule: %v", v)
				}
				got = append(got, v.Field)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %q, want %q (%v)", got, tt.fields, vs)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Errorf("field %d: %q, want %q", i, got[i], tt.fields[i])
				}
			}
		})
	}
	// Quote refuses a malformed schedule with its violations.
	if _, err := (refund.Rules{}).Quote(1, at(20, 0, 0), at(1, 0, 0)); !errors.Is(err, refund.ErrRules) {
		t.Errorf("quote under an empty schedule: %v", err)
	}
}

func TestNotice(t *testing.T) {
	zh := "演出开始前7天（含）以上退票，收取实付金额5%的手续费；演出开始前1天（含）至7天退票，收取实付金额20%的手续费；" +
		"演出开始前不足1天不予退票；演出开始后不予退票。手续费按实付金额乘以费率计算，不足1分的部分不收取。"
	if got := schedule().Zh(); got != zh {
		t.Errorf("Zh:\n%s\nwant\n%s", got, zh)
	}
	en := "7 days or more before the start: refund with a fee of 5% of the amount paid; " +
		"From 1 day to 7 days before the start: refund with a fee of 20% of the amount paid; " +
		"Less than 1 day before the start: no refund; after the start: no refund. " +
		"The fee is the rate times the amount paid, a fraction of a fen not charged."
	if got := schedule().En(); got != en {
		t.Errorf("En:\n%s\nwant\n%s", got, en)
	}
}

// The fee never exceeds the amount paid nor the rate of it, and the refund is
// the amount paid minus the fee, whatever the amount, rate and instant.
func TestQuoteProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rate := decimal.New(rapid.Int64Range(0, 10000).Draw(t, "rate"), -4)
		r := refund.Rules{Tiers: []refund.Tier{{Before: time.Duration(rapid.IntRange(0, 1000).Draw(t, "minutes")) * time.Minute, Fee: rate}}}
		paid := wht93.Fen(rapid.Int64Range(0, 1<<53).Draw(t, "paid"))
		start := at(20, 19, 30)
		when := start.Add(-time.Duration(rapid.IntRange(-100, 2000).Draw(t, "lead")) * time.Minute)
		q, err := r.Quote(paid, start, when)
		if err != nil {
			if !errors.Is(err, refund.ErrNotRefundable) {
				t.Fatal(err)
			}
			if lead := start.Sub(when); lead >= r.Tiers[0].Before {
				t.Fatalf("refused with lead %v ≥ %v", lead, r.Tiers[0].Before)
			}
			return
		}
		exact := decimal.NewFromInt(int64(paid)).Mul(rate)
		if q.Fee < 0 || q.Fee > paid || decimal.NewFromInt(int64(q.Fee)).GreaterThan(exact) ||
			exact.Sub(decimal.NewFromInt(int64(q.Fee))).GreaterThanOrEqual(decimal.NewFromInt(1)) || q.Refund != paid-q.Fee {
			t.Fatalf("paid %d rate %s: %+v", paid, rate, q)
		}
	})
}
