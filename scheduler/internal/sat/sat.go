package sat

import (
	"sort"
)

// Solver is a compact CDCL SAT solver with native cardinality
// constraints ("at most k of these literals are true"), written for the
// exact phase (exact.go). It has two-watched-literal propagation for
// clauses, counters for cardinality constraints, first-UIP clause learning
// with recursive minimisation, VSIDS decisions with saved phases (which the caller can
// seed with a known grid), Luby restarts and LBD-based clause deletion.
//
// The solver is incremental in the one direction the optimisation needs:
// clauses and cardinality constraints can be added, and a cardinality bound
// lowered, between calls to solve, and the learnt clauses stay valid
// because the formula only gets stronger.
//
// Variables are numbered from 1 and literals follow the DIMACS convention
// in the API; internally a literal is 2*v for v and 2*v+1 for not v.
// Everything is deterministic: no maps, no randomness.
type Solver struct {
	nVars int
	val   []int8 // per literal: 1 true, -1 false, 0 unassigned

	vars  []varData // per variable: level, reason, position on the trail
	trail []satLit
	lim   []int32 // trail length at the start of each decision level
	qhead int

	// arena holds every clause of three or more literals as a header (the
	// size, and flags), its LBD and its literals; a clause is named by the
	// offset of its header. One flat array keeps propagation cache-friendly.
	arena    []satLit
	learnts  []int32  // offsets of the learnt clauses
	occ      []litOcc // per literal p: what to visit when p becomes true
	cards    []satCard
	maxLearn int
	// cardTrail records every true literal propagation counted in a card,
	// in order: backtracking pops the entries of the literals it undoes
	// from the top, so it need not look up each literal's cards again.
	cardTrail []cardPush

	activity []float64
	varInc   float64
	heap     varHeap
	phase    []bool // saved phase per variable

	seen     []uint8
	levelTag []uint32 // per level: stamp for LBD computation
	tag      uint32
	buf      []satLit
	learnt   []satLit
	toClear  []int32
	// minStack and minBuf are the work lists of clause minimisation.
	minStack []int32
	minBuf   []satLit

	unsat     bool
	conflicts int64
	ticks     int64 // propagation work: literals, watchers and cards visited
	model     []bool

	// lubyIndex counts restarts; restartAt is the conflict count of the next.
	lubyIndex int
	restartAt int64

	// hint, when set, is the value every decision takes (indexed by
	// variable): the search stays close to a known solution and moves away
	// only as far as conflicts force it. The exact phase sets it to the
	// best grid so far. This solution-guided search found the b2bsp optima
	// several times faster than phase saving.
	hint []bool

	// assumps are the literals SolveAssuming decides first, one per
	// decision level 1..len(assumps); core is the subset of them the last
	// failed SolveAssuming found in conflict.
	assumps []satLit
	core    []int32
}

// Search parameters: VSIDS decay and the Luby restart unit in conflicts.
var (
	satDecay          = 0.95
	satLubyUnit int64 = 128
)

type satLit uint32

func mkLit(x int32) satLit {
	if x < 0 {
		return satLit(-x)<<1 | 1
	}
	return satLit(x) << 1
}

func (l satLit) not() satLit { return l ^ 1 }
func (l satLit) v() int32    { return int32(l >> 1) }
func (l satLit) neg() bool   { return l&1 == 1 }

const (
	reasonNone uint8 = iota
	reasonClause
	reasonBinary
	reasonCard
)

// Clause header bits in the arena.
const (
	clauseLearnt  satLit = 1 << 31
	clauseDeleted satLit = 1 << 30
	clauseSize    satLit = 1<<30 - 1
)

// lits returns the literals of the clause at offset c.
func (s *Solver) lits(c int32) []satLit {
	n := s.arena[c] & clauseSize
	return s.arena[c+2 : c+2+int32(n)]
}

// varData is what the solver knows of an assigned variable, kept together
// because enqueue writes it all and analyze reads it together.
type varData struct {
	level    int32 // decision level
	reason   int32 // clause offset, card index or literal (see kind)
	trailPos int32 // position on the trail
	kind     uint8 // reasonNone, reasonClause, reasonBinary, reasonCard
}

// litOcc holds the lists propagation visits when literal p becomes true,
// side by side: their three slice headers take one or two cache lines
// rather than three.
type litOcc struct {
	watches []watcher // clauses watching not p
	bins    []satLit  // literals implied by p (binary clauses)
	cards   []int32   // cardinality constraints containing p
}

