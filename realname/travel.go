package realname

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/piaowu/wht93"
)

// The documents without a check digit: passports, travel permits, military IDs.
// Their issuers publish no validation algorithm, so the SDK checks the shape each
// is issued in (length, prefix letters, characters) and nothing more.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isUpper(c) }
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

func lengthViolation(s, wantZh, wantEn string) *wht93.Violation {
	n := utf8.RuneCountInString(s)
	return ErrLength.Atf(field, MaskNumber(s),
		fmt.Sprintf("证件号码长度应为%s，实为%d位", wantZh, n),
		fmt.Sprintf("document number length must be %s, is %d", wantEn, n))
}

// validatePassport accepts any passport: 5 to 17 capital letters and digits with at
// least one digit (the ICAO 9303 document number is up to 9 characters in the
// machine-readable zone, longer ones overflow; 5–17 covers the numbers countries
// issue). The form says whether it has the shape of a PRC passport; a foreign
// passport cannot be checked further.
func validatePassport(d *Document, s string) wht93.Violations {
	var vs wht93.Violations
	n := utf8.RuneCountInString(s)
	if n < 5 || n > 17 {
		vs = append(vs, lengthViolation(s, "5至17位", "5 to 17 characters"))
	}
	if v := charsetViolation(s, func(_ int, c rune) bool { return c < utf8.RuneSelf && isAlnum(byte(c)) },
		"护照号码只含大写字母和数字|capital letters and digits only"); v != nil {
		vs = append(vs, v)
	} else if !hasDigit(s) {
		vs = append(vs, ErrCharset.Atf(field, MaskNumber(s), "护照号码应含数字", "a passport number has digits"))
	}
	if vs != nil {
		return vs
	}
	d.form = passportForm(s)
	return nil
}

// passportForm classifies a passport number by the forms the PRC issues.
func passportForm(s string) Form {
	switch {
	case len(s) == 9 && (s[0] == 'E' || s[0] == 'G') && allDigits(s[1:]),
		len(s) == 9 && s[0] == 'E' && isUpper(s[1]) && allDigits(s[2:]),
		len(s) == 9 && s[0] == '1' && (s[1] == '4' || s[1] == '5') && allDigits(s[2:]):
		return FormPRCPassport
	case len(s) == 9 && (s[0] == 'D' || s[0] == 'S' || s[0] == 'P') && s[1] == 'E' && allDigits(s[2:]),
		(len(s) == 8 || len(s) == 9) && (s[0] == 'D' || s[0] == 'S' || s[0] == 'P') && allDigits(s[1:]):
		return FormPRCPublicPassport
	case hksarPassport(s) || macaoSARPassport(s):
		return FormSARPassport
	}
	return FormOtherPassport
}

// validateHKMacaoPermit checks the Mainland travel permit for Hong Kong and Macao
// residents (回乡证): H (Hong Kong) or M (Macao), then the holder's 8-digit
// lifelong number, optionally followed by the 2-digit issue count that the card
// also prints (00 for the first card): H12345678 or H1234567801.
func validateHKMacaoPermit(d *Document, s string) wht93.Violations {
	var vs wht93.Violations
	if s[0] != 'H' && s[0] != 'M' {
		vs = append(vs, ErrPrefix.Atf(field, MaskNumber(s),
			"港澳居民来往内地通行证号码以H（香港）或M（澳门）开头",
			"the permit number begins with H (Hong Kong) or M (Macao)"))
	}
	if len(s) != 9 && len(s) != 11 {
		vs = append(vs, lengthViolation(s, "9位或11位（字母加8位或10位数字）", "9 or 11 characters (a letter and 8 or 10 digits)"))
	}
	if v := charsetViolation(s, func(i int, c rune) bool { return i == 0 || c >= '0' && c <= '9' },
		"首字母后应为数字|digits after the letter"); v != nil {
		vs = append(vs, v)
	}
	if vs != nil {
		return vs
	}
	d.form = FormPermitNumber
	if len(s) == 11 {
		d.form = FormPermitNumberCount
	}
	return nil
}

