package matchgrid

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

// TestOnlineParticipantsAndSpareTables makes a third of the demo's
// participants online, gives the event a video link template and two
// spare tables, and schedules: meetings between two online participants
// take no table, no meeting sits at a spare table, an online participant's
// agenda (and its ICS) carries the meeting's video link, and the dry run
// tells what using the spare tables would buy.
func TestOnlineParticipantsAndSpareTables(t *testing.T) {
	t.Parallel()
	eng := openDemo(t)
	online := map[string]bool{}
	ownTables := map[int]bool{}
	var tables int
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event(demo.EventID)
		if err != nil {
			return err
		}
		ev.VideoURL, ev.SpareTables = "https://meet.example.org/mhc-{meeting}", 2
		tables = ev.Tables
		if err := tx.UpdateEvent(ev); err != nil {
			return err
		}
		people, err := tx.Participants(demo.EventID)
		for i := range people {
			if people[i].OwnTable != nil {
				ownTables[*people[i].OwnTable] = true
			}
			if i%3 == 0 && people[i].OwnTable == nil {
				people[i].Type = profiles.TypeOnline
				if err := tx.UpdateParticipant(&people[i]); err != nil {
					return err
				}
			}
			online[people[i].ID] = people[i].Type == profiles.TypeOnline
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := eng.Schedule(context.Background(), demo.EventID, ScheduleOptions{Budget: quick.Budget, Seed: 1, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.SpareTables) != 2 || dry.SpareTables[1].Tables != tables || dry.SpareTables[1].Placed < dry.Result.Metrics.Placed {
		t.Errorf("spare table options %+v (placed %d without them)", dry.SpareTables, dry.Result.Metrics.Placed)
	}
	if _, err := eng.Schedule(context.Background(), demo.EventID, quick); err != nil {
		t.Fatal(err)
	}
	byID := checkStoredGrid(t, eng)
	spare := map[int]bool{} // the last two tables that are nobody's own
	for tb := tables - 1; tb >= 0 && len(spare) < 2; tb-- {
		if !ownTables[tb] {
			spare[tb] = true
		}
	}
	video, withOnline := 0, ""
	for _, m := range byID {
		if m.Status != profiles.MeetingScheduled {
			continue
		}
		both := online[m.A] && online[m.B]
		switch {
		case both && m.Table != -1, !both && m.Table < 0:
			t.Errorf("meeting %s (%s online %v, %s online %v) at table %d", m.ID, m.A, online[m.A], m.B, online[m.B], m.Table)
		case spare[m.Table]:
			t.Errorf("meeting %s at spare table %d", m.ID, m.Table)
		}
		if both {
			video++
		}
		if online[m.A] && withOnline == "" {
			withOnline = m.A
		}
	}
	if video == 0 || withOnline == "" {
		t.Fatalf("no meeting between online participants (%d) or with one (%q)", video, withOnline)
	}
	ev, entries, err := eng.Agenda(demo.EventID, withOnline)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if want := ev.VideoLink(en.UID); en.VideoURL != want || !strings.HasPrefix(want, "https://meet.example.org/mhc-") {
			t.Fatalf("agenda entry %s: video link %q, want %q", en.MeetingID, en.VideoURL, want)
		}
	}
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, calendar.Calendar{Stamp: entries[0].Start}, entries); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ReplaceAll(buf.String(), "\r\n ", ""), "URL:"+entries[0].VideoURL) {
		t.Errorf("ICS lacks the video link %q", entries[0].VideoURL)
	}
}
