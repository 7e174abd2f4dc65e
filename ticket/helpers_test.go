package ticket_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
	"github.com/piaowu/wht93/venue"
)

// at returns the instant in China Standard Time on 2025-05-d.
func at(d, h, m int) time.Time { return time.Date(2025, time.May, d, h, m, 0, 0, wht93.CST) }

// today is the tests' date for document validation.
var today = wht93.Date{Year: 2025, Month: time.May, Day: 10}

// Document numbers of the tests: synthetic or published examples, no real person's
// (see realname/testdata/vectors.tsv).
const (
	idZhang = "11010119900307803X" // the SDK's acceptance vector, 110101 东城区
	idLi    = "11010519491231002X" // the example number of GB 11643-1999
	idWang  = "440401199001010018" // synthetic, 440401 珠海市 市辖区
)

// detRand returns a deterministic random source.
func detRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return rand.NewChaCha8(s)
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func keyring(t testing.TB) *realname.Keyring {
	return must[*realname.Keyring](t)(realname.NewKeyring(detRand(7), "k1", map[string][]byte{"k1": bytes.Repeat([]byte{0x11}, 32)}))
}

func indexer(t testing.TB) *realname.BlindIndexer {
	return must[*realname.BlindIndexer](t)(realname.NewBlindIndexer(bytes.Repeat([]byte{0x22}, 32)))
}

func issuer(t testing.TB) *ticket.Issuer {
	return must[*ticket.Issuer](t)(ticket.NewIssuer(keyring(t), indexer(t), detRand(9)))
}

// signingKey is the tests' Ed25519 key, from a fixed seed (testdata/credentials.tsv
// was signed with it).
var signingKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))

func signer(t testing.TB) *ticket.Signer {
	return must[*ticket.Signer](t)(ticket.NewSigner("gate-2025", signingKey))
}

func verifier(t testing.TB) *ticket.Verifier {
	return must[*ticket.Verifier](t)(ticket.NewVerifier(map[string]ed25519.PublicKey{"gate-2025": signingKey.Public().(ed25519.PublicKey)}))
}

func holder(t testing.TB, name, number string) realname.Holder {
	t.Helper()
	doc := must[realname.Document](t)(realname.Validate(realname.TypeResidentID, number, today))
	return must[realname.Holder](t)(realname.NewHolder(name, doc))
}

const sessionCode = "110101001012025052001"

// evening is a seated, real-name (一票一证) session on 20 May 2025, 19:30–21:30,
// issuing paper tickets and e-tickets, at most 2 tickets per ID.
func evening(t testing.TB) session.Session {
	return session.Session{
		ID:            "sess-1",
		PerformanceID: "perf-1",
		Name:          "春之声交响音乐会 5月20日晚场",
		Code:          must[codes.SessionCode](t)(codes.ParseSessionCode(sessionCode)),
		Type:          codes.TypeCode(2001),
		Venue:         "东城大剧院",
		Hall:          "大剧场",
		HallCode:      must[codes.HallCode](t)(codes.ParseHallCode("11010100101")),
		Seated:        true,
		Date:          wht93.Date{Year: 2025, Month: time.May, Day: 20},
		Start:         at(20, 19, 30),
		End:           at(20, 21, 30),
		TicketModes:   session.ModesOf(session.Paper, session.Electronic),
		RealName:      realname.ModePerTicket,
		Limits:        session.Limits{PerID: 2},
		Sales:         session.Sales{Start: at(1, 10, 0), Stop: at(20, 19, 0), OpenedAt: at(1, 9, 0)},
	}
}

// standing is evening's unseated, not real-name twin.
func standing(t testing.TB) session.Session {
	s := evening(t)
	s.ID, s.Name, s.Seated, s.RealName, s.Limits = "sess-2", "春之声 站席", false, realname.ModeNone, session.Limits{}
	return s
}

