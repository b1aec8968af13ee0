package scheduler_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
