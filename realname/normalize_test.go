package realname

import (
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"11010119900307803X", "11010119900307803X"},
		{"11010119900307803x", "11010119900307803X"},
		{"１１０１０１１９９００３０７８０３ｘ", "11010119900307803X"},
		{"１１０１０１１９９００３０７８０３Ｘ", "11010119900307803X"},
		{"  11010119900307803X\t\n", "11010119900307803X"},
		{"\u300011010119900307803X\u3000", "11010119900307803X"},
		{"\ufeff11010119900307803X", "11010119900307803X"},
		{"e12345678", "E12345678"},
		{"１２３４５６７８（ｂ）", "12345678(B)"},
		{"1101 0119", "1101 0119"},      // inner space kept, for validation to report
		{"1101\u30000119", "1101 0119"}, // ideographic space folded, kept
		{"南字第１２３号", "南字第123号"},          // Chinese characters kept
		{"", ""},
		{"   ", ""},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeNoAllocWhenNormal(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Normalize(acceptanceID) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func TestMaskNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"11010119900307803X", "110101**********3X"},
		{"110101900307803", "110101*******03"},
		{"KAZ110090123105", "KAZ110*******05"},
		{"E12345678", "E1*****78"},
		{"H1234567801", "H1*******01"},
		{"12345678", "12****78"},
		{"AB1234", "A****4"},
		{"1234", "1**4"},
		{"123", "***"},
		{"", ""},
		{"南字第1234567号", "南字*******7号"},
	} {
		got := MaskNumber(tc.in)
		if got != tc.want {
			t.Errorf("MaskNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tc.in) {
			t.Errorf("MaskNumber(%q) changes the length", tc.in)
		}
	}
}

func TestMaskName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧阳**"},
		{"司马光", "司马*"},
		{"司马", "司*"}, // two characters: family name 司, given name 马
		{"爱新觉罗溥仪", "爱新觉罗**"},
		{"诸葛亮", "诸葛*"},
		{"买买提·艾力", "买**·**"},
		{"John Smith", "J*** S****"},
		{"SMITH/JOHN", "S****/J***"},
		{"O'Brien", "O'B****"},
		{"张", "张"},
		{"  李四  ", "李*"},
		{"", ""},
	} {
		if got := MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
