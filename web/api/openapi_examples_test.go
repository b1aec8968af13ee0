package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/matchgrid/matchgrid/web"
)

// exampleCaller is who sends a route's example, and the values of its path
// parameters in the seeded fixture.
var exampleCaller = map[string]string{
	"POST /events/{event}/participants/{participant}/requests": roleA,
	"POST /events/{event}/requests/{request}/accept":           roleB,
	"POST /events/{event}/requests/{request}/decline":          roleB,
}

// exampleNotSent are the examples only validated: the fixture lacks what
// the server needs to accept them (the authorization test sends them with it).
var exampleNotSent = map[string]string{
	"POST /events/{event}/links/mail":                                           "e-mail is off in this fixture",
	"POST /events/{event}/participants/{participant}/meetings/{meeting}/report": "no meeting has started yet",
}

var examplePath = strings.NewReplacer("{event}", "ev", "{org}", "org-a", "{participant}", "p-a", "{opp}", "opp-a", "{request}", "rAB")

// TestOpenAPIExamples: every request body example of the OpenAPI document
// validates against its schema with kin-openapi (so the schemas do not
// require what the server assigns), and the server accepts it.
func TestOpenAPIExamples(t *testing.T) {
	f := newFixture(t, web.Config{})
	resp, raw := f.Do(roleAnon, http.MethodGet, "/api/v1/openapi.json", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi finds the document invalid: %v", err)
	}
	for name, assigned := range map[string][]string{
		"EventBody": {"id"}, "OrganizationBody": {"id", "event_id"}, "OpportunityBody": {"id", "event_id", "organization_id"},
		"ParticipantInputBody": {"id", "event_id"},
	} {
		sch := doc.Components.Schemas[name]
		if sch == nil || sch.Value == nil {
			t.Errorf("no %s schema", name)
			continue
		}
		for _, f := range assigned {
			if slices.Contains(sch.Value.Required, f) {
				t.Errorf("%s requires %s, which the server assigns", name, f)
			}
		}
	}
	examples := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			media := op.RequestBody.Value.Content.Get("application/json")
			key := method + " " + path
			if media == nil || media.Example == nil {
				t.Errorf("%s: a request body without an example", key)
				continue
			}
			examples++
			t.Run(key, func(t *testing.T) {
				if err := media.Schema.Value.VisitJSON(media.Example); err != nil {
					t.Errorf("the example does not validate against its schema: %v", err)
				}
				if why, ok := exampleNotSent[key]; ok {
					t.Skipf("not sent: %s", why)
				}
				body, _ := json.Marshal(media.Example)
				role := exampleCaller[key]
				if role == "" {
					role = roleOrg
				}
				f := newFixture(t, web.Config{}) // each example changes the store
				resp, got := f.Do(role, method, "/api/v1"+examplePath.Replace(path), string(body))
				if resp.StatusCode >= 300 {
					t.Errorf("the server refuses the example: %d %s", resp.StatusCode, got)
				}
			})
		}
	}
	if examples < 10 {
		t.Errorf("%d examples: the document lost them", examples)
	}
}
