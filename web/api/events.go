package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/httperr"
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
	return p, readInts(c, intParam{"limit", &p.limit, 1, maxLimit}, intParam{"offset", &p.offset, 0, 1 << 30})
}

// intParam is an integer query parameter with its range.
type intParam struct {
	name     string
	dst      *int
	min, max int
}

// readInts parses integer query parameters that are present, answering
// 400 naming the parameter when one is not a number in its range.
func readInts(c *gin.Context, params ...intParam) bool {
	for _, q := range params {
		v, ok := c.GetQuery(q.name)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < q.min || n > q.max {
			httperr.Write(c, http.StatusBadRequest, "query parameter "+q.name+"="+strconv.Quote(v)+" must be a whole number from "+strconv.Itoa(q.min)+" to "+strconv.Itoa(q.max), q.name)
			return false
		}
		*q.dst = n
	}
	return true
}

// List is the body of every list response.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newList[T any](items []T, total int) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total}
}

// joinComma joins values with ", " for documentation and messages.
func joinComma[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// apiPath returns the API path of an entity for Location headers.
func apiPath(segments ...string) string {
	var b strings.Builder
	b.WriteString("/api/v1")
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// sameID checks an ID given in a body against the one in the URL: empty
// takes the URL's, anything else must equal it. It answers 422 itself.
func sameID(c *gin.Context, field string, body *string, path string) bool {
	if *body == "" {
		*body = path
		return true
	}
	if *body != path {
		httperr.Write(c, http.StatusUnprocessableEntity, field+" "+strconv.Quote(*body)+" in the body differs from "+strconv.Quote(path)+" in the URL", field)
		return false
	}
	return true
}

// EventView is an event as the API shows it, with its derived slots.
type EventView struct {
	profiles.Event
	Slots []profiles.Slot `json:"slots"`
}

func newEventView(ev *profiles.Event) (EventView, error) {
	slots, err := ev.Slots()
	return EventView{Event: *ev, Slots: slots}, err
}

func (s *API) listEvents(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	var events []profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
		s.apiProblem(c, err)
		return
	}
	total := len(events)
	events = events[min(p.offset, total):min(p.offset+p.limit, total)]
	c.JSON(http.StatusOK, newList(events, total))
}

func (s *API) getEvent(c *gin.Context) {
	var ev *profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { ev, err = tx.Event(c.Param("event")); return err }); err != nil {
		s.apiProblem(c, err)
		return
	}
	s.writeEvent(c, http.StatusOK, ev)
}

func (s *API) writeEvent(c *gin.Context, status int, ev *profiles.Event) {
	view, err := newEventView(ev)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(status, view)
}

func (s *API) createEvent(c *gin.Context) {
	var ev profiles.Event
	if !readBody(c, &ev, false) {
		return
	}
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.CreateEvent(&ev) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Header("Location", apiPath("events", ev.ID))
	s.writeEvent(c, http.StatusCreated, &ev)
}

func (s *API) updateEvent(c *gin.Context) {
	var ev profiles.Event
	if !readBody(c, &ev, false) || !sameID(c, "id", &ev.ID, c.Param("event")) {
		return
	}
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.UpdateEvent(&ev) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	s.writeEvent(c, http.StatusOK, &ev)
}

func (s *API) deleteEvent(c *gin.Context) {
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.DeleteEvent(c.Param("event")) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
