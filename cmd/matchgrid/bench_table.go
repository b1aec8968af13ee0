package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/matchgrid/matchgrid/scheduler"
)

// b2bspTable prints the rows of bench b2bsp (a table or JSON lines), keeps
// the totals per solver and the notes on instances not fully placed or
// not at their optimum, and counts what the acceptance asks.
type b2bspTable struct {
	w       io.Writer
	asJSON  bool
	enc     *json.Encoder
	tw      *tabwriter.Writer
	totals  map[string]*benchLine
	notes   []string
	invalid int
	// withOpt counts instances with a known optimum, fullOpt those of them
	// fully placed, atOpt those at the optimum; unsat counts UNSAT ones,
	// unsatAnswered those either fully placed or reported with reasons.
	withOpt, fullOpt, atOpt, unsat, unsatAnswered, proven int
	// notFull counts instances the engine did not fully place.
	notFull int
}

func newB2BSPTable(w io.Writer, asJSON bool) *b2bspTable {
	t := &b2bspTable{w: w, asJSON: asJSON, enc: json.NewEncoder(w),
		tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight),
		totals: map[string]*benchLine{
			"engine": {Instance: "total", Solver: "engine", Valid: true},
			"greedy": {Instance: "total", Solver: "greedy", Valid: true},
		}}
	if !asJSON {
		fmt.Fprintln(t.tw, "instance\tsolver\tmeetings\tplaced\tbreaks\tlower\tproven\toptimum\tidle\tfairness\tseconds\tvalid\t")
	}
	return t
}

func (t *b2bspTable) row(l benchLine) error {
	if t.asJSON {
		return t.enc.Encode(l)
	}
	opt := "-"
	if l.Optimum != nil {
		opt = fmt.Sprint(*l.Optimum)
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%d\t%d\t%d\t%d\t%v\t%s\t%d\t%d\t%.2f\t%v\t\n", l.Instance, l.Solver, l.Meetings,
		l.Placed, l.Breaks, l.LowerBound, l.Proven, opt, l.Idle, l.Fairness, l.Seconds, l.Valid)
	return err
}

// add prints one row and adds it to its solver's totals.
func (t *b2bspTable) add(l benchLine) error {
	tot := t.totals[l.Solver]
	tot.Meetings += l.Meetings
	tot.Placed += l.Placed
	tot.Breaks += l.Breaks
	tot.LowerBound += l.LowerBound
	tot.Idle += l.Idle
	tot.Fairness = max(tot.Fairness, l.Fairness)
	tot.Seconds = round2(tot.Seconds + l.Seconds)
	tot.Valid = tot.Valid && l.Valid
	if !l.Valid {
		t.invalid++
	}
	return t.row(l)
}

// note records the engine's result of one instance against its optimum
// (opt < 0: UNSAT; known false: not in the README).
func (t *b2bspTable) note(name string, res *scheduler.Result, known bool, opt int) {
	m := res.Metrics
	full := m.Placed == m.Meetings
	if res.Proven() {
		t.proven++
	}
	switch {
	case known && opt >= 0:
		t.withOpt++
		if full {
			t.fullOpt++
		}
		if full && m.Breaks == opt {
			t.atOpt++
		} else {
			t.notes = append(t.notes, fmt.Sprintf("%s: optimum %d, %s", name, opt, res.BreaksSummary()))
		}
	case known:
		t.unsat++
		if full {
			t.unsatAnswered++
			t.notes = append(t.notes, fmt.Sprintf("%s (UNSAT under the fairness limit): fully placed, %s, fairness max-min %d", name, res.BreaksSummary(), m.Fairness))
		} else if len(res.Unplaced) == m.Meetings-m.Placed {
			t.unsatAnswered++
		}
	}
	if !full {
		t.notFull++
		note := fmt.Sprintf("%s: %d of %d meetings placed", name, m.Placed, m.Meetings)
		if res.PlacementProven {
			note += " (no grid places more: proven)"
		}
		if res.Bounds.PlacedUpper < m.Meetings {
			note += fmt.Sprintf("; bounds: at most %d (%s)", res.Bounds.PlacedUpper, strings.Join(res.Bounds.Notes, "; "))
		}
		for _, u := range res.Unplaced {
			note += fmt.Sprintf("\n    unplaced %s: %s", u.ID, u.Reason)
		}
		t.notes = append(t.notes, note)
	}
}

// finish prints the totals and the notes; it fails when a grid was invalid.
func (t *b2bspTable) finish() error {
	for _, solver := range []string{"engine", "greedy"} {
		if err := t.row(*t.totals[solver]); err != nil {
			return err
		}
	}
	if !t.asJSON {
		if err := t.tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(t.w, "lower = lower bound on the breaks of a complete grid; proven = optimum (or that no grid places more) proven;")
		fmt.Fprintln(t.w, "fairness = max-min breaks per participant (total row: the worst instance)")
		if t.withOpt+t.unsat > 0 {
			fmt.Fprintf(t.w, "known optimum: %d instances, %d fully placed, %d at the optimum; UNSAT: %d, %d fully placed or reported with reasons; proven: %d\n",
				t.withOpt, t.fullOpt, t.atOpt, t.unsat, t.unsatAnswered, t.proven)
		}
		for _, n := range t.notes {
			fmt.Fprintln(t.w, n)
		}
		if t.notFull == 0 {
			fmt.Fprintln(t.w, "the engine placed every meeting of every instance")
		}
	}
	if t.invalid > 0 {
		return fmt.Errorf("%d invalid grids", t.invalid)
	}
	return nil
}
