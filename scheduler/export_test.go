package scheduler

import (
	"context"
	"fmt"
	"time"
)

// VerifyEveryMove makes the search check its incremental bookkeeping after
// every move (see state.verify) until the returned function restores it.
func VerifyEveryMove() (restore func()) {
	old := debugVerify
	debugVerify = (*state).verify
	return func() { debugVerify = old }
}

// CheckEncoding checks the exact encoding against the metrics of a complete
// grid g of p: the model of g satisfies every clause and cardinality
// constraint, its break and idle literals count exactly the grid's breaks
// and idle slots, and the objective counts at least the breaks.
func CheckEncoding(p *Problem, g *Grid, mt Metrics) error {
	in, err := compile(p, nil)
	if err != nil {
		return err
	}
	slots := make([]int32, len(p.Meetings))
	for m, pl := range g.Placements {
		slots[m] = int32(pl.Slot)
	}
	e := encodeExact(in, max(2, mt.MaxBreaks), true, true)
	val := e.model(slots)
	holds := func(l int32) bool { return val[abs32(l)] == (l > 0) }
	count := func(lits []int32) int {
		n := 0
		for _, l := range lits {
			if holds(l) {
				n++
			}
		}
		return n
	}
	for i, c := range e.clauses {
		if count(c) == 0 {
			return fmt.Errorf("clause %d %v is false", i, c)
		}
	}
	for i, c := range e.cards {
		if n := count(c.lits); n > c.k {
			return fmt.Errorf("cardinality constraint %d: %d true, at most %d", i, n, c.k)
		}
	}
	got := fmt.Sprintf("breaks %d idle %d", count(e.breaks), count(e.idle))
	if want := fmt.Sprintf("breaks %d idle %d", mt.Breaks, mt.IdleSlots); got != want {
		return fmt.Errorf("literals count %s, the grid has %s", got, want)
	}
	if n := e.forced + count(e.objective); n < mt.Breaks {
		return fmt.Errorf("objective counts %d, below the %d breaks", n, mt.Breaks)
	}
	return nil
}

// ExactDescent runs the exact minimisation of breaks from the complete grid
// g of p for ticks SAT propagation ticks (no clock), and returns the breaks
// of the grid it ends with and whether they are proven optimal.
func ExactDescent(p *Problem, g *Grid, ticks int64) (breaks int64, optimal bool, err error) {
	in, err := compile(p, nil)
	if err != nil {
		return 0, false, err
	}
	st := newState(in)
	slots := make([]int32, len(p.Meetings))
	for m, pl := range g.Placements {
		slots[m] = int32(pl.Slot)
	}
	st.assign(slots)
	rep := exactImprove(context.Background(), st, time.Now().Add(time.Hour), work{conflicts: unlimited.conflicts, ticks: ticks}, int64(breaksLowerBound(in)), 0, false, nil)
	if rep.slots != nil {
		st.assign(rep.slots)
	}
	return st.breaks, rep.optimal, nil
}
