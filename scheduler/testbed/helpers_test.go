package testbed

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
)

// b2bspFiles returns the benchmark instances: the shared benchmark directory
// if present, else the copies in the scheduler's testdata.
func b2bspFiles(t testing.TB) []string {
	t.Helper()
	for _, dir := range []string{"../../../shared/bench/b2bsp", "../testdata/b2bsp"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.dzn"))
		if len(files) > 0 {
			sort.Strings(files)
			return files
		}
	}
	t.Skip("no b2bsp instances found")
	return nil
}

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
