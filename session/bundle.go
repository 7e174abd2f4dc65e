package session

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
)

// Bundle is a cross-session package (跨场次组合销售, 6.3.2.8): a set of tickets —
// so many of such a tier of such a session — sold together for one package price.
// An order may buy the set several times.
type Bundle struct {
	Items []BundleItem
	Price wht93.Fen // the price of one set
}

// BundleItem is one part of a set: Quantity tickets of the session, of the tier
// Tier or, when Tier is empty, of any tier of that session.
type BundleItem struct {
	SessionID string
	Tier      string
	Quantity  int
}

// Line is one ticket of an order as pricing sees it: its session, its price tier and
// the tier's list price.
type Line struct {
	SessionID string
	Tier      string
	Price     wht93.Fen
}

var (
	// ErrBundle is the rule that a bundle is well formed: at least two tickets per
	// set, each item a session with a quantity of 1 to MaxLimit, no item twice, a
	// price not negative.
	ErrBundle = wht93.NewRule("session.bundle", "组合销售设置有误（每套至少2张，每项应有场次和数量，不能重复，价格不能为负）", "bundle is malformed (at least 2 tickets a set, each item a session and a quantity, no item twice, price not negative)")
	// ErrBundleMatch is the rule that an order priced as a bundle is a whole number
	// of sets: for each item, the set's quantity times the number of sets.
	ErrBundleMatch = wht93.NewRule("session.bundle.match", "订单的演出票不构成完整的组合套票", "the order's tickets do not make whole bundle sets")
	// ErrBundleAbovePrice is the rule that a set's price is not above the sum of the
	// list prices of its tickets, so that no ticket costs more than its list price.
	ErrBundleAbovePrice = wht93.NewRule("session.bundle.price", "组合价高于所含演出票原价之和", "bundle price is above the sum of its tickets' list prices")
)

func (b Bundle) check() wht93.Violations {
	var vs wht93.Violations
	seen := make(map[[2]string]int)
	total := 0
	for i, it := range b.Items {
		f := "items[" + strconv.Itoa(i) + "]"
		vs = text{field: f + ".sessionId", value: it.SessionID, max: maxID}.check(vs)
		vs = text{field: f + ".tier", value: it.Tier, max: maxID, optional: true}.check(vs)
		if it.Quantity < 1 || it.Quantity > MaxLimit {
			vs = append(vs, ErrBundle.At(f+".quantity", strconv.Itoa(it.Quantity)))
		} else {
			total += it.Quantity
		}
		k := [2]string{it.SessionID, it.Tier}
		if j, dup := seen[k]; dup {
			vs = append(vs, ErrBundle.Atf(f, it.SessionID+"/"+it.Tier, "与 items["+strconv.Itoa(j)+"] 重复", "same as items["+strconv.Itoa(j)+"]"))
		}
		seen[k] = i
	}
	if total < 2 {
		vs = append(vs, ErrBundle.Atf("items", strconv.Itoa(total), "每套至少2张演出票", "a set needs at least 2 tickets"))
	}
	if b.Price < 0 {
		vs = append(vs, ErrBundle.At("price", b.Price.String()))
	}
	return vs
}

// Validate returns the bundle's violations.
func (b Bundle) Validate() error { return b.check().Err() }

// setSize returns the tickets of one set.
func (b Bundle) setSize() int {
	n := 0
	for _, it := range b.Items {
		n += it.Quantity
	}
	return n
}

// Allocate prices the lines of an order bought as whole sets of the bundle. It
// returns the amount charged for each line: the sets' price shared among the lines
// in proportion to their list prices, in fen, by the largest-remainder method (each
// line gets the floor of its exact share; the fen left over go one each to the lines
// with the largest fractional parts, earlier lines first on ties). The amounts sum
// to exactly sets × Price and none is above its line's list price. When every list
// price is zero the price must be zero too.
func (b Bundle) Allocate(lines []Line) ([]wht93.Fen, error) {
	if err := b.check().Err(); err != nil {
		return nil, err
	}
	size := b.setSize()
	if len(lines) == 0 || len(lines)%size != 0 {
		return nil, ErrBundleMatch.Atf("lines", strconv.Itoa(len(lines)),
			fmt.Sprintf("每套 %d 张，订单有 %d 张", size, len(lines)), fmt.Sprintf("a set has %d tickets, the order %d", size, len(lines)))
	}
	sets := len(lines) / size

	// Match lines to items: an item with a tier takes its tier's lines first, an
	// item without one takes any line of its session that is left.
	left := make(map[[2]string]int, len(b.Items))
	for _, it := range b.Items {
		left[[2]string{it.SessionID, it.Tier}] = it.Quantity * sets
	}
	var vs wht93.Violations
	sum := decimal.Zero
	for i, l := range lines {
		if l.Price < 0 {
			vs = append(vs, ErrPrice.At("lines["+strconv.Itoa(i)+"].price", l.Price.String()))
			continue
		}
		sum = sum.Add(decimal.NewFromInt(int64(l.Price)))
		if k := [2]string{l.SessionID, l.Tier}; left[k] > 0 {
			left[k]--
		} else if k := [2]string{l.SessionID, ""}; left[k] > 0 {
			left[k]--
		} else {
			vs = append(vs, ErrBundleMatch.Atf("lines["+strconv.Itoa(i)+"]", l.SessionID+"/"+l.Tier,
				"该演出票不属于组合套票，或超出套票中该项的数量", "the ticket is not part of the bundle, or is one too many of its item"))
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	total := decimal.NewFromInt(int64(b.Price)).Mul(decimal.NewFromInt(int64(sets)))
	if total.GreaterThan(sum) {
		return nil, ErrBundleAbovePrice.Atf("price", b.Price.String(),
			"组合价合计 "+total.Shift(-2).StringFixed(2)+" 元高于原价合计 "+sum.Shift(-2).StringFixed(2)+" 元",
			"bundle total "+total.Shift(-2).StringFixed(2)+" is above the list total "+sum.Shift(-2).StringFixed(2))
	}
	out := make([]wht93.Fen, len(lines))
	if sum.IsZero() {
		return out, nil // every list price and the total are zero
	}
	// share_i = total × price_i / sum = q_i + r_i / sum.
	type rem struct {
		i int
		r decimal.Decimal
	}
	rems := make([]rem, len(lines))
	given := decimal.Zero
	for i, l := range lines {
		q, r := total.Mul(decimal.NewFromInt(int64(l.Price))).QuoRem(sum, 0)
		out[i] = wht93.Fen(q.IntPart())
		given = given.Add(q)
		rems[i] = rem{i, r}
	}
	leftover := int(total.Sub(given).IntPart()) // < len(lines)
	slices.SortStableFunc(rems, func(a, b rem) int { return -a.r.Cmp(b.r) })
	for _, r := range rems[:leftover] {
		out[r.i]++
	}
	return out, nil
}