// cardPush is one literal counted in card ci by propagation; pos is that
// literal's position on the trail. While the entry is the top of
// cardTrail, its literal is the top of the card's trueLits.
type cardPush struct {
	ci, pos int32
}

type watcher struct {
	c       int32
	blocker satLit // a literal of the clause; if true, the clause is satisfied
}

// satCard is "at most k of lits are true". trueLits are its true literals
// that propagation has processed (the trail up to qhead), in trail order:
// a stack that backtracking pops. Its first k entries are the reason of
// every literal the card forces false, and they stay assigned as long as
// that literal does, so explaining a card costs O(k).
type satCard struct {
	lits     []satLit
	k        int32
	trueLits []satLit
}

// Status is the outcome of Solve.
type Status int8

const (
	Unknown Status = iota // stopped before an answer
	Sat                   // a model was found (see value)
	Unsat                 // the formula is unsatisfiable
)

// conflict describes a falsified constraint.
type conflict struct {
	kind uint8
	idx  int32  // clause or card index
	lit  satLit // for a binary conflict: the literal that became true
	oth  satLit // for a binary conflict: the implied literal that is false
}

// New returns a solver with variables 1..nVars and no constraints; more
// variables come with the literals that name them.
func New(nVars int) *Solver {
	s := &Solver{varInc: 1, maxLearn: 4000}
	s.grow(nVars)
	s.restartAt = satLubyUnit * luby(0)
	return s
}

// grow makes room for variables up to n (variable 0 is never used).
func (s *Solver) grow(n int) {
	if len(s.vars) == 0 {
		s.addVarSlots()
	}
	for s.nVars < n {
		s.nVars++
		s.addVarSlots()
		s.heap.push(int32(s.nVars), s.activity)
	}
	s.levelTag = append(s.levelTag[:0], make([]uint32, s.nVars+2)...)
}

// addVarSlots appends the per-variable and per-literal entries of one
// variable.
func (s *Solver) addVarSlots() {
	s.val = append(s.val, 0, 0)
	s.occ = append(s.occ, litOcc{}, litOcc{})
	s.vars = append(s.vars, varData{})
	s.activity = append(s.activity, 0)
	s.phase = append(s.phase, false)
	s.seen = append(s.seen, 0)
}

// Boost raises the activity of v by a (a >= 0) so it is decided before
// the others.
func (s *Solver) Boost(v int32, a float64) {
	s.activity[v] += a
	if s.heap.contains(v) {
		s.heap.up(v, s.activity)
	}
}

// SetPhase sets the polarity tried first when v is decided.
func (s *Solver) SetPhase(v int32, b bool) { s.phase[v] = b }

// Value returns the value of v in the last model.
func (s *Solver) Value(v int32) bool { return s.model[v] }

func (s *Solver) litValue(l satLit) int8 { return s.val[l] }

func (s *Solver) decisionLevel() int32 { return int32(len(s.lim)) }

func (s *Solver) enqueue(l satLit, kind uint8, reason int32) {
	v := l.v()
	s.val[l] = 1
	s.val[l.not()] = -1
	s.vars[v] = varData{level: int32(len(s.lim)), reason: reason, trailPos: int32(len(s.trail)), kind: kind}
	s.trail = append(s.trail, l)
}

// AddClause adds a clause of DIMACS literals. It must be called between
// solves (the solver is then at level 0). It returns false when the formula
// became unsatisfiable.
func (s *Solver) AddClause(dimacs ...int32) bool {
	if s.unsat {
		return false
	}
	s.backtrack(0)
	lits := s.buf[:0]
	for _, x := range dimacs {
		if int(abs32(x)) > s.nVars {
			s.grow(int(abs32(x)))
		}
		l := mkLit(x)
		switch s.val[l] {
		case 1:
			s.buf = lits
			return true // satisfied at level 0
		case -1:
			continue
		}
		dup := false
		for _, o := range lits {
			if o == l {
				dup = true
			}
			if o == l.not() {
				s.buf = lits
				return true // tautology
			}
		}
		if !dup {
			lits = append(lits, l)
		}
	}
	s.buf = lits
	switch len(lits) {
	case 0:
		s.unsat = true
		return false
	case 1:
		s.enqueue(lits[0], reasonNone, 0)
		if _, ok := s.propagate(); !ok {
			s.unsat = true
			return false
		}
		return true
	case 2:
		s.occ[lits[0].not()].bins = append(s.occ[lits[0].not()].bins, lits[1])
		s.occ[lits[1].not()].bins = append(s.occ[lits[1].not()].bins, lits[0])
		return true
	}
	s.attach(lits, false, 0)
	return true
}

