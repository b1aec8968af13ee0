package profiles

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReportMeeting(t *testing.T) {
	after := time.Date(2027, 3, 16, 18, 0, 0, 0, time.UTC)
	before := time.Date(2027, 3, 16, 7, 0, 0, 0, time.UTC) // 08:00 in Rome, before the first slot
	tests := []struct {
		name       string
		report     MeetingReport
		want       error
		wantStatus MeetingStatus
	}{
		{"held with an agreement", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceHeld, Agreement: AgreementLicense, Note: "term sheet next week"}, nil, MeetingHeld},
		{"partner's no-show", MeetingReport{MeetingID: "m1", ParticipantID: "eva", Attendance: AttendanceNoShow}, nil, MeetingNoShow},
		{"not a side", MeetingReport{MeetingID: "m1", ParticipantID: "luca", Attendance: AttendanceHeld}, ErrForbidden, MeetingScheduled},
		{"before the meeting", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceHeld, ReportedAt: before}, ErrConflict, MeetingScheduled},
		{"unknown meeting", MeetingReport{MeetingID: "m9", ParticipantID: "anna", Attendance: AttendanceHeld}, ErrNotFound, MeetingScheduled},
		{"agreement without a meeting", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceNoShow, Agreement: AgreementLicense}, ErrInvalid, MeetingScheduled},
		{"unknown agreement", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceHeld, Agreement: "merger"}, ErrInvalid, MeetingScheduled},
		{"note too long", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceHeld, Note: strings.Repeat("é", MaxOutcomeNote+1)}, ErrInvalid, MeetingScheduled},
		{"control character", MeetingReport{MeetingID: "m1", ParticipantID: "anna", Attendance: AttendanceHeld, Note: "a\x00b"}, ErrInvalid, MeetingScheduled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			seed(t, s, "ev")
			r := tt.report
			r.EventID = "ev"
			if r.ReportedAt.IsZero() {
				r.ReportedAt = after
			}
			err := s.Update(func(tx *Tx) error { return tx.ReportMeeting(&r) })
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			s.View(func(tx *Tx) error {
				m, _ := tx.Meeting("ev", "m1")
				if m.Status != tt.wantStatus {
					t.Errorf("meeting status %q, want %q", m.Status, tt.wantStatus)
				}
				reports, _ := tx.ReportsOfMeeting("ev", "m1")
				if want := map[bool]int{true: 1, false: 0}[err == nil && tt.report.MeetingID == "m1"]; len(reports) != want {
					t.Errorf("%d reports stored, want %d", len(reports), want)
				}
				return nil
			})
		})
	}
}

// TestReportMeetingBothSides: one side's "held" wins over the other's
// "no-show", and a second report by the same side replaces the first.
func TestReportMeetingBothSides(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	at := time.Date(2027, 3, 18, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		who    string
		att    Attendance
		status MeetingStatus
		n      int
	}{
		{"eva", AttendanceNoShow, MeetingNoShow, 1},
		{"anna", AttendanceHeld, MeetingHeld, 2},
		{"anna", AttendanceNoShow, MeetingNoShow, 2},
	}
	for i, st := range steps {
		err := s.Update(func(tx *Tx) error {
			return tx.ReportMeeting(&MeetingReport{EventID: "ev", MeetingID: "m1", ParticipantID: st.who, Attendance: st.att, ReportedAt: at})
		})
		if err != nil {
			t.Fatal(err)
		}
		s.View(func(tx *Tx) error {
			m, _ := tx.Meeting("ev", "m1")
			reports, _ := tx.MeetingReports("ev")
			if m.Status != st.status || len(reports) != st.n {
				t.Errorf("step %d: status %q with %d reports, want %q with %d", i, m.Status, len(reports), st.status, st.n)
			}
			return nil
		})
	}
}
