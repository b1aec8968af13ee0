package site_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// pageServer is a real server on loopback over a real store, for page tests.
type pageServer struct {
	eng  *matchgrid.Engine
	base string
}

// servePages opens a store in a temporary directory, fills it with seed,
// and serves it on a loopback port until the test ends.
func servePages(t *testing.T, cfg web.Config, seed func(tx *profiles.Tx) error) *pageServer {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if seed != nil {
		if err := eng.Store().Update(seed); err != nil {
			t.Fatal(err)
		}
	}
	if err := eng.Store().Update(func(tx *profiles.Tx) error {
		return tx.SetOrganizerSecretHash(profiles.HashSecret(organizerSecret))
	}); err != nil {
		t.Fatal(err)
	}
	base, _ := webtest.Serve(t, eng, cfg)
	return &pageServer{eng: eng, base: base}
}

const organizerSecret = "organizer-secret-for-tests"

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so that tests see them.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (ps *pageServer) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: ps.base, client: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a finished response with its body read.
type response struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body), location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form as a same-origin browser would.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// follow GETs the redirect target of r (which must be a redirect).
func (b *browser) follow(r response) response {
	b.t.Helper()
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("status %d, want 303; body:\n%s", r.status, r.body)
	}
	return b.get(r.location)
}

// signInOrganizer signs in with the organizer's secret.
func (b *browser) signInOrganizer() {
	b.t.Helper()
	r := b.post("/login", url.Values{"secret": {organizerSecret}, "next": {"/organizer"}})
	if r.status != http.StatusSeeOther || r.location != "/organizer" {
		b.t.Fatalf("organizer sign-in: %d %s", r.status, r.location)
	}
}

// signInParticipant gives the participant a new personal link and opens it.
func (b *browser) signInParticipant(eng *matchgrid.Engine, eventID, participantID string) {
	b.t.Helper()
	links, err := eng.IssueLinks(eventID, []string{participantID})
	if err != nil {
		b.t.Fatal(err)
	}
	r := b.get(links[0].Path)
	if r.status != http.StatusSeeOther || r.location != "/e/"+url.PathEscape(eventID)+"/me" {
		b.t.Fatalf("personal link: %d %s", r.status, r.location)
	}
}

// mustContain fails when body lacks any of the strings.
func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// mustNotContain fails when body has any of the strings.
func mustNotContain(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s contains %q", what, w)
		}
	}
}

// exportEvent is the event's full content, to compare before and after.
func exportEvent(t *testing.T, eng *matchgrid.Engine, eventID string) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := eng.Store().View(func(tx *profiles.Tx) error {
		b, err := tx.ExportEvent(eventID)
		if err != nil {
			return err
		}
		return json.NewEncoder(&buf).Encode(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDemoEvent runs the tests that need the demo event's size (paging,
// suggestions, a real grid) on one server, which is costly to fill.
func TestDemoEvent(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, importDemo)
	for _, tt := range []struct {
		name string
		run  func(*testing.T, *pageServer)
	}{
		{"participants table", demoParticipantsTable},
		{"bookmarks and dismiss", demoBookmarksAndDismiss},
		{"pages", demoPagesRender},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, ps) })
	}
}

// demoParticipants is how many of the demo's participants the page tests
// import: more than a page of the participants table, few enough to fill
// the store and build the matcher quickly with -race.
const demoParticipants = 60

// importDemo imports the demo event cut to its first demoParticipants
// participants, with their organizations, opportunities, and the requests
// and meetings among them.
func importDemo(tx *profiles.Tx) error {
	b, err := demo.Bundle()
	if err != nil {
		return err
	}
	kept, orgs := map[string]bool{}, map[string]bool{}
	b.Participants = b.Participants[:min(demoParticipants, len(b.Participants))]
	for _, p := range b.Participants {
		kept[p.ID], orgs[p.OrganizationID] = true, true
	}
	b.Organizations = slices.DeleteFunc(b.Organizations, func(o profiles.Organization) bool { return !orgs[o.ID] })
	b.Opportunities = slices.DeleteFunc(b.Opportunities, func(o profiles.Opportunity) bool { return !kept[o.ParticipantID] })
	b.Requests = slices.DeleteFunc(b.Requests, func(r profiles.MeetingRequest) bool { return !kept[r.From] || !kept[r.To] })
	b.Meetings = slices.DeleteFunc(b.Meetings, func(m profiles.Meeting) bool { return !kept[m.A] || !kept[m.B] })
	return tx.ImportBundle(b, profiles.ImportOptions{})
}

