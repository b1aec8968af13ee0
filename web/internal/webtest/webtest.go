// Package webtest serves a real matchgrid server on loopback for the tests
// of web and its packages: a seeded Fixture with four roles, and the helper
// that starts any engine's server.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

// The API tests run against a real server on loopback over a real store
// in a temporary directory, seeded with Seed.

// Roles of the tests and their Bearer secrets.
const (
	RoleAnon = "anonymous"
	RoleA    = "A"
	RoleB    = "B"
	RoleOrg  = "organizer"
)

var RoleSecrets = map[string]string{
	RoleA:   "secret-alice",
	RoleB:   "secret-bruno",
	RoleOrg: "secret-organizer",
	"C":     "secret-carla",
	"X":     "secret-xavier", // participant of the other event
}

// Roles lists the four roles every route is tried with.
var Roles = []string{RoleAnon, RoleA, RoleB, RoleOrg}

// Fixture is a running server over a seeded store.
type Fixture struct {
	T    *testing.T
	Base string // the server's URL, http://127.0.0.1:port
	Eng  *matchgrid.Engine
	Srv  *web.Server
}

// NewFixture opens a temporary data directory, seeds it with Seed and
// serves it on a loopback port until the test ends.
func NewFixture(t *testing.T, cfg web.Config) *Fixture {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	Seed(t, eng.Store())
	if cfg.Logger == nil {
		cfg.Logger = QuietLogger()
	}
	base, srv := Serve(t, eng, cfg)
	return &Fixture{T: t, Base: base, Eng: eng, Srv: srv}
}

// NoRedirects is a client that shows redirects instead of following them.
var NoRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends a request as role (a Bearer secret, none for anonymous) with an
// optional JSON body and returns the response with its body read.
func (f *Fixture) Do(role, method, path, body string, header ...string) (*http.Response, []byte) {
	f.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.Base+path, rd)
	if err != nil {
		f.T.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if secret, ok := RoleSecrets[role]; ok {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := NoRedirects.Do(req)
	if err != nil {
		f.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.T.Fatal(err)
	}
	return resp, b
}

// Seed writes the test event "ev": organizations org-a, org-b,
// org-c, org-d and org-empty (no participants); participants A (p-a, of
// org-a), B (p-b, org-b), C (p-c, org-c) and D (p-d, org-d, no requests);
// opportunities opp-a (A's) and opp-b (B's); requests rAB (A->B pending),
// rBA (B->A accepted, meeting m-rBA at slot 0), rAC (A->C pending) and rCA
// (C->A accepted, meeting m-rCA at slot 1). A second event "other" has
// participant X (p-x). The organizer's secret is set.
func Seed(t testing.TB, store *profiles.Store) {
	t.Helper()
	created := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	err := store.Update(func(tx *profiles.Tx) error {
		if err := tx.SetOrganizerSecretHash(profiles.HashSecret(RoleSecrets[RoleOrg])); err != nil { // a hash of old stores: fast for the many fixtures
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
			{ID: "p-a", EventID: "ev", OrganizationID: "org-a", FirstName: "Alice", LastName: "Rossi", Email: "alice@alpha.example", SecretHash: profiles.HashSecret(RoleSecrets[RoleA])},
			{ID: "p-b", EventID: "ev", OrganizationID: "org-b", FirstName: "Bruno", LastName: "Blanc", Email: "bruno@beta.example", SecretHash: profiles.HashSecret(RoleSecrets[RoleB])},
			{ID: "p-c", EventID: "ev", OrganizationID: "org-c", FirstName: "Carla", LastName: "Weiss", Email: "carla@gamma.example", SecretHash: profiles.HashSecret(RoleSecrets["C"])},
			{ID: "p-d", EventID: "ev", OrganizationID: "org-d", FirstName: "Diego", LastName: "Ruiz", Email: "diego@delta.example"},
			{ID: "p-x", EventID: "other", OrganizationID: "org-x", FirstName: "Xavier", LastName: "Xu", Email: "x@xeno.example", SecretHash: profiles.HashSecret(RoleSecrets["X"])},
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

// Serve serves eng with cfg on a loopback port until the test ends
// and returns the base URL and the server. Without a logger in cfg, the
// server's warnings and errors go to the test's log: they say why a page
// or an endpoint failed.
func Serve(t testing.TB, eng *matchgrid.Engine, cfg web.Config) (string, *web.Server) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := web.New(eng, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), srv
}

// QuietLogger drops the server's request logs.
func QuietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testLog writes the server's log lines to the test's log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// NoSecretsOf fails when body carries a private field of participant A
// (e-mail) or anyone's secret hash.
func NoSecretsOf(t *testing.T, role string, body []byte) {
	t.Helper()
	if strings.Contains(string(body), "secret_hash") {
		t.Errorf("%s: the answer carries a secret hash", role)
	}
	if role == RoleB && strings.Contains(string(body), "alice@alpha.example") {
		t.Errorf("B sees A's e-mail address: %s", body)
	}
	if role == RoleA && strings.Contains(string(body), "bruno@beta.example") {
		t.Errorf("A sees B's e-mail address: %s", body)
	}
}

// Request bodies the tests send, valid against the seeded store.
const (
	EventBody   = `{"id":"new-ev","name":"New","time_zone":"Europe/Rome","meeting_minutes":20,"tables":2,"days":[{"date":"2027-05-01","sessions":[{"name":"AM","start":"09:00","end":"10:00"}]}],"policy":{"auto_accept":false}}`
	EvPutBody   = `{"name":"Event ev renamed","time_zone":"Europe/Rome","meeting_minutes":20,"tables":4,"days":[{"date":"2027-03-16","sessions":[{"name":"Morning","start":"09:00","end":"10:00"}]}],"policy":{"auto_accept":false}}`
	OrgBody     = `{"id":"org-new","name":"New Org","kind":"sme","country":"IT"}`
	OrgPutBody  = `{"name":"Alpha Robotics S.r.l.","kind":"sme","country":"IT","descriptions":{"en":"Robots."}}`
	PartBody    = `{"id":"p-new","organization_id":"org-empty","first_name":"Nina","last_name":"New","type":"delegate"}`
	PartPutBody = `{"organization_id":"org-a","first_name":"Alice","last_name":"Rossi-Verdi","email":"alice@alpha.example","type":"delegate"}`
	OppBody     = `{"participant_id":"p-a","kind":"offer","title":"Another robot","language":"en"}`
	OppPutBody  = `{"participant_id":"p-a","kind":"offer","title":"Hospital logistics robot v2","language":"en"}`
	QuickGrid   = `{"budget_ms":50,"seed":1}`
)
