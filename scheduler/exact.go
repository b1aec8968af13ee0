package scheduler

import "github.com/matchgrid/matchgrid/scheduler/internal/sat"

// exactEncoding is the SAT encoding (for the CDCL solver of internal/sat) of "every
// meeting in one slot of its domain", with literals that count breaks and
// idle slots. Variables are numbered from 1 and literals follow the DIMACS
// convention (-v is the negation of v), so that the formula can be printed
// for another solver when debugging. The objective bounds are added by the
// caller (exactImprove) as cardinality constraints on breaks and idle.
//
// Besides the model itself, the encoding carries implied constraints that
// the heuristic-only versions of this phase lacked and that measurably
// decide whether the b2bsp instances solve in a second or not at all:
//
//   - per participant, the number of busy slots equals the number of
//     meetings;
//   - slot capacity is counted over one "hub" variable per participant and
//     slot (below) through a totalizer, whose intermediate counts give
//     clause learning something to generalise over (a plain cardinality
//     constraint over the meeting variables made the solver unable to see
//     that a slot is overbooked);
//   - windows: a participant without breaks fills a window of exactly deg
//     consecutive slots into which its meetings can be matched, and only
//     windows that admit such a matching are offered.
type exactEncoding struct {
	in      *instance
	nVars   int
	clauses [][]int32
	cards   []cardConstraint
	// x[m] lists the slot variables of meeting m, one per slot of its
	// domain, in slot order.
	x [][]slotVar
	// y[p*nSlots+s] says participant p meets in slot s; 0 when p cannot.
	y []int32
	// g[p*nSlots+s]: p meets in s or later the same day; f: in s or
	// earlier. 0 where the value is false in every grid.
	g, f []int32
	// breaks holds one literal per possible break start (p idle in s after
	// a meeting in s-1 and before a later meeting of the day), idle one per
	// possible idle slot, breaksOf[p] the break literals of participant p.
	// The clauses force a literal true whenever the grid has that break (or
	// idle slot) and nothing else forces it, so bounding their number
	// bounds the grid's breaks and idle slots.
	breaks, idle []int32
	breaksOf     [][]int32
	// windows[p] are the window variables of participant p (nb is 0 when
	// p has none).
	windows []windowVars
	// defs are the clauses that force an auxiliary variable true (its
	// head); model evaluates them to a fixpoint.
	defs []definition
	// objective and forced restate the break count for the solver: the
	// breaks of a grid are at most forced plus the number of true
	// objective literals (see encodeObjective).
	objective []int32
	forced    int
}

// slotVar is the variable "meeting in slot".
type slotVar struct {
	slot int32
	v    int32
}

// cardConstraint says at most k of lits are true.
type cardConstraint struct {
	lits []int32
	k    int
}

// windowVars are one participant's window variables: nb means "no break",
// w[i] "the meetings fill slots starts[i] .. starts[i]+deg-1".
type windowVars struct {
	nb     int32
	w      []int32
	starts []int
}

// definition is a clause (head or rest...) that forces head when the rest
// is false; the clause is clauses[clause].
type definition struct {
	head   int32
	clause int
}

func (e *exactEncoding) newVar() int32 {
	e.nVars++
	return int32(e.nVars)
}

func (e *exactEncoding) clause(lits ...int32) {
	e.clauses = append(e.clauses, lits)
}

// define adds the clause (head or rest...) and records it as a definition.
func (e *exactEncoding) define(head int32, rest ...int32) {
	e.defs = append(e.defs, definition{head, len(e.clauses)})
	e.clause(append([]int32{head}, rest...)...)
}

func (e *exactEncoding) atMost(lits []int32, k int) {
	if k >= len(lits) {
		return
	}
	e.cards = append(e.cards, cardConstraint{lits: lits, k: max(k, 0)})
}

// daySpan returns the slots [lo, hi) of day d.
func (in *instance) daySpan(d int) (lo, hi int) {
	lo, hi = int(in.dayFirst[d]), in.nSlots
	if d+1 < in.nDays {
		hi = int(in.dayFirst[d+1])
	}
	return lo, hi
}

