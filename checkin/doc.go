// Package checkin is the gate of WH/T 93-2021 (clause 6.3.6; tests E.1.5 c,
// E.2.7, E.2.8): who may enter, how many times, and what the gate records and
// watches.
//
//   - Policy (6.3.6.1): a session's entry rules — the maximum entries per
//     ticket (检票次数的最大值), when the gates open and close (closed after the
//     show: E.1.5 c), the methods accepted (Method: QR e-ticket, ID card, paper
//     barcode, RFID chip ticket) and 人票证合一 (person, ticket and ID together).
//   - Checker.Decide is the decision, a pure function of the scan, the passes
//     (Lookup) and the counts: accepted, with the Entry to record (time, count,
//     gate, device, method, node), or refused with a violation of one rule —
//     ErrMaxEntries with the wording of E.2.7 ("演出票检票次数超过演出票务系统设置的
//     最大值，不可再次检票入场"), ErrRefunded, ErrVoid, ErrSuperseded,
//     ErrWrongSession, ErrNotOpen, ErrClosed, ErrExpired, ErrForged,
//     ErrUnreadable, ErrUnknown, ErrMethod, ErrIdentity — whose messages the
//     device shows in Chinese and English. An ID card finds the holder's tickets
//     of the session by the document's blind index (E.2.7 d–f).
//   - Checker.Enter records an accepted entry through the Store port: "count
//     this entry if below the maximum", one atomic step per ticket, so that no
//     number of gates admits a ticket more than its maximum; entry ids make
//     retries and syncs count once. Store.Changes is the feed that LAN sync
//     reads by cursor. store/memory, store/bolt and store/postgres implement
//     it; store/storetest.TestEntries checks any implementation.
//   - Entry.Checking gives the data of Appendix A's /report/checking.
//   - Pass and Book: the gate's view of a ticket (no personal data) and a
//     session's passes with a numbered change log, which a LAN node's replica
//     pulls incrementally. A pass may record the digest of the code the online
//     side issued (Pass.SetCredential): that exact code is then decided
//     without verifying its signature again, the cost of a decision.
//   - Resolve: when LAN nodes cut off from each other admit the same ticket,
//     every entry counts (the people are inside); Resolve says, the same way
//     everywhere, which the maximum allowed and which went over it.
//   - FlowMonitor (6.3.6.2.2, E.2.8 b): entries per minute per gate and in all,
//     people inside against capacity, warnings (客流预警警报) through a callback.
//     DeviceMonitor (6.3.6.2.1, E.2.8 c): heartbeats with network state,
//     battery and last scan; stale, offline and low-battery devices.
//
// The online and LAN nodes (在线模式, 局域网模式) with their HTTP transport are
// in checkin/node; the device simulator of 8.2.3 is checkin/gatesim.
//
// # Usage
//
//	policy, err := checkin.NewPolicy(&sess, checkin.Rules{MaxEntries: 1})
//	checker, err := checkin.NewChecker("online", policy, verifier) // ticket.NewVerifier(public keys)
//	book := checkin.NewBook(sess.Code)
//	p := checkin.PassOf(&t)                      // as tickets are issued, refunded, re-issued
//	err = p.SetCredential(qrText)                // the code just issued: its signature is not checked again
//	book.Put(p)
//	d, err := checker.Enter(ctx, store, checkin.Scan{ID: scanID, Method: checkin.QR,
//		Credential: qrText, Gate: "东1", Device: "东1-01", At: now}, book)
//	if !d.Accepted {
//		show(d.Zh(), d.En())                      // 演出票检票次数超过…
//	}
//	report(d.Entry.Checking())                   // the data of /report/checking
//
// Everything here is a value or guards its own state; nothing does I/O but
// through the Store it is given, reads a clock (instants are parameters) or
// starts a goroutine. Each type states its concurrency.
package checkin
