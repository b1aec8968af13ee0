package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// Role is who is asking: anonymous visitor, a participant of one event, or
// the organizer of every event in the data directory.
type Role int

// The roles.
const (
	Anonymous Role = iota
	Participant
	Organizer
)

func (r Role) String() string {
	switch r {
	case Participant:
		return "participant"
	case Organizer:
		return "organizer"
	}
	return "anonymous"
}

// Viewer is the authenticated identity of a request.
type Viewer struct {
	Role        Role
	Event       string // participants: the event they belong to
	Participant string // participants: their ID
}

// IsOrganizer reports whether the viewer is the organizer.
func (v Viewer) IsOrganizer() bool { return v.Role == Organizer }

// IsParticipant reports whether the viewer is a participant (of any event).
func (v Viewer) IsParticipant() bool { return v.Role == Participant }

// IsAnonymous reports whether nobody signed in.
func (v Viewer) IsAnonymous() bool { return v.Role == Anonymous }

// IsParticipantOf reports whether the viewer is a participant of eventID.
func (v Viewer) IsParticipantOf(eventID string) bool {
	return v.Role == Participant && v.Event == eventID
}

// Is reports whether the viewer is participant participantID of eventID.
func (v Viewer) Is(eventID, participantID string) bool {
	return v.IsParticipantOf(eventID) && v.Participant == participantID
}

// viewerKey is the gin context key of the request's viewer.
const viewerKey = "matchgrid.viewer"

// ViewerOf returns the viewer that Authenticate found for c.
func ViewerOf(c *gin.Context) Viewer {
	if v, ok := c.Get(viewerKey); ok {
		return v.(Viewer)
	}
	return Viewer{}
}

// ErrUnknownSecret is the error of a secret that is nobody's (or no longer).
var ErrUnknownSecret = errors.New("unknown or revoked secret")

// Sessions authenticates requests and issues session cookies over one
// store. Its sign-in limiter counts wrong secrets per client address and
// per target.
type Sessions struct {
	store  *profiles.Store
	signer signer
	secure bool
	// Logins limits wrong secrets per client address and per target.
	Logins *Guesses
	org    organizerCheck
}

// NewSessions reads the data directory's cookie-signing key, creating it on
// first start. With secureCookies, cookies are marked Secure even on plain
// HTTP (behind a TLS-terminating proxy).
func NewSessions(store *profiles.Store, secureCookies bool) (*Sessions, error) {
	key, err := sessionKey(store)
	if err != nil {
		return nil, err
	}
	return &Sessions{store: store, signer: signer{key: key}, secure: secureCookies,
		Logins: NewGuesses(store)}, nil
}

// sessionKey reads the store's cookie-signing key, creating it on first
// start. Reading and creating are one transaction, so that servers sharing
// a PostgreSQL store that start together still agree on one key.
func sessionKey(store *profiles.Store) ([]byte, error) {
	var key []byte
	err := store.Update(func(tx *profiles.Tx) error {
		if key = tx.SessionKey(); key != nil {
			return nil
		}
		key = make([]byte, profiles.SessionKeySize)
		rand.Read(key) // never fails (crypto/rand)
		return tx.SetSessionKey(key)
	})
	if err != nil {
		return nil, fmt.Errorf("auth: session key: %w", err)
	}
	return key, nil
}

// Authenticate finds the viewer from a Bearer token (the organizer's
// secret, or a participant's personal-link secret) or from the session
// cookie. A bad token is refused; a bad or stale cookie is dropped and the
// request continues anonymously.
func (s *Sessions) Authenticate(c *gin.Context) {
	if h := c.GetHeader("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			c.Header("WWW-Authenticate", `Bearer realm="matchgrid"`)
			httperr.Write(c, http.StatusUnauthorized, "the Authorization header must be \"Bearer <secret>\"", "Authorization")
			return
		}
		v, err := s.ViewerForSecret(strings.TrimSpace(token))
		if err != nil {
			if s.Logins.Wrong(c.ClientIP(), "bearer", time.Now()) {
				c.Header("Retry-After", "60")
				httperr.Write(c, http.StatusTooManyRequests, "too many wrong secrets; wait a minute", "Authorization")
				return
			}
			c.Header("WWW-Authenticate", `Bearer realm="matchgrid", error="invalid_token"`)
			httperr.Write(c, http.StatusUnauthorized, "unknown or revoked secret", "Authorization")
			return
		}
		c.Set(viewerKey, v)
		c.Next()
		return
	}
	if cookie, err := c.Cookie(SessionCookie); err == nil {
		if v, err := s.viewerForCookie(cookie); err == nil {
			c.Set(viewerKey, v)
		} else {
			s.Clear(c.Writer, c.Request)
		}
	}
	c.Next()
}

