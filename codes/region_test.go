package codes

import (
	"sync"
	"testing"
)

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		code       string
		name       string
		level      RegionLevel
		status     RegionStatus
		since      int
		until      int
		repl       []string
		replYears  []int
		province   string
		prefecture string
		path       string
	}{
		{"110000", "北京市", RegionProvince, RegionInUse, 1981, 0, nil, nil, "北京市", "", "北京市"},
		{"110101", "东城区", RegionCounty, RegionInUse, 1981, 0, nil, nil, "北京市", "直辖", "北京市 东城区"},
		{"110103", "崇文区", RegionCounty, RegionAbolished, 1981, 2010, []string{"110101"}, []int{2010}, "北京市", "直辖", "北京市 崇文区"},
		{"130100", "石家庄市", RegionPrefecture, RegionInUse, 1981, 0, nil, nil, "河北省", "石家庄市", "河北省 石家庄市"},
		// In use, with part of its area given away in 2001 (the bracketed year).
		{"130102", "长安区", RegionCounty, RegionInUse, 1983, 0, []string{"130108"}, []int{2001}, "河北省", "石家庄市", "河北省 石家庄市 长安区"},
		// Abolished into two codes, one with its own year.
		{"130124", "栾城县", RegionCounty, RegionAbolished, 1986, 2014, []string{"130108", "130111"}, []int{2001, 2014}, "河北省", "石家庄市", "河北省 石家庄市 栾城县"},
		// Latest of two rows: 1992– in use (the 1981–1992 row was 东郊区).
		{"120110", "东丽区", RegionCounty, RegionInUse, 1992, 0, nil, nil, "天津市", "直辖", "天津市 东丽区"},
		// Latest of two rows is itself abolished.
		{"429001", "随州市", RegionCounty, RegionAbolished, 1994, 2000, []string{"421302"}, []int{2000}, "湖北省", "直辖", "湖北省 随州市"},
		{"810000", "香港特别行政区", RegionProvince, RegionInUse, 1997, 0, nil, nil, "香港特别行政区", "", "香港特别行政区"},
		{"710000", "台湾省", RegionProvince, RegionInUse, 1981, 0, nil, nil, "台湾省", "", "台湾省"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			r, ok := LookupRegion(tt.code)
			must(t, ok)
			eq(t, tt.code, r.Code)
			eq(t, tt.name, r.Name)
			eq(t, tt.level, r.Level)
			eq(t, tt.status, r.Status)
			eq(t, tt.since, r.Since)
			eq(t, tt.until, r.Until)
			eq(t, tt.repl, r.Replacements)
			eq(t, tt.replYears, r.ReplacementYears)
			eq(t, tt.province, r.Province)
			eq(t, tt.prefecture, r.Prefecture)
			eq(t, tt.path, r.Path())
			eq(t, tt.status == RegionInUse, r.InUse())
			eq(t, tt.code+" "+tt.path, r.String())
		})
	}
}

func TestLookupRegionUnknown(t *testing.T) {
	for _, code := range []string{
		"", "11010", "1101011", "11010a", "１１０１０１", " 110101", "110101 ",
		"000000", "999999", "110100", // 市辖区 summary code: not in GB/T 2260 history
		"440401", "830000",
	} {
		r, ok := LookupRegion(code)
		eq(t, ok, false, code)
		eq(t, r.IsZero(), true, code)
	}
}

func TestRegionHistory(t *testing.T) {
	h := RegionHistory("120110")
	must(t, len(h) == 2, "len")
	eq(t, "东丽区", h[0].Name)
	eq(t, RegionInUse, h[0].Status)
	eq(t, "东郊区", h[1].Name)
	eq(t, RegionChanged, h[1].Status)
	eq(t, 1981, h[1].Since)
	eq(t, 1992, h[1].Until)
	eq(t, []string{"120110"}, h[1].Replacements)

	// The caller owns the slice: changing it does not change the table.
	h[0].Name = "x"
	r, _ := LookupRegion("120110")
	eq(t, "东丽区", r.Name)

	eq(t, len(RegionHistory("110101")), 1)
	eq(t, RegionHistory("110100"), []Region(nil))
	eq(t, RegionHistory("abc"), []Region(nil))
}

func TestRegionsCounts(t *testing.T) {
	// The figures of gb2260/README.md.
	var codes, rows int
	inUse := map[RegionLevel]int{}
	prev := ""
	for r := range Regions {
		codes++
		rows += len(RegionHistory(r.Code))
		must(t, prev < r.Code, "code order")
		prev = r.Code
		if r.InUse() {
			inUse[r.Level]++
		}
	}
	eq(t, 6450, codes)
	eq(t, 6823, rows)
	eq(t, map[RegionLevel]int{RegionProvince: 34, RegionPrefecture: 333, RegionCounty: 2846}, inUse)

	n := 0
	for range Regions {
		n++
		if n == 3 {
			break
		}
	}
	eq(t, 3, n)
}