// encodeExact builds the encoding of in for grids that place every meeting.
// breakCap bounds the breaks of each participant (the fairness limit).
// withIdle adds the idle-slot literals (and the "meets here or earlier"
// chains they need); the break minimisation runs faster without them.
// busyPerSlot counts the participants busy per slot (encodeBusyPerSlot)
// even where the tables leave room (see busyLoad).
func encodeExact(in *instance, breakCap int, withIdle, busyPerSlot bool) *exactEncoding {
	e := &exactEncoding{in: in}
	nS := in.nSlots
	e.x = make([][]slotVar, in.nMeetings)
	e.y = make([]int32, in.nParts*nS)
	e.g = make([]int32, in.nParts*nS)
	e.f = make([]int32, in.nParts*nS)
	e.breaksOf = make([][]int32, in.nParts)

	// Each meeting takes exactly one slot of its domain (a locked or fixed
	// meeting has a domain of one slot, so it becomes a unit clause).
	for m := 0; m < in.nMeetings; m++ {
		var alo []int32
		for _, s := range in.domain[m].members(nil) {
			v := e.newVar()
			e.x[m] = append(e.x[m], slotVar{int32(s), v})
			alo = append(alo, v)
		}
		e.clause(alo...)
		e.atMost(alo, 1)
	}
	e.encodeParticipants()
	e.encodeCapacity()
	if places, ok := in.places(); ok && (busyPerSlot || nearlyFull(in, places)) {
		e.encodeBusyPerSlot(places)
	}

	e.encodePrecedences()
	e.encodeBreaks(breakCap, withIdle)
	e.encodeWindows()
	e.encodeObjective()
	return e
}

// encodePrecedences says that every meeting b in before[a] takes a
// strictly earlier slot than a, in the order encoding: per meeting in a
// precedence, a literal "at or after the i-th slot of its domain" for
// each i, so that a bound on one meeting's slot propagates to the
// meetings before and after it along whole chains (the pairwise clauses
// "not a in s and b in t" for t >= s only propagate once a meeting has
// its slot, and the solver missed the b2bsp optima of the precedence
// variants with them).
func (e *exactEncoding) encodePrecedences() {
	in := e.in
	ge := make([][]int32, in.nMeetings)
	orderOf := func(m int) []int32 {
		if ge[m] == nil {
			ge[m] = e.orderLiterals(m)
		}
		return ge[m]
	}
	for a := 0; a < in.nMeetings; a++ {
		for _, b := range in.before[a] {
			geA, geB := orderOf(a), orderOf(int(b))
			xa, xb := e.x[a], e.x[b]
			// b at or after its j-th slot forces a after that slot.
			i := 0
			for j, sb := range xb {
				for i < len(xa) && xa[i].slot <= sb.slot {
					i++
				}
				if i == len(xa) {
					e.clause(-geB[j])
				} else {
					e.clause(-geB[j], geA[i])
				}
			}
		}
	}
}

// orderLiterals returns, for meeting m with domain slots x[m][0..k-1],
// literals ge[i] "m is in slot x[m][i].slot or later" (ge[0] is a
// literal that is always true), defined from the slot variables.
func (e *exactEncoding) orderLiterals(m int) []int32 {
	xs := e.x[m]
	ge := make([]int32, len(xs))
	for i := range xs {
		ge[i] = e.newVar()
	}
	e.clause(ge[0])
	for i := len(xs) - 1; i >= 0; i-- {
		e.define(ge[i], -xs[i].v)
		if i+1 < len(xs) {
			e.define(ge[i], -ge[i+1])
			// In slot i, so not at or after slot i+1; at or after i but
			// not i+1, so in slot i.
			e.clause(-xs[i].v, -ge[i+1])
			e.clause(-ge[i], xs[i].v, ge[i+1])
		} else {
			e.clause(-ge[i], xs[i].v)
		}
	}
	return ge
}

