package venue_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/venue"
)

func mustVenueCode(t testing.TB, s string) codes.VenueCode {
	t.Helper()
	c, err := codes.ParseVenueCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustHallCode(t testing.TB, s string) codes.HallCode {
	t.Helper()
	c, err := codes.ParseHallCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// grandTheatre is a complete venue in 北京市 东城区 (110101).
func grandTheatre(t testing.TB) venue.Venue {
	return venue.Venue{
		Code:     mustVenueCode(t, "110101001"),
		Name:     "东城大剧院",
		Province: 110000, City: 110100, District: 110101,
		Address:  "东城区示例路1号",
		Type:     codes.VenueTheatre,
		Operator: "东城剧院管理有限公司",
		Halls: []venue.Hall{
			{Name: "大剧场", Code: mustHallCode(t, "11010100101"), Seated: true, Seats: 1200},
			{Name: "排练厅", Code: mustHallCode(t, "11010100102"), Seated: false, Capacity: 300},
		},
		Contact: "张三丰",
		Phone:   "13812345678",
	}
}

// E.2.1.1 场所基本信息: a) the venue holds every field; b) it is edited and submitted;
// c) the edit is one record, updated. The SDK's part is the value and its
// validation; storage is the host's.
func TestE211VenueInfo(t *testing.T) {
	v := grandTheatre(t)
	if err := v.Validate(); err != nil {
		t.Fatalf("a) complete venue refused: %v", err)
	}
	// b) edit: a new operator, phone and a renamed hall; the edited value is valid
	// and is the same venue (same code).
	edited := v
	edited.Halls = append([]venue.Hall(nil), v.Halls...)
	edited.Operator = "东城演艺集团"
	edited.Phone = "010-65123456-801"
	edited.Halls[0].Name = "歌剧厅"
	if err := edited.Validate(); err != nil {
		t.Fatalf("b) edited venue refused: %v", err)
	}
	if edited.Code != v.Code || v.Halls[0].Name != "大剧场" {
		t.Fatal("c) the edit must change the one record, not the original value")
	}
	// a) every field is required: emptying each one is reported at its field.
	for _, tt := range []struct {
		field string
		clear func(*venue.Venue)
	}{
		{"venueName", func(v *venue.Venue) { v.Name = "" }},
		{"districtId", func(v *venue.Venue) { v.Code = codes.VenueCode{}; v.District = 0; v.City = 0 }},
		{"venueAddress", func(v *venue.Venue) { v.Address = "" }},
		{"venueType", func(v *venue.Venue) { v.Type = 0 }},
		{"managementCompany", func(v *venue.Venue) { v.Operator = "" }},
		{"hallList", func(v *venue.Venue) { v.Halls = nil }},
		{"hallList[0].hallName", func(v *venue.Venue) { v.Halls[0].Name = "" }},
		{"hallList[0].seatNum", func(v *venue.Venue) { v.Halls[0].Seats = 0 }},
		{"contact", func(v *venue.Venue) { v.Contact = "" }},
		{"phone", func(v *venue.Venue) { v.Phone = "" }},
	} {
		v := grandTheatre(t)
		tt.clear(&v)
		vs := wht93.ViolationsOf(v.Validate())
		if len(vs) == 0 || vs[0].Field != tt.field {
			t.Errorf("without %s: %v", tt.field, vs)
		}
	}
}

func TestVenueViolations(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*venue.Venue)
		rule  *wht93.Rule
		field string
	}{
		{"district not the code's", func(v *venue.Venue) { v.District = 110102 }, venue.ErrRegion, "districtId"},
		{"city not the code's", func(v *venue.Venue) { v.City = 120100 }, venue.ErrRegion, "cityId"},
		{"province not the code's", func(v *venue.Venue) { v.Province = 120000 }, venue.ErrRegion, "provinceId"},
		{"unknown district, no code", func(v *venue.Venue) { v.Code = codes.VenueCode{}; v.District = 110199 }, venue.ErrRegion, "districtId"},
		{"province only, no code", func(v *venue.Venue) {
			v.Code, v.Halls[0].Code, v.Halls[1].Code = codes.VenueCode{}, codes.HallCode{}, codes.HallCode{}
			v.Province, v.City, v.District = 130000, 130000, 0
		}, venue.ErrRegion, "districtId"},
		{"abolished district, no code", func(v *venue.Venue) {
			v.Code, v.Halls[0].Code, v.Halls[1].Code = codes.VenueCode{}, codes.HallCode{}, codes.HallCode{}
			v.District = 110103 // 崇文区, merged into 东城区 in 2010
		}, venue.ErrRegion, "districtId"},
		{"venue type", func(v *venue.Venue) { v.Type = 13 }, venue.ErrVenueType, "venueType"},
		{"hall of another venue", func(v *venue.Venue) { v.Halls[1].Code = mustHallCode(t, "11010100201") }, venue.ErrHallCodeVenue, "hallList[1].hallCode"},
		{"hall code without venue code", func(v *venue.Venue) { v.Code = codes.VenueCode{} }, venue.ErrHallCodeVenue, "hallList[0].hallCode"},
		{"hall name twice", func(v *venue.Venue) { v.Halls[1].Name = "大剧场" }, venue.ErrHallDuplicate, "hallList[1].hallName"},
		{"hall code twice", func(v *venue.Venue) { v.Halls[1].Code = v.Halls[0].Code }, venue.ErrHallDuplicate, "hallList[1].hallCode"},
		{"seated with capacity", func(v *venue.Venue) { v.Halls[0].Capacity = 10 }, venue.ErrHallSeats, "hallList[0].seatNum"},
		{"unseated with seats", func(v *venue.Venue) { v.Halls[1].Seats = 10 }, venue.ErrHallSeats, "hallList[1].seatingCapacity"},
		{"name too long", func(v *venue.Venue) { v.Name = strings.Repeat("剧", 51) }, venue.ErrText, "venueName"},
		{"address control char", func(v *venue.Venue) { v.Address = "示例路\t1号" }, venue.ErrText, "venueAddress"},
		{"phone letters", func(v *venue.Venue) { v.Phone = "1381234567a" }, venue.ErrPhone, "phone"},
		{"phone short", func(v *venue.Venue) { v.Phone = "1381234567" }, venue.ErrPhone, "phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := grandTheatre(t)
			tt.edit(&v)
			err := v.Validate()
			var found bool
			for _, vi := range wht93.ViolationsOf(err) {
				if vi.Rule == tt.rule && vi.Field == tt.field && !vi.Warning {
					found = true
				}
			}
			if !found {
				t.Fatalf("want %s at %s, got %v", tt.rule.Code(), tt.field, err)
			}
		})
	}
}

