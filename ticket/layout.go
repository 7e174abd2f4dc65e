package ticket

import (
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// The layout variables: what a field's text may name in braces, "座位：{seat}".
const (
	VarTicketCode     = "ticketCode"     // 演出票编码
	VarSessionCode    = "sessionCode"    // 演出场次编码
	VarSessionName    = "sessionName"    // 演出场次名称
	VarVenue          = "venue"          // 演出场所
	VarHall           = "hall"           // 演出场厅
	VarDate           = "date"           // 演出日期, 2025-05-20
	VarStartTime      = "startTime"      // 演出开始时间, 19:30
	VarArea           = "area"           // 座位所在分区
	VarSeat           = "seat"           // 座位号, or 无座
	VarPrice          = "price"          // 演出票价, ¥680.00
	VarTicketType     = "ticketType"     // 出票类型, 可售票
	VarTicketMode     = "ticketMode"     // 演出票种类, 电子票
	VarPlatformName   = "platformName"   // 平台名称 (may be empty)
	VarPlatformPhone  = "platformPhone"  // 平台电话
	VarPlatformWeb    = "platformWeb"    // 平台网址
	VarPurchaseNotice = "purchaseNotice" // 购票须知
	VarRefundNotice   = "refundNotice"   // 退票规定
	VarHolderName     = "holderName"     // 持票人姓名, masked
	VarHolderDocType  = "holderDocType"  // 证件类型
	VarHolderNumber   = "holderNumber"   // 证件号码, masked
	VarPrintNo        = "printNo"        // 第几次打印, 1 for the first print
	VarPrintSerial    = "printSerial"    // the paper's serial (the credential version it carries)
	VarPrintedAt      = "printedAt"      // 打印时间, 2025-05-20 18:02
	VarCredential     = "credential"     // the credential text, for a code printed as text
)

// Variables returns every variable a layout may use, in a fixed order.
func Variables() []string {
	return []string{
		VarTicketCode, VarSessionCode, VarSessionName, VarVenue, VarHall, VarDate, VarStartTime,
		VarArea, VarSeat, VarPrice, VarTicketType, VarTicketMode, VarPlatformName, VarPlatformPhone,
		VarPlatformWeb, VarPurchaseNotice, VarRefundNotice, VarHolderName, VarHolderDocType,
		VarHolderNumber, VarPrintNo, VarPrintSerial, VarPrintedAt, VarCredential,
	}
}

// RequiredVariables returns the variables every page of a layout must place: the
// items of clause 6.2.1.2, so that no printed ticket lacks one.
func RequiredVariables() []string {
	return []string{
		VarTicketCode, VarSessionName, VarVenue, VarHall, VarDate, VarStartTime, VarArea, VarSeat,
		VarPrice, VarTicketType, VarPlatformPhone, VarPlatformWeb, VarPurchaseNotice, VarRefundNotice,
	}
}

// Values are the texts of layout variables, by name. A Face gives the ticket's
// ([Face.Values]), a PrintRecord the print's ([PrintRecord.Values]). Values is a
// plain map: safe for concurrent reads.
type Values map[string]string

// With returns a new Values with w's entries over v's.
func (v Values) With(w Values) Values {
	out := make(Values, len(v)+len(w))
	for k, s := range v {
		out[k] = s
	}
	for k, s := range w {
		out[k] = s
	}
	return out
}

// The rules of face layouts (6.3.2.6, E.2.2.5).
var (
	// ErrLayout is the rule that a layout has an id, a font family and at least one
	// page, pages of distinct sizes.
	ErrLayout = wht93.NewRule("ticket.layout", "票面版式应有标识、字体和至少一种尺寸，尺寸名称不能重复", "a layout needs an id, a font family and at least one page, of distinct sizes")
	// ErrLayoutPage is the rule that a page is 10 to 1000 mm wide and high.
	ErrLayoutPage = wht93.NewRule("ticket.layout.page", "票面尺寸应在10至1000毫米之间", "page size must be 10 to 1000 mm")
	// ErrLayoutImage is the rule that a background image is an http(s) URL or a
	// base64 data URI of a PNG, JPEG, GIF, WebP or SVG image, with its size in
	// pixels (1 to 20000 each way).
	ErrLayoutImage = wht93.NewRule("ticket.layout.image", "底图应为 http(s) 地址或 base64 data URI（PNG、JPEG、GIF、WebP、SVG），并给出像素尺寸", "background must be an http(s) URL or a base64 data URI (PNG, JPEG, GIF, WebP, SVG) with its size in pixels")
	// ErrLayoutAspect (warning) flags a background image whose aspect ratio differs
	// from its page's by more than 2 %: it is stretched to the page.
	ErrLayoutAspect = wht93.NewRule("ticket.layout.aspect", "底图宽高比与票面尺寸不符，将被拉伸", "background aspect ratio differs from the page's: it will be stretched")
	// ErrLayoutField is the rule that a field has text, a font size of 4 to 72 pt,
	// an alignment of start, middle or end, and lies inside its page.
	ErrLayoutField = wht93.NewRule("ticket.layout.field", "票面字段应有内容，字号4至72磅，且位于票面内", "a field needs text, a font size of 4 to 72 pt, and must lie inside the page")
	// ErrLayoutVariable is the rule that a field names only known variables, in
	// braces, with "{{" and "}}" for literal braces.
	ErrLayoutVariable = wht93.NewRule("ticket.layout.variable", "票面字段含有未知变量或不成对的花括号", "a field names an unknown variable or has an unpaired brace")
	// ErrLayoutMissing is the rule that every page places every item of clause
	// 6.2.1.2 (RequiredVariables).
	ErrLayoutMissing = wht93.NewRule("ticket.layout.missing", "票面版式缺少6.2.1.2规定的信息", "the layout lacks an item of clause 6.2.1.2")
	// ErrLayoutValue is the rule that every variable a page places has a value when
	// it is rendered.
	ErrLayoutValue = wht93.NewRule("ticket.layout.value", "打印时缺少票面变量的值", "a variable placed on the page has no value")
	// ErrLayoutOverflow is the rule that wrapped text ends above the bottom of the
	// page: nothing is cut off silently.
	ErrLayoutOverflow = wht93.NewRule("ticket.layout.overflow", "票面文字超出票面底边", "text runs past the bottom of the page")
)

// Layout is a ticket face design (票面制作, 6.3.2.6): a font family and one page per
// paper size, each with its background image and its fields. A session's layout is
// set when the session is created and edited later (E.2.2.5); printing renders the
// current one, so an edit shows on the next print.
//
// A Layout is a plain value: safe for concurrent reads, not for concurrent
// mutation. Copies share the Pages slice; use Clone before editing a copy.
type Layout struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// FontFamily is the CSS font-family of every text, a CJK family with fallbacks:
	// "Noto Sans CJK SC, Source Han Sans SC, SimHei, sans-serif".
	FontFamily string `json:"fontFamily"`
	Pages      []Page `json:"pages"`
}

