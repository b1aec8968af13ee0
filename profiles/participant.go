package profiles

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ParticipationType is how a participant takes part in an event; the
// event's MeetingRules may restrict whom each type can meet.
type ParticipationType string

// Participation types.
const (
	TypeDelegate      ParticipationType = "delegate"       // an ordinary on-site participant
	TypeExhibitor     ParticipationType = "exhibitor"      // has a booth and meets there
	TypeInvestor      ParticipationType = "investor"       // looks for companies to invest in
	TypeVisitor       ParticipationType = "visitor"        // attends, may be met
	TypeSupportOffice ParticipationType = "support_office" // an EEN or cluster adviser
	TypeOnline        ParticipationType = "online"         // meets by video call
)

// ParticipationTypes lists every participation type.
var ParticipationTypes = []ParticipationType{TypeDelegate, TypeExhibitor, TypeInvestor, TypeVisitor, TypeSupportOffice, TypeOnline}

// Valid reports whether t is a known participation type.
func (t ParticipationType) Valid() bool { return slices.Contains(ParticipationTypes, t) }

// Participant is a person representing an organization at an event. The
// participants of one organization are separate people: they can meet
// different partners at the same time.
type Participant struct {
	ID             string            `json:"id"`
	EventID        string            `json:"event_id"`
	OrganizationID string            `json:"organization_id"`
	FirstName      string            `json:"first_name"`
	LastName       string            `json:"last_name"`
	Email          string            `json:"email,omitempty"`
	JobTitle       string            `json:"job_title,omitempty"`
	Type           ParticipationType `json:"type"`
	Languages      []string          `json:"languages,omitempty"`
	// Lang is the language the participant chose to read matchgrid in, its
	// pages (on any browser) and its e-mails: a 2-letter ISO 639-1 code,
	// set when they switch the pages' language; empty until then (pages
	// follow the browser, e-mails the first of Languages matchgrid speaks).
	Lang string `json:"lang,omitempty"`
	// TimeZone is the participant's own IANA time zone, when they want
	// times shown in it besides the event's; empty for the event's.
	TimeZone string `json:"time_zone,omitempty"`
	// Unavailable lists the periods the participant cannot meet in;
	// every other slot of the event is available.
	Unavailable []Period `json:"unavailable,omitempty"`
	// MaxMeetings caps the participant's meetings; 0 means no cap beyond the slots.
	MaxMeetings int `json:"max_meetings,omitempty"`
	// OwnTable is the table (0-based) of a host or exhibitor who meets
	// everyone at their booth; nil when the grid assigns tables.
	OwnTable *int `json:"own_table,omitempty"`
	// Blocked lists participants this one does not want to meet or be
	// suggested to; the matcher keeps the two apart in both directions.
	Blocked []string `json:"blocked,omitempty"`
	// HideKnownPartners asks for new partners only: organizations that
	// shared a past project with this participant's are not suggested.
	HideKnownPartners bool `json:"hide_known_partners,omitempty"`
	// Saved lists participants this one bookmarked for later.
	Saved []string `json:"saved,omitempty"`
	// Dismissed lists participants this one is not interested in: the
	// matcher no longer suggests them to this one (the other way round is
	// unchanged, unlike Blocked).
	Dismissed []string `json:"dismissed,omitempty"`
	// SecretHash is the hex SHA-256 of the personal-link secret. The
	// secret itself is never stored.
	SecretHash string `json:"secret_hash,omitempty"`
	// WidgetNonce keys the participant's read-only widget address (with the
	// server's key); a new nonce replaces the address, none revokes it.
	WidgetNonce string `json:"widget_nonce,omitempty"`
	// LinkOpened is when the participant first opened a personal link
	// (the organizer's dashboard shows who has not yet); nil before.
	LinkOpened *time.Time `json:"link_opened,omitempty"`
}

// MaxPeopleListed caps a participant's saved and dismissed lists.
const MaxPeopleListed = 2000

