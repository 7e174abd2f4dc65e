package ticket_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"image"
	"image/color"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/ticket"
)

var updateQR = flag.Bool("update-qr", false, "rewrite testdata/qr-face-80x200.svg")

// qrSVG is one QR symbol as drawn in an SVG: its square's corner and module width
// in mm, its module count with the quiet zone, and its dark modules.
type qrSVG struct {
	x, y, module float64
	total        int
	dark         [][]bool // [row][column], quiet zone included
}

var (
	qrGroupRE = regexp.MustCompile(`<g class="qr" transform="translate\(([^ ]+) ([^)]+)\) scale\(([^)]+)\)">\n` +
		`<rect x="0" y="0" width="(\d+)" height="(\d+)" fill="#fff"/>\n` +
		`<path fill="#000" shape-rendering="crispEdges" d="([^"]*)"/>\n</g>\n`)
	qrSquareRE = regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`)
)

// fataler is what parseQRs, pathModules and decodeQR need of a *testing.T or a
// *rapid.T.
type fataler interface {
	Helper()
	Fatal(...any)
	Fatalf(string, ...any)
}

// parseQRs reads back every QR symbol of an SVG that Render wrote.
func parseQRs(t fataler, svg []byte) []qrSVG {
	t.Helper()
	var out []qrSVG
	for _, m := range qrGroupRE.FindAllSubmatch(svg, -1) {
		num := func(b []byte) float64 {
			f, err := strconv.ParseFloat(string(b), 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		q := qrSVG{x: num(m[1]), y: num(m[2]), module: num(m[3]), total: int(num(m[4]))}
		if int(num(m[5])) != q.total {
			t.Fatalf("light square is not square: %s", m[0][:80])
		}
		q.dark = pathModules(t, string(m[6]), q.total)
		out = append(out, q)
	}
	if got := bytes.Count(svg, []byte(`<g class="qr"`)); got != len(out) {
		t.Fatalf("%d QR groups, %d parsed", got, len(out))
	}
	return out
}

// pathModules reads the dark modules of a QR path (QRSymbol.Path) into a matrix
// of total×total modules, quiet zone included: the path must be unit squares
// only, none in the quiet zone, none drawn twice.
func pathModules(t fataler, d string, total int) [][]bool {
	t.Helper()
	dark := make([][]bool, total)
	for i := range dark {
		dark[i] = make([]bool, total)
	}
	squares := qrSquareRE.FindAllStringSubmatch(d, -1)
	if len(squares) == 0 || strings.Join(qrSquareRE.FindAllString(d, -1), "") != d {
		t.Fatalf("path is not unit squares: %.80s", d)
	}
	for _, s := range squares {
		x, _ := strconv.Atoi(s[1])
		y, _ := strconv.Atoi(s[2])
		if x < ticket.QRQuietZone || y < ticket.QRQuietZone || x >= total-ticket.QRQuietZone || y >= total-ticket.QRQuietZone {
			t.Fatalf("dark module %d,%d in the quiet zone of %d", x, y, total)
		}
		if dark[y][x] {
			t.Fatalf("module %d,%d drawn twice", x, y)
		}
		dark[y][x] = true
	}
	return dark
}

// decodeQR rasterizes a module matrix (quiet zone included) at 4 px a module and
// decodes it with ZXing's reader (gozxing, as a pure barcode: its finder-pattern
// search is meant for photographs and misplaces some synthetic symbols), an
// implementation independent of the encoder's. It returns the text and the error-correction level read.
func decodeQR(t fataler, dark [][]bool) (string, string, error) {
	t.Helper()
	const px = 4
	n := len(dark)
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for y := range n * px {
		for x := range n * px {
			c := color.Gray{Y: 255}
			if dark[y/px][x/px] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", "", err
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
		gozxing.DecodeHintType_PURE_BARCODE:  true, // a synthetic image: read the grid, no finder search
	})
	if err != nil {
		return "", "", err
	}
	level, _ := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return res.GetText(), level, nil
}

// qrLayout is layout80 with the credential's QR symbol in the free band between
// the ticket code and the notices.
func qrLayout(level ticket.QRLevel) ticket.Layout {
	l := layout80()
	l.Pages[0].QRCodes = []ticket.QRCode{{Var: ticket.VarCredential, X: 17.5, Y: 72, Size: 45, Level: level}}
	return l
}

// credentialText is the first valid credential of testdata/credentials.tsv.
func credentialText(t testing.TB) string {
	t.Helper()
	for _, v := range loadVectors(t) {
		if v.expected == "valid" {
			return v.text
		}
	}
	t.Fatal("no valid credential vector")
	return ""
}

func qrValues(t testing.TB, cred string) ticket.Values {
	return faceValues(t).With(ticket.Values{ticket.VarCredential: cred})
}

var levelRank = map[string]int{"L": 0, "M": 1, "Q": 2, "H": 3}

func TestQRDecodesBack(t *testing.T) {
	cred := credentialText(t)
	texts := []struct{ name, text string }{
		{"credential", cred},
		{"longest credential", ticket.CredentialPrefix + strings.Repeat("A", ticket.MaxCredentialLen-len(ticket.CredentialPrefix))},
		{"numeric ticket code", "110101001012025052001"},
		{"alphanumeric", "110101001012025052001N00000001"},
		{"url", "https://tickets.example.cn/t?c=110101001012025052001N00000001"},
		{"utf-8", "演出票 张* 一层 A区 1排 3号"},
	}
	for _, tc := range texts {
		for _, level := range []ticket.QRLevel{ticket.QRLevelL, ticket.QRLevelM, ticket.QRLevelQ, ticket.QRLevelH} {
			t.Run(tc.name+"/"+level.String(), func(t *testing.T) {
				l := qrLayout(level)
				svg, err := l.Render("80x200", qrValues(t, tc.text))
				if err != nil {
					t.Fatal(err)
				}
				parseSVG(t, svg) // well-formed XML
				qrs := parseQRs(t, svg)
				if len(qrs) != 1 {
					t.Fatalf("%d symbols", len(qrs))
				}
				q := qrs[0]
				if q.x != 17.5 || q.y != 72 || math.Abs(q.module*float64(q.total)-45) > 1e-9 || q.module < ticket.QRMinModule {
					t.Fatalf("placed at %v,%v, %d modules of %v mm", q.x, q.y, q.total, q.module)
				}
				sym, err := ticket.EncodeQR(tc.text, level)
				if err != nil {
					t.Fatal(err)
				}
				if q.total != sym.Size()+2*ticket.QRQuietZone || sym.Size() != 17+4*sym.Version() {
					t.Fatalf("total %d, symbol %d, version %d", q.total, sym.Size(), sym.Version())
				}
				text, got, err := decodeQR(t, q.dark)
				if err != nil {
					t.Fatalf("independent decoder: %v", err)
				}
				if text != tc.text {
					t.Fatalf("decoded %q, want %q", text, tc.text)
				}
				if levelRank[got] < levelRank[level.String()] {
					t.Fatalf("level %s read, %s asked", got, level)
				}
			})
		}
	}
}

// The same layout and values give the very same SVG, the one kept in testdata
// (regenerate with go test ./ticket -run TestQRGolden -update-qr, then check it
// decodes: TestQRDecodesBack reads the same layout).
func TestQRGolden(t *testing.T) {
	l := qrLayout(ticket.QRLevelM)
	svg := must[[]byte](t)(l.Render("80x200", qrValues(t, credentialText(t))))
	const golden = "testdata/qr-face-80x200.svg"
	if *updateQR {
		if err := os.WriteFile(golden, svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg, want) {
		t.Fatalf("SVG differs from %s", golden)
	}
	q := parseQRs(t, want)[0]
	if text, _, err := decodeQR(t, q.dark); err != nil || text != credentialText(t) {
		t.Fatalf("golden symbol decodes to %q, %v", text, err)
	}
	if bytes.Contains(want, []byte("<image")) && bytes.Count(want, []byte("<image")) != 1 {
		t.Fatal("a raster image besides the background")
	}
}

func TestQRLayoutViolations(t *testing.T) {
	tests := []struct {
		name  string
		qr    ticket.QRCode
		field string
		value string
	}{
		{"unknown variable", ticket.QRCode{Var: "credentials", X: 10, Y: 72, Size: 45}, "pages[0].qrCodes[0].var", "credentials"},
		{"no variable", ticket.QRCode{X: 10, Y: 72, Size: 45}, "pages[0].qrCodes[0].var", ""},
		{"braced variable", ticket.QRCode{Var: "{credential}", X: 10, Y: 72, Size: 45}, "pages[0].qrCodes[0].var", "{credential}"},
		{"too small", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 9.5}, "pages[0].qrCodes[0].size", "9.5"},
		{"size NaN", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: math.NaN()}, "pages[0].qrCodes[0].size", "NaN"},
		{"off the right", ticket.QRCode{Var: ticket.VarCredential, X: 40, Y: 72, Size: 45}, "pages[0].qrCodes[0].x", "40,72+45"},
		{"off the bottom", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 160, Size: 45}, "pages[0].qrCodes[0].x", "10,160+45"},
		{"negative", ticket.QRCode{Var: ticket.VarCredential, X: -1, Y: 72, Size: 45}, "pages[0].qrCodes[0].x", "-1,72+45"},
		{"x infinite", ticket.QRCode{Var: ticket.VarCredential, X: math.Inf(1), Y: 72, Size: 45}, "pages[0].qrCodes[0].x", "+Inf,72+45"},
		{"bad level", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 45, Level: 4}, "pages[0].qrCodes[0].level", "4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := layout80()
			l.Pages[0].QRCodes = []ticket.QRCode{tc.qr}
			vs := l.Validate()
			if vs.Err() == nil || len(vs) != 1 {
				t.Fatalf("want one violation, got %v", vs)
			}
			v := vs[0]
			if v.Rule != ticket.ErrLayoutQR || v.Field != tc.field || v.Value != tc.value {
				t.Fatalf("got %s %s %q, want %s %q", v.Code(), v.Field, v.Value, tc.field, tc.value)
			}
			msg := v.Error()
			if !strings.Contains(msg, tc.field) || !strings.ContainsFunc(msg, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Fatalf("message not bilingual or without the field: %s", msg)
			}
			svg, err := l.Render("80x200", qrValues(t, credentialText(t)))
			if err == nil || svg != nil {
				t.Fatal("an invalid layout rendered")
			}
		})
	}
	// A page with a wrong size: the position is not judged against it.
	l := layout80()
	l.Pages[0].Width = 5
	l.Pages[0].QRCodes = []ticket.QRCode{{Var: ticket.VarCredential, X: 10, Y: 72, Size: 45}}
	if vs := l.Validate(); vs.Has(ticket.ErrLayoutQR) {
		t.Fatalf("QR judged against a bad page: %v", vs)
	}
	// A QR symbol does not place a required item: the ticket code is printed as text.
	l = layout80()
	l.Pages[0].Fields[6].Text = "票号"
	l.Pages[0].QRCodes = []ticket.QRCode{{Var: ticket.VarTicketCode, X: 10, Y: 72, Size: 45}}
	if vs := l.Validate(); !vs.Has(ticket.ErrLayoutMissing) {
		t.Fatalf("QR of the ticket code counted as printing it: %v", vs)
	}
}

func TestQRRenderErrors(t *testing.T) {
	cred := credentialText(t)
	tests := []struct {
		name  string
		qr    ticket.QRCode
		text  *string // nil: no value
		rule  *wht93.Rule
		field string
	}{
		{"no value", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 45}, nil, ticket.ErrLayoutValue, "pages[80x200].qrCodes[0]"},
		{"empty value", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 45}, ptr(""), ticket.ErrLayoutValue, "pages[80x200].qrCodes[0]"},
		{"too long for version 40", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 60}, ptr(strings.Repeat("x", 2332)), ticket.ErrLayoutQR, "pages[80x200].qrCodes[0].text"},
		{"too long at H", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 60, Level: ticket.QRLevelH}, ptr(strings.Repeat("x", 1274)), ticket.ErrLayoutQR, "pages[80x200].qrCodes[0].text"},
		{"modules too small", ticket.QRCode{Var: ticket.VarCredential, X: 10, Y: 72, Size: 10}, ptr(cred), ticket.ErrLayoutQR, "pages[80x200].qrCodes[0].size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := layout80()
			l.Pages[0].QRCodes = []ticket.QRCode{tc.qr}
			if vs := l.Validate(); len(vs) != 0 {
				t.Fatal(vs)
			}
			v := faceValues(t)
			if tc.text != nil {
				v[ticket.VarCredential] = *tc.text
			}
			svg, err := l.Render("80x200", v)
			if svg != nil || !errors.Is(err, tc.rule) || !slices.Contains(fields(err), tc.field) {
				t.Fatalf("want %s at %s, got %v", tc.rule.Code(), tc.field, err)
			}
			if tc.text != nil && len(*tc.text) > 10 && strings.Contains(err.Error(), (*tc.text)[:10]) {
				t.Fatalf("the text shows in the error: %v", err)
			}
		})
	}
	// The largest byte-mode text of version 40 at M (2331 bytes) fits.
	sym, err := ticket.EncodeQR(strings.Repeat("x", 2331), ticket.QRLevelM)
	if err != nil || sym.Version() != 40 || sym.Size() != 177 {
		t.Fatalf("version %d, %v", sym.Version(), err)
	}
	if _, err := ticket.EncodeQR("x", 9); !errors.Is(err, ticket.ErrLayoutQR) {
		t.Fatal(err)
	}
	var zero ticket.QRSymbol
	if zero.Size() != 0 || zero.Dark(0, 0) || zero.Path() != "" {
		t.Fatal("zero QRSymbol")
	}
}

func ptr[T any](v T) *T { return &v }

func TestQRLevelText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ticket.QRLevel
		ok   bool
	}{{"", ticket.QRLevelM, true}, {"L", ticket.QRLevelL, true}, {"M", ticket.QRLevelM, true}, {"Q", ticket.QRLevelQ, true},
		{"H", ticket.QRLevelH, true}, {"m", 0, false}, {"X", 0, false}, {"MM", 0, false}} {
		var q ticket.QRLevel
		err := q.UnmarshalText([]byte(tc.in))
		if tc.ok != (err == nil) || (tc.ok && q != tc.want) {
			t.Fatalf("%q: %v %v", tc.in, q, err)
		}
		if !tc.ok && !errors.Is(err, ticket.ErrLayoutQR) {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if tc.ok && tc.in != "" && string(must[[]byte](t)(q.MarshalText())) != tc.in {
			t.Fatalf("%q does not round-trip", tc.in)
		}
	}
	if _, err := ticket.QRLevel(4).MarshalText(); !errors.Is(err, ticket.ErrLayoutQR) {
		t.Fatal(err)
	}
	if ticket.QRLevel(4).String() != "QRLevel(4)" {
		t.Fatal(ticket.QRLevel(4).String())
	}
}

// Layouts without QR symbols keep their JSON; a layout with one survives a round
// trip, the default level left out.
func TestQRLayoutJSON(t *testing.T) {
	plain := must[[]byte](t)(json.Marshal(layout80()))
	if bytes.Contains(plain, []byte("qrCodes")) {
		t.Fatalf("a layout without QR symbols gained a key: %s", plain)
	}
	l := qrLayout(ticket.QRLevelM)
	l.Pages[0].QRCodes = append(l.Pages[0].QRCodes, ticket.QRCode{Var: ticket.VarTicketCode, X: 5, Y: 150, Size: 20, Level: ticket.QRLevelH})
	js := must[[]byte](t)(json.Marshal(l))
	if !bytes.Contains(js, []byte(`"qrCodes":[{"var":"credential","x":17.5,"y":72,"size":45},{"var":"ticketCode","x":5,"y":150,"size":20,"level":"H"}]`)) {
		t.Fatalf("%s", js)
	}
	var back ticket.Layout
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Pages[0].QRCodes, l.Pages[0].QRCodes) {
		t.Fatalf("%+v", back.Pages[0].QRCodes)
	}
	if err := json.Unmarshal([]byte(`{"var":"credential","x":1,"y":1,"size":20,"level":"Z"}`), new(ticket.QRCode)); !errors.Is(err, ticket.ErrLayoutQR) {
		t.Fatal(err)
	}
	// Clone copies the QR symbols.
	c := l.Clone()
	c.Pages[0].QRCodes[0].Size = 30
	if l.Pages[0].QRCodes[0].Size != 45 {
		t.Fatal("Clone shares QR symbols")
	}
}

// Any text of the credential alphabet up to the longest credential, at any level,
// reads back from the SVG's path with an independent decoder.
func TestQRPropertyDecodes(t *testing.T) {
	alphabet := []rune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
	base := qrValues(t, "")
	rapid.Check(t, func(rt *rapid.T) {
		text := rapid.StringOfN(rapid.RuneFrom(alphabet), 1, ticket.MaxCredentialLen, -1).Draw(rt, "text")
		level := ticket.QRLevel(rapid.IntRange(0, 3).Draw(rt, "level"))
		l := qrLayout(level)
		svg, err := l.Render("80x200", base.With(ticket.Values{ticket.VarCredential: text}))
		if err != nil {
			rt.Fatal(err)
		}
		q := parseQRs(rt, svg)[0]
		got, _, err := decodeQR(rt, q.dark)
		if err != nil || got != text {
			rt.Fatalf("decoded %q, %v", got, err)
		}
	})
}

// FuzzEncodeQR: encoding never panics; it either fails with ErrLayoutQR or gives
// a symbol whose path draws exactly its dark modules, and whose printable ASCII
// text an independent decoder reads back. Seeded from testdata/credentials.tsv.
func FuzzEncodeQR(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.text, uint8(0))
	}
	f.Add("", uint8(3))
	f.Add(strings.Repeat("9", 7090), uint8(1))
	f.Add("演出票", uint8(7))
	f.Fuzz(func(t *testing.T, text string, level uint8) {
		sym, err := ticket.EncodeQR(text, ticket.QRLevel(level))
		if err != nil {
			if !errors.Is(err, ticket.ErrLayoutQR) {
				t.Fatal(err)
			}
			return
		}
		n := sym.Size()
		if n < 21 || n > 177 || n != 17+4*sym.Version() {
			t.Fatalf("size %d", n)
		}
		total := n + 2*ticket.QRQuietZone
		dark := pathModules(t, sym.Path(), total)
		for y := range total {
			for x := range total {
				if dark[y][x] != sym.Dark(x-ticket.QRQuietZone, y-ticket.QRQuietZone) {
					t.Fatalf("path and matrix differ at %d,%d", x, y)
				}
			}
		}
		if text != "" && !strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r > '~' }) {
			if got, _, err := decodeQR(t, dark); err != nil || got != text {
				t.Fatalf("decoded %q, %v", got, err)
			}
		}
	})
}

func BenchmarkRenderQR(b *testing.B) {
	l := qrLayout(ticket.QRLevelM)
	v := qrValues(b, credentialText(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Render("80x200", v); err != nil {
			b.Fatal(err)
		}
	}
}
