package scheduler

import (
	"context"
	"math"
	"time"

	"github.com/matchgrid/matchgrid/scheduler/internal/sat"
)

// The exact phase runs only on events of about the size of the b2bsp
// benchmark: its formula grows with meetings times slots, and on much larger
// events the solver would spend the budget loading it.
const (
	exactMaxMeetings    = 600
	exactMaxSlotsPerDay = 40
)

// exactShare is the fraction of the budget the annealing gets when the
// exact phase follows it. The annealing gets close to the optimum fast and
// then stalls; the exact phase needs a good start and most of the time.
const exactShare = 0.3

// stallShare: the annealing before an exact phase ends once it is past
// the middle of its moves and its best grid has not improved for this
// fraction of them; the exact phases get the moves left, as SAT ticks
// (handOver).
const stallShare = 0.15

// coreCallShare caps the first core-guided search, linearShare the
// linear search after it, as fractions of the work limit (see
// exactImprove): the first cores are cheap and raise the lower bound
// that the linear search stops at; what the linear search leaves goes to
// the cores again.
const (
	coreCallShare = 0.03
	linearShare   = 0.8
)

// keepShare caps the work of each step's search for a better grid that
// keeps every objective literal the best grid has false (keepGood).
const keepShare = 0.05

// exactFits reports whether the exact phase may run on in.
func exactFits(in *instance) bool {
	if in.nMeetings == 0 || in.nMeetings > exactMaxMeetings {
		return false
	}
	for d := 0; d < in.nDays; d++ {
		if lo, hi := in.daySpan(d); hi-lo > exactMaxSlotsPerDay {
			return false
		}
	}
	return true
}

// exactReport is what the exact phase did.
type exactReport struct {
	// slots is the best grid found, nil if none beat the starting grid.
	slots []int32
	// optimal: no complete grid within the per-participant cap has fewer
	// breaks than the result (proved by the solver or by the lower bound).
	optimal bool
	// cut: the deadline or the context stopped the solver (rather than a
	// proof or the conflict limit, which do not depend on the clock).
	cut bool
	// unfair: no complete grid keeps every participant within the
	// spread's cap (proven by the solver).
	unfair bool
	// lower is a lower bound on the breaks (the encoding's forced breaks,
	// or the optimum when proven).
	lower int
	// breakCap is the cap on each participant's breaks under which lower
	// and optimal hold.
	breakCap int
}

