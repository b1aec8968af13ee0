package scheduler

import (
	"math"
	"reflect"
	"testing"
)

// TestMergeLanes: the best grid wins (the lower lane on a tie), the moves,
// budget hits and warnings of every lane are kept, and a lane's lower
// bound on the breaks counts for the best grid only when it was proven
// under a per-participant cap at least the best lane's.
func TestMergeLanes(t *testing.T) {
	// ann cannot meet in slot 1, so her two meetings leave a break.
	p := &Problem{
		Slots: []Slot{{Tables: 2}, {Tables: 2}, {Tables: 2}, {Tables: 2}},
		Participants: []Participant{
			{ID: "ann", Forbidden: []int{1}}, {ID: "bob"}, {ID: "cid"},
		},
		Meetings: []Meeting{{ID: "ab", A: "ann", B: "bob"}, {ID: "ac", A: "ann", B: "cid"}},
	}
	in, err := compile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := []int32{0, 2}  // one break, one idle slot
	worse := []int32{0, 3} // one break, two idle slots
	type laneSpec struct {
		slots   []int32
		cap     int
		lower   int
		optimal bool
	}
	cases := []struct {
		name        string
		lanes       []laneSpec
		wantLane    int
		wantLower   int
		wantOptimal bool
	}{
		{"the better grid wins, with the other lane's bound", []laneSpec{{worse, 2, 1, true}, {good, 2, 0, false}}, 1, 1, true},
		{"a bound under a smaller cap does not count", []laneSpec{{worse, 2, 1, true}, {good, 3, 0, false}}, 1, 0, false},
		{"a bound under a larger cap counts", []laneSpec{{worse, math.MaxInt, 1, false}, {good, 2, 0, false}}, 1, 1, true},
		{"a tie goes to the lower lane", []laneSpec{{good, 2, 0, false}, {good, 2, 1, true}}, 0, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := &Result{Warnings: []string{"before"}}
			g := &guard{in: in, res: res}
			lanes := make([]lane, len(tc.lanes))
			for i, ls := range tc.lanes {
				st := newState(in)
				st.assign(ls.slots)
				lres := &Result{Iterations: int64(10 * (i + 1)), BudgetHit: i == 1, BreaksOptimal: ls.optimal,
					Warnings: []string{"before", "lane " + string(rune('0'+i))}}
				lres.Bounds.BreaksLower = ls.lower
				lanes[i] = lane{st: st, res: lres, g: &guard{in: in, res: lres, valid: ls.slots}, cap: ls.cap}
			}
			st := mergeLanes(lanes, res, g)
			if !reflect.DeepEqual(st.slot, tc.lanes[tc.wantLane].slots) {
				t.Errorf("grid %v, want lane %d's %v", st.slot, tc.wantLane, tc.lanes[tc.wantLane].slots)
			}
			if res.Bounds.BreaksLower != tc.wantLower || res.BreaksOptimal != tc.wantOptimal {
				t.Errorf("lower %d optimal %v, want %d %v", res.Bounds.BreaksLower, res.BreaksOptimal, tc.wantLower, tc.wantOptimal)
			}
			if res.Iterations != 30 || !res.BudgetHit {
				t.Errorf("moves %d budget hit %v, want 30 true", res.Iterations, res.BudgetHit)
			}
			if want := []string{"before", "lane 0", "lane 1"}; !reflect.DeepEqual(res.Warnings, want) {
				t.Errorf("warnings %q, want %q", res.Warnings, want)
			}
			if g.res != res || !reflect.DeepEqual(g.valid, tc.lanes[tc.wantLane].slots) {
				t.Error("the guard is not the best lane's")
			}
		})
	}
}
