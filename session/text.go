package session

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// ErrText is the rule that a text field is given, within its length (in characters,
// Appendix A's String n), without control characters or surrounding space.
var ErrText = wht93.NewRule("session.text", "文本字段为空、超长或含有控制字符、首尾空格", "text field is empty, too long, or has control characters or surrounding space")

// allowed returns the control characters a text may hold: line breaks and tabs
// when multiline.
func allowed(multiline bool) string {
	if multiline {
		return "\t\n\r"
	}
	return ""
}

// text checks a field of 1 to max characters (0 to max when optional).
type text struct {
	field     string
	value     string
	max       int
	optional  bool
	multiline bool
}

func (t text) check(vs wht93.Violations) wht93.Violations {
	if t.value == "" && t.optional {
		return vs
	}
	if wht93.CleanText(t.value, t.max, allowed(t.multiline)) {
		return vs
	}
	shown := t.value
	if !utf8.ValidString(shown) {
		shown = strings.ToValidUTF8(shown, "\uFFFD")
	}
	if n := utf8.RuneCountInString(shown); n > 60 {
		shown = string([]rune(shown)[:60]) + fmt.Sprintf("…(%d)", n)
	}
	return append(vs, ErrText.Atf(t.field, shown,
		fmt.Sprintf("应为1至%d个字符，不含控制字符及首尾空格", t.max),
		fmt.Sprintf("must be 1 to %d characters without control characters or surrounding space", t.max)))
}

// list checks a list of names that the platform joins with ASCII commas into one
// field of at most max characters: each name clean, without a comma.
func checkList(vs wht93.Violations, field string, names []string, required bool, max int) wht93.Violations {
	if len(names) == 0 {
		if required {
			vs = append(vs, ErrText.Atf(field, "", "至少应有一项", "at least one is required"))
		}
		return vs
	}
	for i, n := range names {
		f := fmt.Sprintf("%s[%d]", field, i)
		vs = text{field: f, value: n, max: max}.check(vs)
		if strings.Contains(n, ",") {
			vs = append(vs, ErrText.Atf(f, n, "名称中不能有英文逗号（上报时用作分隔符）", "name must not contain an ASCII comma (the report's separator)"))
		}
	}
	if joined := strings.Join(names, ","); utf8.RuneCountInString(joined) > max {
		vs = append(vs, ErrText.Atf(field, fmt.Sprintf("%d", utf8.RuneCountInString(joined)),
			fmt.Sprintf("以逗号连接后最多%d个字符", max), fmt.Sprintf("at most %d characters when joined with commas", max)))
	}
	return vs
}

// timeLayout is how times appear in messages and change records: China Standard
// Time, "2006-01-02 15:04:05".
const timeLayout = "2006-01-02 15:04:05"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(wht93.CST).Format(timeLayout)
}
