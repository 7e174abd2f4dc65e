package realname_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/piaowu/wht93"
	"github.com/piaowu/wht93/realname"
)

// today is fixed so that the examples' output does not change; production code
// passes wht93.DateOf(time.Now()).
var today = wht93.Date{Year: 2026, Month: time.January, Day: 15}

func ExampleValidate() {
	d, err := realname.Validate(realname.TypeResidentID, "１１０１０１１９９００３０７８０３ｘ", today)
	if err != nil {
		fmt.Println(err)
		return
	}
	birth, _ := d.Birth()
	region, _ := d.Region()
	fmt.Println(d) // masked
	fmt.Println(birth, d.Sex(), region.Path(), string(d.CheckDigit()))
	// Output:
	// resident-id 110101**********3X
	// 1990-03-07 male 北京市 东城区 X
}

func ExampleValidate_violations() {
	// An impossible date and a wrong check digit: both reported, number masked.
	_, err := realname.Validate(realname.TypeResidentID, "110101199002300015", today)
	for _, v := range wht93.ViolationsOf(err) {
		fmt.Println(v.Code(), v.Value)
	}
	fmt.Println(errors.Is(err, realname.ErrCheckDigit))
	// Output:
	// realname.birth_date 110101**********15
	// realname.check_digit 110101**********15
	// true
}

func ExampleValidate_warning() {
	// 110199 is in no edition of GB/T 2260, but Beijing (11) is: a soft finding.
	d, err := realname.Validate(realname.TypeResidentID, "110199199001010010", today)
	fmt.Println(err == nil, d.Warnings()[0].Code())
	// Output: true realname.address_unlisted
}

func ExampleUpgradeResidentID() {
	n, err := realname.UpgradeResidentID("110101900307803", today)
	fmt.Println(n, err)
	// Output: 11010119900307803X <nil>
}

func ExampleCandidates() {
	fmt.Println(realname.Candidates("H12345678", today))
	fmt.Println(realname.Candidates("810000199408230021", today))
	// Output:
	// [hk-macao-permit hksar-passport passport military-id]
	// [hk-macao-residence-permit military-id]
}

func ExampleParseDocType() {
	t, _ := realname.ParseDocType("台胞证")
	fmt.Println(t, t.Zh())
	// Output: taiwan-permit 台湾居民来往大陆通行证
}

func ExampleMaskName() {
	fmt.Println(realname.MaskName("张三丰"), realname.MaskName("欧阳娜娜"), realname.MaskName("John Smith"))
	// Output: 张** 欧阳** J*** S****
}

func ExampleMaskNumber() {
	fmt.Println(realname.MaskNumber("11010119900307803X"), realname.MaskNumber("E12345678"))
	// Output: 110101**********3X E1*****78
}

func ExampleHolder() {
	d, _ := realname.Validate(realname.TypePassport, "e12345678", today)
	h, _ := realname.NewHolder("李四", d)
	fmt.Println(h)
	fmt.Printf("%+v\n", h)
	// Output:
	// 李* passport E1*****78
	// 李* passport E1*****78
}

func ExampleKeyring() {
	// Keys come from the host's secret store; nonces from crypto/rand.
	keys := map[string][]byte{"2026-01": bytes.Repeat([]byte{1}, 32)}
	k, err := realname.NewKeyring(rand.Reader, "2026-01", keys)
	if err != nil {
		panic(err)
	}
	ct, _ := k.Encrypt([]byte("11010119900307803X"), "buyer.idNumber", "order-42")
	id, _ := realname.CiphertextKeyID(ct)
	pt, err := k.Decrypt(ct, "buyer.idNumber", "order-42")
	fmt.Println(id, string(pt), err)
	// The ciphertext is bound to its field and record.
	_, err = k.Decrypt(ct, "buyer.idNumber", "order-43")
	fmt.Println(errors.Is(err, realname.ErrDecrypt))
	// Output:
	// 2026-01 11010119900307803X <nil>
	// true
}

func ExampleBlindIndexer_Index() {
	// The key comes from the host, separate from the encryption keys.
	ix, err := realname.NewBlindIndexer(bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		panic(err)
	}
	a, _ := realname.Validate(realname.TypeResidentID, "11010119900307803X", today)
	b, _ := realname.Validate(realname.TypeResidentID, "１１０１０１１９９００３０７８０３ｘ", today)
	c, _ := realname.Validate(realname.TypeResidentID, "110101900307803", today)
	fmt.Println(ix.Index(a) == ix.Index(b), ix.Index(a) == ix.Index(c))
	// Output: true true
}

func ExampleMode_CheckOrder() {
	a, _ := realname.Validate(realname.TypeResidentID, "11010119900307803X", today)
	b, _ := realname.Validate(realname.TypeResidentID, "11010519491231002X", today)
	mode, _ := realname.ParseMode(3) // Appendix A authMode 3: 一票一证
	fmt.Println(mode.Zh(), mode.CheckOrder(realname.Document{}, []realname.Document{a, b}) == nil)
	for _, v := range mode.CheckOrder(realname.Document{}, []realname.Document{a, a}) {
		fmt.Println(v.Field, v.Code())
	}
	// Output:
	// 一票一证 true
	// tickets[1].document realname.duplicate_document
}
