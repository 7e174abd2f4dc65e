// Package inventory sells the seats of a session: price tiers and seating charts,
// the seat state machine, holds and best-available picks, purchase limits enforced
// in the step that records a sale, and the box office (clauses 6.1.1,
// 6.3.2.3–6.3.2.7, 7.1.2 and 7.1.3 of WH/T 93-2021; tests E.1.1, E.2.2.3, E.2.2.4,
// E.2.2.6, E.2.2.7).
//
//   - [Tier] (6.3.2.3): a price tier with its price in fen and its quantity.
//   - [Chart] (6.3.2.4, 6.3.2.7): a seat template with a tier per seat (票价划分), a
//     [TicketType] per seat (sellable, staff, complimentary), reservations
//     ([Reservation]) by area, row or seat for a channel or for staff, with a note
//     (预留), and blocked seats ([Block]).
//     An unseated session's chart has tiers with capacities and anonymous places.
//     [NewChart] reports every violation of a [ChartSpec] at once.
//   - Seat states (6.1.1): Available → Held (until its expiry) → Sold; a hold is
//     released or expires; a refund makes the seat Available again. A seat has at
//     most one live ticket. Reserved seats are taken only by their channel or by
//     staff (E.2.2.6); staff and complimentary seats only by staff; blocked seats by
//     nobody. Refusals are typed, bilingual violations that name the seat.
//   - [Sales] drives a session's sales through a [Store]: holds of specific seats
//     (all or nothing) and best-available holds ([Board.Pick]: adjacent seats in a
//     row where possible, nearest the stage or a focus point), sales priced at list
//     price or by a policy ([session.Policy.Quote]), staff issues, refunds. The
//     limits of the session and of every policy that applies
//     ([session.Limits.Check]) and the channel's allocation are enforced as
//     counters that the store adds to in the same atomic step as the sale: two
//     simultaneous orders cannot both pass a limit only one fits.
//   - [BoxOffice] (6.3.2.5, E.2.2.4): estimate by tier; live totals — total, sold,
//     held, reserved, remaining, in tickets and in fen — read from one snapshot, so
//     they always add up. [PublicView] (7.1.2): availability by area and tier, with
//     no personal data. [Chart.SeatMap] (7.1.3.3): the seats a buyer can choose.
//   - [Store] is the port, its contract in its doc comment; store/memory,
//     store/bolt and store/postgres implement it, store/storetest checks any
//     implementation. [Board] is the reference implementation of one session's
//     seats in memory that the stores build on.
//
// A sale, in outline:
//
//	chart, err := inventory.NewChart(inventory.ChartSpec{SessionID: s.ID, Version: 1, Template: tpl,
//		Tiers: tiers, Prices: prices, Reservations: reservations})
//	sales, err := inventory.New(store, inventory.Config{Session: s, Chart: chart, Channels: auths, Policies: policies})
//	err = sales.Open(ctx)                                  // the chart into the store, once
//	hold, err := sales.Hold(ctx, now, inventory.HoldRequest{Key: orderID, Buyer: account, Channel: "web", Tier: "A", N: 2})
//	// … the buyer pays …
//	sale, err := sales.Sell(ctx, now, hold, inventory.Purchase{IDs: ids, Policy: "early"})
//	box, err := sales.BoxOffice(ctx, now)
//
// Everything here but Sales is a value or a pure function of its arguments: no
// I/O, no goroutines, no clock (instants are parameters). Charts are immutable and
// safe for concurrent use; a Board is not (its store serialises it); Sales is
// safe for concurrent use, its consistency being the store's.
package inventory
