package matchgrid

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// inputUnchanged takes the event's writer lock (so that no other writer of
// the event, in this process or another server, commits until tx ends) and
// reports whether the grid input is still what sol was computed from: the
// same store generation, or, after writes that did not touch the grid
// (another event, a profile text), the same fingerprint fp.
func (sol *solution) inputUnchanged(tx *profiles.Tx, eventID string, fp [sha256.Size]byte) (bool, error) {
	if err := tx.LockEvent(eventID); err != nil {
		return false, err
	}
	if tx.Generation() == sol.generation {
		return true, nil
	}
	now, err := readGridInput(tx, eventID, sol.keepPlaced)
	if err != nil {
		return false, err
	}
	nowFP, err := now.fingerprint()
	return nowFP == fp, err
}

// fingerprint hashes everything about the grid input that writing a grid
// depends on. Names are left out: renaming a participant changes no
// placement.
func (in *gridInput) fingerprint() ([sha256.Size]byte, error) {
	people := make([]scheduler.Participant, len(in.problem.Participants))
	for i, p := range in.problem.Participants {
		p.Name = ""
		people[i] = p
	}
	requests := make([]string, len(in.requests))
	for i, r := range in.requests {
		if r != nil {
			requests[i] = r.ID
		}
	}
	var buf bytes.Buffer
	err := json.NewEncoder(&buf).Encode(struct {
		Slots        []scheduler.Slot
		Participants []scheduler.Participant
		Meetings     []scheduler.Meeting
		Requests     []string
		Existing     []*profiles.Meeting
		ToCancel     []profiles.Meeting
	}{in.problem.Slots, people, in.problem.Meetings, requests, in.existing, in.toCancel})
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("grid of event %q: fingerprint: %w", in.eventID, err)
	}
	return sha256.Sum256(buf.Bytes()), nil
}

// SetMeetingLocked locks a meeting at its slot and table, so that later
// grids (Schedule, PreviewGrid) never move it, or unlocks it. Only a
// scheduled meeting can be locked (profiles.ErrConflict otherwise).
func (e *Engine) SetMeetingLocked(eventID, meetingID string, locked bool) error {
	return e.store.Update(func(tx *profiles.Tx) error {
		if err := tx.LockEvent(eventID); err != nil {
			return err
		}
		m, err := tx.Meeting(eventID, meetingID)
		if err != nil {
			return err
		}
		if locked && m.Status != profiles.MeetingScheduled {
			return fmt.Errorf("meeting %q is %s; only a scheduled meeting can be locked: %w", meetingID, m.Status, profiles.ErrConflict)
		}
		if m.Locked == locked {
			return nil
		}
		m.Locked = locked
		return tx.UpdateMeeting(m)
	})
}

// GridView is an event's grid as people look at it: its slots, its tables
// and the meetings placed on them, with names.
type GridView struct {
	EventID string `json:"event_id"`
	// Preview is true for a grid computed but not published.
	Preview  bool           `json:"preview"`
	Slots    []GridSlot     `json:"slots"`
	Tables   []string       `json:"tables"`
	Meetings []GridMeeting  `json:"meetings"`
	Unplaced []GridUnplaced `json:"unplaced"`
}

