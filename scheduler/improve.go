package scheduler

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"time"
)

// search runs the improvement phase: simulated annealing over slot
// assignments. Every move keeps the grid feasible (a move that would not is
// undone through the journal):
//
//   - Kempe swap: a meeting moves to another admissible slot and the chain
//     of meetings it collides with swaps the other way (random, or aimed at
//     a gap of one participant's day; a full target slot seeds the chain
//     with one of its meetings so the swap can balance the tables);
//   - run shift: a participant's run of consecutive meetings moves one slot,
//     or jumps the gap next to it, each meeting along its Kempe chain;
//   - ejection move: a meeting goes to a gap of one participant, whatever is
//     in the way is re-inserted at its best free slot;
//   - slot exchange and rotation: whole slots of a session swap, or one
//     moves and the others shift, reordering the session;
//   - while meetings are unplaced: insertion with ejection and Kempe
//     insertion (as in the construction).
//
// Most moves pick a participant who has a break. Moves are accepted on a
// shaped cost (see shaped) and the best grid on the true objective is kept.
// The temperature falls geometrically with the larger of the iteration and
// the time fraction, so a run that the budget does not cut is reproducible.
type search struct {
	st        *state
	rng       *rand.Rand
	maxIter   int64
	deadline  time.Time
	ctx       context.Context
	progress  func(Progress)
	start     time.Time
	bestSlots []int32
	bestCost  int64
	sessions  [][]int // slots per (day, session), for slot exchanges
	chainMax  int
	rotBuf    []int32
	rotBounds []int
	// stallAfter, if positive, ends the run early (past the middle of its
	// moves) when the best grid has not improved for that many moves: the
	// exact phase that follows gets the moves left (see improve).
	stallAfter int64
	lastBest   int64 // the move that last improved the best grid
}

// Progress reports the state of a running Solve.
type Progress struct {
	Phase      string // "construct", "improve", "exact", "tables"
	Iteration  int64
	Placed     int
	Breaks     int64
	IdleSlots  int64
	Elapsed    time.Duration
	Iterations int64 // the iteration limit
}

func newSearch(ctx context.Context, st *state, rng *rand.Rand, maxIter int64, deadline time.Time, progress func(Progress), start time.Time) *search {
	in := st.in
	sr := &search{st: st, rng: rng, maxIter: maxIter, deadline: deadline, ctx: ctx, progress: progress, start: start}
	for s := 0; s < in.nSlots; s++ {
		if s == 0 || in.p.Slots[s].Session != in.p.Slots[s-1].Session || in.slotDay[s] != in.slotDay[s-1] {
			sr.sessions = append(sr.sessions, nil)
		}
		sr.sessions[len(sr.sessions)-1] = append(sr.sessions[len(sr.sessions)-1], s)
	}
	sr.chainMax = 4*in.nSlots + 64
	return sr
}

func (sr *search) snapshot() {
	sr.bestSlots = append(sr.bestSlots[:0], sr.st.slot...)
	sr.bestCost = sr.st.cost()
}

// restore resets the state to the best snapshot.
func (sr *search) restore() {
	st := sr.st
	if sr.bestSlots == nil || st.cost() <= sr.bestCost {
		return
	}
	for m := range st.slot {
		if st.slot[m] >= 0 && st.slot[m] != sr.bestSlots[m] {
			st.unplace(int32(m))
		}
	}
	for m, s := range sr.bestSlots {
		if s >= 0 && st.slot[m] < 0 {
			st.place(int32(m), int(s))
		}
	}
}

