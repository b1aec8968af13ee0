package scheduler

// assignTables gives every placed meeting a table, slot by slot in time
// order, once the slots are final. Locked meetings keep their table, a
// participant with an own table meets there, and otherwise a meeting goes
// to a table one of its participants already sits at (the one with more
// meetings left that day stays seated), so that people walk as little as
// possible. Free tables not "held" by someone who still has meetings that
// day are handed out first.
func assignTables(in *instance, slotOf []int32) []int32 {
	table := make([]int32, in.nMeetings)
	for i := range table {
		table[i] = -1
	}
	bySlot := make([][]int32, in.nSlots)
	for m, s := range slotOf {
		if s >= 0 && !in.virtual[m] {
			bySlot[s] = append(bySlot[s], int32(m))
		}
	}
	maxTables := int32(0)
	for _, t := range in.tables {
		maxTables = max(maxTables, t)
	}
	last := make([]int32, in.nParts) // table of p's latest meeting today
	rem := make([]int32, in.nParts)  // p's meetings left today
	holder := make([]int32, maxTables)
	taken := make([]bool, maxTables)
	owned := make([]bool, maxTables) // own tables are reserved for their owners
	for t := range in.owner {
		if t < len(owned) {
			owned[t] = true
		}
	}
	for t := range in.reserved {
		if t < len(owned) {
			owned[t] = true // nobody's: no meeting gets it
		}
	}
	for d := 0; d < in.nDays; d++ {
		for i := range last {
			last[i] = -1
		}
		for i := range holder {
			holder[i] = -1
		}
		for s := 0; s < in.nSlots; s++ {
			if int(in.slotDay[s]) != d {
				continue
			}
			for _, m := range bySlot[s] {
				rem[in.ma[m]]++
				rem[in.mb[m]]++
			}
		}
		for s := 0; s < in.nSlots; s++ {
			if int(in.slotDay[s]) != d || len(bySlot[s]) == 0 {
				continue
			}
			nt := in.tables[s]
			for t := int32(0); t < nt; t++ {
				taken[t] = false
			}
			give := func(m, t int32) {
				table[m] = t
				taken[t] = true
			}
			// 1. Locked meetings keep their table.
			for _, m := range bySlot[s] {
				if in.locked[m] {
					t := int32(in.p.Meetings[m].LockedTable)
					if pl, ok := lockedPlacement(in, m); ok {
						t = int32(pl.Table)
					}
					if t >= 0 && t < nt && !taken[t] {
						give(m, t)
					}
				}
			}
			// 2. Own tables.
			for _, m := range bySlot[s] {
				if table[m] >= 0 {
					continue
				}
				for _, p := range [2]int32{in.ma[m], in.mb[m]} {
					if t := in.ownTable[p]; t >= 0 && t < nt && !taken[t] {
						give(m, t)
						break
					}
				}
			}
			// 3. Stay where a participant already sits; the one with more
			// meetings left today is preferred.
			for pass := 0; pass < 2; pass++ {
				for _, m := range bySlot[s] {
					if table[m] >= 0 {
						continue
					}
					a, b := in.ma[m], in.mb[m]
					if rem[b] > rem[a] {
						a, b = b, a
					}
					ta, tb := last[a], last[b]
					usable := func(t int32) bool { return t >= 0 && t < nt && !taken[t] && !owned[t] }
					switch {
					case pass == 0 && ta == tb && usable(ta):
						give(m, ta)
					case pass == 1 && usable(ta):
						give(m, ta)
					case pass == 1 && usable(tb):
						give(m, tb)
					}
				}
			}
			// 4. The rest: tables nobody with meetings left today holds first.
			next := int32(0)
			for round := 0; round < 2; round++ {
				next = 0
				for _, m := range bySlot[s] {
					if table[m] >= 0 {
						continue
					}
					for next < nt && (taken[next] || owned[next] || round == 0 && holder[next] >= 0 && rem[holder[next]] > 1) {
						next++
					}
					if next < nt {
						give(m, next)
					}
				}
			}
			for _, m := range bySlot[s] {
				a, b := in.ma[m], in.mb[m]
				rem[a]--
				rem[b]--
				t := table[m]
				if t < 0 {
					continue
				}
				last[a], last[b] = t, t
				if rem[b] > rem[a] {
					holder[t] = b
				} else {
					holder[t] = a
				}
			}
		}
	}
	return table
}

// lockedPlacement returns the placement a meeting is locked at, looking at
// the published grid first (set by Solve for incremental runs).
func lockedPlacement(in *instance, m int32) (Placement, bool) {
	if pl, ok := in.published[in.p.Meetings[m].ID]; ok {
		return pl, true
	}
	mt := in.p.Meetings[m]
	if mt.Locked {
		return Placement{Slot: mt.LockedSlot, Table: mt.LockedTable}, true
	}
	return Placement{}, false
}
