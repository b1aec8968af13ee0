package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// Organizations are public: anonymous visitors read their profiles, as on
// every brokerage event's site. The organizer writes them, and a
// participant may edit the profile of the organization they represent.

func (s *API) listOrganizations(c *gin.Context) {
	p, ok := readPage(c)
	if !ok {
		return
	}
	var (
		orgs  []profiles.Organization
		total int
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if _, err := tx.Event(c.Param("event")); err != nil {
			return err
		}
		orgs, total, err = tx.OrganizationsPage(c.Param("event"), p.offset, p.limit)
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(orgs, total))
}

func (s *API) getOrganization(c *gin.Context) {
	var org *profiles.Organization
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		org, err = tx.Organization(c.Param("event"), c.Param("org"))
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, org)
}

func (s *API) createOrganization(c *gin.Context) {
	var org profiles.Organization
	if !readBody(c, &org, false) || !sameID(c, "event_id", &org.EventID, c.Param("event")) {
		return
	}
	if org.ID == "" {
		org.ID = profiles.NewID("org")
	}
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.CreateOrganization(&org) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Header("Location", apiPath("events", org.EventID, "organizations", org.ID))
	c.JSON(http.StatusCreated, org)
}

func (s *API) updateOrganization(c *gin.Context) {
	eventID, orgID := c.Param("event"), c.Param("org")
	var org profiles.Organization
	if !readBody(c, &org, false) || !sameID(c, "event_id", &org.EventID, eventID) || !sameID(c, "id", &org.ID, orgID) {
		return
	}
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		if !v.IsOrganizer() {
			p, err := tx.Participant(eventID, v.Participant)
			if err != nil {
				return err
			}
			if p.OrganizationID != orgID {
				return errNotYours("organization", orgID)
			}
		}
		return tx.UpdateOrganization(&org)
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, org)
}

func (s *API) deleteOrganization(c *gin.Context) {
	err := s.store.Update(func(tx *profiles.Tx) error { return tx.DeleteOrganization(c.Param("event"), c.Param("org")) })
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
