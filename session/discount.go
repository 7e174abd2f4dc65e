package session

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
)

// DiscountKind is how a discount changes a ticket's price.
type DiscountKind uint8

// The discount kinds.
const (
	// Rate (打折) charges Rate × price: 0.8 is 八折, 20 % off.
	Rate DiscountKind = iota + 1
	// AmountOff (立减) charges price − Amount, never below zero.
	AmountOff
	// FixedPrice (特价) charges Amount, never above the price.
	FixedPrice
)

// String returns "rate", "amount-off" or "fixed-price".
func (k DiscountKind) String() string {
	switch k {
	case Rate:
		return "rate"
	case AmountOff:
		return "amount-off"
	case FixedPrice:
		return "fixed-price"
	}
	return "DiscountKind(" + strconv.Itoa(int(k)) + ")"
}

// Discount is a price reduction per ticket (优惠).
//
// Rounding rule: a rate discount computes price × Rate exactly (decimal) and rounds
// to the fen half up (0.5 fen and more rounds up: 1 fen × 0.5 = 1 fen); the result
// is then kept within [0, price]. Each ticket is priced and rounded on its own; an
// order's total is the sum of its tickets' prices, so that each ticket carries the
// amount received for it (Appendix A ticketOrderAmount) and a refund returns
// exactly that.
type Discount struct {
	Kind DiscountKind
	// Rate is the share of the price charged, for Kind Rate: more than 0, less
	// than 1, at most 4 decimals (0.85 = 八五折).
	Rate decimal.Decimal
	// Amount is the reduction (AmountOff) or the price charged (FixedPrice).
	Amount wht93.Fen
	// MinTickets is the fewest tickets in scope an order needs for the discount
	// (满 N 张); 0 or 1: any order.
	MinTickets int
}

var (
	// ErrDiscount is the rule that a discount is well formed: a known kind; a rate
	// in (0, 1) with at most 4 decimals; an amount not negative (and more than 0 for
	// AmountOff); MinTickets 0 to MaxLimit.
	ErrDiscount = wht93.NewRule("session.discount", "优惠设置有误（折扣率应在0与1之间且最多4位小数，金额不能为负）", "discount is malformed (rate between 0 and 1 with at most 4 decimals, amount not negative)")
	// ErrPrice is the rule that a price to discount is not negative.
	ErrPrice = wht93.NewRule("session.price", "票价不能为负", "price must not be negative")
)

var one = decimal.NewFromInt(1)

func (d Discount) check() wht93.Violations {
	var vs wht93.Violations
	switch d.Kind {
	case Rate:
		if !d.Rate.IsPositive() || !d.Rate.LessThan(one) || !d.Rate.Equal(d.Rate.Round(4)) {
			vs = append(vs, ErrDiscount.At("rate", d.Rate.String()))
		}
	case AmountOff:
		if d.Amount <= 0 {
			vs = append(vs, ErrDiscount.At("amount", d.Amount.String()))
		}
	case FixedPrice:
		if d.Amount < 0 {
			vs = append(vs, ErrDiscount.At("amount", d.Amount.String()))
		}
	default:
		vs = append(vs, ErrDiscount.At("kind", d.Kind.String()))
	}
	if d.MinTickets < 0 || d.MinTickets > MaxLimit {
		vs = append(vs, ErrDiscount.At("minTickets", strconv.Itoa(d.MinTickets)))
	}
	return vs
}

// Validate returns the discount's violations.
func (d Discount) Validate() error { return d.check().Err() }

// Apply returns what a ticket of the given price costs under the discount, rounded
// to the fen by the rule stated on [Discount]. The result is never below 0 nor
// above price.
func (d Discount) Apply(price wht93.Fen) (wht93.Fen, error) {
	if price < 0 {
		return 0, ErrPrice.At("price", price.String())
	}
	if err := d.check().Err(); err != nil {
		return 0, err
	}
	var p wht93.Fen
	switch d.Kind {
	case Rate:
		// price × rate ≤ price < 2^63, so the rounded product fits in an int64.
		p = wht93.Fen(decimal.NewFromInt(int64(price)).Mul(d.Rate).Round(0).IntPart())
	case AmountOff:
		p = price - d.Amount
	case FixedPrice:
		p = d.Amount
	}
	return min(max(p, 0), price), nil
}
