package ticket_test

import (
	"errors"
	"math"
	"testing"

	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
)

func TestEnumNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{ticket.Sellable.String(), "sellable"}, {ticket.Staff.String(), "staff"}, {ticket.Complimentary.String(), "complimentary"},
		{ticket.Type(9).String(), "Type(9)"},
		{ticket.Sellable.Zh(), "可售票"}, {ticket.Staff.Zh(), "工作票"}, {ticket.Complimentary.Zh(), "赠票"},
		{ticket.Valid.String(), "valid"}, {ticket.Refunded.String(), "refunded"}, {ticket.Void.String(), "void"},
		{ticket.Status(0).String(), "Status(0)"},
		{ticket.Valid.Zh(), "有效"}, {ticket.Refunded.Zh(), "已退票"}, {ticket.Void.Zh(), "已作废"},
		{ticket.Electronic.String(), "electronic"}, {ticket.Pickup.String(), "pickup"}, {ticket.Courier.String(), "courier"},
		{ticket.Method(0).String(), "Method(0)"},
		{ticket.Electronic.Zh(), "电子票"}, {ticket.Pickup.Zh(), "取票凭证"}, {ticket.Courier.Zh(), "快递"},
		{ticket.AlignStart.String(), "start"}, {ticket.AlignMiddle.String(), "middle"}, {ticket.AlignEnd.String(), "end"},
		{ticket.Align(5).String(), "Align(5)"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if _, err := ticket.Align(5).MarshalText(); !errors.Is(err, ticket.ErrLayoutField) {
		t.Error("invalid Align marshalled")
	}
}

func TestFaceAccessors(t *testing.T) {
	in := faceInput(t)
	in.RealName = realname.ModePerTicket
	in.Holder = ticket.MaskHolder(holder(t, "张三", idZhang))
	in.Extra = []ticket.Line{{Label: "入口", Text: "东门"}}
	f := must[ticket.Face](t)(ticket.NewFace(in))
	in.Extra[0].Text = "西门" // the face keeps its own copy
	if f.Ticket() != in.Ticket || f.SessionName() != in.SessionName || f.Venue() != in.Venue || f.Hall() != in.Hall ||
		f.Date() != in.Date || !f.Start().Equal(in.Start) || f.Price() != in.Price || f.Type() != ticket.Sellable ||
		f.Mode() != session.Electronic || f.Notice() != notice || f.Holder() != in.Holder || f.Extra()[0].Text != "东门" {
		t.Fatalf("accessors %+v", f)
	}
	lines := f.Lines()
	if last := lines[len(lines)-1]; last != (ticket.Line{Label: "入口", Text: "东门"}) {
		t.Fatalf("last line %+v", last)
	}
	if (ticket.MaskHolder(realname.Holder{})) != (ticket.MaskedHolder{}) {
		t.Fatal("MaskHolder of no one")
	}
}

func TestSealErrors(t *testing.T) {
	code := ticketCode(t, "T1")
	if _, err := ticket.Seal(keyring(t), indexer(t), code, realname.Holder{}); !errors.Is(err, ticket.ErrHolder) {
		t.Fatalf("zero holder: %v", err)
	}
	if _, err := ticket.Seal(nil, indexer(t), code, holder(t, "张三", idZhang)); !errors.Is(err, realname.ErrKey) {
		t.Fatalf("no keyring: %v", err)
	}
	s := must[ticket.SealedHolder](t)(ticket.Seal(keyring(t), indexer(t), code, holder(t, "张三", idZhang)))
	if _, err := s.Masked(nil, code); !errors.Is(err, realname.ErrKey) {
		t.Fatalf("mask without keyring: %v", err)
	}
	if _, err := (ticket.SealedHolder{}).Open(keyring(t), code, today); !errors.Is(err, ticket.ErrHolder) {
		t.Fatalf("open no holder: %v", err)
	}
	// A changed index no longer opens the ciphertext: they are bound together.
	s.Index[0] ^= 1
	if _, err := s.Masked(keyring(t), code); !errors.Is(err, realname.ErrDecrypt) {
		t.Fatalf("index swapped: %v", err)
	}
	// Another key ring cannot read it.
	other := must[*realname.Keyring](t)(realname.NewKeyring(detRand(1), "k2", map[string][]byte{"k2": make([]byte, 32)}))
	s.Index[0] ^= 1
	if _, err := s.Open(other, code, today); !errors.Is(err, realname.ErrKeyUnknown) {
		t.Fatalf("other keyring: %v", err)
	}
	if _, err := (ticket.SealedAddress{}).Open(keyring(t), code); !errors.Is(err, ticket.ErrFulfilment) {
		t.Fatalf("no address: %v", err)
	}
}

func TestVersionExhausted(t *testing.T) {
	tk := issued(t)
	tk.Version = math.MaxUint32
	if _, err := tk.Reissue(at(11, 0, 0)); !errors.Is(err, ticket.ErrVersion) {
		t.Fatalf("reissue: %v", err)
	}
	if _, _, err := ticket.Print(tk, "box-office-1", at(11, 0, 0), ""); !errors.Is(err, ticket.ErrVersion) {
		t.Fatalf("print: %v", err)
	}
}
