package scheduler

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

func TestClockScale(t *testing.T) {
	cases := []struct {
		env  string
		opt  float64
		want float64
	}{
		{"", 0, 1},
		{"10", 0, 10},
		{"10", 3, 3},
		{"0.5", 0, 1},
		{"fast", 0, 1},
		{"", 2.5, 2.5},
	}
	for _, tc := range cases {
		t.Setenv(WorkEvalEnv, tc.env)
		if got := clockScale(Options{ClockScale: tc.opt}); got != tc.want {
			t.Errorf("env %q, option %v: scale %v, want %v", tc.env, tc.opt, got, tc.want)
		}
	}
}

// TestHandOver: the exact phase gets the ticks of the budget the
// annealing's moves did not stand for, never fewer than before, and
// explicit limits stay as they are.
func TestHandOver(t *testing.T) {
	base := work{conflicts: unlimited.conflicts, ticks: 7 * ticksPerSecond}
	cases := []struct {
		name  string
		opts  Options
		moves int64
		want  int64
	}{
		{"no moves", Options{}, 0, 10 * ticksPerSecond},
		{"one second of moves", Options{}, movesPerSecond, 9 * ticksPerSecond},
		{"more moves than the budget", Options{}, 20 * movesPerSecond, 7 * ticksPerSecond},
		{"explicit conflicts", Options{ExactConflicts: 5}, 0, 7 * ticksPerSecond},
		{"explicit iterations", Options{Iterations: 5}, 0, 7 * ticksPerSecond},
	}
	for _, tc := range cases {
		if got := handOver(tc.opts, base, 10*time.Second, tc.moves); got.ticks != tc.want || got.conflicts != base.conflicts {
			t.Errorf("%s: %+v, want %d ticks", tc.name, got, tc.want)
		}
	}
}

// TestAnnealingStallsEarly: before an exact phase, an annealing whose best
// grid stops improving ends past the middle of its moves, and without the
// stall rule it makes them all.
func TestAnnealingStallsEarly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := tinyRandomProblem(rng)
	in, err := compile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	const iters = 40_000
	for _, stall := range []bool{false, true} {
		st := newState(in)
		construct(st, constructionOrder(in), rng, 64)
		_, done, _ := improveParallel(context.Background(), st, Options{Seed: 1}, 0, iters, time.Now().Add(time.Hour), time.Now(), stall)
		switch {
		case !stall && done != iters:
			t.Errorf("without stall: %d moves, want %d", done, iters)
		case stall && (done >= iters || 2*done < iters):
			t.Errorf("with stall: %d moves of %d, want past the middle and short of the end", done, iters)
		}
	}
}
