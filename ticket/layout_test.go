package ticket_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/ticket"
)

func faceValues(t testing.TB) ticket.Values {
	f := must[ticket.Face](t)(ticket.NewFace(faceInput(t)))
	return f.Values().With(ticket.Values{ticket.VarHolderName: "张*", ticket.VarHolderNumber: "110101**********3X",
		ticket.VarPrintNo: "1", ticket.VarPrintedAt: "2025-05-10 12:00"})
}

func TestLayoutValid(t *testing.T) {
	l := layout80()
	if vs := l.Validate(); len(vs) != 0 {
		t.Fatal(vs)
	}
	for _, v := range ticket.RequiredVariables() {
		if !slices.Contains(ticket.Variables(), v) {
			t.Fatalf("required %s is not a variable", v)
		}
	}
}

func TestLayoutViolations(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ticket.Layout)
		rule  *wht93.Rule
		field string
	}{
		{"no font", func(l *ticket.Layout) { l.FontFamily = "" }, ticket.ErrText, "fontFamily"},
		{"font injection", func(l *ticket.Layout) { l.FontFamily = `x" onload="alert(1)` + "<" }, ticket.ErrLayout, "fontFamily"},
		{"no pages", func(l *ticket.Layout) { l.Pages = nil }, ticket.ErrLayout, "pages"},
		{"size twice", func(l *ticket.Layout) { l.Pages = append(l.Pages, l.Pages[0]) }, ticket.ErrLayout, "pages[1].size"},
		{"page too small", func(l *ticket.Layout) { l.Pages[0].Width = 5 }, ticket.ErrLayoutPage, "pages[0].width"},
		{"page NaN", func(l *ticket.Layout) { l.Pages[0].Height = math.NaN() }, ticket.ErrLayoutPage, "pages[0].width"},
		{"image scheme", func(l *ticket.Layout) { l.Pages[0].Background.Href = "javascript:alert(1)" }, ticket.ErrLayoutImage, "pages[0].background.href"},
		{"image data not base64", func(l *ticket.Layout) { l.Pages[0].Background.Href = "data:image/png;base64,@@" }, ticket.ErrLayoutImage, "pages[0].background.href"},
		{"image type", func(l *ticket.Layout) { l.Pages[0].Background.Href = "data:text/html;base64,PGI+" }, ticket.ErrLayoutImage, "pages[0].background.href"},
		{"image without size", func(l *ticket.Layout) { l.Pages[0].Background.Width = 0 }, ticket.ErrLayoutImage, "pages[0].background.width"},
		{"unknown variable", func(l *ticket.Layout) { l.Pages[0].Fields[1].Text = "{venue} {hal}" }, ticket.ErrLayoutVariable, "pages[0].fields[1].text"},
		{"unclosed brace", func(l *ticket.Layout) { l.Pages[0].Fields[1].Text = "{venue} {hall" }, ticket.ErrLayoutVariable, "pages[0].fields[1].text"},
		{"lone closing brace", func(l *ticket.Layout) { l.Pages[0].Fields[1].Text = "{venue} {hall} }" }, ticket.ErrLayoutVariable, "pages[0].fields[1].text"},
		{"font too small", func(l *ticket.Layout) { l.Pages[0].Fields[1].FontSize = 3 }, ticket.ErrLayoutField, "pages[0].fields[1].fontSize"},
		{"off the right", func(l *ticket.Layout) { l.Pages[0].Fields[1].X = 81 }, ticket.ErrLayoutField, "pages[0].fields[1].x"},
		{"above the top", func(l *ticket.Layout) { l.Pages[0].Fields[1].Y = 1 }, ticket.ErrLayoutField, "pages[0].fields[1].x"},
		{"below the bottom", func(l *ticket.Layout) { l.Pages[0].Fields[1].Y = 201 }, ticket.ErrLayoutField, "pages[0].fields[1].x"},
		{"wrap past the edge", func(l *ticket.Layout) { l.Pages[0].Fields[8].Width = 80 }, ticket.ErrLayoutField, "pages[0].fields[8].x"},
		{"centred box past the edge", func(l *ticket.Layout) { l.Pages[0].Fields[0].Width = 90 }, ticket.ErrLayoutField, "pages[0].fields[0].x"},
		{"bad align", func(l *ticket.Layout) { l.Pages[0].Fields[0].Align = 7 }, ticket.ErrLayoutField, "pages[0].fields[0].align"},
		{"required item missing", func(l *ticket.Layout) { l.Pages[0].Fields[9].Text = "退票规定见官网" }, ticket.ErrLayoutMissing, "pages[0].fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := layout80().Clone()
			tc.edit(&l)
			vs := l.Validate()
			if !vs.Has(tc.rule) || vs.Err() == nil {
				t.Fatalf("want %s, got %v", tc.rule.Code(), vs)
			}
			var got []string
			for _, v := range vs {
				if v.Rule == tc.rule {
					got = append(got, v.Field)
				}
			}
			if !slices.Contains(got, tc.field) {
				t.Fatalf("fields %v, want %s", got, tc.field)
			}
			if _, err := l.Render("80x200", faceValues(t)); err == nil {
				t.Fatal("an invalid layout rendered")
			}
		})
	}
	// A background of another aspect ratio is a warning only.
	l := layout80().Clone()
	l.Pages[0].Background.Height = 640
	vs := l.Validate()
	if len(vs) != 1 || !vs[0].Warning || vs[0].Rule != ticket.ErrLayoutAspect || vs.Err() != nil {
		t.Fatalf("aspect: %v", vs)
	}
}

