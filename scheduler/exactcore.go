package scheduler

import "github.com/matchgrid/matchgrid/scheduler/internal/sat"

// coreGuided is core-guided MaxSAT (the OLL algorithm, unit weights) on the
// break objective of e: the solver is asked for a grid in which no
// objective literal is true (assumptions); each unsatisfiable core (a set
// of participants who cannot all go without a break, or of counters) raises
// the lower bound by one and is replaced by a totalizer over its literals
// that allows one of them, whose next output is assumed false in turn when
// a later core names it. Cores are local: the last call, the first that is
// satisfiable, asks only the participants of earlier cores to share the
// breaks the bound allows, which propagates far more than one bound over
// everybody. It returns sat.Sat with the optimal grid in the solver's
// model, sat.Unsat if no grid exists at all, or sat.Unknown when stop
// ended it; lower is a lower bound on the true objective literals in
// every case.
func (e *exactEncoding) coreGuided(s *sat.Solver, stop func() bool) (status sat.Status, lower int) {
	type counter struct {
		out  []int32
		next int // index in out of the output assumed false
	}
	assumps := make([]int32, 0, len(e.objective))
	of := map[int32]int{} // assumption -> counter index + 1 (0: objective literal)
	for _, o := range e.objective {
		assumps = append(assumps, -o)
	}
	var counters []counter
	for {
		switch s.SolveAssuming(assumps, stop) {
		case sat.Sat:
			return sat.Sat, lower
		case sat.Unknown:
			return sat.Unknown, lower
		}
		core := s.Core()
		if len(core) == 0 {
			return sat.Unsat, lower
		}
		lower++
		inCore := make(map[int32]bool, len(core))
		for _, a := range core {
			inCore[a] = true
		}
		kept := assumps[:0]
		var extend []int32
		for _, a := range assumps {
			if !inCore[a] {
				kept = append(kept, a)
				continue
			}
			if k := of[a]; k > 0 {
				c := &counters[k-1]
				if c.next+1 < len(c.out) {
					c.next++
					extend = append(extend, -c.out[c.next])
					of[-c.out[c.next]] = k
				}
			}
		}
		assumps = append(kept, extend...)
		if len(core) > 1 {
			lits := make([]int32, len(core))
			for i, a := range core {
				lits[i] = -a
			}
			from := len(e.clauses)
			out := e.totalizer(lits, len(lits))
			for _, c := range e.clauses[from:] {
				s.AddClause(c...)
			}
			counters = append(counters, counter{out: out, next: 1})
			assumps = append(assumps, -out[1])
			of[-out[1]] = len(counters)
		}
	}
}
