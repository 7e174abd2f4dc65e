package codes

import (
	"database/sql/driver"
	"fmt"
	"strconv"

	"github.com/piaowu/wht93"
)

// TypeCode is a performance type code of Appendix D: the art category in two
// digits and the type within it in two, e.g. 1001 话剧. A category's code with
// type 00 stands for the category itself: for 戏剧, 音乐, 舞蹈 and 曲杂 it is the
// code of a type the appendix does not define (1000: drama of another type), for
// 综艺 (5000) and 其他 (6000), which have no subdivision, it is the only code.
// Any other code is unknown: 1006 is not a drama type (use 1000), 5001 is not a
// variety type (use 5000).
//
// A TypeCode's number is what Appendix A's typeId carries when a performance is
// reported (int 4, 1001). The platform's type list shows level-1 types with their
// 2-digit category id (10) and level-2 types with their code (1001): see
// [PerformanceTypes] and [TypeCodeOfID].
//
// The zero TypeCode is no code: it marshals to "" and is NULL in SQL. Other values
// not in Appendix D are invalid ([TypeCode.Valid] is false). A TypeCode is an
// immutable value and safe for concurrent use.
type TypeCode uint16

// The performance type codes of Appendix D.
const (
	TypeDramaOther     TypeCode = 1000 // 戏剧类（未定义类型）
	TypeSpokenDrama    TypeCode = 1001 // 话剧
	TypeChildrensDrama TypeCode = 1002 // 儿童剧
	TypeMusical        TypeCode = 1003 // 音乐剧
	TypeOpera          TypeCode = 1004 // 歌剧
	TypeXiqu           TypeCode = 1005 // 戏曲
	TypeMusicOther     TypeCode = 2000 // 音乐类（未定义类型）
	TypeConcert        TypeCode = 2001 // 音乐会
	TypeMusicFestival  TypeCode = 2002 // 音乐节
	TypeVocalConcert   TypeCode = 2003 // 演唱会
	TypeDanceOther     TypeCode = 3000 // 舞蹈类（未定义类型）
	TypeDance          TypeCode = 3001 // 舞蹈
	TypeDanceDrama     TypeCode = 3002 // 舞剧
	TypeQuyiOther      TypeCode = 4000 // 曲杂类（未定义类型）
	TypeCrosstalk      TypeCode = 4001 // 相声
	TypeDrumBallad     TypeCode = 4002 // 鼓曲
	TypeStorytelling   TypeCode = 4003 // 评书
	TypeErrenzhuan     TypeCode = 4004 // 二人转
	TypeAcrobatics     TypeCode = 4005 // 杂技
	TypeOtherQuyi      TypeCode = 4006 // 其他曲种
	TypeVariety        TypeCode = 5000 // 综艺类（无细分类型）
	TypeOther          TypeCode = 6000 // 其他类
)

type typeEntry struct {
	code       TypeCode
	text       string
	zh, en     string
	categoryZh string
	categoryEn string
}

// typeTable lists Appendix D in its order: each category, then its types.
var typeTable = [...]typeEntry{
	{1000, "1000", "戏剧类", "Drama", "戏剧类", "Drama"},
	{1001, "1001", "话剧", "Spoken drama", "戏剧类", "Drama"},
	{1002, "1002", "儿童剧", "Children's drama", "戏剧类", "Drama"},
	{1003, "1003", "音乐剧", "Musical", "戏剧类", "Drama"},
	{1004, "1004", "歌剧", "Opera", "戏剧类", "Drama"},
	{1005, "1005", "戏曲", "Chinese opera (xiqu)", "戏剧类", "Drama"},
	{2000, "2000", "音乐类", "Music", "音乐类", "Music"},
	{2001, "2001", "音乐会", "Concert", "音乐类", "Music"},
	{2002, "2002", "音乐节", "Music festival", "音乐类", "Music"},
	{2003, "2003", "演唱会", "Vocal concert", "音乐类", "Music"},
	{3000, "3000", "舞蹈类", "Dance", "舞蹈类", "Dance"},
	{3001, "3001", "舞蹈", "Dance", "舞蹈类", "Dance"},
	{3002, "3002", "舞剧", "Dance drama", "舞蹈类", "Dance"},
	{4000, "4000", "曲杂类", "Quyi and acrobatics", "曲杂类", "Quyi and acrobatics"},
	{4001, "4001", "相声", "Crosstalk (xiangsheng)", "曲杂类", "Quyi and acrobatics"},
	{4002, "4002", "鼓曲", "Drum ballad (guqu)", "曲杂类", "Quyi and acrobatics"},
	{4003, "4003", "评书", "Storytelling (pingshu)", "曲杂类", "Quyi and acrobatics"},
	{4004, "4004", "二人转", "Errenzhuan", "曲杂类", "Quyi and acrobatics"},
	{4005, "4005", "杂技", "Acrobatics", "曲杂类", "Quyi and acrobatics"},
	{4006, "4006", "其他曲种", "Other quyi", "曲杂类", "Quyi and acrobatics"},
	{5000, "5000", "综艺类", "Variety", "综艺类", "Variety"},
	{6000, "6000", "其他类", "Other", "其他类", "Other"},
}

