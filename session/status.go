package session

import (
	"strconv"
	"time"

	"github.com/piaowu/wht93"
)

// Status is a session's sales status (6.3.2.9 销售状态, 7.1.3.1).
//
// The standard names 未开票, 开票, 售票中 and 售票结束 ("including but not limited
// to"). Here 开票 is the state of a session whose tickets have been released
// (published, 上架) but whose sale has not started yet: E.2.2.8 b) looks at a listed
// session before its sale start and expects that it cannot be bought. The SDK adds
// 暂停销售 (Suspended), which the list allows, so that an operator can stop sales
// for a while (a price error, a venue problem) without ending them.
type Status uint8

// The sales statuses.
const (
	NotOpen   Status = iota + 1 // 未开票: tickets not released
	Open                        // 开票: released, sale not yet started
	OnSale                      // 售票中
	Suspended                   // 暂停销售
	Ended                       // 售票结束: stop time passed, ended early, session cancelled or over
)

var statusNames = [...]struct{ zh, en string }{
	{"", ""}, {"未开票", "not open"}, {"开票", "open"}, {"售票中", "on sale"}, {"暂停销售", "suspended"}, {"售票结束", "ended"},
}

// String returns the status in English: "not open", "open", "on sale",
// "suspended", "ended".
func (s Status) String() string {
	if s == 0 || int(s) >= len(statusNames) {
		return "Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s].en
}

// Zh returns the status in Chinese: 未开票, 开票, 售票中, 暂停销售, 售票结束.
func (s Status) Zh() string {
	if s == 0 || int(s) >= len(statusNames) {
		return s.String()
	}
	return statusNames[s].zh
}

// Sales is a session's sales window and the status actions taken on it. The status
// at any instant is a pure function of this value and the instant ([Sales.Status]):
//
//   - before OpenedAt (or never opened): 未开票 NotOpen;
//   - opened, before Start: 开票 Open;
//   - from Start until Stop: 售票中 OnSale, or 暂停销售 Suspended from SuspendedAt;
//   - from Stop, or from EndedAt when the sale was ended early: 售票结束 Ended.
//
// The actions [Sales.Open], [Sales.Suspend], [Sales.Resume] and [Sales.End] return
// a new value; pass it to [Edit] so that the change is logged. Each takes the
// instant it takes effect, which may be in the future (an opening scheduled for
// 10:00). Ended is final: nothing reopens a sale that has ended, except editing
// the window itself.
type Sales struct {
	Start       time.Time // 开售时间
	Stop        time.Time // 停售时间
	OpenedAt    time.Time // when tickets were released (开票); zero: not yet
	SuspendedAt time.Time // when sales were suspended; zero: not suspended
	EndedAt     time.Time // when sales were ended early; zero: not ended early
}

var (
	// ErrSalesWindow is the rule that a sale starts before it stops and stops no
	// later than the session ends.
	ErrSalesWindow = wht93.NewRule("session.sales.window", "开售时间应早于停售时间，停售时间不晚于场次结束时间", "sale must start before it stops and stop no later than the session ends")
	// ErrNotOpen is the rule that tickets cannot be bought before they are released
	// (未开票).
	ErrNotOpen = wht93.NewRule("session.sales.notopen", "未开票，不能购票", "tickets are not released yet: they cannot be bought")
	// ErrNotStarted is the rule that tickets cannot be bought before the sale start
	// time (开票, 未开售).
	ErrNotStarted = wht93.NewRule("session.sales.notstarted", "尚未到开售时间，不能购票", "the sale has not started: tickets cannot be bought")
	// ErrSuspended is the rule that tickets cannot be bought while sales are
	// suspended.
	ErrSuspended = wht93.NewRule("session.sales.suspended", "已暂停销售，不能购票", "sales are suspended: tickets cannot be bought")
	// ErrSaleEnded is the rule that tickets cannot be bought once the sale has ended
	// (售票结束).
	ErrSaleEnded = wht93.NewRule("session.sales.ended", "售票已结束，不能购票", "the sale has ended: tickets cannot be bought")
	// ErrAction is the rule that a status action is taken in a status that allows it:
	// open when not opened; suspend when open or on sale and not suspended; resume
	// when suspended; end when not ended; and never after the end.
	ErrAction = wht93.NewRule("session.sales.action", "当前销售状态下不能执行该操作", "the action is not allowed in the current sales status")
)

// check validates the window against the session end.
func (s Sales) check(sessionEnd time.Time) wht93.Violations {
	var vs wht93.Violations
	switch {
	case s.Start.IsZero():
		vs = append(vs, ErrSalesWindow.At("start", ""))
	case s.Stop.IsZero() || !s.Start.Before(s.Stop):
		vs = append(vs, ErrSalesWindow.At("stop", fmtTime(s.Stop)))
	case !sessionEnd.IsZero() && s.Stop.After(sessionEnd):
		vs = append(vs, ErrSalesWindow.Atf("stop", fmtTime(s.Stop), "停售时间晚于场次结束时间 "+fmtTime(sessionEnd), "sale stops after the session ends at "+fmtTime(sessionEnd)))
	}
	return vs
}

// reached reports whether the action time t is set and not after now.
func reached(t, now time.Time) bool { return !t.IsZero() && !now.Before(t) }

// Status returns the status at now.
func (s Sales) Status(now time.Time) Status {
	switch {
	case reached(s.EndedAt, now) || reached(s.Stop, now):
		return Ended
	case !reached(s.OpenedAt, now):
		return NotOpen
	case now.Before(s.Start):
		return Open
	case reached(s.SuspendedAt, now):
		return Suspended
	}
	return OnSale
}

// CanSell returns nil when the status at now is OnSale, and otherwise a violation
// of [ErrNotOpen], [ErrNotStarted], [ErrSuspended] or [ErrSaleEnded] that says when
// the sale starts or stopped.
func (s Sales) CanSell(now time.Time) error {
	at := fmtTime(now)
	switch s.Status(now) {
	case OnSale:
		return nil
	case NotOpen:
		return ErrNotOpen.At("sales.openedAt", at)
	case Open:
		return ErrNotStarted.Atf("sales.start", at,
			"尚未到开售时间 "+fmtTime(s.Start)+"，不能购票", "the sale starts at "+fmtTime(s.Start)+": tickets cannot be bought yet")
	case Suspended:
		return ErrSuspended.Atf("sales.suspendedAt", at,
			"已于 "+fmtTime(s.SuspendedAt)+" 暂停销售，不能购票", "sales were suspended at "+fmtTime(s.SuspendedAt)+": tickets cannot be bought")
	}
	if reached(s.EndedAt, now) && (s.Stop.IsZero() || s.EndedAt.Before(s.Stop)) {
		return ErrSaleEnded.Atf("sales.endedAt", at,
			"售票已于 "+fmtTime(s.EndedAt)+" 提前结束，不能购票", "the sale was ended early at "+fmtTime(s.EndedAt)+": tickets cannot be bought")
	}
	return ErrSaleEnded.Atf("sales.stop", at,
		"已过停售时间 "+fmtTime(s.Stop)+"，不能购票", "the sale stopped at "+fmtTime(s.Stop)+": tickets cannot be bought")
}

func (s Sales) refuse(action string, at time.Time) error {
	st := s.Status(at)
	return ErrAction.Atf("sales", action,
		"在“"+st.Zh()+"”状态下不能执行“"+actionZh[action]+"”", "cannot "+action+" when the sale is "+st.String())
}

var actionZh = map[string]string{"open": "开票", "suspend": "暂停销售", "resume": "恢复销售", "end": "结束售票"}

// Open releases the tickets (开票) at the instant at: from then the session is Open
// and, from Start, OnSale. It is refused once opened or ended.
func (s Sales) Open(at time.Time) (Sales, error) {
	if at.IsZero() || !s.OpenedAt.IsZero() || s.Status(at) == Ended {
		return s, s.refuse("open", at)
	}
	s.OpenedAt = at
	return s, nil
}

// Suspend suspends sales from the instant at. It is refused unless the status at
// that instant is Open or OnSale.
func (s Sales) Suspend(at time.Time) (Sales, error) {
	if st := s.Status(at); at.IsZero() || (st != Open && st != OnSale) || !s.SuspendedAt.IsZero() {
		return s, s.refuse("suspend", at)
	}
	s.SuspendedAt = at
	return s, nil
}

// Resume lifts a suspension (the instant at only decides whether the sale has
// ended meanwhile). It is refused unless sales are suspended.
func (s Sales) Resume(at time.Time) (Sales, error) {
	if s.SuspendedAt.IsZero() || s.Status(at) == Ended {
		return s, s.refuse("resume", at)
	}
	s.SuspendedAt = time.Time{}
	return s, nil
}

// End ends the sale early (提前结束售票) from the instant at. It is refused once the
// sale has ended.
func (s Sales) End(at time.Time) (Sales, error) {
	if at.IsZero() || !s.EndedAt.IsZero() || s.Status(at) == Ended {
		return s, s.refuse("end", at)
	}
	s.EndedAt = at
	return s, nil
}
