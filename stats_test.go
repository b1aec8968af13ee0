package matchgrid

import (
	"reflect"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// openSmall opens a temporary data directory with a small hand-made event
// "ev": 3 slots (09:00, 09:20, 09:40 in Rome), 2 tables; organizations
// a and b (SMEs, IT) and c (university, FR); participants p1 and p4 of a,
// p2 of b, p3 of c; requests p1->p3 accepted (met at slot 0, table 1),
// p2->p3 declined, p4->p2 pending, p1->p2 accepted (not on the grid),
// p3->p4 cancelled (its meeting at slot 2 cancelled), and a meeting p2-p4
// the organizer arranged without a request at slot 0, table 0.
func openSmall(t *testing.T) *Engine {
	t.Helper()
	eng, err := Open(t.TempDir(), &Options{AllowPrivateWebhooks: true}) // webhook tests call loopback receivers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	fillSmall(t, eng)
	return eng
}

// fillSmall writes openSmall's event "ev" into eng's store.
func fillSmall(t *testing.T, eng *Engine) {
	t.Helper()
	at := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		ev := &profiles.Event{ID: "ev", Name: "Small", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 2,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "10:00"}}}}}
		if err := tx.CreateEvent(ev); err != nil {
			return err
		}
		for _, o := range []profiles.Organization{
			{ID: "a", Name: "Acme", Kind: profiles.KindSME, Country: "IT"},
			{ID: "b", Name: "Bolt", Kind: profiles.KindSME, Country: "IT"},
			{ID: "c", Name: "Uni", Kind: profiles.KindUniversity, Country: "FR"},
		} {
			o.EventID = "ev"
			if err := tx.CreateOrganization(&o); err != nil {
				return err
			}
		}
		for _, p := range []profiles.Participant{
			{ID: "p1", OrganizationID: "a", FirstName: "Ann", Email: "ann@example.org"},
			{ID: "p2", OrganizationID: "b", FirstName: "Bob"},
			{ID: "p3", OrganizationID: "c", FirstName: "Cy"},
			{ID: "p4", OrganizationID: "a", FirstName: "Di"},
		} {
			p.EventID, p.Type = "ev", profiles.TypeDelegate
			if err := tx.CreateParticipant(&p); err != nil {
				return err
			}
		}
		for _, r := range []profiles.MeetingRequest{
			{ID: "r13", From: "p1", To: "p3", Status: profiles.RequestAccepted},
			{ID: "r23", From: "p2", To: "p3", Status: profiles.RequestDeclined},
			{ID: "r42", From: "p4", To: "p2", Status: profiles.RequestPending},
			{ID: "r12", From: "p1", To: "p2", Status: profiles.RequestAccepted},
			{ID: "r34", From: "p3", To: "p4", Status: profiles.RequestCancelled},
		} {
			r.EventID, r.CreatedAt, r.UpdatedAt = "ev", at, at
			if err := tx.PutRequest(&r); err != nil {
				return err
			}
		}
		for _, m := range []profiles.Meeting{
			{ID: "m-r13", A: "p1", B: "p3", RequestID: "r13", Slot: 0, Table: 1, Status: profiles.MeetingScheduled},
			{ID: "m-r34", A: "p3", B: "p4", RequestID: "r34", Slot: 2, Table: 0, Status: profiles.MeetingCancelled},
			{ID: "m-org", A: "p2", B: "p4", Slot: 0, Table: 0, Status: profiles.MeetingScheduled},
		} {
			m.EventID = "ev"
			if err := tx.CreateMeeting(&m); err != nil {
				return err
			}
		}
		return tx.CreateOpportunity(&profiles.Opportunity{ID: "o1", EventID: "ev", ParticipantID: "p1", Kind: profiles.KindOffer, Title: "Sensors", Language: "en"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStats(t *testing.T) {
	eng := openSmall(t)
	st, err := eng.Stats("ev")
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	slot := func(i, meetings, used int) SlotStats {
		start := time.Date(2027, 3, 16, 9, 20*i, 0, 0, rome)
		return SlotStats{Index: i, Label: start.Format("Mon 2 Jan 15:04"), Start: start, End: start.Add(20 * time.Minute),
			Meetings: meetings, TablesUsed: used, TablesAvailable: 2}
	}
	want := &EventStats{
		EventID: "ev", Participants: 4, Organizations: 3, Opportunities: 1,
		ParticipantsByKind:    []Count{{"sme", 3}, {"university", 1}},
		ParticipantsByCountry: []Count{{"IT", 3}, {"FR", 1}},
		Requests:              5,
		RequestsByState:       []Count{{"pending", 1}, {"accepted", 2}, {"declined", 1}, {"cancelled", 1}, {"expired", 0}},
		AcceptanceRate:        2.0 / 3.0,
		MeetingsPlaced:        2,
		MeetingsUnplaced:      1,
		Slots:                 []SlotStats{slot(0, 2, 2), slot(1, 0, 0), slot(2, 0, 0)},
	}
	for i := range st.Slots {
		if !st.Slots[i].Start.Equal(want.Slots[i].Start) || !st.Slots[i].End.Equal(want.Slots[i].End) {
			t.Errorf("slot %d: %v-%v, want %v-%v", i, st.Slots[i].Start, st.Slots[i].End, want.Slots[i].Start, want.Slots[i].End)
		}
		st.Slots[i].Start, st.Slots[i].End = want.Slots[i].Start, want.Slots[i].End
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("stats =\n%+v\nwant\n%+v", st, want)
	}
	if st.Slots[0].Label != "Tue 16 Mar 09:00" {
		t.Errorf("slot label %q, want the event's wall-clock time", st.Slots[0].Label)
	}
}

func TestStatsUnknownEvent(t *testing.T) {
	eng := openSmall(t)
	if _, err := eng.Stats("nope"); !errorsIsNotFound(err) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}