// entry returns the table row of c.
func (c TypeCode) entry() (*typeEntry, bool) {
	for i := range typeTable {
		if typeTable[i].code == c {
			return &typeTable[i], true
		}
	}
	return nil, false
}

// Valid reports whether c is a code of Appendix D.
func (c TypeCode) Valid() bool {
	_, ok := c.entry()
	return ok
}

// String returns the four digits ("1001"), "" for the zero code.
func (c TypeCode) String() string {
	if e, ok := c.entry(); ok {
		return e.text
	}
	if c == 0 {
		return ""
	}
	return strconv.Itoa(int(c))
}

// IsZero reports whether c is the zero code.
func (c TypeCode) IsZero() bool { return c == 0 }

// Kind returns [KindType].
func (TypeCode) Kind() Kind { return KindType }

// Name returns the Chinese name of Appendix D: 话剧 for 1001, the category's name
// for a code ending in 00 (戏剧类 for 1000). "" when c is not valid.
func (c TypeCode) Name() string {
	if e, ok := c.entry(); ok {
		return e.zh
	}
	return ""
}

// NameEn returns the English name: "Spoken drama" for 1001, "Drama" for 1000.
func (c TypeCode) NameEn() string {
	if e, ok := c.entry(); ok {
		return e.en
	}
	return ""
}

// Category returns the category's code with type 00: 1000 for 1001.
func (c TypeCode) Category() TypeCode { return c / 100 * 100 }

// CategoryID returns the platform's level-1 typeId of the category: 10 for 1001.
func (c TypeCode) CategoryID() int { return int(c / 100) }

// Subdivided reports whether c names a type within its category (1001), rather
// than the category alone (1000, 5000).
func (c TypeCode) Subdivided() bool { return c%100 != 0 }

// ID returns the value of Appendix A's typeId for a performance of this type:
// the code as a number (1001, 1000, 5000).
func (c TypeCode) ID() int { return int(c) }

// CheckTypeCode normalises s (see [Normalize]) and checks it as a performance type
// code: 4 digits ([ErrLength], [ErrNonDigit]) of Appendix D ([ErrTypeUnknown]).
func CheckTypeCode(s string) (TypeCode, wht93.Violations) {
	t := Normalize(s)
	switch {
	case t == "":
		return 0, wht93.Violations{emptyViolation(fieldType, s, KindType)}
	case len(t) != lenType:
		vs := wht93.Violations{lengthViolation(fieldType, s, t, KindType, lenType)}
		if i := firstNonDigit(t); i >= 0 {
			vs = append(vs, nonDigit(fieldType, s, t, i))
		}
		return 0, vs
	}
	if i := firstNonDigit(t); i >= 0 {
		return 0, wht93.Violations{nonDigit(fieldType, s, t, i)}
	}
	c := TypeCode(num(t))
	if c.Valid() {
		return c, nil
	}
	cat := c.Category()
	var zh, en string
	switch {
	case !cat.Valid():
		zh = fmt.Sprintf("演出类型编码%s不存在：艺术类型%s不在附录D中（10戏剧、20音乐、30舞蹈、40曲杂、50综艺、60其他）", t, t[:2])
		en = fmt.Sprintf("performance type code %s is not in Appendix D: no art category %s (10 drama, 20 music, 30 dance, 40 quyi, 50 variety, 60 other)", t, t[:2])
	case cat == TypeVariety || cat == TypeOther:
		zh = fmt.Sprintf("演出类型编码%s不存在：%s无细分类型，应为%s", t, cat.Name(), cat)
		en = fmt.Sprintf("performance type code %s is not in Appendix D: %s has no subdivision, use %s", t, cat.NameEn(), cat)
	default:
		zh = fmt.Sprintf("演出类型编码%s不存在：%s没有类型%s，未定义的类型以%s表示", t, cat.Name(), t[2:], cat)
		en = fmt.Sprintf("performance type code %s is not in Appendix D: %s has no type %s; a type it does not define is %s", t, cat.NameEn(), t[2:], cat)
	}
	return 0, wht93.Violations{ErrTypeUnknown.Atf(fieldType, s, zh, en)}
}

