package scheduler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/matchgrid/matchgrid/scheduler/internal/sat"
)

// placementModel is the SAT model of placement alone: a variable per
// meeting and admissible slot, a "placed" variable per meeting, and the
// hard rules (one slot per meeting, one meeting per participant and slot,
// caps, shared tables per slot, precedences). Unlike the exact encoding of
// breaks it does not require every meeting to be placed, so it decides
// placement itself: whether every meeting fits, which ones stay out when
// not, and why (an unsatisfiable core over the "placed" variables).
type placementModel struct {
	in     *instance
	nVars  int32
	s      *sat.Solver
	x      [][]slotVar // x[m]: the slot variables of meeting m, in slot order
	placed []int32     // placed[m]: the variable "m has a slot"
}

// placementFits reports whether the placement model of in is small enough
// to build and solve within a normal budget (a few million literals).
func placementFits(in *instance) bool {
	n := 0
	for m := 0; m < in.nMeetings; m++ {
		n += in.domain[m].count()
	}
	return n <= 400_000
}

// newPlacementModel builds the model of in and loads it into a solver.
func newPlacementModel(in *instance) *placementModel {
	pm := &placementModel{in: in, x: make([][]slotVar, in.nMeetings), placed: make([]int32, in.nMeetings)}
	nVars := int32(0)
	newVar := func() int32 { nVars++; return nVars }
	for m := 0; m < in.nMeetings; m++ {
		pm.placed[m] = newVar()
		for _, s := range in.domain[m].members(nil) {
			pm.x[m] = append(pm.x[m], slotVar{int32(s), newVar()})
		}
	}
	s := sat.New(int(nVars))
	pm.s, pm.nVars = s, nVars
	perSlot := make([][]int32, in.nParts*in.nSlots) // participant p meets in s
	load := make([][]int32, in.nSlots)              // shared meetings in s
	for m := 0; m < in.nMeetings; m++ {
		alo := []int32{-pm.placed[m]}
		lits := make([]int32, 0, len(pm.x[m]))
		for _, sv := range pm.x[m] {
			alo = append(alo, sv.v)
			lits = append(lits, sv.v)
			s.AddClause(-sv.v, pm.placed[m])
			for _, p := range [2]int32{in.ma[m], in.mb[m]} {
				k := int(p)*in.nSlots + int(sv.slot)
				perSlot[k] = append(perSlot[k], sv.v)
			}
			if in.shared[m] {
				load[sv.slot] = append(load[sv.slot], sv.v)
			}
		}
		s.AddClause(alo...)
		if len(lits) > 1 {
			s.AddAtMost(lits, 1)
		}
	}
	for _, lits := range perSlot {
		if len(lits) > 1 {
			s.AddAtMost(lits, 1)
		}
	}
	for sl, lits := range load {
		if len(lits) > int(in.capacity[sl]) {
			s.AddAtMost(lits, int(in.capacity[sl]))
		}
	}
	for p := 0; p < in.nParts; p++ {
		if inc := in.incident[p]; len(inc) > int(in.maxMeet[p]) {
			lits := make([]int32, len(inc))
			for i, m := range inc {
				lits[i] = pm.placed[m]
			}
			s.AddAtMost(lits, int(in.maxMeet[p]))
		}
	}
	for a := 0; a < in.nMeetings; a++ {
		for _, b := range in.before[a] {
			for _, sa := range pm.x[a] {
				for _, sb := range pm.x[b] {
					if sb.slot >= sa.slot {
						s.AddClause(-sa.v, -sb.v)
					}
				}
			}
		}
	}
	return pm
}

// hint makes the solver's decisions follow the grid slots.
func (pm *placementModel) hint(slots []int32) {
	h := make([]bool, pm.nVars+1)
	for m, sv := range pm.x {
		if s := slots[m]; s >= 0 {
			h[pm.placed[m]] = true
			for _, v := range sv {
				h[v.v] = v.slot == s
			}
		}
	}
	pm.s.SetHint(h)
}

// slots decodes the solver's last model.
func (pm *placementModel) slots() []int32 {
	model := pm.s.Model()
	out := make([]int32, len(pm.x))
	for m, sv := range pm.x {
		out[m] = -1
		for _, v := range sv {
			if model[v.v] {
				out[m] = v.slot
				break
			}
		}
	}
	return out
}

// placementReport is what the exact placement did.
type placementReport struct {
	// slots is the best placement found (nil if none beat the start).
	slots []int32
	// proven: no grid places more priority weight than slots does.
	proven bool
	// reasons[m] explains why unplaced meeting m stays out: the meetings
	// it is in conflict with (from an unsatisfiable core).
	reasons map[int32]string
	// cut: the deadline or the context stopped the solver.
	cut bool
}

