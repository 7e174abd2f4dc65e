package wht93_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/piaowu/wht93"
)

var (
	errLen   = wht93.NewRule("test.length", "长度应为21位", "must be 21 digits")
	errDigit = wht93.NewRule("test.digit", "应为数字", "must be digits")
)

func TestViolationFormat(t *testing.T) {
	v := errLen.At("sessionCode", "1101010010120240")
	want := `sessionCode: 长度应为21位 / must be 21 digits: "1101010010120240"`
	if v.Error() != want {
		t.Fatalf("got %q, want %q", v.Error(), want)
	}
	if v.Code() != "test.length" {
		t.Fatalf("code %q", v.Code())
	}
	if !errors.Is(v, errLen) || errors.Is(v, errDigit) {
		t.Fatal("errors.Is does not follow the rule")
	}
}

func TestViolationsCarryEveryOne(t *testing.T) {
	vs := wht93.Violations{errLen.At("a", "1"), errDigit.At("b", "x")}
	err := fmt.Errorf("saving: %w", vs.Err())
	if !errors.Is(err, errLen) || !errors.Is(err, errDigit) {
		t.Fatal("errors.Is must find every violation")
	}
	var v *wht93.Violation
	if !errors.As(err, &v) || v.Field != "a" {
		t.Fatalf("errors.As found %+v", v)
	}
	got := wht93.ViolationsOf(err)
	if len(got) != 2 || got[1].Field != "b" {
		t.Fatalf("ViolationsOf = %v", got)
	}
	if wht93.ViolationsOf(errors.New("plain")) != nil {
		t.Fatal("a plain error holds no violations")
	}
	if !vs.Has(errDigit) {
		t.Fatal("Has")
	}
}

func TestViolationsErrIgnoresWarnings(t *testing.T) {
	var vs wht93.Violations
	if vs.Err() != nil {
		t.Fatal("empty is not an error")
	}
	w := errLen.At("a", "1")
	w.Warning = true
	vs = append(vs, w)
	if vs.Err() != nil {
		t.Fatal("warnings alone are not an error")
	}
	if len(vs.Warnings()) != 1 || len(vs.Errors()) != 0 {
		t.Fatal("split")
	}
	vs = append(vs, errDigit.At("b", "x"))
	if vs.Err() == nil || len(vs.Errors()) != 1 {
		t.Fatal("an error-level violation makes it an error")
	}
}

func TestViolationsIn(t *testing.T) {
	vs := wht93.Violations{errLen.At("seatRow", "x"), errLen.At("", "y"), errLen.At("[2]", "z")}
	got := vs.In("ticketList[3]")
	want := []string{"ticketList[3].seatRow", "ticketList[3]", "ticketList[3][2]"}
	for i, v := range got {
		if v.Field != want[i] {
			t.Errorf("%d: %q, want %q", i, v.Field, want[i])
		}
	}
	if vs[0].Field != "seatRow" {
		t.Fatal("In must not change the original")
	}
}

func ExampleViolations() {
	errLength := wht93.NewRule("example.length", "场次编码应为21位数字", "must be 21 digits")
	var vs wht93.Violations
	vs = append(vs, errLength.At("sessionCode", "1101010010120240"))
	err := vs.Err()
	fmt.Println(err)
	fmt.Println(errors.Is(err, errLength))
	// Output:
	// sessionCode: 场次编码应为21位数字 / must be 21 digits: "1101010010120240"
	// true
}