// encodeObjective builds the literals whose count bounds the breaks, per
// participant:
//
//   - with a window constraint, "not nb" (the participant has a break)
//     plus a literal per break beyond the first (a totalizer over its
//     break literals): the participant-level literal lets clause learning
//     state "these participants cannot all be without a break", which
//     helped the solver far more than counting break positions;
//   - with no window at all, only the breaks beyond the first, and forced
//     counts the first: such a participant has a break in every grid (the
//     argument of Bounds.BreaksLower). A bound of forced breaks, the lower
//     bound, then forbids every other break outright, so propagation sees
//     at once that everybody else fills a window. This is the first step of
//     core-guided MaxSAT solving, with the cores known in advance;
//   - otherwise (meetings on several days) its break literals.
//
// A grid's breaks are at most forced plus the number of true objective
// literals (with equality in the least model of the grid).
func (e *exactEncoding) encodeObjective() {
	for p, bs := range e.breaksOf {
		wv := e.windows[p]
		extra := func() {
			if len(bs) > 1 {
				e.objective = append(e.objective, e.totalizer(bs, len(bs))[1:]...)
			}
		}
		switch {
		case wv.nb != 0 && len(wv.w) == 0:
			e.forced++
			extra()
		case wv.nb != 0:
			e.objective = append(e.objective, -wv.nb)
			extra()
		default:
			e.objective = append(e.objective, bs...)
		}
	}
}

// encodeParticipants links the participant variables y to the meeting
// variables: y[p][s] is the OR of p's meeting variables in s, at most one
// of which is true, and p is busy in exactly deg(p) slots.
func (e *exactEncoding) encodeParticipants() {
	in := e.in
	nS := in.nSlots
	perSlot := make([][]int32, nS)
	for p := 0; p < in.nParts; p++ {
		for s := range perSlot {
			perSlot[s] = perSlot[s][:0]
		}
		for _, m := range in.incident[p] {
			for _, sv := range e.x[m] {
				perSlot[sv.slot] = append(perSlot[sv.slot], sv.v)
			}
		}
		var notY []int32
		for s, xs := range perSlot {
			if len(xs) == 0 {
				continue
			}
			y := e.newVar()
			e.y[p*nS+s] = y
			notY = append(notY, -y)
			e.clause(append([]int32{-y}, xs...)...)
			for _, x := range xs {
				e.clause(-x, y)
			}
			e.atMost(append([]int32(nil), xs...), 1)
		}
		// Redundant given the meeting constraints, but stated directly it
		// shows the solver at once that a participant with as many
		// meetings as usable slots is busy in all of them.
		e.atMost(notY, len(notY)-len(in.incident[p]))
	}
}

// hubOf returns the participant a meeting is counted under for the slot
// capacity: the one with more meetings (the lower index on a tie).
func (in *instance) hubOf(m int32) int32 {
	a, b := in.ma[m], in.mb[m]
	da, db := len(in.incident[a]), len(in.incident[b])
	if db > da || db == da && b < a {
		return b
	}
	return a
}

// encodeCapacity bounds the meetings without a host in each slot by the
// shared tables. The meetings are grouped by hub participant, a variable
// z[h][s] stands for "one of h's group meets in s" (at most one can: they
// share h), and a totalizer counts the z of the slot. Counting over hubs
// rather than meetings is what lets clause learning reason about crowded
// slots: with a flat count over the meeting variables, or the groups in
// random order, the solver did not find the b2bsp optima in minutes.
func (e *exactEncoding) encodeCapacity() {
	in := e.in
	hub := make([]int32, in.nMeetings)
	for m := range hub {
		hub[m] = in.hubOf(int32(m))
	}
	order := sortedIndices(in.nMeetings, func(x, y int) bool { return hub[x] < hub[y] })
	for s := 0; s < in.nSlots; s++ {
		var zs, group []int32
		flush := func() {
			switch len(group) {
			case 0:
			case 1:
				zs = append(zs, group[0])
			default:
				z := e.newVar()
				for _, x := range group {
					e.define(z, -x)
				}
				zs = append(zs, z)
			}
			group = group[:0]
		}
		for i, m := range order {
			if i > 0 && hub[m] != hub[order[i-1]] {
				flush()
			}
			if !in.shared[m] {
				continue
			}
			for _, sv := range e.x[m] {
				if int(sv.slot) == s {
					group = append(group, sv.v)
				}
			}
		}
		flush()
		e.totalizerAtMost(zs, int(in.capacity[s]))
	}
}

