package realname

import (
	"fmt"
	"log/slog"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

// Sex is the sex encoded in an ID number (odd sequence numbers for men, even for
// women, GB 11643). Documents without it have SexUnknown. A Sex is a small value,
// safe for concurrent use.
type Sex uint8

// The sexes an ID number encodes.
const (
	SexUnknown Sex = iota
	SexMale
	SexFemale
)

// String returns "male", "female" or "unknown".
func (s Sex) String() string {
	switch s {
	case SexMale:
		return "male"
	case SexFemale:
		return "female"
	}
	return "unknown"
}

// Zh returns 男, 女 or 未知.
func (s Sex) Zh() string {
	switch s {
	case SexMale:
		return "男"
	case SexFemale:
		return "女"
	}
	return "未知"
}

// Form is the variant of a document number within its type: a PRC or a foreign
// passport, the card or the booklet form of a travel permit, the 2023 or the older
// permanent resident card. A Form is a small value, safe for concurrent use.
type Form uint8

// The forms of document numbers. The zero Form is no form (the zero [Document]).
const (
	FormID18                    Form = iota + 1 // 18 characters of GB 11643-1999 with check digit
	FormID15                                    // 15-digit first-generation number (GB 11643-1989), upgraded
	FormPRCPassport                             // PRC ordinary passport: E+8 digits, E+letter+7 digits, G+8 digits, 14/15+7 digits
	FormPRCPublicPassport                       // PRC diplomatic, service or public-affairs passport: D, S, P (+E)
	FormOtherPassport                           // a passport of another form: foreign, or unrecognised
	FormPermitNumber                            // travel permit: the lifelong number alone
	FormPermitNumberCount                       // travel permit: lifelong number and 2-digit issue count
	FormPermitBooklet                           // Taiwan residents' booklet permit: number and a letter
	FormSARPassport                             // HKSAR or Macao SAR passport
	FormPermanentResident2023                   // 2023 foreign permanent resident ID card: 18 digits with check digit
	FormPermanentResidentLegacy                 // 2004 / 2017 foreign permanent resident card: 3 letters and 12 digits
	FormMilitary                                // soldier or officer ID: no public format
)

var formNames = [...][2]string{
	FormID18:                    {"18位公民身份号码", "18-character citizen identity number"},
	FormID15:                    {"15位一代身份证号码", "15-digit first-generation number"},
	FormPRCPassport:             {"中国普通护照", "PRC ordinary passport"},
	FormPRCPublicPassport:       {"中国外交、公务或因公普通护照", "PRC diplomatic, service or public-affairs passport"},
	FormOtherPassport:           {"其他护照", "other passport"},
	FormPermitNumber:            {"通行证终身号", "permit lifelong number"},
	FormPermitNumberCount:       {"通行证终身号加换证次数", "permit lifelong number with issue count"},
	FormPermitBooklet:           {"本式通行证号码", "booklet permit number"},
	FormSARPassport:             {"特别行政区护照", "SAR passport"},
	FormPermanentResident2023:   {"2023版永居证号码", "2023 permanent resident card number"},
	FormPermanentResidentLegacy: {"旧版永居证号码", "pre-2023 permanent resident card number"},
	FormMilitary:                {"军人证件号码", "military ID number"},
}

// String returns the form in English.
func (f Form) String() string {
	if f == 0 || int(f) >= len(formNames) {
		return ""
	}
	return formNames[f][1]
}

// Zh returns the form in Chinese.
func (f Form) Zh() string {
	if f == 0 || int(f) >= len(formNames) {
		return ""
	}
	return formNames[f][0]
}

// Document is a validated identity document number: its type, its canonical number
// (normalised; an ID number in its 18-digit form) and, for the numbers of the
// GB 11643 family (resident ID, residence permits, the 2023 permanent resident
// card), the birth date, sex, region and check digit they encode.
//
// A Document carries personal data. Its fields are unexported so that JSON and
// other reflection-based encoders see nothing, and its String, GoString, Format and
// LogValue print the number masked by [MaskNumber]: only [Document.Number] returns
// it whole, for encryption and comparison. The zero Document is no document.
// A Document is an immutable value and safe for concurrent use.
type Document struct {
	typ         DocType
	form        Form
	number      string
	birth       wht93.Date
	sex         Sex
	check       byte
	region      uint8 // how Region finds it: regionNone, regionAddress, …
	nationality string
	warnings    wht93.Violations
}

// Type returns the document's type.
func (d Document) Type() DocType { return d.typ }

// Form returns the variant of the number within its type.
func (d Document) Form() Form { return d.form }

// Number returns the canonical number, whole: normalised (see [Normalize]), a
// 15-digit ID number upgraded to 18 digits, a booklet permit number without its
// parentheses. It is personal data: encrypt it at rest ([Keyring]), index it with
// a [BlindIndexer], print it with [MaskNumber].
func (d Document) Number() string { return d.number }

// Masked returns the number masked by [MaskNumber].
func (d Document) Masked() string { return MaskNumber(d.number) }

// IsZero reports whether d is the zero Document.
func (d Document) IsZero() bool { return d.typ == 0 }

// Birth returns the birth date encoded in the number, for the GB 11643 family and
// the 2023 permanent resident card; false for other documents.
func (d Document) Birth() (wht93.Date, bool) { return d.birth, d.birth.Valid() }

// Sex returns the sex encoded in the number, or SexUnknown.
func (d Document) Sex() Sex { return d.sex }

// CheckDigit returns the check digit ('0'–'9' or 'X') of an 18-character number,
// or 0 for documents without one.
func (d Document) CheckDigit() byte { return d.check }

// Region returns the GB/T 2260 region of the number's address code: the county (or
// city) of a resident ID, 香港 or 澳门 for their residents' residence permit, the
// issuing province of a 2023 permanent resident card. A summary code such as
// 440401 (市辖区) that the dataset lacks is returned as a county-level Region named
// 市辖区, 城区, 郊区 or 市区 in its prefecture, with no status or years. It reports
// false when the number has no region the data knows (830000 of Taiwan residents'
// permits, an unlisted code, documents without an address).
//
// Region looks the code up again on each call; it does not allocate.
func (d Document) Region() (codes.Region, bool) {
	switch d.region {
	case regionAddress:
		return codes.LookupRegion(d.number[:6])
	case regionSummary:
		return summaryRegion(d.number[:6])
	case regionProvince:
		return codes.LookupRegion(d.number[1:3] + "0000")
	}
	return codes.Region{}, false
}

// Nationality returns the ISO 3166-1 alpha-3 code of the holder's nationality on a
// foreign permanent resident card ("KAZ"), or "".
func (d Document) Nationality() string { return d.nationality }

// Warnings returns the soft findings about a valid number (an unlisted address
// code, a legacy 15-digit number). They do not make it invalid.
func (d Document) Warnings() wht93.Violations { return d.warnings }

// Equal reports whether d and e are the same document: the same type and the same
// canonical number (so a 15-digit ID number equals its 18-digit form).
func (d Document) Equal(e Document) bool { return d.typ == e.typ && d.number == e.number }

// String returns the type and the masked number: "resident-id 110101**********3X".
func (d Document) String() string {
	if d.IsZero() {
		return ""
	}
	return d.typ.String() + " " + d.Masked()
}

// GoString masks like String, so that %#v prints no personal data.
func (d Document) GoString() string { return "realname.Document(" + d.String() + ")" }

// Format prints the masked form for every verb (%v, %+v, %s, %q, %x, …), so that
// no formatting of a Document reveals the number.
func (d Document) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", d.String())
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(d.GoString()))
	default:
		_, _ = f.Write([]byte(d.String()))
	}
}

