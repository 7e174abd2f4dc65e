package checkin

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// Bounds of a policy.
const (
	// MaxEntries is the largest maximum of entries per ticket a policy accepts
	// (a season pass or a multi-day ticket re-enters; nothing enters ten thousand
	// times).
	MaxEntries = 10000
	// DefaultOpenBefore is when the gates open when Rules.OpenBefore is zero:
	// two hours before the session starts.
	DefaultOpenBefore = 2 * time.Hour
	// MaxOpenBefore bounds Rules.OpenBefore.
	MaxOpenBefore = 24 * time.Hour
)

// Rules are the settings of a session's entry that the ticketing system's
// operator chooses (6.3.6.1). The zero value is one entry per ticket, the
// gates open DefaultOpenBefore the start until the end of the show, every
// method, without 人票证合一. A Rules is a plain value.
type Rules struct {
	// MaxEntries is how many times one ticket may enter (检票次数的最大值): 1 to
	// [MaxEntries]; 0 means 1.
	MaxEntries int
	// OpenBefore is how long before the session's start the gates open; 0
	// means [DefaultOpenBefore]. At most [MaxOpenBefore].
	OpenBefore time.Duration
	// LastEntry, when above zero, closes entry that long after the start (no
	// late admission); otherwise entry stays open until the session ends.
	LastEntry time.Duration
	// Methods are the methods the gates accept; the zero set means all.
	Methods MethodSet
	// PersonTicketID requires 人票证合一 for real-name tickets: a code is accepted
	// only with the holder's document presented with it (its blind index) and
	// the person matched to the document by the device; an ID card alone needs
	// the person matched to it too. Tickets that are not real-name enter by their
	// code alone.
	PersonTicketID bool
}

// Policy is the entry policy of one session: which session the gates admit,
// when, how many times a ticket, and by which methods. Build it with
// [NewPolicy]; a Policy is an immutable value, safe for concurrent use.
type Policy struct {
	session   codes.SessionCode
	sessionID string
	realName  realname.Mode
	opens     time.Time
	closes    time.Time // last entry; == end when no LastEntry
	end       time.Time // the session's end: tickets expire (E.1.5 c)
	max       int
	methods   MethodSet
	ptid      bool
}

// NewPolicy returns the entry policy of session s under rules r, or every
// violation: a session without its code or cancelled, times that do not make
// a window, a maximum out of 1 to MaxEntries, an unknown method.
func NewPolicy(s *session.Session, r Rules) (Policy, error) {
	var vs wht93.Violations
	if s.Code.IsZero() {
		vs = append(vs, ErrPolicy.Atf("session.code", "", "场次尚无场次编码", "the session has no session code"))
	}
	if s.Cancelled {
		vs = append(vs, ErrPolicy.Atf("session.cancelled", "true", "场次已取消", "the session is cancelled"))
	}
	if s.Start.IsZero() || s.End.IsZero() || !s.Start.Before(s.End) {
		vs = append(vs, ErrPolicy.Atf("session.end", s.End.Format(time.RFC3339), "场次应有开始和结束时间，且开始早于结束", "the session needs a start before its end"))
	}
	if len(s.ID) > 50 {
		vs = append(vs, ErrPolicy.Atf("session.id", s.ID, "场次ID最多50个字符", "session id is at most 50 characters"))
	}
	max := r.MaxEntries
	if max == 0 {
		max = 1
	}
	if max < 1 || max > MaxEntries {
		vs = append(vs, ErrPolicy.Atf("maxEntries", strconv.Itoa(r.MaxEntries), "最大检票次数应为1至10000", "maximum entries must be 1 to 10000"))
	}
	open := r.OpenBefore
	if open == 0 {
		open = DefaultOpenBefore
	}
	if open < 0 || open > MaxOpenBefore {
		vs = append(vs, ErrPolicy.Atf("openBefore", r.OpenBefore.String(), "开始检票时间应为开演前0至24小时", "gates open 0 to 24 hours before the start"))
	}
	if r.LastEntry < 0 {
		vs = append(vs, ErrPolicy.Atf("lastEntry", r.LastEntry.String(), "停止入场时间不能为负", "last entry must not be negative"))
	}
	methods := r.Methods
	if methods == 0 {
		methods = AllMethods
	}
	if methods&^AllMethods != 0 {
		vs = append(vs, ErrPolicy.Atf("methods", strconv.Itoa(int(r.Methods)), "含有未知的检票方式", "unknown method in the set"))
	}
	if err := vs.Err(); err != nil {
		return Policy{}, err
	}
	p := Policy{
		session: s.Code, sessionID: s.ID, realName: s.RealName,
		opens: s.Start.Add(-open), closes: s.End, end: s.End,
		max: max, methods: methods, ptid: r.PersonTicketID,
	}
	if r.LastEntry > 0 && s.Start.Add(r.LastEntry).Before(s.End) {
		p.closes = s.Start.Add(r.LastEntry)
	}
	return p, nil
}

// Session returns the session code of the policy.
func (p Policy) Session() codes.SessionCode { return p.session }

// SessionID returns the management system's session id.
func (p Policy) SessionID() string { return p.sessionID }

// Max returns the maximum number of entries per ticket.
func (p Policy) Max() int { return p.max }

// Methods returns the methods accepted.
func (p Policy) Methods() MethodSet { return p.methods }

// PersonTicketID reports whether 人票证合一 is required of real-name tickets.
func (p Policy) PersonTicketID() bool { return p.ptid }

// Window returns when entry opens and when it closes (the last entry, or the
// session's end).
func (p Policy) Window() (opens, closes time.Time) { return p.opens, p.closes }

// End returns the session's end, from which every ticket has expired.
func (p Policy) End() time.Time { return p.end }

// IsZero reports whether p is the zero Policy (not made by NewPolicy).
func (p Policy) IsZero() bool { return p.max == 0 }
