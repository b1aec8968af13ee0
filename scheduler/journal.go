package scheduler

// journalEntry records one slot change so a tentative move can be undone.
type journalEntry struct {
	m    int32
	from int32 // -1 when the meeting was unplaced
}

// moveTo moves meeting m to slot to (-1 unplaces it) and records the change.
// It does not check feasibility.
func (st *state) moveTo(m int32, to int) {
	from := st.slot[m]
	if int(from) == to {
		return
	}
	st.journal = append(st.journal, journalEntry{m: m, from: from})
	if from >= 0 {
		st.unplace(m)
	}
	if to >= 0 {
		st.place(m, to)
	}
}

// mark returns the current journal position for rollbackTo.
func (st *state) mark() int { return len(st.journal) }

// rollbackTo undoes every change recorded after mark.
func (st *state) rollbackTo(mark int) {
	for i := len(st.journal) - 1; i >= mark; i-- {
		e := st.journal[i]
		if st.slot[e.m] >= 0 {
			st.unplace(e.m)
		}
		if e.from >= 0 {
			st.place(e.m, int(e.from))
		}
	}
	st.journal = st.journal[:mark]
}

// commit forgets the journal; the changes stay.
func (st *state) commit() { st.journal = st.journal[:0] }

// kempeChain collects the Kempe chain of meeting m between its slot s1 and
// slot s2: the connected set of meetings in s1 and s2 linked by shared
// participants. Swapping the slots of the whole chain keeps every
// participant in at most one meeting per slot. It returns nil when the chain
// holds a locked meeting or is longer than limit.
func (st *state) kempeChain(m int32, s2 int, limit int) []int32 {
	return st.kempeChain2(m, -1, s2, limit)
}

// kempeChain2 is kempeChain grown from two seeds: m in its slot s1 and y
// (ignored when negative) in slot s2. Moving a meeting into a slot whose
// tables are all taken needs the second seed to bring one back.
func (st *state) kempeChain2(m, y int32, s2 int, limit int) []int32 {
	in := st.in
	s1 := int(st.slot[m])
	st.stamp++
	if st.stamp == 0 {
		for i := range st.seen {
			st.seen[i] = 0
		}
		st.stamp = 1
	}
	chain := st.chainBuf[:0]
	chain = append(chain, m)
	st.seen[m] = st.stamp
	if y >= 0 {
		chain = append(chain, y)
		st.seen[y] = st.stamp
	}
	for i := 0; i < len(chain); i++ {
		x := chain[i]
		if in.locked[x] {
			st.chainBuf = chain
			return nil
		}
		other := s2
		if int(st.slot[x]) == s2 {
			other = s1
		}
		for _, p := range [2]int32{in.ma[x], in.mb[x]} {
			y := st.at[int(p)*in.nSlots+other]
			if y >= 0 && st.seen[y] != st.stamp {
				st.seen[y] = st.stamp
				chain = append(chain, y)
				if len(chain) > limit {
					st.chainBuf = chain
					return nil
				}
			}
		}
	}
	st.chainBuf = chain
	return chain
}

// applyChain swaps the chain between s1 and s2 (recorded in the journal) and
// reports whether the result is feasible: domains, table counts and
// precedences. On false the caller must roll back.
func (st *state) applyChain(chain []int32, s1, s2 int) bool {
	in := st.in
	base := len(st.journal)
	for _, x := range chain {
		st.moveTo(x, -1)
	}
	ok := true
	for i, x := range chain {
		from := int(st.journal[base+i].from)
		to := s1
		if from == s1 {
			to = s2
		}
		if !in.domain[x].has(to) {
			ok = false
		}
		st.moveTo(x, to)
	}
	if !ok {
		return false
	}
	if st.load[s1] > in.capacity[s1] || st.load[s2] > in.capacity[s2] {
		return false
	}
	for _, x := range chain {
		if !st.precedenceOK(x, int(st.slot[x])) {
			return false
		}
	}
	return true
}
