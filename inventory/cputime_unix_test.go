//go:build unix

package inventory_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the process has used, for
// the benchmarks' CPU per decision; ok is false where it cannot be read.
func processCPU() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
