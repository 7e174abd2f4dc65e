package codes

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// areacodesCSV is the GB/T 2260 history table: see gb2260/README.md for its source
// (yescallop/areacodes, CC0 1.0) and its columns.
//
//go:embed gb2260/areacodes.csv
var areacodesCSV string

// RegionLevel is the level of an administrative division in GB/T 2260.
type RegionLevel uint8

// The levels of GB/T 2260. The zero RegionLevel is no level (the zero [Region]).
const (
	RegionProvince   RegionLevel = iota + 1 // 省级: province, autonomous region, municipality, SAR
	RegionPrefecture                        // 地级: prefecture-level city, prefecture, league
	RegionCounty                            // 县级: district, county, county-level city, banner
)

// String returns the level in Chinese as the dataset writes it: 省级, 地级 or 县级.
func (l RegionLevel) String() string {
	switch l {
	case RegionProvince:
		return "省级"
	case RegionPrefecture:
		return "地级"
	case RegionCounty:
		return "县级"
	}
	return ""
}

// En returns the level in English: province, prefecture or county.
func (l RegionLevel) En() string {
	switch l {
	case RegionProvince:
		return "province"
	case RegionPrefecture:
		return "prefecture"
	case RegionCounty:
		return "county"
	}
	return ""
}

// RegionStatus says whether a row of the GB/T 2260 history is still current.
type RegionStatus uint8

// The statuses of a GB/T 2260 row. The zero RegionStatus is no status (the zero
// [Region]).
const (
	RegionInUse     RegionStatus = iota + 1 // 在用: the code is in use today with this name
	RegionAbolished                         // 弃用: the code is no longer used
	RegionChanged                           // 变更: the code or the area it names changed
)

// String returns the status in Chinese as the dataset writes it: 在用, 弃用 or 变更.
func (s RegionStatus) String() string {
	switch s {
	case RegionInUse:
		return "在用"
	case RegionAbolished:
		return "弃用"
	case RegionChanged:
		return "变更"
	}
	return ""
}

// En returns the status in English: in use, abolished or changed.
func (s RegionStatus) En() string {
	switch s {
	case RegionInUse:
		return "in use"
	case RegionAbolished:
		return "abolished"
	case RegionChanged:
		return "changed"
	}
	return ""
}

// Region is one row of the GB/T 2260 history: a 6-digit administrative division
// code with its name, level and years of use. A code that was renamed or re-used has
// several rows; [LookupRegion] returns the latest, [RegionHistory] all of them.
//
// A Region is a plain value and safe for concurrent use. Its slices share memory
// with the package's table: read them, never modify them.
type Region struct {
	Code   string // 6 digits
	Name   string // 名称, e.g. 东城区
	Level  RegionLevel
	Status RegionStatus
	// Since is the first year of the row; Until the year it stopped (exclusive),
	// 0 while in use.
	Since, Until int
	// Replacements are the codes that took over the area (all of it for an
	// abolished or changed row; the parts given away for a row in use).
	Replacements []string
	// ReplacementYears holds, for each of Replacements, the year of that change:
	// Until unless the dataset names another year, 0 when it names none.
	ReplacementYears []int
	// Province is the province-level name, e.g. 北京市.
	Province string
	// Prefecture is the prefecture-level name as the dataset writes it: the
	// prefecture that held a county when the row began, "直辖" for a county directly
	// under its province or municipality, the region's own name for a
	// prefecture-level row, "" for a province-level row.
	Prefecture string

	path   string // "北京市 东城区", precomputed at load
	pcode  string // province code, precomputed at load
	pfcode string // prefecture (city) code, precomputed at load
}

// InUse reports whether the row is the code's current use (status 在用).
func (r Region) InUse() bool { return r.Status == RegionInUse }

// IsZero reports whether r is the zero Region (no region).
func (r Region) IsZero() bool { return r.Code == "" }

// Path returns the chain of names from the province down to the region, separated
// by a space: "北京市 东城区", "河北省 石家庄市 长安区", "河北省 石家庄市",
// "北京市". A "直辖" prefecture is left out. It does not allocate for a Region
// returned by the lookup functions.
func (r Region) Path() string {
	if r.path != "" || r.Code == "" {
		return r.path
	}
	return regionPath(r)
}

func regionPath(r Region) string {
	switch {
	case r.Level == RegionProvince || r.Province == "":
		return r.Name
	case r.Level == RegionPrefecture, r.Prefecture == "", r.Prefecture == "直辖", r.Prefecture == r.Name:
		return r.Province + " " + r.Name
	}
	return r.Province + " " + r.Prefecture + " " + r.Name
}