// run anneals from temperature t0 to t1 (in cost units) and returns the
// number of iterations and whether the budget or context cut it short.
func (sr *search) run(t0, t1 float64) (int64, bool) {
	st, in, rng := sr.st, sr.st.in, sr.rng
	if sr.maxIter <= 0 || in.nMeetings == 0 {
		return 0, false
	}
	sr.snapshot()
	sinceSnap := int64(0)
	temp := t0
	budget := sr.deadline.Sub(sr.start)
	var it int64
	for it = 0; it < sr.maxIter; it++ {
		if it&1023 == 0 {
			if time.Now().After(sr.deadline) || sr.ctx.Err() != nil {
				sr.restore()
				return it, true
			}
			if sr.stallAfter > 0 && 2*it > sr.maxIter && it-sr.lastBest > sr.stallAfter {
				break
			}
			if sr.progress != nil && it&(1<<16-1) == 0 {
				sr.progress(Progress{Phase: "improve", Iteration: it, Iterations: sr.maxIter, Placed: st.placed,
					Breaks: st.breaks, IdleSlots: st.idle, Elapsed: time.Since(sr.start)})
			}
		}
		if it&255 == 0 {
			// The temperature follows the move count, so that the run is
			// reproducible; only a run clearly headed for the deadline
			// (a machine too slow for the work limit) follows the clock,
			// so that it still cools down before it is cut.
			frac := float64(it) / float64(sr.maxIter)
			if budget > 0 {
				if tf := float64(time.Since(sr.start)) / float64(budget); tf > 0.5 && tf > 2*frac {
					frac = tf
				}
			}
			temp = t0 * math.Pow(t1/t0, min(frac, 1))
		}
		before := sr.shaped()
		mark := st.mark()
		var ok, accepted bool
		r := rng.IntN(100)
		switch {
		case len(st.unplacedList) > 0 && r < 25:
			ok = sr.ejectInsert()
		case len(st.unplacedList) > 0 && r < 40:
			m := st.unplacedList[rng.IntN(len(st.unplacedList))]
			ok = kempeInsert(st, m, rng, 12)
		case r < tuneShift:
			ok = sr.runShift()
		case r < tuneShift+tuneEject:
			ok = sr.ejectMove()
		case r < 94:
			// Kempe moves are evaluated before they are applied: most are
			// rejected, and evaluating is much cheaper than applying.
			var chain []int32
			var s1, s2 int
			if r < 60 {
				chain, s1, s2 = sr.kempeMove()
			} else {
				chain, s1, s2 = sr.targetedKempeMove()
			}
			if chain == nil {
				continue
			}
			delta, feasible := sr.chainDelta(chain, s1, s2)
			if !feasible || delta > 0 && rng.Float64() >= math.Exp(-float64(delta)/temp) {
				continue
			}
			if !st.applyChain(chain, s1, s2) {
				// chainDelta and applyChain check the same rules; if they
				// ever disagree, the state is still safe after the rollback.
				if debugVerify != nil {
					panic("scheduler: chainDelta and applyChain disagree")
				}
				st.rollbackTo(mark)
				continue
			}
			if debugVerify != nil && sr.shaped()-before != delta {
				panic(fmt.Sprintf("chainDelta %d, actual %d", delta, sr.shaped()-before))
			}
			ok, accepted = true, true
		case r < 97:
			ok = sr.slotExchange()
		default:
			ok = sr.slotRotate()
		}
		if debugVerify != nil && ok {
			if err := debugVerify(st); err != nil {
				panic(fmt.Sprintf("move %d: %v", r, err))
			}
		}
		if !ok {
			st.rollbackTo(mark)
			if debugVerify != nil {
				if err := debugVerify(st); err != nil {
					panic(fmt.Sprintf("rollback move %d: %v", r, err))
				}
			}
			continue
		}
		delta := sr.shaped() - before
		if accepted || delta <= 0 || rng.Float64() < math.Exp(-float64(delta)/temp) {
			st.commit()
			sinceSnap++
			if c := st.cost(); c < sr.bestCost {
				sr.lastBest = it
				// Copying the slots costs O(meetings); on big events do it
				// at most once per pass over the meetings.
				if in.nMeetings <= 20000 || sinceSnap >= int64(in.nMeetings/4) {
					sr.snapshot()
					sinceSnap = 0
				}
			}
		} else {
			st.rollbackTo(mark)
		}
	}
	if st.cost() > sr.bestCost {
		sr.restore()
	}
	return it, false
}

