package client

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/piaowu/wht93"
)

// Endpoint paths of Appendix A, section A.3.
const (
	PathAccessToken       = "/getAccessToken"                 // A.3.1, POST
	PathPerformanceTypes  = "/standard/performance/type/list" // A.3.2.1, GET
	PathVenueList         = "/standard/venue/list"            // A.3.2.2, POST, paged
	PathVenueSave         = "/standard/venue/save"            // A.3.2.3, POST
	PathSessionCode       = "/performance/code"               // A.3.3.1, POST
	PathPerformanceUpdate = "/report/performance/update"      // A.3.3.2, POST
	PathSessionUpdate     = "/report/session/update"          // A.3.3.3, POST
	PathInventory         = "/report/inventory"               // A.3.3.4, POST
	PathTicket            = "/report/ticket"                  // A.3.3.5, POST
	PathOrder             = "/report/order"                   // A.3.3.6, POST
	PathRefundOrder       = "/report/refundOrder"             // A.3.3.7, POST
	PathChecking          = "/report/checking"                // A.3.3.8, POST
)

// Paths returns the twelve endpoints in the order of A.3.
func Paths() []string {
	return []string{PathAccessToken, PathPerformanceTypes, PathVenueList, PathVenueSave,
		PathSessionCode, PathPerformanceUpdate, PathSessionUpdate, PathInventory, PathTicket,
		PathOrder, PathRefundOrder, PathChecking}
}

// Values of the byte fields of Appendix A.
const (
	Unseated = 0 // hasSeat: 无座
	Seated   = 1 // hasSeat: 有座

	NoHall  = 0 // hasHall: 无场厅
	HasHall = 1 // hasHall: 有场厅

	TagProduction = 0 // tag: 正式
	TagTest       = 1 // tag: 测试

	SessionNormal    = 1 // sessionStatus: 正常
	SessionCancelled = 2 // sessionStatus: 取消

	Sellable    = 1 // availableSale: 可售
	NotSellable = 2 // availableSale: 不可售

	ChannelOwn          = 1 // channelType: 自销
	ChannelDistribution = 2 // channelType: 分销

	TicketNormal        = 1 // ticketType: 正常票
	TicketStaff         = 2 // ticketType: 工作票
	TicketComplimentary = 3 // ticketType: 赠票

	ModePaper      = 1 // ticketMode: 纸制票
	ModeElectronic = 2 // ticketMode: 电子票

	AuthNotRealName = 1 // authMode: 非实名
	AuthPerOrder    = 2 // authMode: 一单一证
	AuthPerTicket   = 3 // authMode: 一票一证

	CheckQR      = 1 // checkingType: 二维码电子票
	CheckIDCard  = 2 // checkingType: 身份证
	CheckPaper   = 3 // checkingType: 纸质票
	CheckedReal  = 1 // authType: 实名
	CheckedAnon  = 2 // authType: 非实名
	StatusOpen   = 1 // managementStatus: 经营中
	StatusRenov  = 2 // managementStatus: 装修中
	StatusClosed = 3 // managementStatus: 已停运
	Disabled     = 0 // enableState: 禁用
	Enabled      = 1 // enableState: 启用
)

// Int returns a pointer to v, for the optional byte fields such as tag.
func Int(v int) *int { return &v }

// AccessTokenRequest is the body of /getAccessToken (table A.4).
type AccessTokenRequest struct {
	AppID  string `json:"appId"`
	Secret string `json:"secret"`
}

// Validate checks the request against table A.4.
func (r *AccessTokenRequest) Validate(Format) wht93.Violations {
	var c checker
	c.str("appId", r.AppID, 32, true)
	if r.Secret == "" {
		c.vs = append(c.vs, ErrRequired.At("secret", ""))
	} else if len([]rune(r.Secret)) > 100 {
		c.vs = append(c.vs, ErrTooLong.Atf("secret", "***", "超过 100 个字符", "more than 100 characters"))
	}
	return c.vs
}

// AccessTokenResponse is the data of /getAccessToken (table A.5).
type AccessTokenResponse struct {
	AccessToken string `json:"accessToken"`
	// ExpiresIn is the lifetime in seconds; 3600 when the platform sends none.
	ExpiresIn int `json:"expiresIn"`
}

// NullInt is an int that the platform may leave empty: it decodes from a number, a
// string of digits, "" or null (Valid false), and marshals null when not Valid.
type NullInt struct {
	Int   int
	Valid bool
}

// MarshalJSON writes the number, or null.
func (n NullInt) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return []byte(strconv.Itoa(n.Int)), nil
}

// UnmarshalJSON reads a number, a string of digits, "" or null.
func (n *NullInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" || string(b) == `""` {
		*n = NullInt{}
		return nil
	}
	b, err := unquote(b)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return err
	}
	*n = NullInt{Int: v, Valid: true}
	return nil
}

