package site

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// WidgetRoute is the route of the embeddable suggestions widget, the one
// page other sites may frame (see securityHeaders).
const WidgetRoute = "/e/:event/widget/suggestions"

// widgetShown is how many partners the embeddable widget lists.
const widgetShown = 8

// widgetPage is GET /e/:event/widget/suggestions?p=PARTICIPANT&token=TOKEN:
// a compact list of a participant's suggested partners for another portal
// to put in an iframe. The token is the participant's widget token
// (auth.Sessions.WidgetToken): read-only, for this page alone, revocable,
// never the personal-link secret. No cookie is set: a third-party frame
// would not send it back anyway (SameSite=Lax). Framing is allowed to Config.FrameAncestors only (see
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
		if p, err = tx.Participant(eventID, c.Query("p")); err != nil {
			return err
		}
		if !s.sessions.ValidWidgetToken(eventID, p.ID, p.WidgetNonce, c.Query("token")) {
			return fmt.Errorf("widget token: %w", profiles.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		if s.sessions.Logins.Wrong(c.ClientIP(), "links/"+eventID, time.Now()) {
			s.tooManyAttempts(c)
			return
		}
		s.errorPage(c, http.StatusNotFound, s.tr(c, "error.widget", nil))
		return
	}
	views, err := s.suggestionsFor(eventID, p.ID, widgetShown, false)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "widget", &pageView{Title: "title.suggestions", Event: ev, Flash: &flash{}, Data: struct {
		Name        string
		Suggestions []suggestionView
	}{p.Name(), views}})
}

// issueWidget is POST /e/:event/me/widget: a new widget address for the
// participant, which replaces (revokes) any earlier one.
func (s *Site) issueWidget(c *gin.Context) {
	s.setWidget(c, profiles.NewSecret(), "flash.widget_issued")
}

// revokeWidget is POST /e/:event/me/widget/revoke: the widget address stops working.
func (s *Site) revokeWidget(c *gin.Context) { s.setWidget(c, "", "flash.widget_revoked") }

func (s *Site) setWidget(c *gin.Context, nonce, done string) {
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		me.WidgetNonce = nonce
		return tx.UpdateParticipant(me)
	})
	s.saved(c, err, s.tr(c, done, nil))
}