// kempeMove picks a random placed meeting, another admissible slot for it
// and returns its Kempe chain between the two slots (nil if none).
func (sr *search) kempeMove() ([]int32, int, int) {
	st, in, rng := sr.st, sr.st.in, sr.rng
	m := int32(rng.IntN(in.nMeetings))
	s1 := int(st.slot[m])
	if s1 < 0 || in.locked[m] {
		return nil, 0, 0
	}
	dom := in.domain[m]
	n := dom.count()
	if n < 2 {
		return nil, 0, 0
	}
	r := rng.IntN(n - 1)
	if r >= rankInSet(dom, s1) {
		r++
	}
	s2 := dom.nth(r)
	return sr.chainTo(m, s1, s2), s1, s2
}

// chainTo builds the Kempe chain moving m from s1 to s2; when s2 has no
// table left, a random meeting of s2 seeds the chain too, so that the swap
// can be balanced.
func (sr *search) chainTo(m int32, s1, s2 int) []int32 {
	st := sr.st
	y := int32(-1)
	if list := st.members[s2]; st.full(s2) && len(list) > 0 {
		// Prefer a meeting whose participants are both free in s1 and that
		// may go there: it swaps alone instead of growing the chain.
		in := st.in
		for try := 0; try < 4; try++ {
			y = list[sr.rng.IntN(len(list))]
			if in.shared[y] && in.domain[y].has(s1) && st.free(in.ma[y], s1) && st.free(in.mb[y], s1) {
				break
			}
		}
	}
	return st.kempeChain2(m, y, s2, sr.chainMax)
}

// rankInSet returns the number of members of set below s.
func rankInSet(set slotSet, s int) int {
	n := 0
	for w := 0; w < s>>6; w++ {
		n += bits.OnesCount64(set[w])
	}
	return n + bits.OnesCount64(set[s>>6]&(1<<uint(s&63)-1))
}

// slotExchange swaps the whole contents of two slots of one session.
func (sr *search) slotExchange() bool {
	st, in, rng := sr.st, sr.st.in, sr.rng
	ses := sr.sessions[rng.IntN(len(sr.sessions))]
	if len(ses) < 2 {
		return false
	}
	i := rng.IntN(len(ses))
	j := rng.IntN(len(ses) - 1)
	if j >= i {
		j++
	}
	s1, s2 := ses[i], ses[j]
	if st.load[s1] > in.capacity[s2] || st.load[s2] > in.capacity[s1] {
		return false
	}
	for _, m := range st.members[s1] {
		if in.locked[m] || !in.domain[m].has(s2) {
			return false
		}
	}
	for _, m := range st.members[s2] {
		if in.locked[m] || !in.domain[m].has(s1) {
			return false
		}
	}
	one := append([]int32(nil), st.members[s1]...)
	two := append([]int32(nil), st.members[s2]...)
	for _, m := range one {
		st.moveTo(m, -1)
	}
	for _, m := range two {
		st.moveTo(m, s1)
	}
	for _, m := range one {
		st.moveTo(m, s2)
	}
	for _, m := range one {
		if !st.precedenceOK(m, s2) {
			return false
		}
	}
	for _, m := range two {
		if !st.precedenceOK(m, s1) {
			return false
		}
	}
	return true
}

// ejectInsert places a random unplaced meeting in a random admissible slot,
// ejecting what is in the way, then lets the ejected meetings re-enter at
// their best free slot.
func (sr *search) ejectInsert() bool {
	st, in, rng := sr.st, sr.st.in, sr.rng
	m := st.unplacedList[rng.IntN(len(st.unplacedList))]
	dom := in.domain[m]
	n := dom.count()
	if n == 0 {
		return false
	}
	s := dom.nth(rng.IntN(n))
	var ejected [3]int32
	k := 0
	for _, p := range [2]int32{in.ma[m], in.mb[m]} {
		if c := st.meetingAt(p, s); c >= 0 {
			if in.locked[c] {
				return false
			}
			st.moveTo(c, -1)
			ejected[k] = c
			k++
		}
		if st.nMeet[p] >= in.maxMeet[p] {
			return false
		}
	}
	if !st.fits(m, s) {
		list := st.members[s]
		c := list[rng.IntN(len(list))]
		if in.locked[c] || !in.shared[c] {
			return false
		}
		st.moveTo(c, -1)
		ejected[k] = c
		k++
	}
	if !st.precedenceOK(m, s) {
		return false
	}
	st.moveTo(m, s)
	for _, c := range ejected[:k] {
		insertBest(st, c)
	}
	return true
}

