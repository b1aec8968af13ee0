package scheduler

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteBest returns, by exhaustive search over every assignment of slots
// (or none) to the meetings of a small one-day event without own tables,
// the most priority weight any valid grid places and the fewest breaks of a grid
// that places all of them (-1 when none does). Validity and breaks are
// computed here from the Problem alone, sharing nothing with the solver.
func bruteBest(p *Problem) (most, fewestBreaks int) {
	n := len(p.Meetings)
	slots := make([]int, n)
	most, fewestBreaks = 0, -1
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			if !bruteValid(p, slots) {
				return
			}
			placed, weight := 0, 0
			for i, s := range slots {
				if s >= 0 {
					placed++
					weight += p.Meetings[i].Priority + 1
				}
			}
			most = max(most, weight)
			if placed == n {
				if b := bruteBreaks(p, slots); fewestBreaks < 0 || b < fewestBreaks {
					fewestBreaks = b
				}
			}
			return
		}
		for s := -1; s < len(p.Slots); s++ {
			slots[i] = s
			rec(i + 1)
		}
	}
	rec(0)
	return most, fewestBreaks
}

func bruteValid(p *Problem, slots []int) bool {
	busy := map[[2]any]bool{}
	count := map[string]int{}
	load := make([]int, len(p.Slots))
	part := map[string]Participant{}
	for _, pt := range p.Participants {
		part[pt.ID] = pt
	}
	index := map[string]int{}
	for i, m := range p.Meetings {
		index[m.ID] = i
		s := slots[i]
		if s < 0 {
			continue
		}
		if m.Fixed && s != m.FixedSlot || len(m.Sessions) > 0 && !slices.Contains(m.Sessions, p.Slots[s].Session) {
			return false
		}
		for _, id := range []string{m.A, m.B} {
			if busy[[2]any{id, s}] || slices.Contains(part[id].Forbidden, s) {
				return false
			}
			busy[[2]any{id, s}] = true
			count[id]++
			if mm := part[id].MaxMeetings; mm > 0 && count[id] > mm {
				return false
			}
		}
		if load[s]++; load[s] > p.Slots[s].Tables {
			return false
		}
	}
	for _, pr := range p.Precedences {
		a, b := slots[index[pr.Before]], slots[index[pr.After]]
		if a >= 0 && b >= 0 && a >= b {
			return false
		}
	}
	return true
}

// bruteBreaks counts, per participant, the maximal runs of free slots
// between their first and last meeting (one day).
func bruteBreaks(p *Problem, slots []int) int {
	total := 0
	for _, pt := range p.Participants {
		busy := make([]bool, len(p.Slots))
		for i, m := range p.Meetings {
			if slots[i] >= 0 && (m.A == pt.ID || m.B == pt.ID) {
				busy[slots[i]] = true
			}
		}
		first, last := slices.Index(busy, true), len(busy)-1-slices.Index(reversed(busy), true)
		for s := first + 1; first >= 0 && s <= last; s++ {
			if !busy[s] && busy[s-1] {
				total++
			}
		}
	}
	return total
}

func reversed(b []bool) []bool {
	r := slices.Clone(b)
	slices.Reverse(r)
	return r
}

// tinyRandomProblem is a one-day event of at most 5 slots and 6 meetings,
// small enough for bruteBest.
func tinyRandomProblem(rng *rand.Rand) *Problem {
	nSlots := 3 + rng.IntN(3)
	tables := 1 + rng.IntN(2)
	split := 1 + rng.IntN(nSlots)
	p := &Problem{}
	for s := 0; s < nSlots; s++ {
		p.Slots = append(p.Slots, Slot{Session: min(1, s/split), Tables: tables})
	}
	p2 := randomProblem(rng, 2+rng.IntN(5), false)
	p.Participants = p2.Participants
	for _, m := range p2.Meetings {
		if m.Fixed {
			m.FixedSlot %= nSlots
		}
		if len(m.Sessions) > 0 {
			m.Sessions = []int{p.Slots[rng.IntN(nSlots)].Session}
		}
		p.Meetings = append(p.Meetings, m)
	}
	for i := range p.Participants {
		if f := p.Participants[i].Forbidden; len(f) > 0 {
			p.Participants[i].Forbidden = []int{f[0] % nSlots}
		}
	}
	p.Precedences = p2.Precedences
	return p
}