// exactPlace decides placement from the grid start (some meetings
// unplaced). It asks for every meeting; each unsatisfiable core names
// meetings that cannot all be placed, and the one of lowest priority (then
// the latest in the input) leaves, until the rest fits. Then it asks for
// more placed priority weight than that, with the unplaced weight bounded,
// until the solver proves there is no such grid (proven) or the work
// limit ends it. Finally each unplaced meeting gets the meetings it conflicts
// with, from the core of "place it together with all placed ones".
func exactPlace(in *instance, start []int32, clock func() bool, limit work) placementReport {
	var rep placementReport
	pm := newPlacementModel(in)
	stop := func() bool { return clock() || limit.reached(work{}, pm.s) }
	pm.hint(start)
	out := make([]bool, in.nMeetings) // meetings dropped from the assumptions
	cores := make(map[int32][]int32)
	for {
		var assume []int32
		for m := 0; m < in.nMeetings; m++ {
			if !out[m] {
				assume = append(assume, pm.placed[m])
			}
		}
		st := pm.s.SolveAssuming(assume, stop)
		if st == sat.Unknown {
			rep.cut = true
			return rep
		}
		if st == sat.Sat {
			break
		}
		core := pm.meetingsOf(pm.s.Core())
		if len(core) == 0 {
			return rep // the hard rules alone conflict: locked meetings; the heuristic's reasons stand
		}
		drop := core[0]
		for _, m := range core[1:] {
			if in.weight[m] < in.weight[drop] || in.weight[m] == in.weight[drop] && m > drop {
				drop = m
			}
		}
		out[drop] = true
		cores[drop] = core
	}
	best := pm.slots()
	bestPlaced := count(best)
	// More placed weight than the best so far, until proven impossible:
	// the unplaced weight, counted by a cardinality constraint over one
	// literal per unit of weight, must drop below the best's.
	unplacedLits, exactWeights := pm.unplacedWeightLits()
	card := -1
	for bestPlaced < in.nMeetings {
		k := int(in.totalW-weightOf(in, best)) - 1
		if !exactWeights {
			k = in.nMeetings - bestPlaced - 1
		}
		if card < 0 {
			card = pm.s.AddAtMost(unplacedLits, k)
		} else {
			pm.s.Tighten(card, k)
		}
		pm.hint(best)
		st := pm.s.Solve(stop)
		if st == sat.Unknown {
			rep.cut = true
			break
		}
		if st == sat.Unsat {
			rep.proven = exactWeights
			break
		}
		next := pm.slots()
		if weightOf(in, next) < weightOf(in, best) {
			break // more meetings, but less priority weight placed: keep best
		}
		best, bestPlaced = next, count(next)
		cores = map[int32][]int32{}
	}
	rep.proven = rep.proven || bestPlaced == in.nMeetings
	if weightOf(in, best) > weightOf(in, start) {
		rep.slots = best
	}
	rep.reasons = pm.explain(best, cores, stop, limit)
	return rep
}

// weightOf is the placed priority weight of slots.
func weightOf(in *instance, slots []int32) int64 {
	w := int64(0)
	for m, s := range slots {
		if s >= 0 {
			w += in.weight[m]
		}
	}
	return w
}

func count(slots []int32) int {
	n := 0
	for _, s := range slots {
		if s >= 0 {
			n++
		}
	}
	return n
}

// maxWeightCopies bounds the literals that count the unplaced weight;
// beyond it (very large priorities) the exact placement maximises the
// number of placed meetings instead and proves nothing.
const maxWeightCopies = 200_000

// unplacedWeightLits returns literals of which, in every model, exactly
// the unplaced weight are true: "not placed" once per unit of weight of
// each meeting (copies beyond the first are new variables equal to it).
// exact is false when the weights were too large and each meeting counts
// once.
func (pm *placementModel) unplacedWeightLits() (lits []int32, exact bool) {
	in := pm.in
	exact = in.totalW <= maxWeightCopies
	for m := 0; m < in.nMeetings; m++ {
		lits = append(lits, -pm.placed[m])
		for k := int64(1); exact && k < in.weight[m]; k++ {
			pm.nVars++
			v := pm.nVars
			pm.s.AddClause(-v, -pm.placed[m])
			pm.s.AddClause(v, pm.placed[m])
			lits = append(lits, v)
		}
	}
	return lits, exact
}

// meetingsOf maps a core of "placed" literals to meeting indices, in order.
func (pm *placementModel) meetingsOf(core []int32) []int32 {
	var ms []int32
	for _, l := range core {
		if l <= 0 {
			continue
		}
		if m, ok := slices.BinarySearchFunc(pm.placed, l, func(a, b int32) int { return int(a - b) }); ok {
			ms = append(ms, int32(m))
		}
	}
	slices.Sort(ms)
	return ms
}

