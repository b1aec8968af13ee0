package matcher

import (
	"path/filepath"
	"testing"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// TestTextOutweighsNationality guards the scale of the text features: they
// must be computed as when the weights were fitted (score / the query's best
// score), or the fitted text weights mean nothing and suggestions follow
// country and language instead of what people work on.
func TestTextOutweighsNationality(t *testing.T) {
	m, _ := scaleEvent(t)
	sug, err := m.Suggest("ev", "p-me", 5)
	if err != nil {
		t.Fatal(err)
	}
	if first := firstSuggested(sug); first != "p-foreign" {
		t.Fatalf("first suggestion %q: the foreign organization doing the same work must come first", first)
	}
	// The best answer to a query scores 1 on it: the scale the weights were fitted on.
	for _, f := range sug[0].Forward.Features {
		if f.Feature == FeatOpportunities && f.Value != 1 {
			t.Errorf("opportunity_text of the best-matching offer = %v, want 1", f.Value)
		}
	}
}

// TestEventWeightsOverride: weights stored with the event take effect at
// once; an event that insists on same-country meetings gets them first.
func TestEventWeightsOverride(t *testing.T) {
	m, s := scaleEvent(t)
	err := s.Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		ev.MatchWeights = map[string]float64{FeatSameCountry: 20}
		return tx.UpdateEvent(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	sug, err := m.Suggest("ev", "p-me", 5)
	if err != nil {
		t.Fatal(err)
	}
	if first := firstSuggested(sug); first != "p-local" {
		t.Fatalf("first suggestion %q, want p-local under the event's same-country weight", first)
	}
}

func firstSuggested(sug []Suggestion) string {
	if len(sug) == 0 {
		return ""
	}
	return sug[0].ParticipantID
}

// scaleEvent writes an Italian SME looking for super-resolution microscopy,
// a German SME doing exactly that and an Italian dairy company, and returns
// a matcher on them.
func scaleEvent(t *testing.T) (*Matcher, *profiles.Store) {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(&profiles.Event{ID: "ev", Name: "Scale", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 3,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}}}); err != nil {
			return err
		}
		orgs := []profiles.Organization{
			{ID: "me", Kind: profiles.KindSME, Country: "IT", Descriptions: map[string]string{"en": "Super-resolution fluorescence microscopy and nanoscopy of living cells; image analysis software"}},
			{ID: "local", Kind: profiles.KindSME, Country: "IT", Descriptions: map[string]string{"en": "Dairy production, cheese packaging lines, food safety and cold chain logistics; some cell culture"}},
			{ID: "foreign", Kind: profiles.KindSME, Country: "DE", Descriptions: map[string]string{"en": "Nanoscopy instruments: super-resolution fluorescence microscopy of living cells and image analysis"}},
		}
		for i := range orgs {
			orgs[i].Name = orgs[i].ID
		}
		if err := createWithDelegates(tx, orgs); err != nil {
			return err
		}
		opps := []profiles.Opportunity{
			{ID: "need", ParticipantID: "p-me", Kind: profiles.KindRequest, Title: "Partner for super-resolution microscopy of living cells"},
			{ID: "dairy", ParticipantID: "p-local", Kind: profiles.KindOffer, Title: "Cheese packaging lines with cell counting for dairy safety"},
			{ID: "scope", ParticipantID: "p-foreign", Kind: profiles.KindOffer, Title: "Super-resolution microscopy services for living cells"},
		}
		for i := range opps {
			opps[i].EventID, opps[i].Language = "ev", "en"
			if err := tx.CreateOpportunity(&opps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open("", s, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}
