package wht93_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/piaowu/wht93"
)

func TestParseYuan(t *testing.T) {
	good := map[string]wht93.Fen{"0": 0, "12": 1200, "12.5": 1250, "12.50": 1250, "-3.05": -305, " 7.01 ": 701, "0.99": 99}
	for in, want := range good {
		got, err := wht93.ParseYuan("price", in)
		if err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := []string{"", "-", "1.", ".5", "1.234", "1e3", "1,000", "１２", "+1", "12.5x", "99999999999999999999"}
	for _, in := range bad {
		if _, err := wht93.ParseYuan("price", in); err == nil {
			t.Errorf("ParseYuan(%q) accepted", in)
		} else if !errors.Is(err, wht93.ErrMoneyFormat) && !errors.Is(err, wht93.ErrMoneyRange) {
			t.Errorf("ParseYuan(%q): %v", in, err)
		}
	}
}

func TestFenStringRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := wht93.Fen(rapid.Int64Range(-math.MaxInt64/100+1, math.MaxInt64/100-1).Draw(t, "fen"))
		got, err := wht93.ParseYuan("x", f.String())
		if err != nil || got != f {
			t.Fatalf("%d → %q → %d, %v", f, f.String(), got, err)
		}
	})
	if s := wht93.Fen(math.MinInt64).String(); s != "-92233720368547758.08" {
		t.Fatalf("MinInt64 = %s", s)
	}
}

func TestFenArithmeticOverflow(t *testing.T) {
	if _, ok := wht93.Fen(math.MaxInt64).Add(1); ok {
		t.Fatal("Add overflow not caught")
	}
	if _, ok := wht93.Fen(math.MinInt64).Add(-1); ok {
		t.Fatal("Add underflow not caught")
	}
	if s, ok := wht93.Fen(5).Add(-7); !ok || s != -2 {
		t.Fatal("Add")
	}
	if _, ok := wht93.Fen(math.MaxInt64 / 2).Mul(3); ok {
		t.Fatal("Mul overflow not caught")
	}
	if _, ok := wht93.Fen(math.MinInt64).Mul(-1); ok {
		t.Fatal("Mul MinInt64×-1 not caught")
	}
	if p, ok := wht93.Yuan(128).Mul(3); !ok || p != 38400 {
		t.Fatal("Mul")
	}
	if wht93.Fen(-1).CheckNonNegative("price") == nil || wht93.Fen(0).CheckNonNegative("price") != nil {
		t.Fatal("CheckNonNegative")
	}
}

func TestFenJSONIsInteger(t *testing.T) {
	b, _ := json.Marshal(struct {
		P wht93.Fen `json:"ticketPrice"`
	}{12850})
	if string(b) != `{"ticketPrice":12850}` {
		t.Fatalf("%s", b)
	}
}

func ExampleParseYuan() {
	price, err := wht93.ParseYuan("ticketPrice", "280.5")
	fmt.Println(int64(price), price, err)
	_, err = wht93.ParseYuan("ticketPrice", "280.555")
	fmt.Println(err)
	// Output:
	// 28050 280.50 <nil>
	// ticketPrice: 金额格式应为元，最多两位小数 / amount must be yuan with at most two decimals: "280.555"
}
