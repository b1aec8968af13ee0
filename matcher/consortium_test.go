package matcher

import (
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// TestConsortiumFeatures: same_city holds for the same city of the same
// country only (written in any case), and near_kind lifts the kind that
// the consortia of the projects closest to the query take in (SMEs in
// sepsis projects) above a kind they leave out.
func TestConsortiumFeatures(t *testing.T) {
	sepsis := func(id string) profiles.ProjectRef {
		return profiles.ProjectRef{ID: id, StartDate: "2022-01-01", Title: "Sepsis biomarkers", Text: "Rapid sepsis biomarkers for emergency triage"}
	}
	other := func(id string) profiles.ProjectRef {
		return profiles.ProjectRef{ID: id, StartDate: "2022-01-01", Title: "Urban heat", Text: "Urban heat islands and building insulation"}
	}
	orgs := []profiles.Organization{
		{ID: "me", Name: "Turin Hospital", Kind: profiles.KindHospital, Country: "IT", City: "Torino", Projects: []profiles.ProjectRef{other("u1")}},
		{ID: "sme1", Name: "Alpha Diagnostics", Kind: profiles.KindSME, Country: "IT", City: "TORINO", Projects: []profiles.ProjectRef{sepsis("s1"), sepsis("s2")}},
		{ID: "sme2", Name: "Beta Tests", Kind: profiles.KindSME, Country: "FR", City: "Torino", Projects: []profiles.ProjectRef{sepsis("s1")}},
		{ID: "uni1", Name: "Gamma University", Kind: profiles.KindUniversity, Country: "IT", Projects: []profiles.ProjectRef{other("u1"), other("u2")}},
		{ID: "uni2", Name: "Delta University", Kind: profiles.KindUniversity, Country: "DE", City: "Berlin", Projects: []profiles.ProjectRef{other("u2"), sepsis("s2")}},
	}
	pool := NewPool(orgs, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	rows := map[string][]float64{}
	for _, c := range pool.Candidates("me", "sepsis biomarkers for triage", "en", false) {
		rows[c.OrgID] = c.Row
	}
	city, kind := slices.Index(FeatureNames, FeatSameCity), slices.Index(FeatureNames, "near_kind")
	for id, want := range map[string]float64{"sme1": 1, "sme2": 0, "uni1": 0, "uni2": 0} {
		if got := rows[id][city]; got != want {
			t.Errorf("same_city of %s = %v, want %v", id, got, want)
		}
	}
	if sme, uni := rows["sme1"][kind], rows["uni1"][kind]; sme <= 0 || uni >= 0 || sme <= uni {
		t.Errorf("near_kind: SME %v, university %v; want the SME lifted and the university lowered", sme, uni)
	}
}

// TestNewReasons: the reasons of the consortium features read as sentences.
func TestNewReasons(t *testing.T) {
	for _, tc := range []struct {
		r    Reason
		want string
	}{
		{Reason{Code: ReasonSameCity}, "They are in your city."},
		{Reason{Code: ReasonCloseKind, Detail: string(profiles.KindResearchCentre)}, "Projects close to what you look for often include a research centre."},
		{Reason{Code: ReasonNewPartners}, "They often take on new partners."},
		{Reason{Code: ReasonRecentPartners}, "Their work resembles that of your recent partners."},
		{Reason{Code: ReasonCloseCountry}, "Projects close to what you look for often include partners from their country."},
	} {
		if got := tc.r.English(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.r.Code, got, tc.want)
		}
	}
}