// svgDoc is the parts of an SVG the tests look at.
type svgDoc struct {
	XMLName    xml.Name `xml:"svg"`
	Width      string   `xml:"width,attr"`
	Height     string   `xml:"height,attr"`
	ViewBox    string   `xml:"viewBox,attr"`
	FontFamily string   `xml:"font-family,attr"`
	Image      []struct {
		Href string `xml:"href,attr"`
	} `xml:"image"`
	Text []struct {
		X          string `xml:"x,attr"`
		Y          string `xml:"y,attr"`
		FontSize   string `xml:"font-size,attr"`
		TextLength string `xml:"textLength,attr"`
		Chars      string `xml:",chardata"`
		Spans      []struct {
			Y     string `xml:"y,attr"`
			Chars string `xml:",chardata"`
		} `xml:"tspan"`
	} `xml:"text"`
}

func parseSVG(t testing.TB, b []byte) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b)
	}
	return d
}

func TestRender(t *testing.T) {
	l := layout80()
	svg, err := l.Render("80x200", faceValues(t))
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, svg)
	if d.Width != "80mm" || d.Height != "200mm" || d.ViewBox != "0 0 80 200" || d.FontFamily != l.FontFamily {
		t.Fatalf("svg root %+v", d)
	}
	if len(d.Image) != 1 || d.Image[0].Href != l.Pages[0].Background.Href || !bytes.Contains(svg, []byte(`xlink:href="https://cdn`)) {
		t.Fatalf("image %+v", d.Image)
	}
	if len(d.Text) != len(l.Pages[0].Fields) {
		t.Fatalf("%d texts", len(d.Text))
	}
	if d.Text[3].Chars != "一层 A区 3排 12号" || d.Text[3].FontSize != "4.233" || d.Text[3].X != "5" || d.Text[3].Y != "38" {
		t.Fatalf("seat text %+v", d.Text[3])
	}
	// The notices wrap to lines within 70 mm, one tspan each, nothing lost.
	spans := d.Text[8].Spans
	if len(spans) < 2 {
		t.Fatalf("notice not wrapped: %+v", d.Text[8])
	}
	var joined strings.Builder
	for _, s := range spans {
		joined.WriteString(s.Chars)
	}
	if joined.String() != "购票须知："+notice.Purchase {
		t.Fatalf("wrapped text %q", joined.String())
	}
	// Deterministic.
	again, _ := l.Render("80x200", faceValues(t))
	if !bytes.Equal(svg, again) {
		t.Fatal("rendering is not deterministic")
	}
	// Unknown size, missing value.
	if _, err := l.Render("A4", faceValues(t)); !errors.Is(err, ticket.ErrLayout) {
		t.Fatalf("unknown size: %v", err)
	}
	v := faceValues(t)
	delete(v, ticket.VarPrintNo)
	if _, err := l.Render("80x200", v); !errors.Is(err, ticket.ErrLayoutValue) || !strings.Contains(err.Error(), "{printNo}") {
		t.Fatalf("missing value: %v", err)
	}
}

func TestRenderEscapes(t *testing.T) {
	l := layout80()
	l.FontFamily = `"Noto Sans CJK SC", sans-serif`
	l.Pages[0].Fields = append(l.Pages[0].Fields, ticket.Field{Text: "{{literal}} {venue}", X: 5, Y: 80, FontSize: 8})
	v := faceValues(t)
	v[ticket.VarVenue] = `<script>&"剧院"</script>`
	svg, err := l.Render("80x200", v)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(svg, []byte("<script>")) {
		t.Fatal("unescaped markup")
	}
	d := parseSVG(t, svg)
	if d.FontFamily != l.FontFamily {
		t.Fatalf("font %q", d.FontFamily)
	}
	last := d.Text[len(d.Text)-1]
	if last.Chars != `{literal} <script>&"剧院"</script>` {
		t.Fatalf("text %q", last.Chars)
	}
}

