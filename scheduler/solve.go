package scheduler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Options tune Solve.
type Options struct {
	// Budget bounds the wall-clock time of the improvement phase; 0 means
	// DefaultBudget. Construction and table assignment always complete.
	Budget time.Duration
	// Seed makes runs reproducible: the same problem, seed and iteration
	// limit give the same grid as long as the budget does not cut the run.
	Seed int64
	// Iterations limits the improvement moves; 0 derives a limit from the
	// problem size and the budget (see defaultIterations), negative skips
	// improvement.
	Iterations int64
	// Published holds placements, keyed by meeting ID, that must not change:
	// incremental mode. Such meetings behave exactly like locked ones.
	Published map[string]Placement
	// Progress, if set, is called now and then from one goroutine at a time.
	Progress func(Progress)
	// Workers is the number of independent searches run in parallel from
	// the same construction, each with its own random stream; the best grid
	// wins. 0 means 1. More workers help only on otherwise idle CPUs.
	// Where an exact phase runs, the phases after the construction run in
	// two lanes side by side, each with Workers annealing searches (see
	// the package documentation).
	Workers int
	// ExactConflicts limits the work of each exact phase (the SAT-based
	// placement and minimisation of breaks after the annealing, see the
	// package documentation) in solver conflicts; 0 derives a limit from
	// the budget (ticksPerSecond), or from Iterations (a tenth) when
	// that is set; negative skips the exact phases and gives the annealing
	// the whole budget.
	ExactConflicts int64
	// MaxBreakSpread, if positive, is the fairness limit of the b2bsp
	// benchmark: the exact phase keeps every participant at most this many
	// breaks (which keeps max - min breaks within it, as some participant
	// always can go without), so that results compare one to one with the
	// published optima. 0 caps each participant at max(2, their most
	// breaks in the annealing's grid).
	MaxBreakSpread int
	// ClockScale, if above 1, stretches the wall-clock deadline by that
	// factor while the work limits stay those of Budget: a run then ends
	// at its work limits, as on a quiet machine, even on a busy one (the
	// work-only harness, see WorkEvalEnv).
	ClockScale float64
}

// DefaultBudget is the improvement budget used when Options.Budget is 0.
const DefaultBudget = 2 * time.Second

// Work limits derived from the budget. The search stops at these counts
// of annealing moves and SAT propagation ticks (sat.Solver.Ticks), which do
// not depend on the machine, so that a budget and a seed give the same
// grid on a quiet or a busy machine; the wall clock only cuts a run that
// the machine is too slow to finish (Result.BudgetHit), keeping the best
// grid so far. On a 2-core VM shared by seven busy processes the annealing
// made 670,000-780,000 moves and the solver 9-18 million ticks a second on
// the b2bsp instances; with little else running, one lane of the solver
// (see exactLanes) made about 24 million. ticksPerSecond is set for a
// quiet machine, where the exact phase used only half of the budget at
// 12 million; on a busy one the clock, not the work limit, then ends the
// slowest instances (MATCHGRID_WORK_EVAL gives the quiet machine's grids
// there).
const (
	movesPerSecond = 350_000
	ticksPerSecond = 20_000_000
)

// defaultIterations scales the number of improvement moves with the number
// of meetings (15,000 each, at least 200,000) and caps them at what the
// budget allows at movesPerSecond.
func defaultIterations(nMeetings int, budget time.Duration) int64 {
	byBudget := int64(budget.Seconds() * movesPerSecond)
	return max(min(max(int64(nMeetings)*15_000, 200_000), byBudget), 1000)
}

// Solve builds a meeting grid for p: bounds first, then a most-constrained
// first construction with Kempe-chain repair, then simulated annealing on
// the lexicographic objective (placed priority weight, breaks, idle slots),
// then, on events of up to a few hundred meetings where every meeting is
// placed, the exact phase (a SAT solver minimises breaks, then idle slots,
// starting from the annealing's grid), and finally the tables. It returns
// an error only for an invalid problem; meetings that cannot be placed are
// listed in Result.Unplaced with a reason.
func Solve(ctx context.Context, p *Problem, opts Options) (*Result, error) {
	start := time.Now()
	in, err := compile(p, opts.Published)
	if err != nil {
		return nil, err
	}
	budget := opts.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	deadline := start.Add(stretch(budget, clockScale(opts)))
	iters := opts.Iterations
	if iters == 0 {
		iters = defaultIterations(in.nMeetings, budget)
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x6d61746368677269))
	report := func(phase string, st *state, it int64) {
		if opts.Progress != nil {
			opts.Progress(Progress{Phase: phase, Iteration: it, Iterations: iters, Placed: st.placed,
				Breaks: st.breaks, IdleSlots: st.idle, Elapsed: time.Since(start)})
		}
	}

	bounds := computeBounds(in)
	st := newState(in)
	placeLocked(st)
	report("construct", st, 0)
	construct(st, constructionOrder(in), rng, 64)
	report("construct", st, 0)

	res := &Result{Bounds: bounds}
	g := &guard{in: in, res: res}
	g.check("construction", st)
	if iters > 0 {
		st = improve(ctx, st, opts, iters, budget, start, deadline, res, g)
	}
	if st.placed == in.nMeetings && res.BreaksOptimal {
		res.Bounds.BreaksLower = int(st.breaks)
	}
	uniform := in.totalW == int64(in.nMeetings) // every meeting of weight 1
	res.PlacementProven = res.PlacementProven || st.placed == in.nMeetings || uniform && st.placed == bounds.PlacedUpper
	if err := ctx.Err(); err != nil && !res.BudgetHit {
		return nil, err
	}
	res.Grid = finishGrid(in, st)
	report("tables", st, res.Iterations)
	res.Unplaced = explainUnplaced(in, st, g.reasons)
	if res.Metrics, err = Evaluate(p, res.Grid); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// finishGrid assigns tables and converts the state to a Grid.
