package sat

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// satFormulaT is a test formula: clauses and at-most-k constraints over
// DIMACS literals.
type satFormulaT struct {
	n       int
	clauses [][]int32
	cards   []cardT
}

func (f satFormulaT) holds(assign uint64) bool {
	val := func(l int32) bool {
		b := assign>>(abs32(l)-1)&1 == 1
		return b == (l > 0)
	}
	for _, c := range f.clauses {
		ok := false
		for _, l := range c {
			ok = ok || val(l)
		}
		if !ok {
			return false
		}
	}
	for _, c := range f.cards {
		n := 0
		for _, l := range c.lits {
			if val(l) {
				n++
			}
		}
		if n > c.k {
			return false
		}
	}
	return true
}

func (f satFormulaT) bruteForce() bool {
	for a := uint64(0); a < 1<<f.n; a++ {
		if f.holds(a) {
			return true
		}
	}
	return false
}

func (f satFormulaT) solver() *Solver {
	s := New(f.n)
	for _, c := range f.clauses {
		s.AddClause(c...)
	}
	for _, c := range f.cards {
		s.AddAtMost(c.lits, c.k)
	}
	return s
}

func (f satFormulaT) modelOf(s *Solver) uint64 {
	var a uint64
	for v := 1; v <= f.n; v++ {
		if s.Value(int32(v)) {
			a |= 1 << (v - 1)
		}
	}
	return a
}

func randomFormula(rng *rand.Rand, n, nClauses, nCards int) satFormulaT {
	f := satFormulaT{n: n}
	lit := func(v int) int32 {
		if rng.IntN(2) == 0 {
			return int32(-v)
		}
		return int32(v)
	}
	for range nClauses {
		k := 1 + rng.IntN(4)
		var c []int32
		for range k {
			c = append(c, lit(1+rng.IntN(n)))
		}
		f.clauses = append(f.clauses, c)
	}
	for range nCards {
		perm := rng.Perm(n)
		size := 2 + rng.IntN(n-1)
		var lits []int32
		for _, v := range perm[:size] {
			lits = append(lits, lit(v+1))
		}
		f.cards = append(f.cards, cardT{lits: lits, k: rng.IntN(size)})
	}
	return f
}

// TestSATRandomAgainstBruteForce compares the solver with exhaustive search
// on small random formulas with clauses and cardinality constraints, and
// checks every model it returns.
func TestSATRandomAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	counts := map[Status]int{}
	for i := range 3000 {
		n := 3 + rng.IntN(12)
		f := randomFormula(rng, n, rng.IntN(5*n), rng.IntN(4))
		want := f.bruteForce()
		s := f.solver()
		if i%2 == 1 {
			s.maxLearn = 2 // exercise clause deletion and arena compaction
		}
		got := s.Solve(nil)
		counts[got]++
		if (got == Sat) != want {
			t.Fatalf("formula %d: solver says %v, brute force %v: %+v", i, got, want, f)
		}
		if got == Sat {
			s := f.solver()
			s.Solve(nil)
			if !f.holds(f.modelOf(s)) {
				t.Fatalf("formula %d: model does not satisfy it", i)
			}
		}
	}
	if counts[Sat] < 300 || counts[Unsat] < 300 {
		t.Fatalf("unbalanced test set: %v", counts)
	}
}

// TestSATIncremental lowers a cardinality bound step by step, as the exact
// phase does, and compares each answer with brute force.
func TestSATIncremental(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		n := 4 + rng.IntN(10)
		f := randomFormula(rng, n, rng.IntN(3*n), rng.IntN(3))
		var obj []int32
		for v := 1; v <= n; v++ {
			if rng.IntN(2) == 0 {
				obj = append(obj, int32(v))
			}
		}
		s := f.solver()
		card := s.AddAtMost(obj, len(obj))
		for k := len(obj); k >= 0; k-- {
			g := f
			g.cards = append(append([]cardT(nil), f.cards...), cardT{lits: obj, k: k})
			want := g.bruteForce()
			s.Tighten(card, k)
			got := s.Solve(nil)
			if (got == Sat) != want {
				t.Fatalf("formula %d, bound %d: solver %v, brute force %v", i, k, got, want)
			}
			if got == Sat && !g.holds(g.modelOf(s)) {
				t.Fatalf("formula %d, bound %d: bad model", i, k)
			}
			if got != Sat {
				break
			}
		}
	}
}

