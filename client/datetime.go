package client

import (
	"fmt"
	"time"

	"github.com/piaowu/wht93"
)

// DefaultDateTimeLayout is the layout of Appendix A DateTime fields unless the
// configuration says otherwise. The standard gives no format; the project's decision
// (spec/appendix-a.md) is "yyyy-MM-dd HH:mm:ss" in China Standard Time.
const DefaultDateTimeLayout = "2006-01-02 15:04:05"

// DateTime is the text of an Appendix A DateTime field exactly as it goes on the
// wire. It is a string so that the wire carries nothing but what the caller, or the
// request builder, wrote: build it from an instant with [Format.DateTime] (or
// [Client.DateTime], which uses the client's configured layout and zone), and read
// it back with [Format.Parse]. The layout therefore reaches marshalling through the
// value itself, without any package-level setting.
type DateTime string

// Format is a DateTime layout and zone. The zero Format means the default layout in
// China Standard Time. A Format is an immutable value, safe for concurrent use.
type Format struct {
	// Layout is a Go time layout; empty means DefaultDateTimeLayout.
	Layout string
	// Location is the zone the platform expects; nil means wht93.CST (UTC+8).
	Location *time.Location
}

// DefaultFormat returns the default DateTime format: "2006-01-02 15:04:05" in UTC+8.
func DefaultFormat() Format { return Format{Layout: DefaultDateTimeLayout, Location: wht93.CST} }

func (f Format) layout() string {
	if f.Layout == "" {
		return DefaultDateTimeLayout
	}
	return f.Layout
}

func (f Format) location() *time.Location {
	if f.Location == nil {
		return wht93.CST
	}
	return f.Location
}

// DateTime writes t in the format's layout and zone.
func (f Format) DateTime(t time.Time) DateTime {
	return DateTime(t.In(f.location()).Format(f.layout()))
}

// Parse reads a DateTime written in the format's layout and zone. It fails on
// anything else, including a value that parses but does not format back to the same
// text (so "2024-02-30 10:00:00" is refused rather than normalised).
func (f Format) Parse(d DateTime) (time.Time, error) {
	t, err := time.ParseInLocation(f.layout(), string(d), f.location())
	if err != nil {
		return time.Time{}, err
	}
	if t.Format(f.layout()) != string(d) {
		return time.Time{}, fmt.Errorf("%q is not in the layout %q", d, f.layout())
	}
	return t, nil
}

// check returns a violation at field when d is empty or not in the format.
func (f Format) check(vs *wht93.Violations, field string, d DateTime) {
	if d == "" {
		*vs = append(*vs, ErrRequired.At(field, ""))
		return
	}
	if _, err := f.Parse(d); err != nil {
		*vs = append(*vs, ErrDateTime.Atf(field, string(d),
			fmt.Sprintf("时间格式应为 %s", f.layout()),
			fmt.Sprintf("DateTime must be in the layout %s", f.layout())))
	}
}
