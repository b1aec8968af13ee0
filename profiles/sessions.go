package profiles

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// BrowserSession is a signed-in browser session (a cookie names it). Sessions are
// kept in the store, on every engine, so that ending one holds on every
// server sharing the store: signing out ends one session; a new personal
// link ends the participant's, a new organizer secret the organizer's;
// deleting a participant or an event ends theirs.
type BrowserSession struct {
	// EventID and ParticipantID name the participant signed in; both are
	// empty for the organizer.
	EventID       string    `json:"event_id,omitempty"`
	ParticipantID string    `json:"participant_id,omitempty"`
	Created       time.Time `json:"created"`
	Expires       time.Time `json:"expires"`
}

// ErrSessionEnded means a session token names no live session: it never
// existed, expired, or was ended.
var ErrSessionEnded = errors.New("session ended")

// Session records are keyed by whose they are and the SHA-256 of the token
// (a leaked store does not give away live tokens):
//
//	sessions/<subject>\x00<sha256 hex of the token> -> Session JSON
//
// where the subject is "organizer" or "participant\x00<event>\x00<id>", so
// that the sessions of one subject, or of one event, are one key prefix.
// Writing sessions records no Change: they are no part of the event data.
var sessionsPath = bucket{"sessions"}

func sessionSubject(eventID, participantID string) string {
	if eventID == "" && participantID == "" {
		return "organizer\x00"
	}
	return "participant\x00" + eventID + "\x00" + participantID + "\x00"
}

func sessionKey(s *BrowserSession, token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte(sessionSubject(s.EventID, s.ParticipantID) + hex.EncodeToString(sum[:]))
}

// CreateSession stores a session for s's subject, valid until s.Expires,
// and returns its token (128 random bits). Expired sessions of the same
// subject are removed on the way.
func (tx *Tx) CreateSession(s BrowserSession) (token string, err error) {
	if s.EventID != "" || s.ParticipantID != "" {
		if err := checkID("session", "", "event_id", s.EventID); err != nil {
			return "", err
		}
		if err := checkID("session", "", "participant_id", s.ParticipantID); err != nil {
			return "", err
		}
	}
	if err := tx.endSessionsWhere([]byte(sessionSubject(s.EventID, s.ParticipantID)), time.Now()); err != nil {
		return "", err
	}
	token = rand.Text()
	raw, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("session: %w", err)
	}
	if err := tx.kv.put(sessionsPath, sessionKey(&s, token), raw); err != nil {
		return "", fmt.Errorf("session: %w", err)
	}
	return token, nil
}

// BrowserSession returns the live session of the subject (eventID and
// participantID, both "" for the organizer) with the token, or
// ErrSessionEnded.
func (tx *Tx) BrowserSession(eventID, participantID, token string, now time.Time) (*BrowserSession, error) {
	ref := BrowserSession{EventID: eventID, ParticipantID: participantID}
	raw, err := tx.kv.get(sessionsPath, sessionKey(&ref, token))
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, ErrSessionEnded
	}
	var s BrowserSession
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("session: corrupt record: %w", err)
	}
	if !now.Before(s.Expires) {
		return nil, ErrSessionEnded
	}
	return &s, nil
}

// EndSession ends one session (signing out); ending an ended one is no error.
func (tx *Tx) EndSession(eventID, participantID, token string) error {
	ref := BrowserSession{EventID: eventID, ParticipantID: participantID}
	return tx.kv.del(sessionsPath, sessionKey(&ref, token))
}

// EndSessions ends every session of a participant, or of the organizer
// when both IDs are "".
func (tx *Tx) EndSessions(eventID, participantID string) error {
	return tx.endSessionsWhere([]byte(sessionSubject(eventID, participantID)), time.Time{})
}

// endEventSessions ends the sessions of every participant of an event.
func (tx *Tx) endEventSessions(eventID string) error {
	return tx.endSessionsWhere([]byte("participant\x00"+eventID+"\x00"), time.Time{})
}

// endSessionsWhere deletes the sessions under prefix: all of them, or with
// a non-zero now only those expired by then.
func (tx *Tx) endSessionsWhere(prefix []byte, now time.Time) error {
	var doomed [][]byte
	err := tx.kv.scan(sessionsPath, keyRange{prefix: prefix, limit: -1}, func(k, v []byte) error {
		if !now.IsZero() {
			var s BrowserSession
			if json.Unmarshal(v, &s) == nil && now.Before(s.Expires) {
				return nil
			}
		}
		doomed = append(doomed, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	for _, k := range doomed {
		if err := tx.kv.del(sessionsPath, k); err != nil {
			return fmt.Errorf("sessions: %w", err)
		}
	}
	return nil
}
