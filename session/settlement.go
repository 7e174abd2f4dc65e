package session

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
)

// RecordKind says whether a channel record is a sale or a refund.
type RecordKind uint8

// The record kinds.
const (
	Sale   RecordKind = 1 // money received for tickets sold
	Refund RecordKind = 2 // money paid back for tickets refunded
)

// Record is one sale or refund made through a channel, as settlement sees it: how
// many tickets and how much money (received for a sale, paid back for a refund).
type Record struct {
	ChannelID string
	SessionID string
	Kind      RecordKind
	Tickets   int
	Amount    wht93.Fen
	At        time.Time
}

// Settlement is a channel's figures for a period (渠道结算, 6.3.2.10, E.2.2.9).
//
// Rule: Net = Sales − Refunds; Commission = Net × the channel's commission rate,
// rounded to the fen half away from zero (a negative net — more refunded than sold
// in the period — gives a negative commission, the channel's commission returned);
// Payable = Net − Commission, what the channel owes the organiser. Refunds are
// counted in the period they are made, whenever the sale was.
type Settlement struct {
	ChannelID       string
	From, Until     time.Time
	SoldTickets     int
	Sales           wht93.Fen
	RefundedTickets int
	Refunds         wht93.Fen
	Net             wht93.Fen
	Commission      wht93.Fen
	Payable         wht93.Fen
}

// ErrRecord is the rule that a settlement record names a known channel, is a sale
// or a refund, has a time, and has a ticket count and an amount that are not
// negative.
var ErrRecord = wht93.NewRule("session.settlement.record", "结算记录有误（渠道、类型、时间、张数、金额）", "settlement record is malformed (channel, kind, time, tickets, amount)")

// Settle computes the settlement of each channel, in the order given, over the
// records made in [from, until). Records outside the period are left out; a bad
// record, a channel listed twice or a sum that overflows is an error (with every
// violation), and then no figure is returned.
func Settle(channels []Channel, from, until time.Time, records []Record) ([]Settlement, error) {
	var vs wht93.Violations
	if !from.Before(until) {
		vs = append(vs, ErrRecord.Atf("until", fmtTime(until), "结算期应开始早于结束", "the period must start before it ends"))
	}
	out := make([]Settlement, len(channels))
	idx := make(map[string]int, len(channels))
	for i := range channels {
		c := &channels[i]
		if err := c.Validate(); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(fmt.Sprintf("channels[%d]", i))...)
		}
		if j, dup := idx[c.ID]; dup {
			vs = append(vs, ErrRecord.Atf(fmt.Sprintf("channels[%d].id", i), c.ID, "与 channels["+strconv.Itoa(j)+"] 重复", "same as channels["+strconv.Itoa(j)+"]"))
		}
		idx[c.ID] = i
		out[i] = Settlement{ChannelID: c.ID, From: from, Until: until}
	}
	overflow := func(f string) { vs = append(vs, wht93.ErrMoneyRange.At(f, "")) }
	for i, r := range records {
		f := "records[" + strconv.Itoa(i) + "]"
		ci, known := idx[r.ChannelID]
		switch {
		case !known:
			vs = append(vs, ErrRecord.Atf(f+".channelId", r.ChannelID, "未知的销售渠道", "unknown channel"))
			continue
		case r.Kind != Sale && r.Kind != Refund:
			vs = append(vs, ErrRecord.At(f+".kind", strconv.Itoa(int(r.Kind))))
			continue
		case r.Tickets < 0 || r.Amount < 0:
			vs = append(vs, ErrRecord.At(f+".amount", strconv.Itoa(r.Tickets)+"/"+r.Amount.String()))
			continue
		case r.At.IsZero():
			vs = append(vs, ErrRecord.At(f+".at", ""))
			continue
		case r.At.Before(from) || !r.At.Before(until):
			continue
		}
		s := &out[ci]
		var ok bool
		if r.Kind == Sale {
			s.SoldTickets += r.Tickets
			if s.Sales, ok = s.Sales.Add(r.Amount); !ok {
				overflow(f + ".amount")
			}
		} else {
			s.RefundedTickets += r.Tickets
			if s.Refunds, ok = s.Refunds.Add(r.Amount); !ok {
				overflow(f + ".amount")
			}
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		s := &out[i]
		s.Net = s.Sales - s.Refunds // both non-negative: no overflow
		s.Commission = Commission(s.Net, channels[i].Commission)
		s.Payable = s.Net - s.Commission
	}
	return out, nil
}

// Commission returns amount × rate rounded to the fen half away from zero (half up
// for a positive amount). For 0 ≤ rate ≤ 1 its magnitude is at most the amount's.
func Commission(amount wht93.Fen, rate decimal.Decimal) wht93.Fen {
	return wht93.Fen(decimal.NewFromInt(int64(amount)).Mul(rate).Round(0).IntPart())
}
