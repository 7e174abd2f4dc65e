package session

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/venue"
)

// ChannelKind is Appendix A's channelType: 1 own sales (自营), 2 distribution (分销).
type ChannelKind uint8

// The channel kinds of Appendix A.
const (
	OwnSales     ChannelKind = 1 // 自营
	Distribution ChannelKind = 2 // 分销
)

// String returns "own" or "distribution".
func (k ChannelKind) String() string {
	switch k {
	case OwnSales:
		return "own"
	case Distribution:
		return "distribution"
	}
	return "ChannelKind(" + strconv.Itoa(int(k)) + ")"
}

// Channel is a sales channel (销售渠道, 6.3.2.10): the management system's own sales,
// or a distributor that sells through its own platform and is settled with.
//
// A Channel is a plain value: safe for concurrent reads.
type Channel struct {
	ID   string
	Name string // Appendix A channelName, String 30
	Kind ChannelKind
	// Commission is the share of the channel's net sales (sales − refunds) that the
	// channel keeps: 0 to 1, at most 4 decimals (0.05 = 5 %).
	Commission decimal.Decimal
	// Test marks the test channel of E.2.2.9 (启用测试渠道): a third party reads the
	// show, sessions, ticket face and chart through it and sells a ticket.
	Test bool
}

var (
	// ErrChannel is the rule that a channel has an id, a name of at most 30
	// characters, a kind of Appendix A, and a commission rate from 0 to 1 with at
	// most 4 decimals.
	ErrChannel = wht93.NewRule("session.channel", "销售渠道设置有误（名称最多30个字符，类型为自营或分销，佣金比例0至1且最多4位小数）", "channel is malformed (name at most 30 characters, kind own or distribution, commission 0 to 1 with at most 4 decimals)")
	// ErrAuthorization is the rule that an authorisation names its channel and
	// session, has a period that starts before it ends, and quotas of 0 to MaxLimit
	// with no tier or area twice and no tier quota above the total quota.
	ErrAuthorization = wht93.NewRule("session.channel.auth", "渠道授权设置有误（渠道、场次、授权期、配额、预留区域）", "channel authorisation is malformed (channel, session, period, quotas, reserved areas)")
	// ErrNotAuthorised is the rule that a channel sells a session only under an
	// authorisation for it, within its period.
	ErrNotAuthorised = wht93.NewRule("session.channel.notauthorised", "该销售渠道未获授权销售此场次，或不在授权期内", "the channel is not authorised to sell the session now")
	// ErrQuota is the rule that a channel sells no more than its allocation.
	ErrQuota = wht93.NewRule("session.channel.quota", "超过渠道的配额", "more than the channel's allocation")
)

// Validate returns the channel's violations.
func (c *Channel) Validate() error {
	var vs wht93.Violations
	vs = text{field: "id", value: c.ID, max: maxID}.check(vs)
	vs = text{field: "channelName", value: c.Name, max: 30}.check(vs)
	if c.Kind != OwnSales && c.Kind != Distribution {
		vs = append(vs, ErrChannel.At("channelType", c.Kind.String()))
	}
	if c.Commission.IsNegative() || c.Commission.GreaterThan(one) || !c.Commission.Equal(c.Commission.Round(4)) {
		vs = append(vs, ErrChannel.At("commission", c.Commission.String()))
	}
	return vs.Err()
}

// Allocation is what a channel is given for a session (6.3.2.7 预留, 6.3.2.10 授权).
type Allocation struct {
	// Quantity is the most tickets the channel may sell for the session; 0: no quota
	// of its own (the session's stock bounds it).
	Quantity int
	// Tiers caps the channel's tickets per price tier; a tier not listed is capped
	// only by Quantity.
	Tiers []TierQuota
	// Areas are seat areas reserved for the channel: the public cannot buy them,
	// this channel (and staff) can.
	Areas []venue.AreaKey
}

// TierQuota caps a channel's tickets of one price tier.
type TierQuota struct {
	Tier     string
	Quantity int
}

// Authorization authorises a channel to sell a session (渠道授权) within a period and
// an allocation.
//
// An Authorization is a plain value: safe for concurrent reads.
type Authorization struct {
	ChannelID string
	SessionID string
	// From and Until bound when the channel may sell: [From, Until). A zero Until
	// leaves the end to the session's sales window.
	From, Until time.Time
	Allocation  Allocation
}

// Authorize returns the authorisation of channel c to sell session s from from until
// until (zero: until the sale stops) with the allocation a, or every violation.
func Authorize(c *Channel, s *Session, from, until time.Time, a Allocation) (Authorization, error) {
	auth := Authorization{ChannelID: c.ID, SessionID: s.ID, From: from, Until: until, Allocation: a}
	var vs wht93.Violations
	if err := c.Validate(); err != nil {
		vs = append(vs, wht93.ViolationsOf(err).In("channel")...)
	}
	if err := auth.Validate(); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if !s.Seated && len(a.Areas) > 0 {
		vs = append(vs, ErrAuthorization.Atf("allocation.areas", strconv.Itoa(len(a.Areas)),
			"无座场次没有座位区域可预留", "an unseated session has no seat areas to reserve"))
	}
	if err := vs.Err(); err != nil {
		return Authorization{}, err
	}
	return auth, nil
}

