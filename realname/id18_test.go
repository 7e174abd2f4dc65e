package realname

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/codes"
)

const acceptanceID = "11010119900307803X"

func TestAcceptanceVector(t *testing.T) {
	d, err := ParseResidentID(acceptanceID, testToday)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := d.Birth()
	r, rok := d.Region()
	if !ok || b != (wht93.Date{Year: 1990, Month: time.March, Day: 7}) || d.Sex() != SexMale ||
		d.CheckDigit() != 'X' || !rok || r.Code != "110101" || r.Name != "东城区" || d.Form() != FormID18 {
		t.Fatalf("parsed %v: birth %v sex %v check %c region %v form %v", d, b, d.Sex(), d.CheckDigit(), r, d.Form())
	}
	if d.Number() != acceptanceID || len(d.Warnings()) != 0 {
		t.Fatalf("number %q warnings %v", d.Number(), d.Warnings())
	}
}

// Changing any one character of the acceptance vector, at any position, to any
// other printable ASCII character makes it invalid, with a reason.
func TestAcceptanceVectorEverySingleChange(t *testing.T) {
	checked := 0
	for i := 0; i < len(acceptanceID); i++ {
		for c := byte(0x21); c < 0x7f; c++ {
			m := acceptanceID[:i] + string(c) + acceptanceID[i+1:]
			if Normalize(m) == acceptanceID { // x for X: the same number
				continue
			}
			checked++
			_, err := ParseResidentID(m, testToday)
			if err == nil {
				t.Fatalf("position %d changed to %q: %s accepted", i+1, c, m)
			}
			vs := wht93.ViolationsOf(err).Errors()
			if len(vs) == 0 || vs[0].Zh == "" || vs[0].En == "" {
				t.Fatalf("position %d changed to %q: no reason: %v", i+1, c, err)
			}
			// A digit changed to another digit (or X at the end) is caught by the
			// check digit whatever else it breaks.
			digitLike := c >= '0' && c <= '9' || (i == 17 && c == 'X')
			if digitLike && !vs.Has(ErrCheckDigit) {
				t.Fatalf("position %d changed to %q: check digit not reported: %v", i+1, c, err)
			}
		}
	}
	if checked != 18*93-1 { // x at the end normalises to X
		t.Fatalf("checked %d changes", checked)
	}
}

func TestCheckDigit(t *testing.T) {
	for _, tc := range []struct {
		body string
		want byte
		ok   bool
	}{
		{"11010519491231002", 'X', true},
		{"11010119900307803", 'X', true},
		{"81000019940823002", '1', true},
		{"91139819901231002", '1', true},
		{"1101011990030780", 0, false},
		{"1101011990030780A", 0, false},
	} {
		got, ok := CheckDigit(tc.body)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CheckDigit(%q) = %q, %v; want %q, %v", tc.body, got, ok, tc.want, tc.ok)
		}
	}
}

// addresses are codes the generators draw from: in use, abolished, summary and
// prefecture-level.
var addresses = []string{"110101", "110105", "110103", "310104", "440305", "440401", "441900", "650102", "540102", "710000"}

// genID draws a valid 18-digit resident ID number.
func genID(t *rapid.T) string {
	addr := rapid.SampledFrom(addresses).Draw(t, "address")
	days := rapid.IntRange(0, int(testToday.Start().Sub(earliestBirth.Start()).Hours()/24)).Draw(t, "days")
	b := earliestBirth.AddDays(days)
	seq := rapid.IntRange(0, 999).Draw(t, "seq")
	body := fmt.Sprintf("%s%04d%02d%02d%03d", addr, b.Year, int(b.Month), b.Day, seq)
	c, _ := CheckDigit(body)
	return body + string(c)
}

// Every valid generated number validates, with the fields it encodes.
func TestPropertyValidIDs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := genID(t)
		d, err := ParseResidentID(n, testToday)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		b, _ := d.Birth()
		if got := fmt.Sprintf("%04d%02d%02d", b.Year, int(b.Month), b.Day); got != n[6:14] {
			t.Fatalf("birth %v for %s", b, n)
		}
		if (n[16]-'0')%2 == 1 != (d.Sex() == SexMale) {
			t.Fatalf("sex %v for %s", d.Sex(), n)
		}
		if r, ok := d.Region(); !ok || r.Code != n[:6] {
			t.Fatalf("region %v for %s", r, n)
		}
	})
}

// The MOD 11-2 property: every single-character change of a valid 18-digit number
// is caught.
func TestPropertySingleChangeCaught(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := genID(t)
		i := rapid.IntRange(0, 17).Draw(t, "position")
		alphabet := "0123456789"
		if i == 17 {
			alphabet += "X"
		}
		c := rapid.SampledFrom([]byte(alphabet)).Filter(func(c byte) bool { return c != n[i] }).Draw(t, "char")
		m := n[:i] + string(c) + n[i+1:]
		_, err := ParseResidentID(m, testToday)
		if !errors.Is(err, ErrCheckDigit) {
			t.Fatalf("%s → %s: check digit not caught: %v", n, m, err)
		}
	})
}

// Transposing two different adjacent digits is caught too (ISO 7064 MOD 11-2
// detects all single transpositions).
func TestPropertyTranspositionCaught(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := genID(t)
		i := rapid.IntRange(0, 15).Draw(t, "position")
		if n[i] == n[i+1] {
			t.Skip("equal digits")
		}
		m := n[:i] + string(n[i+1]) + string(n[i]) + n[i+2:]
		if _, err := ParseResidentID(m, testToday); !errors.Is(err, ErrCheckDigit) {
			t.Fatalf("%s → %s: transposition not caught: %v", n, m, err)
		}
	})
}

