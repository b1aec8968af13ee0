package profiles

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Event is one brokerage event: its calendar, its meeting grid parameters
// and its rules. Everything else in the store is scoped by an event.
type Event struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Venue       string `json:"venue,omitempty"`
	// TimeZone is an IANA name such as "Europe/Rome"; all times of the
	// event's days are wall-clock times in this zone.
	TimeZone string `json:"time_zone"`
	Days     []Day  `json:"days"`
	// MeetingMinutes is the length of one meeting, GapMinutes the pause
	// between two consecutive slots (time to walk to the next table).
	MeetingMinutes int `json:"meeting_minutes"`
	GapMinutes     int `json:"gap_minutes,omitempty"`
	// Tables is how many meetings can run at once. TableNames, when given,
	// names them (length Tables), e.g. "A1" or "Booth 12".
	Tables     int      `json:"tables"`
	TableNames []string `json:"table_names,omitempty"`

	Policy       RequestPolicy `json:"policy"`
	MeetingRules []MeetingRule `json:"meeting_rules,omitempty"`
	// MatchWeights overrides the matcher's fitted feature weights for this
	// event, by feature name (e.g. {"same_country": -0.5} for an event that
	// wants cross-border meetings). Unknown names are ignored by the matcher.
	MatchWeights map[string]float64 `json:"match_weights,omitempty"`
	// Source credits the data the event was built from, if any.
	Source string `json:"source,omitempty"`
	// VideoURL is the video-call link template of meetings with an online
	// participant (participation type "online"): "{meeting}" in it is
	// replaced by the meeting's UID, e.g. a self-hosted Jitsi Meet
	// "https://meet.example.org/mhc-{meeting}". Empty: no links.
	VideoURL string `json:"video_url,omitempty"`
	// SpareTables are tables the scheduler leaves free (0 <= spare <
	// tables), as a reserve for late requests and no-shows; a rule of
	// thumb is 10-20% of the tables.
	SpareTables int `json:"spare_tables,omitempty"`
	// Suggestions is how many partners each participant is suggested
	// (the organizer's matchmaking setting); 0 for the default.
	Suggestions int `json:"suggestions,omitempty"`
}

// VideoLink returns the video-call link of the meeting with the given UID,
// "" when the event has no VideoURL template.
func (e *Event) VideoLink(meetingUID string) string {
	if e.VideoURL == "" {
		return ""
	}
	return strings.ReplaceAll(e.VideoURL, "{meeting}", url.PathEscape(meetingUID))
}

// Day is one day of the event with its meeting sessions.
type Day struct {
	Date     string    `json:"date"` // YYYY-MM-DD
	Sessions []Session `json:"sessions"`
	// Breaks are pauses inside sessions (coffee breaks) in which no slot may fall.
	Breaks []Break `json:"breaks,omitempty"`
}

// Session is a block of consecutive meeting slots on one day, e.g. a morning.
type Session struct {
	Name  string `json:"name"`
	Start string `json:"start"` // HH:MM
	End   string `json:"end"`   // HH:MM
}

// Break is a pause inside a session.
type Break struct {
	Name  string `json:"name"`
	Start string `json:"start"` // HH:MM
	End   string `json:"end"`   // HH:MM
}

// RequestPolicy says how meeting requests are handled.
type RequestPolicy struct {
	// AutoAccept turns every request into an accepted one at once (no
	// acceptance by the receiver needed).
	AutoAccept bool `json:"auto_accept"`
	// MaxPendingOutgoing caps the pending requests one participant may
	// have sent; 0 means no cap.
	MaxPendingOutgoing int `json:"max_pending_outgoing,omitempty"`
	// ExpiryHours lets a pending request expire after this many hours; 0 never.
	ExpiryHours int `json:"expiry_hours,omitempty"`
}

// MeetingRule restricts whom participants of one participation type may meet.
// With no rule for a type, its participants may meet anyone.
type MeetingRule struct {
	Type    ParticipationType   `json:"type"`
	MayMeet []ParticipationType `json:"may_meet"`
}

// Slot is one meeting slot of an event, derived from its days and sessions.
type Slot struct {
	Index   int       `json:"index"`   // 0-based, in time order over the whole event
	Day     int       `json:"day"`     // 0-based index into Event.Days
	Session int       `json:"session"` // 0-based index over all sessions of the event
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

// MaxSuggestions caps Event.Suggestions.
const MaxSuggestions = 50

// Location loads the event's time zone.
func (e *Event) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return nil, fieldErr("event", e.ID, "time_zone", e.TimeZone, "unknown IANA time zone")
	}
	return loc, nil
}

