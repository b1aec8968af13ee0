package scheduler_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/scheduler/internal/schedtest"
	"github.com/matchgrid/matchgrid/scheduler/testbed"
)

// BenchmarkSolveB2BSP and BenchmarkFirstFitB2BSP run the engine and the
// baseline on the same instances in the same run; the custom metrics are
// breaks and placed meetings per instance.
func BenchmarkSolveB2BSP(b *testing.B) {
	for _, f := range schedtest.B2BSPFiles(b) {
		p, err := testbed.ParseDZNFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".original.dzn"), func(b *testing.B) {
			var res *scheduler.Result
			for b.Loop() {
				res, err = scheduler.Solve(context.Background(), p, scheduler.Options{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := scheduler.Check(p, res.Grid); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
			b.ReportMetric(float64(res.Metrics.Placed), "placed")
		})
	}
}

func BenchmarkFirstFitB2BSP(b *testing.B) {
	for _, f := range schedtest.B2BSPFiles(b) {
		p, err := testbed.ParseDZNFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".original.dzn"), func(b *testing.B) {
			var res *scheduler.Result
			for b.Loop() {
				res, err = scheduler.FirstFit(p)
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := scheduler.Check(p, res.Grid); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
			b.ReportMetric(float64(res.Metrics.Placed), "placed")
		})
	}
}

// BenchmarkSolveSynthetic is the 1,000-participant event of the targets,
// engine and baseline side by side.
func BenchmarkSolveSynthetic(b *testing.B) {
	p, err := testbed.Synthetic(testbed.SyntheticConfig{Participants: 1000, Meetings: 6000, Days: 2, SlotsPerDay: 16, Tables: 250, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("engine", func(b *testing.B) {
		var res *scheduler.Result
		for b.Loop() {
			if res, err = scheduler.Solve(context.Background(), p, scheduler.Options{Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
		if err := scheduler.Check(p, res.Grid); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Metrics.Placed)/float64(res.Bounds.PlacedUpper), "placed/bound")
		b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
	})
	b.Run("firstfit", func(b *testing.B) {
		var res *scheduler.Result
		for b.Loop() {
			if res, err = scheduler.FirstFit(p); err != nil {
				b.Fatal(err)
			}
		}
		if err := scheduler.Check(p, res.Grid); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Metrics.Placed)/float64(res.Bounds.PlacedUpper), "placed/bound")
		b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
	})
}

// BenchmarkExactSAT measures the SAT solver's speed on the exact phase of
// the slowest b2bsp files: each iteration runs the same deterministic
// descent (a fixed number of propagation ticks from the same annealed
// grid), so ns/op before and after a solver change compare like for like
// as long as the search itself is unchanged (the breaks metric says so).
// Mticks/cpu-s is the fastest descent in user CPU time, the figure that
// other processes on the machine disturb least.
func BenchmarkExactSAT(b *testing.B) {
	const ticks = 40_000_000
	slow := []string{"forum-13crafb.original", "forum-14.fixed020-Forb", "forum-14.prec15", "forumt-14crafe.prec25", "forumt-14crafc.forb0003"}
	files := schedtest.B2BSPFiles(b)
	for _, name := range slow {
		f := filepath.Join(filepath.Dir(files[0]), name+".dzn")
		p, err := testbed.ParseDZNFile(f)
		if err != nil {
			b.Skip(err)
		}
		b.Run(name, func(b *testing.B) {
			res, err := scheduler.Solve(context.Background(), p, scheduler.Options{Seed: 1, Iterations: 300_000, ExactConflicts: -1, Budget: time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			if res.Metrics.Placed != len(p.Meetings) {
				b.Skip("the annealing left meetings unplaced")
			}
			var breaks int64
			fastest := time.Duration(0) // the least CPU time of one descent
			for b.Loop() {
				cpu := cpuTime()
				if breaks, _, err = scheduler.ExactDescent(p, res.Grid, ticks); err != nil {
					b.Fatal(err)
				}
				if cpu = cpuTime() - cpu; fastest == 0 || cpu < fastest {
					fastest = cpu
				}
			}
			b.ReportMetric(float64(breaks), "breaks")
			b.ReportMetric(float64(ticks)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mticks/s")
			if fastest > 0 {
				b.ReportMetric(float64(ticks)/fastest.Seconds()/1e6, "Mticks/cpu-s")
			}
		})
	}
}
