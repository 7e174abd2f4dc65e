package checkin

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/ticket"
)

// Decision is a gate's answer to a scan: accepted, with the entry recorded,
// or refused, with the reason — a violation of one of this package's rules
// (ErrMaxEntries, ErrRefunded, …) whose messages the device shows in Chinese
// and English. A Decision is a plain value, safe for concurrent reads.
type Decision struct {
	Accepted bool
	// Duplicate says the scan's id had been admitted before (a device's retry):
	// Entry is that admission, counted once.
	Duplicate bool
	// Entry is the admission recorded; zero when refused.
	Entry Entry
	// Ticket is the ticket decided on, when the scan named a known one.
	Ticket codes.TicketCode
	// Count is the ticket's entries after the decision, and Max the policy's
	// maximum.
	Count, Max int
	// Refusal is why the scan was refused; nil when accepted.
	Refusal *wht93.Violation
}

// Err returns nil when the scan was accepted and the refusal otherwise, so that
// errors.Is(d.Err(), checkin.ErrMaxEntries) tells the reason.
func (d Decision) Err() error {
	if d.Accepted || d.Refusal == nil {
		return nil
	}
	return d.Refusal
}

// Code returns "checkin.ok" when accepted and the refusal's rule code
// otherwise.
func (d Decision) Code() string {
	if d.Accepted {
		return "checkin.ok"
	}
	if d.Refusal == nil {
		return ""
	}
	return d.Refusal.Code()
}

// Zh returns the message a device shows, in Chinese.
func (d Decision) Zh() string {
	switch {
	case d.Accepted && d.Duplicate:
		return fmt.Sprintf("准予入场（重复提交，已记录为第%d次检票）", d.Entry.Count)
	case d.Accepted:
		return fmt.Sprintf("准予入场（第%d次检票，最多%d次）", d.Entry.Count, d.Max)
	case d.Refusal != nil:
		return d.Refusal.Zh
	}
	return ""
}

// En returns the message a device shows, in English.
func (d Decision) En() string {
	switch {
	case d.Accepted && d.Duplicate:
		return fmt.Sprintf("admitted (a repeated scan, recorded as entry %d)", d.Entry.Count)
	case d.Accepted:
		return fmt.Sprintf("admitted (entry %d of at most %d)", d.Entry.Count, d.Max)
	case d.Refusal != nil:
		return d.Refusal.En
	}
	return ""
}

// String returns "zh / en".
func (d Decision) String() string { return d.Zh() + " / " + d.En() }

// Checker decides scans under one session's policy, verifying codes with the
// verifier (public keys only) and naming the node it runs on in the entries it
// records. It holds no state: a Checker is immutable and safe for concurrent
// use.
type Checker struct {
	node     string
	policy   Policy
	verifier *ticket.Verifier
}