// debugVerify, when set by tests, checks the state after every move.
var debugVerify func(*state) error

// shaped is the cost the annealing accepts moves on: the objective with a
// heavier weight on idle slots. Shortening a gap is how a break eventually
// disappears, and with the lexicographic weights that progress would be
// invisible at the temperatures where breaks are decided. The best grid is
// still chosen on the true objective.
func (sr *search) shaped() int64 {
	st := sr.st
	return st.unplacedW*costUnplaced + st.breaks*costBreak + st.idle*tuneIdle
}

// Annealing parameters, tuned on the b2bsp instances. Temperatures are in
// units of one break; the move shares are percentages.
const (
	tuneIdle      int64 = 256  // weight of an idle slot in the shaped cost (a break is 1024)
	tuneT0              = 0.5  // start temperature
	tuneT1              = 0.03 // end temperature
	tuneShift           = 5    // runShift
	tuneEject           = 10   // ejectMove
	tuneBoth            = 90   // targeted moves that also suit the partner
	tuneFocus           = 70   // picks that look for a participant with a break
	tunePropagate       = 50   // run shifts that partners follow
)

// targetedKempeMove is kempeMove towards a slot that makes one of the
// meeting's participants' day more compact: a gap in the middle of their day
// or the slot just before or after it.
func (sr *search) targetedKempeMove() ([]int32, int, int) {
	st, in, rng := sr.st, sr.st.in, sr.rng
	m, p, q := sr.pick()
	s1 := int(st.slot[m])
	if s1 < 0 || in.locked[m] {
		return nil, 0, 0
	}
	d := int(in.slotDay[s1])
	here := uint64(1) << in.slotPos[s1]
	want := compactSlots(st.busy[int(p)*in.nDays+d] &^ here)
	if want == 0 {
		return nil, 0, 0
	}
	if rng.IntN(100) < tuneBoth {
		// Prefer slots that suit the partner too: where the partner already
		// meets (the chain swaps those meetings, the partner's day keeps its
		// shape) or where the partner's day would become more compact.
		qm := st.busy[int(q)*in.nDays+d] &^ here
		if both := want & (qm | compactSlots(qm)); both != 0 {
			want = both
		}
	}
	want &^= here
	// Shift the day mask to slot indices and keep the admissible ones.
	first := int(in.dayFirst[d])
	var cand slotSet
	for want != 0 {
		pos := bits.TrailingZeros64(want)
		want &= want - 1
		if s := first + pos; s < in.nSlots && in.domain[m].has(s) {
			cand.add(s)
		}
	}
	n := cand.count()
	if n == 0 {
		return nil, 0, 0
	}
	s2 := cand.nth(rng.IntN(n))
	return sr.chainTo(m, s1, s2), s1, s2
}