// demoPagesRender renders every page of the demo event (with a
// published grid), for the role that may see it, in English and in
// Italian, and checks each answers 200 with its main element; in Italian,
// no English text of the catalogs and no message ID shows.
func demoPagesRender(t *testing.T, ps *pageServer) {
	const ev = demo.EventID
	if _, err := ps.eng.Schedule(context.Background(), ev, matchgrid.ScheduleOptions{Budget: 200 * time.Millisecond, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	chunks := englishChunks(t)
	var firstOrg string
	if err := ps.eng.Store().View(func(tx *profiles.Tx) error {
		orgs, _, err := tx.OrganizationsPage(ev, 0, 1)
		if len(orgs) > 0 {
			firstOrg = orgs[0].ID
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	widget := issueWidget(t, ps, ev, "p-0002")
	for _, lang := range []string{"en", "it"} {
		anon := ps.browser(t)
		part := ps.browser(t)
		part.signInParticipant(ps.eng, ev, "p-0001")
		org := ps.browser(t)
		org.signInOrganizer()
		for _, b := range []*browser{anon, part, org} {
			b.get("/lang/" + lang)
		}
		t.Run(lang, func(t *testing.T) { renderDemoPages(t, anon, part, org, widget, firstOrg, lang, chunks) })
	}
}

// renderDemoPages is demoPagesRender in one language.
func renderDemoPages(t *testing.T, anon, part, org *browser, widget, firstOrg, lang string, chunks []string) {
	const ev = demo.EventID
	tests := []struct {
		who    *browser
		path   string
		testid string
	}{
		{anon, "/", `data-testid="events"`},
		{anon, "/login", `data-testid="login"`},
		{anon, "/login?failed=1", `data-testid="login-error"`},
		{anon, "/e/" + ev, `data-testid="organization"`},
		{anon, "/e/" + ev + "?kind=university&country=IT&page=2", `data-testid="event"`},
		{anon, "/e/" + ev + "/organizations/" + firstOrg, `data-testid="org-name"`},
		{anon, widget, `data-testid="widget-suggestion"`},
		{part, "/", `data-testid="events"`},
		{part, "/e/" + ev + "/organizations/" + firstOrg, `data-testid="person"`},
		{part, "/e/" + ev + "/me", `data-testid="profile"`},
		{part, "/e/" + ev + "/me/marketplace", `data-testid="result"`},
		{part, "/e/" + ev + "/me/marketplace?q=cancer+diagnostics&kind=sme&country=IT&type=organization", `data-testid="facets"`},
		{part, "/e/" + ev + "/me/marketplace?q=imaging&opp_kind=offer&page=2", `data-testid="marketplace"`},
		{part, "/e/" + ev + "/me/suggestions", `data-testid="why-you-fit-them"`},
		{part, "/e/" + ev + "/me/requests", `data-testid="requests"`},
		{part, "/e/" + ev + "/me/agenda", `data-testid="ics-subscribe"`},
		{org, "/organizer", `data-testid="event-dashboard"`},
		{org, "/organizer/e/" + ev, `id="chart-country"`},
		{org, "/organizer/e/" + ev + "/participants", `data-testid="participants-table"`},
		{org, "/organizer/e/" + ev + "/grid", `data-testid="grid-meeting"`},
		{org, "/organizer/e/" + ev + "/grid?view=published&find=a", `data-testid="found"`},
		{org, "/organizer/e/" + ev + "/matchmaking", `data-testid="matchmaking"`},
		{org, "/organizer/e/" + ev + "/followup", `data-testid="funnel"`},
		{org, "/e/" + ev + "/organizations/" + firstOrg, `data-testid="opportunity"`},
		{part, "/e/" + ev + "/me/time", `data-testid="mytime"`},
		{anon, "/no/such/page", `data-testid="error"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			tt.who.t = t
			r := tt.who.get(tt.path)
			if r.status != http.StatusOK && !strings.HasPrefix(tt.path, "/no/") {
				t.Fatalf("status %d; body:\n%s", r.status, short(r.body))
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
			mustContain(t, tt.path, r.body, tt.testid, "</html>")
			mustNotContain(t, tt.path, r.body, "ZgotmplZ", "secret_hash", " style=")
			mustContain(t, tt.path, r.body, `<html lang="`+lang+`">`)
			if lang == "it" {
				checkItalian(t, tt.path, r.body, chunks)
			}
		})
	}
}

// short keeps failure output readable.
func short(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// seedSmall is a small event "ev" (six slots, three tables) of three
// organizations and four participants (two of them in org-c), with
// opportunities and requests, plus a second event "ev2" with one
// participant.
func seedSmall(tx *profiles.Tx) error {
	day := []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "11:00"}}}}
	for _, ev := range []*profiles.Event{
		{ID: "ev", Name: "Small Event", Venue: "Hall A", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 3, Days: day},
		{ID: "ev2", Name: "Other Event", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 2, Days: day},
	} {
		if err := tx.CreateEvent(ev); err != nil {
			return err
		}
	}
	orgs := []profiles.Organization{
		{ID: "org-a", EventID: "ev", Name: "Alpha Diagnostics", Kind: profiles.KindSME, Country: "IT",
			Descriptions: map[string]string{"en": "We build rapid diagnostic tests for sepsis used in hospital emergency departments."}},
		{ID: "org-b", EventID: "ev", Name: "Beta Hospital", Kind: profiles.KindHospital, Country: "FR",
			Descriptions: map[string]string{"en": "A university hospital looking for rapid sepsis diagnostics and clinical validation partners."}},
		{ID: "org-c", EventID: "ev", Name: "Gamma University", Kind: profiles.KindUniversity, Country: "DE",
			Descriptions: map[string]string{"en": "Research on sepsis biomarkers and immune response in intensive care."}},
		{ID: "org-x", EventID: "ev2", Name: "Other Org", Kind: profiles.KindSME, Country: "ES"},
	}
	for i := range orgs {
		if err := tx.CreateOrganization(&orgs[i]); err != nil {
			return err
		}
	}
	people := []profiles.Participant{
		{ID: "p-a", EventID: "ev", OrganizationID: "org-a", FirstName: "Anna", LastName: "Alpha", Email: "anna@alpha.example", Type: profiles.TypeDelegate},
		{ID: "p-b", EventID: "ev", OrganizationID: "org-b", FirstName: "Bruno", LastName: "Beta", Email: "bruno@beta.example", Type: profiles.TypeDelegate},
		{ID: "p-c", EventID: "ev", OrganizationID: "org-c", FirstName: "Carla", LastName: "Gamma", Email: "carla@gamma.example", Type: profiles.TypeDelegate},
		{ID: "p-d", EventID: "ev", OrganizationID: "org-c", FirstName: "Dario", LastName: "Gamma", Email: "dario@gamma.example", Type: profiles.TypeDelegate},
		{ID: "p-x", EventID: "ev2", OrganizationID: "org-x", FirstName: "Xavier", LastName: "Other", Email: "x@other.example", Type: profiles.TypeDelegate},
	}
	for i := range people {
		if err := tx.CreateParticipant(&people[i]); err != nil {
			return err
		}
	}
	opps := []profiles.Opportunity{
		{ID: "opp-a", EventID: "ev", ParticipantID: "p-a", Kind: profiles.KindOffer, Title: "Rapid sepsis test", Language: "en",
			Summary: "A point-of-care test that detects sepsis in twenty minutes."},
		{ID: "opp-b", EventID: "ev", ParticipantID: "p-b", Kind: profiles.KindRequest, Title: "Sepsis diagnostics wanted", Language: "en",
			Summary: "We look for rapid sepsis diagnostics to validate in our emergency department."},
	}
	for i := range opps {
		if err := tx.CreateOpportunity(&opps[i]); err != nil {
			return err
		}
	}
	now := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	requests := []profiles.MeetingRequest{
		{ID: "req-bc", EventID: "ev", From: "p-b", To: "p-c", Message: "private words between Bruno and Carla", Status: profiles.RequestPending, CreatedAt: now, UpdatedAt: now},
		{ID: "req-ca", EventID: "ev", From: "p-c", To: "p-a", Message: "Carla would like to meet Anna", Status: profiles.RequestAccepted, CreatedAt: now, UpdatedAt: now},
		{ID: "req-ba", EventID: "ev", From: "p-b", To: "p-a", Message: "Bruno asks Anna", Status: profiles.RequestAccepted, CreatedAt: now, UpdatedAt: now},
	}
	for i := range requests {
		if err := tx.CreateRequest(&requests[i]); err != nil {
			return err
		}
	}
	return nil
}

// readTx runs fn in a read transaction or fails the test.
func readTx(t *testing.T, eng *matchgrid.Engine, fn func(tx *profiles.Tx) error) {
	t.Helper()
	if err := eng.Store().View(fn); err != nil {
		t.Fatal(err)
	}
}

func TestPageGates(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	anon, a, x, org := ps.browser(t), ps.browser(t), ps.browser(t), ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	x.signInParticipant(ps.eng, "ev2", "p-x")
	org.signInOrganizer()
	type want struct {
		status   int
		location string // for redirects
	}
	tests := []struct {
		path                      string
		anon, a, otherEvent, orgz want
	}{
		{"/", want{200, ""}, want{200, ""}, want{200, ""}, want{200, ""}},
		{"/e/ev", want{200, ""}, want{200, ""}, want{200, ""}, want{200, ""}},
		{"/e/ev/organizations/org-b", want{200, ""}, want{200, ""}, want{200, ""}, want{200, ""}},
		{"/e/nope", want{404, ""}, want{404, ""}, want{404, ""}, want{404, ""}},
		{"/e/ev/me", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/e/ev/me/marketplace", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/e/ev/me/suggestions", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/e/ev/me/requests", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/e/ev/me/agenda", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/e/ev/me/agenda.ics", want{401, ""}, want{200, ""}, want{403, ""}, want{303, "/organizer/e/ev"}},
		{"/organizer", want{303, "/login?next=%2Forganizer"}, want{403, ""}, want{403, ""}, want{200, ""}},
		{"/organizer/e/ev/grid?view=published", want{303, "/login?next=%2Forganizer%2Fe%2Fev%2Fgrid%3Fview%3Dpublished"}, want{403, ""}, want{403, ""}, want{200, ""}},
		{"/organizer/e/ev/participants", want{303, "/login?next=%2Forganizer%2Fe%2Fev%2Fparticipants"}, want{403, ""}, want{403, ""}, want{200, ""}},
		{"/organizer/e/nope", want{303, "/login?next=%2Forganizer%2Fe%2Fnope"}, want{403, ""}, want{403, ""}, want{404, ""}},
		{"/organizer/e/ev/exports/grid.csv", want{303, "/login?next=%2Forganizer%2Fe%2Fev%2Fexports%2Fgrid.csv"}, want{403, ""}, want{403, ""}, want{200, ""}},
		{"/login", want{200, ""}, want{200, ""}, want{200, ""}, want{303, "/organizer"}},
	}
	for _, tt := range tests {
		for _, who := range []struct {
			name string
			b    *browser
			w    want
		}{{"anonymous", anon, tt.anon}, {"participant", a, tt.a}, {"other event", x, tt.otherEvent}, {"organizer", org, tt.orgz}} {
			t.Run(who.name+" "+tt.path, func(t *testing.T) {
				who.b.t = t
				r := who.b.get(tt.path)
				if r.status != who.w.status || r.location != who.w.location {
					t.Errorf("got %d %q, want %d %q", r.status, r.location, who.w.status, who.w.location)
				}
			})
		}
	}
	t.Run("a form posted anonymously goes to sign-in", func(t *testing.T) {
		anon.t = t
		r := anon.post("/organizer/e/ev/grid/publish", nil)
		if r.status != http.StatusSeeOther || r.location != "/login?next=%2Forganizer" {
			t.Errorf("got %d %q", r.status, r.location)
		}
	})
	t.Run("a cross-site form is refused", func(t *testing.T) {
		a.t = t
		req, _ := http.NewRequest(http.MethodPost, ps.base+"/e/ev/me/profile", strings.NewReader("first_name=Evil"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := a.do(req); r.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", r.status)
		}
	})
	t.Run("sign-in comes back to the page asked for", func(t *testing.T) {
		b := ps.browser(t)
		r := b.post("/login", url.Values{"secret": {organizerSecret}, "next": {"/organizer/e/ev/grid"}})
		if r.status != http.StatusSeeOther || r.location != "/organizer/e/ev/grid" {
			t.Errorf("got %d %q", r.status, r.location)
		}
		b = ps.browser(t)
		r = b.post("/login", url.Values{"secret": {"wrong"}, "next": {"/organizer/e/ev"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login?failed=1") {
			t.Errorf("wrong secret: got %d %q", r.status, r.location)
		}
		mustContain(t, "sign-in page after a wrong secret", b.follow(r).body, `data-testid="login-error"`, `value="/organizer/e/ev"`)
	})
}

// TestParticipantSeesOnlyOwnData signs in as participant A and checks that
// the pages show A's data, never another's private data, and that forms
// aimed at others' opportunities and requests change nothing.
func TestParticipantSeesOnlyOwnData(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	others := []string{"bruno@beta.example", "carla@gamma.example", "dario@gamma.example", "x@other.example", "private words between Bruno and Carla"}

	for _, path := range []string{"/e/ev/me", "/e/ev/me/marketplace", "/e/ev/me/marketplace?q=sepsis", "/e/ev/me/suggestions",
		"/e/ev/me/requests", "/e/ev/me/agenda", "/e/ev/organizations/org-b", "/e/ev/organizations/org-c"} {
		r := a.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, r.status)
		}
		mustNotContain(t, path, r.body, others...)
		mustNotContain(t, path, r.body, "secret_hash", "SecretHash")
	}
	mustContain(t, "my page", a.get("/e/ev/me").body, `data-testid="my-name">Anna Alpha<`, "anna@alpha.example", "Rapid sepsis test")
	req := a.get("/e/ev/me/requests").body
	mustContain(t, "my requests", req, `data-request="req-ca"`, `data-request="req-ba"`, "Carla would like to meet Anna")
	mustNotContain(t, "my requests", req, `data-request="req-bc"`)

	// Forms aimed at what is not A's answer 404 and change nothing.
	before := exportEvent(t, ps.eng, "ev")
	for _, path := range []string{"/e/ev/me/opportunities/opp-b", "/e/ev/me/opportunities/opp-b/delete",
		"/e/ev/me/requests/req-bc/accept", "/e/ev/me/requests/req-bc/decline", "/e/ev/me/requests/req-bc/cancel", "/e/ev/me/requests/nope/accept"} {
		r := a.post(path, url.Values{"title": {"Hijacked"}, "kind": {"offer"}, "language": {"en"}})
		if r.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, r.status)
		}
		mustNotContain(t, path, r.body, `"p-b"`, `"p-c"`, "Bruno", "Carla")
	}
	if after := exportEvent(t, ps.eng, "ev"); !bytes.Equal(before, after) {
		t.Error("forms on others' opportunities and requests changed the store")
	}

	// A's calendar key opens A's calendar only.
	agenda := a.get("/e/ev/me/agenda").body
	feed := attr(t, agenda, `data-testid="ics-subscribe"`, "value")
	u, err := url.Parse(feed)
	if err != nil {
		t.Fatal(err)
	}
	anon := ps.browser(t)
	if r := anon.get(u.RequestURI()); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") ||
		r.header.Get("Set-Cookie") != "" {
		t.Errorf("own feed: %d %q, cookie %q", r.status, r.header.Get("Content-Type"), r.header.Get("Set-Cookie"))
	}
	for _, path := range []string{"/e/ev/calendar/p-b.ics?" + u.RawQuery, "/e/ev/calendar/p-a.ics?key=wrong", "/e/ev2/calendar/p-a.ics?" + u.RawQuery} {
		if r := anon.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.status)
		}
	}
	// A new personal link replaces the subscription address.
	a.signInParticipant(ps.eng, "ev", "p-a")
	if r := anon.get(u.RequestURI()); r.status != http.StatusNotFound {
		t.Errorf("feed after a new link: status %d, want 404", r.status)
	}
}

// attr returns the value of attribute name of the first element whose tag
// contains marker.
func attr(t *testing.T, body, marker, name string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no element with %s", marker)
	}
	start := strings.LastIndexByte(body[:i], '<')
	end := i + strings.IndexByte(body[i:], '>')
	tag := body[start:end]
	_, rest, ok := strings.Cut(tag, " "+name+`="`)
	if !ok {
		t.Fatalf("element %s has no %s", tag, name)
	}
	v, _, _ := strings.Cut(rest, `"`)
	return htmlUnescape(v)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

// TestParticipantForms drives the participant's own forms and checks the
// store after each.
func TestParticipantForms(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a, b := ps.browser(t), ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	b.signInParticipant(ps.eng, "ev", "p-b")

	r := a.post("/e/ev/me/profile", url.Values{"first_name": {"Anne"}, "last_name": {"Alpha"}, "job_title": {"CEO"}, "languages": {"en, IT"}})
	mustContain(t, "after saving the profile", a.follow(r).body, "Your profile was saved.", `data-testid="my-name">Anne Alpha<`)
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		p, err := tx.Participant("ev", "p-a")
		if err == nil && (p.FirstName != "Anne" || p.JobTitle != "CEO" || strings.Join(p.Languages, ",") != "en,it" || p.Email != "anna@alpha.example") {
			t.Errorf("profile after save: %+v", p)
		}
		return err
	})

	r = a.post("/e/ev/me/organization", url.Values{"name": {"Alpha Diagnostics"}, "kind": {"startup"}, "country": {"it"},
		"description_en": {"Sepsis tests in twenty minutes."}, "new_description": {"Test rapidi per la sepsi."}, "new_description_lang": {"it"},
		"sectors": {"diagnostics, medtech"}})
	mustContain(t, "after saving the organization", a.follow(r).body, "organization&#39;s profile was saved")
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		o, err := tx.Organization("ev", "org-a")
		if err == nil && (o.Kind != profiles.KindStartup || o.Country != "IT" || o.Descriptions["it"] != "Test rapidi per la sepsi." || len(o.Sectors) != 2) {
			t.Errorf("organization after save: %+v", o)
		}
		return err
	})
	r = a.post("/e/ev/me/organization", url.Values{"name": {"Alpha Diagnostics"}, "kind": {"spaceship"}, "country": {"IT"}})
	mustContain(t, "after a bad kind", a.follow(r).body, `class="flash flash-error"`, "kind")

	r = a.post("/e/ev/me/opportunities", url.Values{"kind": {"request"}, "title": {"Clinical validation site"}, "language": {"en"},
		"partner_kinds": {"hospital", "university"}, "keywords": {"validation, sepsis"}})
	mustContain(t, "after publishing", a.follow(r).body, "Clinical validation site")
	var created *profiles.Opportunity
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		opps, err := tx.OpportunitiesOfParticipant("ev", "p-a")
		for i := range opps {
			if opps[i].Title == "Clinical validation site" {
				created = &opps[i]
			}
		}
		return err
	})
	if created == nil || len(created.PartnerSought.Kinds) != 2 || created.OrganizationID != "org-a" {
		t.Fatalf("created opportunity: %+v", created)
	}
	r = a.post("/e/ev/me/opportunities/"+created.ID, url.Values{"kind": {"request"}, "title": {"Clinical validation sites"}, "language": {"en"}})
	a.follow(r)
	r = a.post("/e/ev/me/opportunities/"+created.ID+"/delete", nil)
	mustContain(t, "after deleting", a.follow(r).body, "The opportunity was deleted.")
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		if _, err := tx.Opportunity("ev", created.ID); !errors.Is(err, profiles.ErrNotFound) {
			t.Errorf("deleted opportunity: %v", err)
		}
		return nil
	})

	// A asks D and withdraws; B withdraws its pending request to C.
	r = a.post("/e/ev/me/requests", url.Values{"to": {"p-d"}, "message": {"Shall we talk biomarkers?"}, "back": {"/e/ev/me/suggestions"}})
	if r.location != "/e/ev/me/suggestions" {
		t.Errorf("send redirects to %q, want the page it came from", r.location)
	}
	mustContain(t, "after sending", a.follow(r).body, "Your request was sent to Dario Gamma.")
	r = a.post("/e/ev/me/requests", url.Values{"to": {"p-d"}, "message": {"again"}, "back": {"https://evil.example/"}})
	if r.location != "/e/ev/me/requests" {
		t.Errorf("a foreign back address redirects to %q", r.location)
	}
	mustContain(t, "a second request to the same person", a.follow(r).body, `flash flash-error`)
	var sent profiles.MeetingRequest
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		rs, err := tx.RequestsFrom("ev", "p-a")
		for _, rq := range rs {
			if rq.To == "p-d" {
				sent = rq
			}
		}
		return err
	})
	if sent.Status != profiles.RequestPending || sent.Message != "Shall we talk biomarkers?" {
		t.Fatalf("sent request: %+v", sent)
	}
	mustContain(t, "A's outbox", a.get("/e/ev/me/requests").body, `data-request="`+sent.ID+`" data-status="pending"`)
	r = a.post("/e/ev/me/requests/"+sent.ID+"/cancel", nil)
	mustContain(t, "after withdrawing", a.follow(r).body, `data-request="`+sent.ID+`" data-status="cancelled"`)

	r = b.post("/e/ev/me/requests/req-bc/cancel", nil) // B's own pending request to C
	b.follow(r)
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		rq, err := tx.Request("ev", "req-bc")
		if err == nil && rq.Status != profiles.RequestCancelled {
			t.Errorf("req-bc is %s after its sender cancelled it", rq.Status)
		}
		return err
	})
}

