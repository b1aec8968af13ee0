package scheduler

import "testing"

// TestVideoMeetingsNeedNoTable: one slot and one table; two meetings
// between online participants and one on-site meeting all take place at
// once, the video ones without a table; a meeting between an online and
// an on-site participant still needs the table.
func TestVideoMeetingsNeedNoTable(t *testing.T) {
	p := &Problem{
		Slots: []Slot{{Tables: 1}},
		Participants: []Participant{
			{ID: "o1", Online: true}, {ID: "o2", Online: true}, {ID: "o3", Online: true}, {ID: "o4", Online: true},
			{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "o5", Online: true},
		},
		Meetings: []Meeting{
			{ID: "v1", A: "o1", B: "o2"}, {ID: "v2", A: "o3", B: "o4"},
			{ID: "ab", A: "a", B: "b"}, {ID: "c-o5", A: "c", B: "o5"},
		},
	}
	res := SolveChecked(t, p, Options{Seed: 1, Iterations: 1000})
	if res.Metrics.Placed != 3 || res.Bounds.PlacedUpper != 3 || !res.PlacementProven {
		t.Fatalf("placed %d (bound %d, proven %v), want 3: %+v", res.Metrics.Placed, res.Bounds.PlacedUpper, res.PlacementProven, res.Grid)
	}
	for _, i := range []int{0, 1} {
		if pl := res.Grid.Placements[i]; pl.Slot != 0 || pl.Table != -1 {
			t.Errorf("video meeting %s at %+v, want slot 0 without a table", p.Meetings[i].ID, pl)
		}
	}
	// A table given to an on-site meeting must be checked as before.
	g := &Grid{Placements: []Placement{{0, -1}, {0, -1}, {0, -1}, Unplaced}}
	if err := Check(p, g); err == nil {
		t.Error("an on-site meeting without a table passed the checker")
	}
}
