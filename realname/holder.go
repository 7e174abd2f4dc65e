package realname

import (
	"fmt"
	"log/slog"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// ErrName is the rule that a holder's name is given, is at most 100 characters and
// has no control characters.
var ErrName = wht93.NewRule("realname.name", "姓名应为1至100个字符，不含控制字符", "name must be 1 to 100 characters without control characters")

// Holder is a real-name buyer or ticket holder: a name and a validated document
// (clause 6.3.3.1 records both). It carries personal data: its fields are
// unexported, and String, GoString, Format and LogValue show the name masked by
// [MaskName] and the number masked by [MaskNumber]. The zero Holder is no one.
// A Holder is an immutable value and safe for concurrent use.
type Holder struct {
	name string
	doc  Document
}

// NewHolder returns the holder of a validated document. The name is trimmed and
// must be 1 to 100 characters without control characters; the document must not be
// the zero Document.
func NewHolder(name string, doc Document) (Holder, error) {
	name = strings.TrimSpace(name)
	var vs wht93.Violations
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 100 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		vs = append(vs, ErrName.At("name", MaskName(name)))
	}
	if doc.IsZero() {
		vs = append(vs, ErrDocumentRequired.At("document", ""))
	}
	if err := vs.Err(); err != nil {
		return Holder{}, err
	}
	return Holder{name: name, doc: doc}, nil
}

// Name returns the name, whole: personal data.
func (h Holder) Name() string { return h.name }

// Document returns the holder's document.
func (h Holder) Document() Document { return h.doc }

// MaskedName returns the name masked by [MaskName], for a printed ticket.
func (h Holder) MaskedName() string { return MaskName(h.name) }

// IsZero reports whether h is the zero Holder.
func (h Holder) IsZero() bool { return h.doc.IsZero() && h.name == "" }

// String returns the masked name and document: "张** resident-id 110101**********3X".
func (h Holder) String() string {
	if h.IsZero() {
		return ""
	}
	return h.MaskedName() + " " + h.doc.String()
}

// GoString masks like String.
func (h Holder) GoString() string { return "realname.Holder(" + h.String() + ")" }

// Format prints the masked form for every verb.
func (h Holder) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", h.String())
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(h.GoString()))
	default:
		_, _ = f.Write([]byte(h.String()))
	}
}

// LogValue logs the masked name and document.
func (h Holder) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", h.MaskedName()),
		slog.String("type", h.doc.typ.String()), slog.String("number", h.doc.Masked()))
}

var (
	_ fmt.Formatter  = Holder{}
	_ slog.LogValuer = Holder{}
)