// TestExactAgreesWithBruteForce solves tiny random events: where the
// result claims that no grid places more meetings, or that its breaks are
// optimal, exhaustive search agrees; and it never places more than
// exhaustive search allows.
func TestExactAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	claims := 0
	for i := 0; i < 200; i++ {
		p := tinyRandomProblem(rng)
		most, fewest := bruteBest(p)
		res := SolveChecked(t, p, Options{Seed: int64(i), Iterations: 300})
		m := res.Metrics
		switch {
		case int(m.PlacedWeight) > most:
			t.Fatalf("instance %d: placed weight %d, exhaustive search at most %d", i, m.PlacedWeight, most)
		case res.PlacementProven && int(m.PlacedWeight) < most:
			t.Fatalf("instance %d: placed weight %d, proven best, but exhaustive search places %d", i, m.PlacedWeight, most)
		case m.Placed == len(p.Meetings) && res.BreaksOptimal && m.Breaks != fewest:
			t.Fatalf("instance %d: %d breaks proven optimal, exhaustive search %d", i, m.Breaks, fewest)
		case m.Placed == len(p.Meetings) && m.Breaks < fewest:
			t.Fatalf("instance %d: %d breaks below the exhaustive optimum %d", i, m.Breaks, fewest)
		case m.Placed == len(p.Meetings) && res.Bounds.BreaksLower > fewest:
			t.Fatalf("instance %d: lower bound %d above the exhaustive optimum %d", i, res.Bounds.BreaksLower, fewest)
		}
		if res.Proven() {
			claims++
		}
	}
	if claims < 100 {
		t.Errorf("only %d of 200 results proven: the test checks too little", claims)
	}
}

// bruteFewestCapped returns the fewest breaks of a complete valid grid of
// the tiny event p in which nobody has more than limit breaks, -1 when
// none exists (exhaustive search, sharing nothing with the solver).
func bruteFewestCapped(p *Problem, limit int) int {
	n := len(p.Meetings)
	slots := make([]int, n)
	fewest := -1
	var rec func(i int)
	rec = func(i int) {
		if i < n {
			for s := range p.Slots {
				slots[i] = s
				rec(i + 1)
			}
			return
		}
		if !bruteValid(p, slots) {
			return
		}
		for _, pt := range p.Participants {
			one := &Problem{Slots: p.Slots, Participants: []Participant{pt}, Meetings: p.Meetings}
			if bruteBreaks(one, slots) > limit {
				return
			}
		}
		if b := bruteBreaks(p, slots); fewest < 0 || b < fewest {
			fewest = b
		}
	}
	rec(0)
	return fewest
}

// TestExactSpreadAgreesWithBruteForce solves tiny random events with the
// fairness limit of one break per participant: a result that says no
// grid keeps the limit, or that its breaks are optimal under it, agrees
// with exhaustive search.
func TestExactSpreadAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 150; i++ {
		p := tinyRandomProblem(rng)
		fewest := bruteFewestCapped(p, 1)
		res := SolveChecked(t, p, Options{Seed: int64(i), Iterations: 300, MaxBreakSpread: 1})
		m := res.Metrics
		switch {
		case res.SpreadUnreachable && fewest >= 0:
			t.Fatalf("instance %d: no grid within the limit claimed, exhaustive search finds %d breaks", i, fewest)
		case m.Placed == len(p.Meetings) && res.BreaksOptimal && !res.SpreadUnreachable && fewest >= 0 && m.Breaks != fewest:
			t.Fatalf("instance %d: %d breaks proven optimal under the limit, exhaustive search %d", i, m.Breaks, fewest)
		}
	}
}
