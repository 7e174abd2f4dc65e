package session_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// earlyBird is 八折 on tiers A and B of the evening session, for orders placed
// online in the first week of sale, with a limit of 2 per buyer and one ticket per
// document under 一票一证.
func earlyBird() session.Policy {
	return session.Policy{
		ID: "early", Name: "早鸟八折", PerformanceID: "perf-1",
		ValidFrom: at(1, 10, 0), ValidUntil: at(8, 10, 0),
		Scope:    session.Scope{Sessions: []string{"sess-1"}, Channels: []string{"web"}, Tiers: []string{"A", "B"}},
		Limits:   session.Limits{PerBuyer: 2, PerID: 1},
		RealName: realname.ModePerTicket,
		Discount: &session.Discount{Kind: session.Rate, Rate: decimal.RequireFromString("0.8")},
	}
}

// E.2.2.7 销售政策管理: a) a session is created with a policy; b) the policy's data is
// right; c) buying within the policy's time, after the identity check, costs what
// the policy says (discount included).
func TestE227PolicyPrice(t *testing.T) {
	p := earlyBird()
	if err := p.Validate(); err != nil {
		t.Fatalf("a) policy refused: %v", err)
	}
	s := evening(t)
	if !p.Applies(at(2, 12, 0), s.ID, "web", "A") || p.Applies(at(2, 12, 0), s.ID, "web", "C") {
		t.Fatal("b) scope")
	}
	// The sale follows the stricter real-name rule: the policy's 一票一证.
	if m := session.EffectiveMode(&s, &p); m != realname.ModePerTicket {
		t.Fatalf("b) effective mode %v", m)
	}
	// c) two tickets of tier A at 1280.00 and one of B at 680.00 … but the policy
	// allows 2 per buyer: two tickets, A and B.
	lines := []session.Line{{SessionID: "sess-1", Tier: "A", Price: wht93.Yuan(1280)}, {SessionID: "sess-1", Tier: "B", Price: wht93.Yuan(680)}}
	if err := p.Limits.Check(session.EffectiveMode(&s, &p), session.Order{Tickets: 2, IDs: ids(2)}, session.Held{}); err != nil {
		t.Fatalf("c) limits: %v", err)
	}
	q, err := p.Quote(at(2, 12, 0), "web", lines)
	if err != nil {
		t.Fatal(err)
	}
	if q.Amounts[0] != 102400 || q.Amounts[1] != 54400 || q.Total != 156800 || q.List != 196000 || q.Saved() != 39200 {
		t.Fatalf("c) quote %+v", q)
	}
	// Outside the validity, outside the scope: refused.
	if _, err := p.Quote(at(8, 10, 0), "web", lines); !errors.Is(err, session.ErrPolicyNotInEffect) {
		t.Fatalf("after validity: %v", err)
	}
	if _, err := p.Quote(at(2, 12, 0), "partner", lines); !errors.Is(err, session.ErrOutOfScope) {
		t.Fatalf("other channel: %v", err)
	}
	_, err = p.Quote(at(2, 12, 0), "web", []session.Line{{SessionID: "sess-1", Tier: "C", Price: 100}})
	if vs := wht93.ViolationsOf(err); len(vs) != 1 || vs[0].Field != "lines[0]" {
		t.Fatalf("other tier: %v", err)
	}
}

func TestDiscountApply(t *testing.T) {
	rate := func(s string) session.Discount {
		return session.Discount{Kind: session.Rate, Rate: decimal.RequireFromString(s)}
	}
	tests := []struct {
		name  string
		d     session.Discount
		price wht93.Fen
		want  wht93.Fen
	}{
		{"八折", rate("0.8"), 128000, 102400},
		{"half a fen rounds up", rate("0.5"), 1, 1},
		{"below half rounds down", rate("0.3333"), 100, 33},
		{"above half rounds up", rate("0.6667"), 100, 67},
		{"half up exactly", rate("0.885"), 10, 9}, // 8.85 → 9
		{"zero price", rate("0.8"), 0, 0},
		{"amount off", session.Discount{Kind: session.AmountOff, Amount: 5000}, 38000, 33000},
		{"amount off to zero", session.Discount{Kind: session.AmountOff, Amount: 50000}, 38000, 0},
		{"fixed price", session.Discount{Kind: session.FixedPrice, Amount: 9900}, 38000, 9900},
		{"fixed price above list", session.Discount{Kind: session.FixedPrice, Amount: 50000}, 38000, 38000},
		{"fixed price free", session.Discount{Kind: session.FixedPrice}, 38000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.d.Apply(tt.price)
			if err != nil || got != tt.want {
				t.Fatalf("Apply(%v) = %v, %v; want %v", tt.price, got, err, tt.want)
			}
		})
	}
	for _, bad := range []session.Discount{
		rate("0"), rate("1"), rate("1.2"), rate("-0.5"), rate("0.12345"),
		{Kind: session.AmountOff}, {Kind: session.FixedPrice, Amount: -1}, {Kind: 9},
		{Kind: session.Rate, Rate: decimal.RequireFromString("0.8"), MinTickets: -1},
	} {
		if _, err := bad.Apply(100); !errors.Is(err, session.ErrDiscount) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := rate("0.8").Apply(-1); !errors.Is(err, session.ErrPrice) {
		t.Errorf("negative price: %v", err)
	}
}

