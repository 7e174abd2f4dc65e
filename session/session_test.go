package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// E.2.2.2 场次信息: a) the session holds name, session code, type code, venue, hall,
// hall code, date, start, end, the limit rule (2 each) and the ticket kind
// (e-ticket); b) what a buyer sees matches it — here: the limit of 2 holds and the
// session issues e-tickets only.
func TestE222SessionInfo(t *testing.T) {
	s := evening(t)
	if err := s.Validate(); err != nil {
		t.Fatalf("session without a code yet: %v", err)
	}
	// The platform issues the code; the session takes it.
	s.Code = mustSessionCode(t, "110101001012025052001")
	if err := s.Validate(); err != nil {
		t.Fatalf("a) complete session refused: %v", err)
	}
	if !s.TicketModes.Has(session.Electronic) || s.TicketModes.Has(session.Paper) || s.TicketModes.String() != "e-ticket" {
		t.Fatalf("a) ticket modes %v", s.TicketModes)
	}
	// b) limit 2 per buyer: 2 pass, 3 do not, and after 2 nothing more.
	for _, tt := range []struct {
		held, buy int
		ok        bool
	}{{0, 1, true}, {0, 2, true}, {0, 3, false}, {1, 1, true}, {1, 2, false}, {2, 1, false}} {
		err := s.Limits.Check(s.RealName, session.Order{Tickets: tt.buy}, session.Held{Buyer: tt.held})
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, session.ErrLimitPerBuyer)) {
			t.Errorf("held %d, buying %d: %v", tt.held, tt.buy, err)
		}
	}
}

func TestSessionViolations(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*session.Session)
		rule  *wht93.Rule
		field string
	}{
		{"no name", func(s *session.Session) { s.Name = "" }, session.ErrText, "sessionName"},
		{"no type", func(s *session.Session) { s.Type = 0 }, session.ErrType, "typeId"},
		{"no hall code", func(s *session.Session) { s.HallCode = codes.HallCode{} }, session.ErrHallCode, "hallCode"},
		{"ends before start", func(s *session.Session) { s.End = s.Start }, session.ErrSessionTime, "sessionEndTime"},
		{"too long", func(s *session.Session) { s.End = s.Start.Add(25 * time.Hour) }, session.ErrSessionTime, "sessionEndTime"},
		{"date not start's", func(s *session.Session) { s.Date = wht93.Date{Year: 2025, Month: 5, Day: 21} }, session.ErrSessionTime, "date"},
		{"code of another hall", func(s *session.Session) { s.Code = mustSessionCode(t, "110101001022025052001") }, session.ErrSessionCode, "sessionCode"},
		{"code of another day", func(s *session.Session) { s.Code = mustSessionCode(t, "110101001012025052101") }, session.ErrSessionCode, "sessionCode"},
		{"no ticket mode", func(s *session.Session) { s.TicketModes = 0 }, session.ErrTicketModes, "ticketModes"},
		{"unknown ticket mode", func(s *session.Session) { s.TicketModes = session.ModesOf(3) }, session.ErrTicketModes, "ticketModes"},
		{"no real-name mode", func(s *session.Session) { s.RealName = 0 }, session.ErrRealNameMode, "realName"},
		{"negative limit", func(s *session.Session) { s.Limits.PerOrder = -1 }, session.ErrLimitValue, "limits.perOrder"},
		{"per-ID limit without real name", func(s *session.Session) { s.Limits.PerID = 1 }, session.ErrLimitValue, "limits.perId"},
		{"no sale start", func(s *session.Session) { s.Sales.Start = time.Time{} }, session.ErrSalesWindow, "sales.start"},
		{"sale stops before it starts", func(s *session.Session) { s.Sales.Stop = s.Sales.Start }, session.ErrSalesWindow, "sales.stop"},
		{"sale stops after the show", func(s *session.Session) { s.Sales.Stop = s.End.Add(time.Minute) }, session.ErrSalesWindow, "sales.stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := evening(t)
			tt.edit(&s)
			vs := wht93.ViolationsOf(s.Validate())
			if len(vs) != 1 || vs[0].Rule != tt.rule || vs[0].Field != tt.field {
				t.Fatalf("want %s at %s, got %v", tt.rule.Code(), tt.field, vs)
			}
		})
	}
	s := evening(t)
	s.RealName, s.Limits.PerID = realname.ModePerTicket, 1
	if err := s.Validate(); err != nil {
		t.Fatalf("per-ID limit under 一票一证: %v", err)
	}
}

func TestTicketModes(t *testing.T) {
	both := session.ModesOf(session.Paper, session.Electronic)
	if both.String() != "paper,e-ticket" || !both.Has(session.Paper) || session.TicketModes(0).Has(session.Paper) {
		t.Fatalf("%v", both)
	}
	if session.Paper.Zh() != "纸质票" || session.Electronic.Zh() != "电子票" || session.TicketMode(9).String() != "TicketMode(9)" {
		t.Fatal("names")
	}
	if session.ModesOf(session.Paper, 5).String() != "paper,0x20" {
		t.Fatalf("unknown bit shown as %q", session.ModesOf(session.Paper, 5).String())
	}
}
