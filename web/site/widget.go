package site

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// WidgetRoute is the route of the embeddable suggestions widget, the one
// page other sites may frame (see securityHeaders).
const WidgetRoute = "/e/:event/widget/suggestions"

// widgetShown is how many partners the embeddable widget lists.
const widgetShown = 8

// widgetPage is GET /e/:event/widget/suggestions?key=SECRET: a compact list
// of a participant's suggested partners for another portal to put in an
// iframe. The personal-link secret in the address is the authorization and
// no cookie is set: a third-party frame would not send it back anyway
// (SameSite=Lax). Framing is allowed to Config.FrameAncestors only (see
// securityHeaders); every other page refuses to be framed.
func (s *Site) widgetPage(c *gin.Context) {
	eventID := c.Param("event")
	var (
		ev *profiles.Event
		p  *profiles.Participant
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if ev, err = tx.Event(eventID); err != nil {
			return err
		}
		p, err = tx.ParticipantBySecret(eventID, strings.TrimSpace(c.Query("key")))
		return err
	})
	if err != nil {
		if s.sessions.Logins.Wrong(c.ClientIP(), "links/"+eventID, time.Now()) {
			s.tooManyAttempts(c)
			return
		}
		s.invalidLink(c, eventID)
		return
	}
	views, err := s.suggestionsFor(eventID, p.ID, widgetShown)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "widget", &pageView{Title: "title.suggestions", Event: ev, Flash: &flash{}, Data: struct {
		Name        string
		Suggestions []suggestionView
	}{p.Name(), views}})
}
