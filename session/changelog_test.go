package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/session"
)

// 6.3.2.2: session edits are logged (field, old, new, who, when) and the log can be
// queried.
func TestEditAndQueryLog(t *testing.T) {
	s := evening(t)
	var log session.Log

	// 1 May: the platform's code arrives.
	edited := s
	edited.Code = mustSessionCode(t, "110101001012025052001")
	s, changes, err := session.Edit(s, edited, "ops.li", at(1, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	log = append(log, changes...)
	if len(changes) != 1 || changes[0] != (session.Change{SessionID: "sess-1", Field: "sessionCode", Old: "", New: "110101001012025052001", By: "ops.li", At: at(1, 9, 0)}) {
		t.Fatalf("code change %+v", changes)
	}

	// 3 May: the show starts half an hour later, and the limit becomes 4.
	edited = s
	edited.Start, edited.End = at(20, 20, 0), at(20, 22, 0)
	edited.Limits.PerBuyer = 4
	s, changes, err = session.Edit(s, edited, "ops.wang", at(3, 15, 0))
	if err != nil {
		t.Fatal(err)
	}
	log = append(log, changes...)
	var fields []string
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	if len(changes) != 3 || changes[0].Field != "sessionStartTime" || changes[0].Old != "2025-05-20 19:30:00" ||
		changes[0].New != "2025-05-20 20:00:00" || changes[2].Field != "limits.perBuyer" || changes[2].Old != "2" || changes[2].New != "4" {
		t.Fatalf("changes %v: %+v", fields, changes)
	}

	// 5 May: sales suspended; the status action is an edit too.
	edited = s
	edited.Sales, err = s.Sales.Suspend(at(5, 11, 0))
	if err != nil {
		t.Fatal(err)
	}
	s, changes, err = session.Edit(s, edited, "ops.li", at(5, 11, 0))
	if err != nil || len(changes) != 1 || changes[0].Field != "sales.suspendedAt" {
		t.Fatalf("suspend: %+v %v", changes, err)
	}
	log = append(log, changes...)

	// An edit that changes nothing logs nothing.
	if _, changes, err := session.Edit(s, s, "ops.li", at(6, 0, 0)); err != nil || changes != nil {
		t.Fatalf("no-op edit: %+v %v", changes, err)
	}

	// Queries.
	for _, tt := range []struct {
		name string
		q    session.Query
		want int
	}{
		{"all", session.Query{}, 5},
		{"by session", session.Query{SessionID: "sess-1"}, 5},
		{"other session", session.Query{SessionID: "sess-2"}, 0},
		{"by field", session.Query{Field: "limits.perBuyer"}, 1},
		{"by who", session.Query{By: "ops.li"}, 2},
		{"time range", session.Query{From: at(2, 0, 0), Until: at(5, 11, 0)}, 3},
		{"from only", session.Query{From: at(5, 11, 0)}, 1},
		{"who and time", session.Query{By: "ops.li", Until: at(2, 0, 0)}, 1},
	} {
		if got := log.Find(tt.q); len(got) != tt.want {
			t.Errorf("%s: %d records, want %d", tt.name, len(got), tt.want)
		}
	}
}

func TestEditRefusals(t *testing.T) {
	s := evening(t)
	s.Code = mustSessionCode(t, "110101001012025052001")
	tests := []struct {
		name string
		edit func(*session.Session)
		by   string
		at   time.Time
		rule *wht93.Rule
	}{
		{"no editor", func(*session.Session) {}, "", at(1, 0, 0), session.ErrEditor},
		{"no time", func(*session.Session) {}, "ops", time.Time{}, session.ErrEditor},
		{"id changed", func(s *session.Session) { s.ID = "sess-9" }, "ops", at(1, 0, 0), session.ErrImmutable},
		{"performance changed", func(s *session.Session) { s.PerformanceID = "perf-9" }, "ops", at(1, 0, 0), session.ErrImmutable},
		{"issued code changed", func(s *session.Session) { s.Code = mustSessionCode(t, "110101001012025052002") }, "ops", at(1, 0, 0), session.ErrImmutable},
		{"issued code removed", func(s *session.Session) { s.Code = codes.SessionCode{} }, "ops", at(1, 0, 0), session.ErrImmutable},
		{"invalid result", func(s *session.Session) { s.Name = "" }, "ops", at(1, 0, 0), session.ErrText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := s
			tt.edit(&edited)
			got, changes, err := session.Edit(s, edited, tt.by, tt.at)
			if !errors.Is(err, tt.rule) || changes != nil || got != s {
				t.Fatalf("got %v, %v, %v", got.ID, changes, err)
			}
		})
	}
}