// attach stores a clause of at least three literals and watches its first two.
func (s *Solver) attach(lits []satLit, learnt bool, lbd int32) int32 {
	idx := int32(len(s.arena))
	hdr := satLit(len(lits))
	if learnt {
		hdr |= clauseLearnt
		s.learnts = append(s.learnts, idx)
	}
	s.arena = append(s.arena, hdr, satLit(lbd))
	s.arena = append(s.arena, lits...)
	s.occ[lits[0].not()].watches = append(s.occ[lits[0].not()].watches, watcher{idx, lits[1]})
	s.occ[lits[1].not()].watches = append(s.occ[lits[1].not()].watches, watcher{idx, lits[0]})
	return idx
}

// AddAtMost adds "at most k of the DIMACS literals are true" and returns
// its index for Tighten. Literals must be distinct variables.
func (s *Solver) AddAtMost(dimacs []int32, k int) int {
	s.backtrack(0)
	c := satCard{k: int32(k)}
	for _, x := range dimacs {
		if int(abs32(x)) > s.nVars {
			s.grow(int(abs32(x)))
		}
		l := mkLit(x)
		c.lits = append(c.lits, l)
	}
	// Level 0 is fully propagated, so its true literals count already, in
	// trail order.
	for _, l := range c.lits {
		if s.val[l] == 1 {
			c.trueLits = append(c.trueLits, l)
		}
	}
	sort.Slice(c.trueLits, func(i, j int) bool {
		return s.vars[c.trueLits[i].v()].trailPos < s.vars[c.trueLits[j].v()].trailPos
	})
	idx := int32(len(s.cards))
	s.cards = append(s.cards, c)
	for _, l := range c.lits {
		s.occ[l].cards = append(s.occ[l].cards, idx)
	}
	s.checkCard(idx)
	return int(idx)
}

// Tighten lowers the bound of card idx to k (between solves).
func (s *Solver) Tighten(idx int, k int) bool {
	s.backtrack(0)
	if int32(k) < s.cards[idx].k {
		s.cards[idx].k = int32(k)
	}
	s.checkCard(int32(idx))
	return !s.unsat
}

// checkCard propagates card idx at level 0 after it was added or tightened.
func (s *Solver) checkCard(idx int32) {
	if s.unsat {
		return
	}
	c := &s.cards[idx]
	if int32(len(c.trueLits)) > c.k {
		s.unsat = true
		return
	}
	if int32(len(c.trueLits)) == c.k {
		for _, l := range c.lits {
			if s.val[l] == 0 {
				s.enqueue(l.not(), reasonNone, 0)
			}
		}
	}
	if _, ok := s.propagate(); !ok {
		s.unsat = true
	}
}

// propagate runs unit propagation from qhead. On a conflict it returns the
// conflict and false; the trail is then fully counted by the cards up to
// qhead, so backtracking can undo the counts exactly.
func (s *Solver) propagate() (conflict, bool) {
	// The slices below do not grow during propagation (only the trail and
	// the watch lists do): local copies spare reloading them after every
	// store.
	val, occ, arena := s.val, s.occ, s.arena
	ticks := s.ticks
	for s.qhead < len(s.trail) {
		p := s.trail[s.qhead]
		s.qhead++
		o := &occ[p]
		ticks += int64(1 + len(o.cards) + len(o.bins)/8 + len(o.watches))
		// Cards first, all of them, so the counts stay consistent with
		// qhead even when one of them conflicts.
		if len(o.cards) > 0 {
			if cf, ok := s.propagateCards(p, int32(s.qhead-1), o.cards, &ticks); !ok {
				s.ticks = ticks
				return cf, false
			}
		}
		for _, q := range o.bins {
			switch val[q] {
			case -1:
				s.ticks = ticks
				return conflict{kind: reasonBinary, lit: p, oth: q}, false
			case 0:
				s.enqueue(q, reasonBinary, int32(p.not()))
			}
		}
		ws := o.watches
		falseLit := p.not()
		i, j := 0, 0
		for i < len(ws) {
			w := ws[i]
			i++
			if val[w.blocker] == 1 {
				ws[j] = w
				j++
				continue
			}
			c := w.c
			end := c + 2 + int32(arena[c]&clauseSize)
			lits := arena[c+2 : end : end]
			if lits[0] == falseLit {
				lits[0], lits[1] = lits[1], falseLit
			}
			first := lits[0]
			if first != w.blocker && val[first] == 1 {
				ws[j] = watcher{c, first}
				j++
				continue
			}
			found := false
			for k := 2; k < len(lits); k++ {
				if l := lits[k]; val[l] != -1 {
					lits[1], lits[k] = l, falseLit
					no := &occ[l.not()]
					no.watches = append(no.watches, watcher{c, first})
					found = true
					break
				}
			}
			if found {
				continue
			}
			ws[j] = watcher{c, first}
			j++
			if val[first] == -1 {
				j += copy(ws[j:], ws[i:])
				o.watches = ws[:j]
				s.ticks = ticks
				return conflict{kind: reasonClause, idx: c}, false
			}
			s.enqueue(first, reasonClause, c)
		}
		if j != len(ws) { // else every watcher stayed: spare the store
			o.watches = ws[:j]
		}
	}
	s.ticks = ticks
	return conflict{}, true
}

