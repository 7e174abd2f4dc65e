// Package session holds performances, their sessions and the rules of selling them
// (clause 6.3.2 of WH/T 93-2021 and 7.1.3; tests E.2.2.1, E.2.2.2, E.2.2.7–E.2.2.9).
//
//   - [Performance] (6.3.2.1): name, approval document, description, programme,
//     minimum duration, purchase notice, organisers, type code, performers;
//     [Performance.CheckSessions] holds the sessions to the approval.
//   - [Session] (6.3.2.2): name, code (zero until the platform issues it), type,
//     venue, hall and hall code, date, start, end, ticket modes, real-name mode,
//     limits, sales window. [Edit] applies an edit and returns the change records
//     (field, old, new, who, when) that a [Log] keeps and [Log.Find] queries.
//   - Sales status (6.3.2.9): [Sales] holds the window (开售/停售) and the actions
//     taken (开票, suspend, resume, end early); [Session.Status] and
//     [Session.CanSell] decide from them and the instant passed in. Nothing sells
//     outside the window (E.2.2.8).
//   - [Limits] (6.3.2.8, 7.1.3.1): per purchase, per buyer, per real-name document;
//     [Limits.Check] is a pure function of the counts the caller passes in, so that
//     an inventory applies it in the same atomic step as the sale.
//   - [Policy] (6.3.2.8): validity period, scope (sessions, channels, tiers),
//     limits over the scope, real-name rule, and a [Discount] or a cross-session
//     [Bundle]. [Policy.Quote] prices an order; money is integer fen, rates are
//     decimals, and every rounding to the fen is stated where it happens.
//   - [Channel], [Authorization] and [Settle] (6.3.2.10): channels, their
//     authorisation for a session with an [Allocation] (quotas, reserved areas),
//     and settlement figures (sales, refunds, commission) from records passed in.
//
// A sale, in outline (the inventory does the counting and the recording):
//
//	if err := s.CanSell(now); err != nil { return err }       // 未开票 / 开票 / 暂停 / 售票结束
//	mode := session.EffectiveMode(&s, &policy)                 // the stricter real-name rule
//	if err := s.Limits.Check(mode, order, heldInSession); err != nil { return err }
//	if err := policy.Limits.Check(mode, order, heldInScope); err != nil { return err }
//	quote, err := policy.Quote(now, channelID, lines)          // what each ticket costs
//
// Everything here is a value and a pure function: no I/O, no clock (instants are
// parameters), no shared state. Values are safe for concurrent reads.
package session
