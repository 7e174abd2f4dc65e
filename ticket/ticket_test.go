package ticket_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

func TestIssue(t *testing.T) {
	s := evening(t)
	tk, err := issuer(t).Issue(&s, ticketCode(t, "T0001"), sale(t), at(10, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != ticket.Valid || tk.Version != 1 || tk.NotAfter != s.End || tk.Session() != s.Code ||
		tk.SessionID != "sess-1" || tk.Price != wht93.Yuan(680) || tk.Tier != "A" || tk.Seat != seatA ||
		tk.RealName != realname.ModePerTicket || tk.Fulfilment.Method != ticket.Electronic {
		t.Fatalf("issued %+v", tk)
	}
	if err := tk.Validate(); err != nil {
		t.Fatal(err)
	}
	// The holder is sealed: no personal data in the record, in JSON or in %v.
	js, _ := json.Marshal(tk)
	for _, leak := range []string{"张三", idZhang, "1990"} {
		if strings.Contains(string(js), leak) {
			t.Fatalf("record reveals %q: %s", leak, js)
		}
	}
	if tk.Holder.Index != indexer(t).Index(sale(t).Holder.Document()) || tk.Holder.DocType != realname.TypeResidentID {
		t.Fatal("holder index or type")
	}
	m, err := tk.Holder.Masked(keyring(t), tk.Code)
	if err != nil || m.Name != "张*" || m.Number != "110101**********3X" {
		t.Fatalf("masked %+v %v", m, err)
	}
	h, err := tk.Holder.Open(keyring(t), tk.Code, today)
	if err != nil || h.Name() != "张三" || h.Document().Number() != idZhang {
		t.Fatalf("open %v %v", h, err)
	}
	// The ciphertext belongs to this ticket: another code does not open it.
	if _, err := tk.Holder.Masked(keyring(t), ticketCode(t, "T0002")); !errors.Is(err, realname.ErrDecrypt) {
		t.Fatalf("other ticket: %v", err)
	}
	// A stored record reads back equal.
	var back ticket.Ticket
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil || back.Code != tk.Code || back.Holder.Index != tk.Holder.Index || !back.IssuedAt.Equal(tk.IssuedAt) {
		t.Fatalf("round trip %+v %v", back, err)
	}
}

func TestIssueUnseatedPickupCourier(t *testing.T) {
	s := standing(t)
	is := issuer(t)
	pick, err := is.Issue(&s, ticketCode(t, "U1"), ticket.Sale{Tier: "站席", Price: wht93.Yuan(180), Type: ticket.Sellable,
		Mode: session.Paper, Delivery: ticket.Pickup}, at(10, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if pick.Seated() || pick.SeatLabel() != "无座" || len(pick.Fulfilment.PickupCode) != 12 || pick.Holder.IsZero() == false {
		t.Fatalf("pickup ticket %+v", pick)
	}
	if err := pick.Validate(); err != nil {
		t.Fatal(err)
	}
	addr := ticket.Address{Name: "李四", Phone: "13812345678", Address: "北京市东城区东长安街1号"}
	cour, err := is.Issue(&s, ticketCode(t, "U2"), ticket.Sale{Tier: "站席", Price: wht93.Yuan(180), Type: ticket.Complimentary,
		Mode: session.Paper, Delivery: ticket.Courier, Address: addr}, at(10, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	got, err := cour.Fulfilment.Courier.Open(keyring(t), cour.Code)
	if err != nil || got != addr {
		t.Fatalf("courier address %v %v", got, err)
	}
	js, _ := json.Marshal(cour)
	if strings.Contains(string(js), "13812345678") || strings.Contains(string(js), "李四") {
		t.Fatal("courier address in clear")
	}
	if addr.String() != "李* 138****5678 北京市东城区****" {
		t.Fatalf("masked address %q", addr.String())
	}
	shipped, err := cour.Ship("顺丰速运", "SF1234567890", at(11, 9, 0))
	if err != nil || shipped.Fulfilment.Tracking != "SF1234567890" {
		t.Fatalf("ship %v", err)
	}
	if _, err := pick.Ship("顺丰速运", "SF1", at(11, 9, 0)); !errors.Is(err, ticket.ErrFulfilment) {
		t.Fatalf("ship a pick-up ticket: %v", err)
	}
}

func TestIssueViolations(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*session.Session, *ticket.Sale)
		code   string
		rule   *wht93.Rule
		fields []string
	}{
		{"cancelled", func(s *session.Session, _ *ticket.Sale) { s.Cancelled = true }, "T1", ticket.ErrSession, []string{"sessionStatus"}},
		{"code of another session", nil, "110101001012025052002T1", ticket.ErrCode, []string{"ticketCode"}},
		{"seated without seat", func(_ *session.Session, x *ticket.Sale) { x.Seat = venue.Location{} }, "T1", ticket.ErrSeat, []string{"seat"}},
		{"seat incomplete", func(_ *session.Session, x *ticket.Sale) { x.Seat.Row = "" }, "T1", venue.ErrNameEmpty, []string{"seat.row"}},
		{"unseated with seat", func(s *session.Session, _ *ticket.Sale) { s.Seated = false }, "T1", ticket.ErrSeat, []string{"seat"}},
		{"negative price", func(_ *session.Session, x *ticket.Sale) { x.Price = -1 }, "T1", ticket.ErrPrice, []string{"price"}},
		{"bad type", func(_ *session.Session, x *ticket.Sale) { x.Type = 4 }, "T1", ticket.ErrType, []string{"ticketType"}},
		{"mode not issued", func(s *session.Session, _ *ticket.Sale) { s.TicketModes = session.ModesOf(session.Paper) }, "T1", ticket.ErrMode, []string{"ticketMode"}},
		{"real-name without holder", func(_ *session.Session, x *ticket.Sale) { x.Holder = realname.Holder{} }, "T1", ticket.ErrHolder, []string{"holder"}},
		{"e-delivery of paper", func(_ *session.Session, x *ticket.Sale) { x.Mode = session.Paper }, "T1", ticket.ErrFulfilment, []string{"delivery"}},
		{"courier of e-ticket", func(_ *session.Session, x *ticket.Sale) { x.Delivery = ticket.Courier }, "T1", ticket.ErrFulfilment, []string{"delivery"}},
		{"courier without address", func(_ *session.Session, x *ticket.Sale) { x.Mode, x.Delivery = session.Paper, ticket.Courier }, "T1", ticket.ErrText, []string{"address.name", "address.phone", "address.address"}},
		{"address without courier", func(_ *session.Session, x *ticket.Sale) { x.Address.Name = "李四" }, "T1", ticket.ErrFulfilment, []string{"address"}},
		{"no tier", func(_ *session.Session, x *ticket.Sale) { x.Tier = "" }, "T1", ticket.ErrText, []string{"tier"}},
		{"after the end", func(s *session.Session, _ *ticket.Sale) { s.End = at(10, 12, 0); s.Start = at(10, 11, 0) }, "T1", ticket.ErrSession, []string{"at"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, x := evening(t), sale(t)
			if tc.edit != nil {
				tc.edit(&s, &x)
			}
			code := ticketCode(t, "T1")
			if tc.code != "T1" {
				code = parseTicket(t, tc.code)
			}
			tk, err := issuer(t).Issue(&s, code, x, at(10, 12, 0))
			if err == nil || !tk.Code.IsZero() {
				t.Fatalf("issued %v", tk.Code)
			}
			isRule(t, err, tc.rule)
			if got := fields(err); !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
	// A session whose code is not issued yet.
	s := evening(t)
	s.Code = zeroSession
	if _, err := issuer(t).Issue(&s, ticketCode(t, "T1"), sale(t), at(10, 12, 0)); !errors.Is(err, ticket.ErrSession) {
		t.Fatalf("no session code: %v", err)
	}
	// A failing random source is reported, not papered over.
	is := must[*ticket.Issuer](t)(ticket.NewIssuer(keyring(t), indexer(t), iotest.ErrReader(errors.New("entropy"))))
	x := sale(t)
	x.Delivery = ticket.Pickup
	es := evening(t)
	if _, err := is.Issue(&es, ticketCode(t, "T1"), x, at(10, 12, 0)); err == nil || !strings.Contains(err.Error(), "entropy") {
		t.Fatalf("rand error: %v", err)
	}
	if _, err := ticket.NewIssuer(nil, nil, nil); len(wht93.ViolationsOf(err)) != 3 {
		t.Fatalf("NewIssuer(nil…): %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	tk := issued(t)
	if !tk.Live(at(20, 21, 29)) || tk.Live(at(20, 21, 30)) {
		t.Fatal("live until the end of the session")
	}
	isRule(t, tk.CheckLive(at(20, 21, 30)), ticket.ErrNotLive)

	re, err := tk.Reissue(at(11, 0, 0))
	if err != nil || re.Version != 2 || tk.Version != 1 {
		t.Fatalf("reissue %d %v", re.Version, err)
	}
	if _, err := tk.Reissue(at(21, 0, 0)); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("reissue after the show: %v", err)
	}
	if _, err := tk.Refund(at(11, 0, 0), ""); !errors.Is(err, ticket.ErrText) {
		t.Fatalf("refund without reason: %v", err)
	}
	ref, err := tk.Refund(at(11, 0, 0), "观众申请退票")
	if err != nil || ref.Status != ticket.Refunded || ref.Live(at(11, 1, 0)) || ref.Validate() != nil {
		t.Fatalf("refund %+v %v", ref, err)
	}
	if _, err := ref.Void(at(11, 0, 0), "重复"); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("void a refunded ticket: %v", err)
	}
	if _, err := ref.Reissue(at(11, 0, 0)); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("reissue a refunded ticket: %v", err)
	}
	v, err := tk.Void(at(11, 0, 0), "出票错误")
	if err != nil || v.Status != ticket.Void || v.Status.Zh() != "已作废" {
		t.Fatalf("void %v", err)
	}
}

func TestCollect(t *testing.T) {
	s := standing(t)
	tk := must[ticket.Ticket](t)(issuer(t).Issue(&s, ticketCode(t, "U1"), ticket.Sale{Tier: "站席", Price: 100,
		Type: ticket.Sellable, Mode: session.Paper, Delivery: ticket.Pickup}, at(10, 12, 0)))
	code := tk.Fulfilment.PickupCode
	wrong := []byte(code)
	wrong[0] = '0' + (wrong[0]-'0'+1)%10
	if _, err := tk.Collect(string(wrong), at(20, 18, 0)); !errors.Is(err, ticket.ErrPickupCode) || strings.Contains(err.Error(), string(wrong)) {
		t.Fatalf("wrong code: %v", err)
	}
	got, err := tk.Collect(code, at(20, 18, 0))
	if err != nil || !got.Fulfilment.CollectedAt.Equal(at(20, 18, 0)) {
		t.Fatalf("collect: %v", err)
	}
	if _, err := got.Collect(code, at(20, 18, 1)); !errors.Is(err, ticket.ErrPickupCode) {
		t.Fatalf("collected twice: %v", err)
	}
}

func TestNewPickupCodeUniform(t *testing.T) {
	// Every digit position sees every digit: no constant or truncated position.
	r := detRand(3)
	var seen [12][10]bool
	for range 500 {
		c, err := ticket.NewPickupCode(r)
		if err != nil || len(c) != 12 {
			t.Fatalf("%q %v", c, err)
		}
		for i := range 12 {
			seen[i][c[i]-'0'] = true
		}
	}
	for i := range seen {
		for d, ok := range seen[i] {
			if !ok {
				t.Fatalf("digit %d never at position %d", d, i)
			}
		}
	}
}

func TestValidateRecord(t *testing.T) {
	good := issued(t)
	tests := []struct {
		name string
		edit func(*ticket.Ticket)
		rule *wht93.Rule
	}{
		{"no code", func(x *ticket.Ticket) { x.Code = zeroTicket }, ticket.ErrCode},
		{"status", func(x *ticket.Ticket) { x.Status = 9 }, ticket.ErrStatus},
		{"refunded without time", func(x *ticket.Ticket) { x.Status = ticket.Refunded }, ticket.ErrTime},
		{"version 0", func(x *ticket.Ticket) { x.Version = 0 }, ticket.ErrVersion},
		{"paper serial ahead", func(x *ticket.Ticket) { x.PaperSerial = 5; x.Prints = 1 }, ticket.ErrVersion},
		{"serial without print", func(x *ticket.Ticket) { x.PaperSerial = 1 }, ticket.ErrVersion},
		{"holder lost", func(x *ticket.Ticket) { x.Holder = ticket.SealedHolder{} }, ticket.ErrHolder},
		{"mode", func(x *ticket.Ticket) { x.Mode = 0 }, ticket.ErrMode},
		{"fulfilment", func(x *ticket.Ticket) { x.Fulfilment.Method = ticket.Pickup }, ticket.ErrFulfilment},
		{"validity", func(x *ticket.Ticket) { x.NotAfter = x.IssuedAt }, ticket.ErrTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := good
			tc.edit(&x)
			isRule(t, x.Validate(), tc.rule)
		})
	}
}
