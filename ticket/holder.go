package ticket

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// The field names under which a ticket's personal data is encrypted
// (realname.Keyring binds each ciphertext to its field and record).
const (
	fieldHolderName     = "ticket.holder.name"
	fieldHolderNumber   = "ticket.holder.number"
	fieldCourierName    = "ticket.courier.name"
	fieldCourierPhone   = "ticket.courier.phone"
	fieldCourierAddress = "ticket.courier.address"
)

// SealedHolder is a ticket's real-name holder as the ticket record keeps it
// (7.1.1.3): the document type and the blind index in clear, for per-ID purchase
// limits and look-ups; the name and the document number encrypted with
// AES-256-GCM under the host's realname.Keyring. The ciphertexts are bound to the
// ticket's code and to the blind index, so that they decrypt only on the record
// they were made for and only with the index they were made with.
//
// The zero SealedHolder is no holder. A SealedHolder is a plain value: safe for
// concurrent reads; its byte slices are shared by copies and must not be modified.
type SealedHolder struct {
	DocType realname.DocType    `json:"docType"`
	Index   realname.BlindIndex `json:"index"`
	Name    []byte              `json:"name"`   // ciphertext of the name
	Number  []byte              `json:"number"` // ciphertext of the canonical document number
}

// IsZero reports whether h is no holder.
func (h SealedHolder) IsZero() bool {
	return h.DocType == 0 && h.Index == (realname.BlindIndex{}) && len(h.Name) == 0 && len(h.Number) == 0
}

func holderRecord(code codes.TicketCode, ix realname.BlindIndex) string {
	return code.String() + "/" + ix.String()
}

// Seal encrypts a holder for the ticket code: the name and the document number
// under the keyring's current key, the document indexed by ix.
func Seal(k *realname.Keyring, ix *realname.BlindIndexer, code codes.TicketCode, h realname.Holder) (SealedHolder, error) {
	if h.IsZero() {
		return SealedHolder{}, ErrHolder.At("holder", "")
	}
	if k == nil || ix == nil {
		return SealedHolder{}, realname.ErrKey.Atf("keyring", "", "加密持票人信息需要密钥环和盲索引", "sealing a holder needs a keyring and a blind indexer")
	}
	doc := h.Document()
	s := SealedHolder{DocType: doc.Type(), Index: ix.Index(doc)}
	rec := holderRecord(code, s.Index)
	var err error
	if s.Name, err = k.Encrypt([]byte(h.Name()), fieldHolderName, rec); err != nil {
		return SealedHolder{}, err
	}
	if s.Number, err = k.Encrypt([]byte(doc.Number()), fieldHolderNumber, rec); err != nil {
		return SealedHolder{}, err
	}
	return s, nil
}

// reveal decrypts the name and the number.
func (h SealedHolder) reveal(k *realname.Keyring, code codes.TicketCode) (name, number string, err error) {
	if h.IsZero() {
		return "", "", ErrHolder.At("holder", "")
	}
	if k == nil {
		return "", "", realname.ErrKey.At("keyring", "")
	}
	rec := holderRecord(code, h.Index)
	n, err := k.Decrypt(h.Name, fieldHolderName, rec)
	if err != nil {
		return "", "", err
	}
	d, err := k.Decrypt(h.Number, fieldHolderNumber, rec)
	if err != nil {
		return "", "", err
	}
	return string(n), string(d), nil
}

// Masked decrypts the holder of the ticket code and returns it masked for a
// printed face (clause 6.3.5, E.2.6): the name keeps the family name
// (realname.MaskName), the number its first and last characters
// (realname.MaskNumber). Nothing whole leaves this function.
func (h SealedHolder) Masked(k *realname.Keyring, code codes.TicketCode) (MaskedHolder, error) {
	name, number, err := h.reveal(k, code)
	if err != nil {
		return MaskedHolder{}, err
	}
	return MaskedHolder{Name: realname.MaskName(name), DocType: h.DocType, Number: realname.MaskNumber(number)}, nil
}

// Open decrypts the holder of the ticket code and validates the document again on
// today (wht93.DateOf(now) in China Standard Time), for the rare step that needs
// it whole (a check at the entrance against the card). It returns personal data:
// never log it unmasked.
func (h SealedHolder) Open(k *realname.Keyring, code codes.TicketCode, today wht93.Date) (realname.Holder, error) {
	name, number, err := h.reveal(k, code)
	if err != nil {
		return realname.Holder{}, err
	}
	doc, err := realname.Validate(h.DocType, number, today)
	if err != nil {
		return realname.Holder{}, err
	}
	return realname.NewHolder(name, doc)
}

