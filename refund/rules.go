package refund

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
)

// MaxTiers is the most tiers a refund schedule has.
const MaxTiers = 16

// maxRateScale is the most decimal places of a fee rate (0.0001 = 0.01 %).
const maxRateScale = 4

// Tier is one step of a refund schedule: a refund asked for at least Before
// ahead of the show's start costs a fee of Fee times the amount paid — or,
// with NoRefund, is not allowed at all. A Tier is a plain value.
type Tier struct {
	Before   time.Duration   // lead time before the start, whole minutes, ≥ 0
	Fee      decimal.Decimal // fee rate, 0 to 1 (0.05 = 5 %), at most 4 decimal places
	NoRefund bool            // 不予退票: refunds asked for in this tier are refused
}

// Rules is a refund schedule a buyer can be shown (退票规则, 7.1.4.1), such as
//
//	≥ 7 days before the start: 5 % fee; 1 to 7 days: 20 %; < 24 hours: not refundable
//
// written as Tiers {7×24h, 0.05}, {24h, 0.20}, {0, NoRefund}. Tiers are listed
// from the longest lead time to the shortest; a refund asked for with lead time
// L falls in the first tier whose Before is at most L. A refund asked for later
// than the last tier's lead time, or after the show has started, is not
// refundable.
//
// Rounding: the fee is the rate times the amount paid, computed exactly in
// decimal and rounded down to the whole fen (a fraction of a fen is not
// charged), so it never exceeds the stated rate of the amount paid, nor the
// amount paid; the refund is the amount paid minus the fee.
//
// A Rules is a plain value, safe for concurrent reads.
type Rules struct {
	Tiers []Tier
}

// Validate returns every violation of the schedule (ErrRules), nil when it is
// sound.
func (r Rules) Validate() error {
	var vs wht93.Violations
	if n := len(r.Tiers); n == 0 || n > MaxTiers {
		vs = append(vs, ErrRules.Atf("tiers", fmt.Sprint(n),
			fmt.Sprintf("退票规则应有1至%d档", MaxTiers), fmt.Sprintf("refund rules need 1 to %d tiers", MaxTiers)))
		return vs.Err() // the tiers of an oversized schedule are not examined
	}
	for i, t := range r.Tiers {
		f := fmt.Sprintf("tiers[%d]", i)
		switch {
		case t.Before < 0:
			vs = append(vs, ErrRules.Atf(f+".before", t.Before.String(), "提前时间不能为负", "lead time must not be negative"))
		case t.Before%time.Minute != 0:
			vs = append(vs, ErrRules.Atf(f+".before", t.Before.String(), "提前时间应为整分钟", "lead time must be whole minutes"))
		case i > 0 && t.Before >= r.Tiers[i-1].Before:
			vs = append(vs, ErrRules.Atf(f+".before", t.Before.String(),
				"各档提前时间应从长到短严格递减", "lead times must strictly decrease from tier to tier"))
		}
		if t.NoRefund {
			if !t.Fee.IsZero() {
				vs = append(vs, ErrRules.Atf(f+".fee", t.Fee.String(), "不予退票的档位不应设置手续费率", "a not-refundable tier has no fee rate"))
			}
			continue
		}
		if t.Fee.IsNegative() || t.Fee.GreaterThan(decimal.NewFromInt(1)) {
			vs = append(vs, ErrRules.Atf(f+".fee", t.Fee.String(), "手续费率应在0至1之间", "fee rate must be from 0 to 1"))
		} else if !t.Fee.Equal(t.Fee.Truncate(maxRateScale)) {
			vs = append(vs, ErrRules.Atf(f+".fee", t.Fee.String(), "手续费率最多4位小数", "fee rate has at most 4 decimal places"))
		}
	}
	return vs.Err()
}

// Quote is what a refund of one ticket returns to the buyer under a schedule:
// the amount paid, the tier and its rate, the fee and the refund (Paid − Fee).
// A Quote is a plain value.
type Quote struct {
	Paid   wht93.Fen
	Tier   int // index of the tier in Rules.Tiers
	Rate   decimal.Decimal
	Fee    wht93.Fen
	Refund wht93.Fen
}

// Quote returns the refund of a ticket for which paid was paid, asked for at
// the instant at for a show that starts at start; or an ErrNotRefundable
// violation saying why not (the show has started, a "not refundable" tier, later
// than the last tier), an ErrAmount one for a negative amount, or the schedule's
// violations.
func (r Rules) Quote(paid wht93.Fen, start, at time.Time) (Quote, error) {
	if err := r.Validate(); err != nil {
		return Quote{}, err
	}
	return r.quote(paid, start, at)
}