// GridSlot is one slot of a grid.
type GridSlot struct {
	Index int       `json:"index"`
	Label string    `json:"label"` // e.g. "Tue 16 Mar 09:00", in the event's time zone
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// GridSide is one participant of a meeting on the grid.
type GridSide struct {
	ParticipantID  string `json:"participant_id"`
	Name           string `json:"name"`
	OrganizationID string `json:"organization_id"`
	Organization   string `json:"organization"`
	// Online: the participant meets by video call.
	Online bool `json:"online,omitempty"`
}

// GridMeeting is one meeting placed on the grid.
type GridMeeting struct {
	ID        string   `json:"id"`
	RequestID string   `json:"request_id,omitempty"`
	A         GridSide `json:"a"`
	B         GridSide `json:"b"`
	Slot      int      `json:"slot"`
	Table     int      `json:"table"`
	TableName string   `json:"table_name"`
	Locked    bool     `json:"locked"`
	// VideoURL is the meeting's video-call link when a side is online and
	// the event has a link template (Table is -1 when both are online).
	VideoURL string `json:"video_url,omitempty"`
}

// GridUnplaced is an accepted meeting the grid has no place for, and why.
type GridUnplaced struct {
	ID     string   `json:"id"`
	A      GridSide `json:"a"`
	B      GridSide `json:"b"`
	Reason string   `json:"reason"`
}

// slotLabel is how a slot is named in grids and charts.
func slotLabel(s profiles.Slot) string { return s.Start.Format("Mon 2 Jan 15:04") }

// Grid returns the event's published grid: every scheduled meeting where
// the store has it.
func (e *Engine) Grid(eventID string) (*GridView, error) {
	var view *GridView
	err := e.store.View(func(tx *profiles.Tx) error {
		in, g, err := storedGrid(tx, eventID)
		if err != nil {
			return err
		}
		view, err = gridView(tx, in, g, nil)
		return err
	})
	return view, err
}

// gridView builds the view of grid g of problem in, naming the people.
func gridView(tx *profiles.Tx, in *gridInput, g *scheduler.Grid, unplaced []scheduler.UnplacedMeeting) (*GridView, error) {
	ev, err := tx.Event(in.eventID)
	if err != nil {
		return nil, err
	}
	slots, err := ev.Slots()
	if err != nil {
		return nil, err
	}
	view := &GridView{EventID: ev.ID, Slots: make([]GridSlot, len(slots)), Tables: make([]string, ev.Tables),
		Meetings: []GridMeeting{}, Unplaced: []GridUnplaced{}}
	for i, s := range slots {
		view.Slots[i] = GridSlot{Index: i, Label: slotLabel(s), Start: s.Start, End: s.End}
	}
	for t := range view.Tables {
		view.Tables[t] = ev.TableName(t)
	}
	sides := map[string]GridSide{}
	side := func(id string) (GridSide, error) {
		if s, ok := sides[id]; ok {
			return s, nil
		}
		p, err := tx.Participant(in.eventID, id)
		if err != nil {
			return GridSide{}, err
		}
		s := GridSide{ParticipantID: id, Name: p.Name(), OrganizationID: p.OrganizationID, Online: p.Type == profiles.TypeOnline}
		if org, err := tx.Organization(in.eventID, p.OrganizationID); err == nil {
			s.Organization = org.Name
		}
		sides[id] = s
		return s, nil
	}
	for i, m := range in.problem.Meetings {
		pl := g.Placements[i]
		if !pl.Placed() {
			continue
		}
		a, err := side(m.A)
		if err != nil {
			return nil, err
		}
		b, err := side(m.B)
		if err != nil {
			return nil, err
		}
		gm := GridMeeting{ID: m.ID, A: a, B: b, Slot: pl.Slot, Table: pl.Table, TableName: ev.TableName(pl.Table)}
		if pl.Table < 0 {
			gm.TableName = "" // a video call between two online participants
		}
		if a.Online || b.Online {
			gm.VideoURL = ev.VideoLink(profiles.MeetingUID(ev.ID, m.ID))
		}
		if r := in.requests[i]; r != nil {
			gm.RequestID = r.ID
		}
		if st := in.existing[i]; st != nil {
			gm.Locked = st.Locked
		}
		view.Meetings = append(view.Meetings, gm)
	}
	for _, u := range unplaced {
		m := in.problem.Meetings[u.Index]
		a, err := side(m.A)
		if err != nil {
			return nil, err
		}
		b, err := side(m.B)
		if err != nil {
			return nil, err
		}
		view.Unplaced = append(view.Unplaced, GridUnplaced{ID: m.ID, A: a, B: b, Reason: u.Reason})
	}
	return view, nil
}