// Validate checks the event, including that its days yield at least one slot.
func (e *Event) Validate() error {
	if err := checkID("event", e.ID, "id", e.ID); err != nil {
		return err
	}
	if e.Name == "" {
		return fieldErr("event", e.ID, "name", e.Name, "must not be empty")
	}
	if err := e.validateTexts(); err != nil {
		return err
	}
	if e.MeetingMinutes < 5 || e.MeetingMinutes > 240 {
		return fieldErr("event", e.ID, "meeting_minutes", e.MeetingMinutes, "must be between 5 and 240")
	}
	if e.GapMinutes < 0 || e.GapMinutes > 120 {
		return fieldErr("event", e.ID, "gap_minutes", e.GapMinutes, "must be between 0 and 120")
	}
	if e.Tables < 1 || e.Tables > 100000 {
		return fieldErr("event", e.ID, "tables", e.Tables, "must be between 1 and 100000")
	}
	if e.Suggestions < 0 || e.Suggestions > MaxSuggestions {
		return fieldErr("event", e.ID, "suggestions", e.Suggestions, "must be between 0 (the default) and %d", MaxSuggestions)
	}
	if e.SpareTables < 0 || e.SpareTables >= e.Tables {
		return fieldErr("event", e.ID, "spare_tables", e.SpareTables, "must be between 0 and tables - 1 (%d)", e.Tables-1)
	}
	if e.VideoURL != "" {
		if u, err := url.Parse(e.VideoURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(e.VideoURL) > 500 {
			return fieldErr("event", e.ID, "video_url", e.VideoURL, "must be an http or https URL of at most 500 characters")
		}
	}
	if len(e.TableNames) != 0 && len(e.TableNames) != e.Tables {
		return fieldErr("event", e.ID, "table_names", len(e.TableNames), "must name all %d tables or none", e.Tables)
	}
	if e.Policy.MaxPendingOutgoing < 0 {
		return fieldErr("event", e.ID, "policy.max_pending_outgoing", e.Policy.MaxPendingOutgoing, "must not be negative")
	}
	if e.Policy.ExpiryHours < 0 {
		return fieldErr("event", e.ID, "policy.expiry_hours", e.Policy.ExpiryHours, "must not be negative")
	}
	for _, name := range sortedKeys(e.MatchWeights) {
		if w := e.MatchWeights[name]; math.IsNaN(w) || math.IsInf(w, 0) || math.Abs(w) > 100 {
			return fieldErr("event", e.ID, "match_weights."+name, w, "must be a number between -100 and 100")
		}
	}
	for i, r := range e.MeetingRules {
		if !r.Type.Valid() {
			return fieldErr("event", e.ID, fmt.Sprintf("meeting_rules[%d].type", i), r.Type, "must be one of %v", ParticipationTypes)
		}
		for j, t := range r.MayMeet {
			if !t.Valid() {
				return fieldErr("event", e.ID, fmt.Sprintf("meeting_rules[%d].may_meet[%d]", i, j), t, "must be one of %v", ParticipationTypes)
			}
		}
	}
	if len(e.Days) == 0 {
		return fieldErr("event", e.ID, "days", "[]", "must have at least one day")
	}
	slots, err := e.Slots()
	if err != nil {
		return err
	}
	if len(slots) == 0 {
		return fieldErr("event", e.ID, "days", len(e.Days), "sessions leave no room for a single %d-minute meeting", e.MeetingMinutes)
	}
	return nil
}

// validateTexts checks the caps and line rules of the event's texts.
func (e *Event) validateTexts() error {
	t := texts{entity: "event", id: e.ID}
	t.field("name", e.Name)
	t.field("description", e.Description)
	t.field("venue", e.Venue)
	t.field("time_zone", e.TimeZone)
	t.field("source", e.Source)
	if t.err == nil && len(e.TableNames) > 100000 {
		t.err = fieldErr("event", e.ID, "table_names", len(e.TableNames), "must have at most 100000 items")
	}
	for i, n := range e.TableNames {
		t.one("table_names", fmt.Sprintf("table_names[%d]", i), n)
	}
	if t.err == nil && len(e.Days) > 366 {
		t.err = fieldErr("event", e.ID, "days", len(e.Days), "must have at most 366 items")
	}
	for d, day := range e.Days {
		if t.err == nil && len(day.Sessions)+len(day.Breaks) > CapItems {
			t.err = fieldErr("event", e.ID, fmt.Sprintf("days[%d]", d), len(day.Sessions)+len(day.Breaks), "must have at most %d sessions and breaks", CapItems)
		}
		for s, sess := range day.Sessions {
			t.one("days.sessions.name", fmt.Sprintf("days[%d].sessions[%d].name", d, s), sess.Name)
		}
		for b, br := range day.Breaks {
			t.one("days.breaks.name", fmt.Sprintf("days[%d].breaks[%d].name", d, b), br.Name)
		}
	}
	for _, name := range sortedKeys(e.MatchWeights) {
		t.one("match_weights", "match_weights", name)
	}
	return t.err
}

// MayMeet reports whether the event's rules let participants of type a meet
// participants of type b. Rules apply in both directions.
func (e *Event) MayMeet(a, b ParticipationType) bool {
	allows := func(from, to ParticipationType) bool {
		for _, r := range e.MeetingRules {
			if r.Type == from {
				return slices.Contains(r.MayMeet, to)
			}
		}
		return true
	}
	return allows(a, b) && allows(b, a)
}

// TableName returns the display name of table t (0-based).
func (e *Event) TableName(t int) string {
	if t >= 0 && t < len(e.TableNames) {
		return e.TableNames[t]
	}
	return fmt.Sprintf("T%d", t+1)
}

// Slots derives the meeting slots from the event's days, sessions and
// breaks: each session is filled from its start with meetings of
// MeetingMinutes separated by GapMinutes; a slot that would overlap a break
// starts after it instead.
func (e *Event) Slots() ([]Slot, error) {
	loc, err := e.Location()
	if err != nil {
		return nil, err
	}
	step := time.Duration(e.MeetingMinutes) * time.Minute
	gap := time.Duration(e.GapMinutes) * time.Minute
	if step <= 0 {
		return nil, fieldErr("event", e.ID, "meeting_minutes", e.MeetingMinutes, "must be positive")
	}
	var slots []Slot
	session := 0
	var prevDay time.Time
	for d, day := range e.Days {
		field := fmt.Sprintf("days[%d]", d)
		date, err := time.ParseInLocation(time.DateOnly, day.Date, loc)
		if err != nil {
			return nil, fieldErr("event", e.ID, field+".date", day.Date, "must be a date YYYY-MM-DD")
		}
		if d > 0 && !date.After(prevDay) {
			return nil, fieldErr("event", e.ID, field+".date", day.Date, "days must be in increasing order")
		}
		prevDay = date
		if len(day.Sessions) == 0 {
			return nil, fieldErr("event", e.ID, field+".sessions", "[]", "a day needs at least one session")
		}
		breaks := make([][2]time.Time, len(day.Breaks))
		for b, br := range day.Breaks {
			f := fmt.Sprintf("%s.breaks[%d]", field, b)
			start, end, err := e.span(date, br.Start, br.End, f)
			if err != nil {
				return nil, err
			}
			breaks[b] = [2]time.Time{start, end}
		}
		var prevEnd time.Time
		for s, sess := range day.Sessions {
			f := fmt.Sprintf("%s.sessions[%d]", field, s)
			start, end, err := e.span(date, sess.Start, sess.End, f)
			if err != nil {
				return nil, err
			}
			if s > 0 && start.Before(prevEnd) {
				return nil, fieldErr("event", e.ID, f+".start", sess.Start, "overlaps the previous session")
			}
			prevEnd = end
			for t := start; !t.Add(step).After(end); {
				slotEnd := t.Add(step)
				if br, ok := overlapping(breaks, t, slotEnd); ok {
					t = br
					continue
				}
				slots = append(slots, Slot{Index: len(slots), Day: d, Session: session, Start: t, End: slotEnd})
				t = slotEnd.Add(gap)
			}
			session++
		}
	}
	return slots, nil
}

// span parses a HH:MM start and end on date and checks their order.
func (e *Event) span(date time.Time, from, to, field string) (time.Time, time.Time, error) {
	start, err := clock(date, from)
	if err != nil {
		return time.Time{}, time.Time{}, fieldErr("event", e.ID, field+".start", from, "must be a time HH:MM")
	}
	end, err := clock(date, to)
	if err != nil {
		return time.Time{}, time.Time{}, fieldErr("event", e.ID, field+".end", to, "must be a time HH:MM")
	}
	if !end.After(start) {
		return time.Time{}, time.Time{}, fieldErr("event", e.ID, field+".end", to, "must be after start %s", from)
	}
	return start, end, nil
}

// clock returns date at the wall-clock time hh:mm in date's location.
func clock(date time.Time, hhmm string) (time.Time, error) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(date.Year(), date.Month(), date.Day(), t.Hour(), t.Minute(), 0, 0, date.Location()), nil
}

// overlapping returns the end of a break that overlaps [start, end).
func overlapping(breaks [][2]time.Time, start, end time.Time) (time.Time, bool) {
	for _, b := range breaks {
		if start.Before(b[1]) && b[0].Before(end) {
			return b[1], true
		}
	}
	return time.Time{}, false
}
