package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
)

// agendaView is a participant's agenda as JSON.
type agendaView struct {
	EventID       string        `json:"event_id"`
	ParticipantID string        `json:"participant_id"`
	TimeZone      string        `json:"time_zone"`
	Meetings      []agendaEntry `json:"meetings"`
}

// agendaEntry is one meeting of an agenda; cancelled meetings stay listed
// with status CANCELLED so that clients can drop them.
type agendaEntry struct {
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
func (s *Server) agenda(c *gin.Context) (*profiles.Event, []calendar.AgendaEntry, bool) {
	ev, entries, err := s.engine.Agenda(c.Param("event"), c.Param("participant"))
	if err != nil {
		s.apiProblem(c, err)
		return nil, nil, false
	}
	return ev, entries, true
}

func (s *Server) agendaJSON(c *gin.Context) {
	ev, entries, ok := s.agenda(c)
	if !ok {
		return
	}
	view := agendaView{EventID: ev.ID, ParticipantID: c.Param("participant"), TimeZone: ev.TimeZone, Meetings: make([]agendaEntry, len(entries))}
	for i, e := range entries {
		view.Meetings[i] = agendaEntry{MeetingID: e.MeetingID, UID: e.UID, Sequence: e.Sequence, Slot: e.Slot, Start: e.Start, End: e.End,
			Table: e.Table, Partner: e.Partner, Organization: e.Organization, Status: string(e.Status)}
	}
	c.JSON(http.StatusOK, view)
}

func (s *Server) agendaICS(c *gin.Context) {
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

func (s *Server) agendaCSV(c *gin.Context) {
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