func TestRequestSendingIsRateLimited(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, func(tx *profiles.Tx) error {
		if err := seedSmall(tx); err != nil {
			return err
		}
		for i := range 25 {
			id := fmt.Sprintf("q-%02d", i)
			if err := tx.CreateOrganization(&profiles.Organization{ID: "org-" + id, EventID: "ev", Name: "Org " + id, Kind: profiles.KindSME, Country: "IT"}); err != nil {
				return err
			}
			if err := tx.CreateParticipant(&profiles.Participant{ID: id, EventID: "ev", OrganizationID: "org-" + id, LastName: id, Type: profiles.TypeDelegate}); err != nil {
				return err
			}
		}
		return nil
	})
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	limited := 0
	for i := range 25 {
		body := a.follow(a.post("/e/ev/me/requests", url.Values{"to": {fmt.Sprintf("q-%02d", i)}})).body
		if strings.Contains(body, "wait a minute") {
			limited++
		}
	}
	var n int
	readTx(t, ps.eng, func(tx *profiles.Tx) error { rs, err := tx.RequestsFrom("ev", "p-a"); n = len(rs); return err })
	if limited == 0 || n+limited != 25 || n > 20 {
		t.Errorf("%d requests stored, %d refused by the limit; want at most 20 stored and the rest refused", n, limited)
	}
}