// chainDelta returns the change of the shaped cost if chain swapped between
// s1 and s2, and whether the swap is feasible, without changing the state.
// It must agree with applyChain.
func (sr *search) chainDelta(chain []int32, s1, s2 int) (int64, bool) {
	st, in := sr.st, sr.st.in
	n1, n2 := int32(0), int32(0) // shared meetings leaving s1 and s2
	for _, x := range chain {
		sx := int(st.slot[x])
		to := s1
		if sx == s1 {
			to = s2
		}
		if in.shared[x] {
			if sx == s1 {
				n1++
			} else {
				n2++
			}
		}
		if !in.domain[x].has(to) {
			return 0, false
		}
	}
	if st.load[s1]-n1+n2 > in.capacity[s1] || st.load[s2]-n2+n1 > in.capacity[s2] {
		return 0, false
	}
	newSlot := func(q int32) int {
		sq := int(st.slot[q])
		if sq >= 0 && st.seen[q] == st.stamp {
			if sq == s1 {
				return s2
			}
			return s1
		}
		return sq
	}
	for _, x := range chain {
		sx := newSlot(x)
		for _, q := range in.before[x] {
			if qs := newSlot(q); qs >= 0 && qs >= sx {
				return 0, false
			}
		}
		for _, q := range in.after[x] {
			if qs := newSlot(q); qs >= 0 && qs <= sx {
				return 0, false
			}
		}
	}
	var db, di int64
	d1, d2 := int(in.slotDay[s1]), int(in.slotDay[s2])
	for _, x := range chain {
		sx := int(st.slot[x])
		so := s1
		if sx == s1 {
			so = s2
		}
		for _, p := range [2]int32{in.ma[x], in.mb[x]} {
			if st.at[int(p)*in.nSlots+so] >= 0 {
				continue // p meets in both slots: its day does not change
			}
			dx, do := d1, d2
			if sx == s2 {
				dx, do = d2, d1
			}
			kx := int(p)*in.nDays + dx
			ko := int(p)*in.nDays + do
			oldX := st.busy[kx]
			if dx == do {
				nw := oldX&^(1<<in.slotPos[sx]) | 1<<in.slotPos[so]
				ob, oi := gapBreaks(oldX)
				nb, ni := gapBreaks(nw)
				db += int64(nb - ob)
				di += int64(ni - oi)
				continue
			}
			oldO := st.busy[ko]
			ob1, oi1 := gapBreaks(oldX)
			nb1, ni1 := gapBreaks(oldX &^ (1 << in.slotPos[sx]))
			ob2, oi2 := gapBreaks(oldO)
			nb2, ni2 := gapBreaks(oldO | 1<<in.slotPos[so])
			db += int64(nb1 - ob1 + nb2 - ob2)
			di += int64(ni1 - oi1 + ni2 - oi2)
		}
	}
	return db*costBreak + di*tuneIdle, true
}

// slotRotate moves the content of one slot of a session to another position
// of the same session and shifts the slots in between by one, keeping their
// order: the insertion move of permutation search.
func (sr *search) slotRotate() bool {
	st, in, rng := sr.st, sr.st.in, sr.rng
	ses := sr.sessions[rng.IntN(len(sr.sessions))]
	if len(ses) < 3 {
		return false
	}
	i := rng.IntN(len(ses))
	j := rng.IntN(len(ses) - 1)
	if j >= i {
		j++
	}
	// Content of slot ses[i] goes to ses[j]; the ones between shift towards i.
	step := 1
	if j < i {
		step = -1
	}
	// target[k] is where the content of ses[k] goes, for k in the range.
	lo, hi := min(i, j), max(i, j)
	targetOf := func(k int) int {
		if k == i {
			return ses[j]
		}
		return ses[k-step]
	}
	for k := lo; k <= hi; k++ {
		to := targetOf(k)
		if st.load[ses[k]] > in.capacity[to] {
			return false
		}
		for _, m := range st.members[ses[k]] {
			if in.locked[m] || !in.domain[m].has(to) {
				return false
			}
		}
	}
	moved := sr.rotBuf[:0]
	bounds := sr.rotBounds[:0]
	for k := lo; k <= hi; k++ {
		bounds = append(bounds, len(moved))
		moved = append(moved, st.members[ses[k]]...)
	}
	bounds = append(bounds, len(moved))
	sr.rotBuf, sr.rotBounds = moved, bounds
	for _, m := range moved {
		st.moveTo(m, -1)
	}
	for k := lo; k <= hi; k++ {
		to := targetOf(k)
		for _, m := range moved[bounds[k-lo]:bounds[k-lo+1]] {
			st.moveTo(m, to)
		}
	}
	for _, m := range moved {
		if !st.precedenceOK(m, int(st.slot[m])) {
			return false
		}
	}
	return true
}

