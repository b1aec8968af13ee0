package scheduler

import "github.com/matchgrid/matchgrid/scheduler/internal/sat"

// coreSearch is core-guided MaxSAT (the OLL algorithm, unit weights) on
// the break objective of an encoding: the solver is asked for a grid in
// which no soft literal is true (assumptions); each unsatisfiable core (a
// set of participants who cannot all go without a break, or of counters)
// raises the lower bound by one and is replaced by a totalizer over its
// literals that allows one of them, whose next output is assumed false in
// turn when a later core names it. Cores are local: the last call, the
// first that is satisfiable, asks only the participants of earlier cores
// to share the breaks the bound allows, which propagates far more than one
// bound over everybody.
//
// Stopped before the end, the search leaves a reformulated objective:
// every grid has at most lower + (true literals of soft) objective
// literals true, with equality in its least model, so a linear search
// from above can bound soft instead of the objective (core-boosted linear
// search, see exactImprove).
type coreSearch struct {
	e       *exactEncoding
	assumps []int32       // the negations of the live soft literals assumed false
	of      map[int32]int // assumption -> counter index + 1 (0: objective literal); lookups only
	// counters are the totalizers of the cores so far; outputs from next
	// on are soft, out[next] is assumed false.
	counters []coreCounter
	lower    int // objective literals true in every grid (beyond e.forced)
}

type coreCounter struct {
	out  []int32
	next int
}

// newCoreSearch starts a core-guided search with every objective literal
// soft.
func (e *exactEncoding) newCoreSearch() *coreSearch {
	c := &coreSearch{e: e, of: map[int32]int{}}
	for _, o := range e.objective {
		c.assumps = append(c.assumps, -o)
	}
	return c
}

// run asks s for grids with every soft literal false until one exists
// (sat.Sat: the optimum, in the solver's model), the formula has none at
// all (sat.Unsat), or stop ends a call (sat.Unknown). c.lower is a lower
// bound in every case.
func (c *coreSearch) run(s *sat.Solver, stop func() bool) sat.Status {
	for {
		switch s.SolveAssuming(c.assumps, stop) {
		case sat.Sat:
			return sat.Sat
		case sat.Unknown:
			return sat.Unknown
		}
		core := s.Core()
		if len(core) == 0 {
			return sat.Unsat
		}
		c.relax(s, core)
		debugf("  core %d size %d conflicts %d ticks %d", c.lower, len(core), s.Conflicts(), s.Ticks())
	}
}

// relax takes the core into the reformulated objective: the lower bound
// rises by one, the core's literals stop being soft (a counter moves on to
// its next output) and a totalizer over them makes "more than one of
// them" soft.
func (c *coreSearch) relax(s *sat.Solver, core []int32) {
	c.lower++
	inCore := make(map[int32]bool, len(core))
	for _, a := range core {
		inCore[a] = true
	}
	kept := c.assumps[:0]
	var extend []int32
	for _, a := range c.assumps {
		if !inCore[a] {
			kept = append(kept, a)
			continue
		}
		if k := c.of[a]; k > 0 {
			ct := &c.counters[k-1]
			ct.next++
			if ct.next < len(ct.out) {
				extend = append(extend, -ct.out[ct.next])
				c.of[-ct.out[ct.next]] = k
			}
		}
	}
	c.assumps = append(kept, extend...)
	if len(core) < 2 {
		return
	}
	lits := make([]int32, len(core))
	for i, a := range core {
		lits[i] = -a
	}
	e := c.e
	from := len(e.clauses)
	out := e.totalizer(lits, len(lits))
	for _, cl := range e.clauses[from:] {
		s.AddClause(cl...)
	}
	c.counters = append(c.counters, coreCounter{out: out, next: 1})
	c.assumps = append(c.assumps, -out[1])
	c.of[-out[1]] = len(c.counters)
}

// soft returns the live soft literals: every grid has at most c.lower
// plus the number of them true objective literals true.
func (c *coreSearch) soft() []int32 {
	var out []int32
	for _, a := range c.assumps {
		if c.of[a] == 0 {
			out = append(out, -a)
		}
	}
	for _, ct := range c.counters {
		if ct.next < len(ct.out) {
			out = append(out, ct.out[ct.next:]...)
		}
	}
	return out
}

// coreGuided runs the core-guided search on e to the end or until stop: it
// returns sat.Sat with the optimal grid in the solver's model, sat.Unsat if
// no grid exists at all, or sat.Unknown when stop ended it; lower is a
// lower bound on the true objective literals in every case.
func (e *exactEncoding) coreGuided(s *sat.Solver, stop func() bool) (status sat.Status, lower int) {
	c := e.newCoreSearch()
	status = c.run(s, stop)
	return status, c.lower
}
