package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// Opportunities are read by the event's members; a participant writes
// only their own, the organizer any.

func (s *API) listOpportunities(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	eventID := c.Param("event")
	var opps []profiles.Opportunity
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if owner := c.Query("participant"); owner != "" {
			if _, err := tx.Participant(eventID, owner); err != nil {
				return err
			}
			opps, err = tx.OpportunitiesOfParticipant(eventID, owner)
			return err
		}
		opps, err = tx.Opportunities(eventID)
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	total := len(opps)
	c.JSON(http.StatusOK, newList(opps[min(p.offset, total):min(p.offset+p.limit, total)], total))
}

func (s *API) getOpportunity(c *gin.Context) {
	var o *profiles.Opportunity
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		o, err = tx.Opportunity(c.Param("event"), c.Param("opp"))
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, o)
}

// checkOwner refuses a participant acting for someone else: the
// opportunity's participant_id must be the viewer's own.
func checkOwner(v auth.Viewer, participantID string) error {
	if v.IsOrganizer() || participantID == v.Participant {
		return nil
	}
	return &httperr.ForbiddenField{Field: "participant_id",
		Err: fmt.Errorf("participant_id %q: a participant publishes opportunities only for themselves: %w", participantID, profiles.ErrForbidden)}
}

func (s *API) createOpportunity(c *gin.Context) {
	var o profiles.Opportunity
	if !readBody(c, &o, false) || !sameID(c, "event_id", &o.EventID, c.Param("event")) {
		return
	}
	v := auth.ViewerOf(c)
	if o.ParticipantID == "" && !v.IsOrganizer() {
		o.ParticipantID = v.Participant
	}
	if o.ID == "" {
		o.ID = profiles.NewID("opp")
	}
	err := checkOwner(v, o.ParticipantID)
	if err == nil {
		err = s.store.Update(func(tx *profiles.Tx) error { return tx.CreateOpportunity(&o) })
	}
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Header("Location", apiPath("events", o.EventID, "opportunities", o.ID))
	c.JSON(http.StatusCreated, o)
}

func (s *API) updateOpportunity(c *gin.Context) {
	eventID, id := c.Param("event"), c.Param("opp")
	var o profiles.Opportunity
	if !readBody(c, &o, false) || !sameID(c, "event_id", &o.EventID, eventID) || !sameID(c, "id", &o.ID, id) {
		return
	}
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		old, err := ownOpportunity(tx, v, eventID, id)
		if err != nil {
			return err
		}
		if o.ParticipantID == "" {
			o.ParticipantID = old.ParticipantID
		}
		if err := checkOwner(v, o.ParticipantID); err != nil {
			return err
		}
		return tx.UpdateOpportunity(&o)
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, o)
}

func (s *API) deleteOpportunity(c *gin.Context) {
	eventID, id := c.Param("event"), c.Param("opp")
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		if _, err := ownOpportunity(tx, v, eventID, id); err != nil {
			return err
		}
		return tx.DeleteOpportunity(eventID, id)
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// ownOpportunity reads an opportunity the viewer may change: the organizer
// any, a participant only their own.
func ownOpportunity(tx *profiles.Tx, v auth.Viewer, eventID, id string) (*profiles.Opportunity, error) {
	o, err := tx.Opportunity(eventID, id)
	if err != nil {
		return nil, err
	}
	if !v.IsOrganizer() && o.ParticipantID != v.Participant {
		return nil, errNotYours("opportunity", id)
	}
	return o, nil
}
