package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/audit"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/refund"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// afterSale holds the host's keys and stores for the chapter after the sale.
type afterSale struct {
	keyring *realname.Keyring
	indexer *realname.BlindIndexer
	rand    io.Reader
	log     audit.Store // the operation log (the embedded bolt file in main)
	today   wht93.Date
}

// run walks through what happens to the tickets of order web-1001 between the
// sale and the gate: issue them as e-tickets and verify one offline, print one
// and reprint it, transfer a real-name ticket, refund one (the seat returns and
// the box office changes), and verify the operation log that recorded it all.
func (a *afterSale) run(ctx context.Context, w io.Writer, s *sold) error {
	sess := &s.sessions[0]
	at := func(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }
	logOp := func(t time.Time, user string, action audit.Action, objType, objID, content string) error {
		_, err := audit.Append(ctx, a.log, audit.Record{Time: t, User: user, Action: action,
			Object: audit.Object{Type: objType, ID: objID}, Content: content})
		return err
	}

	// The platform issues the session's code when the session is reported (A.3.3.1).
	code, err := codes.NewSessionCode(sess.HallCode, sess.Date, 1)
	if err != nil {
		return err
	}
	sess.Code = code
	fmt.Fprintf(w, "session %s has code %s\n", sess.ID, code)

	// Issue the order's two tickets as e-tickets, one per real-name holder (6.2.1.1).
	issuer, err := ticket.NewIssuer(a.keyring, a.indexer, a.rand)
	if err != nil {
		return err
	}
	var tickets []ticket.Ticket
	for i, sale := range s.order.Tickets {
		seat, _ := s.template.Seat(sale.Seat)
		tc, err := codes.SequenceTicketCode(code, uint64(sale.Serial))
		if err != nil {
			return err
		}
		t, err := issuer.Issue(sess, tc, ticket.Sale{OrderID: sale.Order, BuyerID: sale.Buyer, Seat: seat.Location,
			Tier: sale.Tier, Price: sale.Amount, Type: ticket.Sellable, Mode: session.Electronic,
			Holder: s.holders[i], Delivery: ticket.Electronic}, sale.SoldAt)
		if err != nil {
			return err
		}
		tickets = append(tickets, t)
		if err := logOp(sale.SoldAt, "web", audit.ActionSale, "ticket", tc.String(), "售出 "+seat.Location.String()); err != nil {
			return err
		}
		fmt.Fprintf(w, "issued %s, %s, holder %s\n", tc, seat.Location, s.holders[i])
	}

	// The e-ticket's code is signed; a gate holding only the public key verifies it.
	seed := sha256.Sum256([]byte("quickstart signing key")) // from the host's secret store in production
	signer, err := ticket.NewSigner("qs-2025", ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		return err
	}
	gate, err := ticket.NewVerifier(map[string]ed25519.PublicKey{signer.KeyID(): signer.PublicKey()})
	if err != nil {
		return err
	}
	cred, err := ticket.CredentialOf(&tickets[0], tickets[0].IssuedAt)
	if err != nil {
		return err
	}
	qr, err := signer.Sign(cred)
	if err != nil {
		return err
	}
	_, err = gate.Verify(qr, sess.Start, nil)
	fmt.Fprintf(w, "e-ticket code of %d characters verifies offline at the show: %v\n", len(qr), err == nil)
	_, err = gate.Verify(qr, sess.End.Add(time.Minute), nil)
	fmt.Fprintf(w, "after the show it no longer does (E.1.5 c): %v\n", errors.Is(err, ticket.ErrCredentialExpired))

	// Print the first ticket at the box office and reprint it after a paper jam (6.3.5).
	printer, err := ticket.NewPrinter(signer, a.keyring)
	if err != nil {
		return err
	}
	job := ticket.PrintJob{Session: sess, Layout: &faceLayout, Size: "80x120",
		Platform: ticket.Platform{Phone: "400-123-4567", Web: "https://tickets.example.cn"},
		Notice:   ticket.Notice{Purchase: "一人一票，凭票及本人证件入场。", Refund: refundRules.Zh()},
		By:       "box-office-1", At: at(14, 10, 0)}
	t0, first, err := printer.Print(tickets[0], job)
	if err != nil {
		return err
	}
	job.At, job.Reason = at(14, 10, 1), "卡纸"
	t0, second, err := printer.Print(t0, job)
	if err != nil {
		return err
	}
	tickets[0] = t0
	for _, p := range []ticket.Printed{first, second} {
		r := p.Record
		action := audit.ActionPrint
		if r.Reprint() {
			action = audit.ActionReprint
		}
		if err := logOp(r.At, r.By, action, "ticket", t0.Code.String(), fmt.Sprintf("第%d次打印 %s", r.N, r.Reason)); err != nil {
			return err
		}
		fmt.Fprintf(w, "print %d (reprint %v, reason %q): paper serial %d\n", r.N, r.Reprint(), r.Reason, r.Serial)
	}
	fmt.Fprintf(w, "the first paper is void: %v; the printed face masks the holder: %v\n",
		t0.CheckPaper(first.Record.Serial, job.At) != nil,
		bytes.Contains(second.SVG, []byte("张*")) && !bytes.Contains(second.SVG, []byte("张三")))
	sym, err := ticket.EncodeQR(second.Credential, ticket.QRLevelM)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "the printed face carries its credential as a %d×%d QR symbol for the gate: %v\n",
		sym.Size(), sym.Size(), bytes.Contains(second.SVG, []byte(`d="`+sym.Path()+`"`)))

	// Transfer the second ticket, real-name, to 王五 once the host confirmed his identity (6.3.3.2).
	doc, err := realname.Validate(realname.TypeResidentID, "110102198801010031", a.today)
	if err != nil {
		return err
	}
	wang, err := realname.NewHolder("王五", doc)
	if err != nil {
		return err
	}
	now := at(14, 12, 0)
	t1, rec, err := issuer.Transfer(tickets[1], ticket.TransferRequest{Recipient: wang, ToAccount: "u2002",
		Limits: sess.Limits, By: "u1001", At: now,
		Confirmation: ticket.Confirmation{Index: a.indexer.Index(doc), Method: "face", Reference: "kyc-1", At: now.Add(-time.Minute)}})
	if err != nil {
		return err
	}
	tickets[1] = t1
	if err := logOp(now, "u1001", audit.ActionTransfer, "ticket", t1.Code.String(),
		fmt.Sprintf("转赠 %s → %s", rec.From.Name, rec.To.Name)); err != nil {
		return err
	}
	fmt.Fprintf(w, "transferred %s: %s %s → %s %s, code version %d → %d\n", t1.Code,
		rec.From.Name, rec.From.Number, rec.To.Name, rec.To.Number, rec.OldVersion, rec.NewVersion)

	// Refund the first ticket (6.3.4): the seat is sellable again, its codes are void,
	// the box office changes and the platform's refund report is produced.
	var revoked ticket.RevocationSet
	desk, err := refund.NewDesk(refund.Config{Rules: refundRules, Sales: s.sales[:1], Revoker: &revoked})
	if err != nil {
		return err
	}
	req, err := desk.Open(refund.Input{ID: "R-1001", OrderID: "web-1001", Channel: "web", By: "u1001", Reason: "行程变更",
		Items: []refund.Item{{Ticket: tickets[0], Sale: s.order.Tickets[0]}}}, at(15, 9, 0))
	if err != nil {
		return err
	}
	if req, err = req.Approve("auditor-1", at(15, 9, 30)); err != nil {
		return err
	}
	res, err := desk.Refund(ctx, req, "cashier-7", at(15, 10, 0))
	if err != nil {
		return err
	}
	r := res.Record
	if err := logOp(r.At, r.Operator, audit.ActionRefund, "ticket", r.Tickets[0].Code.String(),
		fmt.Sprintf("退票 %s，手续费 %s", r.Amount, req.Fee())); err != nil {
		return err
	}
	fmt.Fprintf(w, "refunded %s: paid %s, fee %s, returned %s, by %s\n", r.Tickets[0].Code, req.Paid(), req.Fee(), r.Amount, r.Operator)
	_, err = gate.Verify(qr, sess.Start, &revoked)
	fmt.Fprintf(w, "its e-ticket code is void at the gate: %v\n", err != nil)
	box := res.BoxOffice[0]
	fmt.Fprintf(w, "box office %s now: sold %d for %s, remaining %d\n", box.SessionID, box.Sold.Tickets, box.Sold.Fen, box.Remaining.Tickets)
	if _, err := s.sales[0].Hold(ctx, at(15, 11, 0), inventory.HoldRequest{Key: "web-1004", Buyer: "u1004", Channel: "web",
		Seats: []venue.SeatID{s.order.Tickets[0].Seat}}); err == nil {
		fmt.Fprintln(w, "the refunded seat can be held again")
	}

	// The operation log: every step above, hash-chained, verified end to end (6.4.3.3).
	sum, err := audit.Verify(ctx, a.log)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "operation log: %d entries, the chain verifies\n", sum.Checked)
	return nil
}

