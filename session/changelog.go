package session

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
)

// Change is one record of the session change log (场次信息变更日志, 6.3.2.2): which
// field of which session changed from what to what, who changed it and when.
// Values are formatted as text: times as "2006-01-02 15:04:05" in China Standard
// Time, ticket modes as "paper,e-ticket", the real-name mode as "none",
// "per-order" or "per-ticket".
type Change struct {
	SessionID string
	Field     string
	Old, New  string
	By        string // the operator's account
	At        time.Time
}

var (
	// ErrEditor is the rule that an edit names who made it (an account, at most 50
	// characters) and when.
	ErrEditor = wht93.NewRule("session.edit.by", "修改记录应有操作人和时间", "an edit needs who made it and when")
	// ErrImmutable is the rule that a session's id and performance never change, and
	// that its session code, once issued, does not either.
	ErrImmutable = wht93.NewRule("session.edit.immutable", "场次ID、所属演出活动及已下发的场次编码不能修改", "session id, performance and an issued session code cannot change")
)

// sessionFields lists the logged fields with their Appendix A style names.
var sessionFields = []struct {
	name string
	get  func(*Session) string
}{
	{"sessionName", func(s *Session) string { return s.Name }},
	{"sessionCode", func(s *Session) string { return s.Code.String() }},
	{"typeId", func(s *Session) string { return s.Type.String() }},
	{"venue", func(s *Session) string { return s.Venue }},
	{"hall", func(s *Session) string { return s.Hall }},
	{"hallCode", func(s *Session) string { return s.HallCode.String() }},
	{"hasSeat", func(s *Session) string { return strconv.FormatBool(s.Seated) }},
	{"date", func(s *Session) string { return s.Date.String() }},
	{"sessionStartTime", func(s *Session) string { return fmtTime(s.Start) }},
	{"sessionEndTime", func(s *Session) string { return fmtTime(s.End) }},
	{"ticketModes", func(s *Session) string { return s.TicketModes.String() }},
	{"realName", func(s *Session) string { return s.RealName.String() }},
	{"limits.perOrder", func(s *Session) string { return strconv.Itoa(s.Limits.PerOrder) }},
	{"limits.perBuyer", func(s *Session) string { return strconv.Itoa(s.Limits.PerBuyer) }},
	{"limits.perId", func(s *Session) string { return strconv.Itoa(s.Limits.PerID) }},
	{"sales.start", func(s *Session) string { return fmtTime(s.Sales.Start) }},
	{"sales.stop", func(s *Session) string { return fmtTime(s.Sales.Stop) }},
	{"sales.openedAt", func(s *Session) string { return fmtTime(s.Sales.OpenedAt) }},
	{"sales.suspendedAt", func(s *Session) string { return fmtTime(s.Sales.SuspendedAt) }},
	{"sales.endedAt", func(s *Session) string { return fmtTime(s.Sales.EndedAt) }},
	{"cancelled", func(s *Session) string { return strconv.FormatBool(s.Cancelled) }},
	{"tag", func(s *Session) string { return strconv.FormatBool(s.Test) }},
}

// Edit replaces a session by its edited version, made by the account by at the
// instant at. It returns the edited session and one Change per field that differs,
// in a fixed field order; an edit that changes nothing returns no change. The edited
// session must be valid, keep the id and the performance, and keep an issued session
// code; otherwise Edit returns the old session, no change and every violation.
func Edit(old, edited Session, by string, at time.Time) (Session, []Change, error) {
	var vs wht93.Violations
	if !wht93.CleanText(by, maxID, "") {
		vs = append(vs, ErrEditor.At("by", by))
	}
	if at.IsZero() {
		vs = append(vs, ErrEditor.At("at", ""))
	}
	if edited.ID != old.ID {
		vs = append(vs, ErrImmutable.At("sessionId", edited.ID))
	}
	if edited.PerformanceID != old.PerformanceID {
		vs = append(vs, ErrImmutable.At("performanceId", edited.PerformanceID))
	}
	if !old.Code.IsZero() && edited.Code != old.Code {
		vs = append(vs, ErrImmutable.At("sessionCode", edited.Code.String()))
	}
	if err := edited.Validate(); err != nil {
		vs = append(vs, wht93.ViolationsOf(err)...)
	}
	if err := vs.Err(); err != nil {
		return old, nil, err
	}
	var changes []Change
	for _, f := range sessionFields {
		if o, n := f.get(&old), f.get(&edited); o != n {
			changes = append(changes, Change{SessionID: old.ID, Field: f.name, Old: o, New: n, By: by, At: at})
		}
	}
	return edited, changes, nil
}

// Log is a session change log: the records returned by [Edit], appended in order.
// It is a plain slice: the host stores it; Find queries it.
type Log []Change

// Query selects change records; an empty field matches every record. From and Until
// bound the time: [From, Until), a zero bound is open.
type Query struct {
	SessionID string
	Field     string
	By        string
	From      time.Time
	Until     time.Time
}

// Matches reports whether the change is selected by the query.
func (q Query) Matches(c Change) bool {
	return (q.SessionID == "" || c.SessionID == q.SessionID) &&
		(q.Field == "" || c.Field == q.Field) &&
		(q.By == "" || c.By == q.By) &&
		(q.From.IsZero() || !c.At.Before(q.From)) &&
		(q.Until.IsZero() || c.At.Before(q.Until))
}

// Find returns the records the query selects, in log order.
func (l Log) Find(q Query) []Change {
	var out []Change
	for _, c := range l {
		if q.Matches(c) {
			out = append(out, c)
		}
	}
	return out
}
