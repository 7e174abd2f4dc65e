package ticket_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
)

// transferTo returns a request to transfer a ticket to 李四, confirmed five minutes
// before, under the session's limits.
func transferTo(t testing.TB) ticket.TransferRequest {
	li := holder(t, "李四", idLi)
	return ticket.TransferRequest{
		Recipient: li,
		Confirmation: ticket.Confirmation{Index: indexer(t).Index(li.Document()), Method: "face",
			Reference: "verify-20250512-0001", At: at(12, 9, 55)},
		ToAccount: "buyer-2",
		Held:      0,
		Limits:    evening(t).Limits,
		By:        "buyer-1",
		At:        at(12, 10, 0),
	}
}

func TestTransfer(t *testing.T) {
	is := issuer(t)
	tk := issued(t)
	nt, rec, err := is.Transfer(tk, transferTo(t))
	if err != nil {
		t.Fatal(err)
	}
	if nt.Version != 2 || nt.Transfers != 1 || nt.HolderID != "buyer-2" || nt.BuyerID != "buyer-1" || nt.Code != tk.Code {
		t.Fatalf("transferred %+v", nt)
	}
	h := must[realname.Holder](t)(nt.Holder.Open(keyring(t), nt.Code, today))
	if h.Name() != "李四" || h.Document().Number() != idLi {
		t.Fatalf("new holder %v", h)
	}
	want := ticket.TransferRecord{
		Ticket: tk.Code, N: 1,
		From:      ticket.MaskedHolder{Name: "张*", DocType: realname.TypeResidentID, Number: "110101**********3X"},
		To:        ticket.MaskedHolder{Name: "李*", DocType: realname.TypeResidentID, Number: "110105**********2X"},
		FromIndex: tk.Holder.Index, ToIndex: nt.Holder.Index, FromAccount: "buyer-1", ToAccount: "buyer-2",
		Method: "face", Reference: "verify-20250512-0001", ConfirmedAt: at(12, 9, 55),
		OldVersion: 1, NewVersion: 2, By: "buyer-1", At: at(12, 10, 0),
	}
	if rec != want {
		t.Fatalf("record\n%+v\nwant\n%+v", rec, want)
	}
	// The old holder's code is revoked at the gate.
	var rs ticket.RevocationSet
	rs.Apply(&nt)
	old := must[string](t)(signer(t).Sign(must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))))
	if _, err := verifier(t).Verify(old, at(20, 19, 0), &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Fatalf("old credential: %v", err)
	}
	// Back to 张三, with a fresh confirmation: the second transfer.
	back := transferTo(t)
	back.Recipient = holder(t, "张三", idZhang)
	back.Confirmation.Index = indexer(t).Index(back.Recipient.Document())
	back.By, back.ToAccount = "buyer-2", "buyer-1"
	back.At, back.Confirmation.At = at(13, 8, 0), at(13, 7, 59)
	nt2, rec2, err := is.Transfer(nt, back)
	if err != nil || rec2.N != 2 || rec2.FromAccount != "buyer-2" || nt2.Version != 3 {
		t.Fatalf("second transfer %+v %v", rec2, err)
	}
}

func TestTransferRefused(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ticket.TransferRequest)
		rule   *wht93.Rule
		fields []string
	}{
		{"no recipient", func(r *ticket.TransferRequest) { r.Recipient = realname.Holder{} }, realname.ErrDocumentRequired, []string{"recipient.document"}},
		{"to the holder", func(r *ticket.TransferRequest) {
			r.Recipient = holder(t, "张三", idZhang)
			r.Confirmation.Index = indexer(t).Index(r.Recipient.Document())
		}, realname.ErrTransferSameHolder, []string{"recipient.document"}},
		{"not confirmed", func(r *ticket.TransferRequest) { r.Confirmation = ticket.Confirmation{} }, ticket.ErrConfirmation, []string{"confirmation"}},
		{"confirmed another document", func(r *ticket.TransferRequest) {
			r.Confirmation.Index = indexer(t).Index(holder(t, "王五", idWang).Document())
		}, ticket.ErrConfirmation, []string{"confirmation.index"}},
		{"confirmation stale", func(r *ticket.TransferRequest) { r.Confirmation.At = at(12, 9, 29) }, ticket.ErrConfirmation, []string{"confirmation.at"}},
		{"confirmation later", func(r *ticket.TransferRequest) { r.Confirmation.At = at(12, 10, 1) }, ticket.ErrConfirmation, []string{"confirmation.at"}},
		{"confirmation without reference", func(r *ticket.TransferRequest) { r.Confirmation.Reference = "" }, ticket.ErrText, []string{"confirmation.reference"}},
		{"recipient at the per-ID limit", func(r *ticket.TransferRequest) { r.Held = 2 }, session.ErrLimitPerID, []string{"recipient.ids[0]"}},
		{"negative count", func(r *ticket.TransferRequest) { r.Held = -1 }, session.ErrOrderSize, []string{"held"}},
		{"no operator", func(r *ticket.TransferRequest) { r.By = "" }, ticket.ErrText, []string{"by"}},
		{"after the show", func(r *ticket.TransferRequest) { r.At = at(20, 21, 30); r.Confirmation.At = r.At }, ticket.ErrNotLive, []string{"notAfter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := issued(t)
			req := transferTo(t)
			tc.edit(&req)
			nt, rec, err := issuer(t).Transfer(tk, req)
			isRule(t, err, tc.rule)
			if got := fields(err); !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tc.fields, err)
			}
			if nt.Version != tk.Version || nt.Holder.Index != tk.Holder.Index || rec != (ticket.TransferRecord{}) {
				t.Fatal("a refused transfer changed the ticket")
			}
			for _, leak := range []string{idZhang, idLi, idWang, "张三", "李四", "王五"} {
				if strings.Contains(err.Error(), leak) {
					t.Fatalf("error reveals %q: %v", leak, err)
				}
			}
		})
	}
	// Held 1 with PerID 2: the recipient may take this one.
	req := transferTo(t)
	req.Held = 1
	if _, _, err := issuer(t).Transfer(issued(t), req); err != nil {
		t.Fatal(err)
	}
}

// A ticket that is not real-name goes to another account without a document.
func TestTransferNotRealName(t *testing.T) {
	s := standing(t)
	is := issuer(t)
	tk := must[ticket.Ticket](t)(is.Issue(&s, ticketCode(t, "U1"), ticket.Sale{BuyerID: "buyer-1", Tier: "站席", Price: 100,
		Type: ticket.Sellable, Mode: session.Electronic, Delivery: ticket.Electronic}, at(10, 12, 0)))
	if _, _, err := is.Transfer(tk, ticket.TransferRequest{By: "buyer-1", At: at(12, 0, 0)}); !errors.Is(err, ticket.ErrText) {
		t.Fatalf("no recipient account: %v", err)
	}
	nt, rec, err := is.Transfer(tk, ticket.TransferRequest{ToAccount: "buyer-9", By: "buyer-1", At: at(12, 0, 0)})
	if err != nil || nt.HolderID != "buyer-9" || rec.FromAccount != "buyer-1" || rec.Method != "" || nt.Version != 2 {
		t.Fatalf("%+v %v", rec, err)
	}
}
