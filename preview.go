package matchgrid

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// The organizer's two-step grid: PreviewGrid computes a grid and keeps it
// in the store as the event's preview (profiles.GridPreview), the
// organizer looks at it, and PublishGrid writes exactly that grid. The
// preview holds the grid and everything it was computed from, so that
// any server sharing the store shows and publishes it: behind a load
// balancer, the preview and the publish need not reach the same server.

// previewTTL is how long a preview can be published; it is cheap to
// compute again.
const previewTTL = 24 * time.Hour

// previewRecord is a solution as a preview keeps it in the store: the
// grid input (fingerprint included, to check the decoding), the solver's
// result and the spare-table options.
type previewRecord struct {
	Fingerprint []byte
	KeepPlaced  bool
	Problem     *scheduler.Problem
	Requests    []*profiles.MeetingRequest
	Existing    []*profiles.Meeting
	ToCancel    []profiles.Meeting
	Tables      int
	Result      *scheduler.Result
	Spares      []SpareTableOption
}

// encodePreview turns a solution into the preview the store keeps.
func encodePreview(sol *solution, made time.Time) (*profiles.GridPreview, error) {
	fp, err := sol.in.fingerprint()
	if err != nil {
		return nil, err
	}
	in := sol.in
	raw, err := json.Marshal(previewRecord{Fingerprint: fp[:], KeepPlaced: sol.keepPlaced, Problem: in.problem,
		Requests: in.requests, Existing: in.existing, ToCancel: in.toCancel, Tables: in.tables,
		Result: sol.result, Spares: sol.spares})
	if err != nil {
		return nil, fmt.Errorf("grid preview of event %q: encode: %w", in.eventID, err)
	}
	return &profiles.GridPreview{Generation: sol.generation, Made: made, Expires: made.Add(previewTTL), Data: raw}, nil
}

// decodePreview turns a stored preview back into the solution it was made
// from, with the fingerprint of its input.
func decodePreview(eventID string, p *profiles.GridPreview) (*solution, [sha256.Size]byte, error) {
	var none [sha256.Size]byte
	var rec previewRecord
	if err := json.Unmarshal(p.Data, &rec); err != nil {
		return nil, none, fmt.Errorf("grid preview of event %q: decode: %w", eventID, err)
	}
	if rec.Problem == nil || rec.Result == nil || rec.Result.Grid == nil ||
		len(rec.Requests) != len(rec.Problem.Meetings) || len(rec.Existing) != len(rec.Problem.Meetings) {
		return nil, none, fmt.Errorf("grid preview of event %q: decode: incomplete record", eventID)
	}
	in := &gridInput{eventID: eventID, problem: rec.Problem, requests: rec.Requests, existing: rec.Existing,
		toCancel: rec.ToCancel, tables: rec.Tables}
	fp, err := in.fingerprint()
	if err != nil {
		return nil, none, err
	}
	if !bytes.Equal(fp[:], rec.Fingerprint) {
		return nil, none, fmt.Errorf("grid preview of event %q: decode: the input read back is not the one previewed", eventID)
	}
	sol := &solution{in: in, result: rec.Result, generation: p.Generation, keepPlaced: rec.KeepPlaced, spares: rec.Spares}
	return sol, fp, nil
}

// PreviewGrid computes the grid of an event like Schedule does but writes
// nothing to the event: it keeps the grid in the store as the event's
// preview (replacing an earlier one) for PublishGrid, on any server
// sharing the store. opts.DryRun is ignored.
func (e *Engine) PreviewGrid(ctx context.Context, eventID string, opts ScheduleOptions) (*ScheduleReport, error) {
	sol, err := e.solve(ctx, eventID, opts)
	if err != nil {
		return nil, err
	}
	sol.spares = spareTradeoffs(ctx, sol.in, opts)
	p, err := encodePreview(sol, time.Now())
	if err != nil {
		return nil, err
	}
	if err := e.store.Update(func(tx *profiles.Tx) error { return tx.PutGridPreview(eventID, p) }); err != nil {
		return nil, err
	}
	return sol.report(), nil
}

// preview reads the event's unpublished preview: profiles.ErrNotFound when
// there is none (or it was published, or expired).
func (e *Engine) preview(eventID string) (*solution, error) {
	var sol *solution
	err := e.store.View(func(tx *profiles.Tx) error {
		p, err := tx.GridPreview(eventID, time.Now())
		if err != nil {
			return err
		}
		if p.Published {
			return fmt.Errorf("grid preview of event %q: published already: %w", eventID, profiles.ErrNotFound)
		}
		sol, _, err = decodePreview(eventID, p)
		return err
	})
	return sol, err
}

// Preview returns the report of the event's current preview, or
// profiles.ErrNotFound when there is none.
func (e *Engine) Preview(eventID string) (*ScheduleReport, error) {
	sol, err := e.preview(eventID)
	if err != nil {
		return nil, err
	}
	return sol.report(), nil
}

// PreviewView returns the event's current preview as a GridView, or
// profiles.ErrNotFound when there is none.
func (e *Engine) PreviewView(eventID string) (*GridView, error) {
	_, view, err := e.PreviewWithView(eventID)
	return view, err
}

// PreviewWithView returns the report of the event's current preview and
// the preview as a GridView, from one read of the stored preview (a page
// shows both), or profiles.ErrNotFound when there is none.
func (e *Engine) PreviewWithView(eventID string) (*ScheduleReport, *GridView, error) {
	sol, err := e.preview(eventID)
	if err != nil {
		return nil, nil, err
	}
	var view *GridView
	err = e.store.View(func(tx *profiles.Tx) (err error) {
		view, err = gridView(tx, sol.in, sol.result.Grid, sol.result.Unplaced)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	view.Preview = true
	return sol.report(), view, nil
}

// PublishGrid writes the event's previewed grid, exactly as previewed, in
// one transaction that also marks the preview published; any server
// sharing the store may publish it, one at a time per event. It fails with
// profiles.ErrNotFound when there is no preview, and with
// profiles.ErrConflict when the preview was published already, or when
// what the grid was computed from has changed since (a request accepted or
// cancelled, a meeting locked or moved, a participant's availability, the
// event's slots or tables): preview again. Changes that do not touch the
// grid, such as a profile text, do not stop a publication.
func (e *Engine) PublishGrid(eventID string) (*ScheduleReport, error) {
	var report *ScheduleReport
	err := e.store.Update(func(tx *profiles.Tx) error {
		p, err := tx.GridPreview(eventID, time.Now()) // takes the event's writer lock
		if errors.Is(err, profiles.ErrNotFound) {
			return fmt.Errorf("publish grid of event %q: no preview to publish, run a preview first: %w", eventID, err)
		}
		if err != nil {
			return err
		}
		if p.Published {
			return fmt.Errorf("publish grid of event %q: no preview to publish (the preview of %s was published already); preview again: %w",
				eventID, p.Made.Format(time.TimeOnly), profiles.ErrConflict)
		}
		sol, fp, err := decodePreview(eventID, p)
		if err != nil {
			return err
		}
		same, err := sol.inputUnchanged(tx, eventID, fp)
		if err != nil {
			return err
		}
		if !same {
			return fmt.Errorf("publish grid of event %q: requests, meetings or availability changed since the preview of %s; preview again: %w",
				eventID, p.Made.Format(time.TimeOnly), profiles.ErrConflict)
		}
		report = sol.report()
		if err := sol.in.write(tx, sol.result.Grid, report); err != nil {
			return err
		}
		return tx.PublishGridPreview(eventID, p)
	})
	if err != nil {
		return nil, err
	}
	report.Written = true
	return report, nil
}
