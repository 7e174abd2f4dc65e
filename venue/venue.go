package venue

import (
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/realname"
)

// Venue is a performance venue's basic information (6.3.1.1 演出场所基本信息): its
// name; province, city, district, detailed address and venue type; operator; halls;
// contact person and phone. The province, city and district are Appendix A's
// provinceId, cityId and districtId. The venue code is zero until the platform
// issues it (Appendix A /standard/venue/save).
//
// Field paths in violations use Appendix A's names (venueName, hallList[0].hallCode).
// A Venue is a domain value, not the wire format: the client package maps it.
// A Venue is a plain value: safe for concurrent reads, not for concurrent mutation.
type Venue struct {
	Code     codes.VenueCode // 场所编码, zero until issued
	Name     string          // 演出场所名称 (String 50)
	Province int             // e.g. 110000 北京市
	City     int             // e.g. 110100
	District int             // e.g. 110101 东城区; 0 for a city without districts
	Address  string          // 详细地址 (String 200)
	Type     codes.VenueType // 场所类型 (6.1.7)
	Operator string          // 场所经营单位名称
	Halls    []Hall          // at least one
	Contact  string          // 联系人 (personal data: masked in errors)
	Phone    string          // 联系电话 (personal data: masked in errors)
}

// Hall is one hall of a venue (场厅): its name, seat count and hall code. A seated
// hall has Seats seats and a [Template] of exactly that many; an unseated hall
// (无座) has a Capacity and no template (6.3.1.2). The hall code is zero until the
// platform issues it.
type Hall struct {
	Name     string         // 场厅名称 (String 50)
	Code     codes.HallCode // 场厅编码, zero until issued
	Seated   bool           // hasSeat
	Seats    int            // 座位数, seated halls
	Capacity int            // 容纳人数, unseated halls
}

// Limits of Appendix A (String n = at most n characters).
const (
	maxVenueName = 50
	maxAddress   = 200
	maxOperator  = 100
	maxHallName  = 50
	maxContact   = 50
	maxHallSeats = MaxSeats
)

var (
	// ErrText is the rule that a text field is given, within its length, without
	// control characters or surrounding space.
	ErrText = wht93.NewRule("venue.text", "文本字段为空、超长或含有控制字符、首尾空格", "text field is empty, too long, or has control characters or surrounding space")
	// ErrRegion is the rule that the province, city and district are those of one
	// GB/T 2260 region in use, and the venue code's region when there is a code:
	// the district (or, for a city without districts, the city) is the region
	// coded in the venue code's first six digits.
	ErrRegion = wht93.NewRule("venue.region", "省、市、区县与场所编码的行政区划不一致或不存在", "province, city and district do not match the venue code's region or do not exist")
	// ErrVenueType is the rule that the venue type is one of the twelve of 6.1.7.
	ErrVenueType = wht93.NewRule("venue.type", "场所类型应为6.1.7所列类型之一", "venue type must be one of clause 6.1.7")
	// ErrNoHall is the rule that a venue has at least one hall.
	ErrNoHall = wht93.NewRule("venue.halls", "场所至少应有一个场厅", "venue must have at least one hall")
	// ErrHallCodeVenue is the rule that a hall code belongs to its venue's code:
	// its first nine digits are the venue code, which must then be known.
	ErrHallCodeVenue = wht93.NewRule("venue.hall.code", "场厅编码不属于本场所编码", "hall code does not belong to the venue code")
	// ErrHallDuplicate is the rule that hall names and hall codes are unique within
	// a venue.
	ErrHallDuplicate = wht93.NewRule("venue.hall.duplicate", "场厅名称或编码重复", "hall name or code is not unique in the venue")
	// ErrHallSeats is the rule that a seated hall has 1 to MaxSeats seats and no
	// capacity, and an unseated hall a capacity of at least 1 and no seats.
	ErrHallSeats = wht93.NewRule("venue.hall.seats", "有座场厅应填座位数，无座场厅应填容纳人数", "a seated hall needs a seat count, an unseated hall a capacity")
	// ErrPhone is the rule that the contact phone is a mainland mobile number
	// (optionally +86), a landline with its area code (optionally an extension),
	// or a 400/800 service number.
	ErrPhone = wht93.NewRule("venue.phone", "联系电话格式错误", "contact phone number is malformed")
	// ErrTemplateHall is the rule that a seat template belongs to a seated hall of
	// the same name with as many seats.
	ErrTemplateHall = wht93.NewRule("venue.template.mismatch", "座位模板与场厅不符（场厅名称、有座、座位数）", "seat template does not match the hall (name, seated, seat count)")
)

