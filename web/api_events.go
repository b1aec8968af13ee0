package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// page is the paging of a list request.
type page struct{ limit, offset int }

const (
	defaultLimit = 50
	maxLimit     = 500
)

// readPage parses limit and offset, answering 400 itself when they are bad.
func readPage(c *gin.Context) (page, bool) {
	p := page{limit: defaultLimit}
	for _, q := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"limit", &p.limit, 1, maxLimit}, {"offset", &p.offset, 0, 1 << 30}} {
		v, ok := c.GetQuery(q.name)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < q.min || n > q.max {
			problem(c, http.StatusBadRequest, "query parameter "+q.name+"="+strconv.Quote(v)+" must be a whole number from "+strconv.Itoa(q.min)+" to "+strconv.Itoa(q.max), q.name)
			return p, false
		}
		*q.dst = n
	}
	return p, true
}

// list is the body of every list response.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newList[T any](items []T, total int) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total}
}

// eventView is an event as the API shows it, with its derived slots.
type eventView struct {
	profiles.Event
	Slots []profiles.Slot `json:"slots"`
}

func (s *Server) listEvents(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	var events []profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
		storeProblem(c, err)
		return
	}
	total := len(events)
	events = events[min(p.offset, total):min(p.offset+p.limit, total)]
	c.JSON(http.StatusOK, newList(events, total))
}

func (s *Server) getEvent(c *gin.Context) {
	var ev *profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { ev, err = tx.Event(c.Param("event")); return err }); err != nil {
		storeProblem(c, err)
		return
	}
	slots, err := ev.Slots()
	if err != nil {
		storeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, eventView{Event: *ev, Slots: slots})
}

func (s *Server) listOrganizations(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	var (
		orgs  []profiles.Organization
		total int
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		orgs, total, err = tx.OrganizationsPage(c.Param("event"), p.offset, p.limit)
		return err
	})
	if err != nil {
		storeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(orgs, total))
}

// participantView is a participant as others see them in the marketplace:
// no e-mail address, no availability, no secret.
type participantView struct {
	ID             string                     `json:"id"`
	OrganizationID string                     `json:"organization_id"`
	FirstName      string                     `json:"first_name"`
	LastName       string                     `json:"last_name"`
	JobTitle       string                     `json:"job_title,omitempty"`
	Type           profiles.ParticipationType `json:"type"`
	Languages      []string                   `json:"languages,omitempty"`
}

func publicParticipant(p *profiles.Participant) participantView {
	return participantView{ID: p.ID, OrganizationID: p.OrganizationID, FirstName: p.FirstName, LastName: p.LastName,
		JobTitle: p.JobTitle, Type: p.Type, Languages: p.Languages}
}

func (s *Server) listParticipants(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	var (
		people []profiles.Participant
		total  int
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		people, total, err = tx.ParticipantsPage(c.Param("event"), p.offset, p.limit)
		return err
	})
	if err != nil {
		storeProblem(c, err)
		return
	}
	views := make([]participantView, len(people))
	for i := range people {
		views[i] = publicParticipant(&people[i])
	}
	c.JSON(http.StatusOK, newList(views, total))
}
