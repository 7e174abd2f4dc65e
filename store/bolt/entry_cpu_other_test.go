//go:build !unix

package bolt

import "time"

func entProcessCPU() (time.Duration, bool) { return 0, false }
