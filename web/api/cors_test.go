package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/web"
)

// TestCORS: listed origins get their origin back with credentials, "*"
// lets any origin read without credentials, others get nothing; preflights
// are answered before any route or sign-in.
func TestCORS(t *testing.T) {
	const portal, evil = "https://portal.example.org", "https://evil.example"
	tests := []struct {
		name        string
		origins     []string
		method      string
		url         string
		origin      string
		preflight   string // Access-Control-Request-Method
		status      int
		allowOrigin string
		credentials bool
		methods     string // a method Allow-Methods must list, or "-" for none listed
	}{
		{"listed origin reads", []string{portal}, "GET", "/api/v1/events", portal, "", 200, portal, true, ""},
		{"listed origin, case and slash differ", []string{"https://Portal.example.org/"}, "GET", "/api/v1/events", portal, "", 200, portal, true, ""},
		{"listed origin preflight", []string{portal}, "OPTIONS", "/api/v1/events/ev/participants/p-a/requests", portal, "POST", 204, portal, true, "POST"},
		{"listed origin sees refusals", []string{portal}, "GET", "/api/v1/events/ev/stats", portal, "", 401, portal, true, ""},
		{"unlisted origin reads without CORS", []string{portal}, "GET", "/api/v1/events", evil, "", 200, "", false, ""},
		{"unlisted origin preflight refused", []string{portal}, "OPTIONS", "/api/v1/events", evil, "PUT", 403, "", false, "-"},
		{"any origin reads", []string{"*"}, "GET", "/api/v1/events", evil, "", 200, "*", false, ""},
		{"any origin may only read", []string{"*"}, "OPTIONS", "/api/v1/events", evil, "POST", 204, "*", false, "GET"},
		{"listed beats any", []string{"*", portal}, "GET", "/api/v1/events", portal, "", 200, portal, true, ""},
		{"no CORS configured", nil, "GET", "/api/v1/events", portal, "", 200, "", false, ""},
		{"pages get no CORS", []string{portal}, "GET", "/healthz", portal, "", 200, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, web.Config{CORSOrigins: tt.origins})
			header := []string{"Origin", tt.origin}
			if tt.preflight != "" {
				header = append(header, "Access-Control-Request-Method", tt.preflight, "Access-Control-Request-Headers", "content-type")
			}
			resp, body := f.Do(roleAnon, tt.method, tt.url, "", header...)
			h := resp.Header
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("Allow-Origin = %q, want %q", got, tt.allowOrigin)
			}
			if got := h.Get("Access-Control-Allow-Credentials") == "true"; got != tt.credentials {
				t.Errorf("Allow-Credentials = %v, want %v", got, tt.credentials)
			}
			if h.Get("Access-Control-Allow-Origin") == "*" && h.Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials offered with *")
			}
			switch methods := h.Get("Access-Control-Allow-Methods"); {
			case tt.methods == "-" && methods != "":
				t.Errorf("Allow-Methods = %q for a refused preflight", methods)
			case tt.methods != "" && tt.methods != "-" && !strings.Contains(methods, tt.methods):
				t.Errorf("Allow-Methods = %q, want %s in it", methods, tt.methods)
			}
			if tt.methods == "GET" && strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("\"*\" allows %q", h.Get("Access-Control-Allow-Methods"))
			}
			if tt.allowOrigin == "*" && strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Error("\"*\" allows the Authorization header")
			}
			if len(tt.origins) > 0 && strings.HasPrefix(tt.url, "/api/") && !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
				t.Error("no Vary: Origin: a shared cache could serve one origin's answer to another")
			}
		})
	}
	f := newFixture(t, web.Config{CORSOrigins: []string{portal}})
	resp, _ := f.Do(roleAnon, http.MethodGet, "/api/v1/events", "", "Origin", portal)
	if exposed := resp.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(exposed, "Location") || !strings.Contains(exposed, "Retry-After") {
		t.Errorf("Expose-Headers = %q: scripts cannot read Location and Retry-After", exposed)
	}
}

// TestCORSStateChanges: a listed origin's script may change state through
// the API (the CSRF check trusts it); another origin's browser request
// without a Bearer token is refused by the CSRF check.
func TestCORSStateChanges(t *testing.T) {
	const portal, evil = "https://portal.example.org", "https://evil.example"
	tests := []struct {
		name, role, origin string
		status             int
		allowOrigin        string
	}{
		{"listed origin with a Bearer token", roleA, portal, 201, portal},
		{"listed origin signed out", roleAnon, portal, 401, portal},
		{"other origin signed out", roleAnon, evil, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, web.Config{CORSOrigins: []string{portal}})
			resp, body := f.Do(tt.role, "POST", "/api/v1/events/ev/participants/p-a/requests", `{"to":"p-d"}`,
				"Origin", tt.origin, "Sec-Fetch-Site", "cross-site")
			if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != tt.allowOrigin {
				t.Errorf("status %d, Allow-Origin %q; want %d, %q: %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tt.status, tt.allowOrigin, body)
			}
		})
	}
}
