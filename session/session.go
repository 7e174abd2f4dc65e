package session

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// TicketMode is a kind of ticket a session issues (演出票种类), numbered as Appendix
// A's ticketMode: 1 paper, 2 e-ticket.
type TicketMode uint8

// The ticket modes of Appendix A.
const (
	Paper      TicketMode = 1 // 纸质票
	Electronic TicketMode = 2 // 电子票
)

// String returns "paper" or "e-ticket".
func (m TicketMode) String() string {
	switch m {
	case Paper:
		return "paper"
	case Electronic:
		return "e-ticket"
	}
	return "TicketMode(" + strconv.Itoa(int(m)) + ")"
}

// Zh returns 纸质票 or 电子票.
func (m TicketMode) Zh() string {
	switch m {
	case Paper:
		return "纸质票"
	case Electronic:
		return "电子票"
	}
	return m.String()
}

// TicketModes is a set of ticket modes.
type TicketModes uint8

// ModesOf returns the set of the given modes.
func ModesOf(ms ...TicketMode) TicketModes {
	var s TicketModes
	for _, m := range ms {
		s |= 1 << m
	}
	return s
}

// Has reports whether m is in the set.
func (s TicketModes) Has(m TicketMode) bool { return m <= Electronic && s&(1<<m) != 0 }

// String returns the modes joined with commas: "paper,e-ticket".
func (s TicketModes) String() string {
	var parts []string
	for _, m := range []TicketMode{Paper, Electronic} {
		if s.Has(m) {
			parts = append(parts, m.String())
		}
	}
	if rest := s &^ ModesOf(Paper, Electronic); rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint8(rest)))
	}
	return strings.Join(parts, ",")
}

func (s TicketModes) valid() bool { return s != 0 && s&^ModesOf(Paper, Electronic) == 0 }

// Session is one session (演出场次) of a performance, with the information of
// 6.3.2.2 (E.2.2.2): name, session code (zero until the platform issues it), type
// code, venue, hall and hall code, date, start and end, the ticket modes, the
// real-name mode and the purchase limits, plus its sales window and state.
//
// A Session is a plain value (no pointers or slices): copies are independent. Edit
// it through [Edit] to keep the change log of 6.3.2.2.
type Session struct {
	ID            string            // the management system's id (Appendix A sessionId, String 50)
	PerformanceID string            // the performance it belongs to
	Name          string            // 演出场次名称 (String 50)
	Code          codes.SessionCode // 演出场次编码, zero until issued
	Type          codes.TypeCode    // 演出类型编码
	Venue         string            // 演出场所 (its name, String 50)
	Hall          string            // 演出场厅 (its name, String 50)
	HallCode      codes.HallCode    // 演出场厅编码
	Seated        bool              // hasSeat: a seated session sells seats of the hall's template
	Date          wht93.Date        // 场次日期: the date of Start in China Standard Time
	Start, End    time.Time         // 场次开始时间, 场次结束时间
	TicketModes   TicketModes       // 演出票种类: paper, e-ticket or both
	RealName      realname.Mode     // 实名购票规则 of the session
	Limits        Limits            // 场次限购规则, counted over this session
	Sales         Sales             // sale window and status actions (6.3.2.9)
	Cancelled     bool              // Appendix A sessionStatus 2; ends the sale
	Test          bool              // Appendix A tag 1: a test session, not a real one
}

var (
	// ErrSessionTime is the rule that a session starts before it ends, lasts at most
	// 24 hours, and that its date is the date of its start in China Standard Time.
	ErrSessionTime = wht93.NewRule("session.time", "场次时间有误（开始应早于结束，时长不超过24小时，场次日期为开始时间的日期）", "session times are wrong (start before end, at most 24 hours, date = start date)")
	// ErrSessionCode is the rule that an issued session code is of the session's
	// hall and date.
	ErrSessionCode = wht93.NewRule("session.code", "场次编码与场厅编码或场次日期不符", "session code does not match the hall code or the session date")
	// ErrHallCode is the rule that a session names its hall code.
	ErrHallCode = wht93.NewRule("session.hallcode", "场次应有场厅编码", "session needs a hall code")
	// ErrTicketModes is the rule that a session issues paper tickets, e-tickets or
	// both.
	ErrTicketModes = wht93.NewRule("session.ticketmodes", "演出票种类应为纸质票、电子票或两者", "ticket modes must be paper, e-ticket or both")
	// ErrRealNameMode is the rule that a real-name mode is one of Appendix A's
	// authMode 1, 2, 3.
	ErrRealNameMode = wht93.NewRule("session.realname", "实名方式应为非实名、一单一证或一票一证", "real-name mode must be none, one ID per order or one ID per ticket")
)

