package scheduler

import (
	"context"
	"os"
	"testing"
	"time"
)

// tinyProblem is a hand-checkable event: one day, two sessions of two
// slots, two tables, four participants.
func tinyProblem() *Problem {
	return &Problem{
		Slots: []Slot{
			{Day: 0, Session: 0, Tables: 2}, {Day: 0, Session: 0, Tables: 2},
			{Day: 0, Session: 1, Tables: 2}, {Day: 0, Session: 1, Tables: 2},
		},
		Participants: []Participant{
			{ID: "ann"}, {ID: "bob", Forbidden: []int{0}}, {ID: "cid", HasOwnTable: true, OwnTable: 1}, {ID: "dee", MaxMeetings: 2},
		},
		Meetings: []Meeting{
			{ID: "ab", A: "ann", B: "bob"},
			{ID: "ac", A: "ann", B: "cid"},
			{ID: "bd", A: "bob", B: "dee", Sessions: []int{1}},
			{ID: "cd", A: "cid", B: "dee", Priority: 2},
		},
		Precedences: []Precedence{{Before: "ac", After: "ab"}},
	}
}

// SolveChecked solves with a fixed iteration limit and fails the test on an
// invalid grid.
func SolveChecked(t testing.TB, p *Problem, opts Options) *Result {
	t.Helper()
	if opts.Budget == 0 {
		opts.Budget = time.Minute
	}
	res, err := Solve(context.Background(), p, opts)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	if err := Check(p, res.Grid); err != nil {
		t.Fatalf("Check: %v", err)
	}
	return res
}

func TestMain(m *testing.M) {
	if os.Getenv("SCHED_VERIFY") != "" {
		debugVerify = (*state).verify
	}
	os.Exit(m.Run())
}
