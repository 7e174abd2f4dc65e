package realname

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// The numbers of the GB 11643-1999 family: six-digit address code, eight-digit
// birth date, three-digit sequence number (odd for men, even for women) and an
// ISO 7064 MOD 11-2 check digit. The resident identity card uses a GB/T 2260
// address code; the residence permits use 810000 (Hong Kong), 820000 (Macao) and
// 830000 (Taiwan); the 2023 foreign permanent resident card puts 9, the issuing
// province and a nationality code in the first six digits.

// weights are the MOD 11-2 weights 2^(17-i) mod 11 of the first 17 characters.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum mod 11 to the check character.
const checkChars = "10X98765432"

// CheckDigit returns the GB 11643 (ISO 7064 MOD 11-2) check character of the first
// 17 digits of an 18-character number: '0'–'9' or 'X'. It reports false when body
// is not 17 ASCII digits.
func CheckDigit(body string) (byte, bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := body[i] - '0'
		if c > 9 {
			return 0, false
		}
		sum += int(c) * weights[i]
	}
	return checkChars[sum%11], true
}

// earliestBirth is the earliest birth date accepted: no card holder was born before.
var earliestBirth = wht93.Date{Year: 1900, Month: time.January, Day: 1}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// charsetViolation reports the 1-based positions (in characters) of s that do not
// satisfy ok, or nil when all do. allowed is "中文|English".
func charsetViolation(s string, ok func(i int, c rune) bool, allowed string) *wht93.Violation {
	var bad []string
	i := 0
	for _, c := range s {
		i++
		if !ok(i-1, c) {
			bad = append(bad, strconv.Itoa(i))
		}
	}
	if bad == nil {
		return nil
	}
	pos := strings.Join(bad, ", ")
	zh, en, _ := strings.Cut(allowed, "|")
	return ErrCharset.Atf(field, MaskNumber(s),
		fmt.Sprintf("第 %s 位字符不允许（%s）", pos, zh),
		fmt.Sprintf("character at position %s not allowed (%s)", pos, en))
}

// checkBirth checks the 8-digit yyyymmdd birth date s of the number num and
// returns it when it is valid.
func checkBirth(vs wht93.Violations, s, num string, today wht93.Date) (wht93.Violations, wht93.Date) {
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[4]-'0')*10 + int(s[5]-'0')
	dd := int(s[6]-'0')*10 + int(s[7]-'0')
	b := wht93.Date{Year: y, Month: time.Month(m), Day: dd}
	switch {
	case !b.Valid():
		ds := fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
		return append(vs, ErrBirthDate.Atf(field, MaskNumber(num),
			"出生日期不存在："+ds, "birth date "+ds+" does not exist")), wht93.Date{}
	case b.Before(earliestBirth):
		return append(vs, ErrBirthEarly.Atf(field, MaskNumber(num),
			"出生日期早于1900年："+b.String(), "birth date "+b.String()+" is before 1900")), wht93.Date{}
	case today.Before(b):
		return append(vs, ErrBirthFuture.Atf(field, MaskNumber(num),
			"出生日期晚于今天（"+today.String()+"）："+b.String(),
			"birth date "+b.String()+" is after today ("+today.String()+")")), wht93.Date{}
	}
	return vs, b
}

// summaryNames are the GB/T 2260 summary codes that real ID numbers carry though
// no edition of the dataset lists them: xxxx01 市辖区 (from 1984), xxxx02 城区 and
// xxxx11 郊区 (1984), xxxx20 市区 (1980 and 1982 editions).
var summaryNames = map[string]string{"01": "市辖区", "02": "城区", "11": "郊区", "20": "市区"}

// How a Document finds its region again (see Document.Region).
const (
	regionNone     uint8 = iota
	regionAddress        // codes.LookupRegion(number[:6])
	regionSummary        // a summary code of number[:4]+"00"
	regionProvince       // codes.LookupRegion(number[1:3]+"0000"), the 2023 permanent resident card
)

// resolveAddress classifies the address code of the resident ID num: a code of
// any GB/T 2260 edition, or a summary code of a prefecture that exists. It returns
// a warning for a code whose province alone exists, an error otherwise.
func resolveAddress(num string) (uint8, *wht93.Violation) {
	code := num[:6]
	if _, ok := codes.LookupRegion(code); ok {
		return regionAddress, nil
	}
	if _, ok := summaryRegion(code); ok {
		return regionSummary, nil
	}
	if p, ok := codes.LookupRegion(code[:2] + "0000"); ok && p.Level == codes.RegionProvince {
		v := ErrAddressUnlisted.Atf(field, MaskNumber(num),
			"地址码 "+code+" 不在已知的行政区划代码中，但省级代码存在（"+p.Name+"）",
			"address code "+code+" is in no known edition of GB/T 2260, but its province exists ("+p.Name+")")
		v.Warning = true
		return regionNone, v
	}
	return regionNone, ErrAddress.Atf(field, MaskNumber(num),
		"地址码 "+code+" 不是行政区划代码（省级代码不存在）",
		"address code "+code+" is not a GB/T 2260 region (no such province)")
}

// summaryRegion returns the region of a summary code (xxxx01, 02, 11, 20) that the
// dataset lacks, when its prefecture exists.
func summaryRegion(code string) (codes.Region, bool) {
	name, ok := summaryNames[code[4:]]
	if !ok {
		return codes.Region{}, false
	}
	p, ok := codes.LookupRegion(code[:4] + "00")
	if !ok || p.Level != codes.RegionPrefecture {
		return codes.Region{}, false
	}
	return codes.Region{Code: code, Name: name, Level: codes.RegionCounty,
		Province: p.Province, Prefecture: p.Name}, true
}

const idAllowed = "前17位为数字，第18位为数字或X|digits, and X only as the 18th character"