// Page is one paper size of a layout: its size in millimetres, its background
// image, its fields and its QR symbols (drawn over the fields, see [QRCode]).
// Coordinates are millimetres from the top-left corner. A Page is a plain value:
// safe for concurrent reads; copies share Fields and QRCodes.
type Page struct {
	Size       string   `json:"size"` // a name: "80x200", "A4"
	Width      float64  `json:"width"`
	Height     float64  `json:"height"`
	Background Image    `json:"background,omitzero"`
	Fields     []Field  `json:"fields"`
	QRCodes    []QRCode `json:"qrCodes,omitempty"`
}

// Image is a background image: where it is (an http(s) URL, or the image itself as
// a data URI, see [DataURI]) and its size in pixels. It is stretched over the page.
// An Image is a plain value, safe for concurrent use.
type Image struct {
	Href   string `json:"href"`
	Width  int    `json:"width"`  // px
	Height int    `json:"height"` // px
}

// Align is how a field's text sits on its X coordinate. It is a small value, safe
// for concurrent use.
type Align uint8

// The alignments: the text starts, is centred, or ends at X.
const (
	AlignStart Align = iota
	AlignMiddle
	AlignEnd
)

// String returns "start", "middle" or "end".
func (a Align) String() string {
	if a > AlignEnd {
		return "Align(" + strconv.Itoa(int(a)) + ")"
	}
	return a.anchor()
}

// MarshalText returns "start", "middle" or "end"; an invalid Align is an error.
func (a Align) MarshalText() ([]byte, error) {
	if a > AlignEnd {
		return nil, ErrLayoutField.At("align", strconv.Itoa(int(a)))
	}
	return []byte(a.anchor()), nil
}

