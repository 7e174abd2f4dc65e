package ticket

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// Lengths of the text fields, in characters.
const (
	maxID     = 100  // order, buyer, session and tier ids (Appendix A orderId String 100)
	maxBy     = 50   // an operator's account
	maxReason = 200  // a reason (Appendix A reason String 200)
	maxName   = 50   // names shown on the face (Appendix A sessionName, venueName String 50)
	maxNotice = 2000 // an audience notice on a face
)

// allowed returns the control characters a text may hold.
func allowed(multiline bool) string {
	if multiline {
		return "\n"
	}
	return ""
}

// text checks a text field of 1 to max characters (0 to max when optional).
type text struct {
	field     string
	value     string
	max       int
	optional  bool
	multiline bool
	mask      func(string) string // hides personal data in the violation
}

func (t text) check(vs wht93.Violations) wht93.Violations {
	if t.value == "" && t.optional {
		return vs
	}
	if wht93.CleanText(t.value, t.max, allowed(t.multiline)) {
		return vs
	}
	return append(vs, ErrText.Atf(t.field, shown(t.value, t.mask),
		fmt.Sprintf("应为1至%d个字符，不含控制字符及首尾空格", t.max),
		fmt.Sprintf("must be 1 to %d characters without control characters or surrounding space", t.max)))
}

// shown returns a value as a violation may show it: masked when mask is set,
// invalid UTF-8 replaced, and cut after 60 characters with the length noted.
func shown(s string, mask func(string) string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if mask != nil {
		s = mask(s)
	}
	if n := utf8.RuneCountInString(s); n > 60 {
		s = string([]rune(s)[:60]) + "…(" + strconv.Itoa(n) + ")"
	}
	return s
}

// fmtTime formats an instant in China Standard Time for messages and faces.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(wht93.CST).Format(time.DateTime)
}
