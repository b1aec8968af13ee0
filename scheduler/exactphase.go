package scheduler

import (
	"context"
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
}

// exactImprove minimises the breaks, then the idle slots, of the complete
// grid st (every meeting placed) with the SAT solver, until deadline or
// maxConflicts conflicts in all. It asks for a grid with one break fewer
// than the best so far, starting the solver from that grid, until the
// solver proves there is none (or the break count reaches the lower
// bound); then, if time is left, it does the same for idle slots with the
// breaks fixed. Each participant may have at most max(2, their most breaks
// in st) breaks, the fairness limit of the b2bsp benchmark, which st itself
// satisfies. st is not modified.
func exactImprove(ctx context.Context, st *state, deadline time.Time, maxConflicts, lowerBound int64, progress func(breaks, idle int64)) exactReport {
	in := st.in
	var rep exactReport
	if st.placed != in.nMeetings || maxConflicts <= 0 {
		return rep
	}
	spent := int64(0) // conflicts of the solvers already discarded
	var s *sat.Solver
	clock := func() bool {
		return ctx.Err() != nil || time.Now().After(deadline)
	}
	stop := func() bool { return clock() || spent+s.Conflicts() >= maxConflicts }
	if clock() {
		rep.cut = true
		return rep
	}
	breakCap := 2
	for p := 0; p < in.nParts; p++ {
		b := 0
		for d := 0; d < in.nDays; d++ {
			n, _ := gapBreaks(st.busy[p*in.nDays+d])
			b += n
		}
		breakCap = max(breakCap, b)
	}
	e := encodeExact(in, breakCap, false)
	best := append([]int32(nil), st.slot...)
	bestB, bestI := st.breaks, st.idle
	lowerBound = max(lowerBound, int64(e.forced))
	scratch := newState(in)
	improved := false
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
		s.SetHint(s.Model())
		improved = true
		if progress != nil {
			progress(bestB, bestI)
		}
		return true
	}

	// Breaks.
	s = e.load()
	s.SetHint(e.model(best))
	e.windowsFirst(s)
	obj := s.AddAtMost(e.objective, int(bestB)-e.forced)
	done := false
	for bestB > lowerBound && !done {
		s.Tighten(obj, int(bestB-1)-e.forced)
		switch s.Solve(stop) {
		case sat.Sat:
			done = !accept()
		case sat.Unsat:
			rep.optimal = true
			done = true
		default:
			rep.cut = clock()
			done = true
		}
	}
	rep.optimal = rep.optimal || bestB <= lowerBound

	// Idle slots, with the breaks at their optimum. Every break is at
	// least one idle slot, so idle == breaks is optimal too. A new solver
	// is needed: the first one has learnt that fewer breaks are impossible.
	if rep.optimal && bestI > bestB && !stop() {
		spent += s.Conflicts()
		e = encodeExact(in, breakCap, true)
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