// LogValue logs the type and the masked number.
func (d Document) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", d.typ.String()), slog.String("number", d.Masked()))
}

var (
	_ fmt.Stringer   = Document{}
	_ fmt.GoStringer = Document{}
	_ fmt.Formatter  = Document{}
	_ slog.LogValuer = Document{}
)

// field is the field path of every violation of a number.
const field = "number"

// Validate checks number as a document of type t and returns it parsed, or every
// violation at once as [wht93.Violations] (errors.Is finds each rule; the number
// appears in them masked). Soft findings come back in [Document.Warnings] of a
// valid document, and among the violations of an invalid one, with Warning set.
//
// The number is normalised first ([Normalize]). today is the current date in
// China Standard Time (wht93.DateOf(time.Now()) in production, a fixed date in
// tests): a birth date after it is an error. A zero today makes every birth date a
// future one.
//
// Validate is safe for concurrent use. For an 18-digit ID number that is already
// normalised it does not allocate once the region data has loaded.
func Validate(t DocType, number string, today wht93.Date) (Document, error) {
	s := Normalize(number)
	if s == "" {
		return Document{}, wht93.Violations{ErrEmpty.At(field, "")}
	}
	d := Document{typ: t}
	var vs wht93.Violations
	switch t {
	case TypeResidentID, TypeHKMacaoResidencePermit, TypeTaiwanResidencePermit:
		vs = validateID(&d, s, today)
	case TypeForeignPermanentResident:
		vs = validatePermanentResident(&d, s, today)
	case TypePassport:
		vs = validatePassport(&d, s)
	case TypeHKMacaoPermit:
		vs = validateHKMacaoPermit(&d, s)
	case TypeTaiwanPermit:
		vs = validateTaiwanPermit(&d, s)
	case TypeHKSARPassport:
		vs = validateHKSARPassport(&d, s)
	case TypeMacaoSARPassport:
		vs = validateMacaoSARPassport(&d, s)
	case TypeMilitaryID:
		vs = validateMilitaryID(&d, s)
	default:
		return Document{}, wht93.Violations{ErrDocType.At("type", fmt.Sprint(uint8(t)))}
	}
	if err := vs.Err(); err != nil {
		return Document{}, err
	}
	if d.number == "" {
		d.number = s
	}
	d.warnings = vs
	return d, nil
}

// ParseResidentID is Validate(TypeResidentID, number, today).
func ParseResidentID(number string, today wht93.Date) (Document, error) {
	return Validate(TypeResidentID, number, today)
}

// Candidates returns the types as which number is valid on today, most specific
// first: the types with a checked structure (ID numbers, permits, SAR passports) in
// the order of [DocTypes], then the loosely checked passport and military ID, which
// accept most strings of letters and digits. It returns nil when no type accepts
// the number.
func Candidates(number string, today wht93.Date) []DocType {
	var out []DocType
	for _, t := range DocTypes() {
		if t == TypePassport || t == TypeMilitaryID {
			continue
		}
		if _, err := Validate(t, number, today); err == nil {
			out = append(out, t)
		}
	}
	for _, t := range []DocType{TypePassport, TypeMilitaryID} {
		if _, err := Validate(t, number, today); err == nil {
			out = append(out, t)
		}
	}
	return out
}
