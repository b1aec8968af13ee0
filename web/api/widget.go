package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// WidgetView is a participant's widget address: a page of their suggested
// partners for another site's iframe, read-only, that signs nobody in.
type WidgetView struct {
	// Path is the address on this server, with its token.
	Path string `json:"path"`
}

// issueWidget gives the participant a new widget token (the old one stops
// working) and answers its address.
func (s *API) issueWidget(c *gin.Context) {
	nonce := profiles.NewSecret()
	if err := s.setWidgetNonce(c, nonce); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusCreated, WidgetView{Path: s.sessions.WidgetPath(c.Param("event"), c.Param("participant"), nonce)})
}

// revokeWidget ends the participant's widget address.
func (s *API) revokeWidget(c *gin.Context) {
	if err := s.setWidgetNonce(c, ""); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *API) setWidgetNonce(c *gin.Context, nonce string) error {
	return s.store.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant(c.Param("event"), c.Param("participant"))
		if err != nil {
			return err
		}
		p.WidgetNonce = nonce
		return tx.UpdateParticipant(p)
	})
}
