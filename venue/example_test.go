package venue_test

import (
	"fmt"
	"strings"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
	"github.com/piaowu/wht93/venue"
)

func ExampleBuild() {
	tpl, err := venue.Build(venue.Spec{Hall: "大剧场", Sections: []venue.Section{{
		Floor: "一层", Area: "A区",
		Rows: []venue.RowBlock{
			// Odd numbers left of the centre line, counting outwards: 7 5 3 1.
			{From: 1, To: 2, Seats: venue.SeatRange{From: 7, To: 1, Parity: venue.OddNumbers}},
			// Even numbers right of it after an aisle, seat 4 missing: 2 _ 6.
			{From: 1, To: 2, Seats: venue.SeatRange{From: 2, To: 6, Parity: venue.EvenNumbers}, Skip: []int{4}, Gap: 1},
		},
	}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tpl.Len(), "seats in", tpl.NumRows(), "rows")
	row, _ := tpl.Row(0)
	for id := row.First; id < row.End; id++ {
		s, _ := tpl.Seat(id)
		fmt.Printf("%d %s (position %d)\n", id, s.Location, s.Pos)
	}
	// Output:
	// 12 seats in 2 rows
	// 0 一层 A区 1排 7号 (position 0)
	// 1 一层 A区 1排 5号 (position 1)
	// 2 一层 A区 1排 3号 (position 2)
	// 3 一层 A区 1排 1号 (position 3)
	// 4 一层 A区 1排 2号 (position 5)
	// 5 一层 A区 1排 6号 (position 7)
}

func ExampleReadCSV() {
	const file = `floor,area,row,number
一层,A区,1排,1号
一层,,1排,2号
一层,A区,1排,1号
`
	_, err := venue.ReadCSV(strings.NewReader(file), "小剧场")
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v)
	}
	// Output:
	// line 3.area: 座位定位元素不能为空 / seat location element must not be empty: ""
	// line 4: 座位定位与 line 2 重复 / seat location is the same as at line 2: "一层 A区 1排 1号"
}

func ExampleVenue_Validate() {
	vc, _ := codes.ParseVenueCode("110101001")
	hc, _ := codes.ParseHallCode("11010200101")
	v := venue.Venue{
		Code: vc, Name: "东城大剧院",
		Province: 110000, City: 110100, District: 110102,
		Address: "东城区示例路1号", Type: codes.VenueTheatre, Operator: "东城剧院管理有限公司",
		Halls:   []venue.Hall{{Name: "大剧场", Code: hc, Seated: true, Seats: 1200}},
		Contact: "张三丰", Phone: "1381234567",
	}
	for _, v := range wht93.ViolationsOf(v.Validate()) {
		fmt.Println(v)
	}
	// Output:
	// districtId: 应为 110101（北京市 东城区） / must be 110101 (北京市 东城区): "110102"
	// phone: 联系电话格式错误 / contact phone number is malformed: "13******67"
	// hallList[0].hallCode: 场厅编码前9位应为场所编码 110101001 / the hall code's first 9 digits must be the venue code 110101001: "11010200101"
}

func ExampleReadJSON() {
	const doc = `{
  "hall": "小剧场",
  "sections": [
    {"floor": "一层", "area": "池座", "rows": [{"from": 1, "to": 2, "seats": {"from": 1, "to": 10}, "skip": [5]}]}
  ],
  "seats": [
    {"floor": "二层", "area": "包厢", "row": "1排", "number": "1号"},
    {"floor": "二层", "area": "包厢", "row": "1排", "number": "1号"}
  ]
}`
	_, err := venue.ReadJSON(strings.NewReader(doc))
	fmt.Println(err)

	tpl, err := venue.ReadJSON(strings.NewReader(strings.Replace(doc, `"number": "1号"}
  ]`, `"number": "2号"}
  ]`, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range tpl.Areas() {
		fmt.Println(a.AreaKey, a.Len(), "seats")
	}
	// Output:
	// line 8.seats[1]: 座位定位与 line 7.seats[0] 重复 / seat location is the same as at line 7.seats[0]: "二层 包厢 1排 1号"
	// 一层 池座 18 seats
	// 二层 包厢 2 seats
}
