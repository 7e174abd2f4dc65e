package ticket

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
	"github.com/piaowu/wht93/session"
)

// The rules of the ticket face (6.2.1.2, E.1.3).
var (
	// ErrFaceField is the rule that a face carries every item of clause 6.2.1.2:
	// ticket code; session name, venue, hall, date, start time, seat area, seat (or
	// 无座), price; ticket type; the platform's phone and web address; the audience
	// notice's purchase requirements and refund rules.
	ErrFaceField = wht93.NewRule("ticket.face.field", "票面缺少6.2.1.2规定的信息", "the face lacks an item of clause 6.2.1.2")
	// ErrFacePhone is the rule that the platform's phone is a mainland mobile
	// number, a landline with its area code, or a 400/800 service number.
	ErrFacePhone = wht93.NewRule("ticket.face.phone", "平台电话格式错误", "platform phone number is malformed")
	// ErrFaceWeb is the rule that the platform's web address is an absolute http or
	// https URL of at most 200 characters.
	ErrFaceWeb = wht93.NewRule("ticket.face.web", "平台网址应为 http(s) 绝对地址，最多200个字符", "platform web address must be an absolute http(s) URL of at most 200 characters")
	// ErrFaceDate is the rule that a face's start time is on its date, in China
	// Standard Time.
	ErrFaceDate = wht93.NewRule("ticket.face.date", "开始时间不在演出日期当天", "start time is not on the performance date")
	// ErrFaceHolder is the rule that a real-name face shows the holder, masked
	// (6.3.5: the name keeps the family name, the number is partly hidden).
	ErrFaceHolder = wht93.NewRule("ticket.face.holder", "实名演出票票面应显示经遮蔽的持票人信息", "a real-name face shows the holder, masked")
)

// Platform is the ticketing system's platform information a face shows (6.2.1.2:
// at least a phone and a web address). It is a plain value, safe for concurrent reads.
type Platform struct {
	Name  string // optional: 平台名称
	Phone string // 客服电话
	Web   string // 网址, http(s)
}

// Notice is the audience notice a face shows (观众须知, 6.2.1.2: at least the
// purchase requirements and the refund rules). Line breaks are allowed. It is a
// plain value, safe for concurrent reads.
type Notice struct {
	Purchase string // 购票须知
	Refund   string // 退票规定
}

// Line is one more labelled item of a face ("其他必要信息"): an entrance, a dress
// code. It is a plain value, safe for concurrent reads.
type Line struct {
	Label string
	Text  string
}

// FaceInput is what a face is built from; [NewFace] checks that nothing is
// missing. [FaceOf] fills it from a ticket and its session. A FaceInput is a plain
// value.
type FaceInput struct {
	Ticket      codes.TicketCode
	SessionName string
	Venue       string
	Hall        string
	Date        wht93.Date
	Start       time.Time
	// Area and Seat are the seat's area and its row and number, as printed
	// ("一层 A区", "3排 12号"). For an unseated ticket, set Unseated: the seat reads
	// 无座, and so does the area unless one is given (a standing zone).
	Area     string
	Seat     string
	Unseated bool
	Price    wht93.Fen
	Type     Type
	Mode     session.TicketMode
	Platform Platform
	Notice   Notice
	// RealName is the mode the ticket was sold under; under a real-name mode the
	// face needs Holder, masked.
	RealName realname.Mode
	Holder   MaskedHolder
	Extra    []Line
}

// Face is the information every medium of a ticket shows (6.2.1.2, E.1.3). It
// cannot be built with an item missing: [NewFace] returns every missing or wrong
// item as wht93.Violations instead. Its holder, if any, is masked. A Face is an
// immutable value, safe for concurrent use.
type Face struct {
	in FaceInput
}

