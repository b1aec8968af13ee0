package profiles

import (
	"slices"
)

// MeetingStatus is the state of a scheduled meeting.
type MeetingStatus string

// Meeting states.
const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingHeld      MeetingStatus = "held"
	MeetingNoShow    MeetingStatus = "no_show"
	MeetingCancelled MeetingStatus = "cancelled"
)

// MeetingStatuses lists every meeting state.
var MeetingStatuses = []MeetingStatus{MeetingScheduled, MeetingHeld, MeetingNoShow, MeetingCancelled}

// Valid reports whether s is a known meeting state.
func (s MeetingStatus) Valid() bool { return slices.Contains(MeetingStatuses, s) }

// Meeting is a one-to-one meeting on the grid: a pair of participants, a
// slot and a table.
//
// UID and Sequence follow iCalendar (RFC 5545): the UID never changes, and
// the store raises Sequence whenever the slot, table or status changes, so
// a calendar app that imported the agenda updates the entry instead of
// adding a second one.
type Meeting struct {
	ID        string        `json:"id"`
	EventID   string        `json:"event_id"`
	A         string        `json:"a"` // participant IDs; A is the requester when there was a request
	B         string        `json:"b"`
	RequestID string        `json:"request_id,omitempty"`
	Slot      int           `json:"slot"`  // index into Event.Slots()
	Table     int           `json:"table"` // 0-based table number; -1: a video call between online participants, no table
	Locked    bool          `json:"locked,omitempty"`
	Status    MeetingStatus `json:"status"`
	Priority  int           `json:"priority,omitempty"`
	UID       string        `json:"uid"`
	Sequence  int           `json:"sequence"`
}

// MeetingUID returns the stable calendar UID of a meeting.
func MeetingUID(eventID, meetingID string) string {
	return meetingID + "." + eventID + "@matchgrid"
}

// Validate checks the meeting's own fields; slot and table ranges and the
// participants are checked by the store against the event.
func (m *Meeting) Validate() error {
	const ent = "meeting"
	if err := checkID(ent, m.ID, "id", m.ID); err != nil {
		return err
	}
	if err := checkID(ent, m.ID, "event_id", m.EventID); err != nil {
		return err
	}
	if err := checkID(ent, m.ID, "a", m.A); err != nil {
		return err
	}
	if err := checkID(ent, m.ID, "b", m.B); err != nil {
		return err
	}
	if m.A == m.B {
		return fieldErr(ent, m.ID, "b", m.B, "a participant cannot meet themselves")
	}
	if m.Slot < 0 {
		return fieldErr(ent, m.ID, "slot", m.Slot, "must not be negative")
	}
	if m.Table < -1 {
		return fieldErr(ent, m.ID, "table", m.Table, "must be a table number, or -1 for a video call without table")
	}
	if !m.Status.Valid() {
		return fieldErr(ent, m.ID, "status", m.Status, "must be one of %v", MeetingStatuses)
	}
	if m.UID == "" {
		return fieldErr(ent, m.ID, "uid", m.UID, "must be set")
	}
	if m.Sequence < 0 {
		return fieldErr(ent, m.ID, "sequence", m.Sequence, "must not be negative")
	}
	return nil
}

// Involves reports whether participant p is one side of the meeting.
func (m *Meeting) Involves(p string) bool { return m.A == p || m.B == p }

// Partner returns the other side of the meeting for participant p.
func (m *Meeting) Partner(p string) string {
	if m.A == p {
		return m.B
	}
	return m.A
}