// validateID validates the resident ID and the two residence permits, in their
// 18-character form, and the 15-digit first-generation resident ID.
func validateID(d *Document, s string, today wht93.Date) wht93.Violations {
	if d.typ == TypeResidentID && len(s) == 15 {
		return validateID15(d, s, today)
	}
	if len(s) != 18 {
		if d.typ == TypeResidentID {
			return wht93.Violations{lengthViolation(s, "18位（一代证15位）", "18 characters (15 for a first-generation number)")}
		}
		return wht93.Violations{lengthViolation(s, "18位", "18 characters")}
	}
	var vs wht93.Violations
	// One pass: the characters and the MOD 11-2 sum.
	sum, bodyOK := 0, true
	for i := 0; i < 17; i++ {
		c := s[i] - '0'
		if c > 9 {
			bodyOK = false
		}
		sum += int(c) * weights[i]
	}
	last := s[17]
	lastOK := (last >= '0' && last <= '9') || last == 'X'
	if !bodyOK || !lastOK {
		vs = append(vs, charsetViolation(s, func(i int, c rune) bool {
			return (c >= '0' && c <= '9') || (i == 17 && c == 'X')
		}, idAllowed))
	}
	addr := s[:6]
	if bodyOK || allDigits(addr) {
		switch d.typ {
		case TypeResidentID:
			if other := otherTypeOf(addr); other != 0 {
				vs = append(vs, ErrOtherType.Atf(field, MaskNumber(s),
					"地址码 "+addr+" 表示"+other.Zh()+"，不是居民身份证",
					"address code "+addr+" marks a "+other.En()+", not a resident identity card"))
				break
			}
			k, v := resolveAddress(s)
			if v != nil {
				vs = append(vs, v)
			}
			d.region = k
		case TypeHKMacaoResidencePermit:
			if addr != "810000" && addr != "820000" {
				vs = append(vs, ErrPermitPrefix.Atf(field, MaskNumber(s),
					"港澳居民居住证号码前六位应为810000（香港）或820000（澳门）",
					"a residence permit for Hong Kong and Macao residents begins with 810000 (Hong Kong) or 820000 (Macao)"))
			} else {
				d.region = regionAddress
			}
		case TypeTaiwanResidencePermit:
			if addr != "830000" {
				vs = append(vs, ErrPermitPrefix.Atf(field, MaskNumber(s),
					"台湾居民居住证号码前六位应为830000",
					"a residence permit for Taiwan residents begins with 830000"))
			}
		}
	}
	var birth wht93.Date
	if bodyOK || allDigits(s[6:14]) {
		vs, birth = checkBirth(vs, s[6:14], s, today)
	}
	if bodyOK && lastOK {
		if c := checkChars[sum%11]; c != last {
			vs = append(vs, ErrCheckDigit.Atf(field, MaskNumber(s),
				"校验码应为 "+string(c)+"，实为 "+string(last),
				"check digit must be "+string(c)+", is "+string(last)))
		}
	}
	if vs.Err() != nil {
		return vs
	}
	d.form = FormID18
	d.birth = birth
	d.sex = sexOf(s[16])
	d.check = last
	d.number = s
	return vs
}

// otherTypeOf returns the type an 18-digit number belongs to by its first digits
// when that is not the resident ID: 810000/820000 and 830000 residence permits, a
// 9 of the 2023 permanent resident card.
func otherTypeOf(addr string) DocType {
	switch {
	case addr == "810000" || addr == "820000":
		return TypeHKMacaoResidencePermit
	case addr == "830000":
		return TypeTaiwanResidencePermit
	case addr[0] == '9':
		return TypeForeignPermanentResident
	}
	return 0
}

func sexOf(c byte) Sex {
	if (c-'0')%2 == 1 {
		return SexMale
	}
	return SexFemale
}

// validateID15 validates a first-generation number (GB 11643-1989): six-digit
// address code, yymmdd birth date in the 1900s, three-digit sequence number, no
// check digit. A valid one is upgraded to 18 digits, with a warning.
func validateID15(d *Document, s string, today wht93.Date) wht93.Violations {
	var vs wht93.Violations
	masked := MaskNumber(s)
	if !allDigits(s) {
		vs = append(vs, charsetViolation(s, func(_ int, c rune) bool { return c >= '0' && c <= '9' },
			"15位一代证号码应全为数字|a 15-digit number has digits only"))
	}
	addr := s[:6]
	if allDigits(addr) {
		if other := otherTypeOf(addr); other != 0 {
			vs = append(vs, ErrOtherType.Atf(field, masked,
				"地址码 "+addr+" 不是居民身份证地址码", "address code "+addr+" is not a resident ID's"))
		} else {
			k, v := resolveAddress(s)
			if v != nil {
				vs = append(vs, v)
			}
			d.region = k
		}
	}
	var birth wht93.Date
	if allDigits(s[6:12]) {
		vs, birth = checkBirth(vs, "19"+s[6:12], s, today)
	}
	if vs.Err() != nil {
		return vs
	}
	body := addr + "19" + s[6:]
	c, _ := CheckDigit(body)
	d.number = body + string(c)
	d.form = FormID15
	d.birth = birth
	d.sex = sexOf(s[14])
	d.check = c
	w := ErrLegacy.At(field, masked)
	w.Warning = true
	return append(vs, w)
}

// UpgradeResidentID returns the 18-digit form of a valid 15-digit first-generation
// ID number (GB 11643-1989: "19" inserted before the birth year, the check digit
// appended), or the violations of the number. An 18-digit number is returned as
// it is when valid.
func UpgradeResidentID(number string, today wht93.Date) (string, error) {
	d, err := ParseResidentID(number, today)
	if err != nil {
		return "", err
	}
	return d.number, nil
}
