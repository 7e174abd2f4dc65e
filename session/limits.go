package session

import (
	"fmt"
	"strconv"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
)

// MaxLimit is the largest purchase limit accepted.
const MaxLimit = 10000

// Limits are purchase limits (限购条件, 6.3.2.8, 7.1.3.1). Zero means no limit. They
// count live tickets (sold and not refused or refunded) within a scope: a session's
// own Limits count the tickets of that session; a [Policy]'s count the tickets of
// the sessions in its scope, so a policy over every session of a performance
// carries the performance's total limit (演出总限购票数).
type Limits struct {
	// PerOrder is the most tickets in one purchase (单次购买最大演出票数).
	PerOrder int
	// PerBuyer is the most tickets one buyer account may hold within the scope
	// (演出总限购票数 for a performance-wide scope; E.2.2.2's 每个限购2张 for a session).
	PerBuyer int
	// PerID is the most tickets one real-name document may hold within the scope
	// (实名限购票数). It needs a real-name mode.
	PerID int
}

var (
	// ErrLimitValue is the rule that a limit is 0 (none) to MaxLimit, and that a
	// per-ID limit comes with a real-name mode.
	ErrLimitValue = wht93.NewRule("session.limit.value", "限购数量应在0至10000之间，实名限购需实名购票", "a limit must be 0 to 10000, and a per-ID limit needs a real-name mode")
	// ErrLimitPerOrder is the rule that one purchase has at most PerOrder tickets.
	ErrLimitPerOrder = wht93.NewRule("session.limit.perorder", "超过单次购买最大演出票数", "more tickets than allowed in one purchase")
	// ErrLimitPerBuyer is the rule that a buyer holds at most PerBuyer tickets in the
	// scope.
	ErrLimitPerBuyer = wht93.NewRule("session.limit.perbuyer", "超过每个购票账户的限购票数", "more tickets than one buyer may hold")
	// ErrLimitPerID is the rule that a real-name document holds at most PerID
	// tickets in the scope.
	ErrLimitPerID = wht93.NewRule("session.limit.perid", "超过实名限购票数", "more tickets than one ID document may hold")
	// ErrOrderIDs is the rule that an order carries the real-name documents its
	// mode asks for: one for the whole order (一单一证), one per ticket (一票一证).
	ErrOrderIDs = wht93.NewRule("session.limit.ids", "订单的实名证件数量与实名方式不符", "the order's ID documents do not match the real-name mode")
	// ErrOrderSize is the rule that an order has at least one ticket and that the
	// counts passed in are not negative.
	ErrOrderSize = wht93.NewRule("session.limit.order", "购票数量应至少为1，已购数量不能为负", "an order needs at least one ticket and counts cannot be negative")
)

func (l Limits) check(mode realname.Mode) wht93.Violations {
	var vs wht93.Violations
	for _, f := range [...]struct {
		name string
		v    int
	}{{"perOrder", l.PerOrder}, {"perBuyer", l.PerBuyer}, {"perId", l.PerID}} {
		if f.v < 0 || f.v > MaxLimit {
			vs = append(vs, ErrLimitValue.At(f.name, strconv.Itoa(f.v)))
		}
	}
	if l.PerID > 0 && !mode.RealName() {
		vs = append(vs, ErrLimitValue.Atf("perId", strconv.Itoa(l.PerID), "实名限购需要实名购票（一单一证或一票一证）", "a per-ID limit needs a real-name mode (one ID per order or per ticket)"))
	}
	return vs
}

// Validate returns the violations of the limits under the real-name mode mode.
func (l Limits) Validate(mode realname.Mode) error { return l.check(mode).Err() }

// Tighter returns the stricter of two sets of limits counted over the same scope:
// for each limit the smaller non-zero value.
func (l Limits) Tighter(m Limits) Limits {
	t := func(a, b int) int {
		switch {
		case a == 0:
			return b
		case b == 0:
			return a
		}
		return min(a, b)
	}
	return Limits{PerOrder: t(l.PerOrder, m.PerOrder), PerBuyer: t(l.PerBuyer, m.PerBuyer), PerID: t(l.PerID, m.PerID)}
}

// Order is what a purchase asks for, as the limits see it.
type Order struct {
	// Tickets is the number of tickets in the purchase.
	Tickets int
	// IDs are the blind indexes (realname.BlindIndexer) of the real-name documents:
	// none under ModeNone, the one document of the order under ModePerOrder, the
	// document of each ticket (len(IDs) == Tickets) under ModePerTicket.
	IDs []realname.BlindIndex
}

