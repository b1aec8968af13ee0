package site

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// signIn handles POST /login: the organizer's secret from a form field
// "secret" becomes a session cookie. It answers with a redirect to next (a
// local path) or, for API clients asking for JSON, with 204.
func (s *Site) signIn(c *gin.Context) {
	secret := strings.TrimSpace(c.PostForm("secret"))
	v, err := s.sessions.ViewerForSecret(secret)
	if err != nil || !v.IsOrganizer() {
		if !s.sessions.Logins.Wrong(c.ClientIP(), "organizer", time.Now()) {
			s.signInFailed(c)
		} else if wantsJSON(c) {
			c.Header("Retry-After", "60")
			httperr.Write(c, http.StatusTooManyRequests, "too many wrong secrets; wait a minute", "secret")
		} else {
			s.tooManyAttempts(c)
		}
		return
	}
	s.startSession(c, v, auth.LocalPath(c.PostForm("next"), "/organizer"))
}

// signInFailed answers a wrong secret: a browser goes back to the sign-in
// page with an error flag, an API client gets a problem document.
func (s *Site) signInFailed(c *gin.Context) {
	if strings.Contains(c.GetHeader("Accept"), "text/html") {
		c.Redirect(http.StatusSeeOther, "/login?failed=1&next="+url.QueryEscape(auth.LocalPath(c.PostForm("next"), "/organizer")))
		return
	}
	httperr.Write(c, http.StatusUnauthorized, "wrong organizer secret", "secret")
}

// personalLink handles GET /e/:event/link?key=SECRET: a participant's
// personal link becomes a session cookie and a redirect to their page, so
// the secret leaves the address bar and the browser history.
func (s *Site) personalLink(c *gin.Context) {
	eventID := c.Param("event")
	var p *profiles.Participant
	err := s.store.View(func(tx *profiles.Tx) (err error) {
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
	if p.LinkOpened == nil {
		s.markLinkOpened(eventID, p.ID)
	}
	s.startSession(c, auth.Viewer{Role: auth.Participant, Event: eventID, Participant: p.ID}, eventPath(eventID, "/me"))
}

// startSession sets the cookie for v and redirects to next (204 for a
// client that asked for JSON).
func (s *Site) startSession(c *gin.Context, v auth.Viewer, next string) {
	if err := s.sessions.Start(c, v); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	if wantsJSON(c) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// signOut handles POST /logout: the session ends in the store, not only
// in this browser.
func (s *Site) signOut(c *gin.Context) {
	if err := s.sessions.End(c); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/")
}

// invalidLink answers a personal link that is nobody's: most often an old
// one from an earlier e-mail, replaced since.
func (s *Site) invalidLink(c *gin.Context, eventID string) {
	var next *nextStep
	if ev, err := s.loadEvent(eventID); err == nil {
		next = &nextStep{s.tr(c, "error.go_to", map[string]any{"Name": ev.Name}), eventPath(ev.ID, "")}
	}
	s.errorPageNext(c, http.StatusNotFound, s.tr(c, "error.invalid_link", nil), next)
}

// wantsJSON reports whether the client asked for JSON (a script, not a
// browser following a link or posting a form).
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// markLinkOpened records a participant's first opening of a personal link.
// A failure only costs the dashboard a figure: it is logged, not shown.
func (s *Site) markLinkOpened(eventID, id string) {
	err := s.store.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant(eventID, id)
		if err != nil || p.LinkOpened != nil {
			return err
		}
		now := time.Now().UTC()
		p.LinkOpened = &now
		return tx.UpdateParticipant(p)
	})
	if err != nil {
		s.log.Warn("recording an opened personal link", "event", eventID, "participant", id, "err", err)
	}
}
