package profiles

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/pgtest"
)

// openTestStore opens a store in a fresh temporary file, closed at cleanup.
func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testEvent returns a valid two-day event.
func testEvent(id string) *Event {
	return &Event{
		ID: id, Name: "Test Brokerage " + id, TimeZone: "Europe/Rome",
		Days: []Day{
			{Date: "2027-03-16", Sessions: []Session{{Name: "Morning", Start: "09:00", End: "12:00"}, {Name: "Afternoon", Start: "14:00", End: "16:00"}},
				Breaks: []Break{{Name: "Coffee", Start: "10:30", End: "10:45"}}},
			{Date: "2027-03-17", Sessions: []Session{{Name: "Morning", Start: "09:00", End: "11:00"}}},
		},
		MeetingMinutes: 20, GapMinutes: 0, Tables: 5,
		Policy: RequestPolicy{MaxPendingOutgoing: 10, ExpiryHours: 72},
	}
}

// seed writes an event with three organizations, four participants, two
// opportunities, a request and a meeting, and returns the event.
func seed(t testing.TB, s *Store, eventID string) *Event {
	t.Helper()
	ev := testEvent(eventID)
	created := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	err := s.Update(func(tx *Tx) error {
		steps := []func() error{
			func() error { return tx.CreateEvent(ev) },
			func() error {
				return tx.CreateOrganization(&Organization{ID: "acme", EventID: eventID, Name: "Acme Diagnostics", Kind: KindSME, Country: "IT",
					Descriptions: map[string]string{"en": "Point-of-care diagnostics for sepsis", "it": "Diagnostica rapida per la sepsi"}, ExternalIDs: map[string]string{"pic": "123"}})
			},
			func() error {
				return tx.CreateOrganization(&Organization{ID: "unito", EventID: eventID, Name: "Università di Torino", Kind: KindUniversity, Country: "IT"})
			},
			func() error {
				return tx.CreateOrganization(&Organization{ID: "charite", EventID: eventID, Name: "Charité", Kind: KindHospital, Country: "DE"})
			},
			func() error {
				return tx.CreateParticipant(&Participant{ID: "anna", EventID: eventID, OrganizationID: "acme", FirstName: "Anna", LastName: "Rossi", Email: "anna@acme.example", Type: TypeDelegate, SecretHash: HashSecret("anna-secret")})
			},
			func() error {
				return tx.CreateParticipant(&Participant{ID: "marco", EventID: eventID, OrganizationID: "acme", FirstName: "Marco", LastName: "Bianchi", Type: TypeDelegate})
			},
			func() error {
				return tx.CreateParticipant(&Participant{ID: "luca", EventID: eventID, OrganizationID: "unito", FirstName: "Luca", LastName: "Verdi", Type: TypeDelegate})
			},
			func() error {
				return tx.CreateParticipant(&Participant{ID: "eva", EventID: eventID, OrganizationID: "charite", FirstName: "Eva", LastName: "Schmidt", Type: TypeExhibitor})
			},
			func() error {
				return tx.CreateOpportunity(&Opportunity{ID: "o1", EventID: eventID, ParticipantID: "anna", Kind: KindOffer, ProfileType: TechnologyOffer, Title: "Rapid sepsis test", Language: "en"})
			},
			func() error {
				return tx.CreateOpportunity(&Opportunity{ID: "o2", EventID: eventID, ParticipantID: "eva", Kind: KindRequest, ProfileType: RDRequest, Title: "Clinical validation partner", Language: "en"})
			},
			func() error {
				return tx.CreateRequest(&MeetingRequest{ID: "r1", EventID: eventID, From: "anna", To: "eva", OpportunityID: "o2", Status: RequestAccepted, CreatedAt: created, UpdatedAt: created})
			},
			func() error {
				return tx.CreateMeeting(&Meeting{ID: "m1", EventID: eventID, A: "anna", B: "eva", RequestID: "r1", Slot: 2, Table: 1, Status: MeetingScheduled})
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return ev
}

// storeOpener opens a fresh, empty store of one engine, closed at cleanup.
type storeOpener func(t testing.TB) *Store

// eachEngine runs fn as a subtest per engine: bbolt always, PostgreSQL
// when MATCHGRID_TEST_POSTGRES names a database (see internal/pgtest).
func eachEngine(t *testing.T, fn func(t *testing.T, open storeOpener)) {
	t.Run("bbolt", func(t *testing.T) { fn(t, openTestStore) })
	t.Run("postgres", func(t *testing.T) { fn(t, openTestPostgres) })
}

// openTestPostgres opens a store in a fresh PostgreSQL schema.
func openTestPostgres(t testing.TB) *Store {
	t.Helper()
	s, err := OpenPostgres(pgtest.URL(t), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