func TestSummaryCodes(t *testing.T) {
	for _, tc := range []struct{ addr, name, prefecture string }{
		{"440401", "市辖区", "珠海市"},
		{"440402", "", ""}, // in the data: 香洲区
		{"130211", "郊区", "唐山市"},
		{"130120", "市区", "石家庄市"},
	} {
		if _, ok := codes.LookupRegion(tc.addr); ok != (tc.name == "") {
			t.Fatalf("%s: data has it = %v; fix the test", tc.addr, ok)
		}
		body := tc.addr + "19900101001"
		c, _ := CheckDigit(body)
		d, err := ParseResidentID(body+string(c), testToday)
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		r, ok := d.Region()
		if !ok || r.Code != tc.addr || (tc.name != "" && (r.Name != tc.name || r.Prefecture != tc.prefecture || r.Level != codes.RegionCounty)) {
			t.Fatalf("%s: region %+v", tc.addr, r)
		}
	}
	// A summary code of a prefecture that does not exist is only a soft finding
	// when its province exists.
	body := "119901" + "19900101001"
	c, _ := CheckDigit(body)
	_, err := ParseResidentID(body+string(c), testToday)
	if err != nil {
		t.Fatalf("province 11 exists: want a warning only, got %v", err)
	}
	d, _ := ParseResidentID(body+string(c), testToday)
	if !d.Warnings().Has(ErrAddressUnlisted) {
		t.Fatalf("no warning for 119901: %v", d.Warnings())
	}
}

func TestLegacyUpgrade(t *testing.T) {
	got, err := UpgradeResidentID("110101900307803", testToday)
	if err != nil || got != acceptanceID {
		t.Fatalf("UpgradeResidentID = %q, %v", got, err)
	}
	if got, err := UpgradeResidentID(acceptanceID, testToday); err != nil || got != acceptanceID {
		t.Fatalf("18-digit number: %q, %v", got, err)
	}
	if _, err := UpgradeResidentID("110101900230803", testToday); !errors.Is(err, ErrBirthDate) {
		t.Fatalf("impossible date: %v", err)
	}
	d15, _ := ParseResidentID("110101900307803", testToday)
	d18, _ := ParseResidentID(acceptanceID, testToday)
	if !d15.Equal(d18) || d15.Form() != FormID15 {
		t.Fatalf("15-digit %v (form %v) != 18-digit %v", d15, d15.Form(), d18)
	}
}

func TestValidateEveryViolationAtOnce(t *testing.T) {
	// Bad address, impossible date and bad check digit together.
	_, err := ParseResidentID("200101199002300011", testToday)
	got := codesOf(wht93.ViolationsOf(err))
	want := []string{"realname.address", "realname.birth_date", "realname.check_digit"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("violations %v, want %v", got, want)
	}
	for _, v := range wht93.ViolationsOf(err) {
		if v.Field != "number" || v.Value != "200101**********11" {
			t.Fatalf("violation %q at %q", v.Value, v.Field)
		}
	}
}

func TestBirthFutureIsRelativeToToday(t *testing.T) {
	n := "110101202601160015"
	c, _ := CheckDigit(n[:17])
	n = n[:17] + string(c)
	if _, err := ParseResidentID(n, testToday); !errors.Is(err, ErrBirthFuture) {
		t.Fatalf("born tomorrow: %v", err)
	}
	if _, err := ParseResidentID(n, testToday.AddDays(1)); err != nil {
		t.Fatalf("born today: %v", err)
	}
	if _, err := ParseResidentID(acceptanceID, wht93.Date{}); !errors.Is(err, ErrBirthFuture) {
		t.Fatalf("zero today must reject every birth date: %v", err)
	}
}

func TestValidateUnknownType(t *testing.T) {
	for _, ty := range []DocType{0, 11, 255} {
		if _, err := Validate(ty, acceptanceID, testToday); !errors.Is(err, ErrDocType) {
			t.Fatalf("type %d: %v", ty, err)
		}
	}
}

func TestCandidates(t *testing.T) {
	for _, tc := range []struct {
		number string
		want   []DocType
	}{
		{acceptanceID, []DocType{TypeResidentID, TypeMilitaryID}},
		{"810000199408230021", []DocType{TypeHKMacaoResidencePermit, TypeMilitaryID}},
		{"911398199012310021", []DocType{TypeForeignPermanentResident, TypeMilitaryID}},
		{"KAZ110090123105", []DocType{TypeForeignPermanentResident, TypePassport, TypeMilitaryID}},
		{"H12345678", []DocType{TypeHKMacaoPermit, TypeHKSARPassport, TypePassport, TypeMilitaryID}},
		{"E12345678", []DocType{TypePassport, TypeMilitaryID}},
		{"12345678", []DocType{TypeTaiwanPermit, TypePassport, TypeMilitaryID}},
		{"MA1234567", []DocType{TypeMacaoSARPassport, TypePassport, TypeMilitaryID}},
		{"南字第1234567号", []DocType{TypeMilitaryID}},
		{"110101199003078031", []DocType{TypeMilitaryID}},
		{"!!", nil},
	} {
		got := Candidates(tc.number, testToday)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Candidates(%q) = %v, want %v", tc.number, got, tc.want)
		}
	}
}

func TestValidateDoesNotAllocate(t *testing.T) {
	if _, err := ParseResidentID(acceptanceID, testToday); err != nil { // loads the region data
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(200, func() {
		d, _ := ParseResidentID(acceptanceID, testToday)
		_, _ = d.Region()
	})
	if n != 0 {
		t.Fatalf("%v allocations per validation", n)
	}
}
