package session_test

import (
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// at returns the instant in China Standard Time on 2025-05-d.
func at(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }

func mustHall(t testing.TB, s string) codes.HallCode {
	t.Helper()
	c, err := codes.ParseHallCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustSessionCode(t testing.TB, s string) codes.SessionCode {
	t.Helper()
	c, err := codes.ParseSessionCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// concert is a performance approved for three sessions on 20–22 May 2025.
func concert() session.Performance {
	return session.Performance{
		ID:   "perf-1",
		Name: "春之声交响音乐会",
		Type: codes.TypeCode(2001),
		Approval: session.Approval{
			Number:     "京演审字〔2025〕第0123号",
			From:       wht93.Date{Year: 2025, Month: time.May, Day: 20},
			To:         wht93.Date{Year: 2025, Month: time.May, Day: 22},
			Venue:      "东城大剧院",
			Sessions:   3,
			Performers: []string{"东城交响乐团", "李指挥"},
		},
		Description: "东城交响乐团年度音乐会。\n上半场：序曲；下半场：交响曲。",
		Programme:   []string{"《春节序曲》", "贝多芬《第五交响曲》"},
		MinDuration: 90 * time.Minute,
		Notice:      "1.2米以下儿童谢绝入场。\n演出开始后请勿走动。",
		Organisers:  []string{"东城文化有限公司"},
		Performers:  []string{"东城交响乐团"},
	}
}

// evening is the 20 May session: 19:30–21:30, e-tickets, limit 2 per buyer (E.2.2.2),
// on sale from 1 May 10:00 until 20 May 19:00, released on 30 April.
func evening(t testing.TB) session.Session {
	return session.Session{
		ID:            "sess-1",
		PerformanceID: "perf-1",
		Name:          "春之声交响音乐会 5月20日晚场",
		Type:          codes.TypeCode(2001),
		Venue:         "东城大剧院",
		Hall:          "大剧场",
		HallCode:      mustHall(t, "11010100101"),
		Seated:        true,
		Date:          wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start:         at(20, 19, 30),
		End:           at(20, 21, 30),
		TicketModes:   session.ModesOf(session.Electronic),
		RealName:      realname.ModeNone,
		Limits:        session.Limits{PerBuyer: 2},
		Sales: session.Sales{
			Start:    at(1, 10, 0),
			Stop:     at(20, 19, 0),
			OpenedAt: time.Date(2025, time.April, 30, 12, 0, 0, 0, wht93.CST),
		},
	}
}

// ids returns n distinct blind indexes.
func ids(n int) []realname.BlindIndex {
	out := make([]realname.BlindIndex, n)
	for i := range out {
		out[i][0] = byte(i + 1)
	}
	return out
}
