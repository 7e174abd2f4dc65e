package ticket_test

// The standard's test steps that concern tickets (Appendix E), replayed.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// E.1.2: the ticket code shown and the one stored follow 6.1.5 — the session code
// followed by an id unique in the session, at most 50 bytes.
func TestE1_2_TicketCode(t *testing.T) {
	s := evening(t)
	seat := must[codes.TicketCode](t)(codes.SeatTicketCode(s.Code, codes.Seat{Floor: 1, Area: 1, Row: 3, Number: 12}))
	seq := must[codes.TicketCode](t)(codes.SequenceTicketCode(s.Code, 42))
	rnd := must[codes.TicketCode](t)(codes.RandomTicketCode(s.Code, detRand(5)))
	for _, code := range []codes.TicketCode{seat, seq, rnd} {
		tk := must[ticket.Ticket](t)(issuer(t).Issue(&s, code, sale(t), at(10, 12, 0)))
		face := must[ticket.Face](t)(ticket.FaceOf(&tk, &s, platform, notice, ticket.MaskHolder(sale(t).Holder)))
		shown := face.Values()[ticket.VarTicketCode] // a) what the system shows
		var stored struct {
			TicketCode string `json:"ticketCode"`
		}
		js, _ := json.Marshal(tk) // b) what the database holds
		if err := json.Unmarshal(js, &stored); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{shown, stored.TicketCode} {
			if len(c) > 50 || !strings.HasPrefix(c, sessionCode) || len(c) <= len(sessionCode) {
				t.Fatalf("code %q breaks 6.1.5", c)
			}
			if p, err := codes.ParseTicketCode(c); err != nil || p != code {
				t.Fatalf("code %q: %v", c, err)
			}
		}
	}
	// No code of more than 50 bytes can be made.
	if _, err := codes.NewTicketCode(s.Code, strings.Repeat("X", 30)); !errors.Is(err, codes.ErrTicketLength) {
		t.Fatalf("51-byte code: %v", err)
	}
}

// E.1.3: a ticket sold shows every item of 6.2.1.2, as the session was created (c),
// and the record holds the same (d).
func TestE1_3_TicketInformation(t *testing.T) {
	s := evening(t) // a) the session, created and opened
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := s.CanSell(at(10, 12, 0)); err != nil {
		t.Fatal(err)
	}
	tk := issued(t)
	h := must[ticket.MaskedHolder](t)(tk.Holder.Masked(keyring(t), tk.Code))
	face := must[ticket.Face](t)(ticket.FaceOf(&tk, &s, platform, notice, h))
	// b) the platform information.
	if p := face.Platform(); p.Phone != "400-123-4567" || p.Web != "https://tickets.example.cn" {
		t.Fatalf("platform %+v", p)
	}
	// c) every item, as created.
	v := face.Values()
	want := map[string]string{
		ticket.VarTicketCode: tk.Code.String(), ticket.VarSessionName: s.Name, ticket.VarVenue: s.Venue,
		ticket.VarHall: s.Hall, ticket.VarDate: "2025-05-20", ticket.VarStartTime: "19:30",
		ticket.VarArea: "一层 A区", ticket.VarSeat: "3排 12号", ticket.VarPrice: "¥680.00",
		ticket.VarTicketType: "可售票", ticket.VarPlatformPhone: platform.Phone, ticket.VarPlatformWeb: platform.Web,
		ticket.VarPurchaseNotice: notice.Purchase, ticket.VarRefundNotice: notice.Refund,
	}
	for _, name := range ticket.RequiredVariables() {
		if v[name] == "" || v[name] != want[name] {
			t.Errorf("%s = %q, want %q", name, v[name], want[name])
		}
	}
	// d) the record, read back, gives the same face.
	js := must[[]byte](t)(json.Marshal(tk))
	var back ticket.Ticket
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	face2 := must[ticket.Face](t)(ticket.FaceOf(&back, &s, platform, notice, must[ticket.MaskedHolder](t)(back.Holder.Masked(keyring(t), back.Code))))
	if face2.String() != face.String() {
		t.Fatalf("record and face differ:\n%s\n%s", face2, face)
	}
}

