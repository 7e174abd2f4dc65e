package session

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// Performance is a performance's basic information (6.3.2.1 演出活动基本信息, E.2.2.1):
// name, approval document, description with programme and minimum duration,
// purchase notice, organisers, type code and performers. Its sessions are
// [Session] values that name it by ID.
//
// A Performance is a plain value: safe for concurrent reads, not for concurrent
// mutation. Its slices are shared by copies; clone them before editing a copy.
type Performance struct {
	ID          string         // the management system's id (Appendix A performanceId, String 50)
	Name        string         // 演出活动名称 (String 100)
	Type        codes.TypeCode // 演出类型编码 (Appendix D)
	Approval    Approval       // 演出批文
	Description string         // 详情介绍 (Text 10000)
	Programme   []string       // 演出内容（曲目）, in running order
	MinDuration time.Duration  // 最低演出时长
	Notice      string         // 购票须知 (Text 10000)
	Organisers  []string       // 主办单位 (joined with commas: String 200)
	Performers  []string       // 主要演员 (joined with commas: String 200); optional
	PosterURL   string         // optional, http(s), at most 512 characters
}

// Approval is the performance approval document (演出批文) and what it approves:
// its number, the approved period, venue and number of sessions, and the
// performers.
type Approval struct {
	Number     string     // 批文编号 (Appendix A approval, String 50)
	From, To   wht93.Date // approved period (演出时间), inclusive
	Venue      string     // approved venue (演出场所)
	Sessions   int        // approved number of sessions (演出场次)
	Performers []string   // 演员信息
}

// Field limits of Appendix A.
const (
	maxID          = 50
	maxPerfName    = 100
	maxText        = 10000
	maxNames       = 200
	maxProgramItem = 200
	maxPoster      = 512
	maxDuration    = 24 * time.Hour
)

var (
	// ErrType is the rule that a performance or session has a performance type code
	// of Appendix D.
	ErrType = wht93.NewRule("session.type", "演出类型编码应为附录D所列编码", "performance type code must be one of Appendix D")
	// ErrDuration is the rule that the minimum duration is more than zero and at most
	// 24 hours.
	ErrDuration = wht93.NewRule("session.duration", "最低演出时长应大于0且不超过24小时", "minimum duration must be more than 0 and at most 24 hours")
	// ErrApproval is the rule that the approval names an approved period (from not
	// after to) and at least one session.
	ErrApproval = wht93.NewRule("session.approval", "演出批文信息不完整或有误（演出时间、场次）", "approval document is incomplete or wrong (period, sessions)")
	// ErrPoster is the rule that a poster URL is an absolute http or https URL.
	ErrPoster = wht93.NewRule("session.poster", "海报地址应为 http(s) 绝对地址，最多512个字符", "poster URL must be an absolute http(s) URL of at most 512 characters")
	// ErrOutsideApproval is the rule that a performance's sessions are the approved
	// ones: of this performance, of its type, within the approved period, no more
	// than approved, and at least the minimum duration long.
	ErrOutsideApproval = wht93.NewRule("session.approved", "场次与演出批文或演出活动不符", "session does not match the approval or the performance")
)