// uploadCSV posts a file to the participants import as a browser would.
func (b *browser) uploadCSV(path, name, content string) response {
	b.t.Helper()
	return b.upload(path, "file", name, []byte(content))
}

// upload posts one file as form field field, as a same-origin browser would.
func (b *browser) upload(path, field, name string, content []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func TestCSVUpload(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	org := ps.browser(t)
	org.signInOrganizer()
	const header = "organization,kind,country,first_name,last_name,email,job_title\n"
	tests := []struct {
		name, file, content string
		line                int
		column, value       string
	}{
		{"bad kind on line 3", "reg.csv", header +
			"Delta Labs,sme,NL,Dora,Delta,dora@delta.example,CTO\n" +
			"Epsilon Care,spaceship,BE,Emil,Epsilon,emil@epsilon.example,CEO\n" +
			"Zeta Bio,startup,PT,Zoe,Zeta,zoe@zeta.example,CSO\n", 3, "kind", "spaceship"},
		{"bad e-mail on line 2", "reg2.csv", header +
			"Delta Labs,sme,NL,Dora,Delta,not-an-address,CTO\n", 2, "email", "not-an-address"},
		{"no known header", "junk.csv", "foo,bar\n1,2\n", 1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org.t = t
			before := exportEvent(t, ps.eng, "ev")
			r := org.uploadCSV("/organizer/e/ev/participants/import", tt.file, tt.content)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			mustContain(t, "the page after a bad upload", r.body, `data-testid="import-error"`,
				`data-testid="import-error-file">`+tt.file+`<`, fmt.Sprintf(`data-testid="import-error-line">%d<`, tt.line))
			if tt.column != "" {
				mustContain(t, "the page after a bad upload", r.body, `data-testid="import-error-column">`+tt.column+`<`,
					`data-testid="import-error-value"><code>`+tt.value+`</code>`)
			}
			if after := exportEvent(t, ps.eng, "ev"); !bytes.Equal(before, after) {
				t.Error("a refused upload changed the store")
			}
		})
	}
	t.Run("good file", func(t *testing.T) {
		org.t = t
		r := org.uploadCSV("/organizer/e/ev/participants/import", "good.csv", header+
			"Delta Labs,sme,NL,Dora,Delta,dora@delta.example,CTO\n"+
			"Delta Labs,sme,NL,Dirk,Delta,dirk@delta.example,CFO\n"+
			"Zeta Bio,startup,PT,Zoe,Zeta,zoe@zeta.example,CSO\n")
		page := org.follow(r).body
		mustContain(t, "the page after a good upload", page, "Imported good.csv: 3 rows; organizations 2 new", "dora@delta.example", "Zoe Zeta")
		readTx(t, ps.eng, func(tx *profiles.Tx) error {
			people, err := tx.Participants("ev")
			if len(people) != 7 {
				t.Errorf("%d participants after importing 3 into 4", len(people))
			}
			return err
		})
	})
	t.Run("no file", func(t *testing.T) {
		org.t = t
		r := org.post("/organizer/e/ev/participants/import", nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", r.status)
		}
	})
}

