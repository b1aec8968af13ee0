package scheduler

import (
	"math/rand/v2"
	"testing"

	"github.com/matchgrid/matchgrid/scheduler/internal/sat"
)

// coreGuidedOn runs the core-guided search to the end on p (complete
// grids, cap of 2 breaks per participant) and returns its status, its
// bound on the breaks and, when satisfiable, the decoded grid's breaks.
func coreGuidedOn(t *testing.T, p *Problem) (status sat.Status, lower, breaks int) {
	t.Helper()
	in, err := compile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := encodeExact(in, 2, false, false)
	s := e.load()
	status, lower = e.coreGuided(s, nil)
	if status != sat.Sat {
		return status, lower + e.forced, -1
	}
	st := newState(in)
	st.assign(e.slots(s))
	if err := Check(p, finishGrid(in, st)); err != nil {
		t.Fatalf("core-guided grid: %v", err)
	}
	return status, lower + e.forced, int(st.breaks)
}

// TestCoreGuidedFindsTheOptimum: on the hand-built events the core-guided
// search ends satisfiable, with a valid grid whose breaks equal its bound
// and the known optimum.
func TestCoreGuidedFindsTheOptimum(t *testing.T) {
	for _, tc := range exactCases() {
		t.Run(tc.name, func(t *testing.T) {
			status, lower, breaks := coreGuidedOn(t, tc.problem)
			if status != sat.Sat || lower != tc.breaks || breaks != tc.breaks {
				t.Fatalf("status %v, bound %d, grid %d breaks; want satisfiable at %d", status, lower, breaks, tc.breaks)
			}
		})
	}
}

// TestCoreGuidedAgreesWithBruteForce: on tiny random events where some grid
// places every meeting (the exact phase starts from one), the core-guided
// search ends satisfiable with its bound and its grid's breaks at the
// exhaustive optimum (no participant of these events can have more than
// two breaks, so the cap changes nothing).
func TestCoreGuidedAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	complete := 0
	for i := 0; i < 150; i++ {
		p := tinyRandomProblem(rng)
		_, fewest := bruteBest(p)
		if fewest < 0 {
			continue
		}
		if status, lower, breaks := coreGuidedOn(t, p); status != sat.Sat || lower != fewest || breaks != fewest {
			t.Fatalf("instance %d: status %v, bound %d, grid %d breaks; exhaustive optimum %d", i, status, lower, breaks, fewest)
		}
		if fewest > 0 {
			complete++
		}
	}
	if complete < 10 {
		t.Errorf("only %d instances with a complete grid that needs a break: the test checks too little", complete)
	}
}

// TestCoreBoostedLinearAgreesWithBruteForce: after the first core of the
// core-guided search, the linear search on the reformulated objective
// (lower + soft literals) finds a grid at the exhaustive optimum when
// the soft literals may reach it, and none below: the reformulation
// neither loses the optimum nor lets a worse bound pass for it.
func TestCoreBoostedLinearAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	withCore := 0
	for i := 0; i < 70; i++ {
		p := tinyRandomProblem(rng)
		_, fewest := bruteBest(p)
		if fewest < 0 {
			continue
		}
		in, err := compile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		e := encodeExact(in, 2, false, false)
		s := e.load()
		cs := e.newCoreSearch()
		if s.SolveAssuming(cs.assumps, nil) == sat.Unsat && len(s.Core()) > 0 {
			cs.relax(s, s.Core())
			withCore++
		}
		k := fewest - e.forced - cs.lower
		if k < 0 {
			t.Fatalf("instance %d: bound %d above the exhaustive optimum %d", i, e.forced+cs.lower, fewest)
		}
		card := s.AddAtMost(cs.soft(), k)
		if s.Solve(nil) != sat.Sat {
			t.Fatalf("instance %d: no grid with %d soft literals, exhaustive optimum %d (lower %d, forced %d)", i, k, fewest, cs.lower, e.forced)
		}
		st := newState(in)
		st.assign(e.slots(s))
		if st.placed != in.nMeetings || int(st.breaks) != fewest {
			t.Fatalf("instance %d: grid with %d placed, %d breaks; exhaustive optimum %d", i, st.placed, st.breaks, fewest)
		}
		if k > 0 && s.Tighten(card, k-1) && s.Solve(nil) != sat.Unsat {
			t.Fatalf("instance %d: a grid below the exhaustive optimum %d", i, fewest)
		}
	}
	if withCore < 5 {
		t.Errorf("only %d instances with a core: the test checks too little", withCore)
	}
}
