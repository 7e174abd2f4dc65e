// Package cputime reads the CPU time of the process, for the benchmarks that
// report CPU per operation beside their rates: on a shared machine the CPU
// time an operation costs varies less than the operations a second.
package cputime

import "time"

// Process returns the CPU time (user and system, all threads) the process has
// used so far; ok is false where the platform does not tell.
func Process() (d time.Duration, ok bool) { return process() }
