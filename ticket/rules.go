package ticket

import "github.com/piaowu/wht93"

// The rules of issuing and keeping tickets (6.1.5, 6.2.1.1, 7.1.3.5).
var (
	// ErrSession is the rule that a ticket is issued for a session that has its
	// session code, is not cancelled and has not ended.
	ErrSession = wht93.NewRule("ticket.session", "场次无场次编码、已取消或已结束，不能出票", "the session has no code, is cancelled or has ended: no ticket can be issued")
	// ErrCode is the rule that a ticket's code is given and is a code of its session
	// (clause 6.1.5: the session code followed by the ticket's id).
	ErrCode = wht93.NewRule("ticket.code", "演出票编码为空或不属于该场次", "ticket code is missing or not of the session")
	// ErrSeat is the rule that a ticket of a seated session names its seat (floor,
	// area, row, number) and a ticket of an unseated session names none.
	ErrSeat = wht93.NewRule("ticket.seat", "有座场次的演出票应有完整座位，无座场次的演出票不应有座位", "a seated session's ticket needs its whole seat, an unseated session's ticket has none")
	// ErrPrice is the rule that a ticket's price is not negative.
	ErrPrice = wht93.NewRule("ticket.price", "演出票价不能为负", "ticket price must not be negative")
	// ErrType is the rule that a ticket type is sellable, staff or complimentary
	// (出票类型: 可售票、工作票、赠票).
	ErrType = wht93.NewRule("ticket.type", "出票类型应为可售票、工作票或赠票", "ticket type must be sellable, staff or complimentary")
	// ErrMode is the rule that a ticket is paper or an e-ticket, and of a mode its
	// session issues.
	ErrMode = wht93.NewRule("ticket.mode", "演出票种类应为纸质票或电子票，且为该场次所发售的种类", "ticket mode must be paper or e-ticket, one the session issues")
	// ErrHolder is the rule that a ticket of a real-name session has a real-name
	// holder, sealed under the ticket's code.
	ErrHolder = wht93.NewRule("ticket.holder", "实名购票的演出票应有实名持票人", "a real-name ticket needs a real-name holder")
	// ErrFulfilment is the rule that a ticket's fulfilment (履约) is an e-ticket
	// sent to the buyer, a pick-up voucher or a courier delivery with a recipient,
	// and that it suits the ticket's mode.
	ErrFulfilment = wht93.NewRule("ticket.fulfilment", "履约方式有误（电子票须为电子票券，快递须为纸质票并有收件信息，取票须有取票码）", "fulfilment is wrong (e-ticket delivery needs an e-ticket, courier a paper ticket and a recipient, pick-up a voucher code)")
	// ErrAddress is the rule that a courier recipient has a name, a phone number and
	// an address.
	ErrAddress = wht93.NewRule("ticket.address", "快递收件人姓名、电话或地址有误", "courier recipient's name, phone or address is wrong")
	// ErrPickupCode is the rule that a pick-up voucher code presented at the box
	// office is the ticket's.
	ErrPickupCode = wht93.NewRule("ticket.pickup", "取票码不正确或已取票", "pick-up code is wrong or the ticket has been collected")
	// ErrTime is the rule that an action names its instant, within the ticket's
	// validity.
	ErrTime = wht93.NewRule("ticket.time", "时间缺失或不在演出票有效期内", "time is missing or outside the ticket's validity")
	// ErrText is the rule that a text field (an operator, a reason, an id) is given,
	// within its length, without control characters or surrounding space.
	ErrText = wht93.NewRule("ticket.text", "文本字段为空、超长或含有控制字符、首尾空格", "text field is empty, too long, or has control characters or surrounding space")
	// ErrNotLive is the rule that only a live ticket — valid, not refunded or void,
	// before the end of its session — is printed, transferred, re-issued, refunded
	// or voided.
	ErrNotLive = wht93.NewRule("ticket.not_live", "演出票已退票、作废或已过有效期", "the ticket is refunded, void or past its validity")
	// ErrVersion is the rule that a ticket's credential version counts from 1 and
	// has room for one more.
	ErrVersion = wht93.NewRule("ticket.version", "电子票凭证版本无效", "credential version is invalid")
	// ErrStatus is the rule that a ticket's status is valid, refunded or void.
	ErrStatus = wht93.NewRule("ticket.status", "演出票状态应为有效、已退票或已作废", "ticket status must be valid, refunded or void")
)

// The rules of clause 6.2.1.1 and 6.1.1 over a set of tickets (see [CheckUnique]
// and [CheckSold]).
var (
	// ErrDuplicateCode is the rule that a ticket code is on one record only: every
	// ticket sold matches one record of the system (6.2.1.1).
	ErrDuplicateCode = wht93.NewRule("ticket.duplicate_code", "同一演出票编码有多条记录", "one ticket code has more than one record")
	// ErrDuplicateSeat is the rule that a seat of a session has at most one live
	// ticket (6.1.1 一座一票).
	ErrDuplicateSeat = wht93.NewRule("ticket.duplicate_seat", "同一座位有多张有效演出票", "one seat has more than one live ticket")
	// ErrSeatWithoutTicket is the rule that every seat sold has a live ticket.
	ErrSeatWithoutTicket = wht93.NewRule("ticket.seat_without_ticket", "已售座位没有有效演出票", "a sold seat has no live ticket")
	// ErrTicketWithoutSale is the rule that every live seated ticket is for a seat
	// the inventory records as sold.
	ErrTicketWithoutSale = wht93.NewRule("ticket.ticket_without_sale", "有效演出票的座位在库存中不是已售状态", "a live ticket's seat is not sold in the inventory")
)