// FaceOf builds the face of ticket t of session s, with the platform information
// and the audience notice to print and, for a real-name ticket, the holder masked
// (SealedHolder.Masked). The ticket must belong to the session.
func FaceOf(t *Ticket, s *session.Session, p Platform, n Notice, holder MaskedHolder) (Face, error) {
	if t == nil || s == nil {
		return Face{}, ErrFaceField.At("ticket", "")
	}
	var vs wht93.Violations
	if t.SessionID != s.ID || t.Session() != s.Code {
		vs = append(vs, ErrCode.Atf("ticketCode", t.Code.String(), "演出票不属于场次 "+s.ID, "the ticket is not of session "+s.ID))
	}
	in := FaceInput{
		Ticket: t.Code, SessionName: s.Name, Venue: s.Venue, Hall: s.Hall, Date: s.Date, Start: s.Start,
		Unseated: !t.Seated(), Price: t.Price, Type: t.Type, Mode: t.Mode,
		Platform: p, Notice: n, RealName: t.RealName, Holder: holder,
	}
	if t.Seated() {
		in.Area = t.Seat.Floor + " " + t.Seat.Area
		in.Seat = t.Seat.Row + " " + t.Seat.Number
	}
	f, err := NewFace(in)
	vs = append(vs, wht93.ViolationsOf(err)...)
	if err := vs.Err(); err != nil {
		return Face{}, err
	}
	return f, nil
}

// NewFace returns the face of in, or every violation: each item of 6.2.1.2 that
// is missing (ErrFaceField), a malformed phone or web address, a start time not on
// the date, a real-name face without its masked holder. Texts are one line (the
// notices may have line breaks) without surrounding space.
func NewFace(in FaceInput) (Face, error) {
	var vs wht93.Violations
	missing := func(field, zh string) {
		vs = append(vs, ErrFaceField.Atf(field, "", "票面缺少"+zh, "the face lacks the "+field))
	}
	if in.Ticket.IsZero() {
		missing("ticketCode", "演出票编码")
	}
	for _, f := range [...]struct{ field, zh, v string }{
		{"sessionName", "演出场次名称", in.SessionName},
		{"venue", "演出场所", in.Venue},
		{"hall", "演出场厅", in.Hall},
	} {
		if f.v == "" {
			missing(f.field, f.zh)
			continue
		}
		vs = text{field: f.field, value: f.v, max: maxName}.check(vs)
	}
	if !in.Date.Valid() {
		missing("date", "演出日期")
	}
	if in.Start.IsZero() {
		missing("startTime", "演出开始时间")
	} else if in.Date.Valid() && wht93.DateOf(in.Start) != in.Date {
		vs = append(vs, ErrFaceDate.At("startTime", fmtTime(in.Start)))
	}
	if in.Unseated {
		vs = text{field: "area", value: in.Area, max: maxName, optional: true}.check(vs)
		if in.Seat != "" && in.Seat != Unseated {
			vs = append(vs, ErrFaceField.Atf("seat", in.Seat, "无座演出票的座位应标明“无座”", "an unseated ticket's seat reads 无座"))
		}
	} else {
		for _, f := range [...]struct{ field, zh, v string }{{"area", "座位所在分区", in.Area}, {"seat", "座位号", in.Seat}} {
			if f.v == "" {
				missing(f.field, f.zh)
				continue
			}
			vs = text{field: f.field, value: f.v, max: maxName}.check(vs)
		}
	}
	if in.Price < 0 {
		vs = append(vs, ErrPrice.At("price", in.Price.String()))
	}
	if !in.Type.Valid() {
		missing("ticketType", "出票类型")
	}
	if in.Mode != session.Paper && in.Mode != session.Electronic {
		missing("ticketMode", "演出票种类")
	}
	vs = text{field: "platform.name", value: in.Platform.Name, max: maxName, optional: true}.check(vs)
	switch {
	case in.Platform.Phone == "":
		missing("platform.phone", "平台电话")
	case !platformPhoneRE.MatchString(in.Platform.Phone):
		vs = append(vs, ErrFacePhone.At("platform.phone", in.Platform.Phone))
	}
	switch {
	case in.Platform.Web == "":
		missing("platform.web", "平台网址")
	case !validWeb(in.Platform.Web):
		vs = append(vs, ErrFaceWeb.At("platform.web", shown(in.Platform.Web, nil)))
	}
	for _, f := range [...]struct{ field, zh, v string }{
		{"notice.purchase", "观众须知：购票要求", in.Notice.Purchase},
		{"notice.refund", "观众须知：退票规定", in.Notice.Refund},
	} {
		if f.v == "" {
			missing(f.field, f.zh)
			continue
		}
		vs = text{field: f.field, value: f.v, max: maxNotice, multiline: true}.check(vs)
	}
	switch {
	case in.RealName.RealName() && in.Holder.IsZero():
		vs = append(vs, ErrFaceHolder.At("holder", ""))
	case !in.Holder.IsZero() && !maskedLooking(in.Holder):
		vs = append(vs, ErrFaceHolder.Atf("holder", MaskHolderText(in.Holder), "持票人姓名和证件号码应经遮蔽", "the holder's name and number must be masked"))
	}
	for i, l := range in.Extra {
		field := "extra[" + strconv.Itoa(i) + "]"
		vs = text{field: field + ".label", value: l.Label, max: 20}.check(vs)
		vs = text{field: field + ".text", value: l.Text, max: maxNotice, multiline: true}.check(vs)
	}
	if err := vs.Err(); err != nil {
		return Face{}, err
	}
	in.Extra = slices.Clone(in.Extra)
	return Face{in: in}, nil
}

