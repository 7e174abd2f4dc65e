package realname

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDocTypeNames(t *testing.T) {
	want := []string{"resident-id", "passport", "hk-macao-permit", "taiwan-permit", "military-id",
		"taiwan-residence-permit", "hksar-passport", "macao-sar-passport", "hk-macao-residence-permit",
		"foreign-permanent-resident"}
	types := DocTypes()
	if len(types) != len(want) {
		t.Fatalf("%d types", len(types))
	}
	for i, ty := range types {
		if ty.String() != want[i] || ty.Zh() == "" || ty.En() == "" || !ty.Valid() {
			t.Errorf("type %d: %q %q %q", i, ty, ty.Zh(), ty.En())
		}
		for _, name := range []string{ty.String(), ty.Zh(), " " + ty.String() + " "} {
			if got, err := ParseDocType(name); err != nil || got != ty {
				t.Errorf("ParseDocType(%q) = %v, %v", name, got, err)
			}
		}
	}
	for name, ty := range map[string]DocType{"身份证": TypeResidentID, "回乡证": TypeHKMacaoPermit,
		"台胞证": TypeTaiwanPermit, "永居证": TypeForeignPermanentResident, "RESIDENT-ID": TypeResidentID,
		"士兵证": TypeMilitaryID, "军官证": TypeMilitaryID} {
		if got, err := ParseDocType(name); err != nil || got != ty {
			t.Errorf("ParseDocType(%q) = %v, %v", name, got, err)
		}
	}
	for _, bad := range []string{"", "id", "resident", "驾驶证"} {
		if _, err := ParseDocType(bad); !errors.Is(err, ErrDocType) {
			t.Errorf("ParseDocType(%q): %v", bad, err)
		}
	}
	if DocType(0).Valid() || DocType(11).Valid() || DocType(0).String() != "" {
		t.Error("invalid types")
	}
}

func TestDocTypeJSON(t *testing.T) {
	b, err := json.Marshal(struct{ T DocType }{TypeHKSARPassport})
	if err != nil || string(b) != `{"T":"hksar-passport"}` {
		t.Fatalf("%s %v", b, err)
	}
	var v struct{ T DocType }
	if err := json.Unmarshal([]byte(`{"T":"护照"}`), &v); err != nil || v.T != TypePassport {
		t.Fatalf("%v %v", v.T, err)
	}
	if err := json.Unmarshal([]byte(`{"T":"x"}`), &v); !errors.Is(err, ErrDocType) {
		t.Fatalf("%v", err)
	}
	if _, err := json.Marshal(DocType(0)); err == nil {
		t.Fatal("zero type marshalled")
	}
}
