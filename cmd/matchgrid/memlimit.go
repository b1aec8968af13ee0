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

// gcPercentUnderLimit is the garbage collector's percent (GOGC) under a
// memory limit: the limit, not the percent, bounds the heap, and far from
// it collections are rarer. With the default 100, an event whose model
// is small collects after every few writes (each write's snapshot tables
// are garbage), and the collections take CPU from the rankings (6,000
// organizations: first suggestion after a write p50 38 ms against 16 ms
// with 400, on a busy machine).
const gcPercentUnderLimit = 400

// setMemoryLimit sets the Go runtime's soft memory limit to mb MB (0: no
// limit) and, under a limit, the collector's percent to
// gcPercentUnderLimit; $GOMEMLIMIT and $GOGC, when set, win. It returns
// the limit in force in bytes (math.MaxInt64: none).
func setMemoryLimit(mb int64) int64 {
	switch {
	case os.Getenv("GOMEMLIMIT") != "":
	case mb > 0:
		debug.SetMemoryLimit(mb << 20)
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(gcPercentUnderLimit)
		}
	default:
		debug.SetMemoryLimit(math.MaxInt64)
	}
	return debug.SetMemoryLimit(-1)
}