// E.1.4: a paper ticket of a paper session prints (b), clear, correct and unique (c).
func TestE1_4_PaperTicket(t *testing.T) {
	s := evening(t)
	s.TicketModes = session.ModesOf(session.Paper) // a) 出票类型为实物票券
	x := sale(t)
	x.Mode, x.Delivery = session.Paper, ticket.Pickup
	tk := must[ticket.Ticket](t)(issuer(t).Issue(&s, ticketCode(t, "P1"), x, at(10, 12, 0)))
	collected := must[ticket.Ticket](t)(tk.Collect(tk.Fulfilment.PickupCode, at(20, 18, 0)))
	l := layout80()
	j := job(t, &s, &l, "")
	j.At = at(20, 18, 1)
	printed, out, err := printer(t).Print(collected, j) // b)
	if err != nil {
		t.Fatal(err)
	}
	// c) every item of the face is on the paper, and the paper has its serial.
	var doc struct {
		Text []struct {
			Chars string `xml:",chardata"`
			Spans []struct {
				Chars string `xml:",chardata"`
			} `xml:"tspan"`
		} `xml:"text"`
	}
	if err := xml.Unmarshal(out.SVG, &doc); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, tx := range doc.Text {
		all.WriteString(tx.Chars)
		for _, sp := range tx.Spans {
			all.WriteString(sp.Chars)
		}
	}
	for _, name := range ticket.RequiredVariables() {
		if val := out.Face.Values()[name]; !strings.Contains(all.String(), val) {
			t.Errorf("paper lacks %s %q", name, val)
		}
	}
	if err := printed.CheckPaper(out.Record.Serial, at(20, 19, 0)); err != nil {
		t.Fatal(err)
	}
	// Unique: one paper is valid; a reprint voids it; one record per ticket.
	j.Reason, j.At = "打印模糊", at(20, 18, 2)
	reprinted, out2, err := printer(t).Print(printed, j)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(reprinted.CheckPaper(out.Record.Serial, at(20, 19, 0)), ticket.ErrPaperSuperseded) ||
		reprinted.CheckPaper(out2.Record.Serial, at(20, 19, 0)) != nil {
		t.Fatal("two valid papers")
	}
	if vs := ticket.CheckUnique([]ticket.Ticket{reprinted}); len(vs) != 0 {
		t.Fatal(vs)
	}
}

// E.1.5: an e-ticket is correct and unique (b: one ticket, one live code,
// traceable to the ticket), no longer valid after the show (c), and one record (d).
func TestE1_5_ETicket(t *testing.T) {
	s := evening(t)
	s.TicketModes = session.ModesOf(session.Electronic) // a)
	tk := must[ticket.Ticket](t)(issuer(t).Issue(&s, ticketCode(t, "E1"), sale(t), at(10, 12, 0)))
	code := must[string](t)(signer(t).Sign(must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))))
	// b) the code verifies and names the ticket and its session.
	c, err := verifier(t).Verify(code, at(20, 19, 0), nil)
	if err != nil || c.Ticket != tk.Code || c.Session() != s.Code {
		t.Fatalf("%+v %v", c, err)
	}
	// One live code: a re-issued code supersedes it.
	re := must[ticket.Ticket](t)(tk.Reissue(at(15, 0, 0)))
	var rs ticket.RevocationSet
	rs.Apply(&re)
	if _, err := verifier(t).Verify(code, at(20, 19, 0), &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Fatalf("two live codes: %v", err)
	}
	code2 := must[string](t)(signer(t).Sign(must[ticket.Credential](t)(ticket.CredentialOf(&re, at(15, 0, 0)))))
	if _, err := verifier(t).Verify(code2, at(20, 19, 0), &rs); err != nil {
		t.Fatal(err)
	}
	// c) after the show ends, the e-ticket is no longer valid.
	if _, err := verifier(t).Verify(code2, s.End, &rs); !errors.Is(err, ticket.ErrCredentialExpired) {
		t.Fatalf("after the show: %v", err)
	}
	if re.Live(s.End) {
		t.Fatal("ticket live after the show")
	}
	// d) one purchase record for the one seat sold.
	if vs := ticket.CheckSold(ticket.Sold{Session: s.Code, Seats: []venue.Location{seatA}}, []ticket.Ticket{re}); len(vs) != 0 {
		t.Fatal(vs)
	}
}

