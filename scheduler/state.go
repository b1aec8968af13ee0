package scheduler

// state is a partial slot assignment with incrementally maintained cost.
// Tables are not part of it: they are assigned afterwards (tables.go).
type state struct {
	in      *instance
	slot    []int32   // per meeting, -1 when unplaced
	at      []int32   // at[p*nSlots+s]: meeting of participant p in slot s, or -1
	members [][]int32 // meetings per slot
	posIn   []int32   // position of a meeting in members[slot]
	busy    []uint64  // busy[p*nDays+d]: mask of slot positions within day d
	nMeet   []int32   // placed meetings per participant
	load    []int32   // per slot: placed meetings that need a shared table

	journal      []journalEntry
	seen         []uint32 // per meeting, == stamp when in the current chain
	stamp        uint32
	chainBuf     []int32
	unplacedList []int32 // unplaced meetings, in no particular order
	unplacedPos  []int32

	unplacedW int64 // total weight of unplaced meetings
	placed    int
	breaks    int64
	idle      int64
}

func newState(in *instance) *state {
	st := &state{
		in:           in,
		slot:         make([]int32, in.nMeetings),
		at:           make([]int32, in.nParts*in.nSlots),
		members:      make([][]int32, in.nSlots),
		posIn:        make([]int32, in.nMeetings),
		busy:         make([]uint64, in.nParts*in.nDays),
		nMeet:        make([]int32, in.nParts),
		load:         make([]int32, in.nSlots),
		unplacedW:    in.totalW,
		seen:         make([]uint32, in.nMeetings),
		unplacedList: make([]int32, in.nMeetings),
		unplacedPos:  make([]int32, in.nMeetings),
	}
	for i := range st.slot {
		st.slot[i] = -1
		st.unplacedList[i] = int32(i)
		st.unplacedPos[i] = int32(i)
	}
	for i := range st.at {
		st.at[i] = -1
	}
	return st
}

func (st *state) meetingAt(p int32, s int) int32 { return st.at[int(p)*st.in.nSlots+s] }

// free reports whether participant p has no meeting in slot s.
func (st *state) free(p int32, s int) bool { return st.at[int(p)*st.in.nSlots+s] < 0 }

// cost is the scalar objective used by the local search; lower is better.
// The weights make it lexicographic for all practical sizes: one unit of
// unplaced weight outweighs any number of breaks an event can have.
func (st *state) cost() int64 {
	return st.unplacedW*costUnplaced + st.breaks*costBreak + st.idle*costIdle
}

const (
	costUnplaced = 1 << 32
	costBreak    = 1 << 10
	costIdle     = 1
)

// touch updates the busy mask of participant p for slot s and the break and
// idle totals.
func (st *state) touch(p int32, s int, on bool) {
	in := st.in
	k := int(p)*in.nDays + int(in.slotDay[s])
	old := st.busy[k]
	nw := old
	if on {
		nw |= 1 << in.slotPos[s]
	} else {
		nw &^= 1 << in.slotPos[s]
	}
	ob, oi := gapBreaks(old)
	nb, ni := gapBreaks(nw)
	st.busy[k] = nw
	st.breaks += int64(nb - ob)
	st.idle += int64(ni - oi)
}

// place puts meeting m into slot s without any feasibility check.
func (st *state) place(m int32, s int) {
	in := st.in
	a, b := in.ma[m], in.mb[m]
	st.slot[m] = int32(s)
	st.at[int(a)*in.nSlots+s] = m
	st.at[int(b)*in.nSlots+s] = m
	if in.shared[m] {
		st.load[s]++
	}
	st.posIn[m] = int32(len(st.members[s]))
	st.members[s] = append(st.members[s], m)
	st.nMeet[a]++
	st.nMeet[b]++
	st.touch(a, s, true)
	st.touch(b, s, true)
	st.unplacedW -= in.weight[m]
	st.placed++
	// Remove m from the unplaced list by swapping in the last element.
	pos := st.unplacedPos[m]
	last := st.unplacedList[len(st.unplacedList)-1]
	st.unplacedList[pos] = last
	st.unplacedPos[last] = pos
	st.unplacedList = st.unplacedList[:len(st.unplacedList)-1]
}

