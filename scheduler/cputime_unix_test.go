//go:build unix

package scheduler_test

import (
	"syscall"
	"time"
)

// cpuTime is the user CPU time of the process so far: benchmarks compare
// it rather than the wall clock on a machine other processes share.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano())
}
