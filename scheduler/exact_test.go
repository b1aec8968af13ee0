package scheduler

import (
	"context"
	"testing"
	"time"
)

// exactCase is a small event whose optimum is known by hand, with a
// complete starting grid that is worse (or, for a forced break, equal).
type exactCase struct {
	name    string
	problem *Problem
	start   []int // slot per meeting
	breaks  int   // the optimum
}

// dayProblem returns a one-day event of n slots with the given tables.
func dayProblem(n, tables int, people ...Participant) *Problem {
	p := &Problem{Participants: people}
	for s := 0; s < n; s++ {
		p.Slots = append(p.Slots, Slot{Tables: tables})
	}
	return p
}

// allBut returns the slots 0..n-1 except keep, as forbidden slots.
func allBut(n int, keep ...int) []int {
	var out []int
	for s := 0; s < n; s++ {
		ok := false
		for _, k := range keep {
			ok = ok || k == s
		}
		if !ok {
			out = append(out, s)
		}
	}
	return out
}

func meet(a, b string) Meeting { return Meeting{ID: a + b, A: a, B: b} }

func exactCases() []exactCase {
	// A forced break: b can only meet in slot 0 and c only in slot 4, so
	// a's four meetings cannot be consecutive. f's two meetings start two
	// slots apart, an avoidable break.
	forced := dayProblem(5, 2,
		Participant{ID: "a"}, Participant{ID: "b", Forbidden: allBut(5, 0)}, Participant{ID: "c", Forbidden: allBut(5, 4)},
		Participant{ID: "d"}, Participant{ID: "e"}, Participant{ID: "f"}, Participant{ID: "g"}, Participant{ID: "h"})
	forced.Meetings = []Meeting{meet("a", "b"), meet("a", "c"), meet("a", "d"), meet("a", "e"), meet("f", "g"), meet("f", "h")}

	// One table per slot: the three meetings take the three slots, and
	// only the order decides whether a waits.
	tables := dayProblem(3, 1, Participant{ID: "a"}, Participant{ID: "b"}, Participant{ID: "c"}, Participant{ID: "d"}, Participant{ID: "e"})
	tables.Meetings = []Meeting{meet("a", "b"), meet("a", "c"), meet("d", "e")}

	// ab is locked in slot 2: ac has to go to slot 3 so that d's two
	// meetings fit together in slots 0 and 1.
	locked := dayProblem(4, 1, Participant{ID: "a"}, Participant{ID: "b"}, Participant{ID: "c"}, Participant{ID: "d"}, Participant{ID: "e"}, Participant{ID: "f"})
	locked.Meetings = []Meeting{meet("a", "b"), meet("a", "c"), meet("d", "e"), meet("d", "f")}
	locked.Meetings[0].Locked, locked.Meetings[0].LockedSlot, locked.Meetings[0].LockedTable = true, 2, 0

	// dg must be in slot 0; without the precedence "df before de" d could
	// meet in 0, 1, 2 (de in 1, df in 2), with it d waits once. h's
	// meetings start apart.
	prec := dayProblem(4, 3,
		Participant{ID: "d"}, Participant{ID: "e", Forbidden: []int{0, 2}}, Participant{ID: "f", Forbidden: []int{0, 3}},
		Participant{ID: "g", Forbidden: allBut(4, 0)}, Participant{ID: "h"}, Participant{ID: "i"}, Participant{ID: "j"})
	prec.Meetings = []Meeting{meet("d", "e"), meet("d", "f"), meet("d", "g"), meet("h", "i"), meet("h", "j")}
	prec.Precedences = []Precedence{{Before: "df", After: "de"}}

	// Sessions: the lunch between slot 1 and slot 2 counts as a break, so
	// m's morning and afternoon meetings must meet at the boundary.
	sessions := dayProblem(4, 2, Participant{ID: "m"}, Participant{ID: "n"}, Participant{ID: "o"}, Participant{ID: "q"})
	for s := range sessions.Slots {
		sessions.Slots[s].Session = s / 2
	}
	sessions.Meetings = []Meeting{meet("m", "n"), meet("m", "o"), meet("m", "q")}
	sessions.Meetings[0].Sessions = []int{0}
	sessions.Meetings[1].Sessions = []int{1}

	return []exactCase{
		{"forced break", forced, []int{0, 4, 1, 3, 0, 2}, 1},
		{"one table per slot", tables, []int{0, 2, 1}, 0},
		{"locked meeting", locked, []int{2, 0, 1, 3}, 0},
		{"precedence", prec, []int{3, 1, 0, 0, 2}, 1},
		{"sessions", sessions, []int{0, 3, 2}, 0},
	}
}

// TestExactReachesKnownOptimum starts the exact phase from a poor complete
// grid of each hand-built event and checks that it reaches the optimum,
// proves it, and returns a grid the checker accepts (locks, precedences,
// tables, sessions included).
func TestExactReachesKnownOptimum(t *testing.T) {
	for _, tc := range exactCases() {
		t.Run(tc.name, func(t *testing.T) {
			in, err := compile(tc.problem, nil)
			if err != nil {
				t.Fatal(err)
			}
			st := newState(in)
			start := make([]int32, len(tc.start))
			for m, s := range tc.start {
				start[m] = int32(s)
			}
			st.assign(start)
			if err := Check(tc.problem, finishGrid(in, st)); err != nil {
				t.Fatalf("the starting grid is invalid: %v", err)
			}
			rep := exactImprove(context.Background(), st, time.Now().Add(time.Minute), work{conflicts: 1_000_000, ticks: unlimited.ticks}, int64(breaksLowerBound(in)), 0, false, nil)
			if rep.slots != nil {
				st.assign(rep.slots)
			}
			g := finishGrid(in, st)
			if err := Check(tc.problem, g); err != nil {
				t.Fatalf("exact grid: %v", err)
			}
			mt, err := Evaluate(tc.problem, g)
			if err != nil {
				t.Fatal(err)
			}
			if mt.Placed != len(tc.problem.Meetings) || mt.Breaks != tc.breaks || !rep.optimal || rep.cut {
				t.Fatalf("placed %d of %d, %d breaks (optimal %v, cut %v), want %d breaks, proven",
					mt.Placed, len(tc.problem.Meetings), mt.Breaks, rep.optimal, rep.cut, tc.breaks)
			}
			if mt.IdleSlots != mt.Breaks {
				t.Errorf("%d idle slots for %d breaks: each break here is one idle slot", mt.IdleSlots, mt.Breaks)
			}
		})
	}
}

// TestSolveExactOnHandBuiltEvents runs the whole of Solve: whatever the
// annealing leaves, the exact phase ends at the proven optimum.
func TestSolveExactOnHandBuiltEvents(t *testing.T) {
	for _, tc := range exactCases() {
		t.Run(tc.name, func(t *testing.T) {
			res := SolveChecked(t, tc.problem, Options{Seed: 1, Iterations: 1000})
			if res.Metrics.Breaks != tc.breaks || !res.BreaksOptimal {
				t.Fatalf("%d breaks (optimal %v), want %d, proven", res.Metrics.Breaks, res.BreaksOptimal, tc.breaks)
			}
			for i, m := range tc.problem.Meetings {
				if pl := res.Grid.Placements[i]; m.Locked && (pl.Slot != m.LockedSlot || pl.Table != m.LockedTable) {
					t.Fatalf("locked meeting %s moved to %+v", m.ID, pl)
				}
			}
		})
	}
}