// String returns the code and the path of names: "110101 北京市 东城区".
func (r Region) String() string {
	if r.Code == "" {
		return ""
	}
	return r.Code + " " + r.Path()
}

// municipality reports whether a province code prefix is one of the four
// municipalities directly under the central government (直辖市).
func municipality(code string) bool {
	switch code[:2] {
	case "11", "12", "31", "50":
		return true
	}
	return false
}

// ProvinceCode returns the code of the region's province in the platform's form:
// "110000" for any region of Beijing. It is "" for the zero Region.
func (r Region) ProvinceCode() string {
	if r.pcode != "" || len(r.Code) != 6 {
		return r.pcode
	}
	return r.Code[:2] + "0000"
}

// PrefectureCode returns the code of the region's prefecture-level city in the
// platform's form (Appendix A's cityId): the first four digits followed by "00".
// A prefecture-level region is its own prefecture. A municipality's city id is
// xx0100: "110100" for Beijing itself and for each of its districts, as the
// platform's example (北京市 110100) has it. A county directly under a province
// (湖北 仙桃市 429004) gets the province's group code (429000). It is "" for a
// province-level region other than a municipality, and for the zero Region.
func (r Region) PrefectureCode() string {
	if r.pfcode != "" || len(r.Code) != 6 {
		return r.pfcode
	}
	return prefectureCode(r)
}

func prefectureCode(r Region) string {
	switch r.Level {
	case RegionProvince:
		if municipality(r.Code) {
			return r.Code[:2] + "0100"
		}
		return ""
	case RegionPrefecture:
		return r.Code
	}
	return r.Code[:4] + "00"
}

// PlatformIDs returns the region as Appendix A's provinceId, cityId and districtId
// (110000, 110100, 110101 for 东城区). An id that does not apply is 0: a
// prefecture-level region has no districtId, a province-level region other than a
// municipality has neither cityId nor districtId.
func (r Region) PlatformIDs() (province, city, district int) {
	n, ok := code6(r.Code)
	if !ok {
		return 0, 0, 0
	}
	province = int(n / 10000 * 10000)
	switch r.Level {
	case RegionProvince:
		if municipality(r.Code) {
			city = province + 100
		}
	case RegionPrefecture:
		city = int(n)
	default:
		city = int(n / 100 * 100)
		district = int(n)
	}
	return province, city, district
}

// code6 converts a 6-digit ASCII code to its number.
func code6(s string) (uint32, bool) {
	if len(s) != 6 {
		return 0, false
	}
	var n uint32
	for i := 0; i < 6; i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint32(c)
	}
	return n, true
}

// regionTable is the parsed dataset. It is built once and never changed.
type regionTable struct {
	rows  []Region              // grouped by code, latest row first within a code
	index map[uint32]uint32     // code → start<<8 | number of rows
	known *[1000000 / 64]uint64 // bit n set when code n is in the dataset: a faster "is known"
}

// has reports whether code n (< 1000000) is in the dataset.
func (t *regionTable) has(n uint32) bool { return t.known[n/64]&(1<<(n%64)) != 0 }

// regions parses the embedded dataset on first use.
var regions = sync.OnceValue(func() *regionTable {
	t, err := parseRegions(areacodesCSV)
	if err != nil {
		// The data is embedded and checked by the tests: this is a build defect,
		// not bad input.
		panic("codes: embedded gb2260/areacodes.csv: " + err.Error())
	}
	return t
})