// unplace removes meeting m from its slot.
func (st *state) unplace(m int32) {
	in := st.in
	s := int(st.slot[m])
	a, b := in.ma[m], in.mb[m]
	st.slot[m] = -1
	st.at[int(a)*in.nSlots+s] = -1
	st.at[int(b)*in.nSlots+s] = -1
	if in.shared[m] {
		st.load[s]--
	}
	list := st.members[s]
	pos := st.posIn[m]
	last := list[len(list)-1]
	list[pos] = last
	st.posIn[last] = pos
	st.members[s] = list[:len(list)-1]
	st.nMeet[a]--
	st.nMeet[b]--
	st.touch(a, s, false)
	st.touch(b, s, false)
	st.unplacedW += in.weight[m]
	st.placed--
	st.unplacedPos[m] = int32(len(st.unplacedList))
	st.unplacedList = append(st.unplacedList, m)
}

// fits reports whether slot s has a table for meeting m: a meeting with a
// host sits at the host's own table, the others need a shared one.
func (st *state) fits(m int32, s int) bool {
	return !st.in.shared[m] || st.load[s] < st.in.capacity[s]
}

// full reports whether slot s has no shared table left.
func (st *state) full(s int) bool { return st.load[s] >= st.in.capacity[s] }

// precedenceOK reports whether meeting m in slot s respects its precedences
// with the currently placed meetings.
func (st *state) precedenceOK(m int32, s int) bool {
	for _, q := range st.in.before[m] {
		if qs := st.slot[q]; qs >= 0 && int(qs) >= s {
			return false
		}
	}
	for _, q := range st.in.after[m] {
		if qs := st.slot[q]; qs >= 0 && int(qs) <= s {
			return false
		}
	}
	return true
}

// canPlace reports whether unplaced meeting m fits in slot s as things are.
func (st *state) canPlace(m int32, s int) bool {
	in := st.in
	a, b := in.ma[m], in.mb[m]
	return in.domain[m].has(s) && st.free(a, s) && st.free(b, s) &&
		st.fits(m, s) &&
		st.nMeet[a] < in.maxMeet[a] && st.nMeet[b] < in.maxMeet[b] &&
		st.precedenceOK(m, s)
}

// candidates returns the slots where unplaced meeting m fits now, ignoring
// precedences and caps (callers check those per slot).
func (st *state) candidates(m int32) slotSet {
	in := st.in
	set := in.domain[m]
	a, b := int(in.ma[m]), int(in.mb[m])
	for w := range set {
		word := set[w]
		for word != 0 {
			bit := word & -word
			s := w*64 + trailing(bit)
			if st.at[a*in.nSlots+s] >= 0 || st.at[b*in.nSlots+s] >= 0 || !st.fits(m, s) {
				set[w] &^= bit
			}
			word &^= bit
		}
	}
	return set
}

// addCost returns the change in (breaks, idle) if participant p became busy
// in slot s (which must be free for p).
func (st *state) addCost(p int32, s int) (int, int) {
	in := st.in
	k := int(p)*in.nDays + int(in.slotDay[s])
	old := st.busy[k]
	ob, oi := gapBreaks(old)
	nb, ni := gapBreaks(old | 1<<in.slotPos[s])
	return nb - ob, ni - oi
}

// assign moves every meeting to the slot given by slots (-1: unplaced).
// slots must describe a feasible grid.
func (st *state) assign(slots []int32) {
	for m := range st.slot {
		if st.slot[m] >= 0 && st.slot[m] != slots[m] {
			st.unplace(int32(m))
		}
	}
	for m, s := range slots {
		if s >= 0 && st.slot[m] < 0 {
			st.place(int32(m), int(s))
		}
	}
}