// refundRules are the refund rules shown to buyers (7.1.4).
var refundRules = refund.Rules{Tiers: []refund.Tier{
	{Before: 7 * 24 * time.Hour, Fee: decimal.RequireFromString("0.05")},
	{Before: 24 * time.Hour, Fee: decimal.RequireFromString("0.20")},
	{NoRefund: true},
}}

// faceLayout is an 80×120 mm ticket face with every item of 6.2.1.2 and, between
// them, the QR symbol of the paper's credential (44 mm square, level M).
var faceLayout = ticket.Layout{ID: "face-1", FontFamily: "Noto Sans CJK SC, sans-serif", Pages: []ticket.Page{{
	Size: "80x120", Width: 80, Height: 120,
	Fields: []ticket.Field{
		{Text: "{sessionName} {date} {startTime}", X: 4, Y: 10, FontSize: 9},
		{Text: "{venue} {hall} {area} {seat}", X: 4, Y: 18, FontSize: 9},
		{Text: "{price} {ticketType} {ticketCode}", X: 4, Y: 26, FontSize: 7},
		{Text: "持票人 {holderName} {holderNumber} 第{printNo}次打印", X: 4, Y: 34, FontSize: 7},
		{Text: "{purchaseNotice} {refundNotice}", X: 4, Y: 90, FontSize: 6, Width: 72},
		{Text: "{platformPhone} {platformWeb}", X: 4, Y: 115, FontSize: 6},
	},
	QRCodes: []ticket.QRCode{{Var: ticket.VarCredential, X: 18, Y: 38, Size: 44}},
}}}
