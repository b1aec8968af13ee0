package testbed

import (
	"context"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
)

// solveChecked solves and fails the test on an invalid grid.
func solveChecked(t testing.TB, p *scheduler.Problem, opts scheduler.Options) *scheduler.Result {
	t.Helper()
	if opts.Budget == 0 {
		opts.Budget = time.Minute
	}
	res, err := scheduler.Solve(context.Background(), p, opts)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	if err := scheduler.Check(p, res.Grid); err != nil {
		t.Fatalf("Check: %v", err)
	}
	return res
}
