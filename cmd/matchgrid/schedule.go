package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/scheduler"
)

func init() {
	commands["schedule"] = command{summary: "build the meeting grid of an event from its accepted requests", run: runSchedule}
}

func runSchedule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("schedule", "schedule [--data DIR] --event ID [--budget 5s] [--seed 1] [--dry-run] [--incremental]", stderr)
	data := dataFlag(fs)
	eventID := fs.String("event", "", "event `ID` (required)")
	budget := fs.Duration("budget", 5*time.Second, "time budget of the solver's improvement phase")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same grid")
	dryRun := fs.Bool("dry-run", false, "compute and check the grid, print its figures, write nothing")
	incremental := fs.Bool("incremental", false, "keep every meeting already on the grid in place; place only new ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *eventID == "" {
		return usageError{msg: "--event ID is required"}
	}
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	var last time.Time
	rep, err := eng.Schedule(ctx, *eventID, matchgrid.ScheduleOptions{
		Budget: *budget, Seed: *seed, DryRun: *dryRun, KeepPlaced: *incremental,
		Progress: func(p scheduler.Progress) {
			if time.Since(last) >= time.Second {
				last = time.Now()
				fmt.Fprintf(stderr, "scheduling: %s, move %d of %d, placed %d, breaks %d, idle %d (%s)\n",
					p.Phase, p.Iteration, p.Iterations, p.Placed, p.Breaks, p.IdleSlots, p.Elapsed.Round(time.Millisecond))
			}
		},
	})
	if err != nil {
		return err
	}
	printScheduleReport(stdout, rep)
	return nil
}

func printScheduleReport(w io.Writer, rep *matchgrid.ScheduleReport) {
	m, b := rep.Result.Metrics, rep.Result.Bounds
	fmt.Fprintf(w, "event %s: %d slots, %d participants with meetings\n", rep.EventID, len(rep.Problem.Slots), len(rep.Problem.Participants))
	fmt.Fprintf(w, "placed       %d of %d meetings (upper bound %d)\n", m.Placed, m.Meetings, b.PlacedUpper)
	fmt.Fprintf(w, "%s; most for one participant %d, fairness max-min %d\n", rep.Result.BreaksSummary(), m.MaxBreaks, m.Fairness)
	fmt.Fprintf(w, "idle slots   %d\n", m.IdleSlots)
	fmt.Fprintf(w, "table moves  %d\n", m.TableChanges)
	fmt.Fprintf(w, "solver       %s, %d moves\n", rep.Result.Elapsed.Round(time.Millisecond), rep.Result.Iterations)
	for _, warn := range rep.Result.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if m.Placed < m.Meetings && rep.Result.PlacementProven {
		fmt.Fprintf(w, "no grid places more: proven\n")
	}
	if b.PlacedUpper < m.Meetings {
		fmt.Fprintf(w, "no grid can place every meeting: at most %d of %d fit\n", b.PlacedUpper, m.Meetings)
		for _, note := range b.Notes {
			fmt.Fprintf(w, "  %s\n", note)
		}
	}
	for _, o := range rep.SpareTables {
		fmt.Fprintf(w, "with %d spare table(s) in use (%d tables): placed %d, breaks %d, unplaced %d\n", o.Used, o.Tables, o.Placed, o.Breaks, o.Unplaced)
	}
	for _, u := range rep.Result.Unplaced {
		fmt.Fprintf(w, "unplaced %s: %s\n", u.ID, u.Reason)
	}
	if rep.Written {
		fmt.Fprintf(w, "written: %d new, %d moved, %d unchanged, %d cancelled\n", rep.Created, rep.Moved, rep.Unchanged, rep.Cancelled)
	} else {
		fmt.Fprintf(w, "dry run, nothing written (would be: %d new, %d moved, %d unchanged, %d cancelled)\n", rep.Created, rep.Moved, rep.Unchanged, rep.Cancelled)
	}
}