func TestRenderFit(t *testing.T) {
	l := layout80()
	v := faceValues(t)
	// A long one-line text is condensed to the page, not cut.
	v[ticket.VarSessionName] = strings.Repeat("春之声", 10)
	d := parseSVG(t, must[[]byte](t)(l.Render("80x200", v)))
	if d.Text[0].TextLength != "80" || d.Text[0].Chars != v[ticket.VarSessionName] {
		t.Fatalf("condensed %+v", d.Text[0])
	}
	// A short one keeps its natural width.
	if d.Text[1].TextLength != "" {
		t.Fatalf("short text condensed: %+v", d.Text[1])
	}
	// A wrapped text that runs past the bottom is an error.
	v[ticket.VarRefundNotice] = strings.Repeat("演出前7日以上可退票。", 80)
	if _, err := l.Render("80x200", v); !errors.Is(err, ticket.ErrLayoutOverflow) {
		t.Fatalf("overflow: %v", err)
	}
	// Latin words break at spaces, an overlong word between characters.
	l.Pages[0].Fields[8] = ticket.Field{Text: "{purchaseNotice}", X: 5, Y: 120, FontSize: 10, Width: 30}
	v = faceValues(t)
	v[ticket.VarPurchaseNotice] = "No entry after the start ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	d = parseSVG(t, must[[]byte](t)(l.Render("80x200", v)))
	var lines []string
	for _, s := range d.Text[8].Spans {
		lines = append(lines, s.Chars)
	}
	if lines[0] != "No entry after" {
		t.Fatalf("lines %q", lines)
	}
	for _, line := range lines {
		if strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
			t.Fatalf("space at a break: %q", lines)
		}
	}
	if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != strings.ReplaceAll(v[ticket.VarPurchaseNotice], " ", "") {
		t.Fatalf("characters lost: %q", lines)
	}
}

// E.2.2.5 c, d: a new background, a larger font and a moved field show on the next
// print; the other fields are as they were.
func TestLayoutEditShows(t *testing.T) {
	l := layout80()
	before := must[[]byte](t)(l.Render("80x200", faceValues(t)))
	edited := l.Clone()
	p := &edited.Pages[0]
	p.Background = ticket.Image{Href: ticket.DataURI("image/png", []byte("\x89PNG\r\n\x1a\nnot-a-real-image")), Width: 320, Height: 800}
	p.Fields[3].FontSize, p.Fields[3].X, p.Fields[3].Y = 16, 10, 44
	after := must[[]byte](t)(edited.Render("80x200", faceValues(t)))
	if bytes.Equal(before, after) {
		t.Fatal("edit does not show")
	}
	b, a := parseSVG(t, before), parseSVG(t, after)
	if a.Image[0].Href != p.Background.Href || !strings.HasPrefix(a.Image[0].Href, "data:image/png;base64,") {
		t.Fatalf("background %q", a.Image[0].Href)
	}
	if a.Text[3].FontSize != "5.644" || a.Text[3].X != "10" || a.Text[3].Y != "44" || a.Text[3].Chars != b.Text[3].Chars {
		t.Fatalf("edited field %+v", a.Text[3])
	}
	for i := range b.Text {
		if i != 3 && (b.Text[i].X != a.Text[i].X || b.Text[i].Y != a.Text[i].Y || b.Text[i].FontSize != a.Text[i].FontSize) {
			t.Fatalf("field %d changed", i)
		}
	}
	// The original is untouched by editing the clone.
	if l.Pages[0].Fields[3].FontSize != 12 {
		t.Fatal("Clone shares fields")
	}
}

func readLayout(t *testing.T, name string) ticket.Layout {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var l ticket.Layout
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLayoutJSON(t *testing.T) {
	l := readLayout(t, "layout-80x200.json")
	if vs := l.Validate(); len(vs) != 0 {
		t.Fatal(vs)
	}
	if l.Pages[0].Fields[0].Align != ticket.AlignMiddle || l.Pages[0].Fields[8].Align != ticket.AlignEnd {
		t.Fatal("align")
	}
	v := faceValues(t)
	v[ticket.VarHolderDocType] = "居民身份证"
	for _, size := range []string{"80x200", "A4"} {
		svg, err := l.Render(size, v)
		if err != nil {
			t.Fatalf("%s: %v", size, err)
		}
		parseSVG(t, svg)
	}
	a4 := parseSVG(t, must[[]byte](t)(l.Render("A4", v)))
	if !strings.HasPrefix(a4.Image[0].Href, "data:image/svg+xml;base64,") || a4.Width != "210mm" ||
		a4.Text[5].Chars != "{客服} 东城票务 400-123-4567 https://tickets.example.cn" {
		t.Fatalf("A4 %+v", a4.Text[5])
	}
	// The layout survives a JSON round trip.
	js := must[[]byte](t)(json.Marshal(l))
	var back ticket.Layout
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(must[[]byte](t)(back.Render("A4", v)), must[[]byte](t)(l.Render("A4", v))) {
		t.Fatal("round trip changes the rendering")
	}

	bad := readLayout(t, "layout-bad.json")
	var got []string
	for _, v := range bad.Validate() {
		got = append(got, v.Code()+" "+v.Field)
	}
	want := []string{
		"ticket.layout.image pages[0].background.href",
		"ticket.layout.field pages[0].fields[1].fontSize",
		"ticket.layout.variable pages[0].fields[2].text",
		"ticket.layout.field pages[0].fields[2].x",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	var a ticket.Align
	if err := a.UnmarshalText([]byte("centre")); !errors.Is(err, ticket.ErrLayoutField) {
		t.Fatal(err)
	}
}