var seatA = venue.Location{Floor: "一层", Area: "A区", Row: "3排", Number: "12号"}

func ticketCode(t testing.TB, id string) codes.TicketCode {
	return must[codes.TicketCode](t)(codes.NewTicketCode(must[codes.SessionCode](t)(codes.ParseSessionCode(sessionCode)), id))
}

// sale is a real-name e-ticket sale of seat A for 张三.
func sale(t testing.TB) ticket.Sale {
	return ticket.Sale{
		OrderID: "order-1", BuyerID: "buyer-1", Seat: seatA, Tier: "A", Price: wht93.Yuan(680),
		Type: ticket.Sellable, Mode: session.Electronic, Holder: holder(t, "张三", idZhang), Delivery: ticket.Electronic,
	}
}

// issued returns the ticket of sale(t) in evening(t), issued on 10 May.
func issued(t testing.TB) ticket.Ticket {
	t.Helper()
	s := evening(t)
	return must[ticket.Ticket](t)(issuer(t).Issue(&s, ticketCode(t, "T0001"), sale(t), at(10, 12, 0)))
}

var platform = ticket.Platform{Name: "东城票务", Phone: "400-123-4567", Web: "https://tickets.example.cn"}

var notice = ticket.Notice{
	Purchase: "一人一票，凭票入场；1.2米以下儿童谢绝入场。",
	Refund:   "演出前7日（含）以上可退票，收取票价10%手续费；7日内不予退票。",
}

// layout80 is a one-page 80×200 mm layout with every item of 6.2.1.2.
func layout80() ticket.Layout {
	return ticket.Layout{
		ID: "layout-1", Name: "常规票面", FontFamily: "Noto Sans CJK SC, Source Han Sans SC, sans-serif",
		Pages: []ticket.Page{{
			Size: "80x200", Width: 80, Height: 200,
			Background: ticket.Image{Href: "https://cdn.example.cn/faces/spring-80x200.png", Width: 640, Height: 1600},
			Fields: []ticket.Field{
				{Text: "{sessionName}", X: 40, Y: 12, FontSize: 14, Bold: true, Align: ticket.AlignMiddle},
				{Text: "{venue} {hall}", X: 5, Y: 22, FontSize: 10},
				{Text: "{date} {startTime}", X: 5, Y: 30, FontSize: 10},
				{Text: "{area} {seat}", X: 5, Y: 38, FontSize: 12, Bold: true},
				{Text: "票价：{price}  {ticketType}", X: 5, Y: 46, FontSize: 10},
				{Text: "持票人：{holderName} {holderNumber}", X: 5, Y: 54, FontSize: 9},
				{Text: "票号：{ticketCode}", X: 5, Y: 62, FontSize: 7},
				{Text: "第{printNo}次打印 {printedAt}", X: 5, Y: 68, FontSize: 7},
				{Text: "购票须知：{purchaseNotice}", X: 5, Y: 120, FontSize: 7, Width: 40},
				{Text: "退票规定：{refundNotice}", X: 5, Y: 140, FontSize: 7, Width: 40},
				{Text: "客服 {platformPhone} {platformWeb}", X: 40, Y: 195, FontSize: 7, Align: ticket.AlignMiddle},
			},
		}},
	}
}

// isRule fails the test unless err holds a violation of rule.
func isRule(t testing.TB, err error, rule *wht93.Rule) {
	t.Helper()
	if !errors.Is(err, rule) {
		t.Fatalf("want %s, got %v", rule.Code(), err)
	}
}

// fields returns the field paths of err's violations.
func fields(err error) []string {
	var out []string
	for _, v := range wht93.ViolationsOf(err) {
		out = append(out, v.Field)
	}
	return out
}

var (
	zeroSession codes.SessionCode
	zeroTicket  codes.TicketCode
)

func parseTicket(t testing.TB, s string) codes.TicketCode {
	return must[codes.TicketCode](t)(codes.ParseTicketCode(s))
}