// runShift picks a participant and one maximal run of consecutive meetings
// of their day and shifts the whole run one slot earlier or later, each
// meeting along its Kempe chain. Closing a gap this way needs every meeting
// of the run to move together, which single Kempe moves only reach through
// worse intermediate grids.
func (sr *search) runShift() bool {
	st, in, rng := sr.st, sr.st.in, sr.rng
	m, p, _ := sr.pick()
	s0 := int(st.slot[m])
	if s0 < 0 {
		return false
	}
	d := int(in.slotDay[s0])
	mask := st.busy[int(p)*in.nDays+d]
	pos := int(in.slotPos[s0])
	lo, hi := pos, pos
	for lo > 0 && mask&(1<<uint(lo-1)) != 0 {
		lo--
	}
	for hi < 63 && mask&(1<<uint(hi+1)) != 0 {
		hi++
	}
	dir := 1
	if rng.IntN(2) == 0 {
		dir = -1
	}
	// Half of the time the run jumps over the whole gap next to it, which
	// merges two runs (one break less) in one move.
	amount := 1
	if rng.IntN(2) == 0 {
		if dir > 0 && hi < 63 {
			if above := mask >> uint(hi+1); above != 0 {
				amount = max(1, bits.TrailingZeros64(above))
			}
		} else if dir < 0 && lo > 0 {
			if below := mask << uint(64-lo); below != 0 {
				amount = max(1, bits.LeadingZeros64(below))
			}
		}
	}
	if !sr.shiftRun(p, d, lo, hi, dir, amount) {
		return false
	}
	if rng.IntN(100) >= tunePropagate {
		return true
	}
	// Follow up: each partner whose meeting moved away from their block
	// brings the block along, so the shift does not just pass the break on.
	first := int(in.dayFirst[d])
	for pos := lo + dir*amount; pos <= hi+dir*amount; pos++ {
		x := st.meetingAt(p, first+pos)
		if x < 0 {
			continue
		}
		q := in.ma[x]
		if q == p {
			q = in.mb[x]
		}
		if !sr.closeGapTowards(q, d, pos, dir) {
			return false
		}
	}
	return true
}

// shiftRun moves participant p's meetings at day positions lo..hi by
// dir*amount positions, each along its Kempe chain, leading meeting first so
// that p is free where each one goes.
func (sr *search) shiftRun(p int32, d, lo, hi, dir, amount int) bool {
	st, in := sr.st, sr.st.in
	if amount <= 0 {
		return amount == 0
	}
	first := int(in.dayFirst[d])
	for k := 0; k <= hi-lo; k++ {
		q := hi - k
		if dir < 0 {
			q = lo + k
		}
		s := first + q
		t := s + dir*amount
		if t < 0 || t >= in.nSlots || int(in.slotDay[t]) != d {
			return false
		}
		x := st.meetingAt(p, s)
		if x < 0 || in.locked[x] || !in.domain[x].has(t) {
			return false
		}
		chain := sr.chainTo(x, s, t)
		if chain == nil || !st.applyChain(chain, s, t) {
			return false
		}
	}
	return true
}

// closeGapTowards makes participant q's run that lies before day position
// pos (looking against dir) jump the gap that separates it from pos.
func (sr *search) closeGapTowards(q int32, d, pos, dir int) bool {
	st, in := sr.st, sr.st.in
	mask := st.busy[int(q)*in.nDays+d]
	if mask&(1<<uint(pos)) == 0 {
		return true // the chain moved it elsewhere; nothing to follow
	}
	tlo, thi := pos, pos
	for tlo > 0 && mask&(1<<uint(tlo-1)) != 0 {
		tlo--
	}
	for thi < 63 && mask&(1<<uint(thi+1)) != 0 {
		thi++
	}
	if dir > 0 {
		below := mask & (1<<uint(tlo) - 1)
		if below == 0 {
			return true
		}
		hi := 63 - bits.LeadingZeros64(below)
		lo := hi
		for lo > 0 && mask&(1<<uint(lo-1)) != 0 {
			lo--
		}
		return sr.shiftRun(q, d, lo, hi, 1, tlo-hi-1)
	}
	above := mask >> uint(thi+1)
	if thi >= 63 || above == 0 {
		return true
	}
	lo := thi + 1 + bits.TrailingZeros64(above)
	hi := lo
	for hi < 63 && mask&(1<<uint(hi+1)) != 0 {
		hi++
	}
	return sr.shiftRun(q, d, lo, hi, -1, lo-thi-1)
}

