package scheduler

import "fmt"

// feasible checks that the slots of a grid (slots[m] < 0: unplaced) keep
// every hard rule the solver's moves must keep: domains (sessions, fixed
// and locked slots, forbidden slots), one meeting per participant and slot,
// the caps on meetings, the shared tables of every slot and the
// precedences. It is the solver's own guard, run after every phase (the
// independent Check runs on the finished grid); a failure is a bug in a
// move, and Solve then falls back to the last grid that passed.
func feasible(in *instance, slots []int32) error {
	busy := make(map[int64]int32, 2*len(slots))
	count := make([]int32, in.nParts)
	load := make([]int32, in.nSlots)
	for m, s := range slots {
		if s < 0 {
			continue
		}
		if !in.domain[m].has(int(s)) {
			return fmt.Errorf("meeting %q in slot %d outside its domain", in.p.Meetings[m].ID, s)
		}
		for _, p := range [2]int32{in.ma[m], in.mb[m]} {
			k := int64(p)*int64(in.nSlots) + int64(s)
			if o, ok := busy[k]; ok {
				return fmt.Errorf("participant %s has meetings %q and %q in slot %d",
					in.p.name(int(p)), in.p.Meetings[o].ID, in.p.Meetings[m].ID, s)
			}
			busy[k] = int32(m)
			count[p]++
		}
		if in.shared[m] {
			load[s]++
		}
		for _, q := range in.before[m] {
			if qs := slots[q]; qs >= 0 && qs >= s {
				return fmt.Errorf("meeting %q (slot %d) must come after %q (slot %d)",
					in.p.Meetings[m].ID, s, in.p.Meetings[q].ID, qs)
			}
		}
	}
	for p, c := range count {
		if c > in.maxMeet[p] {
			return fmt.Errorf("participant %s has %d meetings, at most %d", in.p.name(p), c, in.maxMeet[p])
		}
	}
	for s, l := range load {
		if l > in.capacity[s] {
			return fmt.Errorf("slot %d has %d meetings at shared tables, %d available", s, l, in.capacity[s])
		}
	}
	return nil
}