// TestOrganizerGridFlow previews, publishes, locks and unlocks through the
// pages, and checks the store and the participants' agendas after each.
func TestOrganizerGridFlow(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	org, a := ps.browser(t), ps.browser(t)
	org.signInOrganizer()
	a.signInParticipant(ps.eng, "ev", "p-a")
	meetings := func() []profiles.Meeting {
		var ms []profiles.Meeting
		readTx(t, ps.eng, func(tx *profiles.Tx) (err error) { ms, err = tx.Meetings("ev"); return err })
		return ms
	}

	mustContain(t, "grid before anything", org.get("/organizer/e/ev/grid").body, `data-state="empty"`)
	r := org.post("/organizer/e/ev/grid/preview", url.Values{"budget": {"2"}})
	page := org.follow(r).body
	mustContain(t, "exports before any grid", page, `data-testid="exports-disabled"`, "Publish this grid? ")
	mustContain(t, "grid after preview", page, "Preview ready: 2 of 2 meetings placed", `data-state="preview"`, `data-testid="grid-publish"`,
		`data-testid="grid-meeting" data-meeting="m-req-ca"`)
	if ms := meetings(); len(ms) != 0 {
		t.Fatalf("a preview wrote %d meetings", len(ms))
	}
	if r := org.post("/organizer/e/ev/grid/preview", url.Values{"budget": {"999"}}); !strings.Contains(org.follow(r).body, "flash-error") {
		t.Error("a budget not offered was accepted")
	}

	r = org.post("/organizer/e/ev/grid/publish", nil)
	page = org.follow(r).body
	mustContain(t, "grid after publish", page, "Grid published: 2 meetings new", `data-state="published"`, `data-testid="lock"`)
	mustContain(t, "exports once published", page, `data-testid="export-grid-csv"`)
	found := org.get("/organizer/e/ev/grid?view=published&find=" + url.QueryEscape("ANNA alpha")).body
	mustContain(t, "finding Anna in the grid", found, `data-testid="found"`, "meeting found", `class="meeting found"`)
	mustNotContain(t, "finding Anna in the grid", found, "No meeting of")
	mustContain(t, "finding nobody", org.get("/organizer/e/ev/grid?find=zzz").body, "No meeting of")
	ms := meetings()
	if len(ms) != 2 {
		t.Fatalf("%d meetings after publishing, want 2", len(ms))
	}
	r = org.post("/organizer/e/ev/grid/publish", nil)
	mustContain(t, "publishing twice", org.follow(r).body, "flash-error", "no preview")

	// Both sides see the meeting at the same slot and table.
	m := ms[0]
	var slotStart time.Time
	var table string
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		e, err := tx.Event("ev")
		if err != nil {
			return err
		}
		slots, err := e.Slots()
		if err != nil {
			return err
		}
		slotStart, table = slots[m.Slot].Start, e.TableName(m.Table)
		return nil
	})
	agenda := a.get("/e/ev/me/agenda").body
	// html/template writes "+" in attributes as "&#43;"; a browser reads it back.
	start := strings.ReplaceAll(slotStart.Format(time.RFC3339), "+", "&#43;")
	mustContain(t, "A's agenda", agenda, `data-meeting="`+m.ID+`" data-start="`+start+`" data-table="`+table+`"`)
	ics := a.get("/e/ev/me/agenda.ics")
	mustContain(t, "A's ICS", ics.body, "BEGIN:VCALENDAR", m.UID)
	if cd := ics.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("ICS download disposition %q", cd)
	}

	r = org.post("/organizer/e/ev/meetings/"+m.ID+"/lock", nil)
	if !strings.HasPrefix(r.location, "/organizer/e/ev/grid?view=published#meeting-") {
		t.Errorf("lock redirects to %q", r.location)
	}
	mustContain(t, "grid after lock", org.follow(r).body, `data-meeting="`+m.ID+`" data-locked="true"`)
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		got, err := tx.Meeting("ev", m.ID)
		if err == nil && !got.Locked {
			t.Error("meeting not locked in the store")
		}
		return err
	})
	org.follow(org.post("/organizer/e/ev/meetings/"+m.ID+"/unlock", nil))
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		got, err := tx.Meeting("ev", m.ID)
		if err == nil && got.Locked {
			t.Error("meeting still locked after unlock")
		}
		return err
	})
	if r := org.post("/organizer/e/ev/meetings/nope/lock", nil); r.status != http.StatusNotFound {
		t.Errorf("locking an unknown meeting: status %d", r.status)
	}

	// A late request, accepted after publication, is placed around the grid.
	d := ps.browser(t)
	d.signInParticipant(ps.eng, "ev", "p-d")
	d.follow(d.post("/e/ev/me/requests", url.Values{"to": {"p-b"}, "message": {"late"}}))
	var late string
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		rs, err := tx.RequestsFrom("ev", "p-d")
		for _, rq := range rs {
			if rq.To == "p-b" && rq.Status == profiles.RequestPending {
				late = rq.ID
			}
		}
		return err
	})
	b := ps.browser(t)
	b.signInParticipant(ps.eng, "ev", "p-b")
	b.follow(b.post("/e/ev/me/requests/"+late+"/accept", nil))
	r = org.post("/organizer/e/ev/grid/place-late", nil)
	mustContain(t, "grid after placing late requests", org.follow(r).body, "Late requests placed: 1 new meetings")
	after := meetings()
	if len(after) != 3 {
		t.Fatalf("%d meetings after placing the late request, want 3", len(after))
	}
	for _, am := range after {
		if am.ID == m.ID && (am.Slot != m.Slot || am.Table != m.Table) {
			t.Errorf("a published meeting moved: %+v -> %+v", m, am)
		}
	}

	// Exports.
	for _, ex := range []struct{ path, ctype, contains string }{
		{"/organizer/e/ev/exports/grid.csv", "text/csv", "Anna Alpha"},
		{"/organizer/e/ev/exports/agendas.csv", "text/csv", "p-a," + m.ID},
		{"/organizer/e/ev/exports/agendas.zip", "application/zip", ""},
	} {
		r := org.get(ex.path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), ex.ctype) {
			t.Errorf("%s: %d %q", ex.path, r.status, r.header.Get("Content-Type"))
			continue
		}
		mustContain(t, ex.path, r.body, ex.contains)
		if ex.ctype == "application/zip" {
			zr, err := zip.NewReader(strings.NewReader(r.body), int64(len(r.body)))
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, f := range zr.File {
				names[f.Name] = true
			}
			if !names["p-a.ics"] || !names["p-b.ics"] || !names["p-c.ics"] || !names["p-d.ics"] || len(names) != 4 {
				t.Errorf("zip holds %v, want the four agendas", names)
			}
		}
	}
}

func TestOrganizerLinksAndMatchmaking(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	org := ps.browser(t)
	org.signInOrganizer()
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")

	r := org.post("/organizer/e/ev/links", url.Values{"scope": {"selected"}, "participant": {"p-a", "p-c"}})
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("links: %d %q", r.status, r.header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "p-a,Anna Alpha,anna@alpha.example,Alpha Diagnostics,"+ps.base+"/e/ev/link?key=") {
		t.Fatalf("links CSV:\n%s", r.body)
	}
	link := strings.TrimPrefix(lines[1][strings.LastIndexByte(lines[1], ',')+1:], ps.base)
	if got := a.get("/e/ev/me"); got.status != http.StatusOK {
		// The old session was bound to the old secret: it ends.
		if got.status != http.StatusUnauthorized {
			t.Errorf("old session after a new link: %d", got.status)
		}
	} else {
		t.Error("the old session still works after a new link")
	}
	fresh := ps.browser(t)
	if r := fresh.get(link); r.status != http.StatusSeeOther {
		t.Errorf("new link: status %d", r.status)
	}
	r = org.post("/organizer/e/ev/links", url.Values{"scope": {"selected"}})
	mustContain(t, "links with none ticked", org.follow(r).body, "flash-error")
	r = org.post("/organizer/e/ev/links", url.Values{"scope": {"all"}})
	if n := strings.Count(strings.TrimSpace(r.body), "\n"); r.status != http.StatusOK || n != 4 {
		t.Errorf("links for all: %d with %d rows", r.status, n)
	}

	mustContain(t, "before a run", org.get("/organizer/e/ev/matchmaking").body, `data-state="none"`)
	r = org.post("/organizer/e/ev/matchmaking", url.Values{"k": {"5"}})
	if r.status != http.StatusSeeOther || r.location != "/organizer/e/ev/matchmaking" {
		t.Fatalf("matchmaking: %d to %q", r.status, r.location)
	}
	page := org.follow(r).body
	for deadline := time.Now().Add(time.Minute); strings.Contains(page, `data-state="running"`) && time.Now().Before(deadline); {
		mustContain(t, "a run in progress", page, `data-testid="mm-progress"`, `http-equiv="refresh"`)
		time.Sleep(100 * time.Millisecond)
		page = org.get("/organizer/e/ev/matchmaking").body
	}
	mustContain(t, "matchmaking summary", page, `data-state="done"`, `data-figure="participants">4<`)
	mustContain(t, "the setting is kept", org.get("/organizer/e/ev/participants").body, `id="k" name="k" type="number" min="1" max="50" value="5"`)
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		ev, err := tx.Event("ev")
		if err == nil && ev.Suggestions != 5 {
			t.Errorf("the event's suggestions setting is %d, want 5", ev.Suggestions)
		}
		return err
	})
	r = org.post("/organizer/e/ev/matchmaking", url.Values{"k": {"0"}})
	mustContain(t, "matchmaking with k=0", org.follow(r).body, "flash-error")
}

