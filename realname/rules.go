package realname

import "github.com/piaowu/wht93"

// The rules of document numbers. Every violation of a number names one of them, at
// the field "number" (or "type"), with the number masked by [MaskNumber]: an ID
// number is personal data and never appears whole in an error.
var (
	// ErrEmpty is the rule that a document number is given.
	ErrEmpty = wht93.NewRule("realname.empty", "证件号码不能为空", "document number is empty")
	// ErrLength is the rule that a number has its type's length (18 characters for an
	// ID number, 15 for the legacy form; see each type).
	ErrLength = wht93.NewRule("realname.length", "证件号码长度不正确", "document number has the wrong length")
	// ErrCharset is the rule that each position holds a character its type allows:
	// digits, and X only as the check digit of an ID number.
	ErrCharset = wht93.NewRule("realname.charset", "证件号码含有不允许的字符", "document number has a character not allowed there")
	// ErrCheckDigit is the rule that the 18th character of an ID number is its
	// ISO 7064 MOD 11-2 check digit (GB 11643-1999).
	ErrCheckDigit = wht93.NewRule("realname.check_digit", "校验码错误", "check digit is wrong")
	// ErrBirthDate is the rule that the birth date inside a number exists.
	ErrBirthDate = wht93.NewRule("realname.birth_date", "出生日期不存在", "birth date does not exist")
	// ErrBirthFuture is the rule that the birth date is not after today.
	ErrBirthFuture = wht93.NewRule("realname.birth_future", "出生日期晚于今天", "birth date is in the future")
	// ErrBirthEarly is the rule that the birth date is not before 1900-01-01.
	ErrBirthEarly = wht93.NewRule("realname.birth_early", "出生日期早于1900年", "birth date is before 1900")
	// ErrAddress is the rule that the address code of an ID number names a region of
	// GB/T 2260 (at any time since 1981); a code whose province does not exist
	// breaks it.
	ErrAddress = wht93.NewRule("realname.address", "地址码不是行政区划代码", "address code is not a GB/T 2260 region")
	// ErrAddressUnlisted is a soft finding (a warning): the address code is in no
	// edition of GB/T 2260 the SDK knows, but its province exists. Such numbers
	// exist on real cards (codes used briefly or locally), so the number stays valid.
	ErrAddressUnlisted = wht93.NewRule("realname.address_unlisted", "地址码不在已知的行政区划代码中，但省级代码存在", "address code is in no known edition of GB/T 2260, but its province exists")
	// ErrPermitPrefix is the rule that a residence permit number begins with its
	// region's code: 810000 Hong Kong, 820000 Macao, 830000 Taiwan.
	ErrPermitPrefix = wht93.NewRule("realname.permit_prefix", "居住证号码前六位应为810000、820000或830000", "residence permit number must begin with 810000, 820000 or 830000")
	// ErrOtherType is the rule that a number is not, by its shape, a number of another
	// document type (a residence permit's 81/82/83 or a permanent resident card's 9
	// given as a resident ID).
	ErrOtherType = wht93.NewRule("realname.other_type", "号码属于另一种证件", "number belongs to another document type")
	// ErrLegacy is a soft finding (a warning): a 15-digit first-generation ID number
	// (GB 11643-1989). It is recognised and upgraded to 18 digits, but
	// first-generation cards ceased to be valid on 2013-01-01.
	ErrLegacy = wht93.NewRule("realname.legacy", "15位一代身份证号码，已升级为18位；一代证已于2013年1月1日停止使用", "15-digit first-generation ID number, upgraded to 18 digits; first-generation cards ceased to be valid on 2013-01-01")
	// ErrPrefix is the rule that a number begins with its type's letters (H or M for
	// the travel permit for Hong Kong and Macao residents, K, KJ or H for an HKSAR
	// passport, MA for a Macao SAR passport).
	ErrPrefix = wht93.NewRule("realname.prefix", "证件号码开头字母不正确", "document number begins with the wrong letters")
	// ErrProvince is the rule that the issuing province of a foreign permanent
	// resident ID card is a GB/T 2260 province.
	ErrProvince = wht93.NewRule("realname.province", "受理地省级代码不存在", "issuing province code does not exist")
	// ErrNationality is the rule that the nationality of a foreign permanent
	// resident ID card is an ISO 3166-1 country other than China.
	ErrNationality = wht93.NewRule("realname.nationality", "国籍代码不存在", "nationality code is not a country")
)
