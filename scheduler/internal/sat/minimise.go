package sat

// minimise removes from the first-UIP clause learnt (learnt[0] is the
// asserting literal, kept) every literal that the others imply: a literal
// whose reason, followed back through the implication graph, ends only in
// literals of the clause or of level 0 (recursive minimisation). seen
// marks the variables of the clause and those resolved away, toClear
// lists them; minimise adds the variables it proves redundant to both, and
// the caller clears them all.
func (s *Solver) minimise(learnt []satLit) []satLit {
	// A literal can only be implied by the clause through levels the
	// clause has: abstract is a 32-bit signature of those levels, which
	// cuts most failing searches short.
	var abstract uint32
	for _, l := range learnt[1:] {
		abstract |= levelBit(s.vars[l.v()].level)
	}
	j := 1
	for i := 1; i < len(learnt); i++ {
		v := learnt[i].v()
		if s.vars[v].kind == reasonNone || !s.redundant(v, abstract) {
			learnt[j] = learnt[i]
			j++
		}
	}
	return learnt[:j]
}

func levelBit(level int32) uint32 { return 1 << (uint32(level) & 31) }

// redundant reports whether the literal of variable v (in the clause, with
// a reason) is implied by the other literals of the clause. On success it
// leaves the variables it crossed marked seen (they are implied too, which
// spares crossing them again); on failure it unmarks them.
func (s *Solver) redundant(v int32, abstract uint32) bool {
	stack := append(s.minStack[:0], v)
	top := len(s.toClear)
	ok := true
	for len(stack) > 0 && ok {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s.minBuf = s.explain(x, s.minBuf[:0])
		for _, q := range s.minBuf {
			u := q.v()
			d := s.vars[u]
			if s.seen[u] != 0 || d.level == 0 {
				continue
			}
			if d.kind == reasonNone || levelBit(d.level)&abstract == 0 {
				ok = false
				break
			}
			s.seen[u] = 1
			s.toClear = append(s.toClear, u)
			stack = append(stack, u)
		}
	}
	s.minStack = stack
	if !ok {
		for _, u := range s.toClear[top:] {
			s.seen[u] = 0
		}
		s.toClear = s.toClear[:top]
	}
	return ok
}
