package session_test

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

func TestLimitsCheck(t *testing.T) {
	id := ids(4)
	tests := []struct {
		name   string
		limits session.Limits
		mode   realname.Mode
		order  session.Order
		held   session.Held
		want   []string // "rule@field"
	}{
		{"no limits", session.Limits{}, realname.ModeNone, session.Order{Tickets: 50}, session.Held{Buyer: 100}, nil},
		{"per order", session.Limits{PerOrder: 4}, realname.ModeNone, session.Order{Tickets: 5}, session.Held{}, []string{"session.limit.perorder@tickets"}},
		{"per order and buyer", session.Limits{PerOrder: 4, PerBuyer: 6}, realname.ModeNone, session.Order{Tickets: 5}, session.Held{Buyer: 2},
			[]string{"session.limit.perorder@tickets", "session.limit.perbuyer@tickets"}},
		{"no tickets", session.Limits{}, realname.ModeNone, session.Order{}, session.Held{}, []string{"session.limit.order@tickets"}},
		{"negative held", session.Limits{}, realname.ModeNone, session.Order{Tickets: 1}, session.Held{Buyer: -1}, []string{"session.limit.order@tickets"}},
		{"per ID, one ID per order", session.Limits{PerID: 2}, realname.ModePerOrder, session.Order{Tickets: 2, IDs: id[:1]},
			session.Held{ByID: map[realname.BlindIndex]int{id[0]: 1}}, []string{"session.limit.perid@ids[0]"}},
		{"per ID, one ID per order, fits", session.Limits{PerID: 3}, realname.ModePerOrder, session.Order{Tickets: 2, IDs: id[:1]},
			session.Held{ByID: map[realname.BlindIndex]int{id[0]: 1}}, nil},
		{"one ID per order without ID", session.Limits{}, realname.ModePerOrder, session.Order{Tickets: 2}, session.Held{}, []string{"session.limit.ids@ids"}},
		{"per ID, one per ticket", session.Limits{PerID: 1}, realname.ModePerTicket, session.Order{Tickets: 3, IDs: id[:3]},
			session.Held{ByID: map[realname.BlindIndex]int{id[2]: 1}}, []string{"session.limit.perid@ids[2]"}},
		{"one per ticket, same ID twice", session.Limits{PerID: 1}, realname.ModePerTicket, session.Order{Tickets: 2, IDs: []realname.BlindIndex{id[0], id[0]}},
			session.Held{}, []string{"session.limit.perid@ids[0]"}},
		{"one per ticket, IDs missing", session.Limits{}, realname.ModePerTicket, session.Order{Tickets: 3, IDs: id[:2]}, session.Held{}, []string{"session.limit.ids@ids"}},
		{"per ID without real name", session.Limits{PerID: 1}, realname.ModeNone, session.Order{Tickets: 1}, session.Held{}, []string{"session.limit.value@limits.perId"}},
		{"unknown mode", session.Limits{}, realname.Mode(7), session.Order{Tickets: 1}, session.Held{}, []string{"session.realname@realName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limits.Check(tt.mode, tt.order, tt.held)
			var got []string
			for _, v := range wht93.ViolationsOf(err) {
				got = append(got, v.Code()+"@"+v.Field)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("got %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

// The limits are exact: a purchase passes precisely when every count stays within
// its limit.
func TestPropertyLimitsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := session.Limits{
			PerOrder: rapid.IntRange(0, 6).Draw(t, "perOrder"),
			PerBuyer: rapid.IntRange(0, 8).Draw(t, "perBuyer"),
			PerID:    rapid.IntRange(0, 4).Draw(t, "perId"),
		}
		n := rapid.IntRange(1, 8).Draw(t, "tickets")
		buyer := rapid.IntRange(0, 8).Draw(t, "held")
		pool := ids(3)
		o := session.Order{Tickets: n}
		held := session.Held{Buyer: buyer, ByID: map[realname.BlindIndex]int{}}
		for _, id := range pool {
			held.ByID[id] = rapid.IntRange(0, 4).Draw(t, "heldByID")
		}
		perID := map[realname.BlindIndex]int{}
		for range n {
			id := pool[rapid.IntRange(0, 2).Draw(t, "id")]
			o.IDs = append(o.IDs, id)
			perID[id]++
		}
		fits := (l.PerOrder == 0 || n <= l.PerOrder) && (l.PerBuyer == 0 || buyer+n <= l.PerBuyer)
		for id, k := range perID {
			if l.PerID > 0 && held.ByID[id]+k > l.PerID {
				fits = false
			}
		}
		err := l.Check(realname.ModePerTicket, o, held)
		if (err == nil) != fits {
			t.Fatalf("limits %+v, order %d (%v), held %+v: %v", l, n, perID, held, err)
		}
	})
}

func TestTighterAndStricter(t *testing.T) {
	got := session.Limits{PerOrder: 4, PerBuyer: 0, PerID: 2}.Tighter(session.Limits{PerOrder: 6, PerBuyer: 2})
	if got != (session.Limits{PerOrder: 4, PerBuyer: 2, PerID: 2}) {
		t.Fatalf("Tighter = %+v", got)
	}
	if session.Stricter(realname.ModeNone, realname.ModePerTicket) != realname.ModePerTicket ||
		session.Stricter(realname.ModePerOrder, 0) != realname.ModePerOrder {
		t.Fatal("Stricter")
	}
	if err := (session.Limits{PerID: 1}).Validate(realname.ModePerOrder); err != nil {
		t.Fatal(err)
	}
}