func finishGrid(in *instance, st *state) *Grid {
	tables := assignTables(in, st.slot)
	g := NewGrid(in.nMeetings)
	for m, s := range st.slot {
		if s >= 0 {
			g.Placements[m] = Placement{Slot: int(s), Table: int(tables[m])}
		}
	}
	return g
}

// explainUnplaced gives every unplaced meeting the most specific reason we
// can prove or observe.
func explainUnplaced(in *instance, st *state, exact map[int32]string) []UnplacedMeeting {
	var out []UnplacedMeeting
	p := in.p
	for m := int32(0); m < int32(in.nMeetings); m++ {
		if st.slot[m] >= 0 {
			continue
		}
		reason := staticReason(in, st, m)
		if reason == "" {
			reason = exact[m]
		}
		if reason == "" {
			reason = reasonFor(in, st, m)
		}
		out = append(out, UnplacedMeeting{Index: int(m), ID: p.Meetings[m].ID, Reason: reason})
	}
	return out
}

// staticReason is the reason for unplaced meeting m that the problem
// itself proves (a lock, an empty domain, an over-subscribed participant),
// "" if none applies.
func staticReason(in *instance, st *state, m int32) string {
	p := in.p
	a, b := in.ma[m], in.mb[m]
	if in.locked[m] {
		s := in.domain[m].first()
		for _, q := range [2]int32{a, b} {
			if c := st.meetingAt(q, s); c >= 0 {
				return fmt.Sprintf("locked in slot %d, where %s already has meeting %q (check the locks)", s, p.name(int(q)), p.Meetings[c].ID)
			}
		}
		return fmt.Sprintf("locked in slot %d, whose %d tables are all taken (check the locks)", s, in.tables[s])
	}
	if note := in.domainNote[m]; note != "" {
		return note
	}
	for _, q := range [2]int32{a, b} {
		deg := len(in.incident[q])
		if c := capacityOf(in, int(q)); deg > c {
			if int(in.maxMeet[q]) == c && c < in.avail[q].count() {
				return fmt.Sprintf("participant %s has %d meetings and a maximum of %d", p.name(int(q)), deg, c)
			}
			return fmt.Sprintf("participant %s has %d meetings and %d free slots", p.name(int(q)), deg, c)
		}
	}
	return ""
}

// reasonFor describes what keeps unplaced meeting m out of the grid as it
// is: the slots where one participant is busy, tables are full or the
// precedences forbid it.
func reasonFor(in *instance, st *state, m int32) string {
	p := in.p
	a, b := in.ma[m], in.mb[m]
	na, nb := p.name(int(a)), p.name(int(b))
	if r := staticReason(in, st, m); r != "" {
		return r
	}
	for _, q := range [2]int32{a, b} {
		if st.nMeet[q] >= in.maxMeet[q] {
			return fmt.Sprintf("participant %s already has the maximum of %d meetings", p.name(int(q)), in.maxMeet[q])
		}
	}
	var full, busyA, busyB, order int
	dom := in.domain[m].members(nil)
	for _, s := range dom {
		switch {
		case !st.free(a, s):
			busyA++
		case !st.free(b, s):
			busyB++
		case !st.fits(m, s):
			full++
		case !st.precedenceOK(m, s):
			order++
		}
	}
	switch {
	case full == len(dom):
		return fmt.Sprintf("all tables are taken in the %d slots both %s and %s are free", full, na, nb)
	case order > 0 && full+order == len(dom)-busyA-busyB && busyA+busyB < len(dom):
		return fmt.Sprintf("the precedences of the meeting leave no free slot for %s and %s", na, nb)
	default:
		return fmt.Sprintf("of the %d slots both %s and %s may use, %s is busy in %d, %s in %d, and %d have no table left",
			len(dom), na, nb, na, busyA, nb, busyB, full)
	}
}

// improveParallel runs the improvement phase from the constructed state in
// independent searches, one per worker, each with its own random stream
// derived from the seed, and returns the best state (ties go to the lowest
// worker, so the choice is deterministic). Lane (see improve) selects
// the streams: lane 0 has those of a single lane.
// With stall, a search whose best grid stops improving ends early (see
// search.stallAfter).
func improveParallel(ctx context.Context, st *state, opts Options, lane int, iters int64, deadline, start time.Time, stall bool) (*state, int64, bool) {
	in := st.in
	workers := max(opts.Workers, 1)
	states := make([]*state, workers)
	itersDone := make([]int64, workers)
	hit := make([]bool, workers)
	var wg sync.WaitGroup
	// Copy the constructed state for every worker before any of them starts
	// changing it.
	states[0] = st
	for w := 1; w < workers; w++ {
		states[w] = newState(in)
		states[w].assign(st.slot)
	}
	for w := range workers {
		ws := states[w]
		progress := opts.Progress
		if w > 0 {
			progress = nil
		}
		rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x696d70726f7665+uint64(lane*workers+w)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr := newSearch(ctx, ws, rng, iters, deadline, progress, start)
			if stall {
				sr.stallAfter = int64(float64(iters) * stallShare)
			}
			itersDone[w], hit[w] = sr.run(tuneT0*costBreak, tuneT1*costBreak)
		}()
	}
	wg.Wait()
	best := 0
	var total int64
	anyHit := false
	for w := range workers {
		total += itersDone[w]
		anyHit = anyHit || hit[w]
		if states[w].cost() < states[best].cost() {
			best = w
		}
	}
	return states[best], total, anyHit
}
