package ticket

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	qr "github.com/piglig/go-qr"

	"github.com/piaowu/wht93"
)

// ErrLayoutQR is the rule that a QR symbol of a layout names a layout variable, is
// a square of 10 mm or more inside its page, has an error-correction level of L,
// M, Q or H, and, when rendered, its text fits a QR symbol (at most version 40)
// whose modules are at least [QRMinModule] mm wide.
var ErrLayoutQR = wht93.NewRule("ticket.layout.qr", "票面二维码应引用票面变量，边长不小于10毫米且位于票面内，纠错等级为L、M、Q或H，内容能编入二维码且模块不小于0.25毫米",
	"a QR symbol names a layout variable, is a square of at least 10 mm inside the page, has level L, M, Q or H, and its text fits a QR symbol with modules of at least 0.25 mm")

// QRQuietZone is the width of the light margin around a QR symbol, in modules
// (ISO/IEC 18004: at least 4). It lies inside the square a [QRCode] reserves.
const QRQuietZone = 4

// QRMinModule is the smallest module a rendered QR symbol may have, in mm: two
// dots of a 203 dpi thermal ticket printer, about what a gate scanner resolves.
const QRMinModule = 0.25

// qrMinSize is the smallest side of a QR symbol's square, in mm.
const qrMinSize = 10

// QRLevel is a QR symbol's error-correction level. The zero value is M (about
// 15 % of the codewords can be restored), the default. It is a small value, safe
// for concurrent use.
type QRLevel uint8

// The error-correction levels; QRLevelM is the zero value.
const (
	QRLevelM QRLevel = iota // about 15 % restorable
	QRLevelL                // about 7 %
	QRLevelQ                // about 25 %
	QRLevelH                // about 30 %
)

// String returns "L", "M", "Q" or "H".
func (q QRLevel) String() string {
	if q > QRLevelH {
		return "QRLevel(" + strconv.Itoa(int(q)) + ")"
	}
	return "MLQH"[q : q+1]
}

// MarshalText returns "L", "M", "Q" or "H"; an invalid level is an error.
func (q QRLevel) MarshalText() ([]byte, error) {
	if q > QRLevelH {
		return nil, ErrLayoutQR.At("level", strconv.Itoa(int(q)))
	}
	return []byte(q.String()), nil
}

// UnmarshalText accepts "L", "M" (or ""), "Q" and "H".
func (q *QRLevel) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "M":
		*q = QRLevelM
	case "L":
		*q = QRLevelL
	case "Q":
		*q = QRLevelQ
	case "H":
		*q = QRLevelH
	default:
		return ErrLayoutQR.Atf("level", shown(string(b), nil), "纠错等级应为L、M、Q或H", "level must be L, M, Q or H")
	}
	return nil
}

func (q QRLevel) ecc() qr.Ecc {
	switch q {
	case QRLevelL:
		return qr.Low
	case QRLevelQ:
		return qr.Quartile
	case QRLevelH:
		return qr.High
	}
	return qr.Medium
}