// Held is what is already held within the limits' scope before the purchase: live
// tickets, counted by the caller (the inventory's purchase ledger) in the same
// atomic step that will record the sale.
type Held struct {
	Buyer int                         // tickets the buyer account holds
	ByID  map[realname.BlindIndex]int // tickets each document holds; absent = 0
}

// Check applies the limits to a purchase, given what the buyer and the documents
// already hold in the scope, under the real-name mode mode. It returns nil when the
// purchase fits, and otherwise every violation: too many tickets for one purchase,
// for the buyer, for a document; documents missing or extra for the mode. It is a
// pure function of its arguments, so that an inventory can evaluate it inside the
// transaction that records the sale: two simultaneous orders cannot both pass a
// limit that only one fits if both are checked against committed counts.
func (l Limits) Check(mode realname.Mode, o Order, h Held) error {
	var vs wht93.Violations
	if o.Tickets < 1 || h.Buyer < 0 {
		return append(vs, ErrOrderSize.At("tickets", strconv.Itoa(o.Tickets))).Err()
	}
	if l.PerOrder > 0 && o.Tickets > l.PerOrder {
		vs = append(vs, ErrLimitPerOrder.Atf("tickets", strconv.Itoa(o.Tickets),
			fmt.Sprintf("本次购买 %d 张，单次最多 %d 张", o.Tickets, l.PerOrder),
			fmt.Sprintf("%d tickets in one purchase, at most %d allowed", o.Tickets, l.PerOrder)))
	}
	if l.PerBuyer > 0 && h.Buyer+o.Tickets > l.PerBuyer {
		vs = append(vs, ErrLimitPerBuyer.Atf("tickets", strconv.Itoa(o.Tickets),
			fmt.Sprintf("已购 %d 张，再购 %d 张将超过每人限购 %d 张", h.Buyer, o.Tickets, l.PerBuyer),
			fmt.Sprintf("%d held and %d more would exceed the limit of %d per buyer", h.Buyer, o.Tickets, l.PerBuyer)))
	}

	// The tickets each document would take.
	want := make(map[realname.BlindIndex]int, len(o.IDs))
	var order []realname.BlindIndex
	switch mode {
	case realname.ModeNone:
		if l.PerID > 0 {
			vs = append(vs, ErrLimitValue.Atf("limits.perId", strconv.Itoa(l.PerID), "实名限购需要实名购票", "a per-ID limit needs a real-name mode"))
		}
	case realname.ModePerOrder:
		if len(o.IDs) != 1 {
			vs = append(vs, ErrOrderIDs.Atf("ids", strconv.Itoa(len(o.IDs)), "一单一证的订单应有1个证件", "an order under one ID per order needs exactly 1 document"))
			break
		}
		want[o.IDs[0]] = o.Tickets
		order = o.IDs
	case realname.ModePerTicket:
		if len(o.IDs) != o.Tickets {
			vs = append(vs, ErrOrderIDs.Atf("ids", strconv.Itoa(len(o.IDs)),
				fmt.Sprintf("一票一证的订单应有 %d 个证件", o.Tickets), fmt.Sprintf("an order under one ID per ticket needs %d documents", o.Tickets)))
			break
		}
		for _, id := range o.IDs {
			if want[id] == 0 {
				order = append(order, id)
			}
			want[id]++
		}
	default:
		vs = append(vs, ErrRealNameMode.At("realName", strconv.Itoa(int(mode))))
	}
	if l.PerID > 0 {
		for _, id := range order {
			held := h.ByID[id]
			if held < 0 {
				vs = append(vs, ErrOrderSize.At("held", strconv.Itoa(held)))
				continue
			}
			if held+want[id] > l.PerID {
				// The field names the document by its position in the order, never
				// by its number or index.
				vs = append(vs, ErrLimitPerID.Atf(fmt.Sprintf("ids[%d]", indexOf(o.IDs, id)), strconv.Itoa(want[id]),
					fmt.Sprintf("该证件已购 %d 张，再购 %d 张将超过实名限购 %d 张", held, want[id], l.PerID),
					fmt.Sprintf("the document holds %d and %d more would exceed the limit of %d per ID", held, want[id], l.PerID)))
			}
		}
	}
	return vs.Err()
}

func indexOf(ids []realname.BlindIndex, id realname.BlindIndex) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

// Stricter returns the stricter of two real-name modes (一票一证 over 一单一证 over
// 非实名); a zero mode (none set) yields the other.
func Stricter(a, b realname.Mode) realname.Mode {
	if b > a {
		return b
	}
	return a
}
