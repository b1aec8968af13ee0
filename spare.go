package matchgrid

import (
	"context"
	"slices"

	"github.com/matchgrid/matchgrid/scheduler"
)

// SpareTableOption is the grid the event would get if Used of its spare
// tables were given to the scheduler: how many meetings it places and how
// many breaks it has, next to the grid with every spare table kept free.
type SpareTableOption struct {
	Used   int `json:"used"`
	Tables int `json:"tables"`
	Placed int `json:"placed"`
	Breaks int `json:"breaks"`
	// Unplaced is the number of meetings still left out.
	Unplaced int `json:"unplaced"`
}

// maxSpareOptions bounds the extra solves of a preview.
const maxSpareOptions = 5

// spareTradeoffs solves the event again with more of its spare tables in
// use (one, two, ... all; at most maxSpareOptions evenly spaced counts),
// each with a quarter of the budget and the same seed, so that the
// organizer sees what each spare table buys. None when the event keeps no
// table spare or the context ends.
func spareTradeoffs(ctx context.Context, in *gridInput, opts ScheduleOptions) []SpareTableOption {
	reserved := len(in.problem.Reserved)
	if reserved == 0 {
		return nil
	}
	var counts []int
	for i := 1; i <= min(reserved, maxSpareOptions); i++ {
		counts = append(counts, i*reserved/min(reserved, maxSpareOptions))
	}
	counts = slices.Compact(counts)
	budget := opts.Budget
	if budget <= 0 {
		budget = scheduler.DefaultBudget
	}
	var out []SpareTableOption
	for _, used := range counts {
		p := *in.problem
		p.Reserved = p.Reserved[:reserved-used]
		res, err := scheduler.Solve(ctx, &p, scheduler.Options{Budget: budget / 4, Seed: opts.Seed})
		if err != nil {
			return out
		}
		out = append(out, SpareTableOption{Used: used, Tables: in.tables - len(p.Reserved), Placed: res.Metrics.Placed,
			Breaks: res.Metrics.Breaks, Unplaced: res.Metrics.Meetings - res.Metrics.Placed})
	}
	return out
}
