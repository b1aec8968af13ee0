package auth

import (
	"crypto/rand"
	"crypto/subtle"
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
// store. Its sign-in limiter counts wrong secrets per client address.
type Sessions struct {
	store  *profiles.Store
	signer signer
	secure bool
	// Logins limits sign-in attempts per client address.
	Logins *Limiter
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
		Logins: NewLimiter(10, 6*time.Second)}, nil
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
		if !s.Logins.Ready(c.ClientIP(), time.Now()) {
			httperr.Write(c, http.StatusTooManyRequests, "too many sign-in attempts; wait a minute", "")
			return
		}
		v, err := s.ViewerForSecret(strings.TrimSpace(token))
		if err != nil {
			s.Logins.Allow(c.ClientIP(), time.Now())
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

// ViewerForSecret resolves a secret: the organizer's, or a participant's in
// any event. Hashes are compared in constant time.
func (s *Sessions) ViewerForSecret(secret string) (Viewer, error) {
	if secret == "" {
		return Viewer{}, ErrUnknownSecret
	}
	hash := profiles.HashSecret(secret)
	var v Viewer
	err := s.store.View(func(tx *profiles.Tx) error {
		if org := tx.OrganizerSecretHash(); org != "" && subtle.ConstantTimeCompare([]byte(org), []byte(hash)) == 1 {
			v = Viewer{Role: Organizer}
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
			v = Viewer{Role: Participant, Event: ev.ID, Participant: p.ID}
			return nil
		}
		return ErrUnknownSecret
	})
	return v, err
}

// viewerForCookie verifies a session cookie and that the secret it was
// issued for is still the current one.
func (s *Sessions) viewerForCookie(value string) (Viewer, error) {
	sess, err := s.signer.decode(value, time.Now())
	if err != nil {
		return Viewer{}, err
	}
	var current string
	err = s.store.View(func(tx *profiles.Tx) error {
		switch sess.Role {
		case Organizer:
			current = tx.OrganizerSecretHash()
		case Participant:
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
		return Viewer{}, errBadSession
	}
	return Viewer{Role: sess.Role, Event: sess.Event, Participant: sess.Participant}, nil
}

// Start sets the session cookie of v, bound to v's current secret.
func (s *Sessions) Start(c *gin.Context, v Viewer) {
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
	s.set(c.Writer, c.Request, session{Role: v.Role, Event: v.Event, Participant: v.Participant, Bind: bindOf(bind)}, ttl)
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