var phoneRE = regexp.MustCompile(`^(?:(?:\+?86[- ]?)?1[3-9]\d{9}` +
	`|0\d{2,3}-?\d{7,8}(?:(?:-|转)\d{1,6})?` +
	`|[48]00-?\d{3}-?\d{4})$`)

// checkText appends a violation when s is not a clean text of 1 to max characters.
// mask, when set, hides the value in the violation.
func checkText(vs wht93.Violations, field, s string, max int, mask func(string) string) wht93.Violations {
	if wht93.CleanText(s, max, "") {
		return vs
	}
	shown := s
	if !utf8.ValidString(shown) {
		shown = "(invalid UTF-8)"
	} else if mask != nil {
		shown = mask(s)
	}
	return append(vs, ErrText.Atf(field, shown,
		fmt.Sprintf("应为1至%d个字符，不含控制字符及首尾空格", max),
		fmt.Sprintf("must be 1 to %d characters without control characters or surrounding space", max)))
}

// Validate returns every violation of the venue's fields, nil when there is none.
func (v *Venue) Validate() error {
	var vs wht93.Violations
	vs = checkText(vs, "venueName", v.Name, maxVenueName, nil)
	vs = append(vs, v.checkRegion()...)
	vs = checkText(vs, "venueAddress", v.Address, maxAddress, nil)
	if !v.Type.Valid() {
		vs = append(vs, ErrVenueType.At("venueType", strconv.Itoa(int(v.Type))))
	}
	vs = checkText(vs, "managementCompany", v.Operator, maxOperator, nil)
	vs = checkText(vs, "contact", v.Contact, maxContact, realname.MaskName)
	if !phoneRE.MatchString(v.Phone) {
		vs = append(vs, ErrPhone.At("phone", realname.MaskNumber(v.Phone)))
	}
	if len(v.Halls) == 0 {
		vs = append(vs, ErrNoHall.At("hallList", "0"))
	}
	names := make(map[string]int)
	hallCodes := make(map[codes.HallCode]int)
	for i, h := range v.Halls {
		field := "hallList[" + strconv.Itoa(i) + "]"
		vs = append(vs, h.check().In(field)...)
		if !h.Code.IsZero() && h.Code.Venue() != v.Code {
			vs = append(vs, ErrHallCodeVenue.Atf(field+".hallCode", h.Code.String(),
				"场厅编码前9位应为场所编码 "+orNone(v.Code.String()),
				"the hall code's first 9 digits must be the venue code "+orNone(v.Code.String())))
		}
		if j, ok := names[h.Name]; ok && h.Name != "" {
			vs = append(vs, ErrHallDuplicate.Atf(field+".hallName", h.Name,
				"场厅名称与 hallList["+strconv.Itoa(j)+"] 重复", "hall name is the same as hallList["+strconv.Itoa(j)+"]"))
		} else {
			names[h.Name] = i
		}
		if j, ok := hallCodes[h.Code]; ok && !h.Code.IsZero() {
			vs = append(vs, ErrHallDuplicate.Atf(field+".hallCode", h.Code.String(),
				"场厅编码与 hallList["+strconv.Itoa(j)+"] 重复", "hall code is the same as hallList["+strconv.Itoa(j)+"]"))
		} else {
			hallCodes[h.Code] = i
		}
	}
	return vs.Err()
}

func orNone(s string) string {
	if s == "" {
		return "（无）/(none)"
	}
	return s
}

