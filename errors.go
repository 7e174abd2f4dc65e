package wht93

import (
	"strconv"
	"strings"
)

// Rule is a sentinel for one rule of the standard or of the SDK. Packages declare
// their rules as package-level values created once with [NewRule], and callers test
// for them with errors.Is. A Rule is immutable and safe for concurrent use.
type Rule struct {
	code string
	zh   string
	en   string
}

// NewRule returns the sentinel for a rule with a stable machine code (for example
// "code.session.length") and its message in Chinese and English. The messages
// describe the rule, not one violation of it.
func NewRule(code, zh, en string) *Rule {
	return &Rule{code: code, zh: zh, en: en}
}

// Code returns the stable machine code of the rule.
func (r *Rule) Code() string { return r.code }

// Zh returns the rule's message in Chinese.
func (r *Rule) Zh() string { return r.zh }

// En returns the rule's message in English.
func (r *Rule) En() string { return r.en }

// Error returns "zh / en".
func (r *Rule) Error() string { return r.zh + " / " + r.en }

// At returns a violation of the rule by value at the field path field, with the
// rule's own messages.
func (r *Rule) At(field, value string) *Violation {
	return &Violation{Rule: r, Field: field, Value: value, Zh: r.zh, En: r.en}
}

// Atf returns a violation of the rule whose messages say more than the rule's own,
// for example which date is impossible.
func (r *Rule) Atf(field, value, zh, en string) *Violation {
	return &Violation{Rule: r, Field: field, Value: value, Zh: zh, En: en}
}

// Violation is one broken rule: which rule, at which field path, for which value,
// explained in Chinese and English. errors.Is(v, rule) holds for its rule.
//
// Value is the offending input as given (never a secret: callers pass personal data
// masked). Field is a path such as "sessionCode" or "ticketList[3].seatRow".
type Violation struct {
	Rule  *Rule
	Field string
	Value string
	Zh    string
	En    string
	// Warning marks a soft finding: it is reported but does not make the value
	// invalid (for example an address code absent from every dataset).
	Warning bool
}

// Code returns the stable machine code of the violated rule.
func (v *Violation) Code() string {
	if v.Rule == nil {
		return ""
	}
	return v.Rule.code
}

// Error formats the violation as `field: 中文 / English: "value"`.
func (v *Violation) Error() string {
	var b strings.Builder
	if v.Field != "" {
		b.WriteString(v.Field)
		b.WriteString(": ")
	}
	b.WriteString(v.Zh)
	b.WriteString(" / ")
	b.WriteString(v.En)
	b.WriteString(": ")
	b.WriteString(strconv.Quote(v.Value))
	return b.String()
}

// Unwrap returns the violated rule, so that errors.Is finds it.
func (v *Violation) Unwrap() error {
	if v.Rule == nil {
		return nil
	}
	return v.Rule
}

// Violations is every violation found in one value. A nil or empty Violations is
// not an error; use [Violations.Err] to return it as one.
type Violations []*Violation

// Error joins the violations with "; ".
func (vs Violations) Error() string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the violations as errors, so that errors.Is and errors.As search
// every one of them.
func (vs Violations) Unwrap() []error {
	errs := make([]error, len(vs))
	for i, v := range vs {
		errs[i] = v
	}
	return errs
}

// Err returns nil when there is no error-level violation, and vs otherwise.
// Warnings alone are not an error.
func (vs Violations) Err() error {
	for _, v := range vs {
		if !v.Warning {
			return vs
		}
	}
	return nil
}

// Errors returns the violations that are not warnings.
func (vs Violations) Errors() Violations {
	var out Violations
	for _, v := range vs {
		if !v.Warning {
			out = append(out, v)
		}
	}
	return out
}

// Warnings returns the violations that are warnings.
func (vs Violations) Warnings() Violations {
	var out Violations
	for _, v := range vs {
		if v.Warning {
			out = append(out, v)
		}
	}
	return out
}

// In returns copies of the violations with prefix put in front of each field path,
// for nesting the violations of a part inside those of the whole: a violation at
// "seatRow" becomes one at "ticketList[3].seatRow" with prefix "ticketList[3]".
func (vs Violations) In(prefix string) Violations {
	if prefix == "" {
		return vs
	}
	out := make(Violations, len(vs))
	for i, v := range vs {
		c := *v
		switch {
		case c.Field == "":
			c.Field = prefix
		case strings.HasPrefix(c.Field, "["):
			c.Field = prefix + c.Field
		default:
			c.Field = prefix + "." + c.Field
		}
		out[i] = &c
	}
	return out
}

// Has reports whether any violation is of rule.
func (vs Violations) Has(rule *Rule) bool {
	for _, v := range vs {
		if v.Rule == rule {
			return true
		}
	}
	return false
}

// ViolationsOf collects every [*Violation] in err's tree, in order. It returns nil
// when err holds none. Callers use it instead of parsing error strings.
func ViolationsOf(err error) Violations {
	var out Violations
	var walk func(error)
	walk = func(e error) {
		switch x := e.(type) {
		case nil:
			return
		case *Violation:
			out = append(out, x)
			return
		case Violations:
			out = append(out, x...)
			return
		case interface{ Unwrap() []error }:
			for _, c := range x.Unwrap() {
				walk(c)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}
