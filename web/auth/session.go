package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SessionCookie is the name of the cookie that carries a signed session.
const SessionCookie = "mg_session"

// Session lifetimes: an organizer signs in again each working day; a
// participant's personal link is meant to keep working for the event.
const (
	organizerSessionTTL   = 12 * time.Hour
	participantSessionTTL = 30 * 24 * time.Hour
)

var errBadSession = errors.New("invalid or expired session")

// session is what a signed cookie says about its bearer. Token names the
// session's record in the store (profiles.BrowserSession): the session
// holds only while that record does.
type session struct {
	Role        Role   `json:"r"`
	Event       string `json:"e,omitempty"`
	Participant string `json:"p,omitempty"`
	Token       string `json:"t"`
	Expires     int64  `json:"x"`
}

// bindOf is the part of a secret hash a calendar token is bound to.
func bindOf(secretHash string) string {
	if len(secretHash) > 16 {
		return secretHash[:16]
	}
	return secretHash
}

// signer signs and verifies session cookies with the data directory's key.
type signer struct{ key []byte }

func (sg signer) mac(payload string) string {
	h := hmac.New(sha256.New, sg.key)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// encode returns the cookie value: base64(JSON) "." base64(HMAC).
func (sg signer) encode(s session) string {
	b, _ := json.Marshal(s) // a struct of strings and ints always marshals
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + sg.mac(payload)
}

// decode verifies a cookie value in constant time and checks its expiry.
func (sg signer) decode(value string, now time.Time) (session, error) {
	payload, mac, ok := strings.Cut(value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(sg.mac(payload))) {
		return session{}, errBadSession
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return session{}, errBadSession
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil || now.Unix() >= s.Expires {
		return session{}, errBadSession
	}
	return s, nil
}

// set writes the session cookie: HttpOnly, SameSite=Lax (a personal
// link opened from an e-mail must carry it on the redirect), Secure when the
// request came over TLS.
func (s *Sessions) set(w http.ResponseWriter, r *http.Request, sess session, ttl time.Duration) {
	sess.Expires = time.Now().Add(ttl).Unix()
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    s.signer.encode(sess),
		Path:     "/",
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		Secure:   s.Secure(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// Clear removes the session cookie.
func (s *Sessions) Clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// CalendarToken is the key of a participant's calendar subscription: an
// HMAC, under the session key, of the event, the participant and the
// current personal-link secret (its hash prefix). Issuing a new personal
// link therefore also replaces the subscription URL, and no secret needs
// storing.
func (s *Sessions) CalendarToken(eventID, participantID, secretHash string) string {
	h := hmac.New(sha256.New, s.signer.key)
	h.Write([]byte("calendar\x00" + eventID + "\x00" + participantID + "\x00" + bindOf(secretHash)))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// WidgetToken is the key of a participant's read-only widget address: an
// HMAC, under the session key, of the event, the participant and their
// widget nonce. It signs in nobody and shows only the suggestions widget;
// a new nonce replaces it, an empty one revokes it.
func (s *Sessions) WidgetToken(eventID, participantID, nonce string) string {
	if nonce == "" {
		return ""
	}
	h := hmac.New(sha256.New, s.signer.key)
	h.Write([]byte("widget\x00" + eventID + "\x00" + participantID + "\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// WidgetPath is the address of a participant's suggestions widget with its
// token; "" when none is issued.
func (s *Sessions) WidgetPath(eventID, participantID, nonce string) string {
	token := s.WidgetToken(eventID, participantID, nonce)
	if token == "" {
		return ""
	}
	return "/e/" + url.PathEscape(eventID) + "/widget/suggestions?p=" + url.QueryEscape(participantID) + "&token=" + token
}

// ValidWidgetToken reports, in constant time, whether token is the
// participant's current widget token.
func (s *Sessions) ValidWidgetToken(eventID, participantID, nonce, token string) bool {
	want := s.WidgetToken(eventID, participantID, nonce)
	return want != "" && hmac.Equal([]byte(token), []byte(want))
}
