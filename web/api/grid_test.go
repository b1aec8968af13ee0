package api_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/api"
)

// TestGridThroughTheAPI: B accepts A's request, the organizer previews
// (nothing published), publishes, and both participants find the meeting
// in their agendas (JSON, iCalendar, CSV) at the same slot and table.
func TestGridThroughTheAPI(t *testing.T) {
	f := newFixture(t, web.Config{})
	const ev = "/api/v1/events/ev"
	if resp, body := f.Do(roleB, "POST", ev+"/requests/rAB/accept", ""); resp.StatusCode != 200 {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	resp, body := f.Do(roleOrg, "POST", ev+"/grid/preview", `{"budget_ms":100,"seed":3}`)
	if resp.StatusCode != 200 {
		t.Fatalf("preview: %d %s", resp.StatusCode, body)
	}
	prev := decode[api.ScheduleSummary](t, body)
	if prev.Written || prev.Grid == nil || !prev.Grid.Preview || prev.Meetings != 3 || prev.Placed != 3 || prev.Created != 1 {
		t.Fatalf("preview = %+v", prev)
	}
	previewed := map[string]matchgrid.GridMeeting{}
	for _, m := range prev.Grid.Meetings {
		previewed[m.ID] = m
	}
	if _, ok := previewed["m-rAB"]; !ok {
		t.Fatalf("the preview did not place rAB: %+v", prev.Grid.Meetings)
	}
	// Nothing is published yet: A's agenda has the two seeded meetings only.
	_, body = f.Do(roleA, "GET", ev+"/participants/p-a/agenda", "")
	if a := decode[api.AgendaView](t, body); len(a.Meetings) != 2 {
		t.Fatalf("before publishing, A's agenda has %d meetings, want 2", len(a.Meetings))
	}

	resp, body = f.Do(roleOrg, "POST", ev+"/grid/publish", "")
	if pub := decode[api.ScheduleSummary](t, body); resp.StatusCode != 200 || !pub.Written || pub.Created != 1 || pub.Grid != nil {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	_, body = f.Do(roleOrg, "GET", ev+"/grid", "")
	grid := decode[matchgrid.GridView](t, body)
	if grid.Preview || len(grid.Meetings) != 3 {
		t.Fatalf("published grid = %+v", grid)
	}
	for _, m := range grid.Meetings {
		if p := previewed[m.ID]; p.Slot != m.Slot || p.Table != m.Table {
			t.Errorf("%s published at %d/%d, previewed at %d/%d", m.ID, m.Slot, m.Table, p.Slot, p.Table)
		}
	}

	want := previewed["m-rAB"]
	for _, who := range []struct{ role, id, partner string }{{roleA, "p-a", "Bruno Blanc"}, {roleB, "p-b", "Alice Rossi"}} {
		_, body = f.Do(who.role, "GET", ev+"/participants/"+who.id+"/agenda", "")
		agenda := decode[api.AgendaView](t, body)
		var entry *api.AgendaEntry
		for i := range agenda.Meetings {
			if agenda.Meetings[i].MeetingID == "m-rAB" {
				entry = &agenda.Meetings[i]
			}
		}
		if entry == nil || entry.Slot != want.Slot || entry.Table != want.TableName || entry.Partner != who.partner || entry.Status != "CONFIRMED" {
			t.Errorf("%s's agenda entry = %+v, want slot %d table %s with %s", who.role, entry, want.Slot, want.TableName, who.partner)
		}

		resp, body = f.Do(who.role, "GET", ev+"/participants/"+who.id+"/agenda.ics", "")
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/calendar") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("ics: %d %s %s", resp.StatusCode, ct, resp.Header.Get("Content-Disposition"))
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var uids []string
		for _, e := range cal.Events() {
			uids = append(uids, e.Id())
			if e.Id() == entry.UID {
				if start, err := e.GetStartAt(); err != nil || !start.Equal(entry.Start) {
					t.Errorf("%s: ICS start %v (%v), want %v", who.role, start, err, entry.Start)
				}
			}
		}
		if !strings.Contains(strings.Join(uids, " "), entry.UID) {
			t.Errorf("%s: ICS UIDs %v lack %s", who.role, uids, entry.UID)
		}

		resp, body = f.Do(who.role, "GET", ev+"/participants/"+who.id+"/agenda.csv", "")
		rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || len(rows) != 1+len(agenda.Meetings) {
			t.Errorf("%s: agenda.csv %d, %d rows (%v): %s", who.role, resp.StatusCode, len(rows), err, body)
		}
	}

	resp, body = f.Do(roleOrg, "GET", ev+"/grid.csv", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Alice Rossi") {
		t.Errorf("grid.csv: %d %s", resp.StatusCode, body)
	}

	// Lock, place a late request around the published grid, unlock.
	_, body = f.Do(roleOrg, "POST", ev+"/meetings/m-rAB/lock", "")
	if m := decode[struct{ Locked bool }](t, body); !m.Locked {
		t.Errorf("lock: %s", body)
	}
	// A is fully booked now; B is free in one slot, D in all: with
	// auto-accept, B's late request to D is accepted at once.
	setPolicy(t, f, profiles.RequestPolicy{AutoAccept: true})
	if resp, body := f.Do(roleB, "POST", ev+"/participants/p-b/requests", `{"to":"p-d"}`); resp.StatusCode != 201 {
		t.Fatalf("late request: %d %s", resp.StatusCode, body)
	}
	resp, body = f.Do(roleOrg, "POST", ev+"/grid/place-late", `{"budget_ms":50}`)
	late := decode[api.ScheduleSummary](t, body)
	if resp.StatusCode != 200 || !late.Written || late.Created != 1 || late.Moved != 0 {
		t.Fatalf("place-late: %d %s", resp.StatusCode, body)
	}
	_, body = f.Do(roleOrg, "GET", ev+"/grid", "")
	for _, m := range decode[matchgrid.GridView](t, body).Meetings {
		if p, ok := previewed[m.ID]; ok && (p.Slot != m.Slot || p.Table != m.Table) {
			t.Errorf("place-late moved %s", m.ID)
		}
		if m.ID == "m-rAB" && !m.Locked {
			t.Error("m-rAB is not shown locked")
		}
	}
	_, body = f.Do(roleOrg, "POST", ev+"/meetings/m-rAB/unlock", "")
	if m := decode[struct{ Locked bool }](t, body); m.Locked {
		t.Errorf("unlock: %s", body)
	}

	_, body = f.Do(roleOrg, "GET", ev+"/stats", "")
	st := decode[matchgrid.EventStats](t, body)
	if st.Participants != 4 || st.MeetingsPlaced != 4 || st.MeetingsUnplaced != 0 || len(st.Slots) != 3 || st.AcceptanceRate != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// TestPublishConflictThroughTheAPI: a change to what the grid depends on
// between preview and publish is a 409, and nothing is written.
func TestPublishConflictThroughTheAPI(t *testing.T) {
	f := newFixture(t, web.Config{})
	const ev = "/api/v1/events/ev"
	if resp, body := f.Do(roleOrg, "POST", ev+"/grid/preview", `{"budget_ms":50}`); resp.StatusCode != 200 {
		t.Fatalf("preview: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.Do(roleB, "POST", ev+"/requests/rAB/accept", ""); resp.StatusCode != 200 {
		t.Fatal("accept failed")
	}
	resp, body := f.Do(roleOrg, "POST", ev+"/grid/publish", "")
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("publish after a change: %d %s", resp.StatusCode, body)
	}
	_, body = f.Do(roleOrg, "GET", ev+"/grid", "")
	if g := decode[matchgrid.GridView](t, body); len(g.Meetings) != 2 {
		t.Errorf("a refused publish changed the grid: %+v", g.Meetings)
	}
}
