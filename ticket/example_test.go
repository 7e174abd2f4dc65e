package ticket_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// check stops an example on an error it does not expect.
func check[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The host's secrets: in production from a secret store, and crypto/rand.Reader
// for randomness; fixed here so that the output does not change.
var (
	exKeyring = check(realname.NewKeyring(detRand(1), "k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)}))
	exIndexer = check(realname.NewBlindIndexer(bytes.Repeat([]byte{2}, 32)))
	exSigner  = check(ticket.NewSigner("gate-2025", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))))
)

func exSession() session.Session {
	cst := func(h, m int) time.Time { return time.Date(2025, time.May, 20, h, m, 0, 0, wht93.CST) }
	return session.Session{
		ID: "sess-1", PerformanceID: "perf-1", Name: "春之声交响音乐会",
		Code:  check(codes.ParseSessionCode("110101001012025052001")),
		Type:  codes.TypeCode(2001),
		Venue: "东城大剧院", Hall: "大剧场", HallCode: check(codes.ParseHallCode("11010100101")),
		Seated: true, Date: wht93.Date{Year: 2025, Month: time.May, Day: 20}, Start: cst(19, 30), End: cst(21, 30),
		TicketModes: session.ModesOf(session.Paper, session.Electronic),
		RealName:    realname.ModePerTicket, Limits: session.Limits{PerID: 2},
	}
}

func exHolder(name, number string) realname.Holder {
	today := wht93.Date{Year: 2025, Month: time.May, Day: 10}
	return check(realname.NewHolder(name, check(realname.Validate(realname.TypeResidentID, number, today))))
}

func exTicket() ticket.Ticket {
	s := exSession()
	issuer := check(ticket.NewIssuer(exKeyring, exIndexer, detRand(2)))
	return check(issuer.Issue(&s, check(codes.SequenceTicketCode(s.Code, 1)), ticket.Sale{
		OrderID: "order-1", BuyerID: "buyer-1",
		Seat: venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "12号"},
		Tier: "A", Price: wht93.Yuan(680), Type: ticket.Sellable, Mode: session.Electronic,
		Holder: exHolder("张三", "11010119900307803X"), Delivery: ticket.Electronic,
	}, time.Date(2025, time.May, 10, 12, 0, 0, 0, wht93.CST)))
}

// Issue a ticket, show its face, sign its e-ticket code and verify it offline at
// the gate, during the show and after it.
func Example() {
	s := exSession()
	t := exTicket()

	holder := check(t.Holder.Masked(exKeyring, t.Code))
	face := check(ticket.FaceOf(&t, &s, ticket.Platform{Phone: "400-123-4567", Web: "https://tickets.example.cn"},
		ticket.Notice{Purchase: "一人一票，凭票入场。", Refund: "演出前7日以上可退票。"}, holder))
	fmt.Println(face)

	qr := check(exSigner.Sign(check(ticket.CredentialOf(&t, t.IssuedAt))))
	gate := check(ticket.NewVerifier(map[string]ed25519.PublicKey{exSigner.KeyID(): exSigner.PublicKey()}))
	c, err := gate.Verify(qr, s.Start, nil)
	fmt.Println(len(qr), c.Ticket, c.Version, err)
	_, err = gate.Verify(qr, s.End, nil) // E.1.5 c
	fmt.Println(errors.Is(err, ticket.ErrCredentialExpired))
	// Output:
	// 演出票编码：110101001012025052001N00000001
	// 演出场次：春之声交响音乐会
	// 演出场所：东城大剧院
	// 演出场厅：大剧场
	// 演出日期：2025-05-20
	// 开始时间：19:30
	// 座位分区：一层 A区
	// 座位号：3排 12号
	// 票价：¥680.00
	// 出票类型：可售票
	// 演出票种类：电子票
	// 客服电话：400-123-4567
	// 网址：https://tickets.example.cn
	// 购票须知：一人一票，凭票入场。
	// 退票规定：演出前7日以上可退票。
	// 持票人：张* 居民身份证 110101**********3X
	// 172 110101001012025052001N00000001 1 <nil>
	// true
}

