package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/scheduler/testbed"
)

func main() {
	b, _ := time.ParseDuration(os.Args[1])
	for _, f := range os.Args[2:] {
		p, _ := testbed.ParseDZNFile(f)
		t := time.Now()
		res, _ := scheduler.Solve(context.Background(), p, scheduler.Options{Seed: 1, Budget: b, Progress: func(pr scheduler.Progress) {
			if pr.Phase != "improve" {
				fmt.Printf("   %6.2fs %s placed %d breaks %d\n", pr.Elapsed.Seconds(), pr.Phase, pr.Placed, pr.Breaks)
			}
		}})
		fmt.Printf("%s: %s placed %d %.2fs hit %v iters %d\n", f, res.BreaksSummary(), res.Metrics.Placed, time.Since(t).Seconds(), res.BudgetHit, res.Iterations)
	}
}