// MaskedHolder is a real-name holder as a printed face shows it: the name and the
// number masked, the document type whole. It holds no personal data in the
// clear. A MaskedHolder is a plain value, safe for concurrent use.
type MaskedHolder struct {
	Name    string           // masked: 张*
	DocType realname.DocType // 居民身份证
	Number  string           // masked: 110101**********3X
}

// MaskHolder returns the masked form of a holder, for a face built before the
// holder is sealed.
func MaskHolder(h realname.Holder) MaskedHolder {
	if h.IsZero() {
		return MaskedHolder{}
	}
	return MaskedHolder{Name: h.MaskedName(), DocType: h.Document().Type(), Number: h.Document().Masked()}
}

// IsZero reports whether m is no holder.
func (m MaskedHolder) IsZero() bool { return m == MaskedHolder{} }

// Address is the recipient of a courier delivery (快递, 7.1.3.5): personal data.
// String masks it. An Address is a plain value, safe for concurrent use.
type Address struct {
	Name    string // 收件人
	Phone   string // 联系电话: a mainland mobile number or a landline with its area code
	Address string // 收件地址, one line, at most 200 characters
}

var phoneRE = regexp.MustCompile(`^(?:(?:\+?86[- ]?)?1[3-9]\d{9}` +
	`|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$`)

// Check returns every violation of the address, with personal data masked.
func (a Address) Check() wht93.Violations {
	var vs wht93.Violations
	vs = text{field: "name", value: a.Name, max: 100, mask: realname.MaskName}.check(vs)
	if !phoneRE.MatchString(a.Phone) {
		vs = append(vs, ErrAddress.Atf("phone", maskPhone(a.Phone), "联系电话应为手机号码或带区号的固定电话", "phone must be a mobile number or a landline with its area code"))
	}
	vs = text{field: "address", value: a.Address, max: 200, mask: maskAddress}.check(vs)
	return vs
}

// String returns the address masked: "张* 138****5678 北京市东城区****".
func (a Address) String() string {
	return realname.MaskName(a.Name) + " " + maskPhone(a.Phone) + " " + maskAddress(a.Address)
}

// maskPhone keeps the first three and the last four digits of a mobile number
// (138****5678) and masks other numbers as document numbers are masked.
func maskPhone(p string) string {
	if len(p) == 11 && strings.Trim(p, "0123456789") == "" {
		return p[:3] + "****" + p[7:]
	}
	return realname.MaskNumber(p)
}

// maskAddress keeps the first six characters (province and city, as a rule).
func maskAddress(s string) string {
	r := []rune(s)
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", min(len(r)-6, 4))
}

// SealedAddress is a courier recipient as the ticket record keeps it: each field
// encrypted under the host's realname.Keyring, bound to the ticket's code. The
// zero SealedAddress is none. It is a plain value: safe for concurrent reads.
type SealedAddress struct {
	Name    []byte `json:"name"`
	Phone   []byte `json:"phone"`
	Address []byte `json:"address"`
}

// IsZero reports whether a is no address.
func (a SealedAddress) IsZero() bool {
	return len(a.Name) == 0 && len(a.Phone) == 0 && len(a.Address) == 0
}

func sealAddress(k *realname.Keyring, code codes.TicketCode, a Address) (SealedAddress, error) {
	var s SealedAddress
	var err error
	rec := code.String()
	if s.Name, err = k.Encrypt([]byte(a.Name), fieldCourierName, rec); err != nil {
		return SealedAddress{}, err
	}
	if s.Phone, err = k.Encrypt([]byte(a.Phone), fieldCourierPhone, rec); err != nil {
		return SealedAddress{}, err
	}
	if s.Address, err = k.Encrypt([]byte(a.Address), fieldCourierAddress, rec); err != nil {
		return SealedAddress{}, err
	}
	return s, nil
}

// Open decrypts the courier recipient of the ticket code, for the label of the
// parcel. It returns personal data: print it, never log it unmasked.
func (a SealedAddress) Open(k *realname.Keyring, code codes.TicketCode) (Address, error) {
	if a.IsZero() {
		return Address{}, ErrFulfilment.At("fulfilment.courier", "")
	}
	if k == nil {
		return Address{}, realname.ErrKey.At("keyring", "")
	}
	rec := code.String()
	var out [3][]byte
	for i, p := range [3]struct {
		ct    []byte
		field string
	}{{a.Name, fieldCourierName}, {a.Phone, fieldCourierPhone}, {a.Address, fieldCourierAddress}} {
		b, err := k.Decrypt(p.ct, p.field, rec)
		if err != nil {
			return Address{}, err
		}
		out[i] = b
	}
	return Address{Name: string(out[0]), Phone: string(out[1]), Address: string(out[2])}, nil
}

// runeLen is utf8.RuneCountInString.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