// encodeBusyPerSlot adds the implied constraint that at most twice as
// many participants as the slot has places for meetings are busy in it:
// every meeting occupies two participants and one table (one of its
// capacity when every meeting needs a shared table, else one of all its
// tables). Stated over the participant variables, it lets the solver
// count who cannot all fill their windows at once: in the forumt family
// of b2bsp, half the participants meet in every slot and the tables leave
// the others a handful of places per slot, and with it the solver proves
// the optima in a fraction of a second that it did not prove at all
// without. places is the room for meetings per slot (instance.places).
func (e *exactEncoding) encodeBusyPerSlot(places []int) {
	in := e.in
	for s := 0; s < in.nSlots; s++ {
		var ys []int32
		for p := 0; p < in.nParts; p++ {
			if y := e.y[p*in.nSlots+s]; y != 0 {
				ys = append(ys, y)
			}
		}
		e.atMost(ys, 2*places[s])
	}
}

// places returns the number of meetings each slot has room for (its
// capacity when every meeting needs a shared table, else its tables), and
// false when a video meeting, which takes no table, makes that no bound.
func (in *instance) places() ([]int, bool) {
	allShared := true
	for m := 0; m < in.nMeetings; m++ {
		if in.virtual[m] {
			return nil, false
		}
		allShared = allShared && in.shared[m]
	}
	places := make([]int, in.nSlots)
	for s := range places {
		places[s] = int(in.tables[s])
		if allShared {
			places[s] = int(in.capacity[s])
		}
	}
	return places, true
}

// nearlyFull reports whether the meetings of in fill at least busyLoad of
// places, the room for meetings per slot, over the whole event.
func nearlyFull(in *instance, places []int) bool {
	total := 0
	for _, n := range places {
		total += n
	}
	return float64(in.nMeetings) >= busyLoad*float64(total)
}

// busyLoad is the share of the places at the tables the meetings must
// fill for every lane's encoding to count the participants busy per slot
// (elsewhere only the second lane's does). Where the tables leave room the
// count rarely binds and changes the search: forum-13crafc lost its
// optimum with it, while forum-13crafb and forum-14 variants gained
// theirs, so there the two lanes differ in it. The b2bsp forums fill 98%
// (forumt) or 61-64% (the others).
const busyLoad = 0.8

// totalizer encodes the number of true lits in unary up to limit: out[i]
// is forced true when at least i+1 of lits are. Only these upward
// implications are encoded, which is all an "at most" needs.
func (e *exactEncoding) totalizer(lits []int32, limit int) []int32 {
	if len(lits) == 1 {
		return lits
	}
	a := e.totalizer(lits[:len(lits)/2], limit)
	b := e.totalizer(lits[len(lits)/2:], limit)
	out := make([]int32, min(len(a)+len(b), limit))
	for i := range out {
		out[i] = e.newVar()
	}
	for i := 0; i <= len(a); i++ {
		for j := 0; j <= len(b); j++ {
			if i+j == 0 || i+j > len(out) {
				continue
			}
			var rest []int32
			if i > 0 {
				rest = append(rest, -a[i-1])
			}
			if j > 0 {
				rest = append(rest, -b[j-1])
			}
			e.define(out[i+j-1], rest...)
		}
	}
	return out
}

// totalizerAtMost says at most k of lits are true, through a totalizer.
func (e *exactEncoding) totalizerAtMost(lits []int32, k int) {
	if k >= len(lits) {
		return
	}
	if k <= 0 {
		for _, l := range lits {
			e.clause(-l)
		}
		return
	}
	out := e.totalizer(lits, k+1)
	e.clause(-out[k])
}