// explain gives each unplaced meeting of slots the meetings it cannot be
// placed together with: the core of "it and every placed meeting",
// shrunk by dropping members while the rest stays in conflict (up to a few
// dozen solver calls per meeting). known holds cores found on the way.
func (pm *placementModel) explain(slots []int32, known map[int32][]int32, stop func() bool, limit work) map[int32]string {
	in := pm.in
	reasons := make(map[int32]string)
	calls := 0 // solver calls spent on shrinking cores, at most explainCalls
	for m := int32(0); m < int32(in.nMeetings) && !stop(); m++ {
		if slots[m] >= 0 {
			continue
		}
		core := known[m]
		if core == nil {
			assume := []int32{pm.placed[m]}
			for q, s := range slots {
				if s >= 0 {
					assume = append(assume, pm.placed[q])
				}
			}
			if pm.s.SolveAssuming(assume, capped(stop, limit, pm.s, explainCallShare)) != sat.Unsat {
				continue
			}
			core = pm.meetingsOf(pm.s.Core())
		}
		if calls < explainCalls {
			var n int
			core, n = pm.shrink(m, core, capped(stop, limit, pm.s, explainCallShare))
			calls += n
		}
		reasons[m] = pm.describe(m, core)
	}
	return reasons
}

// explainCalls bounds the solver calls spent on shrinking the cores of
// one exact placement, explainCallShare the work of each (a fraction of
// the work limit), so that one hard call does not take the work the
// other reasons need.
const (
	explainCalls     = 400
	explainCallShare = 0.02
)

// capped returns stop, or true once s has done share of limit's work
// more than now (the cap of one call).
func capped(stop func() bool, limit work, s *sat.Solver, share float64) func() bool {
	end := limit.part(work{}, s, share)
	return func() bool { return stop() || end.reached(work{}, s) }
}

// shrink drops members of core (other than m) whose removal keeps it
// unsatisfiable, while it has more than two members, for at most 40 solver
// calls; it returns the core and the number of calls.
func (pm *placementModel) shrink(m int32, core []int32, stop func() bool) ([]int32, int) {
	core = slices.Clone(core)
	calls := 0
	for i := 0; i < len(core) && len(core) > 2 && calls < 40 && !stop(); {
		if core[i] == m {
			i++
			continue
		}
		var assume []int32
		for j, q := range core {
			if j != i {
				assume = append(assume, pm.placed[q])
			}
		}
		calls++
		if pm.s.SolveAssuming(assume, stop) == sat.Unsat {
			core = append(core[:i], core[i+1:]...)
			continue
		}
		i++
	}
	return core, calls
}

// describe says which meetings and participants meeting m conflicts with.
func (pm *placementModel) describe(m int32, core []int32) string {
	in, p := pm.in, pm.in.p
	var ids []string
	seen := map[int32]bool{}
	var people []string
	for _, q := range core {
		if q != m {
			ids = append(ids, fmt.Sprintf("%q", p.Meetings[q].ID))
		}
		for _, x := range [2]int32{in.ma[q], in.mb[q]} {
			if !seen[x] {
				seen[x] = true
				people = append(people, p.name(int(x)))
			}
		}
	}
	if len(ids) == 0 {
		return "no slot is left for it by its sessions, forbidden slots, caps and precedences (proved by the exact model)"
	}
	if len(ids) > 12 {
		ids = append(ids[:12], fmt.Sprintf("and %d more", len(ids)-12))
	}
	if len(people) > 12 {
		people = append(people[:12], "...")
	}
	common, linked, disjoint := pm.shape(core)
	switch {
	case common >= 0 && linked:
		return fmt.Sprintf("participant %s cannot have it and meetings %s in their free slots in the order the precedences ask (proved by the exact model)",
			p.name(int(common)), strings.Join(ids, ", "))
	case common >= 0:
		return fmt.Sprintf("participant %s cannot have it and meetings %s all in their free slots (proved by the exact model)",
			p.name(int(common)), strings.Join(ids, ", "))
	case linked:
		return fmt.Sprintf("cannot be placed together with meetings %s in the order the precedences ask (participants %s; proved by the exact model)",
			strings.Join(ids, ", "), strings.Join(people, ", "))
	case disjoint:
		return fmt.Sprintf("all tables are taken in the slots it can use by meetings %s (participants %s; proved by the exact model)",
			strings.Join(ids, ", "), strings.Join(people, ", "))
	}
	return fmt.Sprintf("cannot be placed together with meetings %s: no grid holds them all (participants %s; proved by the exact model)",
		strings.Join(ids, ", "), strings.Join(people, ", "))
}

// shape tells what a core has in common: a participant of every meeting
// (common, -1 if none); a precedence between two of its meetings (linked);
// no participant shared by two of its meetings and no precedence
// (disjoint: only the tables can be at fault).
func (pm *placementModel) shape(core []int32) (common int32, linked, disjoint bool) {
	in := pm.in
	inCore := map[int32]bool{}
	for _, q := range core {
		inCore[q] = true
	}
	for _, q := range core {
		for _, r := range in.before[q] {
			linked = linked || inCore[r]
		}
	}
	common = -1
	for _, x := range [2]int32{in.ma[core[0]], in.mb[core[0]]} {
		all := len(core) > 1
		for _, q := range core[1:] {
			all = all && (in.ma[q] == x || in.mb[q] == x)
		}
		if all {
			return x, linked, false
		}
	}
	seen := map[int32]bool{}
	for _, q := range core {
		for _, x := range [2]int32{in.ma[q], in.mb[q]} {
			if seen[x] {
				return -1, linked, false
			}
			seen[x] = true
		}
	}
	return -1, linked, !linked
}
