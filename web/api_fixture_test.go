package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
)

// The API tests run against a real server on loopback over a real store
// in a temporary directory, seeded with seedAuthz.

// Roles of the tests and their Bearer secrets.
const (
	roleAnon = "anonymous"
	roleA    = "A"
	roleB    = "B"
	roleOrg  = "organizer"
)

var roleSecrets = map[string]string{
	roleA:   "secret-alice",
	roleB:   "secret-bruno",
	roleOrg: "secret-organizer",
	"C":     "secret-carla",
	"X":     "secret-xavier", // participant of the other event
}

// roles lists the four roles every route is tried with.
var roles = []string{roleAnon, roleA, roleB, roleOrg}

// fixture is a running server over a seeded store.
type fixture struct {
	t    *testing.T
	base string
	eng  *matchgrid.Engine
	srv  *Server
}

// newFixture opens a temporary data directory, seeds it with seedAuthz and
// serves it on a loopback port until the test ends.
func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	seedAuthz(t, eng.Store())
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	base, srv := serveForTest(t, eng, cfg)
	return &fixture{t: t, base: base, eng: eng, srv: srv}
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends a request as role (a Bearer secret, none for anonymous) with an
// optional JSON body and returns the response with its body read.
func (f *fixture) do(role, method, path, body string, header ...string) (*http.Response, []byte) {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.base+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if secret, ok := roleSecrets[role]; ok {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, b
}

// seedAuthz writes the test event "ev": organizations org-a, org-b,
// org-c, org-d and org-empty (no participants); participants A (p-a, of
// org-a), B (p-b, org-b), C (p-c, org-c) and D (p-d, org-d, no requests);
// opportunities opp-a (A's) and opp-b (B's); requests rAB (A->B pending),
// rBA (B->A accepted, meeting m-rBA at slot 0), rAC (A->C pending) and rCA
// (C->A accepted, meeting m-rCA at slot 1). A second event "other" has
// participant X (p-x). The organizer's secret is set.
func seedAuthz(t *testing.T, store *profiles.Store) {
	t.Helper()
	created := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	err := store.Update(func(tx *profiles.Tx) error {
		if err := tx.SetOrganizerSecretHash(profiles.HashSecret(roleSecrets[roleOrg])); err != nil {
			return err
		}
		for _, id := range []string{"ev", "other"} {
			ev := &profiles.Event{ID: id, Name: "Event " + id, TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 4, Venue: "Turin",
				Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "10:00"}}}}}
			if err := tx.CreateEvent(ev); err != nil {
				return err
			}
		}
		orgs := []profiles.Organization{
			{ID: "org-a", EventID: "ev", Name: "Alpha Robotics", Kind: profiles.KindSME, Country: "IT",
				Descriptions: map[string]string{"en": "Robotic arms for hospital logistics and sterile supply."}},
			{ID: "org-b", EventID: "ev", Name: "Beta Clinic", Kind: profiles.KindHospital, Country: "FR",
				Descriptions: map[string]string{"en": "University hospital looking for logistics robots."}},
			{ID: "org-c", EventID: "ev", Name: "Gamma University", Kind: profiles.KindUniversity, Country: "DE"},
			{ID: "org-d", EventID: "ev", Name: "Delta Labs", Kind: profiles.KindStartup, Country: "ES",
				Descriptions: map[string]string{"en": "Startup seeking hospital partners to pilot sterile supply robots."}},
			{ID: "org-empty", EventID: "ev", Name: "Empty Org", Kind: profiles.KindOther, Country: "PT"},
			{ID: "org-x", EventID: "other", Name: "Xeno", Kind: profiles.KindSME, Country: "IT"},
		}
		for i := range orgs {
			if err := tx.CreateOrganization(&orgs[i]); err != nil {
				return err
			}
		}
		people := []profiles.Participant{
			{ID: "p-a", EventID: "ev", OrganizationID: "org-a", FirstName: "Alice", LastName: "Rossi", Email: "alice@alpha.example", SecretHash: profiles.HashSecret(roleSecrets[roleA])},
			{ID: "p-b", EventID: "ev", OrganizationID: "org-b", FirstName: "Bruno", LastName: "Blanc", Email: "bruno@beta.example", SecretHash: profiles.HashSecret(roleSecrets[roleB])},
			{ID: "p-c", EventID: "ev", OrganizationID: "org-c", FirstName: "Carla", LastName: "Weiss", Email: "carla@gamma.example", SecretHash: profiles.HashSecret(roleSecrets["C"])},
			{ID: "p-d", EventID: "ev", OrganizationID: "org-d", FirstName: "Diego", LastName: "Ruiz", Email: "diego@delta.example"},
			{ID: "p-x", EventID: "other", OrganizationID: "org-x", FirstName: "Xavier", LastName: "Xu", Email: "x@xeno.example", SecretHash: profiles.HashSecret(roleSecrets["X"])},
		}
		for i := range people {
			people[i].Type = profiles.TypeDelegate
			if err := tx.CreateParticipant(&people[i]); err != nil {
				return err
			}
		}
		opps := []profiles.Opportunity{
			{ID: "opp-a", EventID: "ev", ParticipantID: "p-a", Kind: profiles.KindOffer, Title: "Hospital logistics robot", Language: "en",
				Summary: "Autonomous robot carrying sterile supplies between hospital wards."},
			{ID: "opp-b", EventID: "ev", ParticipantID: "p-b", Kind: profiles.KindRequest, Title: "Robots for sterile supply", Language: "en",
				Summary: "Our hospital seeks robots for logistics of sterile supplies."},
		}
		for i := range opps {
			if err := tx.CreateOpportunity(&opps[i]); err != nil {
				return err
			}
		}
		requests := []profiles.MeetingRequest{
			{ID: "rAB", From: "p-a", To: "p-b", Status: profiles.RequestPending, Message: "private note from Alice to Bruno"},
			{ID: "rBA", From: "p-b", To: "p-a", Status: profiles.RequestAccepted},
			{ID: "rAC", From: "p-a", To: "p-c", Status: profiles.RequestPending, Message: "private note from Alice to Carla"},
			{ID: "rCA", From: "p-c", To: "p-a", Status: profiles.RequestAccepted},
		}
		for i := range requests {
			r := &requests[i]
			r.EventID, r.CreatedAt, r.UpdatedAt = "ev", created.Add(time.Duration(i)*time.Minute), created
			if err := tx.PutRequest(r); err != nil { // Put: the seed has two open requests per pair on purpose
				return err
			}
		}
		for _, m := range []profiles.Meeting{
			{ID: "m-rBA", EventID: "ev", A: "p-b", B: "p-a", RequestID: "rBA", Slot: 0, Table: 0, Status: profiles.MeetingScheduled},
			{ID: "m-rCA", EventID: "ev", A: "p-c", B: "p-a", RequestID: "rCA", Slot: 1, Table: 0, Status: profiles.MeetingScheduled},
		} {
			if err := tx.CreateMeeting(&m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
