package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestExactPlacement starts the exact placement from an empty grid: on a
// tight event it places every meeting; on a chain of precedences longer
// than the slots it places all but one, proves that no grid does better,
// and names the precedences as the reason.
func TestExactPlacement(t *testing.T) {
	never := func() bool { return false }
	t.Run("tight", func(t *testing.T) {
		// Four people, three slots, one table per pair: a round robin
		// (a 1-factorisation of K4) is the only way to place all six.
		p := &Problem{Slots: []Slot{{Tables: 2}, {Tables: 2}, {Tables: 2}}}
		ids := []string{"a", "b", "c", "d"}
		for _, id := range ids {
			p.Participants = append(p.Participants, Participant{ID: id})
		}
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				p.Meetings = append(p.Meetings, Meeting{ID: ids[i] + ids[j], A: ids[i], B: ids[j]})
			}
		}
		in, err := compile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		rep := exactPlace(in, unplacedSlots(in.nMeetings), never, unlimited)
		if rep.slots == nil || count(rep.slots) != 6 || !rep.proven {
			t.Fatalf("placed %d, proven %v", count(rep.slots), rep.proven)
		}
		if err := feasible(in, rep.slots); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("precedence chain", func(t *testing.T) {
		p := &Problem{Slots: []Slot{{Tables: 5}, {Tables: 5}, {Tables: 5}}}
		for i := 0; i < 8; i++ {
			p.Participants = append(p.Participants, Participant{ID: fmt.Sprintf("p%d", i)})
		}
		for i := 0; i < 4; i++ {
			p.Meetings = append(p.Meetings, Meeting{ID: fmt.Sprintf("m%d", i), A: fmt.Sprintf("p%d", 2*i), B: fmt.Sprintf("p%d", 2*i+1), Priority: 3 - i})
			if i > 0 {
				p.Precedences = append(p.Precedences, Precedence{Before: fmt.Sprintf("m%d", i-1), After: fmt.Sprintf("m%d", i)})
			}
		}
		res := SolveChecked(t, p, Options{Seed: 1, Iterations: 1000, Budget: time.Minute})
		if res.Metrics.Placed != 3 || !res.PlacementProven || len(res.Unplaced) != 1 {
			t.Fatalf("placed %d, proven %v, unplaced %+v", res.Metrics.Placed, res.PlacementProven, res.Unplaced)
		}
		// Priorities decide: the lowest-priority meeting stays out.
		if u := res.Unplaced[0]; u.ID != "m3" || !strings.Contains(u.Reason, "precedences") {
			t.Errorf("unplaced %+v, want m3 for its precedences", u)
		}
	})
}
