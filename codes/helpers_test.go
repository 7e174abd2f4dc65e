package codes

import (
	"fmt"
	"reflect"
	"testing"
)

// eq fails the test when got and want are not deeply equal.
func eq[T any](t testing.TB, got, want T, context ...any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%sgot  %#v\nwant %#v", ctx(context), got, want)
	}
}

// must fails the test now when ok is false.
func must(t testing.TB, ok bool, context ...any) {
	t.Helper()
	if !ok {
		t.Fatalf("%scondition failed", ctx(context))
	}
}

// noErr fails the test now when err is not nil.
func noErr(t testing.TB, err error, context ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%sunexpected error: %v", ctx(context), err)
	}
}

func ctx(context []any) string {
	if len(context) == 0 {
		return ""
	}
	return fmt.Sprint(context...) + ": "
}
