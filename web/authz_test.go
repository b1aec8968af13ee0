package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/httperr"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// The authorization test: every route the router has, pages and API, is
// tried as anonymous, participant A, participant B and the organizer, and
// must answer exactly the status its table entry says. A route added
// without an entry fails TestAuthorizationCoversEveryRoute.

// authzCase is one request tried as each role.
type authzCase struct {
	method, route string // the route as registered (gin pattern)
	url           string // the concrete URL tried
	// urlFor, when set, makes the URL from the fixture (a key it holds).
	urlFor func(f *webtest.Fixture) string
	body   string // JSON body, or a form when form is set
	form   bool
	// fresh runs every role on a fresh fixture (wrong keys use up the
	// sign-in rate limit that the shared fixture's Bearer requests need).
	fresh bool
	// bRole, when set, stands in for B in the B column: "X", a
	// participant of another event.
	bRole string
	// setup runs on the fixture before the request (state-changing cases
	// get a fresh fixture per role).
	setup func(t *testing.T, f *webtest.Fixture)
	// want is the status per role: anonymous, A, B, organizer.
	want [4]int
	// check, when set, inspects a successful answer for a role.
	check func(t *testing.T, role string, body []byte)
}

const (
	s200, s201, s204 = http.StatusOK, http.StatusCreated, http.StatusNoContent
	s303             = http.StatusSeeOther
	s400, s401, s403 = http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden
	s404, s409, s422 = http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity
)

// all4 is the same status for every role.
func all4(s int) [4]int { return [4]int{s, s, s, s} }

// organizerOnly4 is an API route only the organizer may call.
func organizerOnly4(ok int) [4]int { return [4]int{s401, s403, s403, ok} }

// noSecretsOf is webtest.NoSecretsOf.
var noSecretsOf = webtest.NoSecretsOf

// privateOfA checks that those allowed see A's private fields.
func privateOfA(t *testing.T, role string, body []byte) {
	t.Helper()
	noSecretsOf(t, role, body)
	if (role == webtest.RoleA || role == webtest.RoleOrg) && !strings.Contains(string(body), "alice@alpha.example") {
		t.Errorf("%s does not see A's e-mail address: %s", role, body)
	}
}