// issueWidget has participant id create their widget address on their
// profile page and returns it (a path on the server).
func issueWidget(t *testing.T, ps *pageServer, ev, id string) string {
	t.Helper()
	b := ps.browser(t)
	b.signInParticipant(ps.eng, ev, id)
	page := b.follow(b.post("/e/"+ev+"/me/widget", nil)).body
	u, err := url.Parse(html.UnescapeString(attr(t, page, `data-testid="widget-url"`, "value")))
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

func TestWidget(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{FrameAncestors: []string{"https://portal.example"}}, seedSmall)
	links, err := ps.eng.IssueLinks("ev", []string{"p-b"})
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimPrefix(links[0].Path, "/e/ev/link?key=")
	widget := issueWidget(t, ps, "ev", "p-b")
	anon := ps.browser(t)
	r := anon.get(widget)
	if r.status != http.StatusOK {
		t.Fatalf("widget: %d\n%s", r.status, short(r.body))
	}
	mustContain(t, "widget", r.body, `data-testid="widget"`, "Partners for Bruno Beta")
	mustNotContain(t, "widget", r.body, "anna@alpha.example", "carla@gamma.example")
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://portal.example") {
		t.Errorf("widget CSP %q", csp)
	}
	if xfo := r.header.Get("X-Frame-Options"); xfo != "" {
		t.Errorf("widget X-Frame-Options %q would forbid the portal's frame", xfo)
	}
	if c := r.header.Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("widget sets cookies %v", c)
	}
	for _, path := range []string{"/e/ev", "/e/ev/link?key=" + key, "/nothing"} {
		h := anon.get(path).header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s may be framed: CSP %q, X-Frame-Options %q", path, csp, h.Get("X-Frame-Options"))
		}
	}
	t.Run("no frame ancestors configured", func(t *testing.T) {
		ps := servePages(t, web.Config{}, seedSmall)
		r := ps.browser(t).get(issueWidget(t, ps, "ev", "p-b"))
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("widget without configured ancestors: %d, CSP %q, X-Frame-Options %q", r.status, r.header.Get("Content-Security-Policy"), r.header.Get("X-Frame-Options"))
		}
	})
	replaced := widget
	widget = issueWidget(t, ps, "ev", "p-b") // replaces the first address
	for _, path := range []string{"/e/ev/widget/suggestions?key=" + key, "/e/ev/widget/suggestions?p=p-b&key=" + key,
		"/e/ev/widget/suggestions?p=p-b&token=wrong", "/e/ev/widget/suggestions", strings.Replace(widget, "/e/ev/", "/e/ev2/", 1), replaced} {
		if r := anon.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.status)
		}
	}
	if r := anon.get(widget); r.status != http.StatusOK {
		t.Errorf("the new widget address: %d", r.status)
	}
	b := ps.browser(t)
	b.signInParticipant(ps.eng, "ev", "p-b")
	mustContain(t, "after revoking", b.follow(b.post("/e/ev/me/widget/revoke", nil)).body, "widget address is revoked")
	if r := anon.get(widget); r.status != http.StatusNotFound {
		t.Errorf("a revoked widget address: %d", r.status)
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, nil)
	b := ps.browser(t)
	page := b.get("/login").body
	css := attr(t, page, `rel="stylesheet"`, "href")
	js := attr(t, page, `<script src=`, "src")
	for _, tt := range []struct{ path, ctype, cache string }{
		{css, "text/css", "immutable"},
		{js, "text/javascript", "immutable"},
		{"/static/style.css", "text/css", "no-cache"},
	} {
		r := b.get(tt.path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), tt.ctype) || !strings.Contains(r.header.Get("Cache-Control"), tt.cache) {
			t.Errorf("%s: %d %q %q", tt.path, r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/static/", "/static/nope.js", "/static/..%2fpages.go"} {
		if r := b.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.status)
		}
	}
}

// TestPagesNotJSON: what a browser opens answers with a page saying what to
// do next, never a problem document; the API keeps problem documents.
func TestPagesNotJSON(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	links, err := ps.eng.IssueLinks("ev", []string{"p-b"})
	if err != nil {
		t.Fatal(err)
	}
	old := links[0].Path
	if _, err := ps.eng.IssueLinks("ev", []string{"p-b"}); err != nil { // replaces the first link
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"replaced link", old, http.StatusNotFound, []string{"replaced by a newer one", "ask the organizer for a new one", `href="/e/ev"`}},
		{"mistyped link", "/e/ev/link?key=nope", http.StatusNotFound, []string{"does not work", `data-testid="error-next"`}},
		{"link of an unknown event", "/e/nope/link?key=nope", http.StatusNotFound, []string{"does not work", `href="/"`}},
		{"wrong address under an event", "/e/ev/no-such-page", http.StatusNotFound, []string{"no page at this address", `href="/e/ev"`}},
		{"wrong address", "/no/such/page", http.StatusNotFound, []string{"no page at this address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ps.browser(t).get(tt.path)
			if r.status != tt.status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s: %d %s, want a %d page", tt.path, r.status, r.header.Get("Content-Type"), tt.status)
			}
			mustContain(t, tt.name, r.body, append(tt.want, `data-testid="error"`)...)
		})
	}
	t.Run("the API keeps problem documents", func(t *testing.T) {
		r := ps.browser(t).get("/api/v1/nothing")
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("/api/v1/nothing: %d %s", r.status, r.header.Get("Content-Type"))
		}
	})
	t.Run("sign-in lockout", func(t *testing.T) {
		b := ps.browser(t)
		var r response
		for i := 0; i < 12; i++ { // the limiter allows a burst of 10 wrong secrets
			r = b.get("/e/ev/link?key=wrong")
		}
		if r.status != http.StatusTooManyRequests || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("locked-out link: %d %s", r.status, r.header.Get("Content-Type"))
		}
		mustContain(t, "locked-out link", r.body, "Wait a minute")
		if r := b.post("/login", url.Values{"secret": {"x"}}); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wait a minute") {
			t.Errorf("locked-out sign-in form: %d %.200s", r.status, r.body)
		}
	})
}

// TestRequestStateInWords: a request that cannot be sent is refused in
// words, and the pages show where the viewer stands with each person
// instead of a request form that could not work.
func TestRequestStateInWords(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall) // B->C pending, C->A and B->A accepted
	a, b, c := ps.browser(t), ps.browser(t), ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	b.signInParticipant(ps.eng, "ev", "p-b")
	c.signInParticipant(ps.eng, "ev", "p-c")
	tests := []struct {
		name string
		who  *browser
		to   string
		want string
	}{
		{"accepted meeting", a, "p-b", "You and Bruno Beta already have a meeting: it is accepted."},
		{"own pending request", b, "p-c", "You already asked Carla Gamma for a meeting; the request is waiting for their answer."},
		{"their pending request", c, "p-b", "Bruno Beta already asked you for a meeting: accept or decline it in your requests."},
		{"same organization", c, "p-d", "You cannot ask Dario Gamma for a meeting: both participants represent organization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.who.follow(tt.who.post("/e/ev/me/requests", url.Values{"to": {tt.to}})).body
			mustContain(t, tt.name, body, `flash flash-error`, html.EscapeString(tt.want))
			mustNotContain(t, tt.name, body, "meeting request &#34;", ": conflict")
		})
	}
	// Anna's view of Beta Hospital: Bruno's meeting is accepted, no form.
	org := a.get("/e/ev/organizations/org-b").body
	mustContain(t, "A on Beta's profile", org, `data-testid="request-state"`, "Meeting accepted")
	mustNotContain(t, "A on Beta's profile", org, `data-testid="request-form"`)
	// Carla's view of Bruno's opportunity: he asked her, so she answers.
	market := c.get("/e/ev/me/marketplace?q=sepsis+diagnostics+wanted&type=opportunity").body
	mustContain(t, "C in the marketplace", market, "Bruno Beta: They asked you for a meeting")
	// Bruno's view of Gamma University: Carla is asked, Dario is still free.
	market = b.get("/e/ev/me/marketplace?q=biomarkers&type=organization").body
	mustContain(t, "B in the marketplace", market, "Carla Gamma: Request sent, waiting for an answer", `<option value="p-d">`)
	mustNotContain(t, "B in the marketplace", market, `<option value="p-c">`)
}

// TestMarketplaceFindsNames: organizations and people are found by name,
// by prefix and without their accents.
func TestMarketplaceFindsNames(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	for _, tt := range []struct{ q, org string }{
		{"Gamma University", "org-c"},
		{"dario", "org-c"},
		{"Bruno Bèta", "org-b"},
		{"bet", "org-b"},
	} {
		body := a.get("/e/ev/me/marketplace?type=organization&q=" + url.QueryEscape(tt.q)).body
		first := strings.Index(body, `data-testid="result"`)
		if first < 0 || !strings.Contains(body[first:min(len(body), first+200)], `data-id="`+tt.org+`"`) {
			t.Errorf("marketplace %q: first result is not %s:\n%s", tt.q, tt.org, short(body[max(first, 0):]))
		}
	}
}

