package api_test

import (
	"testing"

	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/api"
)

// TestParticipantViews: each role sees participants as the marketplace
// shows them, except themselves (and the organizer, who sees everyone
// whole); the secret hash is never shown.
func TestParticipantViews(t *testing.T) {
	f := newFixture(t, web.Config{})
	tests := []struct {
		role      string
		private   map[string]bool // participant IDs whose e-mail the role sees
		hasLinkOf string          // a participant whose has_link the role sees
	}{
		{roleA, map[string]bool{"p-a": true}, "p-a"},
		{roleB, map[string]bool{"p-b": true}, "p-b"},
		{roleOrg, map[string]bool{"p-a": true, "p-b": true, "p-c": true, "p-d": true}, "p-c"},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			resp, body := f.Do(tt.role, "GET", "/api/v1/events/ev/participants", "")
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			noSecretsOf(t, tt.role, body)
			people := decode[api.List[api.ParticipantView]](t, body)
			if people.Total != 4 || len(people.Items) != 4 {
				t.Fatalf("%d of %d participants", len(people.Items), people.Total)
			}
			for _, p := range people.Items {
				if got := p.Email != ""; got != tt.private[p.ID] {
					t.Errorf("sees e-mail of %s: %v, want %v", p.ID, got, tt.private[p.ID])
				}
				if p.ID == tt.hasLinkOf && !p.HasLink {
					t.Errorf("does not see that %s has a personal link", p.ID)
				}
				if !tt.private[p.ID] && (p.HasLink || p.Blocked != nil || p.Unavailable != nil) {
					t.Errorf("sees private fields of %s: %+v", p.ID, p)
				}
				if p.FirstName == "" || p.OrganizationID == "" {
					t.Errorf("public fields of %s missing: %+v", p.ID, p)
				}
			}
		})
	}
	// A participant edits their own profile, keeping what the organizer decides.
	resp, body := f.Do(roleA, "PUT", "/api/v1/events/ev/participants/p-a",
		`{"organization_id":"org-a","first_name":"Alice","last_name":"Rossi","job_title":"CTO","type":"delegate","languages":["it","en"],"blocked":["p-c"]}`)
	got := decode[api.ParticipantView](t, body)
	if resp.StatusCode != 200 || got.JobTitle != "CTO" || len(got.Blocked) != 1 || !got.HasLink || got.Email != "" {
		t.Errorf("self update: %d %+v", resp.StatusCode, got)
	}
	// The personal link survives a profile update: A can still sign in.
	if resp, _ := f.Do(roleA, "GET", "/api/v1/events/ev/participants/p-a", ""); resp.StatusCode != 200 {
		t.Errorf("A's secret stopped working after a profile update: %d", resp.StatusCode)
	}
}
