package scheduler

import (
	"os"
	"strconv"
	"time"
)

// WorkEvalEnv names the environment variable of the work-only harness:
// a number N > 1 stretches the clock of every Solve N-fold while the work
// limits (annealing moves, SAT ticks) stay those of the nominal budget, so
// that a benchmark on a busy machine ends where a quiet machine would, at
// the work limits, and gives the grids a quiet machine gives. Unset, or
// not a number above 1, it changes nothing. Options.ClockScale, when set,
// takes precedence.
const WorkEvalEnv = "MATCHGRID_WORK_EVAL"

// clockScale returns the factor the deadline of Solve is stretched by.
func clockScale(opts Options) float64 {
	if opts.ClockScale > 1 {
		return opts.ClockScale
	}
	if f, err := strconv.ParseFloat(os.Getenv(WorkEvalEnv), 64); err == nil && f > 1 {
		return f
	}
	return 1
}

// stretch returns budget times scale.
func stretch(budget time.Duration, scale float64) time.Duration {
	return time.Duration(float64(budget) * scale)
}
