package profiles

import (
	"fmt"
)

var meetings = &table[Meeting]{
	bucket: "meetings",
	entity: EntityMeeting,
	id:     func(m *Meeting) string { return m.ID },
	event:  func(m *Meeting) string { return m.EventID },
	indexes: []secondary[Meeting]{
		{name: "meetings_by_participant", keys: func(m *Meeting) []string { return []string{m.A, m.B} }},
		// Slot keys are zero-padded so that the index sorts by slot.
		{name: "meetings_by_slot", keys: func(m *Meeting) []string { return []string{slotKey(m.Slot)} }},
	},
}

func slotKey(slot int) string { return fmt.Sprintf("%06d", slot) }

// Meeting reads one meeting.
func (tx *Tx) Meeting(eventID, id string) (*Meeting, error) {
	return meetings.get(tx, eventID, id)
}

// Meetings returns the meetings of an event in ID order.
func (tx *Tx) Meetings(eventID string) ([]Meeting, error) {
	return meetings.all(tx, eventID)
}

// MeetingsOfParticipant returns a participant's meetings, cancelled ones included.
func (tx *Tx) MeetingsOfParticipant(eventID, participantID string) ([]Meeting, error) {
	return meetings.lookup(tx, eventID, "meetings_by_participant", participantID)
}

// MeetingsInSlot returns the meetings in one slot, cancelled ones included.
func (tx *Tx) MeetingsInSlot(eventID string, slot int) ([]Meeting, error) {
	return meetings.lookup(tx, eventID, "meetings_by_slot", slotKey(slot))
}

// CreateMeeting stores a new meeting; ErrConflict if its ID is taken. An
// empty UID is set to MeetingUID.
func (tx *Tx) CreateMeeting(m *Meeting) error { return tx.putMeeting(m, modeCreate) }

// UpdateMeeting replaces a stored meeting; ErrNotFound if there is none. The
// UID cannot change, and Sequence is raised past the stored one whenever
// slot, table or status change.
func (tx *Tx) UpdateMeeting(m *Meeting) error { return tx.putMeeting(m, modeUpdate) }

// PutMeeting creates or replaces a meeting with the rules of UpdateMeeting
// when it exists.
func (tx *Tx) PutMeeting(m *Meeting) error { return tx.putMeeting(m, modeUpsert) }

func (tx *Tx) putMeeting(m *Meeting, mode putMode) error {
	if m.UID == "" {
		m.UID = MeetingUID(m.EventID, m.ID)
	}
	if err := m.Validate(); err != nil {
		return err
	}
	ev, err := tx.Event(m.EventID)
	if err != nil {
		return err
	}
	slots, err := ev.Slots()
	if err != nil {
		return err
	}
	if m.Slot >= len(slots) {
		return NewFieldError("meeting", m.ID, "slot", m.Slot, "the event has %d slots", len(slots))
	}
	if m.Table >= ev.Tables {
		return NewFieldError("meeting", m.ID, "table", m.Table, "the event has %d tables", ev.Tables)
	}
	if _, err := tx.Participant(m.EventID, m.A); err != nil {
		return &RefError{Entity: "meeting", ID: m.ID, Field: "a", Err: err}
	}
	if _, err := tx.Participant(m.EventID, m.B); err != nil {
		return &RefError{Entity: "meeting", ID: m.ID, Field: "b", Err: err}
	}
	if m.RequestID != "" {
		if _, err := tx.Request(m.EventID, m.RequestID); err != nil {
			return &RefError{Entity: "meeting", ID: m.ID, Field: "request_id", Err: err}
		}
	}
	if mode != modeCreate {
		old, err := tx.Meeting(m.EventID, m.ID)
		switch {
		case err == nil:
			if old.UID != m.UID {
				return fmt.Errorf("meeting %q: field uid: value %q: the UID of a meeting never changes (stored %q): %w", m.ID, m.UID, old.UID, ErrConflict)
			}
			if m.Sequence < old.Sequence {
				m.Sequence = old.Sequence
			}
			if old.Slot != m.Slot || old.Table != m.Table || old.Status != m.Status {
				if m.Sequence == old.Sequence {
					m.Sequence++
				}
			}
		case mode == modeUpdate:
			return err
		}
	}
	_, err = meetings.put(tx, m, mode)
	return err
}

// DeleteMeeting removes a meeting. A published meeting should be cancelled
// (UpdateMeeting with status cancelled) instead, so agendas learn of it.
func (tx *Tx) DeleteMeeting(eventID, id string) error {
	_, err := meetings.delete(tx, eventID, id)
	return err
}
