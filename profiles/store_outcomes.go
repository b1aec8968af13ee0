package profiles

import (
	"fmt"
	"time"
)

// EntityMeetingReport names meeting reports in a Change.
const EntityMeetingReport Entity = "meeting report"

var meetingReports = &table[MeetingReport]{
	bucket: "meeting_reports",
	entity: EntityMeetingReport,
	id:     func(r *MeetingReport) string { return r.ID },
	event:  func(r *MeetingReport) string { return r.EventID },
	indexes: []secondary[MeetingReport]{
		{name: "reports_by_meeting", keys: func(r *MeetingReport) []string { return []string{r.MeetingID} }},
		{name: "reports_by_participant", keys: func(r *MeetingReport) []string { return []string{r.ParticipantID} }},
	},
}

// MeetingReports returns every meeting report of an event in ID order.
func (tx *Tx) MeetingReports(eventID string) ([]MeetingReport, error) {
	return meetingReports.all(tx, eventID)
}

// ReportsOfMeeting returns the reports filed on one meeting (at most one per side).
func (tx *Tx) ReportsOfMeeting(eventID, meetingID string) ([]MeetingReport, error) {
	return meetingReports.lookup(tx, eventID, "reports_by_meeting", meetingID)
}

// ReportsOfParticipant returns the reports a participant filed.
func (tx *Tx) ReportsOfParticipant(eventID, participantID string) ([]MeetingReport, error) {
	return meetingReports.lookup(tx, eventID, "reports_by_participant", participantID)
}

// ReportMeeting files (or replaces) a participant's report on a meeting
// and sets the meeting's status from the reports: held when a side reports
// it held, no-show when the reports say no-show. The reporter must be a
// side of the meeting (else ErrForbidden); a cancelled meeting, or one
// whose slot has not started at r.ReportedAt, cannot be reported
// (ErrConflict). ID is set from the meeting and the participant.
func (tx *Tx) ReportMeeting(r *MeetingReport) error {
	r.ID = ReportID(r.MeetingID, r.ParticipantID)
	if err := r.Validate(); err != nil {
		return err
	}
	m, err := tx.Meeting(r.EventID, r.MeetingID)
	if err != nil {
		return err
	}
	if !m.Involves(r.ParticipantID) {
		return fmt.Errorf("report on meeting %q: participant %q is not in it: %w", m.ID, r.ParticipantID, ErrForbidden)
	}
	if m.Status == MeetingCancelled {
		return fmt.Errorf("report on meeting %q: the meeting was cancelled: %w", m.ID, ErrConflict)
	}
	ev, err := tx.Event(r.EventID)
	if err != nil {
		return err
	}
	slots, err := ev.Slots()
	if err != nil {
		return err
	}
	if m.Slot < len(slots) && r.ReportedAt.Before(slots[m.Slot].Start) {
		return fmt.Errorf("report on meeting %q: it starts at %s; report after it: %w", m.ID, slots[m.Slot].Start.Format(time.RFC3339), ErrConflict)
	}
	if _, err := meetingReports.put(tx, r, modeUpsert); err != nil {
		return err
	}
	return tx.settleMeetingStatus(m)
}

// settleMeetingStatus sets a meeting's status from its reports.
func (tx *Tx) settleMeetingStatus(m *Meeting) error {
	reports, err := tx.ReportsOfMeeting(m.EventID, m.ID)
	if err != nil {
		return err
	}
	status := MeetingNoShow
	for _, r := range reports {
		if r.Attendance == AttendanceHeld {
			status = MeetingHeld
		}
	}
	if m.Status == status {
		return nil
	}
	m.Status = status
	return tx.UpdateMeeting(m)
}