// UnmarshalText accepts "start" (or ""), "middle" and "end".
func (a *Align) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "start":
		*a = AlignStart
	case "middle":
		*a = AlignMiddle
	case "end":
		*a = AlignEnd
	default:
		return ErrLayoutField.At("align", shown(string(b), nil))
	}
	return nil
}

func (a Align) anchor() string {
	switch a {
	case AlignMiddle:
		return "middle"
	case AlignEnd:
		return "end"
	}
	return "start"
}

// Field is one text of a page: Text with {variables} filled from the ticket, at
// (X, Y) — Y is the baseline of the first line — in FontSize points. With Width
// above zero the text wraps to lines of that width (and at line breaks); without,
// it is one line, condensed to fit when it would run off the page. A Field is a
// plain value, safe for concurrent use.
type Field struct {
	Text     string  `json:"text"`
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	FontSize float64 `json:"fontSize"` // pt
	Bold     bool    `json:"bold,omitempty"`
	Align    Align   `json:"align,omitempty"`
	Width    float64 `json:"width,omitempty"` // mm; 0: one line
}

// Clone returns a deep copy of the layout, to edit without touching l.
func (l Layout) Clone() Layout {
	l.Pages = slices.Clone(l.Pages)
	for i := range l.Pages {
		l.Pages[i].Fields = slices.Clone(l.Pages[i].Fields)
		l.Pages[i].QRCodes = slices.Clone(l.Pages[i].QRCodes)
	}
	return l
}

// DataURI returns the data URI of an image, for embedding it in a layout:
// "data:image/png;base64,…". mime is image/png, image/jpeg, image/gif, image/webp
// or image/svg+xml.
func DataURI(mime string, data []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
}

var imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}

const ptToMM = 25.4 / 72

