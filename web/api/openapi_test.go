package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/auth"
)

// openAPIDoc fetches and decodes the served document.
func openAPIDoc(t *testing.T, f *fixture) map[string]any {
	t.Helper()
	resp, body := f.Do(roleAnon, "GET", "/api/v1/openapi.json", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

var openAPIParam = regexp.MustCompile(`\{([^}]+)\}`)

// TestOpenAPIMatchesRoutes: the routes gin has under /api/v1 and the
// operations the document describes are the same set, so that neither can
// change without the other. (The OPTIONS catch-all only lets the CORS
// middleware answer preflights; it is no operation.)
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t, web.Config{})
	doc := openAPIDoc(t, f)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc["openapi"])
	}
	server := doc["servers"].([]any)[0].(map[string]any)["url"].(string)
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+server+openAPIParam.ReplaceAllString(path, ":$1")] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range f.Srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || (r.Method == http.MethodOptions && r.Path == "/api/v1/*path") {
			continue
		}
		key := r.Method + " " + r.Path
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("the OpenAPI document describes %s, which is not a route", key)
		}
	}
	if len(registered) < 30 { // a sanity check that the walk sees the API at all
		t.Errorf("only %d API routes registered", len(registered))
	}
}

// TestOpenAPIDocument checks what a client generator relies on: every
// operation has a unique ID, its path parameters, security and a problem
// response; every reference resolves; private fields stay out of the
// participant schemas.
func TestOpenAPIDocument(t *testing.T) {
	f := newFixture(t, web.Config{})
	doc := openAPIDoc(t, f)
	components := doc["components"].(map[string]any)
	schemas := components["schemas"].(map[string]any)
	schemes := components["securitySchemes"].(map[string]any)
	if c := schemes["cookieAuth"].(map[string]any); c["in"] != "cookie" || c["name"] != auth.SessionCookie {
		t.Errorf("cookieAuth = %v", c)
	}
	if b := schemes["bearerAuth"].(map[string]any); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v", b)
	}
	problem := schemas["Problem"].(map[string]any)["properties"].(map[string]any)
	for _, field := range []string{"type", "title", "status", "detail", "field", "instance"} {
		if _, ok := problem[field]; !ok {
			t.Errorf("httperr.Problem schema lacks %q", field)
		}
	}
	ids := map[string]string{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			op := raw.(map[string]any)
			where := method + " " + path
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] != "" {
				t.Errorf("%s: operationId %q missing or shared with %s", where, id, ids[id])
			}
			ids[id] = where
			var inPath []string
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				if p := p.(map[string]any); p["in"] == "path" {
					inPath = append(inPath, p["name"].(string))
				}
			}
			for _, m := range openAPIParam.FindAllStringSubmatch(path, -1) {
				if !slices.Contains(inPath, m[1]) {
					t.Errorf("%s: path parameter %s is not described", where, m[1])
				}
			}
			if sec, _ := op["security"].([]any); len(sec) == 0 {
				t.Errorf("%s: no security requirement", where)
			}
			responses := op["responses"].(map[string]any)
			if path != "/openapi.json" {
				if _, ok := responses["404"]; !ok {
					t.Errorf("%s: no problem response", where)
				}
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				if _, ok := body["content"].(map[string]any)["application/json"]; !ok {
					t.Errorf("%s: request body is not JSON", where)
				}
				if _, ok := responses["422"]; !ok {
					t.Errorf("%s: takes a body but documents no 422", where)
				}
			}
		}
	}
	// Every $ref points at a schema that exists.
	raw, _ := json.Marshal(doc)
	for _, m := range regexp.MustCompile(`"\$ref":"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		if _, ok := schemas[m[1]]; !ok {
			t.Errorf("dangling reference to schema %s", m[1])
		}
	}
	for _, name := range []string{"ParticipantView", "ParticipantInput"} {
		props := schemas[name].(map[string]any)["properties"].(map[string]any)
		if _, ok := props["secret_hash"]; ok {
			t.Errorf("schema %s has secret_hash", name)
		}
	}
	// The anonymous routes say so; the others need a scheme.
	events := doc["paths"].(map[string]any)["/events/{event}"].(map[string]any)
	if sec := events["get"].(map[string]any)["security"].([]any); len(sec[0].(map[string]any)) != 0 {
		t.Errorf("GET /events/{event} is public but its security is %v", sec)
	}
	if sec := events["put"].(map[string]any)["security"].([]any); len(sec) != 2 {
		t.Errorf("PUT /events/{event} needs a sign-in but its security is %v", sec)
	}
}

// The document states the text caps of validation: maxLength on every
// capped field of the bodies, with the line rule.
func TestOpenAPITextCaps(t *testing.T) {
	f := newFixture(t, web.Config{})
	schemas := openAPIDoc(t, f)["components"].(map[string]any)["schemas"].(map[string]any)
	prop := func(schema, field string) map[string]any {
		s, ok := schemas[schema].(map[string]any)
		if !ok {
			t.Fatalf("no schema %s", schema)
		}
		p, _ := s["properties"].(map[string]any)[field].(map[string]any)
		return p
	}
	for _, tt := range []struct {
		schema, field string
		path          []string // into items or additionalProperties
		want          int
		multiline     bool
	}{
		{"Opportunity", "summary", nil, profiles.CapSummary, true},
		{"Opportunity", "title", nil, profiles.CapName, false},
		{"Opportunity", "keywords", []string{"items"}, profiles.CapName, false},
		{"PartnerSought", "role", nil, profiles.CapLine, false},
		{"Organization", "descriptions", []string{"additionalProperties"}, profiles.CapLong, true},
		{"Organization", "name", nil, profiles.CapName, false},
		{"ParticipantInput", "last_name", nil, profiles.CapCode, false},
		{"Event", "description", nil, profiles.CapLong, true},
		{"Session", "name", nil, profiles.CapCode, false},
		{"SendRequestInput", "message", nil, profiles.CapMessage, true},
	} {
		p := prop(tt.schema, tt.field)
		for _, step := range tt.path {
			p, _ = p[step].(map[string]any)
		}
		desc, _ := p["description"].(string)
		if p["maxLength"] != float64(tt.want) || strings.Contains(desc, "line breaks and tabs allowed") != tt.multiline {
			t.Errorf("%s.%s: %v, want maxLength %d, multiline %v", tt.schema, tt.field, p, tt.want, tt.multiline)
		}
	}
}