// encodeBreaks defines g, f, the break and the idle literals, per
// participant and day, and caps each participant's breaks at breakCap.
// g[s] is implied by a meeting in s or by g[s+1], f[s] by a meeting in s or
// by f[s-1]; only these directions are needed because lowering g or f can
// only remove breaks the grid does not have.
func (e *exactEncoding) encodeBreaks(breakCap int, withIdle bool) {
	in := e.in
	nS := in.nSlots
	for p := 0; p < in.nParts; p++ {
		for d := 0; d < in.nDays; d++ {
			lo, hi := in.daySpan(d)
			var next int32
			for s := hi - 1; s >= lo; s-- {
				y := e.y[p*nS+s]
				if y == 0 && next == 0 {
					continue
				}
				g := e.newVar()
				e.g[p*nS+s] = g
				if y != 0 {
					e.define(g, -y)
				}
				if next != 0 {
					e.define(g, -next)
				}
				next = g
			}
			var prev int32
			for s := lo; s < hi && withIdle; s++ {
				y := e.y[p*nS+s]
				if y == 0 && prev == 0 {
					continue
				}
				f := e.newVar()
				e.f[p*nS+s] = f
				if y != 0 {
					e.define(f, -y)
				}
				if prev != 0 {
					e.define(f, -prev)
				}
				prev = f
			}
			// A break starts in s when p meets in s-1, not in s, and later;
			// s is idle when p meets before s, not in s, and later.
			for s := lo + 1; s+1 < hi; s++ {
				g := e.g[p*nS+s+1]
				if g == 0 {
					continue
				}
				y := e.y[p*nS+s]
				if yPrev := e.y[p*nS+s-1]; yPrev != 0 {
					rest := []int32{-yPrev, -g}
					if y != 0 {
						rest = append(rest, y)
					}
					b := e.newVar()
					e.define(b, rest...)
					e.breaks = append(e.breaks, b)
					e.breaksOf[p] = append(e.breaksOf[p], b)
				}
				if fPrev := e.f[p*nS+s-1]; fPrev != 0 {
					rest := []int32{-fPrev, -g}
					if y != 0 {
						rest = append(rest, y)
					}
					i := e.newVar()
					e.define(i, rest...)
					e.idle = append(e.idle, i)
				}
			}
		}
		e.atMost(e.breaksOf[p], breakCap)
	}
}

// encodeWindows adds the window constraints of every participant who has
// two or more meetings, all on one day. Without breaks the participant
// meets in deg consecutive slots, so "no break" implies one of the windows
// of deg slots into which the meetings can be matched (bipartite matching
// within each meeting's domain), and a window fixes the busy slots.
// Windows without a matching are never offered: that is reasoning unit
// propagation cannot do, and without it the solver found the b2bsp optima
// far less often.
func (e *exactEncoding) encodeWindows() {
	in := e.in
	nS := in.nSlots
	e.windows = make([]windowVars, in.nParts)
	fit := newWindowFit(in)
	for p := 0; p < in.nParts; p++ {
		ms := in.incident[p]
		deg := len(ms)
		if deg < 2 || len(e.breaksOf[p]) == 0 {
			continue
		}
		var usable slotSet
		for _, m := range ms {
			usable = usable.or(in.domain[m])
		}
		lo, hi := in.daySpan(int(in.slotDay[usable.first()]))
		if usable.and(rangeSet(lo, hi)) != usable {
			continue // meetings on several days: no single window
		}
		wv := windowVars{nb: e.newVar()}
		for start := lo; start+deg <= hi; start++ {
			window := rangeSet(start, start+deg)
			if window.and(usable) != window {
				continue
			}
			if fit.fits(ms, window) {
				w := e.newVar()
				wv.w = append(wv.w, w)
				wv.starts = append(wv.starts, start)
				e.pruneWindow(w, ms, start, fit.matchOf)
			}
		}
		e.windows[p] = wv
		e.clause(append([]int32{wv.nb}, e.breaksOf[p]...)...)
		e.clause(append([]int32{-wv.nb}, wv.w...)...)
		e.atMost(wv.w, 1)
		for i, w := range wv.w {
			for s := 0; s < nS; s++ {
				y := e.y[p*nS+s]
				switch {
				case y == 0:
				case s >= wv.starts[i] && s < wv.starts[i]+deg:
					e.clause(-w, y)
				default:
					e.clause(-w, -y)
				}
			}
		}
	}
}

