package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomProblem is a small event with every kind of constraint: one or two
// days of one or two sessions, forbidden slots, caps, hosts with an own
// table, session restrictions, fixed meetings and precedences (acyclic:
// an earlier meeting of the list before a later one).
func randomProblem(rng *rand.Rand, maxMeetings int, hosts bool) *Problem {
	days := 1 + rng.IntN(2)
	perDay := 3 + rng.IntN(4)
	tables := 1 + rng.IntN(3)
	p := &Problem{}
	for d := 0; d < days; d++ {
		split := 1 + rng.IntN(perDay)
		for k := 0; k < perDay; k++ {
			ses := 2 * d
			if k >= split {
				ses++
			}
			p.Slots = append(p.Slots, Slot{Day: d, Session: ses, Tables: tables})
		}
	}
	nParts := 3 + rng.IntN(5)
	own := 0
	for i := 0; i < nParts; i++ {
		pt := Participant{ID: fmt.Sprintf("p%d", i)}
		if rng.IntN(4) == 0 {
			pt.Forbidden = []int{rng.IntN(len(p.Slots))}
		}
		if rng.IntN(6) == 0 {
			pt.MaxMeetings = 1 + rng.IntN(3)
		}
		if hosts && own < tables-1 && rng.IntN(5) == 0 {
			pt.HasOwnTable, pt.OwnTable = true, own
			own++
		}
		pt.Online = hosts && rng.IntN(4) == 0
		p.Participants = append(p.Participants, pt)
	}
	seen := map[[2]int]bool{}
	for k := 0; k < maxMeetings*3 && len(p.Meetings) < maxMeetings; k++ {
		a, b := rng.IntN(nParts), rng.IntN(nParts)
		if a == b || seen[[2]int{min(a, b), max(a, b)}] {
			continue
		}
		seen[[2]int{min(a, b), max(a, b)}] = true
		m := Meeting{ID: fmt.Sprintf("m%d", len(p.Meetings)), A: p.Participants[a].ID, B: p.Participants[b].ID, Priority: rng.IntN(2)}
		switch rng.IntN(8) {
		case 0:
			m.Sessions = []int{p.Slots[rng.IntN(len(p.Slots))].Session}
		case 1:
			m.Fixed, m.FixedSlot = true, rng.IntN(len(p.Slots))
		}
		p.Meetings = append(p.Meetings, m)
	}
	for k := 0; k < len(p.Meetings)/3; k++ {
		i, j := rng.IntN(len(p.Meetings)), rng.IntN(len(p.Meetings))
		if i < j {
			p.Precedences = append(p.Precedences, Precedence{Before: p.Meetings[i].ID, After: p.Meetings[j].ID})
		}
	}
	return p
}

// TestRandomGridsPassTheChecker solves random small events with every kind
// of constraint, with the state verified after every move (domains,
// precedences, caps, tables), under tiny and larger move limits and with
// and without the exact phase: every grid passes the independent checker.
func TestRandomGridsPassTheChecker(t *testing.T) {
	defer VerifyEveryMove()()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		p := randomProblem(rng, 4+rng.IntN(30), true)
		for _, opts := range []Options{
			{Seed: int64(i), Iterations: 50, ExactConflicts: -1},
			{Seed: int64(i), Iterations: 2000},
		} {
			res := SolveChecked(t, p, opts)
			if res.Metrics.Placed > res.Bounds.PlacedUpper {
				t.Fatalf("instance %d: placed %d above the bound %d", i, res.Metrics.Placed, res.Bounds.PlacedUpper)
			}
			if res.Metrics.Placed == len(p.Meetings) && res.Metrics.Breaks < res.Bounds.BreaksLower {
				t.Fatalf("instance %d: %d breaks below the lower bound %d", i, res.Metrics.Breaks, res.Bounds.BreaksLower)
			}
			if len(res.Unplaced) != len(p.Meetings)-res.Metrics.Placed {
				t.Fatalf("instance %d: %d unplaced listed, %d placed of %d", i, len(res.Unplaced), res.Metrics.Placed, len(p.Meetings))
			}
		}
	}
}

// TestKempeInsertKeepsPrecedences is the regression test of the invalid
// grid found on tic-12crafc.prec25 with a 1 s budget (meeting 106 placed
// before 69): kempeInsert checked the precedences of the meeting it
// inserts before the Kempe chains that make room moved other meetings,
// among them the ones it must follow or precede.
func TestKempeInsertKeepsPrecedences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		p := randomProblem(rng, 10+rng.IntN(20), false)
		in, err := compile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		st := newState(in)
		placeLocked(st)
		construct(st, constructionOrder(in), rng, 64)
		for try := 0; try < 20 && len(st.unplacedList) > 0; try++ {
			m := st.unplacedList[rng.IntN(len(st.unplacedList))]
			if kempeInsert(st, m, rng, 12) {
				st.commit()
			}
			if err := feasible(in, st.slot); err != nil {
				t.Fatalf("instance %d: after kempeInsert of %q: %v", i, p.Meetings[m].ID, err)
			}
		}
	}
}
