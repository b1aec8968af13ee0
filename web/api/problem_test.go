package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/httperr"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// TestAPIProblems: bad input gets a problem document with the right status
// and the field at fault.
func TestAPIProblems(t *testing.T) {
	f := newFixture(t, web.Config{})
	const ev = "/api/v1/events/ev"
	tests := []struct {
		name        string
		role        string
		method, url string
		body        string
		header      []string
		status      int
		field       string
		detail      string // a part of the detail
	}{
		{"unknown body field", roleOrg, "POST", "/api/v1/events", `{"id":"x","bogus":1}`, nil, 400, "bogus", "unknown field"},
		{"wrong JSON type", roleOrg, "POST", "/api/v1/events", `{"id":"x","tables":"four"}`, nil, 400, "tables", "string"},
		{"not JSON", roleOrg, "POST", "/api/v1/events", `{"id":`, nil, 400, "", "not valid JSON"},
		{"trailing data", roleOrg, "POST", "/api/v1/events", webtest.EventBody + `{}`, nil, 400, "", "trailing"},
		{"empty body", roleOrg, "POST", "/api/v1/events", ``, []string{"Content-Type", "application/json"}, 400, "", "empty"},
		{"form instead of JSON", roleOrg, "POST", "/api/v1/events", `id=x`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "Content-Type", "JSON"},
		{"invalid value", roleOrg, "POST", "/api/v1/events", strings.Replace(webtest.EventBody, `"meeting_minutes":20`, `"meeting_minutes":2`, 1), nil, 422, "meeting_minutes", "between 5 and 240"},
		{"nested invalid value", roleOrg, "POST", "/api/v1/events", strings.Replace(webtest.EventBody, `"start":"09:00"`, `"start":"9h"`, 1), nil, 422, "days[0].sessions[0].start", "HH:MM"},
		{"duplicate", roleOrg, "POST", "/api/v1/events", strings.Replace(webtest.EventBody, `"new-ev"`, `"ev"`, 1), nil, 409, "", "already exists"},
		{"ID differs from URL", roleOrg, "PUT", ev, strings.Replace(webtest.EvPutBody, `{`, `{"id":"other",`, 1), nil, 422, "id", "differs"},
		{"unknown event", roleAnon, "GET", "/api/v1/events/nope", "", nil, 404, "", `"nope"`},
		{"dangling reference", roleOrg, "POST", ev + "/participants", strings.Replace(webtest.PartBody, "org-empty", "org-nope", 1), nil, 422, "organization_id", "org-nope"},
		{"webhook to loopback", roleOrg, "POST", ev + "/webhooks", `{"url":"http://127.0.0.1:9/hook"}`, nil, 422, "url", "private network"},
		{"webhook to the metadata service", roleOrg, "POST", ev + "/webhooks", `{"url":"http://169.254.169.254/latest/meta-data/"}`, nil, 422, "url", "metadata"},
		{"secret hash is no input", roleOrg, "POST", ev + "/participants", strings.Replace(webtest.PartBody, `{`, `{"secret_hash":"00",`, 1), nil, 400, "secret_hash", "unknown field"},
		{"participant moves themselves", roleA, "PUT", ev + "/participants/p-a", strings.Replace(webtest.PartPutBody, "org-a", "org-b", 1), nil, 403, "organization_id", "only the organizer"},
		{"participant changes their type", roleA, "PUT", ev + "/participants/p-a", strings.Replace(webtest.PartPutBody, "delegate", "investor", 1), nil, 403, "type", "only the organizer"},
		{"opportunity for another", roleB, "POST", ev + "/opportunities", webtest.OppBody, nil, 403, "participant_id", "only for themselves"},
		{"request to nobody", roleA, "POST", ev + "/participants/p-a/requests", `{"to":"p-nobody"}`, nil, 422, "to", "p-nobody"},
		{"request without receiver", roleA, "POST", ev + "/participants/p-a/requests", `{"message":"hi"}`, nil, 422, "to", "required"},
		{"second open request", roleA, "POST", ev + "/participants/p-a/requests", `{"to":"p-b"}`, nil, 409, "", "already have"},
		{"request to oneself", roleA, "POST", ev + "/participants/p-a/requests", `{"to":"p-a"}`, nil, 422, "to", "themselves"},
		{"foreign opportunity in request", roleA, "POST", ev + "/participants/p-a/requests", `{"to":"p-d","opportunity_id":"opp-b"}`, nil, 422, "opportunity_id", "neither"},
		{"answered request", roleA, "POST", ev + "/requests/rBA/accept", "", nil, 409, "", "accepted"},
		{"bad page", roleAnon, "GET", "/api/v1/events?limit=0", "", nil, 400, "limit", "1 to 500"},
		{"bad facet", roleA, "GET", ev + "/search?facets=participant_id", "", nil, 400, "facets", "participant_id"},
		{"bad kind filter", roleA, "GET", ev + "/search?kind=sme,bogus", "", nil, 400, "kind", "bogus"},
		{"bad language", roleA, "GET", ev + "/search?q=x&lang=zz", "", nil, 400, "lang", "zz"},
		{"bad country filter", roleA, "GET", ev + "/search?country=Italy", "", nil, 400, "country", "Italy"},
		{"bad search type", roleA, "GET", ev + "/search?type=people", "", nil, 400, "type", "organization or opportunity"},
		{"bad suggestion limit", roleA, "GET", ev + "/participants/p-a/suggestions?limit=1000", "", nil, 400, "limit", "1 to 100"},
		{"bad status filter", roleA, "GET", ev + "/participants/p-a/requests?status=maybe", "", nil, 400, "status", "pending"},
		{"bad budget", roleOrg, "POST", ev + "/grid/preview", `{"budget_ms":-5}`, nil, 422, "budget_ms", "0 to 30000"},
		{"someone else's e-mail", roleA, "PUT", ev + "/participants/p-a", strings.Replace(webtest.PartPutBody, "alice@alpha", "bruno@beta", 1), nil, 409, "", "cannot be used"},
		{"budget overflowing a duration", roleOrg, "POST", ev + "/grid/preview", `{"budget_ms":9223372036854775807}`, nil, 422, "budget_ms", "0 to 30000"},
		{"publish without preview", roleOrg, "POST", ev + "/grid/publish", "", nil, 404, "", "preview"},
		{"no preview to show", roleOrg, "GET", ev + "/grid?preview=true", "", nil, 404, "", "preview"},
		{"lock unknown meeting", roleOrg, "POST", ev + "/meetings/m-nope/lock", "", nil, 404, "", "m-nope"},
		{"organization still represented", roleOrg, "DELETE", ev + "/organizations/org-a", "", nil, 409, "", "participants"},
		{"participant with meetings", roleOrg, "DELETE", ev + "/participants/p-a", "", nil, 409, "", "meetings"},
		{"agenda of nobody", roleOrg, "GET", ev + "/participants/p-nobody/agenda", "", nil, 404, "", "p-nobody"},
		{"bad Bearer", roleAnon, "GET", "/api/v1/events", "", []string{"Authorization", "Basic abc"}, 401, "Authorization", "Bearer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.Do(tt.role, tt.method, tt.url, tt.body, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p httperr.Problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(body), "p-b") && tt.name == "someone else's e-mail" {
				t.Errorf("the answer names the participant who has the address: %s", body)
			}
			if p.Status != tt.status || p.Field != tt.field || !strings.Contains(p.Detail, tt.detail) || p.Title == "" {
				t.Errorf("problem = %+v, want field %q and a detail containing %q", p, tt.field, tt.detail)
			}
		})
	}
}
