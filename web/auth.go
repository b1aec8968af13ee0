package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// role is who is asking: anonymous visitor, a participant of one event, or
// the organizer of every event in the data directory.
type role int

const (
	roleAnonymous role = iota
	roleParticipant
	roleOrganizer
)

func (r role) String() string {
	switch r {
	case roleParticipant:
		return "participant"
	case roleOrganizer:
		return "organizer"
	}
	return "anonymous"
}

// viewer is the authenticated identity of a request.
type viewer struct {
	Role        role
	Event       string // participants: the event they belong to
	Participant string // participants: their ID
}

// IsOrganizer reports whether the viewer is the organizer.
func (v viewer) IsOrganizer() bool { return v.Role == roleOrganizer }

// IsParticipantOf reports whether the viewer is a participant of eventID.
func (v viewer) IsParticipantOf(eventID string) bool {
	return v.Role == roleParticipant && v.Event == eventID
}

// Is reports whether the viewer is participant participantID of eventID.
func (v viewer) Is(eventID, participantID string) bool {
	return v.IsParticipantOf(eventID) && v.Participant == participantID
}

// viewerKey is the gin context key of the request's viewer.
const viewerKey = "matchgrid.viewer"

// viewerOf returns the viewer that authenticate found for c.
func viewerOf(c *gin.Context) viewer {
	if v, ok := c.Get(viewerKey); ok {
		return v.(viewer)
	}
	return viewer{}
}

// authenticate finds the viewer from a Bearer token (the organizer's
// secret, or a participant's personal-link secret) or from the session
// cookie. A bad token is refused; a bad or stale cookie is dropped and the
// request continues anonymously.
func (s *Server) authenticate(c *gin.Context) {
	if h := c.GetHeader("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			c.Header("WWW-Authenticate", `Bearer realm="matchgrid"`)
			problem(c, http.StatusUnauthorized, "the Authorization header must be \"Bearer <secret>\"", "Authorization")
			return
		}
		if !s.loginLimit.ready(c.ClientIP(), time.Now()) {
			problem(c, http.StatusTooManyRequests, "too many sign-in attempts; wait a minute", "")
			return
		}
		v, err := s.viewerForSecret(strings.TrimSpace(token))
		if err != nil {
			s.loginLimit.allow(c.ClientIP(), time.Now())
			c.Header("WWW-Authenticate", `Bearer realm="matchgrid", error="invalid_token"`)
			problem(c, http.StatusUnauthorized, "unknown or revoked secret", "Authorization")
			return
		}
		c.Set(viewerKey, v)
		c.Next()
		return
	}
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if v, err := s.viewerForCookie(cookie); err == nil {
			c.Set(viewerKey, v)
		} else {
			s.clearSession(c.Writer, c.Request)
		}
	}
	c.Next()
}

