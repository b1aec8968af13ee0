package scheduler

import (
	"errors"
	"testing"
)

// validTinyGrid is a correct grid for tinyProblem, checked by hand:
// slot 0: ac at cid's table 1; slot 1: ab, cd (cid at table 1);
// slot 2: bd. Precedence ac (0) before ab (1) holds.
func validTinyGrid() *Grid {
	return &Grid{Placements: []Placement{
		{Slot: 1, Table: 0}, // ab
		{Slot: 0, Table: 1}, // ac
		{Slot: 2, Table: 0}, // bd
		{Slot: 1, Table: 1}, // cd
	}}
}

func TestCheckAcceptsValidGrid(t *testing.T) {
	if err := Check(tinyProblem(), validTinyGrid()); err != nil {
		t.Fatalf("valid grid rejected: %v", err)
	}
}

func TestCheckCatchesEveryViolation(t *testing.T) {
	tests := []struct {
		name   string
		want   ViolationKind
		modify func(p *Problem, g *Grid)
	}{
		{"grid too short", ViolationShape, func(p *Problem, g *Grid) { g.Placements = g.Placements[:3] }},
		{"slot out of range", ViolationSlotRange, func(p *Problem, g *Grid) { g.Placements[2] = Placement{Slot: 9, Table: 0} }},
		{"table out of range", ViolationSlotRange, func(p *Problem, g *Grid) { g.Placements[2].Table = 2 }},
		{"no table", ViolationNoTable, func(p *Problem, g *Grid) { g.Placements[2].Table = -1 }},
		{"double booking", ViolationDoubleBook, func(p *Problem, g *Grid) {
			g.Placements[1] = Placement{Slot: 1, Table: 1}
			g.Placements[3] = Placement{Slot: 3, Table: 1}
		}},
		{"same table twice", ViolationTableTwice, func(p *Problem, g *Grid) { g.Placements[0].Table = 1 }},
		{"too many meetings in slot", ViolationTableFull, func(p *Problem, g *Grid) {
			p.Slots[1].Tables = 1
			g.Placements[0].Table = 0
		}},
		{"forbidden slot", ViolationForbidden, func(p *Problem, g *Grid) {
			g.Placements[0] = Placement{Slot: 0, Table: 0} // bob is forbidden in slot 0
			g.Placements[1] = Placement{Slot: 3, Table: 1}
			p.Precedences = nil
		}},
		{"wrong session", ViolationSession, func(p *Problem, g *Grid) { g.Placements[2] = Placement{Slot: 0, Table: 0} }},
		{"fixed elsewhere", ViolationFixed, func(p *Problem, g *Grid) { p.Meetings[2].Fixed, p.Meetings[2].FixedSlot = true, 3 }},
		{"locked moved", ViolationLocked, func(p *Problem, g *Grid) {
			p.Meetings[2].Locked, p.Meetings[2].LockedSlot, p.Meetings[2].LockedTable = true, 3, 0
		}},
		{"locked unplaced", ViolationLocked, func(p *Problem, g *Grid) {
			p.Meetings[2].Locked, p.Meetings[2].LockedSlot, p.Meetings[2].LockedTable = true, 2, 0
			g.Placements[2] = Unplaced
		}},
		{"precedence", ViolationPrecedence, func(p *Problem, g *Grid) { p.Precedences = []Precedence{{Before: "bd", After: "ab"}} }},
		{"precedence same slot", ViolationPrecedence, func(p *Problem, g *Grid) { p.Precedences = []Precedence{{Before: "cd", After: "ab"}} }},
		{"max meetings", ViolationMaxMeetings, func(p *Problem, g *Grid) { p.Participants[3].MaxMeetings = 1 }},
		{"own table", ViolationOwnTable, func(p *Problem, g *Grid) { g.Placements[1].Table = 0 }},
		{"someone else's own table", ViolationOwnTable, func(p *Problem, g *Grid) { g.Placements[0] = Placement{Slot: 3, Table: 1} }},
		{"unknown participant", ViolationShape, func(p *Problem, g *Grid) { p.Meetings[0].B = "zed" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, g := tinyProblem(), validTinyGrid()
			tc.modify(p, g)
			err := Check(p, g)
			if err == nil {
				t.Fatalf("violation %s not detected", tc.want)
			}
			if !errors.Is(err, ErrInvalidGrid) {
				t.Errorf("error %v does not wrap ErrInvalidGrid", err)
			}
			if !IsViolation(err, tc.want) {
				t.Errorf("want a %s violation, got %v", tc.want, err)
			}
		})
	}
}

func TestCheckIgnoresUnplacedFreeMeetings(t *testing.T) {
	g := validTinyGrid()
	g.Placements[2] = Unplaced
	if err := Check(tinyProblem(), g); err != nil {
		t.Fatalf("unplaced meeting reported: %v", err)
	}
}
