package matchgrid

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/internal/datadirtest"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// openDemo opens a temporary data directory with the demo event loaded.
func openDemo(t testing.TB) *Engine {
	t.Helper()
	dir := datadirtest.Dir(t, "demo", importDemo)
	eng, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

// importDemo builds a data directory holding the demo event (with its
// search index), for datadirtest to copy per test.
func importDemo(dir string) error {
	eng, err := Open(dir, nil)
	if err != nil {
		return err
	}
	b, err := demo.Bundle()
	if err == nil {
		err = eng.Store().Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) })
	}
	if cerr := eng.Close(); err == nil {
		err = cerr
	}
	return err
}

var quick = ScheduleOptions{Budget: 300 * time.Millisecond, Seed: 1}

// checkStoredGrid checks the grid as stored with the scheduler's checker and
// returns every meeting of the demo event by ID.
func checkStoredGrid(t *testing.T, eng *Engine) map[string]profiles.Meeting {
	t.Helper()
	byID := map[string]profiles.Meeting{}
	err := eng.Store().View(func(tx *profiles.Tx) error {
		in, g, err := storedGrid(tx, demo.EventID)
		if err != nil {
			return err
		}
		if err := scheduler.Check(in.problem, g); err != nil {
			return err
		}
		ms, err := tx.Meetings(demo.EventID)
		for _, m := range ms {
			byID[m.ID] = m
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return byID
}

func TestScheduleDemo(t *testing.T) {
	t.Parallel()
	eng := openDemo(t)
	accepted := 0
	eng.Store().View(func(tx *profiles.Tx) error {
		rs, _ := tx.Requests(demo.EventID)
		for _, r := range rs {
			if r.Status == profiles.RequestAccepted {
				accepted++
			}
		}
		return nil
	})

	dry, err := eng.Schedule(context.Background(), demo.EventID, ScheduleOptions{Budget: quick.Budget, Seed: 1, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if dry.Written || len(checkStoredGrid(t, eng)) != 0 {
		t.Fatal("a dry run wrote meetings")
	}

	rep, err := eng.Schedule(context.Background(), demo.EventID, quick)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created+len(rep.Result.Unplaced) != accepted || rep.Created == 0 {
		t.Fatalf("created %d meetings with %d unplaced, for %d accepted requests", rep.Created, len(rep.Result.Unplaced), accepted)
	}
	for _, u := range rep.Result.Unplaced {
		if u.Reason == "" {
			t.Errorf("unplaced meeting %s has no reason", u.ID)
		}
	}
	first := checkStoredGrid(t, eng)
	if len(first) != rep.Created {
		t.Fatalf("store has %d meetings, report says %d created", len(first), rep.Created)
	}

	// The organizer locks one meeting; one accepted request is then cancelled.
	var locked, dropped profiles.Meeting
	for _, m := range first {
		switch {
		case locked.ID == "":
			locked = m
		case dropped.ID == "" && !m.Involves(locked.A) && !m.Involves(locked.B):
			dropped = m
		}
	}
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		m, _ := tx.Meeting(demo.EventID, locked.ID)
		m.Locked = true
		if err := tx.UpdateMeeting(m); err != nil {
			return err
		}
		r, _ := tx.Request(demo.EventID, dropped.RequestID)
		r.Status = profiles.RequestCancelled
		return tx.UpdateRequest(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another seed: the solver is free to move everything not locked.
	rep, err = eng.Schedule(context.Background(), demo.EventID, ScheduleOptions{Budget: quick.Budget, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	second := checkStoredGrid(t, eng)
	if m := second[locked.ID]; m.Slot != locked.Slot || m.Table != locked.Table || m.Sequence != locked.Sequence {
		t.Errorf("locked meeting moved: %+v, was %+v", m, locked)
	}
	if m := second[dropped.ID]; m.Status != profiles.MeetingCancelled || m.Sequence != dropped.Sequence+1 || m.UID != dropped.UID {
		t.Errorf("meeting of the cancelled request = %+v, want cancelled with sequence %d and the same UID", m, dropped.Sequence+1)
	}
	if rep.Moved == 0 {
		t.Fatal("nothing moved with another seed; the test below would check nothing")
	}
	for id, m := range second {
		before := first[id]
		if (m.Slot != before.Slot || m.Table != before.Table) && (m.Sequence <= before.Sequence || m.UID != before.UID) {
			t.Errorf("moved meeting %s: sequence %d -> %d, UID %q -> %q", id, before.Sequence, m.Sequence, before.UID, m.UID)
		}
	}

	// The calendars say so: same UID, higher SEQUENCE, the new time; the
	// cancelled meeting is CANCELLED, not gone.
	for id, m := range second {
		if before := first[id]; m.Slot != before.Slot || m.Table != before.Table {
			checkICS(t, eng, m, "CONFIRMED")
			break
		}
	}
	checkICS(t, eng, second[dropped.ID], "CANCELLED")

	// Incremental mode keeps every placed meeting where it is.
	if _, err := eng.Schedule(context.Background(), demo.EventID, ScheduleOptions{Budget: quick.Budget, Seed: 3, KeepPlaced: true}); err != nil {
		t.Fatal(err)
	}
	for id, m := range checkStoredGrid(t, eng) {
		if b := second[id]; m.Status == profiles.MeetingScheduled && (m.Slot != b.Slot || m.Table != b.Table) {
			t.Errorf("incremental mode moved %s", id)
		}
	}
}

// checkICS writes the agenda of m's first participant as iCalendar, parses
// it back and checks m's entry: UID, SEQUENCE, start time and status.
func checkICS(t *testing.T, eng *Engine, m profiles.Meeting, status string) {
	t.Helper()
	ev, entries, err := eng.Agenda(demo.EventID, m.A)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := ev.Location()
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, calendar.Calendar{Name: ev.Name, Stamp: time.Now(), TimeZone: loc}, entries); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(&buf)
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := ev.Slots()
	for _, vev := range cal.Events() {
		if vev.Id() != m.UID {
			continue
		}
		start, err := vev.GetStartAt()
		if err != nil || !start.Equal(slots[m.Slot].Start) {
			t.Errorf("%s starts at %v (%v), want slot %d at %v", m.UID, start, err, m.Slot, slots[m.Slot].Start)
		}
		if seq := vev.GetProperty(ics.ComponentPropertySequence).Value; seq != strconv.Itoa(m.Sequence) || m.Sequence == 0 {
			t.Errorf("%s has SEQUENCE %s, want %d (> 0)", m.UID, seq, m.Sequence)
		}
		if got := vev.GetProperty(ics.ComponentPropertyStatus).Value; got != status {
			t.Errorf("%s has STATUS %s, want %s", m.UID, got, status)
		}
		return
	}
	t.Errorf("the agenda of %s has no event with UID %s", m.A, m.UID)
}

func TestScheduleRefusesAConcurrentChange(t *testing.T) {
	t.Parallel()
	eng := openDemo(t)
	var once sync.Once
	opts := quick
	opts.Progress = func(scheduler.Progress) {
		once.Do(func() {
			// An organizer removes a table while the solver runs.
			err := eng.Store().Update(func(tx *profiles.Tx) error {
				ev, err := tx.Event(demo.EventID)
				if err != nil {
					return err
				}
				ev.Tables--
				ev.TableNames = ev.TableNames[:min(len(ev.TableNames), ev.Tables)]
				return tx.UpdateEvent(ev)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	_, err := eng.Schedule(context.Background(), demo.EventID, opts)
	if !errors.Is(err, profiles.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if len(checkStoredGrid(t, eng)) != 0 {
		t.Error("meetings were written despite the conflict")
	}
}
