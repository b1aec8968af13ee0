package sat

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// heapInvariant checks what pickBranch relies on: every entry carries the
// activity of its variable, pos names each entry's index, and no entry
// goes above its parent.
func heapInvariant(h *varHeap, act []float64) error {
	for i, e := range h.heap {
		if e.act != act[e.v] {
			return fmt.Errorf("entry %d: variable %d has activity %g in the heap, %g in fact", i, e.v, e.act, act[e.v])
		}
		if h.pos[e.v] != int32(i) {
			return fmt.Errorf("entry %d: variable %d has pos %d", i, e.v, h.pos[e.v])
		}
		if i > 0 && e.before(h.heap[(i-1)/2]) {
			return fmt.Errorf("entry %d (variable %d) goes above its parent", i, e.v)
		}
	}
	n := 0
	for _, p := range h.pos {
		if p >= 0 {
			n++
		}
	}
	if n != len(h.heap) {
		return fmt.Errorf("%d variables have a position, %d entries", n, len(h.heap))
	}
	return nil
}

// TestVarHeap raises, rescales, pops and pushes at random, checking the
// invariant after each step and that pops come out by activity, ties by
// the lower variable.
func TestVarHeap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 200
	act := make([]float64, n+1)
	var h varHeap
	for v := int32(1); v <= n; v++ {
		act[v] = float64(rng.IntN(20)) // many ties
		h.push(v, act)
	}
	for step := range 5000 {
		v := int32(1 + rng.IntN(n))
		switch op := rng.IntN(10); {
		case op < 5:
			act[v] += float64(rng.IntN(5))
			if h.contains(v) {
				h.up(v, act)
			}
		case op == 5:
			for i := range act {
				act[i] *= 0.5
			}
			h.rescale(0.5)
		case op < 8 && h.len() > 0:
			top := h.heap[0]
			got := h.pop()
			for _, e := range h.heap {
				if e.before(top) {
					t.Fatalf("step %d: popped variable %d, but %d goes before it", step, got, e.v)
				}
			}
		default:
			if !h.contains(v) {
				h.push(v, act)
			}
		}
		if err := heapInvariant(&h, act); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
	}
}

// TestBumpRescalesHeap bumps a variable past the rescaling threshold while
// others with activity wait in the heap: their entries must be rescaled
// with the activities.
func TestBumpRescalesHeap(t *testing.T) {
	s := New(10)
	for v := int32(1); v <= 10; v++ {
		s.Boost(v, float64(v))
	}
	s.varInc = 2e100
	s.bump(3)
	if s.activity[3] > 1e100 {
		t.Fatalf("activity %g: no rescaling", s.activity[3])
	}
	if err := heapInvariant(&s.heap, s.activity); err != nil {
		t.Fatal(err)
	}
	if got := s.pickBranch(); got != 3 {
		t.Fatalf("picked %d, want the bumped variable 3", got)
	}
}

// TestSolverHeapAfterSearch checks the heap against the activities after
// searches that bump and rescale.
func TestSolverHeapAfterSearch(t *testing.T) {
	for _, n := range []int{5, 6, 7} {
		s := pigeonhole(n, false).solver()
		s.varInc = 1e99
		if got := s.Solve(nil); got != Unsat {
			t.Fatalf("pigeonhole %d: %v, want Unsat", n, got)
		}
		if err := heapInvariant(&s.heap, s.activity); err != nil {
			t.Fatalf("pigeonhole %d: %v", n, err)
		}
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 300 {
		n := 8 + rng.IntN(8)
		s := randomFormula(rng, n, 4*n, rng.IntN(3)).solver()
		s.varInc = 1e99
		s.Solve(nil)
		if err := heapInvariant(&s.heap, s.activity); err != nil {
			t.Fatalf("formula %d: %v", i, err)
		}
	}
}
