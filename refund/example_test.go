package refund_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/refund"
)

// The refund rules a buyer is shown, and what a refund of a 680-yuan ticket
// returns at different times before a show starting on 20 May at 19:30.
func ExampleRules_Quote() {
	rules := refund.Rules{Tiers: []refund.Tier{
		{Before: 7 * 24 * time.Hour, Fee: decimal.RequireFromString("0.05")},
		{Before: 24 * time.Hour, Fee: decimal.RequireFromString("0.2")},
		{Before: 0, NoRefund: true},
	}}
	fmt.Println(rules.Zh())
	start := time.Date(2025, 5, 20, 19, 30, 0, 0, wht93.CST)
	for _, when := range []time.Time{
		time.Date(2025, 5, 10, 12, 0, 0, 0, wht93.CST),
		time.Date(2025, 5, 18, 12, 0, 0, 0, wht93.CST),
		time.Date(2025, 5, 20, 9, 0, 0, 0, wht93.CST),
	} {
		q, err := rules.Quote(wht93.Yuan(680), start, when)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("fee %s, refund %s\n", q.Fee, q.Refund)
	}
	// Output:
	// 演出开始前7天（含）以上退票，收取实付金额5%的手续费；演出开始前1天（含）至7天退票，收取实付金额20%的手续费；演出开始前不足1天不予退票；演出开始后不予退票。手续费按实付金额乘以费率计算，不足1分的部分不收取。
	// fee 34.00, refund 646.00
	// fee 136.00, refund 544.00
	// at: 演出开始前不足1天，不予退票 / less than 1 day before the start: no refund: "2025-05-20 09:00:00"
}

// A schedule is checked whole: every violation at once.
func ExampleRules_Validate() {
	rules := refund.Rules{Tiers: []refund.Tier{
		{Before: 24 * time.Hour, Fee: decimal.RequireFromString("0.2")},
		{Before: 48 * time.Hour, Fee: decimal.RequireFromString("1.5")},
	}}
	for _, v := range wht93.ViolationsOf(rules.Validate()) {
		fmt.Println(v)
	}
	// Output:
	// tiers[1].before: 各档提前时间应从长到短严格递减 / lead times must strictly decrease from tier to tier: "48h0m0s"
	// tiers[1].fee: 手续费率应在0至1之间 / fee rate must be from 0 to 1: "1.5"
}

// A refund from request to record: a buyer asks to refund one ticket of a
// two-ticket order, staff approve, the desk refunds it — the seat is for sale
// again, the box office drops, the codes are void — and a retry returns the same
// result.
func ExampleDesk_Refund() {
	ctx := context.Background()
	w := newWorld(panicTB{})
	items, _ := w.buy(panicTB{}, "order-1", "A", 2, at(10, 12, 0))

	req, err := w.desk.Open(refund.Input{ID: "R-1001", OrderID: "order-1", Channel: "web", By: "buyer-1",
		Reason: "行程变更", Items: items[:1]}, at(11, 9, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(req.State, "paid", req.Paid(), "fee", req.Fee(), "refund", req.Amount())
	_, err = w.desk.Refund(ctx, req, "cashier-7", at(11, 9, 5))
	fmt.Println(err)

	req, _ = req.Approve("auditor-1", at(11, 10, 0))
	res, err := w.desk.Refund(ctx, req, "cashier-7", at(11, 10, 5))
	if err != nil {
		panic(err)
	}
	rec := res.Record
	fmt.Println(res.Request.State, rec.Tickets[0].Code, rec.Channel, rec.Operator, rec.At.Format(time.DateTime), rec.Amount)
	fmt.Println("ticket", res.Tickets[0].Status, "; box office sold", res.BoxOffice[0].Sold.Tickets, "for", res.BoxOffice[0].Sold.Fen)
	fmt.Println("tickets on the gates' revocation list:", w.revoked.Len())
	fmt.Printf("report: %s %s %s %d\n", res.Report.RefundOrderID, res.Report.OrderID, res.Report.Tickets[0].SessionCode, res.Report.Tickets[0].RefundAmount)

	again, _ := w.desk.Refund(ctx, req, "cashier-7", at(11, 10, 9))
	fmt.Println("retry returns the first result:", again == res)
	// Output:
	// requested paid 680.00 fee 34.00 refund 646.00
	// state: 退票申请已申请，不能退票 / the refund request is requested: cannot refund it: "requested"
	// refunded 110101001012025052001T0001 web cashier-7 2025-05-11 10:05:00 646.00
	// ticket refunded ; box office sold 1 for 680.00
	// tickets on the gates' revocation list: 1
	// report: R-1001 order-1 110101001012025052001 64600
	// retry returns the first result: true
}

// panicTB lets examples use the test helpers.
type panicTB struct{}

func (panicTB) Helper()           {}
func (panicTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }
