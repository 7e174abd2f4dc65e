package ticket_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
	"github.com/piaowu/wht93/ticket"
)

func faceInput(t testing.TB) ticket.FaceInput {
	return ticket.FaceInput{
		Ticket: ticketCode(t, "T0001"), SessionName: "春之声交响音乐会 5月20日晚场", Venue: "东城大剧院", Hall: "大剧场",
		Date: wht93.Date{Year: 2025, Month: time.May, Day: 20}, Start: at(20, 19, 30),
		Area: "一层 A区", Seat: "3排 12号", Price: wht93.Yuan(680), Type: ticket.Sellable, Mode: session.Electronic,
		Platform: platform, Notice: notice,
	}
}

func TestNewFace(t *testing.T) {
	f, err := ticket.NewFace(faceInput(t))
	if err != nil {
		t.Fatal(err)
	}
	want := `演出票编码：110101001012025052001T0001
演出场次：春之声交响音乐会 5月20日晚场
演出场所：东城大剧院
演出场厅：大剧场
演出日期：2025-05-20
开始时间：19:30
座位分区：一层 A区
座位号：3排 12号
票价：¥680.00
出票类型：可售票
演出票种类：电子票
票务平台：东城票务
客服电话：400-123-4567
网址：https://tickets.example.cn
购票须知：一人一票，凭票入场；1.2米以下儿童谢绝入场。
退票规定：演出前7日（含）以上可退票，收取票价10%手续费；7日内不予退票。`
	if f.String() != want {
		t.Fatalf("face:\n%s\nwant:\n%s", f, want)
	}
	if f.IsZero() || (ticket.Face{}).IsZero() == false {
		t.Fatal("IsZero")
	}
}

// Every item of 6.2.1.2 left out is reported, at its field, and all at once.
func TestNewFaceMissing(t *testing.T) {
	tests := []struct {
		field string
		clear func(*ticket.FaceInput)
	}{
		{"ticketCode", func(in *ticket.FaceInput) { in.Ticket = zeroTicket }},
		{"sessionName", func(in *ticket.FaceInput) { in.SessionName = "" }},
		{"venue", func(in *ticket.FaceInput) { in.Venue = "" }},
		{"hall", func(in *ticket.FaceInput) { in.Hall = "" }},
		{"date", func(in *ticket.FaceInput) { in.Date = wht93.Date{} }},
		{"startTime", func(in *ticket.FaceInput) { in.Start = time.Time{} }},
		{"area", func(in *ticket.FaceInput) { in.Area = "" }},
		{"seat", func(in *ticket.FaceInput) { in.Seat = "" }},
		{"ticketType", func(in *ticket.FaceInput) { in.Type = 0 }},
		{"ticketMode", func(in *ticket.FaceInput) { in.Mode = 0 }},
		{"platform.phone", func(in *ticket.FaceInput) { in.Platform.Phone = "" }},
		{"platform.web", func(in *ticket.FaceInput) { in.Platform.Web = "" }},
		{"notice.purchase", func(in *ticket.FaceInput) { in.Notice.Purchase = "" }},
		{"notice.refund", func(in *ticket.FaceInput) { in.Notice.Refund = "" }},
	}
	all := faceInput(t)
	var want []string
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			in := faceInput(t)
			tc.clear(&in)
			f, err := ticket.NewFace(in)
			if !f.IsZero() || !errors.Is(err, ticket.ErrFaceField) || !slices.Equal(fields(err), []string{tc.field}) {
				t.Fatalf("got %v", err)
			}
		})
		tc.clear(&all)
		want = append(want, tc.field)
	}
	_, err := ticket.NewFace(all)
	if got := fields(err); !slices.Equal(got, want) {
		t.Fatalf("all missing: %v, want %v", got, want)
	}
	// The zero input too: every item, nothing else.
	_, err = ticket.NewFace(ticket.FaceInput{})
	if got := fields(err); !slices.Equal(got, want) {
		t.Fatalf("zero input: %v", got)
	}
}