// compactSlots returns, for a day's busy mask, the idle positions that would
// make the day more compact: the gaps and the positions just before the first
// and just after the last meeting.
func compactSlots(mask uint64) uint64 {
	if mask == 0 {
		return 0
	}
	lo := bits.TrailingZeros64(mask)
	hi := 63 - bits.LeadingZeros64(mask)
	want := (uint64(1)<<uint(hi+1) - 1) &^ (uint64(1)<<uint(lo) - 1) &^ mask
	if lo > 0 {
		want |= 1 << uint(lo-1)
	}
	if hi < 63 {
		want |= 1 << uint(hi+1)
	}
	return want
}

// ejectMove moves a placed meeting to a slot that makes one participant's
// day more compact, ejects whatever is in the way there, and re-inserts the
// ejected meetings at their best free slots (Kempe repair as a fallback).
// Unlike a Kempe swap, the ejected meetings may land in any slot.
func (sr *search) ejectMove() bool {
	st, in, rng := sr.st, sr.st.in, sr.rng
	m, p, _ := sr.pick()
	s1 := int(st.slot[m])
	if s1 < 0 || in.locked[m] {
		return false
	}
	d := int(in.slotDay[s1])
	here := uint64(1) << in.slotPos[s1]
	want := compactSlots(st.busy[int(p)*in.nDays+d]&^here) &^ here
	first := int(in.dayFirst[d])
	var cand slotSet
	for want != 0 {
		pos := bits.TrailingZeros64(want)
		want &= want - 1
		if s := first + pos; s < in.nSlots && in.domain[m].has(s) {
			cand.add(s)
		}
	}
	n := cand.count()
	if n == 0 {
		return false
	}
	s2 := cand.nth(rng.IntN(n))
	st.moveTo(m, -1)
	var ejected [3]int32
	k := 0
	for _, x := range [2]int32{in.ma[m], in.mb[m]} {
		if c := st.meetingAt(x, s2); c >= 0 {
			if in.locked[c] {
				return false
			}
			st.moveTo(c, -1)
			ejected[k] = c
			k++
		}
	}
	if !st.fits(m, s2) {
		list := st.members[s2]
		c := list[rng.IntN(len(list))]
		if in.locked[c] || !in.shared[c] {
			return false
		}
		st.moveTo(c, -1)
		ejected[k] = c
		k++
	}
	if !st.precedenceOK(m, s2) {
		return false
	}
	st.moveTo(m, s2)
	for _, c := range ejected[:k] {
		if st.slot[c] < 0 && !insertBest(st, c) && !kempeInsert(st, c, rng, 6) {
			return false
		}
	}
	return true
}

// pick chooses a meeting to move and which of its participants, p, the move
// should serve (q is the other). Part of the time it looks for a
// participant who has a break and takes one of their meetings: late in the
// search most participants are compact and moves elsewhere are wasted.
func (sr *search) pick() (m int32, p, q int32) {
	st, in, rng := sr.st, sr.st.in, sr.rng
	if rng.IntN(100) < tuneFocus {
		for try := 0; try < 8; try++ {
			x := int32(rng.IntN(in.nParts))
			inc := in.incident[x]
			if len(inc) < 2 {
				continue
			}
			broken := false
			for d := 0; d < in.nDays && !broken; d++ {
				b, _ := gapBreaks(st.busy[int(x)*in.nDays+d])
				broken = b > 0
			}
			if !broken {
				continue
			}
			m = inc[rng.IntN(len(inc))]
			if in.ma[m] == x {
				return m, x, in.mb[m]
			}
			return m, x, in.ma[m]
		}
	}
	m = int32(rng.IntN(in.nMeetings))
	p, q = in.ma[m], in.mb[m]
	if rng.IntN(2) == 0 {
		p, q = q, p
	}
	return m, p, q
}
