package testbed

import (
	"errors"
	"reflect"
	"testing"

	"github.com/matchgrid/matchgrid/scheduler"
)

func TestSyntheticIsReproducibleAndSolvable(t *testing.T) {
	cfg := SyntheticConfig{Participants: 200, Meetings: 1200, Days: 2, SlotsPerDay: 12, Tables: 50, Seed: 1}
	a, err := Synthetic(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Synthetic(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same config, different events")
	}
	if len(a.Meetings) != cfg.Meetings {
		t.Fatalf("%d meetings, want %d", len(a.Meetings), cfg.Meetings)
	}
	// Heavy tail: the most requested participant has far more than average.
	deg := map[string]int{}
	for _, m := range a.Meetings {
		deg[m.A]++
		deg[m.B]++
	}
	most := 0
	for _, d := range deg {
		most = max(most, d)
	}
	if avg := 2 * len(a.Meetings) / cfg.Participants; most < 2*avg {
		t.Errorf("max degree %d, average %d: no heavy tail", most, avg)
	}
	res := solveChecked(t, a, scheduler.Options{Seed: 1, Iterations: 30_000})
	if res.Metrics.Placed*100 < res.Bounds.PlacedUpper*99 {
		t.Errorf("placed %d, upper bound %d", res.Metrics.Placed, res.Bounds.PlacedUpper)
	}
	g, err := scheduler.FirstFit(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := scheduler.Check(a, g.Grid); err != nil {
		t.Fatal(err)
	}
	if g.Metrics.Placed > res.Metrics.Placed || g.Metrics.Breaks <= res.Metrics.Breaks {
		t.Errorf("first fit placed %d breaks %d, engine placed %d breaks %d", g.Metrics.Placed, g.Metrics.Breaks, res.Metrics.Placed, res.Metrics.Breaks)
	}
	if res.Metrics.TableChanges > g.Metrics.TableChanges {
		t.Errorf("engine table changes %d above first fit %d", res.Metrics.TableChanges, g.Metrics.TableChanges)
	}
}

func TestSyntheticRejectsBadConfig(t *testing.T) {
	for _, cfg := range []SyntheticConfig{
		{Participants: 1, Meetings: 1, Days: 1, SlotsPerDay: 4, Tables: 1},
		{Participants: 10, Meetings: 1, Days: 1, SlotsPerDay: 65, Tables: 1},
		{Participants: 10, Meetings: 1, Days: 1, SlotsPerDay: 4, Tables: 0},
	} {
		if _, err := Synthetic(cfg); !errors.Is(err, scheduler.ErrInvalidProblem) {
			t.Errorf("%+v: want ErrInvalidProblem, got %v", cfg, err)
		}
	}
}
