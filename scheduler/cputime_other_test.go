//go:build !unix

package scheduler_test

import "time"

// cpuTime is not measured on this system: benchmarks that report it
// report 0.
func cpuTime() time.Duration { return 0 }
