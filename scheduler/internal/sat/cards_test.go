package sat

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// cardsInvariant checks what explaining a card relies on: each card's
// trueLits are exactly its true literals that propagation has processed
// (the trail before qhead), in trail order, and cardTrail holds one entry
// per literal counted during search, in trail order.
func cardsInvariant(s *Solver) error {
	for ci := range s.cards {
		c := &s.cards[ci]
		var want []satLit
		for _, l := range s.trail[:s.qhead] {
			for _, o := range c.lits {
				if o == l {
					want = append(want, l)
				}
			}
		}
		if fmt.Sprint(c.trueLits) != fmt.Sprint(want) {
			return fmt.Errorf("card %d counts %v, want %v", ci, c.trueLits, want)
		}
	}
	for i := 1; i < len(s.cardTrail); i++ {
		if s.cardTrail[i].pos < s.cardTrail[i-1].pos {
			return fmt.Errorf("cardTrail entry %d at trail position %d after %d", i, s.cardTrail[i].pos, s.cardTrail[i-1].pos)
		}
	}
	if n := len(s.cardTrail); n > 0 && int(s.cardTrail[n-1].pos) >= s.qhead {
		return fmt.Errorf("cardTrail entry at trail position %d, qhead %d", s.cardTrail[n-1].pos, s.qhead)
	}
	return nil
}

// TestCardCountsFollowTheTrail decides, propagates and backtracks at random
// on formulas with cardinality constraints (cards added both before and
// after level-0 assignments) and checks the card counts after every step.
func TestCardCountsFollowTheTrail(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 300 {
		n := 6 + rng.IntN(10)
		f := randomFormula(rng, n, 2*n, 1+rng.IntN(4))
		s := f.solver()
		if s.unsat {
			continue
		}
		for step := range 60 {
			switch {
			case rng.IntN(3) == 0 && s.decisionLevel() > 0:
				s.backtrack(int32(rng.IntN(int(s.decisionLevel()))))
			default:
				v := int32(1 + rng.IntN(n))
				if s.val[satLit(v)<<1] != 0 {
					continue
				}
				s.lim = append(s.lim, int32(len(s.trail)))
				s.enqueue(satLit(v)<<1|satLit(rng.IntN(2)), reasonNone, 0)
				if _, ok := s.propagate(); !ok {
					s.backtrack(s.decisionLevel() - 1)
				}
			}
			if err := cardsInvariant(s); err != nil {
				t.Fatalf("formula %d step %d: %v", i, step, err)
			}
		}
	}
}
