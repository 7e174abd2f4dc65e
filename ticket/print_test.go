package ticket_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
)

func TestPrintAndReprint(t *testing.T) {
	tk := issued(t)
	if _, _, err := ticket.Print(tk, "", at(11, 9, 0), ""); !errors.Is(err, ticket.ErrText) {
		t.Fatalf("print without operator: %v", err)
	}
	p1, r1, err := ticket.Print(tk, "box-office-1", at(11, 9, 0), "")
	if err != nil {
		t.Fatal(err)
	}
	if r1.N != 1 || r1.Reprint() || r1.Serial != 2 || r1.Supersedes != 0 || p1.Prints != 1 || p1.PaperSerial != 2 || p1.Version != 2 {
		t.Fatalf("first print %+v, ticket v%d paper %d", r1, p1.Version, p1.PaperSerial)
	}
	if err := p1.CheckPaper(2, at(11, 10, 0)); err != nil {
		t.Fatal(err)
	}
	// A reprint needs a reason.
	if _, _, err := ticket.Print(p1, "box-office-1", at(11, 9, 5), ""); !errors.Is(err, ticket.ErrText) {
		t.Fatalf("reprint without reason: %v", err)
	}
	p2, r2, err := ticket.Print(p1, "box-office-2", at(11, 9, 5), "卡纸，打印错误")
	if err != nil {
		t.Fatal(err)
	}
	if r2.N != 2 || !r2.Reprint() || r2.Serial != 3 || r2.Supersedes != 2 || r2.By != "box-office-2" || r2.Reason != "卡纸，打印错误" {
		t.Fatalf("reprint record %+v", r2)
	}
	// The earlier paper is void, the new one valid.
	if err := p2.CheckPaper(2, at(11, 10, 0)); !errors.Is(err, ticket.ErrPaperSuperseded) {
		t.Fatalf("old paper: %v", err)
	}
	if err := p2.CheckPaper(3, at(11, 10, 0)); err != nil {
		t.Fatal(err)
	}
	if err := p2.CheckPaper(3, at(20, 21, 30)); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("paper after the show: %v", err)
	}
	// A re-issue voids the paper too.
	re := must[ticket.Ticket](t)(p2.Reissue(at(12, 0, 0)))
	if err := re.CheckPaper(3, at(12, 0, 1)); !errors.Is(err, ticket.ErrPaperSuperseded) || re.Validate() != nil {
		t.Fatalf("paper after re-issue: %v", err)
	}
	if v := r2.Values(); v[ticket.VarPrintNo] != "2" || v[ticket.VarPrintSerial] != "3" || v[ticket.VarPrintedAt] != "2025-05-11 09:05" {
		t.Fatalf("values %v", v)
	}
	// Nothing prints once the ticket is refunded.
	ref := must[ticket.Ticket](t)(p2.Refund(at(12, 0, 0), "退票"))
	if _, _, err := ticket.Print(ref, "box-office-1", at(12, 1, 0), "补打"); !errors.Is(err, ticket.ErrNotLive) {
		t.Fatalf("print a refunded ticket: %v", err)
	}
}

func printer(t testing.TB) *ticket.Printer {
	return must[*ticket.Printer](t)(ticket.NewPrinter(signer(t), keyring(t)))
}

func job(t testing.TB, s *session.Session, l *ticket.Layout, reason string) ticket.PrintJob {
	return ticket.PrintJob{Session: s, Platform: platform, Notice: notice, Layout: l, Size: "80x200",
		By: "box-office-1", At: at(11, 9, 0), Reason: reason}
}

func TestPrinter(t *testing.T) {
	s := evening(t)
	l := layout80()
	tk := issued(t)
	eCode := must[string](t)(signer(t).Sign(must[ticket.Credential](t)(ticket.CredentialOf(&tk, at(10, 12, 0)))))

	p1, out, err := printer(t).Print(tk, job(t, &s, &l, ""))
	if err != nil {
		t.Fatal(err)
	}
	// The face is masked: the whole name and number appear nowhere.
	for _, leak := range []string{"张三", idZhang, "19900307"} {
		if bytes.Contains(out.SVG, []byte(leak)) || strings.Contains(out.Face.String(), leak) {
			t.Fatalf("printed face reveals %q", leak)
		}
	}
	if !bytes.Contains(out.SVG, []byte("持票人：张* 110101**********3X")) || !bytes.Contains(out.SVG, []byte("第1次打印")) {
		t.Fatalf("svg:\n%s", out.SVG)
	}
	// The paper's code is the live one; the e-ticket's is superseded.
	var rs ticket.RevocationSet
	rs.Apply(&p1)
	c, err := verifier(t).Verify(out.Credential, at(20, 19, 0), &rs)
	if err != nil || c.Version != out.Record.Serial {
		t.Fatalf("paper credential: %v", err)
	}
	if _, err := verifier(t).Verify(eCode, at(20, 19, 0), &rs); !errors.Is(err, ticket.ErrCredentialRevoked) {
		t.Fatalf("e-ticket code after printing: %v", err)
	}
	// A failed print changes nothing: a layout missing a required item.
	bad := l.Clone()
	bad.Pages[0].Fields = bad.Pages[0].Fields[1:]
	same, _, err := printer(t).Print(p1, job(t, &s, &bad, "重打"))
	if !errors.Is(err, ticket.ErrLayoutMissing) || same.Version != p1.Version || same.Prints != 1 {
		t.Fatalf("failed print: %v, v%d", err, same.Version)
	}
	// Without the keyring the holder cannot be masked, and nothing prints.
	noKey := must[*ticket.Printer](t)(ticket.NewPrinter(signer(t), nil))
	if _, _, err := noKey.Print(p1, job(t, &s, &l, "重打")); err == nil {
		t.Fatal("printed a real-name ticket without the keyring")
	}
	if _, err := ticket.NewPrinter(nil, nil); !errors.Is(err, ticket.ErrSigningKey) {
		t.Fatal(err)
	}
}
