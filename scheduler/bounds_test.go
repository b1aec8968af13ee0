package scheduler

import "testing"

func TestBoundsAreSound(t *testing.T) {
	// Star: ann has 5 meetings but 4 slots; two tables per slot.
	p := tinyProblem()
	for _, other := range []string{"x1", "x2", "x3"} {
		p.Participants = append(p.Participants, Participant{ID: other})
		p.Meetings = append(p.Meetings, Meeting{ID: "ann-" + other, A: "ann", B: other})
	}
	in, err := compile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	bd := computeBounds(in)
	if bd.ParticipantExcess != 1 || bd.PlacedUpper != len(p.Meetings)-1 {
		t.Errorf("bounds %+v, want excess 1 and upper %d", bd, len(p.Meetings)-1)
	}
	res := SolveChecked(t, p, Options{Seed: 1, Iterations: 5000})
	if res.Metrics.Placed > bd.PlacedUpper {
		t.Errorf("placed %d above the upper bound %d", res.Metrics.Placed, bd.PlacedUpper)
	}
}