// ViewerForSecret resolves a secret: a participant's in any event (a
// lookup by its SHA-256), else the organizer's (Argon2id, see
// organizerCheck).
func (s *Sessions) ViewerForSecret(secret string) (Viewer, error) {
	if secret == "" {
		return Viewer{}, ErrUnknownSecret
	}
	var (
		v       Viewer
		orgHash string
	)
	err := s.store.View(func(tx *profiles.Tx) error {
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
			v = Viewer{Role: Participant, Event: ev.ID, Participant: p.ID}
			return nil
		}
		orgHash = tx.OrganizerSecretHash()
		return nil
	})
	if err != nil || v.Role == Participant {
		return v, err
	}
	if s.org.check(orgHash, secret) {
		return Viewer{Role: Organizer}, nil
	}
	return Viewer{}, ErrUnknownSecret
}

// viewerForCookie verifies a session cookie and that its session is still
// live in the store (not signed out, not ended by a new secret).
func (s *Sessions) viewerForCookie(value string) (Viewer, error) {
	now := time.Now()
	sess, err := s.signer.decode(value, now)
	if err != nil {
		return Viewer{}, err
	}
	err = s.store.View(func(tx *profiles.Tx) error {
		switch sess.Role {
		case Organizer:
			_, err := tx.BrowserSession("", "", sess.Token, now)
			return err
		case Participant:
			if _, err := tx.BrowserSession(sess.Event, sess.Participant, sess.Token, now); err != nil {
				return err
			}
			_, err := tx.Participant(sess.Event, sess.Participant)
			return err
		}
		return errBadSession
	})
	if err != nil {
		return Viewer{}, errBadSession
	}
	return Viewer{Role: sess.Role, Event: sess.Event, Participant: sess.Participant}, nil
}

// Start begins a session for v: a record in the store and its cookie.
func (s *Sessions) Start(c *gin.Context, v Viewer) error {
	ttl := participantSessionTTL
	if v.IsOrganizer() {
		ttl = organizerSessionTTL
	}
	now := time.Now()
	rec := profiles.BrowserSession{EventID: v.Event, ParticipantID: v.Participant, Created: now, Expires: now.Add(ttl)}
	var token string
	err := s.store.Update(func(tx *profiles.Tx) (err error) {
		token, err = tx.CreateSession(rec)
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: start session: %w", err)
	}
	s.set(c.Writer, c.Request, session{Role: v.Role, Event: v.Event, Participant: v.Participant, Token: token}, ttl)
	return nil
}

// End signs out: the cookie's session ends in the store, so a copy of the
// cookie replayed later is refused, and the cookie is removed.
func (s *Sessions) End(c *gin.Context) error {
	var err error
	if value, cerr := c.Cookie(SessionCookie); cerr == nil {
		if sess, derr := s.signer.decode(value, time.Now()); derr == nil {
			err = s.store.Update(func(tx *profiles.Tx) error {
				return tx.EndSession(sess.Event, sess.Participant, sess.Token)
			})
		}
	}
	s.Clear(c.Writer, c.Request)
	return err
}

// Secure reports whether cookies set in answer to r are marked Secure.
func (s *Sessions) Secure(r *http.Request) bool { return r.TLS != nil || s.secure }

// RequireOrganizer lets only the organizer through: 401 for anonymous
// visitors, 403 for participants.
func RequireOrganizer(c *gin.Context) {
	switch ViewerOf(c).Role {
	case Organizer:
		c.Next()
	case Anonymous:
		httperr.Write(c, http.StatusUnauthorized, "sign in as the organizer", "")
	default:
		httperr.Write(c, http.StatusForbidden, "only the organizer may do this", "")
	}
}

// RequireMember lets through the organizer and participants of the event
// named by the :event path parameter.
func RequireMember(c *gin.Context) {
	v := ViewerOf(c)
	switch {
	case v.IsOrganizer() || v.IsParticipantOf(c.Param("event")):
		c.Next()
	case v.Role == Anonymous:
		httperr.Write(c, http.StatusUnauthorized, "open your personal link or sign in", "")
	default:
		httperr.Write(c, http.StatusForbidden, "you are not a participant of this event", "")
	}
}

// RequireSelfOrOrganizer lets through the organizer and the participant
// named by the :event and :participant path parameters.
func RequireSelfOrOrganizer(c *gin.Context) {
	v := ViewerOf(c)
	switch {
	case v.IsOrganizer() || v.Is(c.Param("event"), c.Param("participant")):
		c.Next()
	case v.Role == Anonymous:
		httperr.Write(c, http.StatusUnauthorized, "open your personal link or sign in", "")
	default:
		httperr.Write(c, http.StatusForbidden, "this belongs to another participant", "")
	}
}

// LocalPath returns p if it is a path on this site, else def: a redirect
// target from a form must not send the user elsewhere.
func LocalPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}
