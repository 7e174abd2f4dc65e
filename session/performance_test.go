package session_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/session"
)

// E.2.2.1 演出活动基本信息: a) name, type, description, notice, organiser, approval;
// b) what is stored matches what was entered; c)–e) edit and re-check. (Deletion,
// search by name and the database rows are the host's.)
func TestE221PerformanceInfo(t *testing.T) {
	p := concert()
	if err := p.Validate(); err != nil {
		t.Fatalf("a) complete performance refused: %v", err)
	}
	if p.Sponsor() != "东城文化有限公司" || p.Performer() != "东城交响乐团" {
		t.Fatalf("b) sponsor %q performer %q", p.Sponsor(), p.Performer())
	}
	// c) edit: a second organiser and a longer minimum duration.
	edited := p
	edited.Organisers = append([]string(nil), p.Organisers...)
	edited.Organisers = append(edited.Organisers, "东城区文化馆")
	edited.MinDuration = 100 * time.Minute
	if err := edited.Validate(); err != nil {
		t.Fatalf("c) edited performance refused: %v", err)
	}
	// d) the edit shows.
	if edited.Sponsor() != "东城文化有限公司,东城区文化馆" || len(p.Organisers) != 1 {
		t.Fatalf("d) sponsor after edit %q; original %v", edited.Sponsor(), p.Organisers)
	}
	// a) every field is required and reported at its own path.
	for _, tt := range []struct {
		field string
		clear func(*session.Performance)
	}{
		{"performanceId", func(p *session.Performance) { p.ID = "" }},
		{"performanceName", func(p *session.Performance) { p.Name = "" }},
		{"typeId", func(p *session.Performance) { p.Type = 0 }},
		{"approval.number", func(p *session.Performance) { p.Approval.Number = "" }},
		{"approval.from", func(p *session.Performance) { p.Approval.From = wht93.Date{} }},
		{"approval.venue", func(p *session.Performance) { p.Approval.Venue = "" }},
		{"approval.sessions", func(p *session.Performance) { p.Approval.Sessions = 0 }},
		{"approval.performers", func(p *session.Performance) { p.Approval.Performers = nil }},
		{"performanceDesc", func(p *session.Performance) { p.Description = "" }},
		{"programme", func(p *session.Performance) { p.Programme = nil }},
		{"minDuration", func(p *session.Performance) { p.MinDuration = 0 }},
		{"purchaseNotice", func(p *session.Performance) { p.Notice = "" }},
		{"sponsor", func(p *session.Performance) { p.Organisers = nil }},
	} {
		p := concert()
		tt.clear(&p)
		vs := wht93.ViolationsOf(p.Validate())
		if len(vs) != 1 || vs[0].Field != tt.field {
			t.Errorf("without %s: %v", tt.field, vs)
		}
	}
}

func TestPerformanceViolations(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*session.Performance)
		rule  *wht93.Rule
		field string
	}{
		{"unknown type", func(p *session.Performance) { p.Type = codes.TypeCode(1006) }, session.ErrType, "typeId"},
		{"name too long", func(p *session.Performance) { p.Name = strings.Repeat("音", 101) }, session.ErrText, "performanceName"},
		{"approval backwards", func(p *session.Performance) { p.Approval.To = wht93.Date{Year: 2025, Month: 5, Day: 19} }, session.ErrApproval, "approval.to"},
		{"comma in organiser", func(p *session.Performance) { p.Organisers = []string{"甲公司,乙公司"} }, session.ErrText, "sponsor[0]"},
		{"performers too long together", func(p *session.Performance) {
			p.Performers = []string{strings.Repeat("甲", 150), strings.Repeat("乙", 60)}
		}, session.ErrText, "performer"},
		{"programme item with control char", func(p *session.Performance) { p.Programme = []string{"序曲\x00"} }, session.ErrText, "programme[0]"},
		{"duration over a day", func(p *session.Performance) { p.MinDuration = 25 * time.Hour }, session.ErrDuration, "minDuration"},
		{"poster not http", func(p *session.Performance) { p.PosterURL = "ftp://example.com/a.png" }, session.ErrPoster, "posterUrl"},
		{"poster relative", func(p *session.Performance) { p.PosterURL = "/a.png" }, session.ErrPoster, "posterUrl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := concert()
			tt.edit(&p)
			vs := wht93.ViolationsOf(p.Validate())
			if !vs.Has(tt.rule) || vs[0].Field != tt.field {
				t.Fatalf("want %s at %s, got %v", tt.rule.Code(), tt.field, vs)
			}
		})
	}
	p := concert()
	p.PosterURL = "https://example.com/poster.png"
	if err := p.Validate(); err != nil {
		t.Fatalf("https poster: %v", err)
	}
}

func TestCheckSessions(t *testing.T) {
	p := concert()
	s1 := evening(t)
	s2 := evening(t)
	s2.ID, s2.Date, s2.Start, s2.End = "sess-2", wht93.Date{Year: 2025, Month: 5, Day: 21}, at(21, 19, 30), at(21, 21, 30)
	if err := p.CheckSessions([]session.Session{s1, s2}); err != nil {
		t.Fatal(err)
	}
	// Outside the approved period, too short, another performance, another type,
	// and more sessions than approved.
	bad := s2
	bad.Date, bad.Start, bad.End = wht93.Date{Year: 2025, Month: 5, Day: 23}, at(23, 19, 30), at(23, 20, 30)
	other := s1
	other.PerformanceID, other.Type = "perf-2", codes.TypeCode(2003)
	err := p.CheckSessions([]session.Session{s1, s2, bad, other})
	var fields []string
	for _, v := range wht93.ViolationsOf(err) {
		if !errors.Is(v, session.ErrOutsideApproval) {
			t.Fatalf("unexpected %v", v)
		}
		fields = append(fields, v.Field)
	}
	want := "sessions[2].date sessions[2].end sessions[3].performanceId sessions[3].typeId sessions"
	if strings.Join(fields, " ") != want {
		t.Fatalf("fields %v, want %s", fields, want)
	}
	// A cancelled session does not count against the approval.
	other = s1
	other.Cancelled = true
	if err := p.CheckSessions([]session.Session{s1, s2, s2, other}); err != nil {
		t.Fatalf("cancelled counted: %v", err)
	}
}
