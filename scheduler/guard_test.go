package scheduler

import (
	"strings"
	"testing"
)

// TestGuardUndoesAnInvalidPhase: a phase that leaves a grid breaking a
// precedence is undone, the grid before it kept and the failure reported.
func TestGuardUndoesAnInvalidPhase(t *testing.T) {
	p := tinyProblem() // precedence: ac before ab
	in, err := compile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := newState(in)
	valid := []int32{1, 0, 2, 1} // ab, ac, bd, cd
	st.assign(valid)
	res := &Result{}
	g := &guard{in: in, res: res}
	g.check("construction", st)
	if len(res.Warnings) != 0 {
		t.Fatalf("valid grid rejected: %v", res.Warnings)
	}
	st.assign([]int32{1, 2, 2, 1}) // ab in slot 1 before ac in slot 2: only the precedence broken
	g.check("annealing", st)
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "must come after") {
		t.Fatalf("warnings %v, want one", res.Warnings)
	}
	for m, s := range valid {
		if st.slot[m] != s {
			t.Fatalf("meeting %d in slot %d, want the valid grid's %d", m, st.slot[m], s)
		}
	}
}