// propagateCards counts the true literal p in each card of cards (all of
// them, so the counts stay consistent with qhead even on a conflict),
// forces the other literals of a card false when it reaches its bound, and
// returns the first card over its bound as a conflict.
func (s *Solver) propagateCards(p satLit, pos int32, cards []int32, ticks *int64) (conflict, bool) {
	var cf conflict
	bad := false
	val := s.val
	for _, ci := range cards {
		c := &s.cards[ci]
		c.trueLits = append(c.trueLits, p)
		s.cardTrail = append(s.cardTrail, cardPush{ci, pos})
		if bad {
			continue
		}
		if n := int32(len(c.trueLits)); n > c.k {
			cf, bad = conflict{kind: reasonCard, idx: ci, lit: p}, true
		} else if n == c.k {
			*ticks += int64(len(c.lits) / 4)
			for _, l := range c.lits {
				if val[l] == 0 {
					s.enqueue(l.not(), reasonCard, ci)
				}
			}
		}
	}
	return cf, !bad
}

// backtrack undoes every assignment above level lvl, saving phases and
// undoing the card counts of processed literals.
func (s *Solver) backtrack(lvl int32) {
	if s.decisionLevel() <= lvl {
		return
	}
	start := int(s.lim[lvl])
	ct, cards := s.cardTrail, s.cards
	n := len(ct)
	for n > 0 && int(ct[n-1].pos) >= start {
		n--
		c := &cards[ct[n].ci]
		c.trueLits = c.trueLits[:len(c.trueLits)-1]
	}
	s.cardTrail = ct[:n]
	val, phase := s.val, s.phase
	for i := len(s.trail) - 1; i >= start; i-- {
		l := s.trail[i]
		v := l.v()
		val[l] = 0
		val[l^1] = 0
		phase[v] = l&1 == 0
		if !s.heap.contains(v) {
			s.heap.push(v, s.activity)
		}
	}
	s.trail = s.trail[:start]
	s.qhead = start
	s.lim = s.lim[:lvl]
}

// explain appends to out the literals, all false now, whose falsity forced
// variable v (its reason without v itself).
func (s *Solver) explain(v int32, out []satLit) []satLit {
	switch s.vars[v].kind {
	case reasonClause:
		for _, l := range s.lits(s.vars[v].reason) {
			if l.v() != v {
				out = append(out, l)
			}
		}
	case reasonBinary:
		out = append(out, satLit(s.vars[v].reason))
	case reasonCard:
		c := &s.cards[s.vars[v].reason]
		for _, l := range c.trueLits[:c.k] {
			out = append(out, l.not())
		}
	}
	return out
}

// conflictLits returns the literals of the falsified constraint.
func (s *Solver) conflictLits(cf conflict, out []satLit) []satLit {
	switch cf.kind {
	case reasonClause:
		out = append(out, s.lits(cf.idx)...)
	case reasonBinary:
		out = append(out, cf.lit.not(), cf.oth)
	case reasonCard:
		c := &s.cards[cf.idx]
		for _, l := range c.trueLits[:c.k+1] {
			out = append(out, l.not())
		}
	}
	return out
}

