// Package ticket holds what happens to a ticket between the sale and the gate
// (WH/T 93-2021 clauses 6.2, 6.3.2.6, 6.3.3.2, 6.3.5 and 7.1.3.5; tests E.1.2–E.1.5,
// E.2.2.5, E.2.4 and E.2.6):
//
//   - Issue: [Issuer.Issue] turns what a sale produced (session, seat or none,
//     tier, price, type, mode, buyer, holder, delivery) into a [Ticket] record with
//     its code (6.1.5, made with the codes package), the real-name holder
//     encrypted and blind-indexed ([SealedHolder]), and its fulfilment — an e-ticket,
//     a pick-up voucher code or a courier delivery (7.1.3.5). [CheckUnique] and
//     [CheckSold] check a set of records: one record per ticket, one live ticket
//     per seat, one ticket per seat sold (6.2.1.1).
//   - Face: [NewFace] and [FaceOf] build the ticket face of 6.2.1.2 — a [Face]
//     cannot be built with an item missing; every missing item comes back as a
//     violation.
//   - Credential: [Signer.Sign] signs the e-ticket's QR payload with Ed25519
//     ([Credential]: ticket code, hence session code; version; validity; key id),
//     encoded as "WT1." and base64url of a fixed binary layout (see
//     [CredentialPrefix] for the layout). A gate's [Verifier] checks it offline
//     with public keys only, and with a [RevocationSet] (or any [Liveness]) it
//     refuses superseded and cancelled codes: one ticket, one live code (6.2.3).
//     After the show ends the credential no longer verifies (E.1.5 c).
//   - Printing: [Print] and [Printer.Print] print and reprint with a
//     [PrintRecord] each (who, when, why, the how-manieth print); a reprint voids
//     the earlier paper; holders are masked on the face (6.3.5, E.2.6).
//   - Layout: a [Layout] places fields with {variables} on pages of several sizes
//     over background images, and QR symbols of a variable ([QRCode], normally
//     the credential, for the gate's scanner); [Layout.Render] writes SVG in the
//     layout's CJK font family, the QR symbols as vector modules (6.3.2.6,
//     E.2.2.5).
//   - Transfer: [Issuer.Transfer] changes a real-name holder only after the
//     recipient's document is validated, their identity confirmed by the host
//     ([Confirmation]) and the per-ID limit checked; the old code is revoked and a
//     [TransferRecord] kept (6.3.3.2, E.2.4).
//
// # One live code per ticket
//
// A ticket's credential version starts at 1. Every print, transfer and re-issue
// bumps it; the paper printed carries the version it was printed with as its serial.
// Gates learn the versions through [RevocationSet.Apply] (or Supersede and Cancel),
// so that the e-ticket's old code and an earlier paper are refused once a newer one
// exists, and a refunded or void ticket's every code.
//
// # Usage
//
//	issuer, _ := ticket.NewIssuer(keyring, indexer, crand.Reader)
//	code, _ := codes.RandomTicketCode(sess.Code, crand.Reader)
//	t, err := issuer.Issue(&sess, code, ticket.Sale{Seat: seat, Tier: "A", Price: wht93.Yuan(680),
//		Type: ticket.Sellable, Mode: session.Electronic, Holder: holder, Delivery: ticket.Electronic}, now)
//	face, err := ticket.FaceOf(&t, &sess, platform, notice, ticket.MaskHolder(holder))
//
//	cred, _ := ticket.CredentialOf(&t, now)
//	qr, _ := signer.Sign(cred)                           // "WT1.AQZ…", for the QR code
//	c, err := verifier.Verify(qr, gateNow, &revocations) // at the gate, offline
//
//	t, printed, err := printer.Print(t, ticket.PrintJob{Session: &sess, Layout: &layout,
//		Size: "80x200", Platform: platform, Notice: notice, By: "box-office-1", At: now})
//	revocations.Apply(&t) // the e-ticket's code is superseded by the paper's
//
// Everything here is a value or an immutable object, without I/O, clock or hidden
// randomness (an io.Reader is passed in): each type states its concurrency.
// Personal data never appears whole in an error, a record or a face.
package ticket
