package calendar

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
)

// ErrInvalidAgenda reports an agenda entry that cannot be written (no UID,
// no start, end before start, ...).
var ErrInvalidAgenda = errors.New("calendar: invalid agenda entry")

// AgendaStatus is the calendar status of an agenda entry.
type AgendaStatus string

// Agenda statuses, as in iCalendar STATUS.
const (
	StatusConfirmed AgendaStatus = "CONFIRMED"
	StatusCancelled AgendaStatus = "CANCELLED"
)

// AgendaEntry is one meeting in one participant's agenda. It is independent
// of storage: the store keeps UID and Sequence per meeting and raises the
// sequence whenever the meeting moves or is cancelled, so that calendar
// applications update the event instead of adding a second one.
type AgendaEntry struct {
	MeetingID    string
	UID          string // stable, globally unique, e.g. "<meeting id>@<event host>"
	Sequence     int    // 0 for the first version, higher for every change
	Start, End   time.Time
	Slot         int
	Table        string // table label shown to the participant, e.g. "Table 12"
	Partner      string // the other participant's name
	Organization string // the partner's organization
	Status       AgendaStatus
	Description  string
	// VideoURL is the meeting's video call when a participant meets
	// online; WriteICS writes it as URL (and as LOCATION when Table is
	// empty), WriteAgendaCSV in its column.
	VideoURL string
}

// TableLabel is the default label of table index t: "Table t+1".
func TableLabel(t int) string { return fmt.Sprintf("Table %d", t+1) }

// AgendaFor lists the placed meetings of participant id in grid g, in time
// order, with times from the slots, the table label and the partner's name.
// UID and Sequence are left for the caller (the store owns them).
func AgendaFor(p *scheduler.Problem, g *scheduler.Grid, id string) ([]AgendaEntry, error) {
	if len(g.Placements) != len(p.Meetings) {
		return nil, fmt.Errorf("%w: %d placements for %d meetings", scheduler.ErrInvalidGrid, len(g.Placements), len(p.Meetings))
	}
	names := make(map[string]string, len(p.Participants))
	for _, pt := range p.Participants {
		names[pt.ID] = displayName(pt)
	}
	if _, ok := names[id]; !ok {
		return nil, fmt.Errorf("%w: participant %q does not exist", scheduler.ErrInvalidProblem, id)
	}
	var out []AgendaEntry
	for i, m := range p.Meetings {
		pl := g.Placements[i]
		if !pl.Placed() || (m.A != id && m.B != id) {
			continue
		}
		if pl.Slot >= len(p.Slots) {
			return nil, fmt.Errorf("%w: meeting %q: slot %d out of range", scheduler.ErrInvalidGrid, m.ID, pl.Slot)
		}
		partner := m.B
		if m.B == id {
			partner = m.A
		}
		sl := p.Slots[pl.Slot]
		out = append(out, AgendaEntry{
			MeetingID: m.ID, Start: sl.Start, End: sl.End, Slot: pl.Slot,
			Table: TableLabel(pl.Table), Partner: names[partner], Status: StatusConfirmed,
		})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Slot < out[b].Slot })
	return out, nil
}

// displayName is the participant's name, or its ID when the name is empty.
func displayName(pt scheduler.Participant) string {
	if pt.Name != "" {
		return pt.Name
	}
	return pt.ID
}