func TestRegionPlatformIDs(t *testing.T) {
	tests := []struct {
		code               string
		pcode, pfcode      string
		province, city, dt int
	}{
		// Appendix A, table A.11: 北京 110000, 北京市 110100, 东城区 110101.
		{"110101", "110000", "110100", 110000, 110100, 110101},
		{"110000", "110000", "110100", 110000, 110100, 0},
		{"500228", "500000", "500200", 500000, 500200, 500228},
		{"130100", "130000", "130100", 130000, 130100, 0},
		{"130102", "130000", "130100", 130000, 130100, 130102},
		{"130000", "130000", "", 130000, 0, 0},
		{"429004", "420000", "429000", 420000, 429000, 429004},
		{"441900", "440000", "441900", 440000, 441900, 0},
		{"810000", "810000", "", 810000, 0, 0},
	}
	for _, tt := range tests {
		r, ok := LookupRegion(tt.code)
		must(t, ok, tt.code)
		eq(t, tt.pcode, r.ProvinceCode(), tt.code)
		eq(t, tt.pfcode, r.PrefectureCode(), tt.code)
		p, c, d := r.PlatformIDs()
		eq(t, [3]int{tt.province, tt.city, tt.dt}, [3]int{p, c, d}, tt.code)

		// A Region built by hand (without the precomputed fields) agrees.
		h := Region{Code: r.Code, Name: r.Name, Level: r.Level, Province: r.Province, Prefecture: r.Prefecture}
		eq(t, tt.pcode, h.ProvinceCode(), tt.code)
		eq(t, tt.pfcode, h.PrefectureCode(), tt.code)
		eq(t, r.Path(), h.Path(), tt.code)
	}
	var zero Region
	eq(t, "", zero.ProvinceCode())
	eq(t, "", zero.PrefectureCode())
	eq(t, "", zero.Path())
	eq(t, "", zero.String())
	p, c, d := zero.PlatformIDs()
	eq(t, p+c+d, 0)
}

func TestRegionLevelStatusStrings(t *testing.T) {
	eq(t, "省级", RegionProvince.String())
	eq(t, "地级", RegionPrefecture.String())
	eq(t, "县级", RegionCounty.String())
	eq(t, "", RegionLevel(0).String())
	eq(t, "county", RegionCounty.En())
	eq(t, "在用", RegionInUse.String())
	eq(t, "弃用", RegionAbolished.String())
	eq(t, "变更", RegionChanged.String())
	eq(t, "", RegionStatus(0).String())
	eq(t, "abolished", RegionAbolished.En())
}

func TestLookupRegionNoAlloc(t *testing.T) {
	LookupRegion("110101") // load
	allocs := testing.AllocsPerRun(100, func() {
		r, ok := LookupRegion("110103")
		if !ok || r.Path() == "" || r.ProvinceCode() == "" || r.PrefectureCode() == "" {
			t.Fatal("lookup failed")
		}
		if _, ok := LookupRegion("999999"); ok {
			t.Fatal("found 999999")
		}
	})
	eq(t, allocs, 0.0)
}

func TestLookupRegionConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				r, ok := LookupRegion("110101")
				if !ok || r.Name != "东城区" {
					t.Error("lookup failed")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestParseRegionsRejectsMalformed(t *testing.T) {
	head := "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n"
	for _, body := range []string{
		"",
		"110000,北京市,,北京市,省级,在用,1981,\n",
		"11000x,北京市,,北京市,省级,在用,1981,,\n",
		"110000,北京市,,北京市,国级,在用,1981,,\n",
		"110000,北京市,,北京市,省级,废,1981,,\n",
		"110000,北京市,,北京市,省级,在用,198x,,\n",
		"110000,北京市,,北京市,省级,弃用,1981,,\n",
		"110000,北京市,,北京市,省级,在用,1981,2000,\n",
		"110000,北京市,,北京市,省级,弃用,1981,20x0,110101\n",
		"110000,北京市,,北京市,省级,弃用,1981,2000,11010\n",
		"110000,北京市,,北京市,省级,弃用,1981,2000,110101[20x]\n",
		"110000,北京市,,北京市,省级,弃用,1981,2000,110101[2001\n",
		"110000,北京市,,北京市,省级,在用,1981,,\n110101,北京市,直辖,东城区,县级,在用,1981,,\n110000,北京市,,北京市,省级,弃用,1970,1981,\n",
	} {
		_, err := parseRegions(head + body)
		must(t, err != nil, body)
	}
	tab, err := parseRegions("\ufeff" + head + "110000,北京市,,北京市,省级,在用,1981,,\r\n")
	noErr(t, err)
	eq(t, len(tab.rows), 1)
}