// exactImprove minimises the breaks, then the idle slots, of the complete
// grid st (every meeting placed) with the SAT solver, until deadline or
// the work limit in all, by core-boosted linear search: first core-guided
// search (coreSearch) raises the lower bound with the cores it finds
// within coreCallShare of the work (and ends at the optimum when it gets
// there), then a linear search asks for a grid with one break fewer than
// the best so far, starting the solver from that grid and bounding both
// the objective and the cores' reformulation of it (each step first
// within keepShare of the work keeps the participants the best grid has
// without a break without one: keepGood), until the solver
// proves there is none or the break count reaches the lower bound. When
// linearShare of the work ends that descent, the cores get the rest. Then,
// with the breaks proven minimal and work left, it does the same for idle
// slots with the breaks fixed. Each participant may have at most max(2,
// their most breaks in st) breaks, the fairness limit of the b2bsp
// benchmark, which st itself satisfies. st is not modified.
//
// busyPerSlot is passed to encodeExact.
//
// With spread > 0 the cap is spread instead (Options.MaxBreakSpread); when
// st exceeds it, the first grid found within it replaces st whatever its
// breaks, and rep.unfair reports that none exists.
func exactImprove(ctx context.Context, st *state, deadline time.Time, limit work, lowerBound int64, spread int, busyPerSlot bool, progress func(breaks, idle int64)) exactReport {
	in := st.in
	var rep exactReport
	if st.placed != in.nMeetings || limit.conflicts <= 0 || limit.ticks <= 0 {
		return rep
	}
	var spent work // work of the solvers already discarded
	var s *sat.Solver
	clock := func() bool {
		return ctx.Err() != nil || time.Now().After(deadline)
	}
	stop := func() bool { return clock() || limit.reached(spent, s) }
	if clock() {
		rep.cut = true
		return rep
	}
	most := 0 // the most breaks of one participant in st
	for p := 0; p < in.nParts; p++ {
		b := 0
		for d := 0; d < in.nDays; d++ {
			n, _ := gapBreaks(st.busy[p*in.nDays+d])
			b += n
		}
		most = max(most, b)
	}
	breakCap, unfair := max(2, most), false
	if spread > 0 {
		breakCap, unfair = spread, most > spread
	}
	rep.breakCap = breakCap
	e := encodeExact(in, breakCap, false, busyPerSlot)
	best := append([]int32(nil), st.slot...)
	bestB, bestI := st.breaks, st.idle
	if unfair {
		// Any grid within the cap beats the start.
		bestB, bestI = int64(len(e.objective)+e.forced)+1, math.MaxInt64
	}
	lowerBound = max(lowerBound, int64(e.forced))
	scratch := newState(in)
	improved := false
	bestModel := e.model(best)
	// accept decodes the solver's model and keeps it if it is a complete
	// grid that is better; anything else would be a bug in the encoding,
	// and the phase then stops rather than trust it.
	accept := func() bool {
		slots := e.slots(s)
		scratch.assign(slots)
		if scratch.placed != in.nMeetings || scratch.breaks > bestB ||
			scratch.breaks == bestB && scratch.idle >= bestI {
			return false
		}
		best, bestB, bestI = slots, scratch.breaks, scratch.idle
		bestModel = append(bestModel[:0], s.Model()...)
		s.SetHint(bestModel)
		improved = true
		if progress != nil {
			progress(bestB, bestI)
		}
		return true
	}

	// Breaks.
	s = e.load()
	s.SetHint(bestModel)
	e.windowsFirst(s)
	obj := s.AddAtMost(e.objective, int(bestB)-e.forced)
	done := false
	if unfair {
		// First a grid within the cap, whatever its breaks.
		switch s.Solve(stop) {
		case sat.Sat:
			done = !accept()
		case sat.Unsat:
			rep.unfair, done = true, true
		default:
			rep.cut, done = clock(), true
		}
	}
	// Core-boosted linear search: first the cores raise the lower bound
	// (and end at the optimum when they get there) until a call reaches
	// its cap, then a linear search from above asks for one break fewer
	// than the best grid, bounding both the objective and the cores'
	// reformulation of it, until the two meet or the search reaches its
	// share of the work; the rest goes to the cores again, which go on
	// from the first ones.
	cs := e.newCoreSearch()
	runCores := func(share float64) {
		end := limit.part(spent, s, share)
		status := cs.run(s, func() bool { return stop() || end.reached(spent, s) })
		lowerBound = max(lowerBound, int64(cs.lower+e.forced))
		debugf("cores: status %v lower %d best %d conflicts %d ticks %d", status, lowerBound, bestB, s.Conflicts(), s.Ticks())
		switch status {
		case sat.Sat: // the optimum: lowerBound
			accept()
			done = true
		case sat.Unsat:
			// No grid within the bounds s holds: with a grid within the
			// cap known, the best is optimal (the objective is bounded
			// below it); without, no grid keeps the cap.
			if improved || !unfair {
				rep.optimal = true
			} else {
				rep.unfair = true
			}
			done = true
		}
	}
	if !done && bestB > lowerBound {
		runCores(coreCallShare)
	}
	if !done && bestB > lowerBound && !stop() {
		red := s.AddAtMost(cs.soft(), int(bestB)-e.forced-cs.lower)
		linEnd := limit.part(spent, s, linearShare)
		for bestB > lowerBound && !done {
			s.Tighten(obj, int(bestB-1)-e.forced)
			s.Tighten(red, int(bestB-1)-e.forced-cs.lower)
			status := e.keepGood(s, bestModel, limit.part(spent, s, keepShare), spent, stop)
			if status == sat.Unknown {
				status = s.Solve(func() bool { return stop() || linEnd.reached(spent, s) })
			}
			debugf("linear: status %v best %d lower %d conflicts %d ticks %d", status, bestB, lowerBound, s.Conflicts(), s.Ticks())
			switch status {
			case sat.Unsat:
				rep.optimal, done = true, true
			case sat.Sat:
				done = !accept()
			default:
				if !stop() && bestB > lowerBound {
					runCores(1)
				}
				done = true
			}
		}
	}
	rep.cut = rep.cut || !rep.optimal && bestB > lowerBound && clock()
	rep.optimal = !rep.unfair && (rep.optimal || bestB <= lowerBound)
	rep.lower = int(lowerBound)
	if rep.optimal {
		rep.lower = int(bestB)
	}

	// Idle slots, with the breaks at their optimum. Every break is at
	// least one idle slot, so idle == breaks is optimal too. A new solver
	// is needed: the first one has learnt that fewer breaks are impossible.
	if rep.optimal && bestI > bestB && !stop() {
		spent = spent.add(s)
		e = encodeExact(in, breakCap, true, busyPerSlot)
		s = e.load()
		s.SetHint(e.model(best))
		s.AddAtMost(e.objective, int(bestB)-e.forced)
		idle := s.AddAtMost(e.idle, int(bestI))
		for done = false; bestI > bestB && !done; {
			s.Tighten(idle, int(bestI-1))
			switch s.Solve(stop) {
			case sat.Sat:
				done = !accept()
			case sat.Unsat:
				done = true
			default:
				rep.cut = clock()
				done = true
			}
		}
	}
	if improved {
		rep.slots = best
	}
	return rep
}

