package scheduler

import (
	"fmt"
	"time"
)

// FirstFit is the baseline most event tools use: meetings in input order,
// each in the first slot where both participants are free, the meeting's
// restrictions hold and a table is left, at the lowest free table. Locked
// and published meetings are placed first. It exists to measure Solve
// against; its grids pass Check.
func FirstFit(p *Problem) (*Result, error) {
	start := time.Now()
	in, err := compile(p, nil)
	if err != nil {
		return nil, err
	}
	st := newState(in)
	placeLocked(st)
	for m := int32(0); m < int32(in.nMeetings); m++ {
		if st.slot[m] >= 0 || in.locked[m] {
			continue
		}
		for s := 0; s < in.nSlots; s++ {
			if st.canPlace(m, s) {
				st.place(m, s)
				break
			}
		}
	}
	g := NewGrid(in.nMeetings)
	used := make([][]bool, in.nSlots)
	next := make([]int, in.nSlots) // every table below next[s] is taken or owned
	for s := range used {
		used[s] = make([]bool, in.tables[s])
	}
	for m, s := range st.slot {
		if s >= 0 && in.locked[m] {
			pl, _ := lockedPlacement(in, int32(m))
			g.Placements[m] = pl
			used[s][pl.Table] = true
		}
	}
	for m, s := range st.slot {
		if s < 0 || in.locked[m] {
			continue
		}
		t := -1
		for _, q := range [2]int32{in.ma[m], in.mb[m]} {
			if o := int(in.ownTable[q]); o >= 0 && !used[s][o] {
				t = o
				break
			}
		}
		if t < 0 {
			for next[s] < len(used[s]) {
				_, owned := in.owner[next[s]]
				if !owned && !used[s][next[s]] {
					break
				}
				next[s]++
			}
			t = next[s]
		}
		if t >= len(used[s]) {
			continue // cannot happen: placement respected the table count
		}
		used[s][t] = true
		g.Placements[m] = Placement{Slot: int(s), Table: t}
	}
	res := &Result{Grid: g, Bounds: computeBounds(in), Unplaced: explainUnplaced(in, st, nil)}
	if res.Metrics, err = Evaluate(p, g); err != nil {
		return nil, fmt.Errorf("first fit: %w", err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}
