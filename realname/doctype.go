package realname

import (
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// DocType is a kind of identity document a real-name buyer presents: the eight of
// clause 6.3.3.1 of WH/T 93-2021 and the two more that buyers also hold (the
// residence permit for Hong Kong and Macao residents, the foreign permanent
// resident ID card). The zero DocType is no type.
//
// A DocType is a small value and safe for concurrent use. It marshals as its
// command-line name ("resident-id").
type DocType uint8

// The document types. The order is that of clause 6.3.3.1, then the two extra ones.
const (
	TypeResidentID               DocType = iota + 1 // 居民身份证 (GB 11643)
	TypePassport                                    // 护照 (PRC or foreign)
	TypeHKMacaoPermit                               // 港澳居民来往内地通行证 (回乡证)
	TypeTaiwanPermit                                // 台湾居民来往大陆通行证 (台胞证)
	TypeMilitaryID                                  // 士兵证、军官证
	TypeTaiwanResidencePermit                       // 中华人民共和国台湾居民居住证
	TypeHKSARPassport                               // 香港特别行政区护照
	TypeMacaoSARPassport                            // 澳门特别行政区护照
	TypeHKMacaoResidencePermit                      // 中华人民共和国港澳居民居住证
	TypeForeignPermanentResident                    // 外国人永久居留身份证
)

type docTypeInfo struct {
	name, zh, en string
	aliases      []string
}

var docTypeInfos = [...]docTypeInfo{
	TypeResidentID: {"resident-id", "居民身份证", "resident identity card",
		[]string{"身份证", "id-card"}},
	TypePassport: {"passport", "护照", "passport", nil},
	TypeHKMacaoPermit: {"hk-macao-permit", "港澳居民来往内地通行证",
		"Mainland travel permit for Hong Kong and Macao residents", []string{"回乡证"}},
	TypeTaiwanPermit: {"taiwan-permit", "台湾居民来往大陆通行证",
		"Mainland travel permit for Taiwan residents", []string{"台湾地区来往大陆通行证", "台胞证"}},
	TypeMilitaryID: {"military-id", "士兵证或军官证", "soldier or officer ID",
		[]string{"士兵证", "军官证", "士兵或军官证"}},
	TypeTaiwanResidencePermit: {"taiwan-residence-permit", "中华人民共和国台湾居民居住证",
		"residence permit for Taiwan residents", []string{"台湾居民居住证"}},
	TypeHKSARPassport: {"hksar-passport", "香港特别行政区护照", "HKSAR passport", []string{"香港护照"}},
	TypeMacaoSARPassport: {"macao-sar-passport", "澳门特别行政区护照", "Macao SAR passport",
		[]string{"澳门护照"}},
	TypeHKMacaoResidencePermit: {"hk-macao-residence-permit", "中华人民共和国港澳居民居住证",
		"residence permit for Hong Kong and Macao residents", []string{"港澳居民居住证"}},
	TypeForeignPermanentResident: {"foreign-permanent-resident", "外国人永久居留身份证",
		"foreign permanent resident ID card", []string{"外国人永久居留证", "永居证"}},
}

// DocTypes returns every document type, in the order of clause 6.3.3.1 followed by
// the residence permit for Hong Kong and Macao residents and the foreign permanent
// resident ID card.
func DocTypes() []DocType {
	out := make([]DocType, 0, len(docTypeInfos)-1)
	for t := TypeResidentID; int(t) < len(docTypeInfos); t++ {
		out = append(out, t)
	}
	return out
}

// Valid reports whether t is one of the document types.
func (t DocType) Valid() bool { return t >= TypeResidentID && int(t) < len(docTypeInfos) }

// String returns the command-line name of the type ("resident-id"), or "" for an
// invalid type.
func (t DocType) String() string {
	if !t.Valid() {
		return ""
	}
	return docTypeInfos[t].name
}

// Zh returns the type's name in Chinese ("居民身份证").
func (t DocType) Zh() string {
	if !t.Valid() {
		return ""
	}
	return docTypeInfos[t].zh
}

// En returns the type's name in English ("resident identity card").
func (t DocType) En() string {
	if !t.Valid() {
		return ""
	}
	return docTypeInfos[t].en
}

// ErrDocType is the rule that a document type is one of [DocTypes].
var ErrDocType = wht93.NewRule("realname.doc_type", "证件类型不存在", "unknown document type")

// ParseDocType returns the type named s: its command-line name ("resident-id",
// case-insensitive), its Chinese name ("居民身份证") or a common short Chinese name
// ("身份证", "回乡证", "台胞证", "永居证"). Surrounding spaces are ignored.
func ParseDocType(s string) (DocType, error) {
	k := strings.TrimSpace(s)
	for t := TypeResidentID; int(t) < len(docTypeInfos); t++ {
		info := docTypeInfos[t]
		if strings.EqualFold(k, info.name) || k == info.zh {
			return t, nil
		}
		for _, a := range info.aliases {
			if strings.EqualFold(k, a) {
				return t, nil
			}
		}
	}
	return 0, ErrDocType.At("type", s)
}

// MarshalText returns the command-line name; an invalid type is an error.
func (t DocType) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, ErrDocType.At("type", strconv.Itoa(int(t)))
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses any name that [ParseDocType] accepts.
func (t *DocType) UnmarshalText(b []byte) error {
	v, err := ParseDocType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