// E.2.2.5: a face layout made with the session (a), edited — a new background,
// another font size and position (c) — and the paper printed after shows the edit
// (d).
func TestE2_2_5_FaceLayout(t *testing.T) {
	s := evening(t)
	l := layout80() // a)
	if err := l.Validate().Err(); err != nil {
		t.Fatal(err)
	}
	tk := issued(t)
	p1, out1, err := printer(t).Print(tk, job(t, &s, &l, ""))
	if err != nil {
		t.Fatal(err)
	}
	edited := l.Clone() // c)
	edited.Pages[0].Background = ticket.Image{Href: "https://cdn.example.cn/faces/spring-v2.png", Width: 800, Height: 2000}
	edited.Pages[0].Fields[0].FontSize = 18
	edited.Pages[0].Fields[0].Y = 15
	j := job(t, &s, &edited, "票面已修改，重新打印")
	j.At = at(11, 10, 0)
	_, out2, err := printer(t).Print(p1, j) // d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out2.SVG, []byte(`href="https://cdn.example.cn/faces/spring-v2.png"`)) ||
		!bytes.Contains(out2.SVG, []byte(`<text x="40" y="15" font-size="6.35" font-weight="bold" text-anchor="middle"`)) {
		t.Fatalf("edit not on the paper:\n%s", out2.SVG)
	}
	if bytes.Contains(out2.SVG, []byte("spring-80x200.png")) || !bytes.Contains(out1.SVG, []byte("spring-80x200.png")) {
		t.Fatal("old background")
	}
}

// E.2.4: 一单一证 (a), a ticket bought with an ID card (b), the record holds it (c),
// transferred only once the recipient's identity is confirmed (d), the record then
// holds the new holder (e).
func TestE2_4_RealNameTransfer(t *testing.T) {
	s := evening(t)
	s.RealName = realname.ModePerOrder // a)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	zhang := holder(t, "张三", idZhang)
	if vs := s.RealName.CheckOrder(zhang.Document(), []realname.Document{zhang.Document()}); len(vs) != 0 {
		t.Fatal(vs) // b) the ID card verifies
	}
	tk := must[ticket.Ticket](t)(issuer(t).Issue(&s, ticketCode(t, "R1"), sale(t), at(10, 12, 0)))
	// c) one record, holding the ID (sealed, indexed).
	if tk.Holder.DocType != realname.TypeResidentID || tk.Holder.Index != indexer(t).Index(zhang.Document()) {
		t.Fatal("the record lacks the ID")
	}
	// d) the recipient claims it: refused without identity confirmation …
	req := transferTo(t)
	req.Confirmation = ticket.Confirmation{}
	if _, _, err := issuer(t).Transfer(tk, req); !errors.Is(err, ticket.ErrConfirmation) {
		t.Fatalf("unconfirmed transfer: %v", err)
	}
	// … done once confirmed.
	nt, rec, err := issuer(t).Transfer(tk, transferTo(t))
	if err != nil {
		t.Fatal(err)
	}
	// e) one record, with the right holder.
	h := must[realname.Holder](t)(nt.Holder.Open(keyring(t), nt.Code, today))
	if h.Name() != "李四" || h.Document().Number() != idLi || rec.To.Name != "李*" || nt.Code != tk.Code {
		t.Fatalf("holder after transfer: %v", h)
	}
	if vs := ticket.CheckUnique([]ticket.Ticket{nt}); len(vs) != 0 {
		t.Fatal(vs)
	}
}

// E.2.6: a real-name e-ticket session (a); the e-ticket printed from its digital
// code, the paper not showing the whole name and ID number (b).
func TestE2_6_PrintETicket(t *testing.T) {
	s := evening(t)
	s.TicketModes = session.ModesOf(session.Electronic) // a)
	tk := issued(t)
	code := must[string](t)(signer(t).Sign(must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))))
	// b) the box office scans the e-ticket's code and finds the ticket by it.
	c, err := verifier(t).Verify(code, at(11, 9, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	records := map[codes.TicketCode]ticket.Ticket{tk.Code: tk}
	found := records[c.Ticket]
	l := layout80()
	_, out, err := printer(t).Print(found, job(t, &s, &l, ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"张三", idZhang, "0307803"} {
		if bytes.Contains(out.SVG, []byte(leak)) {
			t.Fatalf("paper shows %q", leak)
		}
	}
	if !bytes.Contains(out.SVG, []byte("张*")) || !bytes.Contains(out.SVG, []byte("110101**********3X")) {
		t.Fatal("paper lacks the masked holder")
	}
}
