package scheduler

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// guard keeps the last grid that passed feasible and puts it back when a
// phase returns one that does not: a bug in a move, which Result.Warnings
// reports, never an invalid grid.
type guard struct {
	in      *instance
	res     *Result
	valid   []int32
	reasons map[int32]string // reasons for unplaced meetings proved by the exact placement
}

// check accepts st as the new valid grid, or restores the last valid one
// into st and records the failure of phase.
func (g *guard) check(phase string, st *state) {
	if err := feasible(g.in, st.slot); err != nil {
		g.res.Warnings = append(g.res.Warnings, fmt.Sprintf("the %s phase produced an invalid grid (%v); kept the grid before it", phase, err))
		if g.valid != nil {
			st.assign(g.valid)
		} else {
			st.assign(unplacedSlots(g.in.nMeetings))
		}
		return
	}
	g.valid = append(g.valid[:0], st.slot...)
}

func unplacedSlots(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = -1
	}
	return out
}

// improve runs the phases after the construction: the annealing, then,
// where the event fits, the exact placement (when meetings are left
// unplaced) and the exact minimisation of breaks (when all are placed),
// each checked by g. Where an exact phase runs, exactLanes lanes run these
// phases side by side from the constructed grid, each annealing with its
// own random stream (lane 0 is the search a single lane would make), and
// the best grid wins (mergeLanes).
func improve(ctx context.Context, st *state, opts Options, iters int64, budget time.Duration, start, deadline time.Time, res *Result, g *guard) *state {
	in := st.in
	limit := exactWork(opts, budget)
	if exactLanes < 2 || limit.conflicts <= 0 || !exactFits(in) && !placementFits(in) {
		st, _ = improveLane(ctx, st, opts, 0, iters, budget, start, deadline, res, g)
		return st
	}
	lanes := make([]lane, exactLanes)
	var wg sync.WaitGroup
	for i := range lanes {
		l := &lanes[i]
		l.st, l.res, l.g = st, &Result{}, &guard{in: in}
		*l.res = *res
		l.res.Warnings = append([]string(nil), res.Warnings...)
		*l.g = *g
		l.g.res, l.g.valid = l.res, append([]int32(nil), g.valid...)
		if i > 0 {
			// Copied before any lane starts changing st.
			l.st = newState(in)
			l.st.assign(st.slot)
		}
	}
	for i := range lanes {
		l, lopts := &lanes[i], opts
		if i > 0 {
			lopts.Progress = nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.st, l.cap = improveLane(ctx, l.st, lopts, i, iters, budget, start, deadline, l.res, l.g)
		}()
	}
	wg.Wait()
	return mergeLanes(lanes, res, g)
}

