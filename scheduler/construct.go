package scheduler

import (
	"math/rand/v2"
)

// constructionOrder returns the meetings most-constrained first: higher
// priority, then fewer usable slots relative to the load of the busier
// participant, then more meetings at the endpoints. The order is stable on
// the input index, so it does not depend on map iteration or the seed.
func constructionOrder(in *instance) []int32 {
	slack := make([]int, in.nMeetings)
	deg := func(p int32) int { return len(in.incident[p]) }
	for m := 0; m < in.nMeetings; m++ {
		a, b := in.ma[m], in.mb[m]
		sa := in.avail[a].count() - deg(a)
		sb := in.avail[b].count() - deg(b)
		s := min(sa, sb)
		// A meeting with few admissible slots is hard wherever its people are.
		s = min(s, in.domain[m].count()-1)
		slack[m] = s
	}
	return sortedIndices(in.nMeetings, func(x, y int) bool {
		if in.weight[x] != in.weight[y] {
			return in.weight[x] > in.weight[y]
		}
		if slack[x] != slack[y] {
			return slack[x] < slack[y]
		}
		dx := deg(in.ma[x]) + deg(in.mb[x])
		dy := deg(in.ma[y]) + deg(in.mb[y])
		return dx > dy
	})
}

// placeLocked puts locked meetings where they are locked. A locked meeting
// that collides with an earlier one stays unplaced (the caller reports it).
func placeLocked(st *state) {
	in := st.in
	for m := int32(0); m < int32(in.nMeetings); m++ {
		if !in.locked[m] {
			continue
		}
		s := in.domain[m].first()
		a, b := in.ma[m], in.mb[m]
		if st.free(a, s) && st.free(b, s) && st.fits(m, s) {
			st.place(m, s)
		}
	}
}

// construct places every unplaced meeting in order at the feasible slot that
// adds the fewest breaks and idle slots for its two participants, and falls
// back to Kempe-chain repair when no slot is free for both.
func construct(st *state, order []int32, rng *rand.Rand, repairBudget int) {
	for _, m := range order {
		if st.slot[m] >= 0 || st.in.locked[m] {
			continue
		}
		if !insertBest(st, m) {
			kempeInsert(st, m, rng, repairBudget)
		}
		st.commit()
	}
}

// insertBest places m at its best currently free slot and reports success.
func insertBest(st *state, m int32) bool {
	in := st.in
	a, b := in.ma[m], in.mb[m]
	if st.nMeet[a] >= in.maxMeet[a] || st.nMeet[b] >= in.maxMeet[b] {
		return false
	}
	cand := st.candidates(m)
	best, bestScore := -1, int64(0)
	for w := range cand {
		word := cand[w]
		for word != 0 {
			s := w*64 + trailing(word)
			word &= word - 1
			if !st.precedenceOK(m, s) {
				continue
			}
			ba, ia := st.addCost(a, s)
			bb, ib := st.addCost(b, s)
			score := int64(ba+bb)*costBreak + int64(ia+ib)*costIdle
			// Secondary: fill emptier slots first so tables stay available
			// for the meetings that come later.
			score = score*4096 + int64(st.load[s])*4096/int64(in.capacity[s]+1)
			if best < 0 || score < bestScore {
				best, bestScore = s, score
			}
		}
	}
	if best < 0 {
		return false
	}
	st.moveTo(m, best)
	return true
}

// kempeInsert tries to make room for m in some slot of its domain by moving
// the meetings in the way along Kempe chains; on success m is placed. At most
// budget chains are tried. Changes are journaled; on failure they are undone.
func kempeInsert(st *state, m int32, rng *rand.Rand, budget int) bool {
	in := st.in
	a, b := in.ma[m], in.mb[m]
	if st.nMeet[a] >= in.maxMeet[a] || st.nMeet[b] >= in.maxMeet[b] {
		return false
	}
	dom := in.domain[m].members(nil)
	if len(dom) == 0 {
		return false
	}
	start := rng.IntN(len(dom))
	tries := 0
	for k := range dom {
		s := dom[(start+k)%len(dom)]
		if !st.precedenceOK(m, s) {
			continue
		}
		mark := st.mark()
		ok := true
		for _, p := range [2]int32{a, b} {
			c := st.meetingAt(p, s)
			if c < 0 {
				continue
			}
			if !moveAway(st, c, s, p, rng, &tries, budget) {
				ok = false
				break
			}
		}
		if ok && !st.fits(m, s) {
			ok = freeTable(st, s, rng, &tries, budget)
		}
		// The chains may have moved a meeting m must follow or precede:
		// the precedences are checked again on the final state.
		if ok && st.free(a, s) && st.free(b, s) && st.fits(m, s) && st.precedenceOK(m, s) {
			st.moveTo(m, s)
			return true
		}
		st.rollbackTo(mark)
		if tries >= budget {
			return false
		}
	}
	return false
}

// moveAway moves meeting c out of slot s along a Kempe chain to a slot
// where participant p is free, so that p becomes free in s.
func moveAway(st *state, c int32, s int, p int32, rng *rand.Rand, tries *int, budget int) bool {
	in := st.in
	if in.locked[c] {
		return false
	}
	targets := in.domain[c]
	targets.remove(s)
	n := targets.count()
	if n == 0 {
		return false
	}
	off := rng.IntN(n)
	for k := 0; k < n && *tries < budget; k++ {
		s2 := targets.nth((off + k) % n)
		if !st.free(p, s2) {
			continue
		}
		*tries++
		chain := st.kempeChain(c, s2, 4*in.nSlots+64)
		if chain == nil {
			continue
		}
		mark := st.mark()
		if st.applyChain(chain, s, s2) && st.free(p, s) {
			return true
		}
		st.rollbackTo(mark)
	}
	return false
}

// freeTable moves one meeting out of slot s along a Kempe chain that takes
// more meetings out of s than it brings in.
func freeTable(st *state, s int, rng *rand.Rand, tries *int, budget int) bool {
	in := st.in
	list := st.members[s]
	if len(list) == 0 {
		return false
	}
	for k := 0; k < 8 && *tries < budget; k++ {
		c := st.members[s][rng.IntN(len(st.members[s]))]
		if in.locked[c] || !in.shared[c] {
			continue
		}
		targets := in.domain[c]
		targets.remove(s)
		n := targets.count()
		if n == 0 {
			continue
		}
		s2 := targets.nth(rng.IntN(n))
		if st.full(s2) {
			continue
		}
		*tries++
		chain := st.kempeChain(c, s2, 4*in.nSlots+64)
		if chain == nil {
			continue
		}
		mark := st.mark()
		before := st.load[s]
		if st.applyChain(chain, s, s2) && st.load[s] < before {
			return true
		}
		st.rollbackTo(mark)
	}
	return false
}