// viewerForSecret resolves a secret: the organizer's, or a participant's in
// any event. Hashes are compared in constant time.
func (s *Server) viewerForSecret(secret string) (viewer, error) {
	if secret == "" {
		return viewer{}, errBadSession
	}
	hash := profiles.HashSecret(secret)
	var v viewer
	err := s.store.View(func(tx *profiles.Tx) error {
		if org := tx.OrganizerSecretHash(); org != "" && subtle.ConstantTimeCompare([]byte(org), []byte(hash)) == 1 {
			v = viewer{Role: roleOrganizer}
			return nil
		}
		events, err := tx.Events()
		if err != nil {
			return err
		}
		for _, ev := range events {
			p, err := tx.ParticipantBySecret(ev.ID, secret)
			if errors.Is(err, profiles.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			v = viewer{Role: roleParticipant, Event: ev.ID, Participant: p.ID}
			return nil
		}
		return errBadSession
	})
	return v, err
}

// viewerForCookie verifies a session cookie and that the secret it was
// issued for is still the current one.
func (s *Server) viewerForCookie(value string) (viewer, error) {
	sess, err := s.signer.decode(value, time.Now())
	if err != nil {
		return viewer{}, err
	}
	var current string
	err = s.store.View(func(tx *profiles.Tx) error {
		switch sess.Role {
		case roleOrganizer:
			current = tx.OrganizerSecretHash()
		case roleParticipant:
			p, err := tx.Participant(sess.Event, sess.Participant)
			if err != nil {
				return err
			}
			current = p.SecretHash
		default:
			return errBadSession
		}
		return nil
	})
	if err != nil || current == "" || subtle.ConstantTimeCompare([]byte(bindOf(current)), []byte(sess.Bind)) != 1 {
		return viewer{}, errBadSession
	}
	return viewer{Role: sess.Role, Event: sess.Event, Participant: sess.Participant}, nil
}

// requireOrganizer lets only the organizer through: 401 for anonymous
// visitors, 403 for participants.
func requireOrganizer(c *gin.Context) {
	switch viewerOf(c).Role {
	case roleOrganizer:
		c.Next()
	case roleAnonymous:
		problem(c, http.StatusUnauthorized, "sign in as the organizer", "")
	default:
		problem(c, http.StatusForbidden, "only the organizer may do this", "")
	}
}

// requireMember lets through the organizer and participants of the event
// named by the :event path parameter.
func requireMember(c *gin.Context) {
	v := viewerOf(c)
	switch {
	case v.IsOrganizer() || v.IsParticipantOf(c.Param("event")):
		c.Next()
	case v.Role == roleAnonymous:
		problem(c, http.StatusUnauthorized, "open your personal link or sign in", "")
	default:
		problem(c, http.StatusForbidden, "you are not a participant of this event", "")
	}
}

// requireSelfOrOrganizer lets through the organizer and the participant
// named by the :event and :participant path parameters.
func requireSelfOrOrganizer(c *gin.Context) {
	v := viewerOf(c)
	switch {
	case v.IsOrganizer() || v.Is(c.Param("event"), c.Param("participant")):
		c.Next()
	case v.Role == roleAnonymous:
		problem(c, http.StatusUnauthorized, "open your personal link or sign in", "")
	default:
		problem(c, http.StatusForbidden, "this belongs to another participant", "")
	}
}

// signIn handles POST /login: the organizer's secret from a form field
// "secret" becomes a session cookie. It answers with a redirect to next (a
// local path) or, for API clients asking for JSON, with 204.
func (s *Server) signIn(c *gin.Context) {
	if !s.loginLimit.ready(c.ClientIP(), time.Now()) {
		problem(c, http.StatusTooManyRequests, "too many sign-in attempts; wait a minute", "")
		return
	}
	secret := strings.TrimSpace(c.PostForm("secret"))
	v, err := s.viewerForSecret(secret)
	if err != nil || !v.IsOrganizer() {
		s.loginLimit.allow(c.ClientIP(), time.Now())
		s.signInFailed(c)
		return
	}
	s.startSession(c, v, localPath(c.PostForm("next"), "/organizer"))
}

// signInFailed answers a wrong secret: a browser goes back to the sign-in
// page with an error flag, an API client gets a problem document.
func (s *Server) signInFailed(c *gin.Context) {
	if strings.Contains(c.GetHeader("Accept"), "text/html") {
		c.Redirect(http.StatusSeeOther, "/login?failed=1&next="+url.QueryEscape(localPath(c.PostForm("next"), "/organizer")))
		return
	}
	problem(c, http.StatusUnauthorized, "wrong organizer secret", "secret")
}

// personalLink handles GET /e/:event/link?key=SECRET: a participant's
// personal link becomes a session cookie and a redirect to their page, so
// the secret leaves the address bar and the browser history.
func (s *Server) personalLink(c *gin.Context) {
	if !s.loginLimit.ready(c.ClientIP(), time.Now()) {
		problem(c, http.StatusTooManyRequests, "too many sign-in attempts; wait a minute", "")
		return
	}
	eventID := c.Param("event")
	var p *profiles.Participant
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		p, err = tx.ParticipantBySecret(eventID, strings.TrimSpace(c.Query("key")))
		return err
	})
	if err != nil {
		s.loginLimit.allow(c.ClientIP(), time.Now())
		problem(c, http.StatusNotFound, "this personal link is unknown or was replaced by a newer one; ask the organizer for yours", "key")
		return
	}
	s.startSession(c, viewer{Role: roleParticipant, Event: eventID, Participant: p.ID}, "/e/"+url.PathEscape(eventID)+"/me")
}

// startSession sets the cookie for v and redirects to next.
func (s *Server) startSession(c *gin.Context, v viewer, next string) {
	var bind string
	ttl := participantSessionTTL
	_ = s.store.View(func(tx *profiles.Tx) error {
		if v.IsOrganizer() {
			bind, ttl = tx.OrganizerSecretHash(), organizerSessionTTL
			return nil
		}
		p, err := tx.Participant(v.Event, v.Participant)
		if err == nil {
			bind = p.SecretHash
		}
		return err
	})
	s.setSession(c.Writer, c.Request, session{Role: v.Role, Event: v.Event, Participant: v.Participant, Bind: bindOf(bind)}, ttl)
	if strings.Contains(c.GetHeader("Accept"), "application/json") {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// signOut handles POST /logout.
func (s *Server) signOut(c *gin.Context) {
	s.clearSession(c.Writer, c.Request)
	c.Redirect(http.StatusSeeOther, "/")
}

// localPath returns p if it is a path on this site, else def: a redirect
// target from a form must not send the user elsewhere.
func localPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}
