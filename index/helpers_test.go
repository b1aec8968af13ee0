package index

import (
	"path/filepath"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// openTestStore opens a store in a temporary directory, closed at cleanup.
func openTestStore(t testing.TB) *profiles.Store {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testEvent(id string) *profiles.Event {
	return &profiles.Event{
		ID: id, Name: "Test " + id, TimeZone: "Europe/Rome",
		Days:           []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}},
		MeetingMinutes: 20, Tables: 5,
	}
}

// seed writes event ev with three organizations (Italian, English, German
// descriptions), a participant each and two opportunities.
func seed(t testing.TB, s *profiles.Store, ev string) {
	t.Helper()
	err := s.Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(testEvent(ev)); err != nil {
			return err
		}
		orgs := []profiles.Organization{
			{ID: "biotec", EventID: ev, Name: "BioTec Torino", Kind: profiles.KindSME, Country: "IT",
				Descriptions: map[string]string{"it": "Sviluppiamo tecnologie per la diagnostica rapida delle infezioni"},
				Sectors:      []string{"Diagnostics"}, TechCodes: []string{"06001002"}},
			{ID: "medlab", EventID: ev, Name: "MedLab", Kind: profiles.KindResearchCentre, Country: "FR",
				Descriptions: map[string]string{"en": "We validate diagnostic devices in clinical studies of sepsis"},
				Sectors:      []string{"Medical devices"}},
			{ID: "klinik", EventID: ev, Name: "Klinikum Nord", Kind: profiles.KindHospital, Country: "DE",
				Descriptions: map[string]string{"de": "Wir suchen Partner für klinische Studien in der Kardiologie"}},
		}
		for i := range orgs {
			if err := tx.CreateOrganization(&orgs[i]); err != nil {
				return err
			}
			p := profiles.Participant{ID: "p-" + orgs[i].ID, EventID: ev, OrganizationID: orgs[i].ID, LastName: orgs[i].Name, Type: profiles.TypeDelegate}
			if err := tx.CreateParticipant(&p); err != nil {
				return err
			}
		}
		opps := []profiles.Opportunity{
			{ID: "o-it", EventID: ev, ParticipantID: "p-biotec", OrganizationID: "biotec", Kind: profiles.KindOffer,
				ProfileType: profiles.TechnologyOffer, Title: "Tecnologia di sequenziamento rapido", Language: "it",
				Description: "Una piattaforma per identificare batteri in un'ora"},
			{ID: "o-en", EventID: ev, ParticipantID: "p-medlab", OrganizationID: "medlab", Kind: profiles.KindRequest,
				ProfileType: profiles.RDRequest, Title: "Partners sought for validating biomarkers", Language: "en",
				Description: "We are looking for hospitals running clinical trials", Keywords: []string{"biomarkers", "sepsis"}},
		}
		for i := range opps {
			if err := tx.CreateOpportunity(&opps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// openTestIndex opens an on-disk index of s in a temporary directory.
func openTestIndex(t testing.TB, s Store, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, s, &Options{OnError: func(err error) { t.Errorf("follow: %v", err) }})
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// ids returns the entity IDs of a result's hits.
func ids(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