// A discounted price is never below 0 nor above the list price, and a rate discount
// is exactly price × rate rounded half up, computed here with exact rationals.
func TestPropertyDiscountRounding(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		price := wht93.Fen(rapid.Int64Range(0, 1<<50).Draw(t, "price"))
		kind := session.DiscountKind(rapid.IntRange(1, 3).Draw(t, "kind"))
		d := session.Discount{Kind: kind}
		var r *big.Rat
		switch kind {
		case session.Rate:
			n := rapid.Int64Range(1, 9999).Draw(t, "rate") // 0.0001 … 0.9999
			d.Rate = decimal.New(n, -4)
			r = big.NewRat(n, 10000)
		default:
			d.Amount = wht93.Fen(rapid.Int64Range(0, 1<<50).Draw(t, "amount"))
			if kind == session.AmountOff && d.Amount == 0 {
				d.Amount = 1
			}
		}
		got, err := d.Apply(price)
		if err != nil {
			t.Fatal(err)
		}
		if got < 0 || got > price {
			t.Fatalf("%+v on %v gives %v", d, price, got)
		}
		if r != nil {
			// floor(price × rate + 1/2)
			exact := new(big.Rat).Mul(new(big.Rat).SetInt64(int64(price)), r)
			exact.Add(exact, big.NewRat(1, 2))
			want := new(big.Int).Quo(exact.Num(), exact.Denom())
			if want.Int64() != int64(got) {
				t.Fatalf("%v × %v = %v, want %v", price, d.Rate, got, want)
			}
		}
	})
}

func TestPolicyMinTickets(t *testing.T) {
	p := session.Policy{ID: "group", Name: "团购", PerformanceID: "perf-1", ValidFrom: at(1, 0, 0), ValidUntil: at(20, 0, 0),
		Discount: &session.Discount{Kind: session.AmountOff, Amount: wht93.Yuan(20), MinTickets: 3}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	line := session.Line{SessionID: "sess-1", Tier: "C", Price: wht93.Yuan(180)}
	q, _ := p.Quote(at(2, 0, 0), "any", []session.Line{line, line})
	if q.Total != wht93.Yuan(360) {
		t.Fatalf("2 tickets: %v", q.Total)
	}
	q, _ = p.Quote(at(2, 0, 0), "any", []session.Line{line, line, line})
	if q.Total != wht93.Yuan(480) {
		t.Fatalf("3 tickets: %v", q.Total)
	}
}

func TestPolicyViolations(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*session.Policy)
		rule  *wht93.Rule
		field string
	}{
		{"no period", func(p *session.Policy) { p.ValidUntil = time.Time{} }, session.ErrPolicyPeriod, "validUntil"},
		{"backwards period", func(p *session.Policy) { p.ValidUntil = p.ValidFrom }, session.ErrPolicyPeriod, "validUntil"},
		{"session twice", func(p *session.Policy) { p.Scope.Sessions = []string{"s", "s"} }, session.ErrPolicyScope, "scope.sessions[1]"},
		{"per ID without rule", func(p *session.Policy) { p.RealName = 0 }, session.ErrLimitValue, "limits.perId"},
		{"bad mode", func(p *session.Policy) { p.RealName, p.Limits.PerID = 9, 0 }, session.ErrRealNameMode, "realName"},
		{"discount and bundle", func(p *session.Policy) {
			p.Bundle = &session.Bundle{Items: []session.BundleItem{{SessionID: "sess-1", Quantity: 2}}, Price: 100}
		}, session.ErrPolicyOffer, "bundle"},
		{"bad discount", func(p *session.Policy) { p.Discount.Rate = decimal.RequireFromString("1.5") }, session.ErrDiscount, "discount.rate"},
		{"bundle outside scope", func(p *session.Policy) {
			p.Discount = nil
			p.Bundle = &session.Bundle{Items: []session.BundleItem{{SessionID: "sess-9", Tier: "A", Quantity: 2}}, Price: 100}
		}, session.ErrPolicyScope, "bundle.items[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := earlyBird()
			tt.edit(&p)
			vs := wht93.ViolationsOf(p.Validate())
			if len(vs) != 1 || vs[0].Rule != tt.rule || vs[0].Field != tt.field {
				t.Fatalf("want %s at %s, got %v", tt.rule.Code(), tt.field, vs)
			}
		})
	}
}
