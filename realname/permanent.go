package realname

import (
	"strconv"
	"time"

	"golang.org/x/text/language"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// The foreign permanent resident ID card (外国人永久居留身份证) has two number forms.
//
// The 2023 card (issued from 2023-12-01 by the National Immigration
// Administration) follows the citizen identity number: 18 characters, "9" (the mark
// of a foreigner; citizens' numbers begin with 1–8), the 2-digit GB/T 2260 code of
// the province where the application was accepted, the 3-digit GB/T 2659
// (ISO 3166-1 numeric) nationality code, the 8-digit birth date, a 3-digit
// sequence number (odd for men, even for women) and the MOD 11-2 check digit of
// GB 11643: 911398199012310021 is a Kazakh woman born 1990-12-31 whose card was
// issued in Beijing.
//
// The earlier cards (2004 and 2017 editions) carry 15 characters: the 3-letter
// ISO 3166-1 alpha-3 nationality code and 12 digits. The issuer published no
// layout for the digits. Third-party validators read them as a 4-digit code of
// the accepting province and city, a yymmdd birth date and two more digits; the
// SDK checks the letters (a country other than China, or an ICAO code for stateless
// persons and refugees), that the birth date exists in the 1900s or 2000s and is
// not in the future, and reports an unknown province only as a warning. The last
// two digits are not checked: no algorithm for them is published.

// icaoNationalities are the ICAO 9303 nationality codes that are not ISO 3166-1
// countries but appear on travel documents: stateless person, refugee (1951
// convention), refugee (other), unspecified nationality.
var icaoNationalities = map[string]bool{"XXA": true, "XXB": true, "XXC": true, "XXX": true}

func validatePermanentResident(d *Document, s string, today wht93.Date) wht93.Violations {
	if len(s) == 15 && s[0] != '9' {
		return validatePermanentResidentLegacy(d, s, today)
	}
	if len(s) != 18 {
		return wht93.Violations{lengthViolation(s, "18位（2023版）或15位（旧版）", "18 characters (2023 card) or 15 (earlier cards)")}
	}
	var vs wht93.Violations
	body, last := s[:17], s[17]
	bodyOK := allDigits(body)
	lastOK := isDigit(last) || last == 'X'
	if !bodyOK || !lastOK {
		vs = append(vs, charsetViolation(s, func(i int, c rune) bool {
			return (c >= '0' && c <= '9') || (i == 17 && c == 'X')
		}, idAllowed))
	}
	if s[0] != '9' {
		vs = append(vs, ErrPrefix.Atf(field, MaskNumber(s),
			"2023版外国人永久居留身份证号码以9开头", "a 2023 permanent resident card number begins with 9"))
	}
	if allDigits(s[1:3]) {
		if p, ok := codes.LookupRegion(s[1:3] + "0000"); ok && p.Level == codes.RegionProvince {
			d.region = regionProvince
		} else {
			vs = append(vs, ErrProvince.Atf(field, MaskNumber(s),
				"受理地省级代码 "+s[1:3]+" 不存在", "issuing province code "+s[1:3]+" does not exist"))
		}
	}
	if allDigits(s[3:6]) {
		if iso3, ok := nationality(s[3:6]); ok {
			d.nationality = iso3
		} else {
			vs = append(vs, ErrNationality.Atf(field, MaskNumber(s),
				"国籍代码 "+s[3:6]+" 不是中国以外的国家（GB/T 2659 数字代码）",
				"nationality code "+s[3:6]+" is not a country other than China (ISO 3166-1 numeric)"))
		}
	}
	var birth wht93.Date
	if allDigits(s[6:14]) {
		vs, birth = checkBirth(vs, s[6:14], s, today)
	}
	if bodyOK && lastOK {
		if c, _ := CheckDigit(body); c != last {
			vs = append(vs, ErrCheckDigit.Atf(field, MaskNumber(s),
				"校验码应为 "+string(c)+"，实为 "+string(last),
				"check digit must be "+string(c)+", is "+string(last)))
		}
	}
	if vs.Err() != nil {
		return vs
	}
	d.form = FormPermanentResident2023
	d.birth = birth
	d.sex = sexOf(s[16])
	d.check = last
	return vs
}

// nationality returns the ISO 3166-1 alpha-3 code of a numeric or alpha-3
// nationality code that names a country other than China.
func nationality(code string) (string, bool) {
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	iso3 := r.ISO3()
	if iso3 == "CHN" {
		return "", false
	}
	return iso3, true
}

func validatePermanentResidentLegacy(d *Document, s string, today wht93.Date) wht93.Violations {
	var vs wht93.Violations
	if v := charsetViolation(s, func(i int, c rune) bool {
		if i < 3 {
			return c >= 'A' && c <= 'Z'
		}
		return c >= '0' && c <= '9'
	}, "前3位为字母，后12位为数字|3 letters, then 12 digits"); v != nil {
		vs = append(vs, v)
	}
	if letters := s[:3]; isUpper(letters[0]) && isUpper(letters[1]) && isUpper(letters[2]) {
		if iso3, ok := nationality(letters); ok {
			d.nationality = iso3
		} else if icaoNationalities[letters] {
			d.nationality = letters
		} else {
			vs = append(vs, ErrNationality.Atf(field, MaskNumber(s),
				"国籍代码 "+letters+" 不是中国以外的国家（GB/T 2659 三字母代码）",
				"nationality code "+letters+" is not a country other than China (ISO 3166-1 alpha-3)"))
		}
	}
	if allDigits(s[3:5]) {
		if p, ok := codes.LookupRegion(s[3:5] + "0000"); !ok || p.Level != codes.RegionProvince {
			v := ErrProvince.Atf(field, MaskNumber(s),
				"受理地省级代码 "+s[3:5]+" 不存在", "issuing province code "+s[3:5]+" does not exist")
			v.Warning = true
			vs = append(vs, v)
		}
	}
	if yymmdd := s[7:13]; allDigits(yymmdd) && !legacyBirthOK(yymmdd, today) {
		vs = append(vs, ErrBirthDate.Atf(field, MaskNumber(s),
			"出生日期 "+yymmdd+" 在1900年以来不存在或晚于今天",
			"birth date "+yymmdd+" exists neither in the 1900s nor in the 2000s up to today"))
	}
	if vs.Err() != nil {
		return vs
	}
	d.form = FormPermanentResidentLegacy
	return vs
}

// legacyBirthOK reports whether yymmdd is a date in 19yy or 20yy that is not after
// today.
func legacyBirthOK(yymmdd string, today wht93.Date) bool {
	yy, _ := strconv.Atoi(yymmdd[:2])
	m, _ := strconv.Atoi(yymmdd[2:4])
	dd, _ := strconv.Atoi(yymmdd[4:])
	for _, century := range []int{1900, 2000} {
		b := wht93.Date{Year: century + yy, Month: time.Month(m), Day: dd}
		if b.Valid() && !today.Before(b) {
			return true
		}
	}
	return false
}