func (s *Solver) bump(v int32) {
	s.activity[v] += s.varInc
	if s.activity[v] > 1e100 {
		for i := range s.activity {
			s.activity[i] *= 1e-100
		}
		s.heap.rescale(1e-100)
		s.varInc *= 1e-100
	}
	if s.heap.contains(v) {
		s.heap.up(v, s.activity)
	}
}

// analyze derives the first-UIP clause of a conflict; learnt[0] is the
// asserting literal and learnt[1] the literal of the backjump level.
func (s *Solver) analyze(cf conflict) ([]satLit, int32) {
	learnt := append(s.learnt[:0], 0)
	s.toClear = s.toClear[:0]
	pathC := 0
	lits := s.conflictLits(cf, s.buf[:0])
	idx := len(s.trail) - 1
	cur := s.decisionLevel()
	var p satLit
	for {
		for _, q := range lits {
			v := q.v()
			if s.seen[v] != 0 || s.vars[v].level == 0 {
				continue
			}
			s.seen[v] = 1
			s.toClear = append(s.toClear, v)
			s.bump(v)
			if s.vars[v].level >= cur {
				pathC++
			} else {
				learnt = append(learnt, q)
			}
		}
		for seen, trail := s.seen, s.trail; seen[trail[idx].v()] == 0; {
			idx--
		}
		p = s.trail[idx]
		idx--
		pathC--
		if pathC == 0 {
			break
		}
		lits = s.explain(p.v(), lits[:0])
	}
	learnt[0] = p.not()
	s.buf = lits

	learnt = s.minimise(learnt)
	for _, v := range s.toClear {
		s.seen[v] = 0
	}

	bt := int32(0)
	if len(learnt) > 1 {
		maxI := 1
		for i := 2; i < len(learnt); i++ {
			if s.vars[learnt[i].v()].level > s.vars[learnt[maxI].v()].level {
				maxI = i
			}
		}
		learnt[1], learnt[maxI] = learnt[maxI], learnt[1]
		bt = s.vars[learnt[1].v()].level
	}
	s.learnt = learnt
	return learnt, bt
}

// lbd is the number of distinct decision levels in lits.
func (s *Solver) lbd(lits []satLit) int32 {
	s.tag++
	n := int32(0)
	for _, l := range lits {
		lv := s.vars[l.v()].level
		if s.levelTag[lv] != s.tag {
			s.levelTag[lv] = s.tag
			n++
		}
	}
	return n
}

// reduceDB deletes about half of the learnt clauses, the ones with the
// highest LBD, keeping clauses that are reasons and those with LBD <= 2,
// and compacts the arena.
func (s *Solver) reduceDB() {
	var cand []int32
	for _, c := range s.learnts {
		if s.arena[c+1] <= 2 || s.locked(c) {
			continue
		}
		cand = append(cand, c)
	}
	sort.SliceStable(cand, func(a, b int) bool { return s.arena[cand[a]+1] > s.arena[cand[b]+1] })
	for _, c := range cand[:len(cand)/2] {
		s.arena[c] |= clauseDeleted
	}
	// Compact: copy the live clauses to a new arena, leaving the new
	// offset in the old LBD slot, then rename the offsets held elsewhere.
	fresh := make([]satLit, 0, len(s.arena))
	for c := 0; c < len(s.arena); {
		hdr := s.arena[c]
		next := c + 2 + int(hdr&clauseSize)
		if hdr&clauseDeleted == 0 {
			nc := satLit(len(fresh))
			fresh = append(fresh, s.arena[c:next]...)
			s.arena[c+1] = nc
		}
		c = next
	}
	moved := func(c int32) (int32, bool) {
		if s.arena[c]&clauseDeleted != 0 {
			return 0, false
		}
		return int32(s.arena[c+1]), true
	}
	for p := range s.occ {
		ws := s.occ[p].watches
		j := 0
		for _, w := range ws {
			if nc, ok := moved(w.c); ok {
				ws[j] = watcher{nc, w.blocker}
				j++
			}
		}
		s.occ[p].watches = ws[:j]
	}
	for _, l := range s.trail {
		if v := l.v(); s.vars[v].kind == reasonClause {
			s.vars[v].reason, _ = moved(s.vars[v].reason)
		}
	}
	j := 0
	for _, c := range s.learnts {
		if nc, ok := moved(c); ok {
			s.learnts[j] = nc
			j++
		}
	}
	s.learnts = s.learnts[:j]
	s.arena = fresh
	s.maxLearn += 500
}