// parseRegions parses the CSV of gb2260/README.md (no quoted fields).
func parseRegions(data string) (*regionTable, error) {
	data = strings.TrimPrefix(data, "\ufeff")
	lines := strings.Split(strings.TrimRight(data, "\r\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("no rows")
	}
	t := &regionTable{rows: make([]Region, 0, len(lines)-1), index: make(map[uint32]uint32, len(lines)),
		known: new([1000000 / 64]uint64)}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		s = strings.Clone(s)
		intern[s] = s
		return s
	}
	for i, line := range lines[1:] {
		line = strings.TrimSuffix(line, "\r")
		f := strings.Split(line, ",")
		if len(f) != 9 {
			return nil, fmt.Errorf("line %d: %d fields, want 9", i+2, len(f))
		}
		r := Region{Code: f[0], Province: in(f[1]), Prefecture: in(f[2]), Name: f[3]}
		n, ok := code6(r.Code)
		if !ok {
			return nil, fmt.Errorf("line %d: code %q", i+2, r.Code)
		}
		switch f[4] {
		case "省级":
			r.Level = RegionProvince
		case "地级":
			r.Level = RegionPrefecture
		case "县级":
			r.Level = RegionCounty
		default:
			return nil, fmt.Errorf("line %d: level %q", i+2, f[4])
		}
		switch f[5] {
		case "在用":
			r.Status = RegionInUse
		case "弃用":
			r.Status = RegionAbolished
		case "变更":
			r.Status = RegionChanged
		default:
			return nil, fmt.Errorf("line %d: status %q", i+2, f[5])
		}
		var err error
		if r.Since, err = strconv.Atoi(f[6]); err != nil {
			return nil, fmt.Errorf("line %d: first year %q", i+2, f[6])
		}
		if f[7] != "" {
			if r.Until, err = strconv.Atoi(f[7]); err != nil {
				return nil, fmt.Errorf("line %d: last year %q", i+2, f[7])
			}
		}
		if (r.Until == 0) != (r.Status == RegionInUse) {
			return nil, fmt.Errorf("line %d: status %s with end year %q", i+2, f[5], f[7])
		}
		if f[8] != "" {
			for _, rep := range strings.Split(f[8], ";") {
				year := r.Until
				if c, y, ok := strings.Cut(rep, "["); ok {
					ys, ok := strings.CutSuffix(y, "]")
					if year, err = strconv.Atoi(ys); !ok || err != nil {
						return nil, fmt.Errorf("line %d: replacement %q", i+2, rep)
					}
					rep = c
				}
				if _, ok := code6(rep); !ok {
					return nil, fmt.Errorf("line %d: replacement %q", i+2, rep)
				}
				r.Replacements = append(r.Replacements, rep)
				r.ReplacementYears = append(r.ReplacementYears, year)
			}
			r.Replacements = slices.Clip(r.Replacements)
			r.ReplacementYears = slices.Clip(r.ReplacementYears)
		}
		r.path = in(regionPath(r))
		r.pcode = in(r.Code[:2] + "0000")
		if pf := prefectureCode(r); pf != "" {
			r.pfcode = in(pf)
		}
		if v, ok := t.index[n]; ok {
			start, count := v>>8, v&0xff
			if int(start+count) != len(t.rows) || count == 0xff {
				return nil, fmt.Errorf("line %d: rows of code %s are not together", i+2, r.Code)
			}
			t.index[n] = v + 1
		} else {
			t.index[n] = uint32(len(t.rows))<<8 | 1
			t.known[n/64] |= 1 << (n % 64)
		}
		t.rows = append(t.rows, r)
	}
	// Latest row first within each code (the dataset's order; made sure here).
	for _, v := range t.index {
		rs := t.rows[v>>8 : v>>8+v&0xff]
		slices.SortStableFunc(rs, func(a, b Region) int { return b.Since - a.Since })
	}
	return t, nil
}

// LookupRegion returns the latest row of a 6-digit GB/T 2260 code (ASCII digits, no
// normalisation), whether the code is in use today or abolished: any code the
// dataset has ever held (1981–2024) is found. Check [Region.InUse] for current
// use. It reports false for a code the dataset has never held, such as the summary
// codes 110100 (市辖区) and 440401.
//
// The dataset is parsed on the first call of any region function; later lookups
// do not allocate. LookupRegion is safe for concurrent use.
func LookupRegion(code string) (Region, bool) {
	n, ok := code6(code)
	if !ok {
		return Region{}, false
	}
	t := regions()
	v, ok := t.index[n]
	if !ok {
		return Region{}, false
	}
	return t.rows[v>>8], true
}

// RegionHistory returns every row of a code, latest first (the first is what
// [LookupRegion] returns), or nil for a code the dataset has never held. The slice
// is the caller's; the Regions' own slices are shared and read-only.
func RegionHistory(code string) []Region {
	n, ok := code6(code)
	if !ok {
		return nil
	}
	t := regions()
	v, ok := t.index[n]
	if !ok {
		return nil
	}
	return slices.Clone(t.rows[v>>8 : v>>8+v&0xff])
}

// Regions calls yield for the latest row of every code of the dataset, in code
// order, until yield returns false. For all rows, combine it with [RegionHistory].
func Regions(yield func(Region) bool) {
	t := regions()
	for i := 0; i < len(t.rows); i++ {
		if i > 0 && t.rows[i].Code == t.rows[i-1].Code {
			continue
		}
		if !yield(t.rows[i]) {
			return
		}
	}
}
