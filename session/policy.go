package session

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
)

// Policy is a sales policy of a performance (销售政策, 6.3.2.8, 7.1.3.1, E.2.2.7): a
// validity period and a scope (sessions, channels, tiers), purchase limits counted
// over the scope's sessions, a real-name rule, and either a discount or a
// cross-session bundle.
//
// A Policy is a plain value: safe for concurrent reads, not for concurrent mutation.
type Policy struct {
	ID            string
	Name          string
	PerformanceID string
	// ValidFrom and ValidUntil bound when the policy applies: [ValidFrom,
	// ValidUntil). Both are required.
	ValidFrom, ValidUntil time.Time
	Scope                 Scope
	// Limits count the buyer's and the documents' tickets over the sessions of
	// the scope (all the performance's sessions when the scope names none).
	Limits Limits
	// RealName is the policy's real-name rule: the least a sale under it requires.
	// Zero leaves the session's own rule; otherwise the stricter of the two
	// applies (see [Stricter]).
	RealName realname.Mode
	Discount *Discount // optional; not together with Bundle
	Bundle   *Bundle   // optional; not together with Discount
}

// Scope is where a policy applies. An empty list means every one: every session of
// the performance, every channel, every tier.
type Scope struct {
	Sessions []string // session ids
	Channels []string // channel ids
	Tiers    []string // price tier ids
}

// Contains reports whether the session, channel and tier are in the scope.
func (s Scope) Contains(session, channel, tier string) bool {
	in := func(list []string, x string) bool { return len(list) == 0 || slices.Contains(list, x) }
	return in(s.Sessions, session) && in(s.Channels, channel) && in(s.Tiers, tier)
}

var (
	// ErrPolicyPeriod is the rule that a policy's validity period is given and
	// starts before it ends.
	ErrPolicyPeriod = wht93.NewRule("session.policy.period", "销售政策有效期应有起止时间且开始早于结束", "policy validity needs a start before its end")
	// ErrPolicyOffer is the rule that a policy has a discount or a bundle, not both.
	ErrPolicyOffer = wht93.NewRule("session.policy.offer", "销售政策不能同时设置折扣和组合销售", "a policy cannot have both a discount and a bundle")
	// ErrPolicyScope is the rule that a scope lists no id twice and that a bundle's
	// sessions and tiers are in the policy's scope.
	ErrPolicyScope = wht93.NewRule("session.policy.scope", "适用范围有重复项，或组合套票超出适用范围", "scope lists an id twice, or the bundle is outside the scope")
	// ErrPolicyNotInEffect is the rule that a policy applies only within its
	// validity period.
	ErrPolicyNotInEffect = wht93.NewRule("session.policy.period.now", "不在销售政策有效期内", "the policy is not in effect")
	// ErrOutOfScope is the rule that a policy prices only tickets of its scope, sold
	// through a channel of its scope.
	ErrOutOfScope = wht93.NewRule("session.policy.scope.sale", "演出票或销售渠道不在销售政策适用范围内", "ticket or channel is outside the policy's scope")
)

// Validate returns every violation of the policy, nil when none.
func (p *Policy) Validate() error {
	var vs wht93.Violations
	vs = text{field: "id", value: p.ID, max: maxID}.check(vs)
	vs = text{field: "name", value: p.Name, max: maxPerfName}.check(vs)
	vs = text{field: "performanceId", value: p.PerformanceID, max: maxID}.check(vs)
	if p.ValidFrom.IsZero() || p.ValidUntil.IsZero() || !p.ValidFrom.Before(p.ValidUntil) {
		vs = append(vs, ErrPolicyPeriod.At("validUntil", fmtTime(p.ValidUntil)))
	}
	for _, l := range [...]struct {
		name string
		ids  []string
	}{{"sessions", p.Scope.Sessions}, {"channels", p.Scope.Channels}, {"tiers", p.Scope.Tiers}} {
		seen := make(map[string]bool, len(l.ids))
		for i, id := range l.ids {
			f := fmt.Sprintf("scope.%s[%d]", l.name, i)
			vs = text{field: f, value: id, max: maxID}.check(vs)
			if seen[id] {
				vs = append(vs, ErrPolicyScope.At(f, id))
			}
			seen[id] = true
		}
	}
	if p.RealName != 0 && !p.RealName.Valid() {
		vs = append(vs, ErrRealNameMode.At("realName", strconv.Itoa(int(p.RealName))))
	}
	vs = append(vs, p.Limits.check(p.RealName).In("limits")...)
	if p.Discount != nil && p.Bundle != nil {
		vs = append(vs, ErrPolicyOffer.At("bundle", ""))
	}
	if p.Discount != nil {
		vs = append(vs, p.Discount.check().In("discount")...)
	}
	if p.Bundle != nil {
		vs = append(vs, p.Bundle.check().In("bundle")...)
		for i, it := range p.Bundle.Items {
			if !p.Scope.Contains(it.SessionID, channelAny(p.Scope), tierOr(it.Tier, p.Scope)) {
				vs = append(vs, ErrPolicyScope.At(fmt.Sprintf("bundle.items[%d]", i), it.SessionID+"/"+it.Tier))
			}
		}
	}
	return vs.Err()
}