func TestVenueRegions(t *testing.T) {
	// A city without districts: 广东省 东莞市 (441900) has no districtId.
	v := grandTheatre(t)
	v.Code, v.Halls[0].Code, v.Halls[1].Code = codes.VenueCode{}, codes.HallCode{}, codes.HallCode{}
	v.Province, v.City, v.District = 440000, 441900, 0
	if err := v.Validate(); err != nil {
		t.Fatalf("东莞: %v", err)
	}
	// With a venue code there, the hall codes follow it.
	v.Code = mustVenueCode(t, "441900003")
	v.Halls[0].Code = mustHallCode(t, "44190000301")
	if err := v.Validate(); err != nil {
		t.Fatalf("东莞 with codes: %v", err)
	}
	// A venue coded under a region since abolished keeps its code: a warning only.
	v = grandTheatre(t)
	v.Code = mustVenueCode(t, "110103001")
	v.Halls = []venue.Hall{{Name: "剧场", Code: mustHallCode(t, "11010300101"), Seated: true, Seats: 10}}
	v.District = 110103
	if err := v.Validate(); err != nil {
		t.Fatalf("abolished region with a code: %v", err)
	}
	v.Code, v.Halls[0].Code = codes.VenueCode{}, codes.HallCode{}
	if err := v.Validate(); !errors.Is(err, venue.ErrRegion) {
		t.Fatalf("abolished region for a new venue: %v", err)
	}
}

func TestVenuePhones(t *testing.T) {
	good := []string{"13812345678", "+8613812345678", "86 13812345678", "010-65123456", "01065123456", "0755-1234567", "010-65123456-801", "010-65123456转801", "400-123-4567", "8001234567"}
	bad := []string{"", "12812345678", "1381234567", "10-65123456", "010-651234", "400-12-34567", "13812345678 ", "abc"}
	for _, p := range good {
		v := grandTheatre(t)
		v.Phone = p
		if err := v.Validate(); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	for _, p := range bad {
		v := grandTheatre(t)
		v.Phone = p
		if err := v.Validate(); !errors.Is(err, venue.ErrPhone) {
			t.Errorf("%q accepted", p)
		}
	}
}

// Personal data (the contact's name and phone) never appears whole in an error.
func TestVenueErrorsMaskPersonalData(t *testing.T) {
	v := grandTheatre(t)
	v.Phone = "138123456789"
	v.Contact = "张三丰" + strings.Repeat("丰", 60)
	err := v.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	if msg := err.Error(); strings.Contains(msg, "138123456789") || strings.Contains(msg, "张三丰") {
		t.Fatalf("personal data in %q", msg)
	}
}

func TestHallCheckTemplate(t *testing.T) {
	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{{Floor: "一层", Area: "A区",
		Rows: []venue.RowBlock{{From: 1, To: 10, Seats: venue.SeatRange{From: 1, To: 120}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	v := grandTheatre(t)
	if err := v.Halls[0].CheckTemplate(tpl); err != nil {
		t.Fatalf("1200-seat hall: %v", err)
	}
	if err := v.Halls[1].CheckTemplate(tpl); !errors.Is(err, venue.ErrTemplateHall) {
		t.Fatalf("unseated hall with a template: %v", err)
	}
	h := v.Halls[0]
	h.Seats = 1199
	if err := h.CheckTemplate(tpl); !errors.Is(err, venue.ErrTemplateHall) {
		t.Fatalf("seat count mismatch: %v", err)
	}
	if h, ok := v.Hall("排练厅"); !ok || h.Seated {
		t.Fatalf("Hall(排练厅) = %+v, %v", h, ok)
	}
	if err := v.Halls[1].Validate(); err != nil {
		t.Fatal(err)
	}
}
