package scheduler

import "fmt"

// verify checks the state's redundant structures against each other.
func (st *state) verify() error {
	in := st.in
	if err := feasible(in, st.slot); err != nil {
		return err
	}
	var breaks, idle int64
	for k, mask := range st.busy {
		b, i := gapBreaks(mask)
		breaks += int64(b)
		idle += int64(i)
		p, d := k/in.nDays, k%in.nDays
		var want uint64
		for s := int(in.dayFirst[d]); s < in.nSlots && int(in.slotDay[s]) == d; s++ {
			if st.at[p*in.nSlots+s] >= 0 {
				want |= 1 << in.slotPos[s]
			}
		}
		if want != mask {
			return fmt.Errorf("busy mask of participant %d day %d is %b, want %b", p, d, mask, want)
		}
	}
	if breaks != st.breaks || idle != st.idle {
		return fmt.Errorf("totals breaks %d idle %d, recomputed %d %d", st.breaks, st.idle, breaks, idle)
	}
	placed := 0
	for m, s := range st.slot {
		if s < 0 {
			if st.unplacedList[st.unplacedPos[m]] != int32(m) {
				return fmt.Errorf("unplaced list lost meeting %d", m)
			}
			continue
		}
		placed++
		for _, p := range [2]int32{in.ma[m], in.mb[m]} {
			if st.at[int(p)*in.nSlots+int(s)] != int32(m) {
				return fmt.Errorf("meeting %d slot %d: at[%d] = %d", m, s, p, st.at[int(p)*in.nSlots+int(s)])
			}
		}
		if st.members[s][st.posIn[m]] != int32(m) {
			return fmt.Errorf("members of slot %d lost meeting %d", s, m)
		}
		if !in.domain[m].has(int(s)) {
			return fmt.Errorf("meeting %d in slot %d outside its domain", m, s)
		}
	}
	if placed != st.placed || len(st.unplacedList) != in.nMeetings-placed {
		return fmt.Errorf("placed %d, counter %d, unplaced list %d", placed, st.placed, len(st.unplacedList))
	}
	for i, m := range st.at {
		if m >= 0 && int(st.slot[m]) != i%in.nSlots {
			return fmt.Errorf("at[%d]=%d but the meeting is in slot %d", i, m, st.slot[m])
		}
	}
	for s, list := range st.members {
		load, atTables := int32(0), int32(0)
		for _, m := range list {
			if in.shared[m] {
				load++
			}
			if !in.virtual[m] {
				atTables++
			}
		}
		if load != st.load[s] || load > in.capacity[s] || atTables > in.tables[s] {
			return fmt.Errorf("slot %d: %d meetings, load %d (counter %d), capacity %d, tables %d", s, len(list), load, st.load[s], in.capacity[s], in.tables[s])
		}
	}
	return nil
}
