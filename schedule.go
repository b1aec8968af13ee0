package matchgrid

import (
	"context"
	"fmt"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// ScheduleOptions tunes Engine.Schedule.
type ScheduleOptions struct {
	// Budget bounds the solver's improvement phase; 0 is the scheduler's default.
	Budget time.Duration
	// Seed makes the grid reproducible.
	Seed int64
	// DryRun computes and checks the grid without writing it.
	DryRun bool
	// KeepPlaced is the incremental mode: every meeting already on the grid
	// stays at its slot and table, and only new accepted requests are placed
	// around them (for late requests after the grid went out).
	KeepPlaced bool
	// Progress, when set, receives the solver's progress.
	Progress func(scheduler.Progress)
}

// ScheduleReport tells what Schedule did.
type ScheduleReport struct {
	EventID string
	Problem *scheduler.Problem
	Result  *scheduler.Result
	// Written is false for a dry run.
	Written bool
	// Counts of meetings by what happened to them in the store.
	Created, Moved, Unchanged, Cancelled int
	// SpareTables tells, in a preview of an event with spare tables, what
	// giving up spare tables would buy: one option per number of spare
	// tables used, from one to all.
	SpareTables []SpareTableOption
}

// Schedule builds the meeting grid of an event from its accepted meeting
// requests and writes it in one transaction:
//
//   - every accepted request becomes a meeting with the stable ID "m-<request ID>";
//   - locked meetings (and, with KeepPlaced, all placed ones) never move;
//   - a meeting whose request was cancelled, or that no longer fits, is
//     cancelled rather than deleted, so that agendas learn of it;
//   - the store raises the calendar sequence of every meeting that moves.
//
// The grid is verified by the scheduler's checker before anything is
// written. If what the grid rests on changes while the solver runs,
// Schedule writes nothing and fails with profiles.ErrConflict: run it
// again. Writers of the grid are serialised per event, across servers
// sharing a PostgreSQL store.
func (e *Engine) Schedule(ctx context.Context, eventID string, opts ScheduleOptions) (*ScheduleReport, error) {
	sol, err := e.solve(ctx, eventID, opts)
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		sol.spares = spareTradeoffs(ctx, sol.in, opts)
		return sol.report(), nil
	}
	report := sol.report()
	fp, err := sol.in.fingerprint()
	if err != nil {
		return nil, err
	}
	err = e.store.Update(func(tx *profiles.Tx) error {
		same, err := sol.inputUnchanged(tx, eventID, fp)
		if err != nil {
			return err
		}
		if !same {
			return fmt.Errorf("schedule %s: the event's requests, meetings or availability changed while the grid was computed: %w", eventID, profiles.ErrConflict)
		}
		return sol.in.write(tx, sol.result.Grid, report)
	})
	if err != nil {
		return nil, err
	}
	report.Written = true
	return report, nil
}

// solution is a checked grid of an event, not yet written, with the
// problem it solves and the store generation that problem was read at.
type solution struct {
	in         *gridInput
	result     *scheduler.Result
	generation uint64
	keepPlaced bool
	// spares is what using the spare tables would give (previews only).
	spares []SpareTableOption
}

// solve reads an event's scheduling problem, solves it and checks the grid.
// Schedule writes the solution at once; PreviewGrid keeps it for PublishGrid.
func (e *Engine) solve(ctx context.Context, eventID string, opts ScheduleOptions) (*solution, error) {
	sol := &solution{keepPlaced: opts.KeepPlaced}
	err := e.store.View(func(tx *profiles.Tx) error {
		sol.generation = tx.Generation()
		var err error
		sol.in, err = readGridInput(tx, eventID, opts.KeepPlaced)
		return err
	})
	if err != nil {
		return nil, err
	}
	res, err := scheduler.Solve(ctx, sol.in.problem, scheduler.Options{Budget: opts.Budget, Seed: opts.Seed, Progress: opts.Progress})
	if err != nil {
		return nil, fmt.Errorf("schedule %s: %w", eventID, err)
	}
	if err := scheduler.Check(sol.in.problem, res.Grid); err != nil {
		return nil, fmt.Errorf("schedule %s: the solver produced an invalid grid (a bug): %w", eventID, err)
	}
	sol.result = res
	return sol, nil
}

