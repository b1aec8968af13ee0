package scheduler

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkSolveB2BSP and BenchmarkFirstFitB2BSP run the engine and the
// baseline on the same instances in the same run; the custom metrics are
// breaks and placed meetings per instance.
func BenchmarkSolveB2BSP(b *testing.B) {
	for _, f := range b2bspFiles(b) {
		p, err := ParseDZNFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".original.dzn"), func(b *testing.B) {
			var res *Result
			for b.Loop() {
				res, err = Solve(context.Background(), p, Options{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := Check(p, res.Grid); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
			b.ReportMetric(float64(res.Metrics.Placed), "placed")
		})
	}
}

func BenchmarkFirstFitB2BSP(b *testing.B) {
	for _, f := range b2bspFiles(b) {
		p, err := ParseDZNFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".original.dzn"), func(b *testing.B) {
			var res *Result
			for b.Loop() {
				res, err = FirstFit(p)
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := Check(p, res.Grid); err != nil {
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
	p, err := Synthetic(SyntheticConfig{Participants: 1000, Meetings: 6000, Days: 2, SlotsPerDay: 16, Tables: 250, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("engine", func(b *testing.B) {
		var res *Result
		for b.Loop() {
			if res, err = Solve(context.Background(), p, Options{Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
		if err := Check(p, res.Grid); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Metrics.Placed)/float64(res.Bounds.PlacedUpper), "placed/bound")
		b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
	})
	b.Run("firstfit", func(b *testing.B) {
		var res *Result
		for b.Loop() {
			if res, err = FirstFit(p); err != nil {
				b.Fatal(err)
			}
		}
		if err := Check(p, res.Grid); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Metrics.Placed)/float64(res.Bounds.PlacedUpper), "placed/bound")
		b.ReportMetric(float64(res.Metrics.Breaks), "breaks")
	})
}