// A ticket printed at the box office and reprinted after a paper jam: two print
// records, the first paper void, the name and ID number masked on the paper.
func ExamplePrinter_Print() {
	s := exSession()
	t := exTicket()
	layout := ticket.Layout{ID: "face-1", FontFamily: "Noto Sans CJK SC, sans-serif", Pages: []ticket.Page{{
		Size: "80x120", Width: 80, Height: 120,
		Fields: []ticket.Field{
			{Text: "{sessionName} {date} {startTime}", X: 4, Y: 10, FontSize: 9},
			{Text: "{venue} {hall} {area} {seat}", X: 4, Y: 18, FontSize: 9},
			{Text: "{price} {ticketType} {ticketCode}", X: 4, Y: 26, FontSize: 7},
			{Text: "持票人 {holderName} {holderNumber} 第{printNo}次打印", X: 4, Y: 34, FontSize: 7},
			{Text: "{purchaseNotice} {refundNotice}", X: 4, Y: 90, FontSize: 6, Width: 72},
			{Text: "{platformPhone} {platformWeb}", X: 4, Y: 115, FontSize: 6},
		},
	}}}
	printer := check(ticket.NewPrinter(exSigner, exKeyring))
	job := ticket.PrintJob{Session: &s, Layout: &layout, Size: "80x120",
		Platform: ticket.Platform{Phone: "400-123-4567", Web: "https://tickets.example.cn"},
		Notice:   ticket.Notice{Purchase: "一人一票。", Refund: "7日内不退。"},
		By:       "box-office-1", At: time.Date(2025, time.May, 20, 18, 0, 0, 0, wht93.CST)}

	t, first := check2(printer.Print(t, job))
	job.At, job.Reason = job.At.Add(time.Minute), "卡纸"
	t, second := check2(printer.Print(t, job))
	for _, r := range []ticket.PrintRecord{first.Record, second.Record} {
		fmt.Printf("print %d reprint=%v serial=%d supersedes=%d by=%s reason=%q\n", r.N, r.Reprint(), r.Serial, r.Supersedes, r.By, r.Reason)
	}
	fmt.Println(t.CheckPaper(first.Record.Serial, job.At) != nil, t.CheckPaper(second.Record.Serial, job.At))
	fmt.Println(bytes.Contains(second.SVG, []byte("持票人 张* 110101**********3X 第2次打印")), bytes.Contains(second.SVG, []byte("张三")))
	// Output:
	// print 1 reprint=false serial=2 supersedes=0 by=box-office-1 reason=""
	// print 2 reprint=true serial=3 supersedes=2 by=box-office-1 reason="卡纸"
	// true <nil>
	// true false
}

func check2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// A real-name ticket transferred to another person once the host has confirmed
// their identity: the old code is revoked, the record masks both holders.
func ExampleIssuer_Transfer() {
	t := exTicket()
	issuer := check(ticket.NewIssuer(exKeyring, exIndexer, detRand(2)))
	li := exHolder("李四", "11010519491231002X")
	now := time.Date(2025, time.May, 12, 10, 0, 0, 0, wht93.CST)

	req := ticket.TransferRequest{Recipient: li, ToAccount: "buyer-2", Held: 0,
		Limits: exSession().Limits, By: "buyer-1", At: now}
	_, _, err := issuer.Transfer(t, req)
	fmt.Println(errors.Is(err, ticket.ErrConfirmation))

	// The host's identity check of 李四's document succeeded a minute ago.
	req.Confirmation = ticket.Confirmation{Index: exIndexer.Index(li.Document()), Method: "face",
		Reference: "kyc-0001", At: now.Add(-time.Minute)}
	nt, rec, err := issuer.Transfer(t, req)
	fmt.Println(err)
	fmt.Println(rec.From.Name, rec.From.Number, "→", rec.To.Name, rec.To.Number, rec.OldVersion, rec.NewVersion)

	var gate ticket.RevocationSet
	gate.Apply(&nt)
	min, _ := gate.LiveVersion(nt.Code)
	fmt.Println("codes below version", min, "revoked")
	// Output:
	// true
	// <nil>
	// 张* 110101**********3X → 李* 110105**********2X 1 2
	// codes below version 2 revoked
}

// A face cannot be built with an item of 6.2.1.2 missing.
func ExampleNewFace() {
	_, err := ticket.NewFace(ticket.FaceInput{SessionName: "春之声交响音乐会", Venue: "东城大剧院", Hall: "大剧场"})
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v.Field)
	}
	// Output:
	// ticketCode
	// date
	// startTime
	// area
	// seat
	// ticketType
	// ticketMode
	// platform.phone
	// platform.web
	// notice.purchase
	// notice.refund
}

// A gate verifies codes offline against the public key and its revocation list.
func ExampleVerifier_Verify() {
	t := exTicket()
	gate := check(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": exSigner.PublicKey()}))
	showtime := time.Date(2025, time.May, 20, 19, 15, 0, 0, wht93.CST)
	v1 := check(exSigner.Sign(check(ticket.CredentialOf(&t, t.IssuedAt))))

	t = check(t.Reissue(t.IssuedAt.Add(time.Hour))) // the buyer lost their phone
	v2 := check(exSigner.Sign(check(ticket.CredentialOf(&t, t.IssuedAt))))
	var revoked ticket.RevocationSet
	revoked.Apply(&t)

	_, err := gate.Verify(v1, showtime, &revoked)
	fmt.Println(err)
	c, err := gate.Verify(v2, showtime, &revoked)
	fmt.Println(c.Version, err)
	_, err = gate.Verify(v2[:len(v2)-1]+"A", showtime, &revoked)
	fmt.Println(errors.Is(err, ticket.ErrCredentialSignature) || errors.Is(err, ticket.ErrCredentialFormat))
	// Output:
	// version: 电子票凭证已被第 2 版取代 / the credential is superseded by version 2: "1"
	// 2 <nil>
	// true
}