// unquote returns the text of b when b is a JSON string, and b itself otherwise:
// the platform may send a number or a JSON text quoted as a string.
func unquote(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != '"' {
		return b, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// PerformanceType is one entry of /standard/performance/type/list (table A.8).
type PerformanceType struct {
	TypeID   int    `json:"typeId"`
	TypeName string `json:"typeName"`
	// ParentTypeID is empty for level 1 types.
	ParentTypeID NullInt `json:"parentTypeId"`
	Level        int     `json:"level"`
}

// VenueListRequest is the body of /standard/venue/list (table A.10). The client
// fills AccessToken.
type VenueListRequest struct {
	AccessToken string `json:"accessToken"`
	ProvinceID  int64  `json:"provinceId,omitempty"`
	CityID      int64  `json:"cityId,omitempty"`
	DistrictID  int64  `json:"districtId,omitempty"`
	PageNo      int    `json:"pageNo"`
	PageSize    int    `json:"pageSize"`
	VenueName   string `json:"venueName,omitempty"`
}

// Validate checks the request against table A.10.
func (r *VenueListRequest) Validate(Format) wht93.Violations {
	var c checker
	c.region("provinceId", r.ProvinceID, false)
	c.region("cityId", r.CityID, false)
	c.region("districtId", r.DistrictID, false)
	c.min("pageNo", int64(r.PageNo), 1)
	c.min("pageSize", int64(r.PageSize), 1)
	if r.PageSize > MaxPageSize {
		c.vs = append(c.vs, ErrRange.Atf("pageSize", strconv.Itoa(r.PageSize), "每页最多 200 条", "at most 200 per page"))
	}
	c.str("venueName", r.VenueName, 50, false)
	return c.vs
}

// Hall is one entry of a venue's hallList (table A.11).
type Hall struct {
	HallName         string `json:"hallName"`
	HallCode         string `json:"hallCode"`
	HasSeat          int    `json:"hasSeat"`
	SeatNum          int    `json:"seatNum,omitempty"`
	SeatingCapacity  int    `json:"seatingCapacity,omitempty"`
	ManagementStatus int    `json:"managementStatus"`
	EnableState      int    `json:"enableState"`
}

// HallList is a venue's halls. The table types it "JSON text": it decodes from a
// JSON array or from a string holding one, and marshals as an array.
type HallList []Hall

// UnmarshalJSON reads an array, a string holding an array, "" or null.
func (h *HallList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == `""` {
		*h = nil
		return nil
	}
	b, err := unquote(b)
	if err != nil {
		return err
	}
	var list []Hall
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*h = list
	return nil
}

// Venue is one entry of /standard/venue/list (table A.11).
type Venue struct {
	VenueCode         string   `json:"venueCode"`
	VenueName         string   `json:"venueName"`
	HallNum           int      `json:"hallNum"`
	ProvinceID        int64    `json:"provinceId"`
	CityID            int64    `json:"cityId"`
	DistrictID        int64    `json:"districtId"`
	VenueAddress      string   `json:"venueAddress"`
	VenueType         string   `json:"venueType"`
	ManagementCompany string   `json:"managementCompany"`
	HallList          HallList `json:"hallList"`
}

// VenueSaveRequest is the body of /standard/venue/save (table A.13).
type VenueSaveRequest struct {
	AccessToken string `json:"accessToken"`
	// VenueCode empty creates a new venue; then the region ids, the name and the
	// address are required.
	VenueCode       string `json:"venueCode,omitempty"`
	ProvinceID      int64  `json:"provinceId,omitempty"`
	CityID          int64  `json:"cityId,omitempty"`
	DistrictID      int64  `json:"districtId,omitempty"`
	VenueName       string `json:"venueName,omitempty"`
	VenueAddress    string `json:"venueAddress,omitempty"`
	HasHall         int    `json:"hasHall"`
	HallName        string `json:"hallName,omitempty"`
	HasSeat         int    `json:"hasSeat"`
	SeatNum         int    `json:"seatNum,omitempty"`
	SeatingCapacity int    `json:"seatingCapacity,omitempty"`
}

// Validate checks the request against table A.13 and its conditions.
func (r *VenueSaveRequest) Validate(Format) wht93.Violations {
	var c checker
	creating := r.VenueCode == ""
	c.code("venueCode", r.VenueCode, false, "venue")
	c.region("provinceId", r.ProvinceID, creating)
	c.region("cityId", r.CityID, creating)
	c.region("districtId", r.DistrictID, creating)
	c.str("venueName", r.VenueName, 50, creating)
	c.str("venueAddress", r.VenueAddress, 200, creating)
	c.enum("hasHall", r.HasHall, NoHall, HasHall)
	c.str("hallName", r.HallName, 50, r.HasHall == HasHall)
	c.enum("hasSeat", r.HasSeat, Unseated, Seated)
	seatMin, capMin := int64(0), int64(0)
	switch r.HasSeat {
	case Seated:
		seatMin = 1 // 有座时必传
	case Unseated:
		capMin = 1 // 无座时必传
	}
	c.min("seatNum", int64(r.SeatNum), seatMin)
	c.min("seatingCapacity", int64(r.SeatingCapacity), capMin)
	return c.vs
}

// VenueSaveResponse is the data of /standard/venue/save (table A.14).
type VenueSaveResponse struct {
	VenueCode string `json:"venueCode"`
	// HallCode is empty when the request named no hall.
	HallCode string `json:"hallCode,omitempty"`
}
