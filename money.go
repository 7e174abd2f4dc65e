package wht93

import (
	"math"
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (分, 1/100 yuan), the unit of Appendix A's `long`
// money fields. It is an integer: money is never held in floating point. A Fen
// marshals to JSON as a bare integer, as the platform expects.
type Fen int64

// Yuan returns y whole yuan in fen.
func Yuan(y int64) Fen { return Fen(y * 100) }

var (
	// ErrMoneyFormat is the rule that an amount of money is written as yuan with at
	// most two decimals, such as "12", "12.5" or "-0.05".
	ErrMoneyFormat = NewRule("money.format", "金额格式应为元，最多两位小数", "amount must be yuan with at most two decimals")
	// ErrMoneyRange is the rule that an amount fits in 64-bit fen.
	ErrMoneyRange = NewRule("money.range", "金额超出范围", "amount out of range")
	// ErrMoneyNegative is the rule that an amount that cannot be negative (a price,
	// a payment) is not.
	ErrMoneyNegative = NewRule("money.negative", "金额不能为负数", "amount must not be negative")
)

// ParseYuan parses an amount written in yuan ("128", "128.5", "128.50", "-3.05")
// exactly into fen. More than two decimals, exponents, separators and anything else
// are errors; nothing is rounded.
func ParseYuan(field, s string) (Fen, error) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || len(frac) > 2 || (hasDot && frac == "") || !digits(whole) || !digits(frac) {
		return 0, ErrMoneyFormat.At(field, s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, ErrMoneyRange.At(field, s)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Fen(v), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats the amount in yuan with two decimals: "128.50", "-0.05".
func (f Fen) String() string {
	v := int64(f)
	sign := ""
	var u uint64
	if v < 0 {
		sign = "-"
		u = uint64(-(v + 1)) + 1 // no overflow at MinInt64
	} else {
		u = uint64(v)
	}
	frac := u % 100
	return sign + strconv.FormatUint(u/100, 10) + "." + string(rune('0'+frac/10)) + string(rune('0'+frac%10))
}

// Add returns f+g, or false when the sum overflows.
func (f Fen) Add(g Fen) (Fen, bool) {
	s := f + g
	if (g > 0 && s < f) || (g < 0 && s > f) {
		return 0, false
	}
	return s, true
}

// Mul returns f×n, or false when the product overflows.
func (f Fen) Mul(n int64) (Fen, bool) {
	if f == 0 || n == 0 {
		return 0, true
	}
	p := int64(f) * n
	if p/n != int64(f) || (n == -1 && f == math.MinInt64) {
		return 0, false
	}
	return Fen(p), true
}

// CheckNonNegative returns a violation at field when f is negative.
func (f Fen) CheckNonNegative(field string) *Violation {
	if f < 0 {
		return ErrMoneyNegative.At(field, f.String())
	}
	return nil
}