// Validate returns every violation of the session's fields, nil when none.
func (s *Session) Validate() error {
	var vs wht93.Violations
	vs = text{field: "sessionId", value: s.ID, max: maxID}.check(vs)
	vs = text{field: "performanceId", value: s.PerformanceID, max: maxID}.check(vs)
	vs = text{field: "sessionName", value: s.Name, max: maxID}.check(vs)
	if !s.Type.Valid() {
		vs = append(vs, ErrType.At("typeId", strconv.Itoa(int(s.Type))))
	}
	vs = text{field: "venue", value: s.Venue, max: maxID}.check(vs)
	vs = text{field: "hall", value: s.Hall, max: maxID}.check(vs)
	if s.HallCode.IsZero() {
		vs = append(vs, ErrHallCode.At("hallCode", ""))
	}
	switch {
	case s.Start.IsZero() || s.End.IsZero() || !s.Start.Before(s.End):
		vs = append(vs, ErrSessionTime.At("sessionEndTime", fmtTime(s.End)))
	case s.End.Sub(s.Start) > maxDuration:
		vs = append(vs, ErrSessionTime.Atf("sessionEndTime", fmtTime(s.End), "场次时长超过24小时", "session lasts more than 24 hours"))
	}
	if !s.Start.IsZero() && s.Date != wht93.DateOf(s.Start) {
		vs = append(vs, ErrSessionTime.Atf("date", s.Date.String(),
			"场次日期应为开始时间的日期 "+wht93.DateOf(s.Start).String(), "session date must be the start date "+wht93.DateOf(s.Start).String()))
	}
	if !s.Code.IsZero() {
		if !s.HallCode.IsZero() && s.Code.Hall() != s.HallCode {
			vs = append(vs, ErrSessionCode.Atf("sessionCode", s.Code.String(),
				"场次编码前11位应为场厅编码 "+s.HallCode.String(), "the session code's first 11 digits must be the hall code "+s.HallCode.String()))
		}
		if s.Code.Date() != s.Date {
			vs = append(vs, ErrSessionCode.Atf("sessionCode", s.Code.String(),
				"场次编码中的日期应为场次日期 "+s.Date.String(), "the date in the session code must be the session date "+s.Date.String()))
		}
	}
	if !s.TicketModes.valid() {
		vs = append(vs, ErrTicketModes.At("ticketModes", s.TicketModes.String()))
	}
	if !s.RealName.Valid() {
		vs = append(vs, ErrRealNameMode.At("realName", strconv.Itoa(int(s.RealName))))
	}
	vs = append(vs, s.Limits.check(s.RealName).In("limits")...)
	vs = append(vs, s.Sales.check(s.End).In("sales")...)
	return vs.Err()
}

// Status returns the sales status at now: the status of the sales window, and
// [Ended] once the session is cancelled or over.
func (s *Session) Status(now time.Time) Status {
	if s.Cancelled || !now.Before(s.End) {
		return Ended
	}
	return s.Sales.Status(now)
}

// CanSell returns nil when the session's tickets may be sold at now, and otherwise
// a violation saying why not (E.2.2.8: nothing sells before the sale starts or after
// it stops): [ErrNotOpen], [ErrNotStarted], [ErrSuspended] or [ErrSaleEnded].
func (s *Session) CanSell(now time.Time) error {
	switch {
	case s.Cancelled:
		return ErrSaleEnded.Atf("sessionStatus", "cancelled", "场次已取消，不能购票", "the session is cancelled: tickets cannot be bought")
	case !now.Before(s.End):
		return ErrSaleEnded.Atf("sessionEndTime", fmtTime(s.End), "场次已结束，不能购票", "the session is over: tickets cannot be bought")
	}
	return s.Sales.CanSell(now)
}
