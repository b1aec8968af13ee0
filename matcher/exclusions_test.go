package matcher

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// smallEvent writes an event of four organizations working on sepsis
// diagnostics, two people at "acme", and returns the store and its index.
func smallEvent(t *testing.T) (*profiles.Store, *index.Index) {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ev := "ev"
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(&profiles.Event{ID: ev, Name: "Small", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 3,
			Days:         []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "11:00"}}}},
			MeetingRules: []profiles.MeetingRule{{Type: profiles.TypeVisitor, MayMeet: []profiles.ParticipationType{profiles.TypeExhibitor}}}}); err != nil {
			return err
		}
		orgs := []profiles.Organization{
			{ID: "acme", Name: "Acme", Kind: profiles.KindSME, Country: "IT", Descriptions: map[string]string{"en": "Rapid sepsis diagnostics from blood samples with microfluidic cartridges"}},
			{ID: "uni", Name: "Uni", Kind: profiles.KindUniversity, Country: "FR", Descriptions: map[string]string{"en": "Microfluidic research on sepsis biomarkers and blood diagnostics"}},
			{ID: "clinic", Name: "Clinic", Kind: profiles.KindHospital, Country: "DE", Descriptions: map[string]string{"en": "Clinical validation of sepsis diagnostics in intensive care"}},
			{ID: "visit", Name: "Visitor Ltd", Kind: profiles.KindSME, Country: "ES", Descriptions: map[string]string{"en": "Sepsis diagnostics distribution of blood tests"}},
		}
		people := map[string][]profiles.Participant{
			"acme":   {{ID: "anna", Type: profiles.TypeDelegate}, {ID: "aldo", Type: profiles.TypeDelegate}},
			"uni":    {{ID: "ugo", Type: profiles.TypeDelegate}},
			"clinic": {{ID: "cleo", Type: profiles.TypeDelegate}},
			"visit":  {{ID: "vera", Type: profiles.TypeVisitor}},
		}
		for i := range orgs {
			orgs[i].EventID = ev
			if err := tx.CreateOrganization(&orgs[i]); err != nil {
				return err
			}
			for _, p := range people[orgs[i].ID] {
				p.EventID, p.OrganizationID, p.LastName = ev, orgs[i].ID, p.ID
				if err := tx.CreateParticipant(&p); err != nil {
					return err
				}
			}
		}
		opps := []profiles.Opportunity{
			{ID: "o1", ParticipantID: "anna", OrganizationID: "acme", Kind: profiles.KindRequest, Title: "Clinical validation of a sepsis test", Language: "en",
				PartnerSought: profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindHospital}}},
			{ID: "o2", ParticipantID: "cleo", OrganizationID: "clinic", Kind: profiles.KindOffer, Title: "Clinical validation studies in intensive care for sepsis", Language: "en"},
			{ID: "o3", ParticipantID: "ugo", OrganizationID: "uni", Kind: profiles.KindRequest, Title: "Cartridges for microfluidic blood diagnostics", Language: "en"},
			{ID: "o4", ParticipantID: "anna", OrganizationID: "acme", Kind: profiles.KindOffer, Title: "Microfluidic cartridges for blood diagnostics", Language: "en"},
		}
		for i := range opps {
			opps[i].EventID = ev
			if err := tx.CreateOpportunity(&opps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open("", s, &index.Options{OnError: func(err error) { t.Error(err) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return s, ix
}

func suggested(t *testing.T, m *Matcher, p string) []string {
	t.Helper()
	sug, err := m.Suggest("ev", p, 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range sug {
		out = append(out, s.ParticipantID)
	}
	return out
}

func TestExclusionsAndStoreChanges(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := suggested(t, m, "anna")
	slices.Sort(got)
	// aldo: same organization; vera: a visitor may only meet exhibitors.
	if want := []string{"cleo", "ugo"}; !slices.Equal(got, want) {
		t.Fatalf("anna's suggestions %v, want %v", got, want)
	}
	rk, err := m.Rank("ev", "anna", 10)
	if err != nil {
		t.Fatal(err)
	}
	if rk.Dropped["event meeting rules"] != 1 {
		t.Errorf("dropped %v, want vera set aside by the event meeting rules", rk.Dropped)
	}
	for _, x := range rk.Suggestions {
		if x.ParticipantID == "cleo" {
			if !slices.Contains(x.Forward.Terms["needs"], "validation") {
				t.Errorf("anna -> cleo: need terms %v lack validation", x.Forward.Terms["needs"])
			}
			if x.Forward.Features[slices.Index(FeatureNames, FeatPartnerSought)].Value != 1 {
				t.Errorf("anna seeks a hospital: partner_sought not set")
			}
		}
	}
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		change func(tx *profiles.Tx) error
		want   []string
	}{
		{"declined request", func(tx *profiles.Tx) error {
			return tx.CreateRequest(&profiles.MeetingRequest{ID: "r1", EventID: "ev", From: "ugo", To: "anna", Status: profiles.RequestDeclined, CreatedAt: now, UpdatedAt: now})
		}, []string{"cleo"}},
		{"organization changed away from the topic", func(tx *profiles.Tx) error {
			o, err := tx.Organization("ev", "clinic")
			if err != nil {
				return err
			}
			o.Descriptions = map[string]string{"en": "Orthopaedic surgery robots"}
			if err := tx.UpdateOrganization(o); err != nil {
				return err
			}
			return tx.DeleteOpportunity("ev", "o2")
		}, nil},
	}
	for _, st := range steps {
		if err := s.Update(st.change); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := suggested(t, m, "anna"); !slices.Equal(got, st.want) {
			t.Errorf("after %s: %v, want %v", st.name, got, st.want)
		}
	}
	// Deleting an organization removes it from others' suggestions (ugo
	// declined anna, but aldo of the same organization is suggested).
	if got := suggested(t, m, "ugo"); !slices.Equal(got, []string{"aldo"}) {
		t.Fatalf("ugo's suggestions %v, want [aldo]", got)
	}
	err = s.Update(func(tx *profiles.Tx) error {
		for _, p := range []string{"anna", "aldo"} {
			if err := tx.DeleteParticipant("ev", p); err != nil {
				return err
			}
		}
		return tx.DeleteOrganization("ev", "acme")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := suggested(t, m, "ugo"); slices.Contains(got, "anna") || slices.Contains(got, "aldo") {
		t.Errorf("after deleting acme, ugo's suggestions %v", got)
	}
	if _, err := m.Suggest("ev", "nobody", 5); err == nil {
		t.Error("unknown participant: no error")
	}
}

func TestBlockedIsExcludedBothWays(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(suggested(t, m, "anna"), "cleo") {
		t.Fatal("cleo is not suggested to anna to begin with; the test would check nothing")
	}
	err = s.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant("ev", "cleo")
		if err != nil {
			return err
		}
		p.Blocked = []string{"anna"}
		return tx.UpdateParticipant(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(suggested(t, m, "anna"), "cleo") {
		t.Error("cleo blocked anna but is still suggested to her")
	}
	if slices.Contains(suggested(t, m, "cleo"), "anna") {
		t.Error("cleo blocked anna but anna is suggested to cleo")
	}
}

// TestReciprocalLift: the score is the forward fit, lifted by how well the
// requester answers the candidate's requests (before capacity).
func TestReciprocalLift(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, &Options{Weights: &Weights{Capacity: 1e-9, Lift: 1e-9}})
	if err != nil {
		t.Fatal(err)
	}
	sug, err := m.Suggest("ev", "anna", 5)
	if err != nil || len(sug) == 0 {
		t.Fatalf("suggestions %v, %v", sug, err)
	}
	rw := m.Weights("ev").Reciprocal
	for _, x := range sug {
		f := x.Forward.Score
		if x.Reciprocal < f-1e-12 || x.Reciprocal > f*(1+rw)+1e-12 {
			t.Errorf("%s: reciprocal %v outside [%v, %v]", x.ParticipantID, x.Reciprocal, f, f*(1+rw))
		}
		var z float64
		for _, c := range x.Forward.Features {
			z += c.Contribution
		}
		if z == 0 {
			t.Errorf("%s: no feature contributes", x.ParticipantID)
		}
	}
}

func abs(x float64) float64 { return max(x, -x) }
