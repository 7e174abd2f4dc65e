package session_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/session"
)

// E.2.2.8 销售状态管理: a) the session has a sale start and stop time; b) before the
// start a listed session cannot be bought; c) inside the window it can; e) after the
// stop it cannot.
func TestE228SaleWindow(t *testing.T) {
	s := evening(t) // released 30 April 12:00, on sale 1 May 10:00 – 20 May 19:00
	if s.Sales.Start.IsZero() || s.Sales.Stop.IsZero() {
		t.Fatal("a) no sale window")
	}
	tests := []struct {
		step   string
		now    time.Time
		status session.Status
		rule   *wht93.Rule
	}{
		{"before release", time.Date(2025, 4, 29, 9, 0, 0, 0, wht93.CST), session.NotOpen, session.ErrNotOpen},
		{"b) listed, before start", time.Date(2025, 4, 30, 12, 0, 0, 0, wht93.CST), session.Open, session.ErrNotStarted},
		{"b) one second before start", at(1, 10, 0).Add(-time.Second), session.Open, session.ErrNotStarted},
		{"c) at the start", at(1, 10, 0), session.OnSale, nil},
		{"c) inside", at(10, 15, 0), session.OnSale, nil},
		{"c) one second before stop", at(20, 19, 0).Add(-time.Second), session.OnSale, nil},
		{"e) at the stop", at(20, 19, 0), session.Ended, session.ErrSaleEnded},
		{"e) after the show", at(21, 9, 0), session.Ended, session.ErrSaleEnded},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			if got := s.Status(tt.now); got != tt.status {
				t.Errorf("status %v, want %v", got, tt.status)
			}
			err := s.CanSell(tt.now)
			if tt.rule == nil {
				if err != nil {
					t.Fatalf("cannot sell: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.rule) {
				t.Fatalf("got %v, want %s", err, tt.rule.Code())
			}
			// The error is bilingual and says when.
			msg := err.Error()
			if !strings.Contains(msg, "不能购票") || !strings.Contains(msg, "cannot be bought") {
				t.Fatalf("message %q", msg)
			}
		})
	}
	// The message of a sale not yet started names its start time.
	if err := s.CanSell(at(1, 9, 0)); !strings.Contains(err.Error(), "2025-05-01 10:00:00") {
		t.Fatalf("start time not in %q", err)
	}
}

func TestStatusActions(t *testing.T) {
	s := evening(t).Sales
	s.OpenedAt = time.Time{}

	// Open is scheduled for 30 April 20:00.
	opened, err := s.Open(time.Date(2025, 4, 30, 20, 0, 0, 0, wht93.CST))
	if err != nil {
		t.Fatal(err)
	}
	if st := opened.Status(time.Date(2025, 4, 30, 19, 0, 0, 0, wht93.CST)); st != session.NotOpen {
		t.Fatalf("before the scheduled opening: %v", st)
	}
	if st := opened.Status(time.Date(2025, 4, 30, 21, 0, 0, 0, wht93.CST)); st != session.Open {
		t.Fatalf("after the opening: %v", st)
	}
	if _, err := opened.Open(at(2, 0, 0)); !errors.Is(err, session.ErrAction) {
		t.Fatalf("opened twice: %v", err)
	}

	// Suspend on 5 May, resume on 6 May.
	susp, err := opened.Suspend(at(5, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if st := susp.Status(at(5, 13, 0)); st != session.Suspended {
		t.Fatalf("suspended: %v", st)
	}
	if err := susp.CanSell(at(5, 13, 0)); !errors.Is(err, session.ErrSuspended) {
		t.Fatalf("sold while suspended: %v", err)
	}
	if _, err := susp.Suspend(at(5, 14, 0)); !errors.Is(err, session.ErrAction) {
		t.Fatalf("suspended twice: %v", err)
	}
	resumed, err := susp.Resume(at(6, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := resumed.CanSell(at(6, 9, 0)); err != nil {
		t.Fatalf("resumed: %v", err)
	}
	if _, err := resumed.Resume(at(6, 10, 0)); !errors.Is(err, session.ErrAction) {
		t.Fatalf("resumed twice: %v", err)
	}

	// End early on 10 May: final.
	ended, err := resumed.End(at(10, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	err = ended.CanSell(at(11, 0, 0))
	if !errors.Is(err, session.ErrSaleEnded) || !strings.Contains(err.Error(), "提前结束") {
		t.Fatalf("ended early: %v", err)
	}
	if st := ended.Status(at(9, 23, 59)); st != session.OnSale {
		t.Fatalf("before the early end: %v", st)
	}
	for name, act := range map[string]func(time.Time) (session.Sales, error){
		"open": ended.Open, "suspend": ended.Suspend, "resume": ended.Resume, "end": ended.End,
	} {
		if got, err := act(at(12, 0, 0)); !errors.Is(err, session.ErrAction) || got != ended {
			t.Errorf("%s after the end: %v", name, err)
		}
	}
	// Suspending a sale that is not open is refused.
	if _, err := s.Suspend(at(2, 0, 0)); !errors.Is(err, session.ErrAction) {
		t.Fatalf("suspend before opening: %v", err)
	}
}

func TestSessionCancelledOrOver(t *testing.T) {
	s := evening(t)
	s.Cancelled = true
	if st := s.Status(at(10, 0, 0)); st != session.Ended {
		t.Fatalf("cancelled: %v", st)
	}
	if err := s.CanSell(at(10, 0, 0)); !errors.Is(err, session.ErrSaleEnded) {
		t.Fatalf("cancelled: %v", err)
	}
	s = evening(t)
	s.Sales.Stop = s.End // sales until the end of the show
	if err := s.CanSell(s.End); !errors.Is(err, session.ErrSaleEnded) {
		t.Fatalf("at the end of the show: %v", err)
	}
}

func TestStatusNames(t *testing.T) {
	want := map[session.Status][2]string{
		session.NotOpen: {"未开票", "not open"}, session.Open: {"开票", "open"}, session.OnSale: {"售票中", "on sale"},
		session.Suspended: {"暂停销售", "suspended"}, session.Ended: {"售票结束", "ended"},
	}
	for st, names := range want {
		if st.Zh() != names[0] || st.String() != names[1] {
			t.Errorf("%d: %s / %s", st, st.Zh(), st)
		}
	}
	if session.Status(0).String() != "Status(0)" || session.Status(9).Zh() != "Status(9)" {
		t.Error("unknown status")
	}
}