// pruneWindow forbids, when window w (slots start.. start+len(ms)-1) is
// chosen, every placement of a meeting of ms in the window that belongs to
// no perfect matching of the meetings to the window's slots. matchOf gives
// one perfect matching (slot -> index in ms). A placement outside the
// matching belongs to another perfect matching exactly when it lies on an
// alternating cycle, that is, when the meeting and the slot are in one
// strongly connected component of the graph with the edges meeting -> slot
// for the other admissible placements and slot -> meeting for the matching.
func (e *exactEncoding) pruneWindow(w int32, ms []int32, start int, matchOf []int32) {
	d := len(ms)
	// Nodes 0..d-1 are meetings, d..2d-1 the window's slots.
	adj := make([][]int, 2*d)
	for k, m := range ms {
		for _, sv := range e.x[m] {
			j := int(sv.slot) - start
			if j < 0 || j >= d || matchOf[sv.slot] == int32(k) {
				continue
			}
			adj[k] = append(adj[k], d+j)
		}
	}
	for j := 0; j < d; j++ {
		adj[d+j] = append(adj[d+j], int(matchOf[start+j]))
	}
	comp := sccs(adj)
	for k, m := range ms {
		for _, sv := range e.x[m] {
			j := int(sv.slot) - start
			if j < 0 || j >= d || matchOf[sv.slot] == int32(k) {
				continue
			}
			if comp[k] != comp[d+j] {
				e.clause(-w, -sv.v)
			}
		}
	}
}

// sccs returns the strongly connected component of every node of the
// graph adj (Tarjan's algorithm).
func sccs(adj [][]int) []int {
	n := len(adj)
	index := make([]int, n)
	low := make([]int, n)
	comp := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, nComp := 0, 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, u := range adj[v] {
			if index[u] < 0 {
				visit(u)
				low[v] = min(low[v], low[u])
			} else if onStack[u] {
				low[v] = min(low[v], index[u])
			}
		}
		if low[v] == index[v] {
			for {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[u] = false
				comp[u] = nComp
				if u == v {
					break
				}
			}
			nComp++
		}
	}
	for v := range adj {
		if index[v] < 0 {
			visit(v)
		}
	}
	return comp
}

// model returns the assignment that describes the grid slots (every
// meeting placed): the meeting and participant variables as the grid has
// them, the window variables of participants without gaps, and every
// auxiliary variable at the least value its definitions allow, so that
// break and idle literals are true exactly at the grid's breaks and idle
// slots and counter outputs give the counts. The solver starts from it.
// Index 0 is unused.
func (e *exactEncoding) model(slots []int32) []bool {
	in := e.in
	nS := in.nSlots
	val := make([]bool, e.nVars+1)
	for m, xs := range e.x {
		for _, sv := range xs {
			val[sv.v] = slots[m] == sv.slot
		}
	}
	busy := make([]bool, in.nParts*nS)
	for m, s := range slots {
		if s >= 0 {
			busy[int(in.ma[m])*nS+int(s)] = true
			busy[int(in.mb[m])*nS+int(s)] = true
		}
	}
	for k, y := range e.y {
		if y != 0 {
			val[y] = busy[k]
		}
	}
	for p, wv := range e.windows {
		if wv.nb == 0 {
			continue
		}
		first, n := -1, 0
		for s := 0; s < nS; s++ {
			if busy[p*nS+s] {
				if first < 0 {
					first = s
				}
				n++
			}
		}
		contiguous := first >= 0
		for s := first; contiguous && s < first+n; s++ {
			contiguous = s < nS && busy[p*nS+s]
		}
		val[wv.nb] = contiguous
		for i, w := range wv.w {
			val[w] = contiguous && wv.starts[i] == first
		}
	}
	// Definitions are monotone (a head only ever turns true), so repeated
	// passes reach the least fixpoint; creation order makes one or two
	// passes enough.
	for changed := true; changed; {
		changed = false
		for _, d := range e.defs {
			if val[d.head] {
				continue
			}
			forced := true
			for _, l := range e.clauses[d.clause][1:] {
				if val[abs32(l)] == (l > 0) {
					forced = false
					break
				}
			}
			if forced {
				val[d.head] = true
				changed = true
			}
		}
	}
	return val
}

// slots decodes the grid of the solver's last model.
func (e *exactEncoding) slots(s *sat.Solver) []int32 {
	out := make([]int32, len(e.x))
	for m, xs := range e.x {
		out[m] = -1
		for _, sv := range xs {
			if s.Value(sv.v) {
				out[m] = sv.slot
				break
			}
		}
	}
	return out
}

// load creates a solver holding the encoding.
func (e *exactEncoding) load() *sat.Solver {
	s := sat.New(e.nVars)
	for _, c := range e.clauses {
		s.AddClause(c...)
	}
	for _, c := range e.cards {
		s.AddAtMost(c.lits, c.k)
	}
	return s
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
