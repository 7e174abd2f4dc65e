package codes

import (
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/piaowu/wht93"
)

// VenueType is one of the twelve venue types of clause 6.1.7.
//
// Appendix A numbers none of them: the platform's venueType is a string of at most
// 20 characters (its examples: 剧院、会堂、礼堂、广场、体育场馆). The numbers 1–12
// of this type are the SDK's own, in the clause's order, and stable; what goes on
// the wire is the Chinese name ([VenueType.String], which MarshalText and Value
// use). The zero VenueType is no type: it marshals to "" and is NULL in SQL.
// A VenueType is an immutable value and safe for concurrent use.
type VenueType uint8

// The venue types of clause 6.1.7, in its order.
const (
	VenueTheatre        VenueType = iota + 1 // 剧场
	VenueSports                              // 体育场馆
	VenueExhibition                          // 会展中心
	VenueAuditorium                          // 礼堂讲堂
	VenueTeahouse                            // 茶馆戏楼
	VenueCulturalPalace                      // 文化宫、影剧院
	VenueThemePark                           // 主题公园
	VenueScenicArea                          // 旅游景区
	VenueBar                                 // 酒吧、LIVEHOUSE
	VenueCommercial                          // 商场、酒店、餐馆
	VenueGallery                             // 艺术馆、博物馆
	VenueOther                               // 其他
)

var venueTypeNames = [...]struct{ zh, en string }{
	{},
	{"剧场", "Theatre"},
	{"体育场馆", "Sports venue"},
	{"会展中心", "Exhibition centre"},
	{"礼堂讲堂", "Auditorium or lecture hall"},
	{"茶馆戏楼", "Teahouse or opera house"},
	{"文化宫、影剧院", "Cultural palace or cinema-theatre"},
	{"主题公园", "Theme park"},
	{"旅游景区", "Scenic area"},
	{"酒吧、LIVEHOUSE", "Bar or live house"},
	{"商场、酒店、餐馆", "Shopping mall, hotel or restaurant"},
	{"艺术馆、博物馆", "Gallery or museum"},
	{"其他", "Other"},
}

// venueTypeAliases maps the other names ParseVenueType accepts: each alternative
// within a type's name, and Appendix A's examples. 广场 (an open square), which
// Appendix A gives as an example but clause 6.1.7 does not name, is 其他.
var venueTypeAliases = map[string]VenueType{
	"剧院": VenueTheatre, "会堂": VenueAuditorium, "礼堂": VenueAuditorium, "讲堂": VenueAuditorium,
	"茶馆": VenueTeahouse, "戏楼": VenueTeahouse, "文化宫": VenueCulturalPalace, "影剧院": VenueCulturalPalace,
	"酒吧": VenueBar, "LIVEHOUSE": VenueBar, "LIVE HOUSE": VenueBar, "商场": VenueCommercial,
	"酒店": VenueCommercial, "餐馆": VenueCommercial, "艺术馆": VenueGallery, "博物馆": VenueGallery,
	"广场": VenueOther, "体育馆": VenueSports, "体育场": VenueSports,
}

// VenueTypes returns the twelve venue types in the clause's order.
func VenueTypes() []VenueType {
	out := make([]VenueType, 0, len(venueTypeNames)-1)
	for t := VenueTheatre; t <= VenueOther; t++ {
		out = append(out, t)
	}
	return out
}

// Valid reports whether t is one of the twelve types.
func (t VenueType) Valid() bool { return t >= VenueTheatre && t <= VenueOther }

// String returns the Chinese name as clause 6.1.7 writes it (剧场, 文化宫、影剧院);
// "" for the zero or an invalid type.
func (t VenueType) String() string {
	if t.Valid() {
		return venueTypeNames[t].zh
	}
	return ""
}

// NameEn returns the English name.
func (t VenueType) NameEn() string {
	if t.Valid() {
		return venueTypeNames[t].en
	}
	return ""
}

// ParseVenueType returns the type named s (after [Normalize]; Latin letters in any
// case): a name of clause 6.1.7 (剧场, 文化宫、影剧院), one alternative of a
// name (影剧院, 酒吧, LiveHouse, 博物馆), or one of Appendix A's examples (剧院,
// 会堂, 礼堂, 广场 → 其他). Anything else is [ErrVenueTypeUnknown].
func ParseVenueType(s string) (VenueType, error) {
	t := Normalize(s)
	for v := VenueTheatre; v <= VenueOther; v++ {
		if t == venueTypeNames[v].zh {
			return v, nil
		}
	}
	if v, ok := venueTypeAliases[strings.ToUpper(t)]; ok {
		return v, nil
	}
	if t == "" {
		return 0, wht93.Violations{ErrEmpty.Atf("venueType", s, "演出场所类型为空", "venue type is empty")}
	}
	return 0, wht93.Violations{ErrVenueTypeUnknown.At("venueType", s)}
}

// MarshalText returns the Chinese name; "" for the zero type.
func (t VenueType) MarshalText() ([]byte, error) {
	if t != 0 && !t.Valid() {
		return nil, ErrVenueTypeUnknown.At("venueType", strconv.Itoa(int(t)))
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses a name with [ParseVenueType]; "" gives the zero type.
func (t *VenueType) UnmarshalText(b []byte) error {
	return unmarshalCode(t, string(b), ParseVenueType)
}

// Scan implements sql.Scanner: NULL and "" give the zero type, a name is parsed
// with [ParseVenueType].
func (t *VenueType) Scan(src any) error {
	if n, ok := src.(int64); ok {
		return ErrVenueTypeUnknown.At("venueType", strconv.FormatInt(n, 10))
	}
	return scanCode(t, src, ParseVenueType)
}

// Value implements driver.Valuer: the Chinese name, NULL for the zero type.
func (t VenueType) Value() (driver.Value, error) {
	b, err := t.MarshalText()
	if err != nil {
		return nil, err
	}
	return valueCode(string(b))
}
