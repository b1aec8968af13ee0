package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// startServer serves a seeded temporary store on a loopback port and
// returns its base URL; the server stops at cleanup.
func startServer(t *testing.T) string {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	seedStore(t, eng.Store())
	base, _ := webtest.Serve(t, eng, web.Config{Logger: webtest.QuietLogger()})
	return base
}

func seedStore(t *testing.T, store *profiles.Store) {
	t.Helper()
	err := store.Update(func(tx *profiles.Tx) error {
		ev := &profiles.Event{ID: "ev", Name: "Event", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 4,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "10:00"}}}}}
		if err := tx.CreateEvent(ev); err != nil {
			return err
		}
		for i := range 7 {
			org := &profiles.Organization{ID: fmt.Sprintf("org-%d", i), EventID: "ev", Name: fmt.Sprintf("Org %d", i), Kind: profiles.KindSME, Country: "IT"}
			if err := tx.CreateOrganization(org); err != nil {
				return err
			}
			p := &profiles.Participant{ID: fmt.Sprintf("p-%d", i), EventID: "ev", OrganizationID: org.ID, FirstName: "P", LastName: fmt.Sprint(i),
				Email: fmt.Sprintf("p%d@example.org", i), Type: profiles.TypeDelegate, SecretHash: profiles.HashSecret(fmt.Sprint("secret", i))}
			if err := tx.CreateParticipant(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadOnlyAPI(t *testing.T) {
	base := startServer(t)
	tests := []struct {
		path        string
		status      int
		contentType string
		check       func(t *testing.T, body map[string]any)
	}{
		{"/healthz", 200, "application/json", func(t *testing.T, b map[string]any) {
			if b["status"] != "ok" {
				t.Errorf("health = %v", b)
			}
		}},
		{"/api/v1/events", 200, "application/json", func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if b["total"] != 1.0 || len(items) != 1 || items[0].(map[string]any)["id"] != "ev" {
				t.Errorf("events = %v", b)
			}
		}},
		{"/api/v1/events/ev", 200, "application/json", func(t *testing.T, b map[string]any) {
			if slots := b["slots"].([]any); len(slots) != 3 {
				t.Errorf("event has %d slots, want 3", len(slots))
			}
		}},
		{"/api/v1/events/ev/organizations?limit=3&offset=5", 200, "application/json", func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if b["total"] != 7.0 || len(items) != 2 || items[0].(map[string]any)["id"] != "org-5" {
				t.Errorf("page = %v", b)
			}
		}},
		{"/api/v1/events/ev/participants", 401, "application/problem+json", func(t *testing.T, b map[string]any) {
			if b["status"] != 401.0 {
				t.Errorf("anonymous visitors must not list participants: %v", b)
			}
		}},
		{"/api/v1/events/ev/organizations?offset=-1", 400, "application/problem+json", func(t *testing.T, b map[string]any) {
			if b["field"] != "offset" {
				t.Errorf("problem = %v", b)
			}
		}},
		{"/api/v1/events/nope/organizations", 404, "application/problem+json", func(t *testing.T, b map[string]any) {
			if !strings.Contains(b["detail"].(string), `"nope"`) {
				t.Errorf("problem does not name the event: %v", b)
			}
		}},
		{"/api/v1/nothing", 404, "application/problem+json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(base + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("content type = %q, want %q", ct, tt.contentType)
			}
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
}