// NewChecker returns a checker for the node named node (1 to MaxNameLen
// characters: "online", "lan-east") under policy p, verifying codes with v.
func NewChecker(node string, p Policy, v *ticket.Verifier) (*Checker, error) {
	var vs wht93.Violations
	if !textOK(node, 1, MaxNameLen) {
		vs = append(vs, ErrPolicy.Atf("node", node, "节点名称应为1至64个字符", "node name must be 1 to 64 characters"))
	}
	if p.IsZero() {
		vs = append(vs, ErrPolicy.Atf("policy", "", "缺少检票规则（用 NewPolicy 创建）", "the policy is missing (make it with NewPolicy)"))
	}
	if v == nil {
		vs = append(vs, ErrPolicy.Atf("verifier", "", "缺少票码验签器", "the verifier is missing"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return &Checker{node: node, policy: p, verifier: v}, nil
}

// Policy returns the checker's policy.
func (c *Checker) Policy() Policy { return c.policy }

// Node returns the name of the checker's node.
func (c *Checker) Node() string { return c.node }

// Decide is the decision, as a pure function: it decides scan s from the
// passes of l and the entries counted so far (counts returns a ticket's count),
// and returns the decision with the entry that would be recorded. It reads no
// clock (s.At is the instant) and changes nothing: a node records an accepted
// entry with [Checker.Enter], which asks the store to count it atomically.
//
// The checks, in order, each refusing with its rule: the scan is complete
// (ErrScan); its method is allowed (ErrMethod); entry is open at s.At
// (ErrNotOpen, ErrExpired after the session's end, ErrClosed after the last
// entry); the code reads (ErrUnreadable), its signature verifies (ErrForged;
// not checked again for the code its pass records, see Pass.CodeDigest) and
// it is valid now (ErrNotOpen, ErrExpired); it is of this session
// (ErrWrongSession) and a ticket the system knows (ErrUnknown); the ticket is
// not refunded or void (ErrRefunded, ErrVoid) and the code is its live one
// (ErrSuperseded); under 人票证合一 the holder's document and the person match
// (ErrIdentity); and the ticket has entered fewer than the maximum times
// (ErrMaxEntries, the message of E.2.7). An ID card finds the holder's tickets
// of the session by its blind index and enters on the first, by ticket code,
// that has entries left.
func (c *Checker) Decide(s Scan, l Lookup, counts func(codes.TicketCode) int) Decision {
	cands, refusal := c.candidates(&s, l)
	if refusal != nil {
		return c.refuse(refusal, cands)
	}
	n := 0
	for _, p := range cands {
		n = counts(p.Ticket)
		if n < c.policy.max {
			e := c.entryOf(&s, &p, n+1)
			return Decision{Accepted: true, Entry: e, Ticket: p.Ticket, Count: n + 1, Max: c.policy.max}
		}
	}
	return c.refuseMax(cands, n)
}

// Enter decides scan s as Decide does and records an accepted entry in st:
// for each candidate ticket, st.Admit counts the entry if the ticket is below
// the maximum, atomically, so that concurrent scans of one ticket at any number
// of gates admit at most the maximum. A scan whose id was admitted before is
// answered with that admission (Duplicate). The answers of st are checked: a
// store that breaks its contract gets an ErrStore error, as does any error of
// the store itself; the decision is then unknown and the device should retry
// with the same scan id.
func (c *Checker) Enter(ctx context.Context, st Store, s Scan, l Lookup) (Decision, error) {
	cands, refusal := c.candidates(&s, l)
	if refusal != nil {
		return c.refuse(refusal, cands), nil
	}
	n := 0
	for _, p := range cands {
		e := c.entryOf(&s, &p, 1)
		a, err := st.Admit(ctx, e, c.policy.max)
		if err != nil {
			return Decision{}, err
		}
		if err := checkAdmission(&e, &a, c.policy.max); err != nil {
			return Decision{}, err
		}
		if a.Admitted {
			return Decision{Accepted: true, Duplicate: a.Duplicate, Entry: a.Entry, Ticket: a.Entry.Ticket, Count: a.Count, Max: c.policy.max}, nil
		}
		n = a.Count
	}
	return c.refuseMax(cands, n), nil
}

func (c *Checker) refuse(v *wht93.Violation, cands []Pass) Decision {
	d := Decision{Refusal: v, Max: c.policy.max}
	if len(cands) > 0 {
		d.Ticket = cands[0].Ticket
	}
	return d
}

func (c *Checker) refuseMax(cands []Pass, n int) Decision {
	code := cands[0].Ticket
	v := ErrMaxEntries.Atf("ticket", code.String(), ErrMaxEntries.Zh(), ErrMaxEntries.En()+" ("+strconv.Itoa(n)+" of "+strconv.Itoa(c.policy.max)+")")
	return Decision{Refusal: v, Ticket: code, Count: n, Max: c.policy.max}
}

func (c *Checker) entryOf(s *Scan, p *Pass, count int) Entry {
	return Entry{
		ID: s.ID, Ticket: p.Ticket, SessionID: p.SessionID, Tier: p.Tier, RealName: p.RealName,
		Method: s.Method, Gate: s.Gate, Device: s.Device, Node: c.node, At: s.At, Count: count,
	}.Normalized()
}

// candidates returns the passes the scan may enter on, or why it is refused
// (with the pass concerned, when there is one).
func (c *Checker) candidates(s *Scan, l Lookup) ([]Pass, *wht93.Violation) {
	if err := s.Validate(); err != nil {
		return nil, wht93.ViolationsOf(err)[0]
	}
	p := &c.policy
	if !p.methods.Has(s.Method) {
		return nil, ErrMethod.At("method", s.Method.String())
	}
	at := s.At
	switch {
	case at.Before(p.opens):
		return nil, ErrNotOpen.Atf("at", stamp(at), "尚未开始检票入场（"+stamp(p.opens)+" 开始）", "entry has not opened yet (it opens at "+stamp(p.opens)+")")
	case !at.Before(p.end):
		return nil, ErrExpired.At("at", stamp(at))
	case !at.Before(p.closes):
		return nil, ErrClosed.Atf("at", stamp(at), "已停止检票入场（"+stamp(p.closes)+" 停止）", "entry has closed (at "+stamp(p.closes)+")")
	}
	if s.Method == IDCard {
		return c.byDocument(s, l)
	}
	return c.byCode(s, l)
}

// byCode decides a scanned code. The code is decoded first, to find its pass
// and the digest of the ticket's code as the online side issued it: a code
// equal to it byte for byte is verified without its signature
// (ticket.Verifier.VerifyKnown; see Pass.CodeDigest), any other with it, and
// the refusals are the same either way.
func (c *Checker) byCode(s *Scan, l Lookup) ([]Pass, *wht93.Violation) {
	var p Pass
	var code codes.TicketCode
	known := false
	cred, err := c.verifier.VerifyRecorded(s.Credential, s.At, l, func(t codes.TicketCode) [sha256.Size]byte {
		code = t
		p, known = l.Pass(t)
		return p.CodeDigest
	})
	switch {
	case err == nil:
	case errors.Is(err, ticket.ErrCredentialFormat):
		return nil, ErrUnreadable.At("credential", clip(s.Credential))
	case errors.Is(err, ticket.ErrCredentialKey), errors.Is(err, ticket.ErrCredentialSignature):
		return nil, ErrForged.At("credential", clip(s.Credential))
	case errors.Is(err, ticket.ErrCredentialNotYet):
		return nil, ErrNotOpen.Atf("credential", clip(s.Credential), "票码尚未生效", "the code is not valid yet")
	case errors.Is(err, ticket.ErrCredentialExpired):
		return nil, ErrExpired.At("credential", clip(s.Credential))
	case errors.Is(err, ticket.ErrCredentialRevoked):
		if known {
			if v := c.closed(&p); v != nil {
				return []Pass{p}, v
			}
			return []Pass{p}, ErrSuperseded.At("ticket", p.Ticket.String())
		}
		return nil, ErrSuperseded.At("ticket", code.String())
	default:
		return nil, ErrForged.At("credential", clip(s.Credential))
	}
	if cred.Session() != c.policy.session {
		return nil, ErrWrongSession.Atf("ticket", cred.Ticket.String(),
			"演出票属于场次 "+cred.Session().String()+"，不属于本场次，不可检票入场",
			"the ticket is for session "+cred.Session().String()+", not this one: no entry")
	}
	if !known {
		return nil, ErrUnknown.At("ticket", cred.Ticket.String())
	}
	if v := c.closed(&p); v != nil {
		return []Pass{p}, v
	}
	if cred.Version < p.Version {
		return []Pass{p}, ErrSuperseded.At("ticket", p.Ticket.String())
	}
	if !s.At.Before(p.NotAfter) {
		return []Pass{p}, ErrExpired.At("ticket", p.Ticket.String())
	}
	if c.policy.ptid && p.RealName.RealName() {
		switch {
		case !s.HasHolder():
			return []Pass{p}, ErrIdentity.Atf("holder", "", "人票证合一：请同时出示购票证件", "person, ticket and ID: present the ticket's ID document with it")
		case s.Holder != p.Holder:
			return []Pass{p}, ErrIdentity.Atf("holder", "", "人票证合一：证件与演出票实名信息不符", "person, ticket and ID: the document is not the ticket holder's")
		case !s.FaceMatched:
			return []Pass{p}, faceNotMatched()
		}
	}
	return []Pass{p}, nil
}

func (c *Checker) byDocument(s *Scan, l Lookup) ([]Pass, *wht93.Violation) {
	var mine []Pass
	for _, p := range l.Holding(s.Holder) {
		if p.Ticket.Session() == c.policy.session {
			mine = append(mine, p)
		}
	}
	if len(mine) == 0 {
		return nil, ErrUnknown.Atf("holder", "", "该证件在本场次没有演出票", "this document holds no ticket of this session")
	}
	var live []Pass
	for _, p := range mine {
		if c.closed(&p) == nil && s.At.Before(p.NotAfter) {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		p := mine[0]
		if v := c.closed(&p); v != nil {
			return mine, v
		}
		return mine, ErrExpired.At("ticket", p.Ticket.String())
	}
	if c.policy.ptid && !s.FaceMatched {
		return live, faceNotMatched()
	}
	return live, nil
}

// faceNotMatched is the 人票证合一 refusal of a person not matched to the
// document, by code or by ID card.
func faceNotMatched() *wht93.Violation {
	return ErrIdentity.Atf("faceMatched", "false", "人票证合一：人证核验未通过", "person, ticket and ID: the person was not matched to the document")
}

// closed returns the refusal of a refunded or void ticket, nil for a valid one.
func (c *Checker) closed(p *Pass) *wht93.Violation {
	switch p.Status {
	case ticket.Valid:
		return nil
	case ticket.Refunded:
		return ErrRefunded.At("ticket", p.Ticket.String())
	default:
		return ErrVoid.At("ticket", p.Ticket.String())
	}
}

// checkAdmission checks a store's answer to Admit(e, max).
func checkAdmission(e *Entry, a *Admission, max int) error {
	bad := func(zh, en string) error {
		return ErrStore.Atf("admission", e.ID, "Admit 返回了违反约定的结果："+zh, "Admit answered against its contract: "+en)
	}
	switch {
	case a.Duplicate && !a.Admitted:
		return bad("重复记录应视为已入场", "a duplicate must be admitted")
	case a.Admitted && a.Entry.ID != e.ID:
		return bad("返回的记录ID不同", "the entry returned has another id")
	case a.Admitted && !a.Duplicate && (a.Entry.Ticket != e.Ticket || a.Entry.Count != a.Count || a.Count < 1 || a.Count > max || !a.Entry.At.Equal(e.At)):
		return bad("记录或计数不符", "the entry or the count does not match")
	case !a.Admitted && (a.Count < max || a.Entry != Entry{}):
		return bad("未达最大次数却拒绝入场", "refused below the maximum")
	}
	return nil
}

func stamp(t time.Time) string { return t.In(wht93.CST).Format("2006-01-02 15:04:05") }

// clip shortens a code read for an error value: enough to recognise it.
func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}
