package api

import (
	"bytes"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
)

// AgendaView is a participant's agenda as JSON.
type AgendaView struct {
	EventID       string        `json:"event_id"`
	ParticipantID string        `json:"participant_id"`
	TimeZone      string        `json:"time_zone"`
	Meetings      []AgendaEntry `json:"meetings"`
}

// AgendaEntry is one meeting of an agenda; cancelled meetings stay listed
// with status CANCELLED so that clients can drop them.
type AgendaEntry struct {
	MeetingID    string    `json:"meeting_id"`
	UID          string    `json:"uid"`
	Sequence     int       `json:"sequence"`
	Slot         int       `json:"slot"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Table        string    `json:"table"`
	Partner      string    `json:"partner"`
	Organization string    `json:"organization"`
	Status       string    `json:"status"` // CONFIRMED or CANCELLED
}

// agenda reads the agenda of the :participant of :event, answering errors itself.
func (s *API) agenda(c *gin.Context) (*profiles.Event, []calendar.AgendaEntry, bool) {
	ev, entries, err := s.engine.Agenda(c.Param("event"), c.Param("participant"))
	if err != nil {
		s.apiProblem(c, err)
		return nil, nil, false
	}
	return ev, entries, true
}

func (s *API) agendaJSON(c *gin.Context) {
	ev, entries, ok := s.agenda(c)
	if !ok {
		return
	}
	view := AgendaView{EventID: ev.ID, ParticipantID: c.Param("participant"), TimeZone: ev.TimeZone, Meetings: make([]AgendaEntry, len(entries))}
	for i, e := range entries {
		view.Meetings[i] = AgendaEntry{MeetingID: e.MeetingID, UID: e.UID, Sequence: e.Sequence, Slot: e.Slot, Start: e.Start, End: e.End,
			Table: e.Table, Partner: e.Partner, Organization: e.Organization, Status: string(e.Status)}
	}
	c.JSON(http.StatusOK, view)
}

func (s *API) agendaICS(c *gin.Context) {
	ev, entries, ok := s.agenda(c)
	if !ok {
		return
	}
	loc, err := ev.Location()
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	var buf bytes.Buffer
	cal := calendar.Calendar{Name: ev.Name, Location: ev.Venue, Stamp: time.Now().UTC().Truncate(time.Second), TimeZone: loc}
	if err := calendar.WriteICS(&buf, cal, entries); err != nil {
		s.apiProblem(c, err)
		return
	}
	attachment(c, ev.ID+"-"+c.Param("participant")+".ics", "text/calendar; charset=utf-8", buf.Bytes())
}

func (s *API) agendaCSV(c *gin.Context) {
	ev, entries, ok := s.agenda(c)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := calendar.WriteAgendaCSV(&buf, entries); err != nil {
		s.apiProblem(c, err)
		return
	}
	attachment(c, ev.ID+"-"+c.Param("participant")+".csv", "text/csv; charset=utf-8", buf.Bytes())
}
