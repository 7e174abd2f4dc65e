package ticket

import (
	"encoding/xml"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// lineHeight is the distance between baselines, in font sizes.
const lineHeight = 1.25

// Render returns the page of the given size as an SVG document, its variables
// filled with v: the background image stretched over the page (referenced, or
// embedded when its Href is a data URI), then each field's text in the layout's
// font family, XML-escaped. Sizes are millimetres (width="80mm", a viewBox in
// mm), font sizes points converted to millimetres.
//
// Then each QR symbol ([QRCode]) is drawn: a light square (the quiet zone) and
// one path of unit squares, the dark modules, scaled to the square; no raster
// image. A QR variable without a value or with an empty one (ErrLayoutValue), a
// text too long for a QR symbol or modules narrower than QRMinModule (ErrLayoutQR)
// is an error.
//
// A one-line field whose text would run off the page is condensed to fit (SVG
// textLength); a wrapped field that would run past the bottom of the page is an
// error (ErrLayoutOverflow), as is a layout that does not validate, an unknown
// size, or a placed variable without a value (ErrLayoutValue). The output is
// deterministic: the same layout and values give the same bytes.
//
// Text widths are estimated (a CJK or full-width character 1 em, another 0.55
// em): the SDK knows no font metrics.
func (l *Layout) Render(size string, v Values) ([]byte, error) {
	if err := l.Validate().Err(); err != nil {
		return nil, err
	}
	var p *Page
	for i := range l.Pages {
		if l.Pages[i].Size == size {
			p = &l.Pages[i]
		}
	}
	if p == nil {
		return nil, ErrLayout.Atf("size", shown(size, nil), "票面版式没有该尺寸", "the layout has no page of that size")
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1"`)
	attr(&b, "width", fmtMM(p.Width)+"mm")
	attr(&b, "height", fmtMM(p.Height)+"mm")
	attr(&b, "viewBox", "0 0 "+fmtMM(p.Width)+" "+fmtMM(p.Height))
	attr(&b, "font-family", l.FontFamily)
	b.WriteString(">\n")
	if p.Background != (Image{}) {
		b.WriteString(`<image x="0" y="0"`)
		attr(&b, "width", fmtMM(p.Width))
		attr(&b, "height", fmtMM(p.Height))
		b.WriteString(` preserveAspectRatio="none"`)
		attr(&b, "href", p.Background.Href)
		attr(&b, "xlink:href", p.Background.Href)
		b.WriteString("/>\n")
	}
	for i, f := range p.Fields {
		s, missing := fill(f.Text, v)
		if missing != "" {
			return nil, ErrLayoutValue.Atf("pages["+size+"].fields["+itoa(i)+"]", "{"+missing+"}",
				"变量 {"+missing+"} 没有值", "variable {"+missing+"} has no value")
		}
		fontMM := f.FontSize * ptToMM
		var lines []string
		for _, para := range strings.Split(s, "\n") {
			if f.Width > 0 {
				lines = append(lines, wrap(para, f.Width/fontMM)...)
			} else {
				lines = append(lines, para)
			}
		}
		last := f.Y + float64(len(lines)-1)*lineHeight*fontMM
		if last > p.Height {
			return nil, ErrLayoutOverflow.Atf("pages["+size+"].fields["+itoa(i)+"]", fmtMM(last),
				"第"+itoa(i)+"个字段共"+itoa(len(lines))+"行，超出票面底边", "field "+itoa(i)+" has "+itoa(len(lines))+" lines and runs past the bottom of the page")
		}
		b.WriteString("<text")
		attr(&b, "x", fmtMM(f.X))
		attr(&b, "y", fmtMM(f.Y))
		attr(&b, "font-size", fmtMM(fontMM))
		if f.Bold {
			b.WriteString(` font-weight="bold"`)
		}
		if f.Align != AlignStart {
			attr(&b, "text-anchor", f.Align.anchor())
		}
		b.WriteString(` xml:space="preserve"`)
		if len(lines) == 1 {
			if avail := available(p, f); textWidth(lines[0])*fontMM > avail {
				attr(&b, "textLength", fmtMM(avail))
				b.WriteString(` lengthAdjust="spacingAndGlyphs"`)
			}
			b.WriteByte('>')
			escape(&b, lines[0])
			b.WriteString("</text>\n")
			continue
		}
		b.WriteByte('>')
		for j, line := range lines {
			b.WriteString("<tspan")
			attr(&b, "x", fmtMM(f.X))
			attr(&b, "y", fmtMM(f.Y+float64(j)*lineHeight*fontMM))
			b.WriteByte('>')
			escape(&b, line)
			b.WriteString("</tspan>")
		}
		b.WriteString("</text>\n")
	}
	for i, c := range p.QRCodes {
		field := "pages[" + size + "].qrCodes[" + itoa(i) + "]"
		text, ok := v[c.Var]
		if !ok || text == "" {
			return nil, ErrLayoutValue.Atf(field, "{"+c.Var+"}", "二维码变量 {"+c.Var+"} 没有值", "the QR symbol's variable {"+c.Var+"} has no value")
		}
		if err := renderQR(&b, c, text, field); err != nil {
			return nil, err
		}
	}
	b.WriteString("</svg>\n")
	return []byte(b.String()), nil
}

// available returns the width a one-line field has before it runs off the page.
func available(p *Page, f Field) float64 {
	switch f.Align {
	case AlignMiddle:
		return 2 * min(f.X, p.Width-f.X)
	case AlignEnd:
		return f.X
	}
	if f.Width > 0 {
		return f.Width
	}
	return p.Width - f.X
}

func attr(b *strings.Builder, name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	escape(b, value)
	b.WriteByte('"')
}

func escape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder does not fail
}

// runeWidth returns the estimated advance of r in ems.
func runeWidth(r rune) float64 {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 1
	}
	if unicode.Is(unicode.Mn, r) {
		return 0
	}
	return 0.55
}

func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// wrap breaks s into lines of at most max ems: greedily, between CJK characters or
// at spaces between words; a word longer than a line is broken between its
// characters. Nothing is dropped but the spaces at the line breaks.
func wrap(s string, max float64) []string {
	var lines []string
	var cur strings.Builder
	w := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		w = 0
	}
	for _, tok := range tokens(s) {
		tw := textWidth(tok)
		if tok == " " {
			if w > 0 {
				cur.WriteString(tok)
				w += tw
			}
			continue
		}
		if w+tw > max && w > 0 {
			flush()
		}
		if tw <= max {
			cur.WriteString(tok)
			w += tw
			continue
		}
		for _, r := range tok { // a word longer than the line
			rw := runeWidth(r)
			if w+rw > max && w > 0 {
				flush()
			}
			cur.WriteRune(r)
			w += rw
		}
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// tokens splits s into single wide characters, single spaces and runs of other
// characters (words).
func tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if r == ' ' || runeWidth(r) == 1 {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			out = append(out, string(r))
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