// QRCode is a QR symbol of a page: the text of the variable Var (normally
// [VarCredential], the e-ticket's code, for the gate to scan) drawn as a square of
// side Size mm whose top-left corner is at (X, Y). The square holds the symbol and
// its quiet zone of [QRQuietZone] modules, painted light over the background. The
// symbol is the smallest version that holds the text at Level or better (the
// level is raised when the text still fits the same version). A QRCode is a plain
// value, safe for concurrent use.
//
// A QR symbol does not count as placing a variable for [RequiredVariables]: the
// items of clause 6.2.1.2 are printed as text.
type QRCode struct {
	Var   string  `json:"var"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Size  float64 `json:"size"` // mm, quiet zone included
	Level QRLevel `json:"level,omitempty"`
}

// check returns the violations of a QR symbol on page p; pageOK tells whether the
// page's size is valid (else the position is not checked).
func (c QRCode) check(p *Page, pageOK bool) wht93.Violations {
	var vs wht93.Violations
	if !slices.Contains(Variables(), c.Var) {
		vs = append(vs, ErrLayoutQR.Atf("var", shown(c.Var, nil), "二维码引用了未知变量", "the QR symbol names an unknown variable"))
	}
	if c.Level > QRLevelH {
		vs = append(vs, ErrLayoutQR.Atf("level", strconv.Itoa(int(c.Level)), "纠错等级应为L、M、Q或H", "level must be L, M, Q or H"))
	}
	if !finite(c.Size) || c.Size < qrMinSize {
		vs = append(vs, ErrLayoutQR.Atf("size", fmtMM(c.Size), "二维码边长应不小于10毫米", "a QR symbol's side must be at least 10 mm"))
	} else if pageOK && (!finite(c.X, c.Y) || c.X < 0 || c.Y < 0 || c.X+c.Size > p.Width || c.Y+c.Size > p.Height) {
		vs = append(vs, ErrLayoutQR.Atf("x", fmtMM(c.X)+","+fmtMM(c.Y)+"+"+fmtMM(c.Size),
			"二维码超出 "+fmtMM(p.Width)+"×"+fmtMM(p.Height)+" 毫米的票面", "the QR symbol lies outside the "+fmtMM(p.Width)+"×"+fmtMM(p.Height)+" mm page"))
	}
	return vs
}

// QRSymbol is an encoded QR symbol: its module matrix, without the quiet zone. It
// is immutable and safe for concurrent use.
type QRSymbol struct {
	code *qr.QrCode
}

// EncodeQR encodes text as the smallest QR symbol that holds it at level or
// better (numeric, alphanumeric or byte mode, UTF-8 without an ECI). A text too
// long for version 40 at that level, or an invalid level, is an ErrLayoutQR
// violation; the text itself is never shown in it, only its length in bytes (it
// may be a credential).
func EncodeQR(text string, level QRLevel) (QRSymbol, error) {
	if level > QRLevelH {
		return QRSymbol{}, ErrLayoutQR.Atf("level", strconv.Itoa(int(level)), "纠错等级应为L、M、Q或H", "level must be L, M, Q or H")
	}
	code, err := qr.EncodeText(text, level.ecc())
	if err != nil {
		n := strconv.Itoa(len(text)) + " bytes"
		if errors.Is(err, qr.ErrDataTooLong) {
			return QRSymbol{}, ErrLayoutQR.Atf("text", n, "内容超出二维码（版本40、纠错等级"+level.String()+"）的容量", "the text exceeds the capacity of a QR symbol (version 40, level "+level.String()+")")
		}
		return QRSymbol{}, ErrLayoutQR.Atf("text", n, "内容无法编入二维码", "the text cannot be encoded as a QR symbol")
	}
	return QRSymbol{code: code}, nil
}

// Size returns the number of modules on a side (21 for version 1, up to 177),
// without the quiet zone; 0 for the zero QRSymbol.
func (s QRSymbol) Size() int {
	if s.code == nil {
		return 0
	}
	return s.code.Size()
}

// Version returns the symbol's version, 1 to 40; 0 for the zero QRSymbol.
func (s QRSymbol) Version() int { return (s.Size() - 17) / 4 }

// Dark reports whether the module at column x, row y (from the top left, 0 to
// Size-1) is dark; outside the symbol it is light.
func (s QRSymbol) Dark(x, y int) bool {
	return s.code != nil && s.code.Module(x, y) // Module is light outside the symbol
}

// Path returns the SVG path data of the dark modules, one unit square each,
// "M4 4h1v1h-1z…", in module units with the quiet zone's offset: the symbol's top
// left module is at (QRQuietZone, QRQuietZone). Rows run top to bottom, modules
// left to right.
func (s QRSymbol) Path() string {
	var b strings.Builder
	n := s.Size()
	b.Grow(n * n * 8)
	for y := range n {
		for x := range n {
			if s.Dark(x, y) {
				b.WriteByte('M')
				b.WriteString(strconv.Itoa(x + QRQuietZone))
				b.WriteByte(' ')
				b.WriteString(strconv.Itoa(y + QRQuietZone))
				b.WriteString("h1v1h-1z")
			}
		}
	}
	return b.String()
}

// renderQR writes the QR symbol of text as c says: a light square over the
// background (the quiet zone and the light modules), then one path of the dark
// modules scaled from module units to millimetres. field names c in errors.
func renderQR(b *strings.Builder, c QRCode, text, field string) error {
	sym, err := EncodeQR(text, c.Level)
	if err != nil {
		return wht93.ViolationsOf(err).In(field).Err()
	}
	total := sym.Size() + 2*QRQuietZone
	module := c.Size / float64(total)
	if module < QRMinModule {
		return ErrLayoutQR.Atf(field+".size", fmtMM(c.Size),
			"二维码共"+itoa(total)+"个模块，模块宽"+fmtMM(module)+"毫米，小于0.25毫米，请加大边长或降低纠错等级",
			"the QR symbol has "+itoa(total)+" modules of "+fmtMM(module)+" mm, below 0.25 mm: enlarge it or lower its level")
	}
	b.WriteString(`<g class="qr"`)
	attr(b, "transform", "translate("+fmtFloat(c.X)+" "+fmtFloat(c.Y)+") scale("+fmtFloat(module)+")")
	b.WriteString(">\n<rect x=\"0\" y=\"0\"")
	attr(b, "width", itoa(total))
	attr(b, "height", itoa(total))
	b.WriteString(` fill="#fff"/>` + "\n")
	b.WriteString(`<path fill="#000" shape-rendering="crispEdges"`)
	attr(b, "d", sym.Path())
	b.WriteString("/>\n</g>\n")
	return nil
}

// fmtFloat formats x exactly enough for a transform: the shortest text that reads
// back as x.
func fmtFloat(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if s == "-0" {
		s = "0"
	}
	return s
}