// report returns a fresh report of the solution with the counts of what
// writing it would do.
func (sol *solution) report() *ScheduleReport {
	r := &ScheduleReport{EventID: sol.in.eventID, Problem: sol.in.problem, Result: sol.result, SpareTables: sol.spares}
	r.count(sol.in, sol.result.Grid)
	return r
}

// gridInput is an event's scheduling problem together with the store
// records each of its meetings comes from.
type gridInput struct {
	eventID  string
	problem  *scheduler.Problem
	requests []*profiles.MeetingRequest // per problem meeting; nil for meetings without request
	existing []*profiles.Meeting        // per problem meeting; nil for new ones
	// toCancel are stored meetings that must be cancelled: their request is
	// no longer accepted.
	toCancel []profiles.Meeting
	// tables is the event's table count, spare tables included.
	tables int
}

// meetingIDFor is the stable meeting ID of an accepted request.
func meetingIDFor(requestID string) string { return "m-" + requestID }

// readGridInput builds the scheduling problem of an event.
func readGridInput(tx *profiles.Tx, eventID string, keepPlaced bool) (*gridInput, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return nil, err
	}
	slots, err := ev.Slots()
	if err != nil {
		return nil, err
	}
	people, err := tx.Participants(eventID)
	if err != nil {
		return nil, err
	}
	requests, err := tx.Requests(eventID)
	if err != nil {
		return nil, err
	}
	meetings, err := tx.Meetings(eventID)
	if err != nil {
		return nil, err
	}
	in := &gridInput{eventID: eventID, problem: &scheduler.Problem{}}
	for _, s := range slots {
		in.problem.Slots = append(in.problem.Slots, scheduler.Slot{Day: s.Day, Session: s.Session, Tables: ev.Tables, Start: s.Start, End: s.End})
	}
	byRequest := map[string]*profiles.Meeting{}
	for i := range meetings {
		if meetings[i].RequestID != "" {
			byRequest[meetings[i].RequestID] = &meetings[i]
		}
	}
	requestByID := map[string]*profiles.MeetingRequest{}
	for i := range requests {
		requestByID[requests[i].ID] = &requests[i]
	}
	involved := map[string]bool{}
	add := func(m scheduler.Meeting, req *profiles.MeetingRequest, stored *profiles.Meeting) {
		if stored != nil && (stored.Locked || keepPlaced) {
			m.Locked, m.LockedSlot, m.LockedTable = true, stored.Slot, stored.Table
		}
		in.problem.Meetings = append(in.problem.Meetings, m)
		in.requests = append(in.requests, req)
		in.existing = append(in.existing, stored)
		involved[m.A], involved[m.B] = true, true
	}
	for i := range requests {
		r := &requests[i]
		stored := byRequest[r.ID]
		if stored != nil && stored.Status != profiles.MeetingScheduled {
			continue // held, no-show or cancelled: history, not the grid's business
		}
		if r.Status != profiles.RequestAccepted {
			if stored != nil {
				in.toCancel = append(in.toCancel, *stored)
			}
			continue
		}
		id := meetingIDFor(r.ID)
		if stored != nil {
			id = stored.ID
		}
		add(scheduler.Meeting{ID: id, A: r.From, B: r.To, Priority: priorityOf(stored)}, r, stored)
	}
	for i := range meetings {
		m := &meetings[i]
		if m.Status != profiles.MeetingScheduled || (m.RequestID != "" && requestByID[m.RequestID] != nil) {
			continue
		}
		// A meeting the organizer arranged without a request.
		add(scheduler.Meeting{ID: m.ID, A: m.A, B: m.B, Priority: m.Priority}, nil, m)
	}
	for i := range people {
		p := &people[i]
		if !involved[p.ID] {
			continue
		}
		sp := scheduler.Participant{ID: p.ID, Name: p.Name(), MaxMeetings: p.MaxMeetings, Online: p.Type == profiles.TypeOnline}
		for _, s := range slots {
			if !p.Available(s) {
				sp.Forbidden = append(sp.Forbidden, s.Index)
			}
		}
		if p.OwnTable != nil {
			sp.HasOwnTable, sp.OwnTable = true, *p.OwnTable
		}
		in.problem.Participants = append(in.problem.Participants, sp)
	}
	in.tables = ev.Tables
	in.reserveSpareTables(ev)
	return in, nil
}