// Period is a span of time, inclusive of Start and exclusive of End.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Name returns the participant's full name.
func (p *Participant) Name() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// Validate checks the participant's own fields; that the organization
// exists is checked by the store.
func (p *Participant) Validate() error {
	const ent = "participant"
	if err := checkID(ent, p.ID, "id", p.ID); err != nil {
		return err
	}
	if err := checkID(ent, p.ID, "event_id", p.EventID); err != nil {
		return err
	}
	if err := checkID(ent, p.ID, "organization_id", p.OrganizationID); err != nil {
		return err
	}
	if strings.TrimSpace(p.FirstName) == "" && strings.TrimSpace(p.LastName) == "" {
		return fieldErr(ent, p.ID, "last_name", p.LastName, "a participant needs a first or last name")
	}
	t := texts{entity: ent, id: p.ID}
	t.field("first_name", p.FirstName)
	t.field("last_name", p.LastName)
	t.field("email", p.Email)
	t.field("job_title", p.JobTitle)
	if t.err != nil {
		return t.err
	}
	if err := checkEmail(ent, p.ID, "email", p.Email); err != nil {
		return err
	}
	if !p.Type.Valid() {
		return fieldErr(ent, p.ID, "type", p.Type, "must be one of %v", ParticipationTypes)
	}
	if err := checkLanguages(ent, p.ID, "languages", p.Languages); err != nil {
		return err
	}
	if p.Lang != "" && !languagePattern.MatchString(p.Lang) {
		return fieldErr(ent, p.ID, "lang", p.Lang, "must be a 2-letter lower-case ISO 639-1 code")
	}
	if len(p.Unavailable) > CapItems || len(p.Blocked) > 10*CapItems {
		return fieldErr(ent, p.ID, "unavailable", len(p.Unavailable), "at most %d unavailable periods and %d blocked participants", CapItems, 10*CapItems)
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil || len(p.TimeZone) > 64 {
			return fieldErr(ent, p.ID, "time_zone", p.TimeZone, "must be an IANA time zone such as Europe/Rome")
		}
	}
	if len(p.Unavailable) > MaxPeopleListed {
		return fieldErr(ent, p.ID, "unavailable", len(p.Unavailable), "must list at most %d periods", MaxPeopleListed)
	}
	for i, u := range p.Unavailable {
		if !plausibleTime(u.Start) || !plausibleTime(u.End) {
			return fieldErr(ent, p.ID, fmt.Sprintf("unavailable[%d]", i), u.Start.Format(time.RFC3339), "must lie between the years 1970 and 9998")
		}
		if !u.End.After(u.Start) {
			return fieldErr(ent, p.ID, fmt.Sprintf("unavailable[%d].end", i), u.End.Format(time.RFC3339), "must be after start %s", u.Start.Format(time.RFC3339))
		}
	}
	for i, b := range p.Blocked {
		if err := checkID(ent, p.ID, fmt.Sprintf("blocked[%d]", i), b); err != nil {
			return err
		}
		if b == p.ID {
			return fieldErr(ent, p.ID, fmt.Sprintf("blocked[%d]", i), b, "a participant cannot block themselves")
		}
	}
	for _, list := range []struct {
		field string
		ids   []string
	}{{"saved", p.Saved}, {"dismissed", p.Dismissed}} {
		if len(list.ids) > MaxPeopleListed {
			return fieldErr(ent, p.ID, list.field, len(list.ids), "must list at most %d participants", MaxPeopleListed)
		}
		for i, id := range list.ids {
			if err := checkID(ent, p.ID, fmt.Sprintf("%s[%d]", list.field, i), id); err != nil {
				return err
			}
		}
	}
	if p.MaxMeetings < 0 {
		return fieldErr(ent, p.ID, "max_meetings", p.MaxMeetings, "must not be negative")
	}
	if p.OwnTable != nil && *p.OwnTable < 0 {
		return fieldErr(ent, p.ID, "own_table", *p.OwnTable, "must not be negative")
	}
	if len(p.WidgetNonce) > 64 {
		return fieldErr(ent, p.ID, "widget_nonce", len(p.WidgetNonce), "must be at most 64 bytes")
	}
	if p.SecretHash != "" {
		if b, err := hex.DecodeString(p.SecretHash); err != nil || len(b) != sha256.Size {
			return fieldErr(ent, p.ID, "secret_hash", p.SecretHash, "must be a hex SHA-256 digest")
		}
	}
	return nil
}

// plausibleTime reports whether t lies in the years a period may name
// (which JSON can always write back, in any time zone).
func plausibleTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1970 && y <= 9998
}

// Available reports whether the participant can meet in slot s.
func (p *Participant) Available(s Slot) bool {
	for _, u := range p.Unavailable {
		if s.Start.Before(u.End) && u.Start.Before(s.End) {
			return false
		}
	}
	return true
}

// HashSecret returns the hex SHA-256 of a personal-link secret. Secrets are
// long random strings, so a plain hash (no salt, no stretching) suffices.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CheckSecret reports, in constant time, whether secret is the participant's.
func (p *Participant) CheckSecret(secret string) bool {
	if p.SecretHash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(p.SecretHash)) == 1
}

// NewSecret returns a fresh random personal-link secret (128 bits, base32).
func NewSecret() string { return rand.Text() }