// improveLane is improve in one lane: lane selects the random streams of
// its annealing. It returns the grid and the per-participant cap on breaks
// under which the exact phase's bounds hold (math.MaxInt when no exact
// minimisation ran: the static bounds hold for every grid).
func improveLane(ctx context.Context, st *state, opts Options, lane int, iters int64, budget time.Duration, start, deadline time.Time, res *Result, g *guard) (*state, int) {
	in := st.in
	limit := exactWork(opts, budget)
	exact := limit.conflicts > 0 && exactFits(in)
	place := limit.conflicts > 0 && placementFits(in)
	annealEnd, annealIters := deadline, iters
	if exact || place {
		annealEnd = start.Add(time.Duration(float64(deadline.Sub(start)) * exactShare))
		if opts.Iterations == 0 {
			annealIters = max(int64(float64(iters)*exactShare), 1000)
		}
	}
	clock := func() bool { return ctx.Err() != nil || time.Now().After(deadline) }
	var hit bool
	st, res.Iterations, hit = improveParallel(ctx, st, opts, lane, annealIters, annealEnd, start, exact || place)
	res.BudgetHit = res.BudgetHit || hit
	g.check("annealing", st)
	if ctx.Err() != nil {
		return st, math.MaxInt
	}
	if exact || place {
		limit = handOver(opts, limit, budget, res.Iterations/int64(max(opts.Workers, 1)))
	}
	if place && st.placed < in.nMeetings && !res.PlacementProven {
		placed := placeExactly(in, st, clock, limit, res, g, opts.Progress, start)
		if exact && st.placed == in.nMeetings && placed {
			// The solver's placement ignores breaks: an annealing gives
			// the exact phase a good start (and a tighter cap on each
			// participant's breaks).
			end := time.Now().Add(time.Duration(float64(deadline.Sub(start)) * exactShare))
			if end.After(deadline) {
				end = deadline
			}
			var more int64
			st, more, hit = improveParallel(ctx, st, opts, lane, max(annealIters, 1000), end, time.Now(), false)
			res.Iterations += more
			res.BudgetHit = res.BudgetHit || hit
			g.check("annealing", st)
		}
	}
	if !exact || st.placed < in.nMeetings {
		perWorker := res.Iterations / int64(max(opts.Workers, 1))
		if left := iters - perWorker; left > 0 && time.Now().Before(deadline) && annealEnd.Before(deadline) {
			// The annealing, which can still place meetings and shorten
			// breaks, gets the rest of the moves and of the budget.
			var more int64
			st, more, hit = improveParallel(ctx, st, opts, lane, left, deadline, time.Now(), false)
			res.Iterations += more
			res.BudgetHit = res.BudgetHit || hit
			g.check("annealing", st)
		}
		return st, math.MaxInt
	}
	// The second lane's encoding counts the participants busy per slot
	// even where the tables leave room (see busyLoad).
	rep := exactImprove(ctx, st, deadline, limit, int64(res.Bounds.BreaksLower), opts.MaxBreakSpread, lane == 1, func(b, i int64) {
		if opts.Progress != nil {
			opts.Progress(Progress{Phase: "exact", Iteration: res.Iterations, Iterations: iters, Placed: st.placed,
				Breaks: b, IdleSlots: i, Elapsed: time.Since(start)})
		}
	})
	if rep.slots != nil {
		st.assign(rep.slots)
		g.check("exact", st)
	}
	res.BreaksOptimal = rep.optimal
	res.SpreadUnreachable = rep.unfair
	res.Bounds.BreaksLower = max(res.Bounds.BreaksLower, rep.lower)
	res.BudgetHit = res.BudgetHit || rep.cut
	if rep.breakCap == 0 { // no exact search ran: the static bounds
		return st, math.MaxInt
	}
	return st, rep.breakCap
}

// exactWork is the work limit of each exact phase: Options.ExactConflicts
// conflicts when set; a tenth of Options.Iterations conflicts when that is
// set; otherwise propagation ticks in proportion to the budget.
func exactWork(opts Options, budget time.Duration) work {
	switch {
	case opts.ExactConflicts != 0:
		return work{conflicts: opts.ExactConflicts, ticks: unlimited.ticks}
	case opts.Iterations > 0:
		return work{conflicts: max(opts.Iterations/10, 1000), ticks: unlimited.ticks}
	}
	return work{conflicts: unlimited.conflicts, ticks: max(int64(budget.Seconds()*(1-exactShare)*ticksPerSecond), 1_000_000)}
}

// handOver gives the exact phases the budget the annealing did not use:
// when the limit derives from the budget, the SAT ticks of the budget
// less the time the annealing's moves stand for (at movesPerSecond), if
// that is more than limit. Moves and ticks are counts, so the result does
// not depend on the machine.
func handOver(opts Options, limit work, budget time.Duration, moves int64) work {
	if opts.ExactConflicts != 0 || opts.Iterations != 0 {
		return limit
	}
	left := budget.Seconds() - float64(moves)/movesPerSecond
	limit.ticks = max(limit.ticks, int64(left*ticksPerSecond))
	return limit
}

// placeExactly runs the exact placement from st's grid, takes its grid if
// it places more priority weight, records the proof and the reasons in
// res and g, and reports whether it changed st.
func placeExactly(in *instance, st *state, clock func() bool, limit work, res *Result, g *guard, progress func(Progress), start time.Time) bool {
	rep := exactPlace(in, st.slot, clock, limit)
	res.BudgetHit = res.BudgetHit || rep.cut && clock()
	changed := rep.slots != nil && weightOf(in, rep.slots) > in.totalW-st.unplacedW
	if changed {
		st.assign(rep.slots)
		g.check("exact placement", st)
	}
	res.PlacementProven = rep.proven && (rep.slots == nil || weightOf(in, g.valid) >= weightOf(in, rep.slots))
	if rep.reasons != nil {
		g.reasons = rep.reasons
	}
	if progress != nil {
		progress(Progress{Phase: "place", Placed: st.placed, Breaks: st.breaks, IdleSlots: st.idle, Elapsed: time.Since(start)})
	}
	return changed
}
