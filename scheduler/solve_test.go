package scheduler

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestInfeasibleRequestsGetReasons(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *Problem)
		id     string
		reason string
	}{
		{"no common free slot", func(p *Problem) {
			p.Participants[0].Forbidden = []int{0, 1}
			p.Participants[1].Forbidden = []int{2, 3}
		}, "ab", "no common free slot for ann and bob"},
		{"session without common slot", func(p *Problem) {
			p.Participants[3].Forbidden = []int{2, 3}
		}, "bd", "no common free slot for bob and dee in session [1]"},
		{"over-subscribed", func(p *Problem) {
			for _, other := range []string{"bob", "cid", "dee"} {
				p.Participants = append(p.Participants, Participant{ID: "x" + other})
				p.Meetings = append(p.Meetings, Meeting{ID: "ann-x" + other, A: "ann", B: "x" + other})
			}
		}, "", "participant ann has 5 meetings and 4 free slots"},
		{"max meetings", func(p *Problem) {
			p.Meetings = append(p.Meetings, Meeting{ID: "ad", A: "ann", B: "dee"})
		}, "", "participant dee has 3 meetings and a maximum of 2"},
		{"tables", func(p *Problem) {
			for s := range p.Slots {
				p.Slots[s].Tables = 1
			}
			p.Participants[0].Forbidden = []int{1, 2, 3}
			p.Participants = append(p.Participants, Participant{ID: "eve", Forbidden: []int{1, 2, 3}}, Participant{ID: "fay", Forbidden: []int{1, 2, 3}})
			p.Meetings = []Meeting{{ID: "ae", A: "ann", B: "eve", Priority: 1}, {ID: "cf", A: "cid", B: "fay"}}
			p.Participants[2].HasOwnTable = false
			p.Precedences = nil
		}, "cf", "all tables are taken in the"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tinyProblem()
			tc.modify(p)
			res := SolveChecked(t, p, Options{Seed: 1, Iterations: 5000})
			found := false
			for _, u := range res.Unplaced {
				if (tc.id == "" || u.ID == tc.id) && strings.Contains(u.Reason, tc.reason) {
					found = true
				}
			}
			if !found {
				t.Fatalf("want an unplaced meeting %q with reason %q, got %+v", tc.id, tc.reason, res.Unplaced)
			}
			if res.Bounds.PlacedUpper < res.Metrics.Placed {
				t.Fatalf("upper bound %d below placed %d", res.Bounds.PlacedUpper, res.Metrics.Placed)
			}
		})
	}
}

func TestSolveRespectsConstraints(t *testing.T) {
	p := tinyProblem()
	p.Meetings[3].Fixed, p.Meetings[3].FixedSlot = true, 3
	res := SolveChecked(t, p, Options{Seed: 1, Iterations: 5000})
	if res.Metrics.Placed != 4 {
		t.Fatalf("placed %d of 4: %+v", res.Metrics.Placed, res.Unplaced)
	}
	if res.Grid.Placements[3].Slot != 3 {
		t.Errorf("fixed meeting in slot %d", res.Grid.Placements[3].Slot)
	}
	for _, i := range []int{1, 3} { // cid's meetings are at cid's table
		if res.Grid.Placements[i].Table != 1 {
			t.Errorf("meeting %s at table %d, cid owns table 1", p.Meetings[i].ID, res.Grid.Placements[i].Table)
		}
	}
}

func TestSolveRejectsInvalidProblems(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *Problem)
		field  string
	}{
		{"no slots", func(p *Problem) { p.Slots = nil }, "Slots"},
		{"duplicate participant", func(p *Problem) { p.Participants[1].ID = "ann" }, `"ann"`},
		{"unknown participant", func(p *Problem) { p.Meetings[0].B = "zed" }, `"zed"`},
		{"self meeting", func(p *Problem) { p.Meetings[0].B = "ann" }, "A and B"},
		{"forbidden out of range", func(p *Problem) { p.Participants[0].Forbidden = []int{7} }, "Forbidden slot 7"},
		{"day not consecutive", func(p *Problem) { p.Slots[1].Day = 1 }, "Day"},
		{"shared own table", func(p *Problem) { p.Participants[0].HasOwnTable, p.Participants[0].OwnTable = true, 1 }, "OwnTable 1"},
		{"negative priority", func(p *Problem) { p.Meetings[0].Priority = -1 }, "Priority"},
		{"unknown precedence", func(p *Problem) { p.Precedences[0].Before = "zz" }, "Precedences[0]"},
		{"fixed out of range", func(p *Problem) { p.Meetings[0].Fixed, p.Meetings[0].FixedSlot = true, 4 }, "FixedSlot 4"},
		{"unknown published", func(p *Problem) {}, "published meeting"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tinyProblem()
			tc.modify(p)
			opts := Options{Iterations: 10}
			if tc.name == "unknown published" {
				opts.Published = map[string]Placement{"nope": {Slot: 0, Table: 0}}
			}
			_, err := Solve(context.Background(), p, opts)
			if !errors.Is(err, ErrInvalidProblem) {
				t.Fatalf("want ErrInvalidProblem, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name %q", err, tc.field)
			}
		})
	}
}

func TestSolveEmptyEvent(t *testing.T) {
	p := &Problem{Slots: []Slot{{Tables: 3}}, Participants: []Participant{{ID: "a"}}}
	res := SolveChecked(t, p, Options{Seed: 1})
	if res.Metrics.Placed != 0 || len(res.Unplaced) != 0 || res.Bounds.PlacedUpper != 0 {
		t.Fatalf("empty event: %+v", res.Metrics)
	}
}
