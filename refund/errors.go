package refund

import "github.com/piaowu/wht93"

// The rules of refund schedules (7.1.4.1).
var (
	// ErrRules is the rule that a refund schedule has 1 to MaxTiers tiers whose
	// lead times are whole minutes, not negative and strictly decreasing, whose fee
	// rates are from 0 to 1 with at most 4 decimal places, and whose "not
	// refundable" tiers carry no fee.
	ErrRules = wht93.NewRule("refund.rules", "退票规则设置有误（档位数量、提前时间、手续费率）", "refund rules are malformed (number of tiers, lead time, fee rate)")
	// ErrNotRefundable is the rule that a ticket is refunded only when the refund
	// rules allow it at the instant of the request: not after the show has started,
	// not within a "not refundable" tier, not later than the last tier.
	ErrNotRefundable = wht93.NewRule("refund.not_refundable", "按退票规则，此时不可退票", "the refund rules do not allow a refund at this time")
	// ErrAmount is the rule that an amount paid is not negative.
	ErrAmount = wht93.NewRule("refund.amount", "实付金额不能为负", "the amount paid must not be negative")
)

// The rules of refund requests and their execution (6.3.4, 7.1.4.2).
var (
	// ErrRequest is the rule that a refund request is well formed: an id, an order,
	// a channel, a reason and the person asking (each 1 to 100 characters without
	// control characters or surrounding space, the reason up to 200), an instant,
	// and 1 to MaxTickets tickets of the order, each named once.
	ErrRequest = wht93.NewRule("refund.request", "退票申请信息有误", "the refund request is malformed")
	// ErrTicket is the rule that a ticket to refund is live (valid, before the end of
	// its session), sold in the order of the request, and that its ticket record and
	// its inventory record are of the same session and order.
	ErrTicket = wht93.NewRule("refund.ticket", "演出票不可退：已退、已作废、已过期，或不属于该订单", "the ticket cannot be refunded: refunded, void, expired, or not of the order")
	// ErrTransition is the rule that a request moves only requested → approved →
	// refunded, or requested → rejected.
	ErrTransition = wht93.NewRule("refund.transition", "退票申请当前状态不允许此操作", "the refund request's state does not allow this step")
	// ErrSession is the rule that a desk sells the session of every ticket it is
	// asked to refund.
	ErrSession = wht93.NewRule("refund.session", "退票处理未配置该演出票的场次", "the refund desk has no sales for the ticket's session")
	// ErrChanged is the rule that the inventory still records each ticket as the
	// request saw it (same order, same amount paid): otherwise the request is
	// stale and must be made again.
	ErrChanged = wht93.NewRule("refund.changed", "库存中的售票记录与退票申请不符，请重新申请", "the inventory's sale record differs from the request: request again")
	// ErrClaimed is the rule that a ticket is refunded by one request only, and
	// that a request id names one request.
	ErrClaimed = wht93.NewRule("refund.claimed", "该演出票已由另一退票申请处理，或申请编号已被使用", "the ticket is refunded by another request, or the request id is in use")
)
