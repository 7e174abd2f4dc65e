package inventory

import (
	"encoding/hex"
	"slices"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// Purchase counters. A sale adds to one counter per limit and scope: the buyer's
// tickets and each document's tickets in the session (the session's limits) and in
// each policy that applies (the policy's limits), and the channel's tickets in the
// session, in all and per tier (its allocation). A counter exists only for a limit
// that is set: limits count the tickets sold while they were set. Keys join their
// parts with the unit separator U+001F, which no id contains.
const sep = "\x1f"

func keySession(sid string) string { return "s" + sep + sid }
func keyPolicy(pid string) string  { return "p" + sep + pid }

func keyBuyer(scope, buyer string) string { return scope + sep + "b" + sep + buyer }
func keyID(scope string, id realname.BlindIndex) string {
	return scope + sep + "i" + sep + hex.EncodeToString(id[:])
}
func keyQuota(sid, channel string) string { return keySession(sid) + sep + "q" + sep + channel }
func keyTierQuota(sid, channel, tier string) string {
	return keyQuota(sid, channel) + sep + "t" + sep + tier
}

// limitScope is one set of limits and the tickets of the sale it counts.
type limitScope struct {
	field  string // where its violations go: "limits" or "policies[early].limits"
	limits session.Limits
	mode   realname.Mode
	order  session.Order
	buyer  string // its buyer counter key, "" when not counted
	ids    map[string]realname.BlindIndex
}

// limitCounters is what a sale adds to the counters, and how to explain a refusal.
type limitCounters struct {
	adds   []CounterAdd
	scopes []limitScope
	quota  *session.Authorization
	qTotal string
	qTiers map[string]string // key -> tier
	qN     map[string]int    // tier -> tickets in the sale
	total  int
}

func ticketIDs(mode realname.Mode, ids []realname.BlindIndex, n int) ([]realname.BlindIndex, bool) {
	switch {
	case mode == realname.ModePerOrder && len(ids) == 1:
		out := make([]realname.BlindIndex, n)
		for i := range out {
			out[i] = ids[0]
		}
		return out, true
	case mode == realname.ModePerTicket && len(ids) == n:
		return ids, true
	}
	return nil, false
}

// limits checks what the sale can be checked for without counts, and returns the
// counters it adds to. It fills the tickets' ID and Keys.
func (s *Sales) limits(now time.Time, h Hold, p Purchase, tickets []Ticket) (*limitCounters, error) {
	n := len(tickets)
	sid := s.sess.ID
	lc := &limitCounters{total: n}

	var applying []*session.Policy
	var inScope [][]bool
	if len(s.policies) > 0 {
		applying, inScope = s.applying(now, h.Channel, tickets)
	}
	mode := session.EffectiveMode(&s.sess, applying...)
	perTicket, hasIDs := ticketIDs(mode, p.IDs, n)
	if hasIDs {
		for i := range tickets {
			tickets[i].ID, tickets[i].HasID = perTicket[i], true
		}
	}
	// Room for each ticket's keys, in one allocation.
	k := 4 + 2*len(applying)
	back := make([]string, n*k)
	for i := range tickets {
		tickets[i].Keys = back[i*k : i*k : i*k+k]
	}
	sc := scopeCtx{lc: lc, tickets: tickets, mode: mode, perTicket: perTicket, hasIDs: hasIDs, ids: p.IDs, buyer: h.Buyer}
	vs := sc.scope(nil, "limits", keySession(sid), s.sess.Limits, nil)
	if len(applying) > 0 {
		vs = sc.policyScopes(vs, applying, inScope)
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}

	if a := s.auths[h.Channel]; a != nil && (a.Allocation.Quantity > 0 || len(a.Allocation.Tiers) > 0) {
		lc.quotas(a, sid, h.Channel, tickets)
	}
	return lc, nil
}

// applying returns the policies in effect at now that bind some of the
// tickets sold through channel, and for each the tickets it binds.
//
//go:noinline
func (s *Sales) applying(now time.Time, channel string, tickets []Ticket) ([]*session.Policy, [][]bool) {
	var applying []*session.Policy
	var inScope [][]bool
	for _, pol := range s.policies {
		if !pol.InEffect(now) {
			continue
		}
		var in []bool
		for i, t := range tickets {
			if pol.Scope.Contains(s.sess.ID, channel, t.Tier) {
				if in == nil {
					in = make([]bool, len(tickets))
				}
				in[i] = true
			}
		}
		if in != nil {
			applying = append(applying, pol)
			inScope = append(inScope, in)
		}
	}
	return applying, inScope
}

// quotas adds the counters of the channel's allocation.
//
//go:noinline
func (lc *limitCounters) quotas(a *session.Authorization, sid, channel string, tickets []Ticket) {
	lc.quota = a
	if q := a.Allocation.Quantity; q > 0 {
		lc.qTotal = keyQuota(sid, channel)
		lc.add(tickets, lc.qTotal, int64(len(tickets)), int64(q), func(int) bool { return true })
	}
	for _, tq := range a.Allocation.Tiers {
		m := 0
		for _, t := range tickets {
			if t.Tier == tq.Tier {
				m++
			}
		}
		if m == 0 {
			continue
		}
		if lc.qTiers == nil {
			lc.qTiers, lc.qN = map[string]string{}, map[string]int{}
		}
		k := keyTierQuota(sid, channel, tq.Tier)
		lc.qTiers[k] = tq.Tier
		lc.qN[tq.Tier] = m
		tier := tq.Tier
		lc.add(tickets, k, int64(m), int64(tq.Quantity), func(i int) bool { return tickets[i].Tier == tier })
	}
}

// add adds a counter to the sale, and its key to the tickets it counts.
func (lc *limitCounters) add(tickets []Ticket, key string, n, max int64, pick func(i int) bool) {
	if n == 0 {
		return
	}
	lc.adds = append(lc.adds, CounterAdd{Key: key, Add: n, Max: max})
	for i := range tickets {
		if pick(i) {
			tickets[i].Keys = append(tickets[i].Keys, key)
		}
	}
}

// scopeCtx is what every limit scope of one sale shares.
type scopeCtx struct {
	lc        *limitCounters
	tickets   []Ticket
	mode      realname.Mode
	perTicket []realname.BlindIndex
	hasIDs    bool
	ids       []realname.BlindIndex
	buyer     string
}

// quickOK reports whether Limits.Check would pass m tickets with nothing held, in
// the common case of a sale without real names (saving its allocations).
func quickOK(lim session.Limits, mode realname.Mode, m int) bool {
	return mode == realname.ModeNone && lim.PerID == 0 && m >= 1 &&
		(lim.PerOrder == 0 || m <= lim.PerOrder) && (lim.PerBuyer == 0 || m <= lim.PerBuyer)
}

// scope checks one set of limits on the tickets in (nil: all) and adds its
// counters.
func (sc *scopeCtx) scope(vs wht93.Violations, field, prefix string, lim session.Limits, in []bool) wht93.Violations {
	inc := func(i int) bool { return in == nil || in[i] }
	m := 0
	var ids []realname.BlindIndex
	for i := range sc.tickets {
		if inc(i) {
			m++
			if sc.mode == realname.ModePerTicket && sc.hasIDs {
				ids = append(ids, sc.perTicket[i])
			}
		}
	}
	if m == 0 {
		return vs
	}
	switch {
	case sc.mode == realname.ModePerOrder, sc.mode == realname.ModePerTicket && !sc.hasIDs:
		ids = sc.ids
	}
	order := session.Order{Tickets: m, IDs: ids}
	if !quickOK(lim, sc.mode, m) {
		if bad := checkScope(field, lim, sc.mode, order); bad != nil {
			return append(vs, bad...)
		}
	}
	sc.lc.scopes = append(sc.lc.scopes, limitScope{field: field, limits: lim, mode: sc.mode, order: order})
	ls := &sc.lc.scopes[len(sc.lc.scopes)-1]
	if lim.PerBuyer > 0 {
		ls.buyer = keyBuyer(prefix, sc.buyer)
		sc.lc.add(sc.tickets, ls.buyer, int64(m), int64(lim.PerBuyer), inc)
	}
	if lim.PerID > 0 && sc.hasIDs {
		ls.ids = sc.perID(prefix, lim, in)
	}
	return vs
}

// The helpers below are out of line: the common path of a sale (a limit per
// buyer, no real names) keeps a small stack, which a server's many buyer
// goroutines would otherwise grow and copy.

// policyScopes checks the limits of each policy that applies.
//
//go:noinline
func (sc *scopeCtx) policyScopes(vs wht93.Violations, applying []*session.Policy, inScope [][]bool) wht93.Violations {
	for i, pol := range applying {
		if pol.Limits != (session.Limits{}) {
			vs = sc.scope(vs, "policies["+pol.ID+"].limits", keyPolicy(pol.ID), pol.Limits, inScope[i])
		}
	}
	return vs
}

// checkScope returns the violations of one scope's limits by an order alone.
//
//go:noinline
func checkScope(field string, lim session.Limits, mode realname.Mode, order session.Order) wht93.Violations {
	if err := lim.Check(mode, order, session.Held{}); err != nil {
		return wht93.ViolationsOf(err).In(field)
	}
	return nil
}

// perID adds a counter per document among the tickets in scope (in, nil: all)
// and returns the documents by counter key.
//
//go:noinline
func (sc *scopeCtx) perID(prefix string, lim session.Limits, in []bool) map[string]realname.BlindIndex {
	inc := func(i int) bool { return in == nil || in[i] }
	ids := map[string]realname.BlindIndex{}
	for i := range sc.tickets {
		id := sc.perTicket[i]
		if !inc(i) || firstIn(sc, in, id) != i {
			continue // counted at the first ticket in scope with the document
		}
		count := 0
		for j := range sc.tickets {
			if inc(j) && sc.perTicket[j] == id {
				count++
			}
		}
		k := keyID(prefix, id)
		ids[k] = id
		sc.lc.add(sc.tickets, k, int64(count), int64(lim.PerID), func(j int) bool { return inc(j) && sc.perTicket[j] == id })
	}
	return ids
}

// firstIn returns the index of the first ticket in scope with the document id.
func firstIn(sc *scopeCtx, in []bool, id realname.BlindIndex) int {
	for i := range sc.tickets {
		if (in == nil || in[i]) && sc.perTicket[i] == id {
			return i
		}
	}
	return -1
}

// explain turns a store's CapError into the violations of the limits and quotas
// behind its counters, computed by session.Limits.Check and
// Authorization.CheckQuota from the counts the store reported. It returns nil when
// it finds none (a store reporting counters it was not given).
func (lc *limitCounters) explain(ce *CapError) error {
	val := make(map[string]int64, len(ce.Counters))
	for _, c := range ce.Counters {
		val[c.Key] = c.Value
	}
	var vs wht93.Violations
	for _, ls := range lc.scopes {
		held := session.Held{ByID: map[realname.BlindIndex]int{}}
		hit := false
		if v, ok := val[ls.buyer]; ok && ls.buyer != "" {
			held.Buyer, hit = int(v), true
		}
		for k, id := range ls.ids {
			if v, ok := val[k]; ok {
				held.ByID[id], hit = int(v), true
			}
		}
		if !hit {
			continue
		}
		if err := ls.limits.Check(ls.mode, ls.order, held); err != nil {
			vs = append(vs, wht93.ViolationsOf(err).In(ls.field)...)
		}
	}
	if a := lc.quota; a != nil {
		if v, ok := val[lc.qTotal]; ok && lc.qTotal != "" {
			total := *a
			total.Allocation.Tiers = nil
			if err := total.CheckQuota("", int(v), 0, lc.total); err != nil {
				vs = append(vs, wht93.ViolationsOf(err).In("channel")...)
			}
		}
		keys := make([]string, 0, len(lc.qTiers))
		for k := range lc.qTiers {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v, ok := val[k]
			if !ok {
				continue
			}
			tier := lc.qTiers[k]
			perTier := *a
			perTier.Allocation.Quantity = 0
			if err := perTier.CheckQuota(tier, 0, int(v), lc.qN[tier]); err != nil {
				vs = append(vs, wht93.ViolationsOf(err).In("channel")...)
			}
		}
	}
	return vs.Err()
}
