//go:build !unix

package inventory_test

import "time"

// processCPU is not available here: the benchmarks omit CPU per decision.
func processCPU() (time.Duration, bool) { return 0, false }
