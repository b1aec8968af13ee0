package main

import (
	"math"
	"os"
	"runtime/debug"
)

// defaultMemoryLimitMB is serve's soft memory limit: an event of 20,000
// organizations holds about 1.1 GB; past the limit the garbage collector
// runs more often instead of letting the heap double before each
// collection, so that resident memory stays near what is live.
const defaultMemoryLimitMB = 1536

// setMemoryLimit sets the Go runtime's soft memory limit to mb MB (0: no
// limit) unless $GOMEMLIMIT is set, which wins; it returns the limit in
// force in bytes (math.MaxInt64: none).
func setMemoryLimit(mb int64) int64 {
	switch {
	case os.Getenv("GOMEMLIMIT") != "":
	case mb > 0:
		debug.SetMemoryLimit(mb << 20)
	default:
		debug.SetMemoryLimit(math.MaxInt64)
	}
	return debug.SetMemoryLimit(-1)
}