func TestNewFaceInvalid(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ticket.FaceInput)
		rule  *wht93.Rule
		field string
	}{
		{"phone", func(in *ticket.FaceInput) { in.Platform.Phone = "12345" }, ticket.ErrFacePhone, "platform.phone"},
		{"web scheme", func(in *ticket.FaceInput) { in.Platform.Web = "ftp://tickets.example.cn" }, ticket.ErrFaceWeb, "platform.web"},
		{"web relative", func(in *ticket.FaceInput) { in.Platform.Web = "tickets.example.cn" }, ticket.ErrFaceWeb, "platform.web"},
		{"start on another day", func(in *ticket.FaceInput) { in.Start = at(21, 19, 30) }, ticket.ErrFaceDate, "startTime"},
		{"negative price", func(in *ticket.FaceInput) { in.Price = -1 }, ticket.ErrPrice, "price"},
		{"name with a line break", func(in *ticket.FaceInput) { in.SessionName = "春之声\n晚场" }, ticket.ErrText, "sessionName"},
		{"unseated with a seat", func(in *ticket.FaceInput) { in.Unseated = true }, ticket.ErrFaceField, "seat"},
		{"real-name without holder", func(in *ticket.FaceInput) { in.RealName = realname.ModePerTicket }, ticket.ErrFaceHolder, "holder"},
		{"holder not masked", func(in *ticket.FaceInput) {
			in.Holder = ticket.MaskedHolder{Name: "张三", DocType: realname.TypeResidentID, Number: idZhang}
		}, ticket.ErrFaceHolder, "holder"},
		{"extra without label", func(in *ticket.FaceInput) { in.Extra = []ticket.Line{{Text: "东门入场"}} }, ticket.ErrText, "extra[0].label"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := faceInput(t)
			tc.edit(&in)
			_, err := ticket.NewFace(in)
			isRule(t, err, tc.rule)
			if got := fields(err); !slices.Equal(got, []string{tc.field}) {
				t.Fatalf("fields %v (%v)", got, err)
			}
			if strings.Contains(err.Error(), idZhang) || strings.Contains(err.Error(), "张三") {
				t.Fatalf("error reveals the holder: %v", err)
			}
		})
	}
}

func TestFaceUnseated(t *testing.T) {
	in := faceInput(t)
	in.Unseated, in.Area, in.Seat = true, "", ""
	f := must[ticket.Face](t)(ticket.NewFace(in))
	if f.Area() != "无座" || f.Seat() != "无座" || !f.Unseated() {
		t.Fatalf("area %q seat %q", f.Area(), f.Seat())
	}
	in.Area = "内场站席"
	f = must[ticket.Face](t)(ticket.NewFace(in))
	if f.Area() != "内场站席" || f.Seat() != "无座" {
		t.Fatalf("standing zone: %q %q", f.Area(), f.Seat())
	}
}

func TestFaceOf(t *testing.T) {
	s := evening(t)
	tk := issued(t)
	if _, err := ticket.FaceOf(&tk, &s, platform, notice, ticket.MaskedHolder{}); !errors.Is(err, ticket.ErrFaceHolder) {
		t.Fatalf("real-name face without holder: %v", err)
	}
	m := must[ticket.MaskedHolder](t)(tk.Holder.Masked(keyring(t), tk.Code))
	f, err := ticket.FaceOf(&tk, &s, platform, notice, m)
	if err != nil {
		t.Fatal(err)
	}
	v := f.Values()
	if v[ticket.VarArea] != "一层 A区" || v[ticket.VarSeat] != "3排 12号" || v[ticket.VarHolderName] != "张*" ||
		v[ticket.VarHolderNumber] != "110101**********3X" || v[ticket.VarHolderDocType] != "居民身份证" {
		t.Fatalf("values %v", v)
	}
	other := standing(t)
	if _, err := ticket.FaceOf(&tk, &other, platform, notice, m); !errors.Is(err, ticket.ErrCode) {
		t.Fatalf("ticket of another session: %v", err)
	}
}