// validateTaiwanPermit checks the Mainland travel permit for Taiwan residents
// (台胞证). The card issued since 2015 carries an 8-digit lifelong number; systems
// also record it with the 2-digit issue count (10 digits). The earlier booklet
// permit added a letter for its reissues, written with or without parentheses
// (12345678(B)); the canonical form drops the parentheses.
func validateTaiwanPermit(d *Document, s string) wht93.Violations {
	num := s
	letter := false
	switch {
	case len(s) >= 3 && s[len(s)-3] == '(' && s[len(s)-1] == ')' && isUpper(s[len(s)-2]):
		num = s[:len(s)-3] + s[len(s)-2:len(s)-1]
		letter = true
	case len(s) > 0 && isUpper(s[len(s)-1]):
		letter = true
	}
	digits := num
	if letter {
		digits = num[:len(num)-1]
	}
	var vs wht93.Violations
	if len(digits) != 8 && len(digits) != 10 {
		vs = append(vs, lengthViolation(s, "8位或10位数字（旧版可加1位字母）",
			"8 or 10 digits (the booklet form adds a letter)"))
	}
	if v := charsetViolation(digits, func(_ int, c rune) bool { return c >= '0' && c <= '9' },
		"应为数字，旧版末尾可有1位字母|digits, with one final letter in the booklet form"); v != nil {
		v.Value = MaskNumber(s)
		vs = append(vs, v)
	}
	if vs != nil {
		return vs
	}
	switch {
	case letter:
		d.form = FormPermitBooklet
	case len(digits) == 10:
		d.form = FormPermitNumberCount
	default:
		d.form = FormPermitNumber
	}
	d.number = num
	return nil
}

// hksarPassport reports the forms of HKSAR passport numbers: K + 8 digits (the
// 1997 passport), KJ + 7 digits and H + 8 digits (electronic passports).
func hksarPassport(s string) bool {
	return len(s) == 9 && ((s[0] == 'K' || s[0] == 'H') && allDigits(s[1:]) ||
		s[0] == 'K' && s[1] == 'J' && allDigits(s[2:]))
}

func validateHKSARPassport(d *Document, s string) wht93.Violations {
	if hksarPassport(s) {
		d.form = FormSARPassport
		return nil
	}
	var vs wht93.Violations
	if s[0] != 'K' && s[0] != 'H' {
		vs = append(vs, ErrPrefix.Atf(field, MaskNumber(s),
			"香港特别行政区护照号码以K、KJ或H开头", "an HKSAR passport number begins with K, KJ or H"))
	}
	if len(s) != 9 {
		vs = append(vs, lengthViolation(s, "9位", "9 characters"))
	}
	if v := charsetViolation(s, func(i int, c rune) bool {
		return i == 0 || c >= '0' && c <= '9' || (i == 1 && c == 'J' && s[0] == 'K')
	}, "字母后应为数字|digits after the letters"); v != nil {
		vs = append(vs, v)
	}
	return vs
}

// macaoSARPassport reports the form of Macao SAR passport numbers: M, a letter (MA
// in the published examples; later series take the next letters) and 7 digits.
func macaoSARPassport(s string) bool {
	return len(s) == 9 && s[0] == 'M' && isUpper(s[1]) && allDigits(s[2:])
}

func validateMacaoSARPassport(d *Document, s string) wht93.Violations {
	if macaoSARPassport(s) {
		d.form = FormSARPassport
		return nil
	}
	var vs wht93.Violations
	if s[0] != 'M' || len(s) < 2 || !isUpper(s[1]) {
		vs = append(vs, ErrPrefix.Atf(field, MaskNumber(s),
			"澳门特别行政区护照号码以M和一个字母（如MA）开头", "a Macao SAR passport number begins with M and a letter (MA)"))
	}
	if len(s) != 9 {
		vs = append(vs, lengthViolation(s, "9位", "9 characters"))
	}
	if v := charsetViolation(s, func(i int, c rune) bool { return i < 2 || c >= '0' && c <= '9' },
		"前两位字母后应为数字|digits after the two letters"); v != nil {
		vs = append(vs, v)
	}
	return vs
}

// validateMilitaryID checks a soldier's or officer's ID (士兵证、军官证). There is
// no public format for their numbers (they are often written like 南字第1234567号),
// so only the length (4 to 20 characters), the characters (letters, digits and
// Chinese characters) and the presence of a digit are checked.
func validateMilitaryID(d *Document, s string) wht93.Violations {
	var vs wht93.Violations
	n := utf8.RuneCountInString(s)
	if n < 4 || n > 20 {
		vs = append(vs, lengthViolation(s, "4至20位", "4 to 20 characters"))
	}
	bad := false
	for _, r := range s {
		if !(r < utf8.RuneSelf && isAlnum(byte(r))) && !unicode.Is(unicode.Han, r) {
			bad = true
		}
	}
	switch {
	case bad:
		vs = append(vs, ErrCharset.Atf(field, MaskNumber(s),
			"军人证件号码只含字母、数字和汉字", "a military ID number has letters, digits and Chinese characters only"))
	case !hasDigit(s):
		vs = append(vs, ErrCharset.Atf(field, MaskNumber(s), "军人证件号码应含数字", "a military ID number has digits"))
	}
	if vs != nil {
		return vs
	}
	d.form = FormMilitary
	return nil
}
