package platformsim

import "github.com/piaowu/wht93/client"

// StandardTypes returns the performance type list of Appendix D as
// /standard/performance/type/list answers it: level-1 art categories with
// two-digit ids (10 戏剧类…60 其他类), level-2 types with four-digit ids whose
// parent is their category. Types undefined inside the first four categories
// are coded 00 (1000 = drama, other); 综艺类 and 其他类 have no subdivision (5000,
// 6000).
func StandardTypes() []client.PerformanceType {
	cats := []struct {
		id    int
		name  string
		types []string
	}{
		{10, "戏剧类", []string{"其他戏剧", "话剧", "儿童剧", "音乐剧", "歌剧", "戏曲"}},
		{20, "音乐类", []string{"其他音乐", "音乐会", "音乐节", "演唱会"}},
		{30, "舞蹈类", []string{"其他舞蹈", "舞蹈", "舞剧"}},
		{40, "曲杂类", []string{"其他曲杂", "相声", "鼓曲", "评书", "二人转", "杂技", "其他曲种"}},
		{50, "综艺类", []string{"综艺"}},
		{60, "其他类", []string{"其他"}},
	}
	var out []client.PerformanceType
	for _, c := range cats {
		out = append(out, client.PerformanceType{TypeID: c.id, TypeName: c.name, Level: 1})
		for i, name := range c.types {
			out = append(out, client.PerformanceType{TypeID: c.id*100 + i, TypeName: name,
				ParentTypeID: client.NullInt{Int: c.id, Valid: true}, Level: 2})
		}
	}
	return out
}

// VenueSeed is a venue of the simulator's standard list before codes are
// assigned: the simulator numbers venues within their district (Appendix B:
// region 6 + sequence 3) and halls within their venue (+ sequence 2).
type VenueSeed struct {
	DistrictID        int64
	Name, Address     string
	Type              string
	ManagementCompany string
	Halls             []HallSeed
}

// HallSeed is a hall of a [VenueSeed]. Seats > 0 makes it seated; otherwise
// Capacity is its standing capacity.
type HallSeed struct {
	Name             string
	Seats, Capacity  int
	ManagementStatus int // 0 means 1 (operating)
	Disabled         bool
}

// StandardVenues returns the simulator's standard venue list: sample venues in
// real GB/T 2260 districts (codes in use in 2024), with seated and unseated
// halls, one hall under renovation and one disabled. The venues are samples for
// tests, not the platform's real list.
func StandardVenues() []VenueSeed {
	return []VenueSeed{
		{110101, "东城示范剧场", "北京市东城区示范路1号", "剧院", "东城演艺有限公司", []HallSeed{
			{Name: "大剧场", Seats: 1200}, {Name: "小剧场", Seats: 300}, {Name: "多功能厅", Capacity: 500}}},
		{110102, "西城音乐厅", "北京市西城区音乐街8号", "剧院", "西城文化发展有限公司", []HallSeed{
			{Name: "音乐厅", Seats: 1600}, {Name: "室内乐厅", Seats: 420, ManagementStatus: 2}}},
		{110105, "朝阳体育馆", "北京市朝阳区体育路66号", "体育场馆", "朝阳体育场馆运营有限公司", []HallSeed{
			{Name: "主馆", Seats: 18000}, {Name: "草坪广场", Capacity: 30000}}},
		{110108, "海淀礼堂", "北京市海淀区学院路12号", "礼堂", "海淀礼堂管理中心", []HallSeed{
			{Name: "礼堂", Seats: 900}}},
		{310101, "黄浦大剧院", "上海市黄浦区人民大道300号", "剧院", "黄浦剧院管理有限公司", []HallSeed{
			{Name: "大剧场", Seats: 1800}, {Name: "中剧场", Seats: 600}, {Name: "小剧场", Seats: 220, Disabled: true}}},
		{310115, "浦东文化广场", "上海市浦东新区世纪大道1号", "广场", "浦东文化广场运营有限公司", []HallSeed{
			{Name: "露天广场", Capacity: 20000}}},
		{440106, "天河演艺中心", "广东省广州市天河区珠江新城18号", "剧院", "天河演艺中心有限公司", []HallSeed{
			{Name: "歌剧厅", Seats: 1800}, {Name: "实验剧场", Capacity: 400}}},
		{440305, "南山体育中心", "广东省深圳市南山区滨海大道3001号", "体育场馆", "南山体育中心运营有限公司", []HallSeed{
			{Name: "体育场", Seats: 80000}, {Name: "体育馆", Seats: 13000}}},
		{510104, "锦江会堂", "四川省成都市锦江区红星路2号", "会堂", "锦江会堂管理处", []HallSeed{
			{Name: "会堂", Seats: 1500}}},
		{330106, "西湖剧院", "浙江省杭州市西湖区曙光路1号", "剧院", "西湖剧院有限公司", []HallSeed{
			{Name: "主剧场", Seats: 1100}, {Name: "湖畔剧场", Seats: 350, ManagementStatus: 3}}},
	}
}
