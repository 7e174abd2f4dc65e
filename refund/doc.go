// Package refund refunds tickets (退票, WH/T 93-2021 clauses 6.3.4 and 7.1.4;
// tests E.2.5 and F.1.10): the refund rules a buyer is shown, refund requests
// and their review, and the effects of a refund applied together.
//
//   - Rules (7.1.4.1, F.1.10 a): a schedule by time before the show — a fee
//     rate, or not refundable — shown to the buyer (Rules.Zh, Rules.En, also
//     the refund notice of a ticket face) and applied by Rules.Quote in decimal
//     arithmetic: the fee is the rate times the amount paid rounded down to the
//     fen, so it never exceeds the rate of, nor the amount, paid; the refund is
//     the amount paid minus the fee. Rules.Validate reports every violation.
//   - Request: some or all tickets of one order, each with its quote; states
//     requested → approved → refunded, or requested → rejected. Request.Approve
//     and Request.Reject return the next value; an illegal step is an
//     ErrTransition violation in Chinese and English (E.2.5 a: 提交退票申请，
//     审核通过后退款).
//   - Desk.Refund applies an approved request: the seat is sellable again and
//     the box office changes (inventory.Sales.Refund), the ticket record is
//     refunded and its codes void (ticket.Ticket.Refund, a Revoker such as
//     the gates' ticket.RevocationSet), and it returns the refund record of
//     6.3.4 / 7.1.4.2 (ticket codes, platform or channel, operator, time,
//     amount, reason) with the data of Appendix A's /report/refundOrder.
//     The inventory is the commit point and the other effects follow from
//     what it recorded, so that the effects hold together; a retry never
//     refunds twice and returns the first result (see Desk).
//
// In outline:
//
//	desk, err := refund.NewDesk(refund.Config{Rules: rules, Sales: []*inventory.Sales{sales}, Revoker: &revocations})
//	show(desk.Rules().Zh())                                   // 明示退票规则
//	req, err := desk.Open(refund.Input{ID: refundID, OrderID: order, Channel: "web", By: buyer,
//		Reason: "行程变更", Items: items}, now)                 // quotes each ticket
//	req, err = req.Approve(auditor, now)                      // or req.Reject(auditor, why, now)
//	res, err := desk.Refund(ctx, req, operator, now)          // retry on a store error
//	store(res.Request, res.Tickets, res.Record)               // and checkin.PassOf(&t) to the gates
//	enqueue(res.Report)                                       // with the day's next sales report
//
// Rules, Request, Record and Report are plain values and pure functions of
// their arguments: no I/O, no clock, no randomness. A Desk is safe for
// concurrent use; its I/O is the inventory store's.
package refund