// checkRegion checks the province, city and district against each other and
// against the venue code. The region is the venue code's when there is one; else the
// district's, or the city's when the district is 0 (a city without districts).
func (v *Venue) checkRegion() wht93.Violations {
	ids := fmt.Sprintf("%06d/%06d/%06d", v.Province, v.City, v.District)
	var r codes.Region
	var ok bool
	switch {
	case !v.Code.IsZero():
		r = v.Code.Region()
		ok = !r.IsZero()
	case v.District != 0:
		r, ok = codes.LookupRegion(fmt.Sprintf("%06d", v.District))
	default:
		r, ok = codes.LookupRegion(fmt.Sprintf("%06d", v.City))
	}
	if !ok || v.District < 0 || v.City < 0 || v.Province < 0 {
		return wht93.Violations{ErrRegion.Atf("districtId", ids, "行政区划代码不存在", "no such region code")}
	}
	var vs wht93.Violations
	if !r.InUse() {
		// A venue code keeps the region it was issued under; a new venue takes a
		// region in use.
		w := ErrRegion.Atf("districtId", ids, "行政区划 "+r.String()+" 已停用", "region "+r.Code+" is no longer in use")
		w.Warning = !v.Code.IsZero()
		vs = append(vs, w)
	}
	p, c, d := r.PlatformIDs()
	if c == 0 { // a province-level region that is not a municipality
		return append(vs, ErrRegion.Atf("districtId", ids,
			"场所应位于地级市或区县，而非省级行政区 "+r.String(), "a venue must be in a city or district, not the province "+r.Code))
	}
	for _, f := range [...]struct {
		field     string
		got, want int
	}{{"provinceId", v.Province, p}, {"cityId", v.City, c}, {"districtId", v.District, d}} {
		if f.got != f.want {
			vs = append(vs, ErrRegion.Atf(f.field, strconv.Itoa(f.got),
				fmt.Sprintf("应为 %d（%s）", f.want, r.Path()),
				fmt.Sprintf("must be %d (%s)", f.want, r.Path())))
		}
	}
	return vs
}

// check returns the hall's own violations.
func (h Hall) check() wht93.Violations {
	var vs wht93.Violations
	vs = checkText(vs, "hallName", h.Name, maxHallName, nil)
	switch {
	case h.Seated && (h.Seats < 1 || h.Seats > maxHallSeats || h.Capacity != 0):
		vs = append(vs, ErrHallSeats.At("seatNum", strconv.Itoa(h.Seats)))
	case !h.Seated && (h.Capacity < 1 || h.Seats != 0):
		vs = append(vs, ErrHallSeats.At("seatingCapacity", strconv.Itoa(h.Capacity)))
	}
	return vs
}

// Validate returns every violation of the hall's own fields (the venue checks its
// code against the venue code).
func (h Hall) Validate() error { return h.check().Err() }

// Hall returns the hall named name.
func (v *Venue) Hall(name string) (Hall, bool) {
	for _, h := range v.Halls {
		if h.Name == name {
			return h, true
		}
	}
	return Hall{}, false
}

// CheckTemplate reports whether t is a valid template for the hall: the hall is
// seated, has the template's name and as many seats as the template.
func (h Hall) CheckTemplate(t *Template) error {
	var vs wht93.Violations
	if !h.Seated {
		vs = append(vs, ErrTemplateHall.Atf("hasSeat", "0", "无座场厅没有座位模板", "an unseated hall has no seat template"))
	}
	if t.Hall() != h.Name {
		vs = append(vs, ErrTemplateHall.Atf("hallName", t.Hall(), "座位模板属于场厅 "+t.Hall()+"，不是 "+h.Name, "the template is of hall "+t.Hall()+", not "+h.Name))
	}
	if h.Seated && t.Len() != h.Seats {
		vs = append(vs, ErrTemplateHall.Atf("seatNum", strconv.Itoa(h.Seats),
			fmt.Sprintf("场厅座位数 %d 与座位模板的 %d 个座位不符", h.Seats, t.Len()),
			fmt.Sprintf("hall seat count %d differs from the template's %d seats", h.Seats, t.Len())))
	}
	return vs.Err()
}