// Validate returns every violation of the performance's fields, nil when none.
func (p *Performance) Validate() error {
	var vs wht93.Violations
	vs = text{field: "performanceId", value: p.ID, max: maxID}.check(vs)
	vs = text{field: "performanceName", value: p.Name, max: maxPerfName}.check(vs)
	if !p.Type.Valid() {
		vs = append(vs, ErrType.At("typeId", strconv.Itoa(int(p.Type))))
	}
	vs = append(vs, p.Approval.check().In("approval")...)
	vs = text{field: "performanceDesc", value: p.Description, max: maxText, multiline: true}.check(vs)
	if len(p.Programme) == 0 {
		vs = append(vs, ErrText.Atf("programme", "", "应列出演出内容（曲目）", "the programme must list at least one item"))
	}
	for i, item := range p.Programme {
		vs = text{field: fmt.Sprintf("programme[%d]", i), value: item, max: maxProgramItem}.check(vs)
	}
	if p.MinDuration <= 0 || p.MinDuration > maxDuration {
		vs = append(vs, ErrDuration.At("minDuration", p.MinDuration.String()))
	}
	vs = text{field: "purchaseNotice", value: p.Notice, max: maxText, multiline: true}.check(vs)
	vs = checkList(vs, "sponsor", p.Organisers, true, maxNames)
	vs = checkList(vs, "performer", p.Performers, false, maxNames)
	if p.PosterURL != "" {
		u, err := url.Parse(p.PosterURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len([]rune(p.PosterURL)) > maxPoster {
			vs = append(vs, ErrPoster.At("posterUrl", p.PosterURL))
		}
	}
	return vs.Err()
}

func (a Approval) check() wht93.Violations {
	var vs wht93.Violations
	vs = text{field: "number", value: a.Number, max: maxID}.check(vs)
	switch {
	case !a.From.Valid():
		vs = append(vs, ErrApproval.At("from", a.From.String()))
	case !a.To.Valid():
		vs = append(vs, ErrApproval.At("to", a.To.String()))
	case a.To.Before(a.From):
		vs = append(vs, ErrApproval.Atf("to", a.To.String(), "批准的演出结束日期早于开始日期 "+a.From.String(), "approved period ends before it starts on "+a.From.String()))
	}
	vs = text{field: "venue", value: a.Venue, max: maxID}.check(vs)
	if a.Sessions < 1 {
		vs = append(vs, ErrApproval.At("sessions", strconv.Itoa(a.Sessions)))
	}
	vs = checkList(vs, "performers", a.Performers, true, maxNames)
	return vs
}

// Sponsor returns the organisers joined with ASCII commas, as Appendix A's sponsor.
func (p *Performance) Sponsor() string { return strings.Join(p.Organisers, ",") }

// Performer returns the performers joined with ASCII commas, as Appendix A's
// performer.
func (p *Performance) Performer() string { return strings.Join(p.Performers, ",") }

// CheckSessions checks the performance's sessions against it and its approval: each
// session names this performance and its type, falls within the approved period,
// lasts at least the minimum duration, and there are no more sessions than
// approved. Cancelled sessions do not count against the approved number.
func (p *Performance) CheckSessions(sessions []Session) error {
	var vs wht93.Violations
	live := 0
	for i, s := range sessions {
		f := fmt.Sprintf("sessions[%d]", i)
		if s.PerformanceID != p.ID {
			vs = append(vs, ErrOutsideApproval.Atf(f+".performanceId", s.PerformanceID, "场次不属于演出活动 "+p.ID, "session is not of performance "+p.ID))
		}
		if s.Type != p.Type {
			vs = append(vs, ErrOutsideApproval.Atf(f+".typeId", s.Type.String(), "场次的演出类型与演出活动的 "+p.Type.String()+" 不同", "session type differs from the performance's "+p.Type.String()))
		}
		if s.Date.Before(p.Approval.From) || p.Approval.To.Before(s.Date) {
			vs = append(vs, ErrOutsideApproval.Atf(f+".date", s.Date.String(),
				"场次日期不在批准的演出时间 "+p.Approval.From.String()+" 至 "+p.Approval.To.String()+" 内",
				"session date is outside the approved period "+p.Approval.From.String()+" to "+p.Approval.To.String()))
		}
		if d := s.End.Sub(s.Start); d < p.MinDuration {
			vs = append(vs, ErrOutsideApproval.Atf(f+".end", fmtTime(s.End),
				"场次时长 "+d.String()+" 短于最低演出时长 "+p.MinDuration.String(),
				"session lasts "+d.String()+", less than the minimum duration "+p.MinDuration.String()))
		}
		if !s.Cancelled {
			live++
		}
	}
	if live > p.Approval.Sessions {
		vs = append(vs, ErrOutsideApproval.Atf("sessions", strconv.Itoa(live),
			fmt.Sprintf("场次数 %d 超过批准的 %d 场", live, p.Approval.Sessions),
			fmt.Sprintf("%d sessions, more than the %d approved", live, p.Approval.Sessions)))
	}
	return vs.Err()
}