// ParseTypeCode is [CheckTypeCode] returning an error (as [wht93.Violations]).
func ParseTypeCode(s string) (TypeCode, error) {
	c, vs := CheckTypeCode(s)
	return c, vs.Err()
}

// AppendParts appends the category and, for a subdivided code, the type.
func (c TypeCode) AppendParts(dst []Part) []Part {
	e, ok := c.entry()
	if !ok {
		return dst
	}
	cat, _ := c.Category().entry()
	dst = append(dst, Part{Key: "category", Label: "艺术类型", Value: e.text[:2], Text: cat.zh, En: cat.en})
	if c.Subdivided() {
		return append(dst, Part{Key: "type", Label: "演出类型", Value: e.text[2:], Text: e.zh, En: e.en})
	}
	if c == TypeVariety || c == TypeOther {
		return append(dst, Part{Key: "type", Label: "演出类型", Value: "00", Text: "无细分类型", En: "not subdivided"})
	}
	return append(dst, Part{Key: "type", Label: "演出类型", Value: "00", Text: "未定义的演出类型", En: "a type Appendix D does not define"})
}

// Parts returns the parts of [TypeCode.AppendParts].
func (c TypeCode) Parts() []Part { return c.AppendParts(nil) }

// MarshalText returns the four digits; "" for the zero code.
func (c TypeCode) MarshalText() ([]byte, error) {
	if c != 0 && !c.Valid() {
		return nil, ErrTypeUnknown.At(fieldType, strconv.Itoa(int(c)))
	}
	return []byte(c.String()), nil
}

// UnmarshalText parses a code; "" gives the zero code.
func (c *TypeCode) UnmarshalText(b []byte) error {
	return unmarshalCode(c, string(b), ParseTypeCode)
}

// Scan implements sql.Scanner: NULL and "" give the zero code; an integer column
// holding the typeId scans too.
func (c *TypeCode) Scan(src any) error { return scanCode(c, src, ParseTypeCode) }

// Value implements driver.Valuer: the code as an integer (Appendix A's typeId is
// an int), NULL for the zero code.
func (c TypeCode) Value() (driver.Value, error) {
	switch {
	case c == 0:
		return nil, nil
	case !c.Valid():
		return nil, ErrTypeUnknown.At(fieldType, strconv.Itoa(int(c)))
	}
	return int64(c), nil
}

// TypeInfo is one entry of the platform's performance type list (Appendix A.3.2.1),
// built from Appendix D.
type TypeInfo struct {
	ID       int    // typeId: 10 for a level-1 type, 1001 for a level-2 type
	Name     string // typeName: 戏剧类, 话剧
	NameEn   string // the English name
	ParentID int    // parentTypeId: 10 for 1001; 0 for a level-1 type
	Level    int    // 1 or 2
	// Code is the 4-digit code a performance of this type reports: 1001, and the
	// category's 00 code (1000) for a level-1 entry.
	Code TypeCode
}

// PerformanceTypes returns the performance type list as the platform's type list
// endpoint presents Appendix D: the six categories as level-1 entries with their
// 2-digit ids, each followed by its defined types as level-2 entries with their
// 4-digit codes. The 00 codes (1000, 5000) are not level-2 entries: they are what a
// performance of the level-1 type reports. The slice is the caller's.
func PerformanceTypes() []TypeInfo {
	out := make([]TypeInfo, 0, len(typeTable))
	for _, e := range typeTable {
		out = append(out, e.code.info())
	}
	return out
}

func (c TypeCode) info() TypeInfo {
	e, _ := c.entry()
	if !c.Subdivided() {
		return TypeInfo{ID: c.CategoryID(), Name: e.zh, NameEn: e.en, Level: 1, Code: c}
	}
	return TypeInfo{ID: int(c), Name: e.zh, NameEn: e.en, ParentID: c.CategoryID(), Level: 2, Code: c}
}

// TypeCodeOfID returns the code a performance reports for a typeId of the
// platform's list: the level-1 id 10 gives 1000, the level-2 id 1001 gives 1001.
// It also accepts the 00 codes themselves (1000, 5000). It reports false for any
// other id.
func TypeCodeOfID(id int) (TypeCode, bool) {
	if id >= 10 && id <= 99 {
		id *= 100
	}
	if id < 0 || id > 9999 {
		return 0, false
	}
	c := TypeCode(id)
	return c, c.Valid()
}
