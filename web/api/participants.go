package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// ParticipantView is a participant as the API shows them. The private
// fields (e-mail, availability, blocked, limits, whether a personal link
// was issued) appear only for the organizer and the participant
// themselves; others see the participant as the marketplace does. The
// secret hash never leaves the server.
type ParticipantView struct {
	ID             string                     `json:"id"`
	EventID        string                     `json:"event_id"`
	OrganizationID string                     `json:"organization_id"`
	FirstName      string                     `json:"first_name"`
	LastName       string                     `json:"last_name"`
	JobTitle       string                     `json:"job_title,omitempty"`
	Type           profiles.ParticipationType `json:"type"`
	Languages      []string                   `json:"languages,omitempty"`

	Email       string            `json:"email,omitempty"`
	TimeZone    string            `json:"time_zone,omitempty"`
	Unavailable []profiles.Period `json:"unavailable,omitempty"`
	MaxMeetings int               `json:"max_meetings,omitempty"`
	OwnTable    *int              `json:"own_table,omitempty"`
	Blocked     []string          `json:"blocked,omitempty"`
	Saved       []string          `json:"saved,omitempty"`
	Dismissed   []string          `json:"dismissed,omitempty"`
	HasLink     bool              `json:"has_link,omitempty"`
}

// publicParticipant is p as other participants see them.
func publicParticipant(p *profiles.Participant) ParticipantView {
	return ParticipantView{ID: p.ID, EventID: p.EventID, OrganizationID: p.OrganizationID, FirstName: p.FirstName, LastName: p.LastName,
		JobTitle: p.JobTitle, Type: p.Type, Languages: p.Languages}
}

// privateParticipant is p as the organizer and p themselves see them.
func privateParticipant(p *profiles.Participant) ParticipantView {
	v := publicParticipant(p)
	v.Email, v.Unavailable, v.MaxMeetings, v.OwnTable, v.Blocked = p.Email, p.Unavailable, p.MaxMeetings, p.OwnTable, p.Blocked
	v.TimeZone, v.Saved, v.Dismissed = p.TimeZone, p.Saved, p.Dismissed
	v.HasLink = p.SecretHash != ""
	return v
}

// participantFor is p as viewer v may see them.
func participantFor(v auth.Viewer, p *profiles.Participant) ParticipantView {
	if v.IsOrganizer() || v.Is(p.EventID, p.ID) {
		return privateParticipant(p)
	}
	return publicParticipant(p)
}

// ParticipantInput is the body that creates or replaces a participant.
// Personal-link secrets are issued by the organizer's links export, never
// set through this body.
type ParticipantInput struct {
	ID             string                     `json:"id,omitempty"`
	OrganizationID string                     `json:"organization_id"`
	FirstName      string                     `json:"first_name"`
	LastName       string                     `json:"last_name"`
	Email          string                     `json:"email,omitempty"`
	JobTitle       string                     `json:"job_title,omitempty"`
	Type           profiles.ParticipationType `json:"type"`
	Languages      []string                   `json:"languages,omitempty"`
	TimeZone       string                     `json:"time_zone,omitempty"`
	Unavailable    []profiles.Period          `json:"unavailable,omitempty"`
	MaxMeetings    int                        `json:"max_meetings,omitempty"`
	OwnTable       *int                       `json:"own_table,omitempty"`
	Blocked        []string                   `json:"blocked,omitempty"`
	// Saved and Dismissed (bookmarked, "not interested") are kept as
	// stored when omitted.
	Saved     *[]string `json:"saved,omitempty"`
	Dismissed *[]string `json:"dismissed,omitempty"`
}

// apply copies the input onto p, keeping p's ID, event and secret.
func (in *ParticipantInput) apply(p *profiles.Participant) {
	p.OrganizationID, p.FirstName, p.LastName, p.Email, p.JobTitle = in.OrganizationID, in.FirstName, in.LastName, in.Email, in.JobTitle
	p.TimeZone = in.TimeZone
	p.Type, p.Languages, p.Unavailable, p.MaxMeetings, p.OwnTable, p.Blocked = in.Type, in.Languages, in.Unavailable, in.MaxMeetings, in.OwnTable, in.Blocked
	if in.Saved != nil {
		p.Saved = *in.Saved
	}
	if in.Dismissed != nil {
		p.Dismissed = *in.Dismissed
	}
}

// organizerOnlyField returns the first field the organizer alone decides
// (whom a participant represents, how they take part, their table) that in
// would change in p; "" when none. Participants set their own availability
// and maximum number of meetings.
func (in *ParticipantInput) organizerOnlyField(p *profiles.Participant) string {
	switch {
	case in.OrganizationID != p.OrganizationID:
		return "organization_id"
	case in.Type != p.Type:
		return "type"
	case (in.OwnTable == nil) != (p.OwnTable == nil) || (in.OwnTable != nil && *in.OwnTable != *p.OwnTable):
		return "own_table"
	}
	return ""
}

func (s *API) listParticipants(c *gin.Context) {
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
		s.apiProblem(c, err)
		return
	}
	v := auth.ViewerOf(c)
	views := make([]ParticipantView, len(people))
	for i := range people {
		views[i] = participantFor(v, &people[i])
	}
	c.JSON(http.StatusOK, newList(views, total))
}

func (s *API) getParticipant(c *gin.Context) {
	var p *profiles.Participant
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		p, err = tx.Participant(c.Param("event"), c.Param("participant"))
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, participantFor(auth.ViewerOf(c), p))
}

func (s *API) createParticipant(c *gin.Context) {
	var in ParticipantInput
	if !readBody(c, &in, false) {
		return
	}
	p := &profiles.Participant{ID: in.ID, EventID: c.Param("event")}
	if p.ID == "" {
		p.ID = profiles.NewID("p")
	}
	in.apply(p)
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.CreateParticipant(p) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Header("Location", apiPath("events", p.EventID, "participants", p.ID))
	c.JSON(http.StatusCreated, privateParticipant(p))
}

func (s *API) updateParticipant(c *gin.Context) {
	eventID, id := c.Param("event"), c.Param("participant")
	var in ParticipantInput
	if !readBody(c, &in, false) || !sameID(c, "id", &in.ID, id) {
		return
	}
	v := auth.ViewerOf(c)
	var p *profiles.Participant
	err := s.store.Update(func(tx *profiles.Tx) (err error) {
		if p, err = tx.Participant(eventID, id); err != nil {
			return err
		}
		if !v.IsOrganizer() {
			if !v.Is(eventID, id) { // the gate checks this already; a profile is worth checking twice
				return errNotYours("participant", id)
			}
			if f := in.organizerOnlyField(p); f != "" {
				return &httperr.ForbiddenField{Field: f, Err: fmt.Errorf("participant %q: only the organizer may change %s: %w", id, f, profiles.ErrForbidden)}
			}
		}
		in.apply(p)
		return tx.UpdateParticipant(p)
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, privateParticipant(p))
}

func (s *API) deleteParticipant(c *gin.Context) {
	err := s.store.Update(func(tx *profiles.Tx) error { return tx.DeleteParticipant(c.Param("event"), c.Param("participant")) })
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