// channelAny returns a channel the scope contains, for checks that do not depend on
// the channel.
func channelAny(s Scope) string {
	if len(s.Channels) > 0 {
		return s.Channels[0]
	}
	return ""
}

// tierOr returns the tier, or one the scope contains when the tier is "any".
func tierOr(tier string, s Scope) string {
	if tier == "" && len(s.Tiers) > 0 {
		return s.Tiers[0]
	}
	return tier
}

// InEffect reports whether now is within the validity period.
func (p *Policy) InEffect(now time.Time) bool {
	return !now.Before(p.ValidFrom) && now.Before(p.ValidUntil)
}

// Applies reports whether the policy applies at now to a ticket of the session and
// tier sold through the channel.
func (p *Policy) Applies(now time.Time, session, channel, tier string) bool {
	return p.InEffect(now) && p.Scope.Contains(session, channel, tier)
}

// Quote is what an order pays under a policy.
type Quote struct {
	Amounts []wht93.Fen // what each line costs, in the order of the lines
	List    wht93.Fen   // the sum of the list prices
	Total   wht93.Fen   // the sum of Amounts
}

// Saved returns List − Total.
func (q Quote) Saved() wht93.Fen { return q.List - q.Total }

// Quote prices the lines of an order sold at now through channel under the policy:
// the bundle's allocation, or the discount applied to each line (when the order has
// at least MinTickets lines), or the list prices. Every line must be in the scope
// and the policy in effect; otherwise it returns every violation.
func (p *Policy) Quote(now time.Time, channel string, lines []Line) (Quote, error) {
	var vs wht93.Violations
	if !p.InEffect(now) {
		vs = append(vs, ErrPolicyNotInEffect.Atf("validFrom", fmtTime(now),
			"不在销售政策有效期 "+fmtTime(p.ValidFrom)+" 至 "+fmtTime(p.ValidUntil)+" 内",
			"outside the policy's validity "+fmtTime(p.ValidFrom)+" to "+fmtTime(p.ValidUntil)))
	}
	if len(p.Scope.Channels) > 0 && !slices.Contains(p.Scope.Channels, channel) {
		vs = append(vs, ErrOutOfScope.At("channel", channel))
	}
	if len(lines) == 0 {
		vs = append(vs, ErrOrderSize.At("lines", "0"))
	}
	q := Quote{Amounts: make([]wht93.Fen, len(lines))}
	var ok bool
	for i, l := range lines {
		f := "lines[" + strconv.Itoa(i) + "]"
		if !p.Scope.Contains(l.SessionID, channel, l.Tier) {
			vs = append(vs, ErrOutOfScope.At(f, l.SessionID+"/"+l.Tier))
		}
		if l.Price < 0 {
			vs = append(vs, ErrPrice.At(f+".price", l.Price.String()))
		}
		if q.List, ok = q.List.Add(l.Price); !ok {
			vs = append(vs, wht93.ErrMoneyRange.At(f+".price", l.Price.String()))
		}
	}
	if err := vs.Err(); err != nil {
		return Quote{}, err
	}
	switch {
	case p.Bundle != nil:
		amounts, err := p.Bundle.Allocate(lines)
		if err != nil {
			return Quote{}, err
		}
		q.Amounts = amounts
	case p.Discount != nil && len(lines) >= p.Discount.MinTickets:
		for i, l := range lines {
			a, err := p.Discount.Apply(l.Price)
			if err != nil {
				return Quote{}, err
			}
			q.Amounts[i] = a
		}
	default:
		for i, l := range lines {
			q.Amounts[i] = l.Price
		}
	}
	for _, a := range q.Amounts {
		q.Total += a // each amount ≤ its list price, and the list prices' sum fits
	}
	return q, nil
}

// EffectiveMode returns the real-name mode a sale must follow: the stricter of the
// session's and of every policy that applies to it.
func EffectiveMode(s *Session, policies ...*Policy) realname.Mode {
	m := s.RealName
	for _, p := range policies {
		m = Stricter(m, p.RealName)
	}
	return m
}