// locked reports whether the clause at c is the reason of an assignment.
func (s *Solver) locked(c int32) bool {
	l := s.arena[c+2]
	v := l.v()
	return s.val[l] == 1 && s.vars[v].kind == reasonClause && s.vars[v].reason == c
}

// Solve searches for a model. stop is polled every few hundred conflicts;
// when it returns true, Solve returns Unknown.
func (s *Solver) Solve(stop func() bool) Status {
	if s.unsat {
		return Unsat
	}
	s.backtrack(0)
	if _, ok := s.propagate(); !ok {
		s.unsat = true
		return Unsat
	}
	for {
		cf, ok := s.propagate()
		if !ok {
			s.conflicts++
			if s.decisionLevel() == 0 {
				s.unsat = true
				return Unsat
			}
			learnt, bt := s.analyze(cf)
			s.backtrack(bt)
			switch len(learnt) {
			case 1:
				s.enqueue(learnt[0], reasonNone, 0)
			case 2:
				a, b := learnt[0], learnt[1]
				s.occ[a.not()].bins = append(s.occ[a.not()].bins, b)
				s.occ[b.not()].bins = append(s.occ[b.not()].bins, a)
				s.enqueue(a, reasonBinary, int32(b))
			default:
				lbd := s.lbd(learnt)
				c := s.attach(learnt, true, lbd)
				s.enqueue(learnt[0], reasonClause, c)
			}
			s.varInc /= satDecay
			if s.conflicts&255 == 0 && stop != nil && stop() {
				s.backtrack(0)
				return Unknown
			}
			continue
		}
		if s.conflicts >= s.restartAt {
			s.lubyIndex++
			s.restartAt = s.conflicts + satLubyUnit*luby(s.lubyIndex)
			s.backtrack(0)
		}
		if len(s.learnts) > s.maxLearn {
			s.reduceDB()
		}
		if lvl := int(s.decisionLevel()); lvl < len(s.assumps) {
			a := s.assumps[lvl]
			if s.val[a] == -1 {
				s.analyzeFinal(a)
				s.backtrack(0)
				return Unsat
			}
			s.lim = append(s.lim, int32(len(s.trail)))
			if s.val[a] == 0 {
				s.enqueue(a, reasonNone, 0)
			}
			continue
		}
		v := s.pickBranch()
		if v == 0 {
			s.model = s.model[:0]
			for i := 0; i <= s.nVars; i++ {
				s.model = append(s.model, s.val[satLit(i)<<1] == 1)
			}
			s.backtrack(0)
			return Sat
		}
		s.lim = append(s.lim, int32(len(s.trail)))
		l := satLit(v) << 1
		ph := s.phase[v]
		if int(v) < len(s.hint) {
			ph = s.hint[v]
		}
		if !ph {
			l |= 1
		}
		s.enqueue(l, reasonNone, 0)
	}
}

// pickBranch returns the unassigned variable of highest activity, or 0.
func (s *Solver) pickBranch() int32 {
	for s.heap.len() > 0 {
		v := s.heap.pop()
		if s.val[satLit(v)<<1] == 0 {
			return v
		}
	}
	return 0
}

// luby returns the i-th element (from 0) of the Luby sequence 1 1 2 1 1 2 4 ...
func luby(i int) int64 {
	size, seq := 1, 0
	for size < i+1 {
		seq++
		size = 2*size + 1
	}
	for size-1 != i {
		size = (size - 1) >> 1
		seq--
		i %= size
	}
	return 1 << seq
}

// varHeap is a binary max-heap of variables by activity; ties go to the
// lower variable so the order is deterministic. Each entry carries its
// variable's activity, so sifting compares entries without looking the
// activities up: the caller calls up after raising an activity and
// rescale after scaling them all.
type varHeap struct {
	heap []heapEntry
	pos  []int32 // per variable: index in heap, -1 when absent
}

// heapEntry is a variable and its activity when last pushed or raised.
type heapEntry struct {
	act float64
	v   int32
}

// before reports whether a goes above b in the heap.
func (a heapEntry) before(b heapEntry) bool {
	if a.act != b.act {
		return a.act > b.act
	}
	return a.v < b.v
}

func (h *varHeap) len() int { return len(h.heap) }

func (h *varHeap) contains(v int32) bool { return int(v) < len(h.pos) && h.pos[v] >= 0 }