// Validate returns the authorisation's violations.
func (a *Authorization) Validate() error {
	var vs wht93.Violations
	vs = text{field: "channelId", value: a.ChannelID, max: maxID}.check(vs)
	vs = text{field: "sessionId", value: a.SessionID, max: maxID}.check(vs)
	if a.From.IsZero() || (!a.Until.IsZero() && !a.From.Before(a.Until)) {
		vs = append(vs, ErrAuthorization.At("until", fmtTime(a.Until)))
	}
	al := a.Allocation
	if al.Quantity < 0 || al.Quantity > MaxLimit*100 {
		vs = append(vs, ErrAuthorization.At("allocation.quantity", strconv.Itoa(al.Quantity)))
	}
	tiers := make(map[string]bool)
	for i, tq := range al.Tiers {
		f := fmt.Sprintf("allocation.tiers[%d]", i)
		vs = text{field: f + ".tier", value: tq.Tier, max: maxID}.check(vs)
		if tiers[tq.Tier] {
			vs = append(vs, ErrAuthorization.Atf(f+".tier", tq.Tier, "票档重复", "tier listed twice"))
		}
		tiers[tq.Tier] = true
		if tq.Quantity < 0 || (al.Quantity > 0 && tq.Quantity > al.Quantity) {
			vs = append(vs, ErrAuthorization.At(f+".quantity", strconv.Itoa(tq.Quantity)))
		}
	}
	areas := make(map[venue.AreaKey]bool)
	for i, ak := range al.Areas {
		f := fmt.Sprintf("allocation.areas[%d]", i)
		if ak.Floor == "" || ak.Area == "" || !utf8.ValidString(ak.Floor+ak.Area) {
			vs = append(vs, ErrAuthorization.At(f, ak.String()))
		}
		if areas[ak] {
			vs = append(vs, ErrAuthorization.Atf(f, ak.String(), "预留区域重复", "area listed twice"))
		}
		areas[ak] = true
	}
	return vs.Err()
}

// CheckAreas reports the reserved areas that the seat template does not have.
func (a *Authorization) CheckAreas(t *venue.Template) error {
	var vs wht93.Violations
	for i, ak := range a.Allocation.Areas {
		if _, ok := t.LookupArea(ak); !ok {
			vs = append(vs, ErrAuthorization.Atf(fmt.Sprintf("allocation.areas[%d]", i), ak.String(),
				"座位模板中没有该区域", "the seat template has no such area"))
		}
	}
	return vs.Err()
}

// Permits returns nil when the authorisation lets its channel sell the session at
// now, and an [ErrNotAuthorised] violation otherwise.
func (a *Authorization) Permits(now time.Time, sessionID string) error {
	switch {
	case sessionID != a.SessionID:
		return ErrNotAuthorised.Atf("sessionId", sessionID, "渠道 "+a.ChannelID+" 未获授权销售此场次", "channel "+a.ChannelID+" is not authorised for this session")
	case now.Before(a.From) || (!a.Until.IsZero() && !now.Before(a.Until)):
		return ErrNotAuthorised.Atf("from", fmtTime(now),
			"不在渠道授权期 "+fmtTime(a.From)+" 至 "+orOpen(fmtTime(a.Until))+" 内",
			"outside the authorisation period "+fmtTime(a.From)+" to "+orOpen(fmtTime(a.Until)))
	}
	return nil
}

func orOpen(s string) string {
	if s == "" {
		return "停售/sale stop"
	}
	return s
}

// Reserves reports whether the area is reserved for the channel.
func (a *Authorization) Reserves(k venue.AreaKey) bool { return slices.Contains(a.Allocation.Areas, k) }

// CheckQuota returns nil when the channel may sell n more tickets of the tier, given
// that it has sold soldTotal tickets of the session and soldTier of the tier (live
// tickets, counted by the caller in the step that records the sale).
func (a *Authorization) CheckQuota(tier string, soldTotal, soldTier, n int) error {
	var vs wht93.Violations
	if n < 1 || soldTotal < 0 || soldTier < 0 {
		return ErrOrderSize.At("tickets", strconv.Itoa(n))
	}
	if q := a.Allocation.Quantity; q > 0 && soldTotal+n > q {
		vs = append(vs, ErrQuota.Atf("tickets", strconv.Itoa(n),
			fmt.Sprintf("渠道已售 %d 张，再售 %d 张将超过配额 %d 张", soldTotal, n, q),
			fmt.Sprintf("the channel sold %d and %d more would exceed its quota of %d", soldTotal, n, q)))
	}
	for _, tq := range a.Allocation.Tiers {
		if tq.Tier == tier && soldTier+n > tq.Quantity {
			vs = append(vs, ErrQuota.Atf("tier", tier,
				fmt.Sprintf("渠道该票档已售 %d 张，再售 %d 张将超过配额 %d 张", soldTier, n, tq.Quantity),
				fmt.Sprintf("the channel sold %d of the tier and %d more would exceed its quota of %d", soldTier, n, tq.Quantity)))
		}
	}
	return vs.Err()
}
