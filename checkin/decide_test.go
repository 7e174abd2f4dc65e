package checkin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/ticket"
)

// TestDecideReasons runs one scan per reason through Enter and Decide and
// checks the rule, the messages and that nothing was counted: with passes
// that record their codes' digests (the signature of a recorded code is not
// checked again) and without.
func TestDecideReasons(t *testing.T) {
	for _, digests := range []bool{false, true} {
		t.Run(map[bool]string{false: "signatures", true: "digests"}[digests], func(t *testing.T) {
			testDecideReasons(t, digests)
		})
	}
}

func testDecideReasons(t *testing.T, digests bool) {
	w := newWorld(t)
	w.digests = digests
	doors := at(20, 19, 0)
	_, good := w.issue(&w.sess, idZhang)
	refunded, refCred := w.issue(&w.sess, idZhang)
	refunded = must[ticket.Ticket](t)(refunded.Refund(at(15, 10, 0), "观众申请退票"))
	w.put(&refunded)
	void, voidCred := w.issue(&w.sess, idZhang)
	void = must[ticket.Ticket](t)(void.Void(at(15, 10, 0), "出票错误"))
	w.put(&void)
	re, oldCred := w.issue(&w.sess, idZhang)
	re = must[ticket.Ticket](t)(re.Reissue(at(15, 10, 0)))
	w.put(&re)
	_, otherCred := w.issue(&w.other, idZhang)
	_, unlistedCred := w.mint(&w.sess, idZhang)
	forged, tampered := w.forgeries(good)

	lastEntry := checkin.Rules{LastEntry: 30 * time.Minute}
	qrOnly := checkin.Rules{Methods: checkin.MethodsOf(checkin.QR)}
	ptid := checkin.Rules{PersonTicketID: true}
	zhang, li := w.holder(idZhang), w.holder(idLi)

	cases := []struct {
		name  string
		rules checkin.Rules
		scan  checkin.Scan
		want  *wht93.Rule // nil: accepted
	}{
		{"accepted", checkin.Rules{}, qr("s", good, doors), nil},
		{"no gate", checkin.Rules{}, func() checkin.Scan { s := qr("s", good, doors); s.Gate = ""; return s }(), checkin.ErrScan},
		{"no id", checkin.Rules{}, qr("", good, doors), checkin.ErrScan},
		{"no code", checkin.Rules{}, qr("s", "", doors), checkin.ErrScan},
		{"method not allowed", qrOnly, card(w, "s", idZhang, doors), checkin.ErrMethod},
		{"before the doors open", checkin.Rules{}, qr("s", good, at(20, 17, 29)), checkin.ErrNotOpen},
		{"doors open", checkin.Rules{}, qr("s", good, at(20, 17, 30)), nil},
		{"after last entry", lastEntry, qr("s", good, at(20, 20, 0)), checkin.ErrClosed},
		{"before last entry", lastEntry, qr("s", good, at(20, 19, 59)), nil},
		{"after the show", checkin.Rules{}, qr("s", good, at(20, 21, 30)), checkin.ErrExpired},
		{"unreadable", checkin.Rules{}, qr("s", "https://example.cn/t/123", doors), checkin.ErrUnreadable},
		{"forged with another key", checkin.Rules{}, qr("s", forged, doors), checkin.ErrForged},
		{"altered", checkin.Rules{}, qr("s", tampered, doors), checkin.ErrForged},
		{"another session", checkin.Rules{}, qr("s", otherCred, doors), checkin.ErrWrongSession},
		{"not in the book", checkin.Rules{}, qr("s", unlistedCred, doors), checkin.ErrUnknown},
		{"refunded", checkin.Rules{}, qr("s", refCred, doors), checkin.ErrRefunded},
		{"void", checkin.Rules{}, qr("s", voidCred, doors), checkin.ErrVoid},
		{"re-issued: the old code", checkin.Rules{}, qr("s", oldCred, doors), checkin.ErrSuperseded},
		{"re-issued: the new code", checkin.Rules{}, qr("s", w.sign(&re), doors), nil},
		{"paper", checkin.Rules{}, func() checkin.Scan { s := qr("s", good, doors); s.Method = checkin.Paper; return s }(), nil},
		{"rfid", checkin.Rules{}, func() checkin.Scan { s := qr("s", good, doors); s.Method = checkin.RFID; return s }(), nil},
		{"id card", checkin.Rules{}, card(w, "s", idZhang, doors), nil},
		{"id card without tickets", checkin.Rules{}, card(w, "s", idLi, doors), checkin.ErrUnknown},
		{"人票证合一: all three", ptid, withID(qr("s", good, doors), zhang, true), nil},
		{"人票证合一: no document", ptid, qr("s", good, doors), checkin.ErrIdentity},
		{"人票证合一: another's document", ptid, withID(qr("s", good, doors), li, true), checkin.ErrIdentity},
		{"人票证合一: person not matched", ptid, withID(qr("s", good, doors), zhang, false), checkin.ErrIdentity},
		{"人票证合一: card and face", ptid, func() checkin.Scan { s := card(w, "s", idZhang, doors); s.FaceMatched = true; return s }(), nil},
		{"人票证合一: card without face", ptid, card(w, "s", idZhang, doors), checkin.ErrIdentity},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := w.checker("online", tc.rules)
			st := memory.NewEntries()
			pure := c.Decide(tc.scan, w.book, func(codes.TicketCode) int { return 0 })
			d := must[checkin.Decision](t)(c.Enter(ctx, st, tc.scan, w.book))
			if pure.Accepted != d.Accepted || pure.Code() != d.Code() {
				t.Fatalf("Decide %v and Enter %v disagree", pure, d)
			}
			if tc.want == nil {
				if !d.Accepted || d.Err() != nil || d.Entry.Count != 1 || d.Code() != "checkin.ok" || !strings.HasPrefix(d.Zh(), "准予入场") {
					t.Fatalf("want accepted, got %v", d)
				}
				if d.Entry.Method != tc.scan.Method || d.Entry.Node != "online" || !d.Entry.At.Equal(tc.scan.At) {
					t.Fatalf("entry %+v", d.Entry)
				}
				return
			}
			if d.Accepted || !errors.Is(d.Err(), tc.want) || d.Code() != tc.want.Code() {
				t.Fatalf("want %s, got %v (%v)", tc.want.Code(), d, d.Err())
			}
			if d.Zh() == "" || d.En() == "" || d.Entry != (checkin.Entry{}) {
				t.Fatalf("refusal without a message, or with an entry: %+v", d)
			}
			if n := len(must[[]checkin.Change](t)(st.Changes(ctx, 0, 10))); n != 0 {
				t.Fatalf("a refused scan stored %d entries", n)
			}
		})
	}
}