// apiCases are the authorization cases of the JSON API.
func apiCases() []authzCase {
	const ev = "/api/v1/events/ev"
	preview := func(t *testing.T, f *webtest.Fixture) {
		if _, err := f.Eng.PreviewGrid(context.Background(), "ev", matchgrid.ScheduleOptions{Budget: 50_000_000, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	return []authzCase{
		{method: "GET", route: "/api/v1/openapi.json", url: "/api/v1/openapi.json", want: all4(s200)},
		{method: "OPTIONS", route: "/api/v1/*path", url: "/api/v1/events", want: all4(s404)}, // a preflight without Origin is no preflight
		{method: "GET", route: "/api/v1/events", url: "/api/v1/events", want: all4(s200)},
		{method: "POST", route: "/api/v1/events", url: "/api/v1/events", body: webtest.EventBody, want: organizerOnly4(s201)},
		{method: "GET", route: "/api/v1/events/:event", url: ev, want: all4(s200)},
		{method: "PUT", route: "/api/v1/events/:event", url: ev, body: webtest.EvPutBody, want: organizerOnly4(s200)},
		{method: "DELETE", route: "/api/v1/events/:event", url: ev, want: organizerOnly4(s204)},

		{method: "GET", route: "/api/v1/events/:event/organizations", url: ev + "/organizations", want: all4(s200)},
		{method: "POST", route: "/api/v1/events/:event/organizations", url: ev + "/organizations", body: webtest.OrgBody, want: organizerOnly4(s201)},
		{method: "GET", route: "/api/v1/events/:event/organizations/:org", url: ev + "/organizations/org-a", want: all4(s200)},
		// A represents org-a and may edit its profile; B may not.
		{method: "PUT", route: "/api/v1/events/:event/organizations/:org", url: ev + "/organizations/org-a", body: webtest.OrgPutBody, want: [4]int{s401, s200, s403, s200}},
		{method: "DELETE", route: "/api/v1/events/:event/organizations/:org", url: ev + "/organizations/org-empty", want: organizerOnly4(s204)},

		{method: "GET", route: "/api/v1/events/:event/participants", url: ev + "/participants", want: [4]int{s401, s200, s200, s200}, check: noSecretsOf},
		// X, a participant of the other event, cannot list this one (the B column is X here).
		{method: "GET", route: "/api/v1/events/:event/participants", url: ev + "/participants", bRole: "X", want: [4]int{s401, s200, s403, s200}},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/requests", url: ev + "/participants/p-a/requests", bRole: "X", want: [4]int{s401, s200, s403, s200}},
		{method: "POST", route: "/api/v1/events/:event/participants", url: ev + "/participants", body: webtest.PartBody, want: organizerOnly4(s201)},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant", url: ev + "/participants/p-a", want: [4]int{s401, s200, s200, s200}, check: privateOfA},
		{method: "PUT", route: "/api/v1/events/:event/participants/:participant", url: ev + "/participants/p-a", body: webtest.PartPutBody, want: [4]int{s401, s200, s403, s200}},
		{method: "DELETE", route: "/api/v1/events/:event/participants/:participant", url: ev + "/participants/p-d", want: organizerOnly4(s204)},
		{method: "POST", route: "/api/v1/events/:event/participants/:participant/widget", url: ev + "/participants/p-a/widget", want: [4]int{s401, s201, s403, s201}},
		{method: "DELETE", route: "/api/v1/events/:event/participants/:participant/widget", url: ev + "/participants/p-a/widget", want: [4]int{s401, s204, s403, s204}},

		{method: "GET", route: "/api/v1/events/:event/opportunities", url: ev + "/opportunities", want: [4]int{s401, s200, s200, s200}},
		// Publishing for A: A and the organizer may, B may not.
		{method: "POST", route: "/api/v1/events/:event/opportunities", url: ev + "/opportunities", body: webtest.OppBody, want: [4]int{s401, s201, s403, s201}},
		{method: "GET", route: "/api/v1/events/:event/opportunities/:opp", url: ev + "/opportunities/opp-a", want: [4]int{s401, s200, s200, s200}},
		{method: "PUT", route: "/api/v1/events/:event/opportunities/:opp", url: ev + "/opportunities/opp-a", body: webtest.OppPutBody, want: [4]int{s401, s200, s403, s200}},
		{method: "DELETE", route: "/api/v1/events/:event/opportunities/:opp", url: ev + "/opportunities/opp-a", want: [4]int{s401, s204, s403, s204}},

		{method: "GET", route: "/api/v1/events/:event/search", url: ev + "/search?q=robot&facets=kind,country", want: [4]int{s401, s200, s200, s200}, check: noSecretsOf},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/suggestions", url: ev + "/participants/p-a/suggestions", want: [4]int{s401, s200, s403, s200}},

		// A's inbox and outbox are A's (and the organizer's) only.
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/requests", url: ev + "/participants/p-a/requests", want: [4]int{s401, s200, s403, s200}},
		// Only A sends A's requests; not B, not the organizer.
		{method: "POST", route: "/api/v1/events/:event/participants/:participant/requests", url: ev + "/participants/p-a/requests", body: `{"to":"p-d","message":"hello"}`, want: [4]int{s401, s201, s403, s403}},
		// rAB is A->B: only B (the receiver) answers it.
		{method: "POST", route: "/api/v1/events/:event/requests/:request/accept", url: ev + "/requests/rAB/accept", want: [4]int{s401, s403, s200, s403}},
		{method: "POST", route: "/api/v1/events/:event/requests/:request/decline", url: ev + "/requests/rAB/decline", want: [4]int{s401, s403, s200, s403}},
		// rAC is A->C: B is no party to it and learns nothing of it.
		{method: "POST", route: "/api/v1/events/:event/requests/:request/accept", url: ev + "/requests/rAC/accept", want: [4]int{s401, s403, s404, s403}},
		{method: "POST", route: "/api/v1/events/:event/requests/:request/decline", url: ev + "/requests/rAC/decline", want: [4]int{s401, s403, s404, s403}},
		// A withdraws pending rAB; B, its receiver, cannot withdraw it.
		{method: "POST", route: "/api/v1/events/:event/requests/:request/cancel", url: ev + "/requests/rAB/cancel", want: [4]int{s401, s200, s403, s403}},
		{method: "POST", route: "/api/v1/events/:event/requests/:request/cancel", url: ev + "/requests/rAC/cancel", want: [4]int{s401, s200, s404, s403}},
		// rCA (C->A) is accepted: A, one side of it, may cancel it; B may not.
		{method: "POST", route: "/api/v1/events/:event/requests/:request/cancel", url: ev + "/requests/rCA/cancel", want: [4]int{s401, s200, s404, s403}},

		{method: "GET", route: "/api/v1/events/:event/grid", url: ev + "/grid", want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/grid/preview", url: ev + "/grid/preview", body: webtest.QuickGrid, want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/grid/publish", url: ev + "/grid/publish", setup: preview, want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/grid/place-late", url: ev + "/grid/place-late", body: webtest.QuickGrid, want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/meetings/:meeting/lock", url: ev + "/meetings/m-rBA/lock", want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/meetings/:meeting/unlock", url: ev + "/meetings/m-rBA/unlock", want: organizerOnly4(s200)},
		{method: "GET", route: "/api/v1/events/:event/grid.csv", url: ev + "/grid.csv", want: organizerOnly4(s200)},
		{method: "GET", route: "/api/v1/events/:event/stats", url: ev + "/stats", want: organizerOnly4(s200)},

		// A's agenda is A's (and the organizer's) only.
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/agenda", url: ev + "/participants/p-a/agenda", want: [4]int{s401, s200, s403, s200}},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/agenda.ics", url: ev + "/participants/p-a/agenda.ics", want: [4]int{s401, s200, s403, s200}},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/agenda.csv", url: ev + "/participants/p-a/agenda.csv", want: [4]int{s401, s200, s403, s200}},

		// Spreadsheets, the funnel, mail and webhooks are the organizer's.
		{method: "GET", route: "/api/v1/events/:event/exports/:export", url: ev + "/exports/participants?format=xlsx", want: organizerOnly4(s200)},
		{method: "GET", route: "/api/v1/events/:event/funnel", url: ev + "/funnel", want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/links/mail", url: ev + "/links/mail", body: `{"participant_ids":["p-d"]}`, setup: startMail, want: organizerOnly4(s200)},
		{method: "GET", route: "/api/v1/events/:event/mail", url: ev + "/mail", want: organizerOnly4(s200)},
		{method: "GET", route: "/api/v1/events/:event/webhooks", url: ev + "/webhooks", want: organizerOnly4(s200)},
		{method: "POST", route: "/api/v1/events/:event/webhooks", url: ev + "/webhooks", body: `{"url":"https://portal.example/hook"}`, want: organizerOnly4(s201)},
		{method: "DELETE", route: "/api/v1/events/:event/webhooks/:webhook", urlFor: hookURL(""), setup: registerHook, want: organizerOnly4(s204)},
		{method: "GET", route: "/api/v1/events/:event/webhooks/:webhook/deliveries", urlFor: hookURL("/deliveries"), setup: registerHook, want: organizerOnly4(s200)},
		// A reports on A's meeting after it; B is no side of m-rCA.
		{method: "POST", route: "/api/v1/events/:event/participants/:participant/meetings/:meeting/report", url: ev + "/participants/p-a/meetings/m-rCA/report", body: `{"attendance":"held","agreement":"license"}`, setup: eventPast, want: [4]int{s401, s200, s403, s200}},
		{method: "GET", route: "/api/v1/events/:event/participants/:participant/reports", url: ev + "/participants/p-a/reports", want: [4]int{s401, s200, s403, s200}},
	}
}

// roleFor is the role of column i of case c.
func roleFor(c authzCase, i int) string {
	if webtest.Roles[i] == webtest.RoleB && c.bRole != "" {
		return c.bRole
	}
	return webtest.Roles[i]
}

// allCases are the authorization cases of every route.
func allCases() []authzCase {
	return append(apiCases(), pageCases()...)
}

func TestAuthorizationCoversEveryRoute(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	covered := map[string]bool{}
	for _, c := range allCases() {
		covered[c.method+" "+c.route] = true
	}
	registered := map[string]bool{}
	for _, r := range f.Srv.Routes() {
		key := r.Method + " " + r.Path
		registered[key] = true
		if !covered[key] {
			t.Errorf("route %s has no authorization case: add one to authz_test.go", key)
		}
	}
	for key := range covered {
		if !registered[key] {
			t.Errorf("authorization case for %s, which is not a registered route", key)
		}
	}
}

func TestAuthorization(t *testing.T) {
	shared := webtest.NewFixture(t, web.Config{})
	for _, c := range allCases() {
		readsShared := c.method == http.MethodGet && c.setup == nil && !c.fresh
		t.Run(c.method+" "+c.url, func(t *testing.T) {
			if !readsShared {
				// On fixtures of its own; the cases on the shared fixture run
				// one at a time, so that its generation moves only by them.
				t.Parallel()
			}
			var f *webtest.Fixture
			for i := range webtest.Roles {
				role := roleFor(c, i)
				switch {
				case readsShared:
					f = shared
				case f == nil || f == shared || (i > 0 && c.want[i-1] < 400):
					// A change must not leak into the next role's try. A
					// refusal changes nothing (were it wrongly let through,
					// its status already fails the test), so only a
					// success uses up the fixture.
					f = webtest.NewFixture(t, web.Config{})
					if c.setup != nil {
						c.setup(t, f)
					}
				}
				url := c.url
				if c.urlFor != nil {
					url = c.urlFor(f)
				}
				before, err := f.Eng.Store().Generation()
				if err != nil {
					t.Fatal(err)
				}
				var resp *http.Response
				var body []byte
				if c.form {
					resp, body = f.Do(role, c.method, url, c.body, "Content-Type", "application/x-www-form-urlencoded")
				} else {
					resp, body = f.Do(role, c.method, url, c.body)
				}
				if resp.StatusCode != c.want[i] {
					t.Errorf("%s: status %d, want %d: %.300s", role, resp.StatusCode, c.want[i], body)
					continue
				}
				if after, _ := f.Eng.Store().Generation(); c.want[i] >= 400 && after != before {
					t.Errorf("%s: refused with %d, yet the store changed (generation %d -> %d)", role, resp.StatusCode, before, after)
				}
				if c.want[i] >= 400 && strings.HasPrefix(c.route, "/api/") {
					var p httperr.Problem
					if err := json.Unmarshal(body, &p); err != nil || p.Status != c.want[i] {
						t.Errorf("%s: a refusal must be a problem document with status %d: %.300s", role, c.want[i], body)
					}
				}
				if c.check != nil && resp.StatusCode < 300 {
					c.check(t, role, body)
				}
			}
		})
	}
}

// startMail turns on e-mail in development mode (.eml files in the data
// directory) for the fixture, until the test ends.
func startMail(t *testing.T, f *webtest.Fixture) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := f.Eng.StartNotifications(ctx, matchgrid.NotifyOptions{Mail: &matchgrid.MailOptions{Dev: true, PublicURL: "http://b2b.example"}}); err != nil {
		t.Fatal(err)
	}
}

// registerHook registers one webhook on event ev.
func registerHook(t *testing.T, f *webtest.Fixture) {
	if _, err := f.Eng.RegisterWebhook("ev", "https://portal.example/hook", nil); err != nil {
		t.Fatal(err)
	}
}

// hookURL is the API URL of the fixture's first webhook, plus suffix.
func hookURL(suffix string) func(f *webtest.Fixture) string {
	return func(f *webtest.Fixture) string {
		hooks, _ := f.Eng.Webhooks("ev")
		id := "wh-none"
		if len(hooks) > 0 {
			id = hooks[0].ID
		}
		return "/api/v1/events/ev/webhooks/" + id + suffix
	}
}

// eventPast moves event ev to a day in the past, so that its meetings can
// be reported on.
func eventPast(t *testing.T, f *webtest.Fixture) {
	err := f.Eng.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		ev.Days[0].Date = "2026-01-15"
		return tx.UpdateEvent(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
}
