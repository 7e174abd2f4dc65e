package codes

import (
	"fmt"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// Kind is a kind of code of this package.
type Kind uint8

// The kinds of code. The zero Kind is no kind.
const (
	KindRegion  Kind = iota + 1 // GB/T 2260 region code, 6 digits
	KindVenue                   // venue code, 9 digits (Appendix B)
	KindHall                    // hall code, 11 digits (Appendix B)
	KindSession                 // session code, 21 digits (Appendix C)
	KindTicket                  // ticket code, 22–50 bytes (clause 6.1.5)
	KindType                    // performance type code, 4 digits (Appendix D)
)

var kindNames = [...]struct{ en, zh, field string }{
	{},
	{"region code", "行政区划代码", fieldRegion},
	{"venue code", "演出场所编码", fieldVenue},
	{"hall code", "演出场厅编码", fieldHall},
	{"session code", "演出场次编码", fieldSession},
	{"ticket code", "演出票编码", fieldTicket},
	{"performance type code", "演出类型编码", fieldType},
}

// String returns the kind in English: "session code".
func (k Kind) String() string { return k.En() }

// En returns the kind in English: "session code".
func (k Kind) En() string {
	if int(k) < len(kindNames) {
		return kindNames[k].en
	}
	return ""
}

// Zh returns the kind in Chinese: 演出场次编码.
func (k Kind) Zh() string {
	if int(k) < len(kindNames) {
		return kindNames[k].zh
	}
	return ""
}

// field is the field name of the kind's violations.
func (k Kind) field() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k].field
	}
	return "code"
}

// Kinds is a set of kinds.
type Kinds uint8

// Has reports whether k is in the set.
func (ks Kinds) Has(k Kind) bool { return k != 0 && ks&(1<<k) != 0 }

// One returns the only kind of the set, or false when it holds none or several.
func (ks Kinds) One() (Kind, bool) {
	var found Kind
	for k := KindRegion; k <= KindType; k++ {
		if ks.Has(k) {
			if found != 0 {
				return 0, false
			}
			found = k
		}
	}
	return found, found != 0
}

func kinds(ks ...Kind) Kinds {
	var s Kinds
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// Classify returns the kinds of code s could be by its shape, after [Normalize]:
// by its length in bytes, region 6, venue 9, hall 11, session 21, performance type 4,
// ticket 22 or more (a ticket code of more than 50 bytes is still classed as one,
// so that checking it reports it as over-long). The shapes do not overlap, so the
// set holds at most one kind; it is empty for any other length. Classify does not
// look at the characters: checking the code does.
func Classify(s string) Kinds {
	switch n := len(Normalize(s)); {
	case n == lenType:
		return kinds(KindType)
	case n == lenRegion:
		return kinds(KindRegion)
	case n == lenVenue:
		return kinds(KindVenue)
	case n == lenHall:
		return kinds(KindHall)
	case n == lenSession:
		return kinds(KindSession)
	case n > lenSession:
		return kinds(KindTicket)
	}
	return 0
}

// Code is a parsed code of any kind: [RegionCode], [VenueCode], [HallCode],
// [SessionCode], [TicketCode] or [TypeCode].
type Code interface {
	// Kind returns the kind of the code.
	Kind() Kind
	// String returns the code in its canonical form.
	String() string
	// IsZero reports whether the code is the zero value (no code).
	IsZero() bool
	// AppendParts appends the components of the code to dst, for display.
	AppendParts(dst []Part) []Part
}

// Check recognises the kind of s by its shape (see [Classify]) and checks it as
// that kind, returning the code and every violation, warnings included. The code
// is nil when there is an error-level violation. An input of no known shape is a
// violation of [ErrKind] at field "code".
func Check(s string) (Code, wht93.Violations) {
	k, ok := Classify(s).One()
	if !ok {
		t := Normalize(s)
		if t == "" {
			return nil, wht93.Violations{ErrEmpty.At("code", s)}
		}
		n := utf8.RuneCountInString(t)
		return nil, wht93.Violations{ErrKind.Atf("code", s,
			fmt.Sprintf("无法识别的编码：长度%d不符合任何编码（行政区划6位、场所9位、场厅11位、场次21位、演出票22–50字节、演出类型4位）", n),
			fmt.Sprintf("not a code of any kind: length %d fits none (region 6, venue 9, hall 11, session 21, ticket 22–50 bytes, performance type 4)", n))}
	}
	var (
		c  Code
		vs wht93.Violations
	)
	switch k {
	case KindRegion:
		c, vs = wrap(CheckRegionCode(s))
	case KindVenue:
		c, vs = wrap(CheckVenueCode(s))
	case KindHall:
		c, vs = wrap(CheckHallCode(s))
	case KindSession:
		c, vs = wrap(CheckSessionCode(s))
	case KindTicket:
		c, vs = wrap(CheckTicketCode(s))
	case KindType:
		c, vs = wrap(CheckTypeCode(s))
	}
	return c, vs
}

// wrap returns c as a Code, or nil when vs holds an error.
func wrap[T Code](c T, vs wht93.Violations) (Code, wht93.Violations) {
	if vs.Err() != nil {
		return nil, vs
	}
	return c, vs
}

// Parse is [Check] returning an error only when there is an error-level
// violation; the error is the [wht93.Violations] of every finding, warnings
// included.
func Parse(s string) (Code, error) {
	c, vs := Check(s)
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}
