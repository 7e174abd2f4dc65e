package codes_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

func ExampleParseSessionCode() {
	sc, err := codes.ParseSessionCode("110101001012024052701")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hall:", sc.Hall())
	fmt.Println("region:", sc.Region().Path())
	fmt.Println("date:", sc.Date())
	fmt.Println("session:", sc.Number())
	for _, p := range sc.Parts() {
		fmt.Printf("%s %s = %s\n", p.Label, p.Value, p.Text)
	}

	// Every violation is reported, each naming its rule.
	_, err = codes.ParseSessionCode("110101001012023022900")
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v.Code(), "—", v.En)
	}
	fmt.Println(errors.Is(err, codes.ErrSessionDate))
	// Output:
	// hall: 11010100101
	// region: 北京市 东城区
	// date: 2024-05-27
	// session: 1
	// 行政区划 110101 = 北京市 东城区
	// 演出场所编码 110101001 = 110101001
	// 演出场所序号 001 = 001
	// 演出场厅编码 11010100101 = 11010100101
	// 场厅序号 01 = 01
	// 演出日期 20240527 = 2024-05-27
	// 当日场次 01 = 01
	// codes.session.date — session date 2023-02-29 does not exist (digits 12–19)
	// codes.session.number — session number of the day (digits 20–21) is 00; it counts from 01
	// true
}

func ExampleCheckVenueCode() {
	// 崇文区 (110103) was merged into 东城区 in 2010: a venue code keeps its region,
	// so the code is valid and the change is a warning.
	vc, vs := codes.CheckVenueCode("１１０１０３００２")
	fmt.Println(vc, vs.Err() == nil)
	for _, v := range vs {
		fmt.Println(v.Warning, v.Zh)
	}
	// Output:
	// 110103002 true
	// true 行政区划代码110103（北京市 崇文区）已于2010年弃用，新代码110101
}

func ExampleLookupRegion() {
	r, ok := codes.LookupRegion("110101")
	fmt.Println(ok, r.Name, r.Level, r.Status, r.Province)
	fmt.Println(r.ProvinceCode(), r.PrefectureCode())
	fmt.Println(r.PlatformIDs())

	old, _ := codes.LookupRegion("110103")
	fmt.Println(old.Name, old.InUse(), old.Since, old.Until, old.Replacements)

	for _, h := range codes.RegionHistory("120110") {
		fmt.Println(h.Name, h.Status, h.Since, h.Until)
	}
	// Output:
	// true 东城区 县级 在用 北京市
	// 110000 110100
	// 110000 110100 110101
	// 崇文区 false 1981 2010 [110101]
	// 东丽区 在用 1992 0
	// 东郊区 变更 1981 1992
}

func ExampleParseTypeCode() {
	for _, s := range []string{"1001", "1000", "5000", "1006"} {
		c, err := codes.ParseTypeCode(s)
		if err != nil {
			fmt.Println(wht93.ViolationsOf(err)[0].En)
			continue
		}
		fmt.Println(c, c.Name(), c.NameEn(), "category", c.CategoryID())
	}
	// Output:
	// 1001 话剧 Spoken drama category 10
	// 1000 戏剧类 Drama category 10
	// 5000 综艺类 Variety category 50
	// performance type code 1006 is not in Appendix D: Drama has no type 06; a type it does not define is 1000
}

func ExamplePerformanceTypes() {
	for _, t := range codes.PerformanceTypes()[:3] {
		fmt.Println(t.ID, t.Name, t.ParentID, t.Level)
	}
	// Output:
	// 10 戏剧类 0 1
	// 1001 话剧 10 2
	// 1002 儿童剧 10 2
}

func ExampleSeatTicketCode() {
	sc, _ := codes.ParseSessionCode("110101001012024052701")

	seat, _ := codes.SeatTicketCode(sc, codes.Seat{Floor: 1, Area: 2, Row: 12, Number: 7})
	fmt.Println(seat)

	// The same seat sold again after a refund gets a new code.
	again, _ := codes.SeatTicketCode(sc, codes.Seat{Floor: 1, Area: 2, Row: 12, Number: 7, Issue: 1})
	fmt.Println(again)

	seq, _ := codes.SequenceTicketCode(sc, 42)
	fmt.Println(seq)
	// Output:
	// 110101001012024052701S01002012000700
	// 110101001012024052701S01002012000701
	// 110101001012024052701N00000042
}

func ExampleRandomTicketCode() {
	sc, _ := codes.ParseSessionCode("110101001012024052701")
	// In production: codes.RandomTicketCode(sc, rand.Reader) with crypto/rand.
	// A fixed reader makes the example repeatable.
	tc, err := codes.RandomTicketCode(sc, strings.NewReader("0123456789abcdefg"))
	fmt.Println(tc, len(tc.String()), err)
	// Output:
	// 110101001012024052701R60RK4CSM6MV3EE1SC5H66S35CS 48 <nil>
}

func ExampleCheck() {
	for _, line := range []string{"11010100101", "１００１", "110101001012024052701N00000042", "12345"} {
		c, vs := codes.Check(line)
		if err := vs.Err(); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Print(c.Kind(), " ", c, ":")
		for _, p := range c.AppendParts(nil) {
			fmt.Print(" ", p.Key, "=", p.Text)
		}
		fmt.Println()
	}
	// Output:
	// hall code 11010100101: region=北京市 东城区 venue=110101001 venueSequence=001 hallSequence=01
	// performance type code 1001: category=戏剧类 type=话剧
	// ticket code 110101001012024052701N00000042: session=110101001012024052701 ticketId=N00000042 sequence=42 region=北京市 东城区 venue=110101001 venueSequence=001 hall=11010100101 hallSequence=01 date=2024-05-27 number=01
	// code: 无法识别的编码：长度5不符合任何编码（行政区划6位、场所9位、场厅11位、场次21位、演出票22–50字节、演出类型4位） / not a code of any kind: length 5 fits none (region 6, venue 9, hall 11, session 21, ticket 22–50 bytes, performance type 4): "12345"
}

func ExampleParseVenueType() {
	for _, s := range []string{"剧场", "影剧院", "LiveHouse", "广场"} {
		t, _ := codes.ParseVenueType(s)
		fmt.Println(int(t), t, t.NameEn())
	}
	// Output:
	// 1 剧场 Theatre
	// 6 文化宫、影剧院 Cultural palace or cinema-theatre
	// 9 酒吧、LIVEHOUSE Bar or live house
	// 12 其他 Other
}