// TestInboxAndAgenda: pending requests come first with a count that follows
// the answers; a reply reaches the sender; accepted meetings without a slot
// are on the agenda as such.
func TestInboxAndAgenda(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, func(tx *profiles.Tx) error {
		if err := seedSmall(tx); err != nil {
			return err
		}
		old := time.Date(2027, 2, 1, 10, 0, 0, 0, time.UTC) // older than the seed's accepted ones
		return tx.CreateRequest(&profiles.MeetingRequest{ID: "req-da", EventID: "ev", From: "p-d", To: "p-a",
			Status: profiles.RequestPending, CreatedAt: old, UpdatedAt: old})
	})
	a, d := ps.browser(t), ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	d.signInParticipant(ps.eng, "ev", "p-d")

	inbox := a.get("/e/ev/me/requests").body
	mustContain(t, "A's inbox", inbox, `data-testid="pending-count">1<`)
	if first := strings.Index(inbox, `data-testid="inbox-item"`); first < 0 || !strings.HasPrefix(inbox[first:], `data-testid="inbox-item" data-request="req-da"`) {
		t.Errorf("the pending request is not first in the inbox")
	}
	agenda := a.get("/e/ev/me/agenda").body
	mustContain(t, "A's agenda", agenda, `data-testid="unscheduled"`, `data-participant="p-c"`, `data-participant="p-b"`)
	mustNotContain(t, "A's agenda", agenda, `data-participant="p-d"`, "No meeting on your agenda yet")

	r := a.post("/e/ev/me/requests/req-da/accept", url.Values{"reply": {"Gladly, see you at the fair."}})
	inbox = a.follow(r).body
	mustContain(t, "A's inbox after accepting", inbox, "You accepted the request.", `data-testid="pending-count">0<`)
	mustContain(t, "D's outbox", d.get("/e/ev/me/requests").body, `data-testid="reply-text">Gladly, see you at the fair.<`)
	mustContain(t, "A's agenda after accepting", a.get("/e/ev/me/agenda").body, `data-participant="p-d"`)
}

// demoBookmarksAndDismiss: a participant saves a suggestion for later and
// dismisses another, which the matcher then leaves out; both undo.
func demoBookmarksAndDismiss(t *testing.T, ps *pageServer) {
	const ev = demo.EventID
	if err := ps.eng.Store().Update(func(tx *profiles.Tx) error {
		e, err := tx.Event(ev)
		if err != nil {
			return err
		}
		e.Suggestions = 4 // the organizer's "suggestions per participant"
		return tx.UpdateEvent(e)
	}); err != nil {
		t.Fatal(err)
	}
	a := ps.browser(t)
	a.signInParticipant(ps.eng, ev, "p-0001")
	suggestedIDs := func(body string) []string {
		var ids []string
		for _, part := range strings.Split(body, `data-testid="suggestion" data-participant="`)[1:] {
			ids = append(ids, part[:strings.IndexByte(part, '"')])
		}
		return ids
	}
	page := a.get("/e/" + ev + "/me/suggestions").body
	ids := suggestedIDs(page)
	if len(ids) != 4 {
		t.Fatalf("suggestions %v: want the event's 4", ids)
	}
	saved, dismissed := ids[0], ids[1]
	mark := func(id, action string) string {
		t.Helper()
		return a.follow(a.post("/e/"+ev+"/me/people/"+id+"/"+action, url.Values{"back": {"/e/" + ev + "/me/suggestions"}})).body
	}
	page = mark(saved, "save")
	mustContain(t, "after saving", page, "is saved for later.", `data-testid="saved-person" data-participant="`+saved+`"`, `data-testid="unsave"`)
	page = mark(saved, "save") // twice: no duplicate
	if n := strings.Count(page, `data-testid="saved-person"`); n != 1 {
		t.Errorf("saved twice: %d saved entries", n)
	}
	page = mark(dismissed, "dismiss")
	mustContain(t, "after dismissing", page, "You will not be suggested", `data-testid="dismissed-person" data-participant="`+dismissed+`"`)
	if slices.Contains(suggestedIDs(page), dismissed) {
		t.Errorf("%s is dismissed yet still suggested", dismissed)
	}
	page = mark(dismissed, "undismiss")
	if !slices.Contains(suggestedIDs(page), dismissed) {
		t.Errorf("%s is suggested again: not among %v", dismissed, suggestedIDs(page))
	}
	page = mark(saved, "unsave")
	mustNotContain(t, "after removing", page, `data-testid="saved-person"`)
	if r := a.post("/e/"+ev+"/me/people/"+saved+"/frobnicate", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.status)
	}
}

// TestMyTime: a participant marks slots unavailable, caps their meetings and
// sets their own time zone; the grid's availability and the pages follow.
func TestMyTime(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall) // six 20-minute slots from 09:00 Rome
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	page := a.get("/e/ev/me/time").body
	mustContain(t, "my time", page, `name="busy" value="0"`, `name="busy" value="5"`, `id="max_meetings"`)
	mustNotContain(t, "my time", page, `data-testid="own-time"`, " checked")

	r := a.post("/e/ev/me/time", url.Values{"busy": {"1", "2", "4"}, "max_meetings": {"3"}, "time_zone": {"America/New_York"}})
	page = a.follow(r).body
	mustContain(t, "after saving", page, "Your time is saved.", `value="1" checked`, `value="2" checked`, `value="4" checked`,
		`data-testid="own-time">(04:00–04:20 your time)`)
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		p, err := tx.Participant("ev", "p-a")
		if err != nil {
			return err
		}
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		slots, err := ev.Slots()
		if err != nil {
			return err
		}
		var busy []int
		for _, sl := range slots {
			if !p.Available(sl) {
				busy = append(busy, sl.Index)
			}
		}
		if !slices.Equal(busy, []int{1, 2, 4}) || p.MaxMeetings != 3 || p.TimeZone != "America/New_York" || len(p.Unavailable) != 2 {
			t.Errorf("after saving: busy %v, max %d, zone %q, periods %v", busy, p.MaxMeetings, p.TimeZone, p.Unavailable)
		}
		return nil
	})
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown zone", url.Values{"time_zone": {"Mars/Olympus"}}, "time_zone"},
		{"too many meetings", url.Values{"max_meetings": {"99"}}, "the event has 6 slots"},
		{"not a number", url.Values{"max_meetings": {"many"}}, "whole number"},
	} {
		mustContain(t, tt.name, a.follow(a.post("/e/ev/me/time", tt.form)).body, "flash-error", tt.want)
	}
}

// TestLanguages: the browser's language is the default, a choice made with
// the switch on any page is remembered, and unknown languages are refused.
func TestLanguages(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	get := func(path, acceptLang string) response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ps.base+path, nil)
		req.Header.Set("Accept-Language", acceptLang)
		return a.do(req)
	}
	page := get("/e/ev/me/agenda", "it-IT,it;q=0.9,en;q=0.5").body
	mustContain(t, "Italian browser", page, `<html lang="it">`, "La mia agenda", "Il mio tempo", `data-lang="en"`)
	page = get("/e/ev/me/agenda", "de-DE,fr;q=0.8").body
	mustContain(t, "German browser", page, `<html lang="en">`, "My agenda")

	r := a.get("/lang/it?back=" + url.QueryEscape("/e/ev/me/requests?x=1"))
	if r.status != http.StatusSeeOther || r.location != "/e/ev/me/requests?x=1" {
		t.Fatalf("switching language: %d to %q", r.status, r.location)
	}
	page = get("/e/ev/me/requests", "en-GB").body // the choice beats the browser's
	mustContain(t, "after choosing Italian", page, `<html lang="it">`, "Richieste di incontro", "Ricevute")
	readTx(t, ps.eng, func(tx *profiles.Tx) error { // the choice is the participant's: their e-mails follow it
		p, err := tx.Participant("ev", "p-a")
		if err == nil && p.Lang != "it" {
			t.Errorf("p-a's language after choosing Italian: %q", p.Lang)
		}
		return err
	})
	mustContain(t, "a flash in Italian", a.follow(a.post("/e/ev/me/time", url.Values{"max_meetings": {"2"}})).body, "Il tuo tempo è salvato.")
	other := ps.browser(t) // another browser, in English: the participant's choice holds there too
	other.signInParticipant(ps.eng, "ev", "p-a")
	req, _ := http.NewRequest(http.MethodGet, ps.base+"/e/ev/me/agenda", nil)
	req.Header.Set("Accept-Language", "en-GB")
	mustContain(t, "p-a on another browser", other.do(req).body, `<html lang="it">`)
	if r := a.get("/lang/en?back=https://evil.example/"); r.location != "/" {
		t.Errorf("a foreign back address redirects to %q", r.location)
	}
	if r := a.get("/lang/xx"); r.status != http.StatusNotFound {
		t.Errorf("unknown language: %d", r.status)
	}
}