// quote is Quote under rules that validate.
func (r Rules) quote(paid wht93.Fen, start, at time.Time) (Quote, error) {
	if paid < 0 {
		return Quote{}, ErrAmount.At("paid", paid.String())
	}
	lead := start.Sub(at)
	if lead < 0 {
		return Quote{}, ErrNotRefundable.Atf("at", at.In(wht93.CST).Format(time.DateTime),
			"演出已开始，不予退票", "the show has started: no refund")
	}
	for i, t := range r.Tiers {
		if lead < t.Before {
			continue
		}
		if t.NoRefund {
			zh, en := "按退票规则此时不予退票", "the refund rules allow no refund at this time"
			if i > 0 {
				prev := r.Tiers[i-1].Before
				zh, en = "演出开始前不足"+leadZh(prev)+"，不予退票", "less than "+leadEn(prev)+" before the start: no refund"
			}
			return Quote{}, ErrNotRefundable.Atf("at", at.In(wht93.CST).Format(time.DateTime), zh, en)
		}
		return applyRate(paid, i, t.Fee), nil
	}
	last := r.Tiers[len(r.Tiers)-1].Before
	return Quote{}, ErrNotRefundable.Atf("at", at.In(wht93.CST).Format(time.DateTime),
		"演出开始前不足"+leadZh(last)+"，不予退票", "less than "+leadEn(last)+" before the start: no refund")
}

// applyRate applies a rate to the amount paid: the fee rounded down to the fen,
// never more than paid.
func applyRate(paid wht93.Fen, tier int, rate decimal.Decimal) Quote {
	fee := decimal.NewFromInt(int64(paid)).Mul(rate).Floor()
	f := wht93.Fen(fee.IntPart())
	if f > paid {
		f = paid
	}
	if f < 0 {
		f = 0
	}
	return Quote{Paid: paid, Tier: tier, Rate: rate, Fee: f, Refund: paid - f}
}

// Zh returns the schedule as the buyer is shown it in Chinese (明示退票规则), e.g.
// "演出开始前7天（含）以上退票，收取实付金额5%的手续费；……". It also serves as the
// refund rules of a ticket face's notice.
func (r Rules) Zh() string {
	var b strings.Builder
	for i, t := range r.Tiers {
		if i > 0 {
			b.WriteString("；")
		}
		span := "演出开始前" + leadZh(t.Before) + "（含）以上"
		if t.Before == 0 {
			span = "演出开始前"
		}
		if i > 0 {
			span = "演出开始前" + leadZh(t.Before) + "（含）至" + leadZh(r.Tiers[i-1].Before)
			if t.Before == 0 {
				span = "演出开始前不足" + leadZh(r.Tiers[i-1].Before)
			}
		}
		b.WriteString(span)
		switch {
		case t.NoRefund:
			b.WriteString("不予退票")
		case t.Fee.IsZero():
			b.WriteString("退票免收手续费")
		default:
			b.WriteString("退票，收取实付金额" + percent(t.Fee) + "的手续费")
		}
	}
	if len(r.Tiers) > 0 {
		if last := r.Tiers[len(r.Tiers)-1].Before; last > 0 {
			b.WriteString("；演出开始前不足" + leadZh(last) + "不予退票")
		}
	}
	b.WriteString("；演出开始后不予退票。手续费按实付金额乘以费率计算，不足1分的部分不收取。")
	return b.String()
}

// En returns the schedule in English, as Zh does in Chinese.
func (r Rules) En() string {
	var parts []string
	for i, t := range r.Tiers {
		var span string
		switch {
		case i == 0 && t.Before == 0:
			span = "Before the start"
		case i == 0:
			span = leadEn(t.Before) + " or more before the start"
		case t.Before == 0:
			span = "Less than " + leadEn(r.Tiers[i-1].Before) + " before the start"
		default:
			span = "From " + leadEn(t.Before) + " to " + leadEn(r.Tiers[i-1].Before) + " before the start"
		}
		switch {
		case t.NoRefund:
			span += ": no refund"
		case t.Fee.IsZero():
			span += ": refund without fee"
		default:
			span += ": refund with a fee of " + percent(t.Fee) + " of the amount paid"
		}
		parts = append(parts, span)
	}
	if len(r.Tiers) > 0 {
		if last := r.Tiers[len(r.Tiers)-1].Before; last > 0 {
			parts = append(parts, "less than "+leadEn(last)+" before the start: no refund")
		}
	}
	parts = append(parts, "after the start: no refund. The fee is the rate times the amount paid, a fraction of a fen not charged.")
	return strings.Join(parts, "; ")
}

func percent(rate decimal.Decimal) string {
	return rate.Shift(2).String() + "%"
}

// leadZh writes a lead time as 7天, 6小时 or 90分钟.
func leadZh(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0 && d > 0:
		return fmt.Sprintf("%d天", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%d小时", d/time.Hour)
	default:
		return fmt.Sprintf("%d分钟", d/time.Minute)
	}
}

func leadEn(d time.Duration) string {
	unit := func(n time.Duration, s string) string {
		if n == 1 {
			return "1 " + s
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	switch {
	case d%(24*time.Hour) == 0 && d > 0:
		return unit(d/(24*time.Hour), "day")
	case d%time.Hour == 0:
		return unit(d/time.Hour, "hour")
	default:
		return unit(d/time.Minute, "minute")
	}
}
