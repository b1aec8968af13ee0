package api_test

import (
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/api"
)

func TestSearchWithFacets(t *testing.T) {
	f := newFixture(t, web.Config{})
	tests := []struct {
		query    string
		wantIDs  []string // every hit must be one of these, and the first listed must be among the hits
		facet    string
		facetVal string
	}{
		{"q=robot&facets=kind,country", []string{"org-a", "org-b", "org-d", "opp-a", "opp-b"}, "country", "IT"},
		{"q=robot&country=FR&facets=country", []string{"org-b", "opp-b"}, "country", "FR"},
		{"type=opportunity&facets=opp_kind", []string{"opp-a", "opp-b"}, "opp_kind", "offer"},
		{"kind=university", []string{"org-c"}, "", ""},
		// Names: an organization's, a person's, by prefix, without accents.
		{"q=Gamma+Univ&type=organization", []string{"org-c"}, "", ""},
		{"q=carla+weiss&type=organization", []string{"org-c"}, "", ""},
		{"q=D%C3%A9lta&type=organization", []string{"org-d"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := f.Do(roleB, "GET", "/api/v1/events/ev/search?"+tt.query, "")
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			res := decode[index.Result](t, body)
			allowed := map[string]bool{}
			for _, id := range tt.wantIDs {
				allowed[id] = true
			}
			found := false
			for _, h := range res.Hits {
				if !allowed[h.ID] {
					t.Errorf("unexpected hit %s (%s)", h.ID, h.Name)
				}
				found = found || h.ID == tt.wantIDs[0]
			}
			if !found {
				t.Errorf("hits %+v lack %s", res.Hits, tt.wantIDs[0])
			}
			if tt.facet != "" {
				counted := false
				for _, fc := range res.Facets[tt.facet] {
					counted = counted || (fc.Term == tt.facetVal && fc.Count > 0)
				}
				if !counted {
					t.Errorf("facet %s = %v, want a count for %s", tt.facet, res.Facets[tt.facet], tt.facetVal)
				}
			}
		})
	}
}

func TestSuggestionsExplainBothWays(t *testing.T) {
	f := newFixture(t, web.Config{})
	tests := []struct {
		query    string
		features bool // each score's per-feature breakdown included
	}{
		{"", false},
		{"&detail=brief", false},
		{"&detail=full", true},
	}
	for _, tt := range tests {
		resp, body := f.Do(roleOrg, "GET", "/api/v1/events/ev/participants/p-d/suggestions?limit=5"+tt.query, "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.query, resp.StatusCode, body)
		}
		got := decode[api.List[matcher.Suggestion]](t, body)
		if len(got.Items) == 0 || got.Total != len(got.Items) || len(got.Items) > 5 {
			t.Fatalf("%s: suggestions = %s", tt.query, body)
		}
		for _, s := range got.Items {
			if s.ParticipantID == "p-d" || s.Name == "" || s.Forward.Score == 0 || s.Backward.Score == 0 {
				t.Errorf("%s: suggestion without both scores: %+v", tt.query, s)
			}
			if has := len(s.Forward.Features) > 0 && len(s.Backward.Features) > 0; has != tt.features {
				t.Errorf("%s: per-feature breakdown both ways %v, want %v", tt.query, has, tt.features)
			}
		}
		noSecretsOf(t, roleOrg, body)
	}
	resp, body := f.Do(roleOrg, "GET", "/api/v1/events/ev/participants/p-d/suggestions?detail=everything", "")
	if resp.StatusCode != 400 || !strings.Contains(string(body), "detail") {
		t.Errorf("detail=everything: %d %s, want 400 naming detail", resp.StatusCode, body)
	}
}