// pigeonhole returns the formula "n+1 pigeons in n holes", unsatisfiable,
// with the hole constraint as clauses or as cardinality constraints.
func pigeonhole(n int, cards bool) satFormulaT {
	v := func(p, h int) int32 { return int32(p*n + h + 1) }
	f := satFormulaT{n: (n + 1) * n}
	for p := 0; p <= n; p++ {
		var c []int32
		for h := 0; h < n; h++ {
			c = append(c, v(p, h))
		}
		f.clauses = append(f.clauses, c)
	}
	for h := 0; h < n; h++ {
		if cards {
			var lits []int32
			for p := 0; p <= n; p++ {
				lits = append(lits, v(p, h))
			}
			f.cards = append(f.cards, cardT{lits: lits, k: 1})
			continue
		}
		for p := 0; p <= n; p++ {
			for q := p + 1; q <= n; q++ {
				f.clauses = append(f.clauses, []int32{-v(p, h), -v(q, h)})
			}
		}
	}
	return f
}

func TestSATPigeonhole(t *testing.T) {
	for _, tc := range []struct {
		n     int
		cards bool
	}{{2, false}, {3, false}, {4, true}, {6, false}, {7, true}} {
		f := pigeonhole(tc.n, tc.cards)
		if got := f.solver().Solve(nil); got != Unsat {
			t.Errorf("pigeonhole %d (cards %v): %v, want unsatisfiable", tc.n, tc.cards, got)
		}
		s := f.solver()
		s.maxLearn = 20
		if got := s.Solve(nil); got != Unsat {
			t.Errorf("pigeonhole %d (cards %v), small clause database: %v, want unsatisfiable", tc.n, tc.cards, got)
		}
		// Remove one pigeon: satisfiable.
		g := f
		g.clauses = g.clauses[1:]
		s = g.solver()
		if got := s.Solve(nil); got != Sat || !g.holds(g.modelOf(s)) {
			t.Errorf("pigeonhole %d minus a pigeon (cards %v): %v, want a model", tc.n, tc.cards, got)
		}
	}
}

func TestSATStop(t *testing.T) {
	f := pigeonhole(10, false)
	calls := 0
	got := f.solver().Solve(func() bool { calls++; return true })
	if got != Unknown || calls != 1 {
		t.Fatalf("solve with stop: %v after %d polls, want unknown after 1", got, calls)
	}
}

func TestLuby(t *testing.T) {
	want := []int64{1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8, 1}
	for i, w := range want {
		if got := luby(i); got != w {
			t.Errorf("luby(%d) = %d, want %d", i, got, w)
		}
	}
}

// cardT says at most k of lits are true.
type cardT struct {
	lits []int32
	k    int
}

// TestSATAssumptionsAndCores solves random formulas under random
// assumptions, several times on one solver: the answer agrees with
// exhaustive search, and on Unsat the core is a subset of the assumptions
// that is itself unsatisfiable with the formula.
func TestSATAssumptionsAndCores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 300; i++ {
		n := 3 + rng.IntN(10)
		f := randomFormula(rng, n, rng.IntN(3*n), rng.IntN(3))
		s := f.solver()
		for round := 0; round < 4; round++ {
			var assumps []int32
			for _, v := range rng.Perm(n)[:1+rng.IntN(n)] {
				x := int32(v + 1)
				if rng.IntN(2) == 0 {
					x = -x
				}
				assumps = append(assumps, x)
			}
			with := f
			with.clauses = append([][]int32(nil), f.clauses...)
			for _, a := range assumps {
				with.clauses = append(with.clauses, []int32{a})
			}
			got := s.SolveAssuming(assumps, nil)
			if want := with.bruteForce(); (got == Sat) != want {
				t.Fatalf("formula %d round %d: got %v, brute force satisfiable %v", i, round, got, want)
			}
			switch got {
			case Sat:
				if !with.holds(with.modelOf(s)) {
					t.Fatalf("formula %d round %d: model breaks the formula or an assumption", i, round)
				}
			case Unsat:
				core := with
				core.clauses = append([][]int32(nil), f.clauses...)
				for _, c := range s.Core() {
					if !slices.Contains(assumps, c) {
						t.Fatalf("formula %d round %d: core literal %d is no assumption %v", i, round, c, assumps)
					}
					core.clauses = append(core.clauses, []int32{c})
				}
				if core.bruteForce() {
					t.Fatalf("formula %d round %d: core %v is satisfiable with the formula", i, round, s.Core())
				}
			}
		}
	}
}
