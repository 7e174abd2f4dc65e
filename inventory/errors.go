package inventory

import "github.com/piaowu/wht93"

// Rules of the seating chart (6.3.2.3, 6.3.2.4, 6.3.2.7).
var (
	// ErrChart is the rule that a chart names its session (at most 50 characters),
	// has a version of at least 1, 1 to MaxTiers tiers, and a stage point that is a
	// finite number.
	ErrChart = wht93.NewRule("inventory.chart", "票图设置有误（场次、版本、票档数量、舞台坐标）", "seating chart is malformed (session, version, number of tiers, stage point)")
	// ErrTier is the rule that a price tier has an id (at most 50 characters, listed
	// once), a name (at most 50 characters), a price that is not negative and a
	// quantity from 0 to MaxPlaces.
	ErrTier = wht93.NewRule("inventory.tier", "票档设置有误（编号、名称、票价不能为负、数量）", "price tier is malformed (id, name, price not negative, quantity)")
	// ErrTierQuantity is the rule that the quantity of a tier of a seated chart,
	// when given, is the number of seats priced at the tier, and that an unseated
	// tier has a capacity of at least 1.
	ErrTierQuantity = wht93.NewRule("inventory.tier.quantity", "票档数量与划定的座位数不符，或无座票档没有容量", "tier quantity differs from the seats priced at it, or an unseated tier has no capacity")
	// ErrUnpriced is the rule that every seat of a seated chart is priced at a tier
	// (票价划分): a seat that is not for sale is blocked, not left unpriced.
	ErrUnpriced = wht93.NewRule("inventory.unpriced", "座位未划定票档", "seat is not priced at any tier")
	// ErrSelection is the rule that a selection names areas, rows and seats of the
	// chart's template, and tiers of the chart; that a seated chart selects seats
	// and an unseated chart a quantity of a tier.
	ErrSelection = wht93.NewRule("inventory.selection", "座位选择有误（区域、排、座位或票档不存在，或与有座/无座不符）", "selection names an unknown area, row, seat or tier, or does not fit a seated/unseated chart")
	// ErrTicketType is the rule that a ticket type is sellable, staff or
	// complimentary.
	ErrTicketType = wht93.NewRule("inventory.tickettype", "票种应为可售票、工作票或赠票", "ticket type must be sellable, staff or complimentary")
	// ErrReservation is the rule that a reservation has a name and a note of at most
	// 200 characters each and, when it names a channel, a channel id of at most 50
	// characters.
	ErrReservation = wht93.NewRule("inventory.reservation", "预留设置有误（名称、备注、渠道）", "reservation is malformed (name, note, channel)")
)

// Rules of seat transitions (6.1.1, 6.3.2.7, 7.1.3.3). Their violations name the
// seat by its label ("一层 A区 3排 12号") or, unseated, by its tier and place.
var (
	// ErrSeatUnknown is the rule that a seat is a seat of the chart.
	ErrSeatUnknown = wht93.NewRule("inventory.seat.unknown", "座位不存在", "no such seat")
	// ErrSeatTwice is the rule that a request names a seat once.
	ErrSeatTwice = wht93.NewRule("inventory.seat.twice", "同一座位重复选择", "seat listed twice")
	// ErrSeatHeld is the rule that a seat held by another buyer (until its hold
	// expires) cannot be held.
	ErrSeatHeld = wht93.NewRule("inventory.seat.held", "座位已被锁定", "seat is held by another order")
	// ErrSeatSold is the rule that a seat has at most one live ticket (6.1.1 一座一票).
	ErrSeatSold = wht93.NewRule("inventory.seat.sold", "座位已售出", "seat is sold")
	// ErrSeatBlocked is the rule that a blocked seat is not sold (封座).
	ErrSeatBlocked = wht93.NewRule("inventory.seat.blocked", "座位已封存，不能销售", "seat is blocked: not for sale")
	// ErrSeatReserved is the rule that a reserved seat is sold only by the channel it
	// is reserved for, or issued by staff (E.2.2.6 c, d).
	ErrSeatReserved = wht93.NewRule("inventory.seat.reserved", "预留座位，仅限指定渠道销售或后台人工出票", "seat is reserved: only its channel may sell it, or staff issue it")
	// ErrSoldOut is the rule that a best-available request finds as many seats as it
	// asks for.
	ErrSoldOut = wht93.NewRule("inventory.soldout", "该票档可售座位不足", "not enough seats left in the tier")
	// ErrNoPoints is the rule that a request for seats near a focus point is made on
	// a chart whose seats all have drawing coordinates.
	ErrNoPoints = wht93.NewRule("inventory.focus", "座位模板没有坐标，不能按指定位置选座", "the seat template has no coordinates to choose seats near a point")
	// ErrNotHeld is the rule that only seats held by the order, and not expired,
	// are sold.
	ErrNotHeld = wht93.NewRule("inventory.seat.notheld", "座位未被本订单锁定或锁定已过期", "seat is not held by this order, or its hold expired")
	// ErrHoldKey is the rule that a hold key is 1 to 64 characters without control
	// characters and not in use: by a live hold, or by a sale.
	ErrHoldKey = wht93.NewRule("inventory.hold.key", "锁座编号为空、过长或已被使用", "hold key is empty, too long or in use")
	// ErrRequest is the rule that a request is well formed: specific seats or a tier
	// and a number, 1 to MaxHold seats, a hold time from 1 second to 24 hours, a
	// buyer for a sale and a staff account for a staff issue.
	ErrRequest = wht93.NewRule("inventory.request", "请求参数有误", "request is malformed")
	// ErrTicketUnknown is the rule that a refund names a ticket of the session.
	ErrTicketUnknown = wht93.NewRule("inventory.ticket.unknown", "演出票不存在", "no such ticket")
	// ErrRefunded is the rule that a ticket is refunded once.
	ErrRefunded = wht93.NewRule("inventory.ticket.refunded", "演出票已退", "ticket is already refunded")
	// ErrNotSellable is the rule that staff and complimentary tickets are issued by
	// staff, not sold.
	ErrNotSellable = wht93.NewRule("inventory.seat.staffonly", "工作票、赠票仅限后台人工出票", "staff and complimentary seats are issued by staff only")
)

// Rules of the store (the port's contract).
var (
	// ErrNoChart is the rule that a store has the chart of the session.
	ErrNoChart = wht93.NewRule("inventory.store.nochart", "库存中没有该场次的票图", "the store has no chart for the session")
	// ErrChartExists is the rule that a session's chart is created once.
	ErrChartExists = wht93.NewRule("inventory.store.exists", "该场次的票图已存在", "the session's chart already exists")
	// ErrStaleChart is the rule that an operation uses the chart version the store
	// holds: a chart changed meanwhile (by another process) must be reloaded.
	ErrStaleChart = wht93.NewRule("inventory.store.stale", "票图版本已变更，请重新加载", "the chart version changed: reload it")
	// ErrChangeTaken is the rule that a chart change does not reprice or block a seat
	// that is held or sold.
	ErrChangeTaken = wht93.NewRule("inventory.chart.taken", "已锁定或已售出的座位不能改票档或封存", "a held or sold seat cannot be repriced or blocked")
	// ErrStore is the rule that a store keeps its contract; a violation means the
	// store (the host's implementation, or its database) returned something
	// impossible, such as seats that were not asked for.
	ErrStore = wht93.NewRule("inventory.store.contract", "库存存储返回了不符合约定的结果", "the inventory store broke its contract")
)
