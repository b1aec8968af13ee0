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
	eachEngine(t, func(t *testing.T, open storeOpener) { reportBothSides(t, open(t)) })
}

func reportBothSides(t *testing.T, s *Store) {
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

// TestOutboxOnePerKey: one item per channel and key on both engines; the
// state index follows updates; webhooks are stored and deleted.
func TestOutboxOnePerKey(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		item := func() *OutboxItem {
			return &OutboxItem{EventID: "ev", Channel: ChannelMail, Key: "request.sent:ev:r1:eva", Kind: "request_received", Target: "eva@x.example", Body: "hi"}
		}
		for i, want := range []bool{true, false} {
			err := s.Update(func(tx *Tx) error {
				created, err := tx.Enqueue(item(), at)
				if created != want {
					t.Errorf("enqueue %d: created %v, want %v", i, created, want)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err := s.Update(func(tx *Tx) error {
			if _, err := tx.Enqueue(&OutboxItem{EventID: "ev", Channel: ChannelWebhook, Key: "request.sent:ev:r1:eva", Kind: "request.sent", Target: "wh-1", Body: "{}"}, at); err != nil {
				return err
			}
			if _, err := tx.Enqueue(&OutboxItem{EventID: "ev", Channel: ChannelMail, Key: "k2", Kind: "links", ParticipantID: "marco", Body: "b"}, at); err != nil {
				return err
			}
			queued, err := tx.OutboxInState("ev", ChannelMail, OutboxQueued)
			if err != nil || len(queued) != 1 {
				t.Errorf("queued mails %d, %v", len(queued), err)
			}
			queued[0].Status = OutboxSent
			if err := tx.UpdateOutboxItem(&queued[0]); err != nil {
				return err
			}
			if q, _ := tx.OutboxInState("ev", ChannelMail, OutboxQueued); len(q) != 0 {
				t.Errorf("%d queued after sending", len(q))
			}
			if sk, _ := tx.OutboxInState("ev", ChannelMail, OutboxSkipped); len(sk) != 1 {
				t.Errorf("a mail without address is not skipped: %d", len(sk))
			}
			if all, _ := tx.Outbox("ev", ChannelMail); len(all) != 2 {
				t.Errorf("%d mails in the log", len(all))
			}
			w := &Webhook{ID: "wh-1", EventID: "ev", URL: "https://portal.example/hook", Secret: "0123456789abcdef0123", CreatedAt: at}
			if err := tx.CreateWebhook(w); err != nil {
				return err
			}
			if err := tx.CreateWebhook(&Webhook{ID: "wh-2", EventID: "ev", URL: "javascript:alert(1)", Secret: w.Secret}); !errors.Is(err, ErrInvalid) {
				t.Errorf("a javascript: URL: %v", err)
			}
			if d, _ := tx.OutboxOfTarget("ev", "wh-1"); len(d) != 1 {
				t.Errorf("%d deliveries of wh-1", len(d))
			}
			return tx.DeleteWebhook("ev", "wh-1")
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
