package wht93_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/piaowu/wht93"
)

func TestDateValidity(t *testing.T) {
	cases := []struct {
		y    int
		m    time.Month
		d    int
		want bool
	}{
		{2024, 2, 29, true}, {2023, 2, 29, false}, {1900, 2, 29, false}, {2000, 2, 29, true},
		{2024, 4, 31, false}, {2024, 12, 31, true}, {2024, 13, 1, false}, {2024, 0, 1, false},
		{2024, 1, 0, false}, {0, 1, 1, false}, {10000, 1, 1, false},
	}
	for _, c := range cases {
		_, err := wht93.NewDate("date", c.y, c.m, c.d)
		if (err == nil) != c.want {
			t.Errorf("%d-%d-%d: err %v, want valid=%v", c.y, c.m, c.d, err, c.want)
		}
		if err != nil && !errors.Is(err, wht93.ErrDate) {
			t.Errorf("wrong rule: %v", err)
		}
	}
}

func TestDateOfUsesChinaStandardTime(t *testing.T) {
	// 2024-05-26 16:30 UTC is 2024-05-27 00:30 in Beijing.
	got := wht93.DateOf(time.Date(2024, 5, 26, 16, 30, 0, 0, time.UTC))
	if got.String() != "2024-05-27" {
		t.Fatalf("got %s", got)
	}
	if got.Start().UTC() != time.Date(2024, 5, 26, 16, 0, 0, 0, time.UTC) {
		t.Fatalf("start %v", got.Start().UTC())
	}
	if got.AddDays(5).String() != "2024-06-01" || !got.Before(got.AddDays(1)) || got.Before(got) {
		t.Fatal("AddDays / Before")
	}
}

func TestDateText(t *testing.T) {
	var d wht93.Date
	if err := d.UnmarshalText([]byte("2024-02-29")); err != nil || d.String() != "2024-02-29" {
		t.Fatal(d, err)
	}
	if err := d.UnmarshalText([]byte("2023-02-29")); err == nil {
		t.Fatal("impossible date accepted")
	}
}

func ExampleDate_At() {
	day := wht93.Date{Year: 2024, Month: time.May, Day: 27}
	// Appendix A: a day's data is due by 12:00 the next day, China Standard Time.
	fmt.Println(day.AddDays(1).At(12, 0).UTC())
	// Output: 2024-05-28 04:00:00 +0000 UTC
}