// TestMaxEntries: a ticket enters exactly its maximum times; a repeated scan
// id is the same admission; an ID card holding two tickets enters twice.
func TestMaxEntries(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.checker("online", checkin.Rules{MaxEntries: 3})
	st := memory.NewEntries()
	tk, cred := w.issue(&w.sess, idZhang)
	for i, want := range []bool{true, true, true, false, false} {
		d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("s"+string(rune('0'+i)), cred, at(20, 19, i)), w.book))
		if d.Accepted != want {
			t.Fatalf("scan %d: %v", i, d)
		}
		if want && (d.Entry.Count != i+1 || d.Count != i+1) {
			t.Fatalf("scan %d: count %d", i, d.Entry.Count)
		}
		if !want && (d.Count != 3 || d.Max != 3 || !strings.Contains(d.En(), "3 of 3")) {
			t.Fatalf("scan %d: %+v %s", i, d, d.En())
		}
	}
	// A device retrying scan s1 gets the same admission, not a refusal.
	d := must[checkin.Decision](t)(c.Enter(ctx, st, qr("s1", cred, at(20, 19, 9)), w.book))
	if !d.Accepted || !d.Duplicate || d.Entry.Count != 2 || !d.Entry.At.Equal(at(20, 19, 1)) {
		t.Fatalf("retry: %v %+v", d, d.Entry)
	}
	if n := must[int](t)(st.Count(ctx, tk.Code)); n != 3 {
		t.Fatalf("count %d", n)
	}

	// Two tickets of one document: the card enters twice, on each in code order.
	c1 := w.checker("online", checkin.Rules{})
	a, _ := w.issue(&w.sess, idLi)
	b, _ := w.issue(&w.sess, idLi)
	var got []codes.TicketCode
	for i := range 3 {
		d := must[checkin.Decision](t)(c1.Enter(ctx, st, card(w, "card"+string(rune('0'+i)), idLi, at(20, 19, i)), w.book))
		if d.Accepted {
			got = append(got, d.Entry.Ticket)
		} else if i != 2 || !errors.Is(d.Err(), checkin.ErrMaxEntries) {
			t.Fatalf("card scan %d: %v", i, d)
		}
	}
	first, second := a.Code, b.Code
	if second.String() < first.String() {
		first, second = second, first
	}
	if len(got) != 2 || got[0] != first || got[1] != second {
		t.Fatalf("card entries %v, want %v then %v", got, first, second)
	}
}