// windowsFirst makes the solver decide the window variables before the
// others at first: a window is the decision that places a participant's
// whole day, and branching on windows first found the b2bsp optima more
// often. Activity bumps from conflicts take over from there.
func (e *exactEncoding) windowsFirst(s *sat.Solver) {
	for _, wv := range e.windows {
		if wv.nb != 0 {
			s.Boost(wv.nb, 2)
		}
		for _, w := range wv.w {
			s.Boost(w, 1)
		}
	}
}

// work is an amount of SAT solver work: conflicts and propagation ticks.
// The exact phases stop when either limit is reached; both are
// deterministic, unlike the clock.
type work struct {
	conflicts, ticks int64
}

// unlimited is no work limit.
var unlimited = work{conflicts: math.MaxInt64, ticks: math.MaxInt64}

// part returns the limit at which a fraction share of w is spent from
// now on (spent plus the work of s so far).
func (w work) part(spent work, s *sat.Solver, share float64) work {
	now := spent.add(s)
	return work{satAdd(now.conflicts, int64(float64(w.conflicts)*share)), satAdd(now.ticks, int64(float64(w.ticks)*share))}
}

// satAdd adds without overflowing past math.MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// reached reports whether spent plus the work of s reaches a limit of w.
func (w work) reached(spent work, s *sat.Solver) bool {
	return spent.conflicts+s.Conflicts() >= w.conflicts || spent.ticks+s.Ticks() >= w.ticks
}

// add returns w plus the work of s.
func (w work) add(s *sat.Solver) work {
	return work{w.conflicts + s.Conflicts(), w.ticks + s.Ticks()}
}

// traceExact, when set (by debugging code), receives a line per step of
// the exact phase.
var traceExact func(format string, args ...any)

func debugf(format string, args ...any) {
	if traceExact != nil {
		traceExact(format, args...)
	}
}

// keepGood asks for a grid within the bounds s holds (one break fewer than
// the best) that keeps false every objective literal false in model (the
// best grid): participants without a break keep going without. Each core
// frees its literals and the search goes on, until a grid is found
// (sat.Sat), the bounds alone have none (sat.Unsat: the best is optimal),
// or end or stop cuts it (sat.Unknown, also when no literal is left to
// keep: the plain call then takes over).
func (e *exactEncoding) keepGood(s *sat.Solver, model []bool, end, spent work, stop func() bool) sat.Status {
	var assumps []int32
	for _, o := range e.objective {
		if int(abs32(o)) < len(model) && model[abs32(o)] != (o > 0) {
			assumps = append(assumps, -o)
		}
	}
	for len(assumps) > 0 {
		switch s.SolveAssuming(assumps, func() bool { return stop() || end.reached(spent, s) }) {
		case sat.Sat:
			return sat.Sat
		case sat.Unknown:
			return sat.Unknown
		}
		core := s.Core()
		if len(core) == 0 {
			return sat.Unsat
		}
		in := make(map[int32]bool, len(core))
		for _, a := range core {
			in[a] = true
		}
		kept := assumps[:0]
		for _, a := range assumps {
			if !in[a] {
				kept = append(kept, a)
			}
		}
		assumps = kept
	}
	return sat.Unknown
}
