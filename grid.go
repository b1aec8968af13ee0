package matchgrid

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// The organizer's two-step grid: PreviewGrid computes a grid and keeps it
// in memory, the organizer looks at it, and PublishGrid writes exactly that
// grid. A preview is lost when the process stops; it is cheap to compute
// again.

// preview is a computed, unwritten grid of one event.
type preview struct {
	sol         *solution
	fingerprint [sha256.Size]byte // of the grid input the solution solves
	made        time.Time
}

// previewCache holds the latest preview of each event.
type previewCache struct {
	mu     sync.Mutex
	events map[string]*preview
}

func (c *previewCache) get(eventID string) *preview {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.events[eventID]
}

func (c *previewCache) put(eventID string, p *preview) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.events == nil {
		c.events = map[string]*preview{}
	}
	c.events[eventID] = p
}

// drop removes the preview of an event if it is still p.
func (c *previewCache) drop(eventID string, p *preview) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.events[eventID] == p {
		delete(c.events, eventID)
	}
}

func (e *Engine) previews() *previewCache { return &e.grids }

// PreviewGrid computes the grid of an event like Schedule does but writes
// nothing: it keeps the grid in memory as the event's preview (replacing
// an earlier one) for PublishGrid. opts.DryRun is ignored.
func (e *Engine) PreviewGrid(ctx context.Context, eventID string, opts ScheduleOptions) (*ScheduleReport, error) {
	sol, err := e.solve(ctx, eventID, opts)
	if err != nil {
		return nil, err
	}
	fp, err := sol.in.fingerprint()
	if err != nil {
		return nil, err
	}
	sol.spares = spareTradeoffs(ctx, sol.in, opts)
	e.previews().put(eventID, &preview{sol: sol, fingerprint: fp, made: time.Now()})
	return sol.report(), nil
}

// Preview returns the report of the event's current preview, or
// profiles.ErrNotFound when there is none.
func (e *Engine) Preview(eventID string) (*ScheduleReport, error) {
	p := e.previews().get(eventID)
	if p == nil {
		return nil, fmt.Errorf("grid preview of event %q: %w", eventID, profiles.ErrNotFound)
	}
	return p.sol.report(), nil
}

// PublishGrid writes the event's previewed grid, exactly as previewed, in
// one transaction, and forgets the preview. It fails with
// profiles.ErrNotFound when there is no preview, and with
// profiles.ErrConflict when what the grid was computed from has changed
// since (a request accepted or cancelled, a meeting locked or moved, a
// participant's availability, the event's slots or tables): preview again.
// Changes that do not touch the grid, such as a profile text, do not stop
// a publication.
func (e *Engine) PublishGrid(eventID string) (*ScheduleReport, error) {
	cache := e.previews()
	p := cache.get(eventID)
	if p == nil {
		return nil, fmt.Errorf("publish grid of event %q: no preview to publish, run a preview first: %w", eventID, profiles.ErrNotFound)
	}
	report := p.sol.report()
	err := e.store.Update(func(tx *profiles.Tx) error {
		same, err := p.sol.inputUnchanged(tx, eventID, p.fingerprint)
		if err != nil {
			return err
		}
		if !same {
			return fmt.Errorf("publish grid of event %q: requests, meetings or availability changed since the preview of %s; preview again: %w",
				eventID, p.made.Format(time.TimeOnly), profiles.ErrConflict)
		}
		return p.sol.in.write(tx, p.sol.result.Grid, report)
	})
	if err != nil {
		return nil, err
	}
	cache.drop(eventID, p)
	report.Written = true
	return report, nil
}

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

// PreviewView returns the event's current preview as a GridView, or
// profiles.ErrNotFound when there is none.
func (e *Engine) PreviewView(eventID string) (*GridView, error) {
	p := e.previews().get(eventID)
	if p == nil {
		return nil, fmt.Errorf("grid preview of event %q: %w", eventID, profiles.ErrNotFound)
	}
	var view *GridView
	err := e.store.View(func(tx *profiles.Tx) (err error) {
		view, err = gridView(tx, p.sol.in, p.sol.result.Grid, p.sol.result.Unplaced)
		return err
	})
	if view != nil {
		view.Preview = true
	}
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
