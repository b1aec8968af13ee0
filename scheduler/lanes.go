package scheduler

// exactLanes is the number of lanes in which the phases after the
// construction run side by side on events the exact phases fit (see
// improve). The last steps of the exact minimisation are single SAT calls
// whose outcome swings with the annealed grid they start from; lanes that
// start from different annealed grids miss different optima, and the best
// of two found the b2bsp optima more often than one lane with twice the
// work. The number is fixed, not taken from the machine, so that the
// grid does not depend on the machine; each lane has the whole work
// limit, so on one core the clock may cut them.
const exactLanes = 2

// lane is one lane's outcome: its grid, result, guard and the cap on each
// participant's breaks under which its bounds hold.
type lane struct {
	st  *state
	res *Result
	g   *guard
	cap int
}

// mergeLanes returns the best lane's grid (ties go to the lower lane) and
// writes its outcome into res and g: the moves of all lanes, the budget
// hit by any, every lane's warnings, and as the lower bound on the breaks
// the highest bound that holds for the best grid (a bound proven under a
// cap at least the best lane's holds for every grid within the best
// lane's cap).
func mergeLanes(lanes []lane, res *Result, g *guard) *state {
	best := 0
	for i := range lanes {
		if lanes[i].st.cost() < lanes[best].st.cost() {
			best = i
		}
	}
	b := &lanes[best]
	merged := *b.res
	merged.Warnings = res.Warnings
	merged.Iterations = 0
	lower := b.res.Bounds.BreaksLower
	for i := range lanes {
		l := &lanes[i]
		merged.Iterations += l.res.Iterations
		merged.BudgetHit = merged.BudgetHit || l.res.BudgetHit
		merged.SpreadUnreachable = merged.SpreadUnreachable || l.res.SpreadUnreachable
		// A lane that proved it places the most places no more than the
		// best lane.
		merged.PlacementProven = merged.PlacementProven || l.res.PlacementProven
		merged.Warnings = append(merged.Warnings, l.res.Warnings[len(res.Warnings):]...)
		if l.cap >= b.cap {
			lower = max(lower, l.res.Bounds.BreaksLower)
		}
	}
	if b.st.placed == b.st.in.nMeetings {
		merged.Bounds.BreaksLower = min(lower, int(b.st.breaks))
		merged.BreaksOptimal = merged.BreaksOptimal || int64(lower) >= b.st.breaks
	}
	*res = merged
	*g = *b.g
	g.res = res
	return b.st
}