// platformPhoneRE accepts a mainland mobile number, a landline with its area code
// (and an extension), a 400/800 service number or a 95xxx hotline.
var platformPhoneRE = regexp.MustCompile(`^(?:(?:\+?86[- ]?)?1[3-9]\d{9}` +
	`|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?` +
	`|[48]00-?\d{3}-?\d{4}` +
	`|95\d{3,6})$`)

// maskedLooking reports whether a holder looks masked: a name of two characters
// or more and a number of four or more carry '*' (a one-character name is its own
// family name and is kept).
func maskedLooking(h MaskedHolder) bool {
	if !h.DocType.Valid() {
		return false
	}
	if runeLen(h.Name) >= 2 && !strings.Contains(h.Name, "*") {
		return false
	}
	return runeLen(h.Number) < 4 || strings.Contains(h.Number, "*")
}

// MaskHolderText masks a holder's fields again, for messages about a holder that
// may not be masked: never shows more than the masked forms.
func MaskHolderText(h MaskedHolder) string {
	return realname.MaskName(h.Name) + " " + realname.MaskNumber(h.Number)
}

func validWeb(s string) bool {
	if !wht93.CleanText(s, 200, "") || strings.ContainsAny(s, " \t") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Ticket returns the ticket code.
func (f Face) Ticket() codes.TicketCode { return f.in.Ticket }

// SessionName returns the session's name.
func (f Face) SessionName() string { return f.in.SessionName }

// Venue returns the venue's name.
func (f Face) Venue() string { return f.in.Venue }

// Hall returns the hall's name.
func (f Face) Hall() string { return f.in.Hall }

// Date returns the performance date.
func (f Face) Date() wht93.Date { return f.in.Date }

// Start returns the start time.
func (f Face) Start() time.Time { return f.in.Start }

// Area returns the seat's area as printed; 无座 for an unseated ticket without an
// area.
func (f Face) Area() string {
	if f.in.Unseated && f.in.Area == "" {
		return Unseated
	}
	return f.in.Area
}

// Seat returns the seat as printed (row and number), or 无座.
func (f Face) Seat() string {
	if f.in.Unseated {
		return Unseated
	}
	return f.in.Seat
}

// Unseated reports whether the ticket has no seat.
func (f Face) Unseated() bool { return f.in.Unseated }

// Price returns the price.
func (f Face) Price() wht93.Fen { return f.in.Price }

// Type returns the ticket type.
func (f Face) Type() Type { return f.in.Type }

// Mode returns the ticket mode (paper or e-ticket).
func (f Face) Mode() session.TicketMode { return f.in.Mode }

// Platform returns the platform information.
func (f Face) Platform() Platform { return f.in.Platform }

// Notice returns the audience notice.
func (f Face) Notice() Notice { return f.in.Notice }

// Holder returns the masked holder; zero for a ticket without one.
func (f Face) Holder() MaskedHolder { return f.in.Holder }

// Extra returns the additional lines (a copy).
func (f Face) Extra() []Line { return slices.Clone(f.in.Extra) }

// IsZero reports whether f is the zero Face (not built by NewFace).
func (f Face) IsZero() bool { return f.in.Ticket.IsZero() }

// Values returns the face's layout variables (see [Variables]) with their text.
// The holder's variables are present only on a face with a holder.
func (f Face) Values() Values {
	v := Values{
		VarTicketCode:     f.in.Ticket.String(),
		VarSessionCode:    f.in.Ticket.Session().String(),
		VarSessionName:    f.in.SessionName,
		VarVenue:          f.in.Venue,
		VarHall:           f.in.Hall,
		VarDate:           f.in.Date.String(),
		VarStartTime:      f.in.Start.In(wht93.CST).Format("15:04"),
		VarArea:           f.Area(),
		VarSeat:           f.Seat(),
		VarPrice:          "¥" + f.in.Price.String(),
		VarTicketType:     f.in.Type.Zh(),
		VarTicketMode:     f.in.Mode.Zh(),
		VarPlatformName:   f.in.Platform.Name,
		VarPlatformPhone:  f.in.Platform.Phone,
		VarPlatformWeb:    f.in.Platform.Web,
		VarPurchaseNotice: f.in.Notice.Purchase,
		VarRefundNotice:   f.in.Notice.Refund,
	}
	if !f.in.Holder.IsZero() {
		v[VarHolderName] = f.in.Holder.Name
		v[VarHolderDocType] = f.in.Holder.DocType.Zh()
		v[VarHolderNumber] = f.in.Holder.Number
	}
	return v
}

// Lines returns the face as labelled lines of text, in the order of clause
// 6.2.1.2, for media without a layout (an SMS, a confirmation page, a test).
func (f Face) Lines() []Line {
	v := f.Values()
	out := []Line{
		{"演出票编码", v[VarTicketCode]},
		{"演出场次", v[VarSessionName]},
		{"演出场所", v[VarVenue]},
		{"演出场厅", v[VarHall]},
		{"演出日期", v[VarDate]},
		{"开始时间", v[VarStartTime]},
		{"座位分区", v[VarArea]},
		{"座位号", v[VarSeat]},
		{"票价", v[VarPrice]},
		{"出票类型", v[VarTicketType]},
		{"演出票种类", v[VarTicketMode]},
	}
	if f.in.Platform.Name != "" {
		out = append(out, Line{"票务平台", f.in.Platform.Name})
	}
	out = append(out,
		Line{"客服电话", v[VarPlatformPhone]},
		Line{"网址", v[VarPlatformWeb]},
		Line{"购票须知", v[VarPurchaseNotice]},
		Line{"退票规定", v[VarRefundNotice]},
	)
	if !f.in.Holder.IsZero() {
		out = append(out, Line{"持票人", v[VarHolderName] + " " + v[VarHolderDocType] + " " + v[VarHolderNumber]})
	}
	return append(out, f.in.Extra...)
}

// String returns the face's lines, "label：text" one per line.
func (f Face) String() string {
	var b strings.Builder
	for i, l := range f.Lines() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Label)
		b.WriteString("：")
		b.WriteString(l.Text)
	}
	return b.String()
}