// The forms carry the caps of validation as maxlength, and what a browser
// would not send anyway (an overlong title, a line break in a name) is
// refused with an error naming the field, changing nothing.
func TestFormsCarryTextCaps(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	page := a.get("/e/ev/me").body
	for _, want := range []string{
		fmt.Sprintf(`id="first_name" name="first_name" value="Anna" maxlength="%d"`, profiles.CapCode),
		fmt.Sprintf(`name="summary" rows="2" maxlength="%d"`, profiles.CapSummary),
		fmt.Sprintf(`name="title" required maxlength="%d"`, profiles.CapName),
		fmt.Sprintf(`rows="4" maxlength="%d"`, profiles.CapLong),
	} {
		mustContain(t, "my page", page, want)
	}
	r := a.post("/e/ev/me/profile", url.Values{"first_name": {"Anna\r\nBcc: x@evil.example"}, "last_name": {"Alpha"}})
	mustContain(t, "after a line break in a name", a.follow(r).body, `class="flash flash-error"`, "first_name")
	r = a.post("/e/ev/me/opportunities", url.Values{"kind": {"offer"}, "title": {strings.Repeat("x", profiles.CapName+1)}, "language": {"en"}})
	mustContain(t, "after an overlong title", a.follow(r).body, `class="flash flash-error"`, "title")
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		p, err := tx.Participant("ev", "p-a")
		if err == nil && strings.Contains(p.FirstName, "\n") {
			t.Errorf("a name with a line break was saved: %q", p.FirstName)
		}
		return err
	})
}

// demoParticipantsTable: the organizer's table searches (accents and
// case folded), filters, sorts and pages, keeping the rest of the query.
func demoParticipantsTable(t *testing.T, ps *pageServer) {
	org := ps.browser(t)
	org.signInOrganizer()
	base := "/organizer/e/" + demo.EventID + "/participants"
	rows := func(body string) []string {
		var ids []string
		for _, part := range strings.Split(body, `<tr data-participant="`)[1:] {
			ids = append(ids, part[:strings.IndexByte(part, '"')])
		}
		return ids
	}
	count := func(body string) int {
		n, _ := strconv.Atoi(attrText(body, `data-testid="participant-count">`))
		return n
	}
	page := org.get(base).body
	all := count(page)
	if all <= participantsPerPageForTest || len(rows(page)) != participantsPerPageForTest {
		t.Fatalf("%d participants, %d rows on the first page; want more than a page, and a full page", all, len(rows(page)))
	}
	mustContain(t, "first page", page, `rel="next"`, `id="select-all"`, `data-testid="bulk-links"`)
	next := org.get(base + "?page=2").body
	if slices.Contains(rows(next), rows(page)[0]) {
		t.Errorf("page 2 repeats page 1's first row")
	}
	var name, orgName string
	readTx(t, ps.eng, func(tx *profiles.Tx) error {
		p, err := tx.Participant(demo.EventID, rows(next)[3])
		if err != nil {
			return err
		}
		o, err := tx.Organization(demo.EventID, p.OrganizationID)
		name, orgName = p.Name(), o.Name
		return err
	})
	found := org.get(base + "?q=" + url.QueryEscape(strings.ToUpper(name))).body
	if !slices.Contains(rows(found), rows(next)[3]) || count(found) >= all {
		t.Errorf("searching %q: rows %v (of %d)", name, rows(found), count(found))
	}
	byOrg := org.get(base + "?q=" + url.QueryEscape(strings.ToLower(orgName))).body
	if !slices.Contains(rows(byOrg), rows(next)[3]) {
		t.Errorf("searching the organization %q misses its participant", orgName)
	}
	noLink := org.get(base + "?state=no-link&kind=university").body
	mustContain(t, "filtered", noLink, `<option value="no-link" selected>`, `<option value="university" selected>`)
	if n := count(noLink); n == 0 || n >= all {
		t.Errorf("no-link universities: %d of %d", n, all)
	}
	// New links for every participant matching the filter, on every page.
	smes := org.get(base + "?kind=sme").body
	mustContain(t, "filtered by kind", smes, `data-testid="bulk-links-filtered"`, `name="kind" value="sme"`)
	n := count(smes)
	r := org.post("/organizer/e/"+demo.EventID+"/links", url.Values{"scope": {"filtered"}, "kind": {"sme"}, "format": {"csv"}})
	if lines := strings.Count(strings.TrimSpace(r.body), "\n"); r.status != http.StatusOK || lines != n || n <= 1 {
		t.Errorf("links for the %d SME participants: status %d, %d lines", n, r.status, lines)
	}
	if r := org.post("/organizer/e/"+demo.EventID+"/links", url.Values{"scope": {"filtered"}, "q": {"no such name anywhere"}}); r.status != http.StatusSeeOther {
		t.Errorf("a filter that matches nobody: %d", r.status)
	}
	sorted := org.get(base + "?sort=-meetings").body
	mustContain(t, "sorted down", sorted, `aria-sort="descending"`)
	if r := org.get(base + "?sort=bogus&state=bogus&page=999"); r.status != http.StatusOK {
		t.Errorf("a bad query: %d", r.status)
	}
}

const participantsPerPageForTest = 50

// attrText returns the text after marker up to the next '<'.
func attrText(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	rest := body[i+len(marker):]
	return rest[:strings.IndexByte(rest, '<')]
}

// TestDashboardFollowUp: the dashboard tells who has not opened their
// personal link and who has no meeting yet, and follows the link's opening.
func TestDashboardFollowUp(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall) // p-a, p-b, p-c have accepted requests; p-d has none
	org := ps.browser(t)
	org.signInOrganizer()
	page := org.get("/organizer/e/ev").body
	mustContain(t, "dashboard", page, "0 of 4 opened their personal link", "1 without any meeting yet", `data-testid="no-meeting"`)
	if i := strings.Index(page, `data-testid="no-meeting"`); !strings.Contains(page[i:], `data-participant="p-d"`) {
		t.Errorf("p-d is not listed without a meeting")
	}
	ps.browser(t).signInParticipant(ps.eng, "ev", "p-b") // opens a personal link
	page = org.get("/organizer/e/ev").body
	mustContain(t, "after B opened the link", page, "1 of 4 opened their personal link")
	table := org.get("/organizer/e/ev/participants?state=not-opened").body
	mustContain(t, "not opened", table, `data-testid="participant-count">3<`)
	mustNotContain(t, "not opened", table, `<tr data-participant="p-b"`)
}

// TestLogoUpload: a PNG or JPEG logo is decoded, scaled and re-encoded as
// PNG, served from the store and shown on the profile; anything else is
// refused with nothing stored.
func TestLogoUpload(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	a := ps.browser(t)
	a.signInParticipant(ps.eng, "ev", "p-a")
	big := image.NewRGBA(image.Rect(0, 0, 1000, 500))
	for x := range 1000 {
		big.Set(x, x%500, color.RGBA{200, 30, 30, 255})
	}
	var pngFile, jpegFile bytes.Buffer
	if err := png.Encode(&pngFile, big); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegFile, big, nil); err != nil {
		t.Fatal(err)
	}
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"png", pngFile.Bytes(), true},
		{"jpeg", jpegFile.Bytes(), true},
		{"gif", gif, false},
		{"text", []byte("<svg onload=alert(1)>"), false},
		{"too large", append(pngFile.Bytes(), make([]byte, 3<<20)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.upload("/e/ev/me/logo", "logo", "logo."+tt.name, tt.data)
			page := a.follow(r).body
			if !tt.ok {
				mustContain(t, tt.name, page, "flash-error", "PNG or JPEG")
				return
			}
			mustContain(t, tt.name, page, "The logo is saved.", `data-testid="logo-form"`)
			served := ps.browser(t).get("/e/ev/organizations/org-a/logo")
			if served.status != http.StatusOK || served.header.Get("Content-Type") != "image/png" {
				t.Fatalf("served logo: %d %s", served.status, served.header.Get("Content-Type"))
			}
			img, err := png.Decode(strings.NewReader(served.body))
			if err != nil || img.Bounds().Dx() != 256 || img.Bounds().Dy() != 128 {
				t.Errorf("served logo: %v, %v", img.Bounds(), err)
			}
		})
	}
	mustContain(t, "the profile", ps.browser(t).get("/e/ev/organizations/org-a").body, `data-testid="org-logo"`)
	a.follow(a.post("/e/ev/me/logo", url.Values{"remove": {"1"}}))
	if r := ps.browser(t).get("/e/ev/organizations/org-a/logo"); r.status != http.StatusNotFound {
		t.Errorf("a removed logo: %d", r.status)
	}
}
