package realname

import (
	"errors"
	"slices"
	"testing"
)

func mustDoc(t testing.TB, ty DocType, n string) Document {
	t.Helper()
	d, err := Validate(ty, n, testToday)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseMode(t *testing.T) {
	for v, want := range map[int]Mode{1: ModeNone, 2: ModePerOrder, 3: ModePerTicket} {
		m, err := ParseMode(v)
		if err != nil || m != want || int(m) != v {
			t.Errorf("ParseMode(%d) = %v, %v", v, m, err)
		}
	}
	for _, v := range []int{0, 4, -1, 256, 258} {
		if _, err := ParseMode(v); !errors.Is(err, ErrMode) {
			t.Errorf("ParseMode(%d): %v", v, err)
		}
	}
	if ModeNone.RealName() || !ModePerOrder.RealName() || !ModePerTicket.RealName() {
		t.Error("RealName")
	}
	if ModeNone.AuthType() != 2 || ModePerOrder.AuthType() != 1 || ModePerTicket.AuthType() != 1 {
		t.Error("AuthType")
	}
	if ModePerOrder.Zh() != "一单一证" || ModePerTicket.Zh() != "一票一证" || ModeNone.String() != "none" {
		t.Error("names")
	}
}

func TestCheckOrder(t *testing.T) {
	a := mustDoc(t, TypeResidentID, acceptanceID)
	a15 := mustDoc(t, TypeResidentID, "110101900307803") // the same person, legacy form
	b := mustDoc(t, TypeResidentID, "11010519491231002X")
	p := mustDoc(t, TypePassport, "E12345678")
	var none Document
	type want struct {
		code  string
		field string
	}
	for _, tc := range []struct {
		name    string
		mode    Mode
		order   Document
		tickets []Document
		want    []want
	}{
		{"none, no documents", ModeNone, none, []Document{none, none}, nil},
		{"none, documents allowed", ModeNone, a, []Document{b, b}, nil},
		{"per order, one document", ModePerOrder, a, []Document{none, none, none}, nil},
		{"per order, tickets repeat it", ModePerOrder, a, []Document{a, a15, none}, nil},
		{"per order, no document", ModePerOrder, none, []Document{none}, []want{{"realname.document_required", "document"}}},
		{"per order, a second document", ModePerOrder, a, []Document{a, b, p},
			[]want{{"realname.one_document_per_order", "tickets[1].document"}, {"realname.one_document_per_order", "tickets[2].document"}}},
		{"per ticket, distinct", ModePerTicket, none, []Document{a, b, p}, nil},
		{"per ticket, buyer also holder", ModePerTicket, a, []Document{a, b}, nil},
		{"per ticket, missing", ModePerTicket, a, []Document{a, none},
			[]want{{"realname.document_required", "tickets[1].document"}}},
		{"per ticket, repeated", ModePerTicket, none, []Document{a, b, a15, b},
			[]want{{"realname.duplicate_document", "tickets[2].document"}, {"realname.duplicate_document", "tickets[3].document"}}},
		{"per ticket, no tickets", ModePerTicket, none, nil, nil},
		{"invalid mode", Mode(0), a, []Document{a}, []want{{"realname.mode", "authMode"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := tc.mode.CheckOrder(tc.order, tc.tickets)
			var got []want
			for _, v := range vs {
				got = append(got, want{v.Code(), v.Field})
				if v.Value == acceptanceID || v.Value == "11010519491231002X" {
					t.Errorf("unmasked value %q", v.Value)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v (%v)", got, tc.want, vs)
			}
			if (vs.Err() == nil) != (tc.want == nil) {
				t.Fatal("Err disagrees")
			}
		})
	}
}

func TestCheckTransfer(t *testing.T) {
	a := mustDoc(t, TypeResidentID, acceptanceID)
	b := mustDoc(t, TypeHKMacaoPermit, "H12345678")
	var none Document
	for _, tc := range []struct {
		mode     Mode
		from, to Document
		rule     error
	}{
		{ModeNone, a, none, nil},
		{ModePerOrder, a, b, nil},
		{ModePerTicket, a, b, nil},
		{ModePerTicket, a, none, ErrDocumentRequired},
		{ModePerOrder, a, a, ErrTransferSameHolder},
		{Mode(9), a, b, ErrMode},
	} {
		vs := tc.mode.CheckTransfer(tc.from, tc.to)
		if tc.rule == nil && vs != nil || tc.rule != nil && !errors.Is(vs, tc.rule) {
			t.Errorf("%v %v→%v: %v, want %v", tc.mode, tc.from, tc.to, vs, tc.rule)
		}
	}
}