// TestChecking: an entry's /report/checking data.
func TestChecking(t *testing.T) {
	w := newWorld(t)
	tk, cred := w.issue(&w.sess, idZhang)
	c := w.checker("lan-1", checkin.Rules{})
	for _, tc := range []struct {
		m        checkin.Method
		wantType int
	}{{checkin.QR, 1}, {checkin.IDCard, 2}, {checkin.Paper, 3}, {checkin.RFID, 3}} {
		s := qr("s", cred, at(20, 19, 0).Add(123456789*time.Nanosecond))
		if tc.m == checkin.IDCard {
			s = card(w, "s", idZhang, s.At)
		}
		s.Method = tc.m
		d := c.Decide(s, w.book, func(codes.TicketCode) int { return 0 })
		ch := d.Entry.Checking()
		want := checkin.Checking{TicketID: tk.Code.String(), SessionID: "sess-1", PriceID: "A", SessionCode: w.sess.Code.String(),
			Time: at(20, 19, 0).Add(123456 * time.Microsecond), Type: tc.wantType, AuthType: 1}
		if !ch.Time.Equal(want.Time) || ch.Time.Location() != wht93.CST {
			t.Fatalf("%v: time %v", tc.m, ch.Time)
		}
		ch.Time = want.Time
		if ch != want {
			t.Fatalf("%v: %+v, want %+v", tc.m, ch, want)
		}
	}
}

// TestPolicyInvalid: every violation of a policy at once.
func TestPolicyInvalid(t *testing.T) {
	w := newWorld(t)
	s := w.sess
	s.Code = codes.SessionCode{}
	s.Cancelled = true
	_, err := checkin.NewPolicy(&s, checkin.Rules{MaxEntries: -1, OpenBefore: 48 * time.Hour, LastEntry: -time.Minute, Methods: 1 << 7})
	vs := wht93.ViolationsOf(err)
	var fields []string
	for _, v := range vs {
		fields = append(fields, v.Field)
	}
	want := "session.code session.cancelled maxEntries openBefore lastEntry methods"
	if strings.Join(fields, " ") != want || !errors.Is(err, checkin.ErrPolicy) {
		t.Fatalf("fields %v, want %s", fields, want)
	}
	p := w.policy(checkin.Rules{})
	if p.Max() != 1 || p.Methods() != checkin.AllMethods || p.Session() != w.sess.Code {
		t.Fatalf("defaults: %+v", p)
	}
	if o, c := p.Window(); !o.Equal(at(20, 17, 30)) || !c.Equal(w.sess.End) {
		t.Fatalf("window %v %v", o, c)
	}
	if _, err := checkin.NewChecker("", checkin.Policy{}, nil); len(wht93.ViolationsOf(err)) != 3 {
		t.Fatalf("NewChecker: %v", err)
	}
}