// Validate returns every violation of the layout (warnings included: check
// Violations.Err), nil when there is none.
func (l *Layout) Validate() wht93.Violations {
	var vs wht93.Violations
	vs = text{field: "id", value: l.ID, max: maxID}.check(vs)
	vs = text{field: "name", value: l.Name, max: maxName, optional: true}.check(vs)
	vs = text{field: "fontFamily", value: l.FontFamily, max: 200}.check(vs)
	if strings.ContainsAny(l.FontFamily, "<>&;{}") {
		vs = append(vs, ErrLayout.Atf("fontFamily", shown(l.FontFamily, nil), "字体名称含有不允许的字符", "font family has a character not allowed"))
	}
	if len(l.Pages) == 0 {
		vs = append(vs, ErrLayout.Atf("pages", "0", "至少需要一种票面尺寸", "at least one page is required"))
	}
	sizes := map[string]int{}
	for i := range l.Pages {
		p := &l.Pages[i]
		field := "pages[" + strconv.Itoa(i) + "]"
		if j, ok := sizes[p.Size]; ok {
			vs = append(vs, ErrLayout.Atf(field+".size", p.Size, fmt.Sprintf("尺寸名称与 pages[%d] 重复", j), fmt.Sprintf("size name repeats pages[%d]", j)))
		}
		sizes[p.Size] = i
		vs = append(vs, p.check().In(field)...)
	}
	return vs
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func (p *Page) check() wht93.Violations {
	var vs wht93.Violations
	vs = text{field: "size", value: p.Size, max: 20}.check(vs)
	pageOK := finite(p.Width, p.Height) && p.Width >= 10 && p.Width <= 1000 && p.Height >= 10 && p.Height <= 1000
	if !pageOK {
		vs = append(vs, ErrLayoutPage.At("width", fmtMM(p.Width)+"×"+fmtMM(p.Height)))
	}
	if b := p.Background; b != (Image{}) {
		if !validImageHref(b.Href) {
			vs = append(vs, ErrLayoutImage.At("background.href", shown(b.Href, nil)))
		}
		if b.Width < 1 || b.Width > 20000 || b.Height < 1 || b.Height > 20000 {
			vs = append(vs, ErrLayoutImage.At("background.width", strconv.Itoa(b.Width)+"×"+strconv.Itoa(b.Height)))
		} else if pageOK {
			img, page := float64(b.Width)/float64(b.Height), p.Width/p.Height
			if math.Abs(img-page)/page > 0.02 {
				v := ErrLayoutAspect.At("background", strconv.Itoa(b.Width)+"×"+strconv.Itoa(b.Height))
				v.Warning = true
				vs = append(vs, v)
			}
		}
	}
	placed := map[string]bool{}
	for i, f := range p.Fields {
		field := "fields[" + strconv.Itoa(i) + "]"
		names, err := variablesOf(f.Text)
		if err != "" {
			vs = append(vs, ErrLayoutVariable.Atf(field+".text", shown(f.Text, nil), "票面字段有误："+err, "bad field text: "+err))
		}
		for _, n := range names {
			placed[n] = true
		}
		if !wht93.CleanText(f.Text, 500, allowed(true)) {
			vs = append(vs, ErrLayoutField.Atf(field+".text", shown(f.Text, nil), "字段内容应为1至500个字符", "field text must be 1 to 500 characters"))
		}
		if !finite(f.FontSize) || f.FontSize < 4 || f.FontSize > 72 {
			vs = append(vs, ErrLayoutField.Atf(field+".fontSize", fmtMM(f.FontSize), "字号应在4至72磅之间", "font size must be 4 to 72 pt"))
		}
		if f.Align > AlignEnd {
			vs = append(vs, ErrLayoutField.At(field+".align", strconv.Itoa(int(f.Align))))
		}
		if !pageOK {
			continue
		}
		fontMM := f.FontSize * ptToMM
		left, right := f.X, f.X+f.Width
		switch f.Align {
		case AlignMiddle:
			left, right = f.X-f.Width/2, f.X+f.Width/2
		case AlignEnd:
			left, right = f.X-f.Width, f.X
		}
		if !finite(f.X, f.Y, f.Width) || f.Width < 0 || left < 0 || right > p.Width || f.X > p.Width ||
			f.Y > p.Height || f.Y-fontMM < 0 {
			vs = append(vs, ErrLayoutField.Atf(field+".x", fmtMM(f.X)+","+fmtMM(f.Y),
				fmt.Sprintf("字段超出 %s×%s 毫米的票面", fmtMM(p.Width), fmtMM(p.Height)),
				fmt.Sprintf("field lies outside the %s×%s mm page", fmtMM(p.Width), fmtMM(p.Height))))
		}
	}
	for i, c := range p.QRCodes {
		vs = append(vs, c.check(p, pageOK).In("qrCodes["+strconv.Itoa(i)+"]")...)
	}
	for _, n := range RequiredVariables() {
		if !placed[n] {
			vs = append(vs, ErrLayoutMissing.Atf("fields", "{"+n+"}", "票面缺少变量 {"+n+"}", "no field places {"+n+"}"))
		}
	}
	return vs
}

func validImageHref(h string) bool {
	if strings.HasPrefix(h, "data:") {
		meta, data, ok := strings.Cut(h[len("data:"):], ",")
		mime, enc, _ := strings.Cut(meta, ";")
		if !ok || enc != "base64" || !slices.Contains(imageTypes, mime) || data == "" {
			return false
		}
		_, err := base64.StdEncoding.DecodeString(data)
		return err == nil
	}
	return validWeb(h) && len(h) <= 2000
}

// variablesOf returns the variables a field's text names, or what is wrong with it.
func variablesOf(s string) ([]string, string) {
	var names []string
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				i++
				continue
			}
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return names, "“{”未闭合 / unclosed “{”"
			}
			name := s[i+1 : i+1+end]
			if !slices.Contains(Variables(), name) {
				return names, "未知变量 / unknown variable {" + name + "}"
			}
			names = append(names, name)
			i += end + 1
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				i++
				continue
			}
			return names, "多余的“}” / unpaired “}”"
		}
	}
	return names, ""
}

// fill replaces the variables of s by their values; it reports the first variable
// without a value. s has been validated.
func fill(s string, v Values) (string, string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if s[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(s[i+1:], '}')
			name := s[i+1 : i+1+end]
			val, ok := v[name]
			if !ok {
				return "", name
			}
			b.WriteString(val)
			i += end + 1
		case '}':
			b.WriteByte('}')
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), ""
}

// fmtMM formats a length with at most three decimals and no trailing zeros.
func fmtMM(x float64) string {
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
