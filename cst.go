package wht93

import (
	"fmt"
	"time"
)

// CST is China Standard Time, UTC+8 without daylight saving time. Business days,
// reporting deadlines and the dates inside session codes are counted in it. It needs
// no time-zone database.
var CST = time.FixedZone("CST", 8*60*60)

// Date is a civil date in China Standard Time: a business day, or the date part of a
// session code. The zero Date is not a valid date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrDate is the rule that a date exists in the calendar (no 2023-02-29).
var ErrDate = NewRule("date.invalid", "日期不存在", "date does not exist")

// NewDate returns the date, or a violation at field when it does not exist in the
// proleptic Gregorian calendar (years 1 to 9999).
func NewDate(field string, year int, month time.Month, day int) (Date, error) {
	d := Date{year, month, day}
	if !d.Valid() {
		return Date{}, ErrDate.Atf(field, d.String(),
			fmt.Sprintf("日期不存在：%s", d), fmt.Sprintf("date %s does not exist", d))
	}
	return d, nil
}

// Valid reports whether the date exists.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= DaysIn(d.Year, d.Month)
}

// DaysIn returns the number of days of month in year.
func DaysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// DateOf returns the date of t in China Standard Time.
func DateOf(t time.Time) Date {
	y, m, d := t.In(CST).Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02".
func ParseDate(field, s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, CST)
	if err != nil {
		return Date{}, ErrDate.At(field, s)
	}
	return DateOf(t), nil
}

// Start returns the first instant of the day in China Standard Time.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, CST) }

// At returns the instant hour:min on the day in China Standard Time.
func (d Date) At(hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, CST)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Start().AddDate(0, 0, n)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// String formats the date as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText formats the date as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate("date", string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
