package realname

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskNumber hides most of a document number for printing on a ticket (clause
// 6.3.5), for logs and for error messages. It keeps a short prefix and suffix and
// replaces every other character with '*', keeping the length:
//
//   - 15 characters or more (ID numbers, residence permits, permanent resident
//     cards): the first 6 and the last 2 — the address code, which locates a
//     county and lets an operator see a wrong region, and the end of the number,
//     which lets staff at the entrance compare it with the card; the birth date
//     and the sequence number are hidden: 110101**********3X;
//   - 8 to 14 characters (passports, travel permits): the first 2 and the last 2:
//     E1*****78;
//   - 4 to 7 characters: the first and the last;
//   - fewer than 4: nothing.
//
// Characters are counted as runes, so a number written with Chinese characters
// (a military ID) is masked by character, never cut inside one. MaskNumber masks
// what it is given: call it on the normalised number.
func MaskNumber(number string) string {
	n := utf8.RuneCountInString(number)
	var head, tail int
	switch {
	case n >= 15:
		head, tail = 6, 2
	case n >= 8:
		head, tail = 2, 2
	case n >= 4:
		head, tail = 1, 1
	}
	var b strings.Builder
	b.Grow(len(number))
	i := 0
	for _, r := range number {
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// compoundSurnames are the two-character Chinese family names (复姓) that
// [MaskName] keeps whole.
var compoundSurnames = map[string]bool{
	"欧阳": true, "太史": true, "端木": true, "上官": true, "司马": true, "东方": true,
	"独孤": true, "南宫": true, "万俟": true, "闻人": true, "夏侯": true, "诸葛": true,
	"尉迟": true, "公羊": true, "赫连": true, "澹台": true, "皇甫": true, "宗政": true,
	"濮阳": true, "公冶": true, "太叔": true, "申屠": true, "公孙": true, "慕容": true,
	"仲孙": true, "钟离": true, "长孙": true, "宇文": true, "司徒": true, "鲜于": true,
	"司空": true, "闾丘": true, "子车": true, "亓官": true, "司寇": true, "巫马": true,
	"公西": true, "颛孙": true, "壤驷": true, "公良": true, "漆雕": true, "乐正": true,
	"宰父": true, "谷梁": true, "拓跋": true, "夹谷": true, "轩辕": true, "令狐": true,
	"段干": true, "百里": true, "呼延": true, "东郭": true, "南门": true, "羊舌": true,
	"微生": true, "公户": true, "公玉": true, "公仪": true, "梁丘": true, "公仲": true,
	"公上": true, "公门": true, "公山": true, "公坚": true, "左丘": true, "公伯": true,
	"西门": true, "公祖": true, "第五": true, "公乘": true, "贯丘": true, "公皙": true,
	"南荣": true, "东里": true, "东宫": true, "仲长": true, "子书": true, "子桑": true,
	"即墨": true, "达奚": true, "褚师": true, "单于": true, "淳于": true,
	"东门": true, "完颜": true, "爱新觉罗": true,
}

// MaskName hides a buyer's name for a printed ticket and for logs, keeping the
// family name (clause 6.3.5): 张三 → 张*, 张三丰 → 张**, 欧阳娜娜 → 欧阳** (a
// two-character family name from a list of 复姓 is kept whole when the name is
// longer than it), 爱新觉罗溥仪 → 爱新觉罗**. A name written in Latin letters keeps
// the first letter of each word (John Smith → J*** S****). A name with a
// separating dot (买买提·艾力) keeps its first character and the dots. Spaces are
// kept, surrounding spaces removed; a one-character name is kept as it is, since it
// is no more than a family name.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if latinName(name) {
		var b strings.Builder
		start := true
		for _, r := range name {
			switch {
			case unicode.IsDigit(r): // a number is never part of a name: never shown
				b.WriteByte('*')
				start = false
			case !unicode.IsLetter(r):
				b.WriteRune(r)
				start = true
			case start:
				b.WriteRune(r)
				start = false
			default:
				b.WriteByte('*')
			}
		}
		return b.String()
	}
	keep := 1
	for s := range compoundSurnames {
		if strings.HasPrefix(name, s) && utf8.RuneCountInString(name) > utf8.RuneCountInString(s) {
			if k := utf8.RuneCountInString(s); k > keep {
				keep = k
			}
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range name {
		switch {
		case i < keep:
			b.WriteRune(r)
		case r == '·' || r == '•' || r == '.' || r == '・' || r == ' ':
			b.WriteRune(r)
		default:
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// latinName reports whether every letter of s is in the Latin script.
func latinName(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			letters = true
		}
	}
	return letters
}
