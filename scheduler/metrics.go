package scheduler

import (
	"fmt"
	"sort"
)

// Metrics measures a grid. Breaks and idle slots are counted per participant
// and per day: a break is a maximal run of idle slots strictly between the
// participant's first and last meeting of the day; idle slots are the slots
// inside those runs.
type Metrics struct {
	Meetings       int   // meetings requested
	Placed         int   // meetings with a slot
	PlacedWeight   int64 // sum of Priority+1 over placed meetings
	TotalWeight    int64 // sum of Priority+1 over all meetings
	Breaks         int
	IdleSlots      int
	TableChanges   int // consecutive meetings of a participant in a day at different tables
	MaxBreaks      int // most breaks of one participant
	MinBreaks      int // fewest breaks of a participant with at least one meeting
	Fairness       int // MaxBreaks - MinBreaks, the paper's fairness measure
	PerParticipant []ParticipantMetrics
}

// ParticipantMetrics are the figures of one participant.
type ParticipantMetrics struct {
	ID           string
	Requested    int
	Placed       int
	Breaks       int
	IdleSlots    int
	TableChanges int
}

// Evaluate computes the metrics of grid g for problem p. Placements that
// name unknown slots are an error; other violations are Check's business.
func Evaluate(p *Problem, g *Grid) (Metrics, error) {
	if len(g.Placements) != len(p.Meetings) {
		return Metrics{}, fmt.Errorf("%w: %d placements for %d meetings", ErrInvalidGrid, len(g.Placements), len(p.Meetings))
	}
	idx := make(map[string]int, len(p.Participants))
	for i, pt := range p.Participants {
		idx[pt.ID] = i
	}
	type visit struct{ slot, table int }
	visits := make([][]visit, len(p.Participants))
	mt := Metrics{Meetings: len(p.Meetings), PerParticipant: make([]ParticipantMetrics, len(p.Participants))}
	for i, pt := range p.Participants {
		mt.PerParticipant[i].ID = pt.ID
	}
	for i, m := range p.Meetings {
		w := int64(m.Priority) + 1
		mt.TotalWeight += w
		a, okA := idx[m.A]
		b, okB := idx[m.B]
		if okA {
			mt.PerParticipant[a].Requested++
		}
		if okB {
			mt.PerParticipant[b].Requested++
		}
		pl := g.Placements[i]
		if !pl.Placed() {
			continue
		}
		if pl.Slot >= len(p.Slots) {
			return Metrics{}, fmt.Errorf("%w: meeting %q: slot %d out of range", ErrInvalidGrid, m.ID, pl.Slot)
		}
		mt.Placed++
		mt.PlacedWeight += w
		for _, x := range [2]int{a, b} {
			if x == a && !okA || x == b && !okB {
				continue
			}
			visits[x] = append(visits[x], visit{pl.Slot, pl.Table})
			mt.PerParticipant[x].Placed++
		}
	}
	mt.MinBreaks = -1
	for i, vs := range visits {
		sort.Slice(vs, func(x, y int) bool { return vs[x].slot < vs[y].slot })
		pm := &mt.PerParticipant[i]
		for k := 0; k < len(vs); {
			// One day at a time.
			day := p.Slots[vs[k].slot].Day
			first := vs[k].slot
			var mask uint64
			j := k
			for ; j < len(vs) && p.Slots[vs[j].slot].Day == day; j++ {
				if off := vs[j].slot - first; off < 64 {
					mask |= 1 << uint(off)
				}
				if j > k && vs[j].table != vs[j-1].table && vs[j].slot != vs[j-1].slot && vs[j].table >= 0 && vs[j-1].table >= 0 {
					pm.TableChanges++
				}
			}
			br, id := gapBreaks(mask)
			pm.Breaks += br
			pm.IdleSlots += id
			k = j
		}
		mt.Breaks += pm.Breaks
		mt.IdleSlots += pm.IdleSlots
		mt.TableChanges += pm.TableChanges
		if len(vs) > 0 {
			mt.MaxBreaks = max(mt.MaxBreaks, pm.Breaks)
			if mt.MinBreaks < 0 || pm.Breaks < mt.MinBreaks {
				mt.MinBreaks = pm.Breaks
			}
		}
	}
	if mt.MinBreaks < 0 {
		mt.MinBreaks = 0
	}
	mt.Fairness = mt.MaxBreaks - mt.MinBreaks
	return mt, nil
}

// BreaksSummary describes the breaks of a result against their lower
// bound: "breaks N (lower bound L, proven optimal)" or "breaks N (lower
// bound L, gap N-L)". The bound holds for grids that place every meeting,
// so a result with unplaced meetings says so instead.
func (r *Result) BreaksSummary() string {
	n := r.Metrics.Breaks
	if r.Metrics.Placed < r.Metrics.Meetings {
		return fmt.Sprintf("breaks %d (%d meetings unplaced: no bound)", n, r.Metrics.Meetings-r.Metrics.Placed)
	}
	l := r.Bounds.BreaksLower
	if r.BreaksOptimal || n <= l {
		return fmt.Sprintf("breaks %d (lower bound %d, proven optimal)", n, l)
	}
	return fmt.Sprintf("breaks %d (lower bound %d, gap %d)", n, l, n-l)
}

// Proven reports whether the result is proven best in its first two
// criteria: every meeting placed and the breaks proven minimal, or not
// every meeting placeable and no grid placing more (the infeasibility of a
// complete grid proven).
func (r *Result) Proven() bool {
	if r.Metrics.Placed == r.Metrics.Meetings {
		return r.BreaksOptimal || r.Metrics.Breaks <= r.Bounds.BreaksLower
	}
	return r.PlacementProven
}