func (h *varHeap) push(v int32, act []float64) {
	for int(v) >= len(h.pos) {
		h.pos = append(h.pos, -1)
	}
	h.pos[v] = int32(len(h.heap))
	h.heap = append(h.heap, heapEntry{act[v], v})
	h.up(v, act)
}

// up moves v, whose activity did not decrease, to its place.
func (h *varHeap) up(v int32, act []float64) {
	e := heapEntry{act[v], v}
	i := h.pos[v]
	for i > 0 {
		parent := (i - 1) / 2
		u := h.heap[parent]
		if !e.before(u) {
			break
		}
		h.heap[i] = u
		h.pos[u.v] = i
		i = parent
	}
	h.heap[i] = e
	h.pos[v] = i
}

// rescale multiplies the activity of every entry by f, as the caller did
// to the activities themselves.
func (h *varHeap) rescale(f float64) {
	for i := range h.heap {
		h.heap[i].act *= f
	}
}

func (h *varHeap) pop() int32 {
	top := h.heap[0].v
	last := h.heap[len(h.heap)-1]
	h.heap = h.heap[:len(h.heap)-1]
	h.pos[top] = -1
	if n := int32(len(h.heap)); n > 0 {
		i := int32(0)
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && h.heap[c+1].before(h.heap[c]) {
				c++
			}
			if !h.heap[c].before(last) {
				break
			}
			h.heap[i] = h.heap[c]
			h.pos[h.heap[i].v] = i
			i = c
		}
		h.heap[i] = last
		h.pos[last.v] = i
	}
	return top
}

// SetHint makes every decision on variable v take hint[v] (solution-guided
// search); variables beyond len(hint) use their saved phase. The slice is
// copied.
func (s *Solver) SetHint(hint []bool) { s.hint = append(s.hint[:0], hint...) }

// Model returns the last model found by Solve, indexed by variable (index 0
// unused). It is overwritten by the next successful Solve.
func (s *Solver) Model() []bool { return s.model }

// Conflicts returns the number of conflicts met so far.
func (s *Solver) Conflicts() int64 { return s.conflicts }

// Ticks returns the propagation work done so far (literals propagated,
// watchers and cardinality constraints visited): a deterministic measure
// of work that, unlike conflicts, tracks time across formulas of very
// different sizes.
func (s *Solver) Ticks() int64 { return s.ticks }

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// SolveAssuming is Solve with the DIMACS literals assumps taken as true for
// this call only. On Unsat with a satisfiable formula (the assumptions are
// at fault), Core names assumptions that cannot all hold together; the
// formula and everything learnt stay valid for later calls.
func (s *Solver) SolveAssuming(assumps []int32, stop func() bool) Status {
	s.assumps = s.assumps[:0]
	for _, x := range assumps {
		if int(abs32(x)) > s.nVars {
			s.grow(int(abs32(x)))
		}
		s.assumps = append(s.assumps, mkLit(x))
	}
	s.core = s.core[:0]
	st := s.Solve(stop)
	s.assumps = s.assumps[:0]
	return st
}

// Core returns the assumptions (DIMACS literals) of the final conflict of
// the last SolveAssuming that returned Unsat: they cannot all be true.
// It is empty when the formula itself is unsatisfiable.
func (s *Solver) Core() []int32 { return s.core }

// analyzeFinal collects into core the assumptions that imply the negation
// of the assumption a, which is false now: a itself and every assumption
// decision the implication graph of not a leads back to.
func (s *Solver) analyzeFinal(a satLit) {
	s.core = append(s.core[:0], dimacs(a))
	v := a.v()
	if s.vars[v].level == 0 {
		return
	}
	s.seen[v] = 1
	for i := len(s.trail) - 1; i >= int(s.lim[0]); i-- {
		l := s.trail[i]
		x := l.v()
		if s.seen[x] == 0 {
			continue
		}
		s.seen[x] = 0
		if s.vars[x].kind == reasonNone {
			if x != v {
				s.core = append(s.core, dimacs(l))
			}
			continue
		}
		s.buf = s.explain(x, s.buf[:0])
		for _, q := range s.buf {
			if s.vars[q.v()].level > 0 {
				s.seen[q.v()] = 1
			}
		}
	}
}

// dimacs converts an internal literal to the DIMACS convention.
func dimacs(l satLit) int32 {
	if l.neg() {
		return -l.v()
	}
	return l.v()
}
