package cputime_test

import (
	"runtime"
	"testing"

	"github.com/piaowu/wht93/internal/cputime"
)

// TestProcessGrows burns some CPU and checks that the reading grows.
func TestProcessGrows(t *testing.T) {
	before, ok := cputime.Process()
	if !ok {
		t.Skip("no CPU time on " + runtime.GOOS)
	}
	x := 0
	for i := range 50_000_000 {
		x += i % 7
	}
	after, _ := cputime.Process()
	if after <= before {
		t.Fatalf("CPU time did not grow over a busy loop: %v then %v (%d)", before, after, x)
	}
}
