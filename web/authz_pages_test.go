package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
	"github.com/matchgrid/matchgrid/web/site"
)

// pageCases are the authorization cases of the pages and of the sign-in
// routes. Participant pages act on the signed-in participant only (their
// URLs name no participant): the organizer is sent to the organizer area
// (303), anonymous visitors get 401; the organizer area sends anonymous
// visitors to the sign-in page (303) and refuses participants (403).
// Another participant's request or opportunity is "not found" (404).
func pageCases() []authzCase {
	me := func(path string) authzCase {
		return authzCase{method: "GET", route: "/e/:event/me" + path, url: "/e/ev/me" + path, want: [4]int{s401, s200, s200, s303}}
	}
	meForm := func(route, url, form string, want [4]int) authzCase {
		return authzCase{method: "POST", route: route, url: url, body: form, form: true, want: want}
	}
	organizer := func(method, path string, ok int) authzCase {
		return authzCase{method: method, route: "/organizer/e/:event" + path, url: "/organizer/e/ev" + path, form: method == "POST", want: [4]int{s303, s403, s403, ok}}
	}
	preview := func(t *testing.T, f *webtest.Fixture) {
		if _, err := f.Eng.PreviewGrid(context.Background(), "ev", matchgrid.ScheduleOptions{Budget: 50_000_000, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	const answer = "/e/:event/me/requests/:request/:action"
	const mark = "/e/:event/me/people/:participant/:action"
	cases := []authzCase{
		{method: "GET", route: "/healthz", url: "/healthz", want: all4(s200)},
		{method: "GET", route: "/static/:file", url: "/static/style.css", want: all4(s200)},
		{method: "GET", route: "/", url: "/", want: all4(s200)},
		{method: "GET", route: "/lang/:lang", url: "/lang/it?back=/e/ev", want: all4(s303)},
		{method: "GET", route: "/login", url: "/login", want: [4]int{s200, s200, s200, s303}},
		{method: "POST", route: "/login", url: "/login", body: "secret=" + webtest.RoleSecrets[webtest.RoleOrg] + "&next=/organizer", form: true, want: all4(s303)},
		{method: "POST", route: "/login", url: "/login", body: "secret=wrong", form: true, want: all4(s401)},
		{method: "POST", route: "/logout", url: "/logout", form: true, want: all4(s303)},
		{method: "GET", route: "/e/:event/link", url: "/e/ev/link?key=" + webtest.RoleSecrets[webtest.RoleA], want: all4(s303)},
		{method: "GET", route: "/e/:event/link", url: "/e/ev/link?key=wrong", fresh: true, want: all4(s404)},
		{method: "GET", route: "/e/:event", url: "/e/ev", want: all4(s200), check: noSecretsOf},
		{method: "GET", route: "/e/:event/organizations/:org", url: "/e/ev/organizations/org-a", want: all4(s200), check: noSecretsOf},
		{method: "GET", route: "/e/:event/organizations/:org/logo", url: "/e/ev/organizations/org-a/logo", want: all4(s404)}, // none uploaded
		// The calendar subscription and the widget carry their own key; who asks does not matter.
		{method: "GET", route: "/e/:event/calendar/:file", url: "/e/ev/calendar/p-a.ics?key=KEY", urlFor: calendarURL("p-a"), want: all4(s200)},
		{method: "GET", route: "/e/:event/calendar/:file", url: "/e/ev/calendar/p-a.ics?key=wrong", fresh: true, want: all4(s404)},
		{method: "GET", route: site.WidgetRoute, url: "/e/ev/widget/suggestions?p=p-a&token=TOKEN", urlFor: widgetURL("p-a"), want: all4(s200)},
		{method: "GET", route: site.WidgetRoute, url: "/e/ev/widget/suggestions?p=p-a&token=wrong", fresh: true, want: all4(s404)},
		// The login secret is no widget token.
		{method: "GET", route: site.WidgetRoute, url: "/e/ev/widget/suggestions?p=p-a&key=" + webtest.RoleSecrets[webtest.RoleA], fresh: true, want: all4(s404)},

		me(""), me("/marketplace"), me("/suggestions"), me("/requests"), me("/agenda"), me("/agenda.ics"), me("/agenda.csv"), me("/time"),
		{method: "GET", route: "/e/:event/me", url: "/e/ev/me", bRole: "X", want: [4]int{s401, s200, s403, s303}},
		meForm("/e/:event/me/profile", "/e/ev/me/profile", "first_name=Someone&last_name=Else", [4]int{s401, s303, s303, s303}),
		meForm("/e/:event/me/organization", "/e/ev/me/organization", "name=Renamed&kind=sme&country=IT", [4]int{s401, s303, s303, s303}),
		meForm("/e/:event/me/opportunities", "/e/ev/me/opportunities", "kind=offer&title=New+offer&language=en", [4]int{s401, s303, s303, s303}),
		// opp-a is A's: B cannot edit or delete it.
		meForm("/e/:event/me/opportunities/:opp", "/e/ev/me/opportunities/opp-a", "kind=offer&title=Changed&language=en", [4]int{s401, s303, s404, s303}),
		meForm("/e/:event/me/opportunities/:opp/delete", "/e/ev/me/opportunities/opp-a/delete", "", [4]int{s401, s303, s404, s303}),
		meForm("/e/:event/me/requests", "/e/ev/me/requests", "to=p-d&message=hello", [4]int{s401, s303, s303, s303}),
		// rAB is A->B: B answers it, A (the sender) cannot.
		meForm(answer, "/e/ev/me/requests/rAB/accept", "", [4]int{s401, s404, s303, s303}),
		meForm("/e/:event/me/logo", "/e/ev/me/logo", "", [4]int{s401, s303, s303, s303}), // no file: told to choose one
		meForm("/e/:event/me/widget", "/e/ev/me/widget", "", [4]int{s401, s303, s303, s303}),
		meForm("/e/:event/me/widget/revoke", "/e/ev/me/widget/revoke", "", [4]int{s401, s303, s303, s303}),
		meForm("/e/:event/me/time", "/e/ev/me/time", "busy=0&max_meetings=2&time_zone=Europe/London", [4]int{s401, s303, s303, s303}),
		// Bookmarks and "not interested" act on the signed-in participant's own lists.
		meForm(mark, "/e/ev/me/people/p-c/save", "", [4]int{s401, s303, s303, s303}),
		meForm(mark, "/e/ev/me/people/p-c/dismiss", "", [4]int{s401, s303, s303, s303}),
		meForm(mark, "/e/ev/me/people/p-x/save", "", [4]int{s401, s404, s404, s303}), // another event's participant
		meForm(answer, "/e/ev/me/requests/rAB/decline", "", [4]int{s401, s404, s303, s303}),
		meForm(answer, "/e/ev/me/requests/rAB/cancel", "", [4]int{s401, s303, s404, s303}),
		// rAC is A->C and rCA C->A (accepted): B is no party to either.
		meForm(answer, "/e/ev/me/requests/rAC/accept", "", [4]int{s401, s404, s404, s303}),
		meForm(answer, "/e/ev/me/requests/rAC/cancel", "", [4]int{s401, s303, s404, s303}),
		meForm(answer, "/e/ev/me/requests/rCA/cancel", "", [4]int{s401, s303, s404, s303}),

		{method: "GET", route: "/organizer", url: "/organizer", want: [4]int{s303, s403, s403, s200}},
		organizer("GET", "", s200),
		organizer("GET", "/participants", s200),
		organizer("GET", "/grid", s200),
		organizer("GET", "/exports/grid.csv", s200),
		organizer("GET", "/exports/agendas.csv", s200),
		organizer("GET", "/exports/agendas.zip", s200),
		organizer("POST", "/participants/import", s400),
		organizer("POST", "/links", s200),
		organizer("POST", "/matchmaking", s303), // starts a run, then its page
		organizer("GET", "/matchmaking", s200),
		organizer("POST", "/grid/preview", s303),
		organizer("POST", "/grid/place-late", s303),
		organizer("GET", "/exports/sheet/:export", s200),
		organizer("GET", "/followup", s200),
		organizer("POST", "/webhooks", s303),
		// m-rCA is A's (with C): after the event A may report it; B is no side (403 shown as a flash, 303).
		{method: "POST", route: "/e/:event/me/meetings/:meeting/report", url: "/e/ev/me/meetings/m-rCA/report", body: "attendance=held&agreement=license", form: true, setup: eventPast, want: [4]int{s401, s303, s303, s303}},
	}
	sheetExport := &cases[len(cases)-4]
	sheetExport.url = "/organizer/e/ev/exports/sheet/participants?format=xlsx"
	hookDelete := organizer("POST", "/webhooks/:webhook/delete", s303)
	hookDelete.setup, hookDelete.urlFor = registerHook, func(f *webtest.Fixture) string {
		return strings.Replace(hookURL("/delete")(f), "/api/v1/events/ev", "/organizer/e/ev", 1)
	}
	cases = append(cases, hookDelete)
	publish := organizer("POST", "/grid/publish", s303)
	publish.setup = preview
	lock := organizer("POST", "/meetings/:meeting/:action", s303)
	lock.url = "/organizer/e/ev/meetings/m-rBA/lock"
	return append(cases, publish, lock)
}

// widgetURL issues the participant a widget token, once, and returns the
// widget's address with it.
func widgetURL(participantID string) func(f *webtest.Fixture) string {
	return func(f *webtest.Fixture) string {
		var nonce string
		err := f.Eng.Store().Update(func(tx *profiles.Tx) error {
			p, err := tx.Participant("ev", participantID)
			if err != nil || p.WidgetNonce != "" {
				nonce = p.WidgetNonce
				return err
			}
			p.WidgetNonce = "widget-nonce-for-tests"
			nonce = p.WidgetNonce
			return tx.UpdateParticipant(p)
		})
		sessions, serr := auth.NewSessions(f.Eng.Store(), false) // the store's key: the server's
		if err != nil || serr != nil {
			f.T.Fatal(err, serr)
		}
		return sessions.WidgetPath("ev", participantID, nonce)
	}
}

// calendarURL returns the participant's calendar subscription URL with
// its current key, as the agenda page shows it.
func calendarURL(participantID string) func(f *webtest.Fixture) string {
	return func(f *webtest.Fixture) string {
		var hash string
		f.Eng.Store().View(func(tx *profiles.Tx) error {
			p, err := tx.Participant("ev", participantID)
			if err == nil {
				hash = p.SecretHash
			}
			return err
		})
		sessions, err := auth.NewSessions(f.Eng.Store(), false) // the store's key: the server's
		if err != nil {
			f.T.Fatal(err)
		}
		return "/e/ev/calendar/" + participantID + ".ics?key=" + sessions.CalendarToken("ev", participantID, hash)
	}
}
