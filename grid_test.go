package matchgrid

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

var tiny = ScheduleOptions{Budget: 50 * time.Millisecond, Seed: 1}

// placements returns where each scheduled meeting of "ev" is in the store.
func placements(t *testing.T, eng *Engine) map[string][2]int {
	t.Helper()
	out := map[string][2]int{}
	err := eng.Store().View(func(tx *profiles.Tx) error {
		ms, err := tx.Meetings("ev")
		for _, m := range ms {
			if m.Status == profiles.MeetingScheduled {
				out[m.ID] = [2]int{m.Slot, m.Table}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reportPlacements returns where a report's grid puts each placed meeting.
func reportPlacements(r *ScheduleReport) map[string][2]int {
	out := map[string][2]int{}
	for i, m := range r.Problem.Meetings {
		if pl := r.Result.Grid.Placements[i]; pl.Placed() {
			out[m.ID] = [2]int{pl.Slot, pl.Table}
		}
	}
	return out
}

func samePlacements(a, b map[string][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestPreviewThenPublish(t *testing.T) {
	eng := openSmall(t)
	ctx := context.Background()
	if _, err := eng.PublishGrid("ev"); !errors.Is(err, profiles.ErrNotFound) {
		t.Fatalf("publish without a preview = %v, want ErrNotFound", err)
	}
	before := placements(t, eng)
	rep, err := eng.PreviewGrid(ctx, "ev", tiny)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written {
		t.Error("a preview says it was written")
	}
	if got := placements(t, eng); !samePlacements(got, before) {
		t.Fatalf("the preview wrote to the store: %v, was %v", got, before)
	}
	previewed := reportPlacements(rep)
	if _, ok := previewed["m-r12"]; !ok {
		t.Fatalf("the preview did not place the accepted request r12: %v", previewed)
	}
	if again, err := eng.Preview("ev"); err != nil || !samePlacements(reportPlacements(again), previewed) {
		t.Fatalf("Preview = %v, %v; want the grid just previewed", again, err)
	}
	view, err := eng.PreviewView("ev")
	if err != nil || !view.Preview || len(view.Meetings) != len(previewed) {
		t.Fatalf("PreviewView = %+v, %v", view, err)
	}

	pub, err := eng.PublishGrid("ev")
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Written || pub.Created != 1 || pub.Moved+pub.Unchanged != 2 || pub.Cancelled != 0 { // m-r12 is new
		t.Errorf("publish report: written %v, created %d, moved %d, unchanged %d, cancelled %d", pub.Written, pub.Created, pub.Moved, pub.Unchanged, pub.Cancelled)
	}
	if got := placements(t, eng); !samePlacements(got, previewed) {
		t.Errorf("published grid %v differs from the preview %v", got, previewed)
	}
	if _, err := eng.PublishGrid("ev"); !errors.Is(err, profiles.ErrConflict) {
		t.Errorf("second publish = %v, want ErrConflict (the preview is used up)", err)
	}

	grid, err := eng.Grid("ev")
	if err != nil {
		t.Fatal(err)
	}
	if grid.Preview || len(grid.Meetings) != len(previewed) || len(grid.Slots) != 3 || len(grid.Tables) != 2 || grid.Tables[1] != "T2" {
		t.Fatalf("grid view = %+v", grid)
	}
	for _, m := range grid.Meetings {
		if m.ID == "m-r12" && (m.A.Name != "Ann" || m.A.Organization != "Acme" || m.B.Name != "Bob" || m.RequestID != "r12") {
			t.Errorf("grid meeting = %+v", m)
		}
	}
}

func TestPublishRefusesAStalePreview(t *testing.T) {
	tests := []struct {
		name     string
		change   func(tx *profiles.Tx) error
		conflict bool
	}{
		{"nothing", func(tx *profiles.Tx) error { return nil }, false},
		{"event renamed", func(tx *profiles.Tx) error {
			ev, _ := tx.Event("ev")
			ev.Name = "Renamed"
			return tx.UpdateEvent(ev)
		}, false},
		{"opportunity added", func(tx *profiles.Tx) error {
			return tx.CreateOpportunity(&profiles.Opportunity{ID: "o2", EventID: "ev", ParticipantID: "p2", Kind: profiles.KindRequest, Title: "Chips", Language: "en"})
		}, false},
		{"participant renamed", func(tx *profiles.Tx) error {
			p, _ := tx.Participant("ev", "p2")
			p.FirstName = "Robert"
			return tx.UpdateParticipant(p)
		}, false},
		{"accepted request cancelled", func(tx *profiles.Tx) error {
			_, err := tx.CancelRequest("ev", "r12", "p1", time.Now())
			return err
		}, true},
		{"pending request accepted", func(tx *profiles.Tx) error {
			_, err := tx.RespondRequest("ev", "r42", "p2", true, time.Now())
			return err
		}, true},
		{"meeting locked", func(tx *profiles.Tx) error {
			m, _ := tx.Meeting("ev", "m-r13")
			m.Locked = true
			return tx.UpdateMeeting(m)
		}, true},
		{"availability changed", func(tx *profiles.Tx) error {
			p, _ := tx.Participant("ev", "p3")
			start := time.Date(2027, 3, 16, 8, 0, 0, 0, time.UTC)
			p.Unavailable = []profiles.Period{{Start: start, End: start.Add(20 * time.Minute)}}
			return tx.UpdateParticipant(p)
		}, true},
		{"tables changed", func(tx *profiles.Tx) error {
			ev, _ := tx.Event("ev")
			ev.Tables = 3
			return tx.UpdateEvent(ev)
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := openSmall(t)
			if _, err := eng.PreviewGrid(context.Background(), "ev", tiny); err != nil {
				t.Fatal(err)
			}
			if err := eng.Store().Update(tt.change); err != nil {
				t.Fatal(err)
			}
			before := placements(t, eng)
			_, err := eng.PublishGrid("ev")
			if !tt.conflict {
				if err != nil {
					t.Fatalf("publish after an unrelated change = %v", err)
				}
				return
			}
			if !errors.Is(err, profiles.ErrConflict) {
				t.Fatalf("publish = %v, want ErrConflict", err)
			}
			if got := placements(t, eng); !samePlacements(got, before) {
				t.Errorf("a refused publish wrote: %v, was %v", got, before)
			}
			if _, err := eng.Preview("ev"); err != nil {
				t.Errorf("a refused publish dropped the preview: %v", err)
			}
		})
	}
}

func TestSetMeetingLocked(t *testing.T) {
	eng := openSmall(t)
	tests := []struct {
		meeting string
		locked  bool
		wantErr error
	}{
		{"m-r13", true, nil},
		{"m-r13", true, nil}, // again: no change, no error
		{"m-r34", true, profiles.ErrConflict},
		{"ghost", true, profiles.ErrNotFound},
		{"m-org", true, nil},
		{"m-org", false, nil},
	}
	for _, tt := range tests {
		err := eng.SetMeetingLocked("ev", tt.meeting, tt.locked)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("SetMeetingLocked(%s, %v) = %v, want %v", tt.meeting, tt.locked, err, tt.wantErr)
		}
	}
	eng.Store().View(func(tx *profiles.Tx) error {
		for id, want := range map[string]bool{"m-r13": true, "m-org": false, "m-r34": false} {
			if m, _ := tx.Meeting("ev", id); m.Locked != want {
				t.Errorf("%s locked = %v, want %v", id, m.Locked, want)
			}
		}
		return nil
	})
	// A locked meeting stays where it is whatever the solver's seed.
	for seed := range int64(5) {
		rep, err := eng.PreviewGrid(context.Background(), "ev", ScheduleOptions{Budget: tiny.Budget, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if got := reportPlacements(rep)["m-r13"]; got != [2]int{0, 1} {
			t.Errorf("seed %d moved locked m-r13 to %v", seed, got)
		}
	}
	grid, err := eng.Grid("ev")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range grid.Meetings {
		if (m.ID == "m-r13") != m.Locked {
			t.Errorf("grid view: %s locked = %v", m.ID, m.Locked)
		}
	}
}