// reserveSpareTables keeps the event's spare tables free: the last tables
// that are nobody's own table and hold no locked meeting.
func (in *gridInput) reserveSpareTables(ev *profiles.Event) {
	taken := map[int]bool{}
	for _, p := range in.problem.Participants {
		if p.HasOwnTable {
			taken[p.OwnTable] = true
		}
	}
	for _, m := range in.problem.Meetings {
		if m.Locked {
			taken[m.LockedTable] = true
		}
	}
	for t := ev.Tables - 1; t >= 0 && len(in.problem.Reserved) < ev.SpareTables; t-- {
		if !taken[t] {
			in.problem.Reserved = append(in.problem.Reserved, t)
		}
	}
}

// storedGrid returns the event's problem with every scheduled meeting
// pinned where the store has it, and the grid of those placements: the
// grid as published, for exports and for checking.
func storedGrid(tx *profiles.Tx, eventID string) (*gridInput, *scheduler.Grid, error) {
	in, err := readGridInput(tx, eventID, true)
	if err != nil {
		return nil, nil, err
	}
	g := scheduler.NewGrid(len(in.problem.Meetings))
	for i, m := range in.problem.Meetings {
		if m.Locked {
			g.Placements[i] = scheduler.Placement{Slot: m.LockedSlot, Table: m.LockedTable}
		}
	}
	return in, g, nil
}

func priorityOf(m *profiles.Meeting) int {
	if m == nil {
		return 0
	}
	return m.Priority
}

// fate is what happens in the store to one meeting of the problem.
type fate int

const (
	fateNone   fate = iota // never on the grid and still not placeable: the report lists why
	fateCreate             // new on the grid
	fateMove               // on the grid, at another slot or table
	fateKeep               // on the grid where it was
	fateCancel             // was on the grid, no longer placeable
)

func (in *gridInput) fateOf(i int, pl scheduler.Placement) fate {
	stored := in.existing[i]
	switch {
	case stored == nil && pl.Placed():
		return fateCreate
	case stored == nil:
		return fateNone
	case !pl.Placed():
		return fateCancel
	case stored.Slot != pl.Slot || stored.Table != pl.Table:
		return fateMove
	default:
		return fateKeep
	}
}

func (r *ScheduleReport) tally(f fate) {
	switch f {
	case fateCreate:
		r.Created++
	case fateMove:
		r.Moved++
	case fateKeep:
		r.Unchanged++
	case fateCancel:
		r.Cancelled++
	}
}

// write stores the grid: new meetings are created, moved ones updated, and
// those that lost their place or their request are cancelled.
func (in *gridInput) write(tx *profiles.Tx, g *scheduler.Grid, report *ScheduleReport) error {
	// The counts are those of this write, even if report was filled before.
	report.Created, report.Moved, report.Unchanged, report.Cancelled = 0, 0, 0, 0
	for i, pm := range in.problem.Meetings {
		pl := g.Placements[i]
		f := in.fateOf(i, pl)
		report.tally(f)
		var err error
		switch f {
		case fateCreate:
			m := &profiles.Meeting{ID: pm.ID, EventID: in.eventID, A: pm.A, B: pm.B, Slot: pl.Slot, Table: pl.Table,
				Status: profiles.MeetingScheduled, Priority: pm.Priority}
			if r := in.requests[i]; r != nil {
				m.RequestID = r.ID
			}
			err = tx.CreateMeeting(m)
		case fateCancel:
			m := *in.existing[i]
			m.Status = profiles.MeetingCancelled
			err = tx.UpdateMeeting(&m)
		case fateMove:
			m := *in.existing[i]
			m.Slot, m.Table = pl.Slot, pl.Table
			err = tx.UpdateMeeting(&m)
		}
		if err != nil {
			return err
		}
	}
	for _, m := range in.toCancel {
		m.Status = profiles.MeetingCancelled
		if err := tx.UpdateMeeting(&m); err != nil {
			return err
		}
		report.Cancelled++
	}
	return nil
}

// count fills the report's counts without writing (dry run).
func (r *ScheduleReport) count(in *gridInput, g *scheduler.Grid) {
	for i := range in.problem.Meetings {
		r.tally(in.fateOf(i, g.Placements[i]))
	}
	r.Cancelled += len(in.toCancel)
}
