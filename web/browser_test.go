package web_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// browserParticipant is participant A of the browser test: a delegate of the
// demo event with room in their day.
const browserParticipant = "p-0002"

// TestBrowserJourney walks the whole event in a real headless Chromium: A
// opens their personal link, searches the marketplace, reads why a
// suggested partner B fits and sends B a request; B accepts it in their own
// browser context; the organizer signs in, previews and publishes the grid;
// both find the meeting in their agendas at the same time and table, and
// the agenda's calendar file has it. It keeps full-page screenshots of the
// pages on the way ($MATCHGRID_SCREENSHOTS).
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	webtest.ChromiumPath(t) // skip or fail before the slow set-up
	srv := webtest.StartBrowserServer(t)
	ev := demo.EventID
	a := browserParticipant
	partner := browserPartner(t, srv.Eng, a)
	b := partner.ParticipantID
	t.Logf("A = %s, B = %s (%s, %s)", a, b, partner.Name, partner.Organization)
	linkA, linkB := srv.Link(t, a), srv.Link(t, b)
	nameA := browserParticipantName(t, srv.Eng, a)
	shots := webtest.NewShots(t)
	browser := webtest.StartBrowser(t)
	me := "/e/" + ev + "/me"

	// A arrives by their personal link and lands on their own page.
	pa := webtest.NewUser(t, browser, "participant A", srv.Base, shots)
	pa.Open(linkA)
	if loc := pa.Location(); !strings.HasSuffix(loc, me) {
		pa.Fatalf("the personal link led to %s, want %s", loc, me)
	}
	pa.WaitVisible(`[data-testid=profile]`)
	if got := pa.Text(`[data-testid=profile]`); !strings.Contains(got, nameA) {
		pa.Fatalf("the profile page does not show A's name %q", nameA)
	}
	pa.Screenshot("participant-profile")

	// A searches the marketplace.
	pa.Open(me + "/marketplace")
	pa.SetValue(`#search-form input[name=q]`, "artificial intelligence")
	pa.Submit(`#search-form button, #search-form [type=submit]`)
	if q := browserQuery(t, pa.Location()).Get("q"); q != "artificial intelligence" {
		pa.Fatalf("the search form sent q=%q", q)
	}
	if n := pa.Count(`[data-testid=result]`); n == 0 {
		pa.Fatalf("no marketplace results for a word many profiles use")
	}
	// Ticking a facet filters at once (app.js submits the form) to as many
	// results as the facet counted.
	kind := webtest.Eval[map[string]string](pa, `(i => i && {value: i.value, count: i.closest("label").querySelector(".count").innerText})(document.querySelector("[data-testid=facets] [data-facet=kind] input[type=checkbox]"))`)
	if kind == nil {
		pa.Fatalf("the marketplace shows no organization-kind facet")
	}
	pa.Submit(`[data-facet=kind] input[type=checkbox][value=` + webtest.CSSQuote(kind["value"]) + `]`)
	if q := browserQuery(t, pa.Location()); q.Get("kind") != kind["value"] || q.Get("q") != "artificial intelligence" {
		pa.Fatalf("the facet led to ?%s, want kind=%s with the query kept", q.Encode(), kind["value"])
	}
	if got, want := pa.Text(`[data-testid=result-count]`), strings.Trim(kind["count"], "()"); got != want {
		pa.Fatalf("filtered by kind %s: %s results, but the facet counted %s", kind["value"], got, want)
	}
	pa.Screenshot("marketplace")

	// A reads why B fits them, and why they fit B.
	pa.Open(me + "/suggestions")
	card := `[data-testid=suggestion][data-participant=` + webtest.CSSQuote(b) + `]`
	if pa.Count(card) != 1 {
		pa.Fatalf("B (%s) is not among the suggestions; shown: %v", b, pa.DataOf(`[data-testid=suggestion]`))
	}
	why := []struct {
		testid string
		terms  []string
	}{
		{"why-they-fit-you", partner.Forward.AllTerms()},
		{"why-you-fit-them", partner.Backward.AllTerms()},
	}
	for _, w := range why {
		text := strings.ToLower(webtest.FoldSpace(pa.Text(card + ` [data-testid=` + w.testid + `]`)))
		if text == "" {
			pa.Fatalf("B's suggestion has no %q explanation", w.testid)
		}
		// The words that matched, as the matcher found them (the first few:
		// a page may shorten a long list).
		for _, term := range w.terms[:min(3, len(w.terms))] {
			if !strings.Contains(text, strings.ToLower(term)) {
				pa.Fatalf("the %q explanation %q lacks the matched term %q (terms: %v)", w.testid, text, term, w.terms)
			}
		}
	}
	pa.Screenshot("suggestions")

	// A sends B a request with a message.
	message := fmt.Sprintf("Hello %s, the browser test would like to meet you (%d).", partner.Name, time.Now().UnixNano())
	form := card + ` [data-testid=request-form]`
	pa.SetValue(form+` textarea[name=message]`, message)
	pa.Submit(form + ` button, ` + form + ` [type=submit]`)
	if flash := pa.Text(`[data-testid=flash]`); !strings.Contains(flash, partner.Name) {
		pa.Fatalf("after sending, the page says %q, not that the request went to %s", flash, partner.Name)
	}
	// B either leaves the suggestions or shows the request's state; in no
	// case is there a second request form for B.
	if pa.Count(form) != 0 || (pa.Count(card) == 1 && pa.Count(card+` [data-testid=request-state]`) != 1) {
		pa.Fatalf("after sending, B's suggestion (%d shown) has %d request states and %d request forms, want no form",
			pa.Count(card), pa.Count(card+` [data-testid=request-state]`), pa.Count(form))
	}
	req := browserRequest(t, srv.Eng, a, b)
	if req.Message != message || req.Status != profiles.RequestPending {
		t.Fatalf("stored request %s: status %s, message %q; want pending with %q", req.ID, req.Status, req.Message, message)
	}
	pa.Open(me + "/requests")
	out := `[data-testid=outbox-item][data-request=` + webtest.CSSQuote(req.ID) + `]`
	checkRequestEntry(pa, out, "pending", message, partner.Name)

	// B opens their own link, finds the request in the inbox and accepts it.
	pb := webtest.NewUser(t, browser, "participant B", srv.Base, shots)
	pb.Open(linkB)
	pb.Open(me + "/requests")
	in := `[data-testid=inbox-item][data-request=` + webtest.CSSQuote(req.ID) + `]`
	checkRequestEntry(pb, in, "pending", message, nameA)
	pb.Submit(submitButton(in, "accept"))
	pb.Open(me + "/requests")
	checkRequestEntry(pb, in, "accepted", message, nameA)
	pb.Screenshot("requests")
	if got := browserRequest(t, srv.Eng, a, b); got.Status != profiles.RequestAccepted {
		t.Fatalf("after B accepted, the store has request %s %s", got.ID, got.Status)
	}

	// The organizer signs in, previews the grid and publishes it.
	po := webtest.NewUser(t, browser, "organizer", srv.Base, shots)
	po.Open("/login")
	po.SetValue(`input[name=secret]`, srv.OrganizerSecret)
	po.Submit(`form button, form [type=submit]`)
	if loc := po.Location(); !strings.HasSuffix(loc, "/organizer") {
		po.Fatalf("signing in led to %s, want /organizer", loc)
	}
	po.WaitVisible(`[data-testid=event][data-event=` + webtest.CSSQuote(ev) + `]`)
	po.Open("/organizer/e/" + ev + "/grid")
	po.Submit(submitButton("", "grid-preview"))
	po.WaitVisible(submitButton("", "grid-publish"))
	if state := po.DataOf(`[data-testid=grid-status]`); len(state) != 1 || state[0]["state"] != "preview" {
		po.Fatalf("after the preview the grid status is %v, want preview", state)
	}
	po.Submit(submitButton("", "grid-publish"))
	if state := po.DataOf(`[data-testid=grid-status]`); len(state) != 1 || state[0]["state"] != "published" {
		po.Fatalf("after publishing the grid status is %v, want published", state)
	}
	if n := po.Count(`[data-testid=grid] [data-testid=grid-meeting][data-meeting=` + webtest.CSSQuote("m-"+req.ID) + `]`); n != 1 {
		po.Fatalf("the published grid shows the meeting of request %s %d times", req.ID, n)
	}
	po.Screenshot("grid")
	// The event's dashboard, now with the published meetings in its charts.
	po.Open("/organizer/e/" + ev)
	po.WaitVisible(`[data-testid=dashboard] [data-testid=chart]`)
	if n := po.Count(`[data-testid=chart]`); n < 5 {
		po.Fatalf("the dashboard has %d charts, want participants by kind and country, requests, meetings per slot, table use", n)
	}
	if placed := po.Text(`[data-figure=meetings-placed]`); placed == "" || placed == "0" {
		po.Fatalf("the dashboard counts %q meetings placed after publishing", placed)
	}
	po.Screenshot("organizer-dashboard")

	// Both find the meeting in their agendas, at the same time and table.
	entry := meetingInAgenda(t, srv.Eng, a, req.ID)
	meeting := `[data-testid=meeting][data-meeting=` + webtest.CSSQuote(entry.MeetingID) + `]`
	seen := map[string]map[string]string{}
	for _, p := range []*webtest.User{pa, pb} {
		p.Open(me + "/agenda")
		items := p.DataOf(meeting)
		if len(items) != 1 {
			p.Fatalf("the agenda shows meeting %s %d times; meetings shown: %v", entry.MeetingID, len(items), p.DataOf(`[data-testid=meeting]`))
		}
		start, err := time.Parse(time.RFC3339, items[0]["start"])
		if err != nil || !start.Equal(entry.Start) {
			p.Fatalf("meeting %s starts at %q, want %s (%v)", entry.MeetingID, items[0]["start"], entry.Start.Format(time.RFC3339), err)
		}
		if items[0]["table"] != entry.Table {
			p.Fatalf("meeting %s is at table %q, want %q", entry.MeetingID, items[0]["table"], entry.Table)
		}
		if text := p.Text(meeting); !strings.Contains(text, entry.Table) || !strings.Contains(text, entry.Start.In(eventZone(t, srv.Eng)).Format("15:04")) {
			p.Fatalf("meeting %s reads %q: no table %q or time %s", entry.MeetingID, text, entry.Table, entry.Start.Format("15:04"))
		}
		seen[p.Name] = items[0]
	}
	if !maps.Equal(seen[pa.Name], seen[pb.Name]) {
		t.Fatalf("A and B see the meeting differently: %v and %v", seen[pa.Name], seen[pb.Name])
	}
	pa.Screenshot("agenda")

	// The agenda's calendar downloads with A's session, and subscribing works without it.
	download := webtest.Eval[string](pa, `document.querySelector("[data-testid=ics-download]").href`)
	checkICS(t, download, pa.Cookie(auth.SessionCookie), entry)
	subscribe := webtest.Eval[string](pa, `(e => e.href || e.value || e.innerText)(document.querySelector("[data-testid=ics-subscribe]"))`)
	subscribe = strings.Replace(strings.TrimSpace(subscribe), "webcal://", "http://", 1)
	checkICS(t, subscribe, "", entry)
}

// browserPartner returns the first of a's suggestions whose explanation has
// matched terms both ways and who has had no request with a yet.
func browserPartner(t *testing.T, eng *matchgrid.Engine, a string) matcher.Suggestion {
	t.Helper()
	m, err := eng.Matcher()
	if err != nil {
		t.Fatal(err)
	}
	suggestions, err := m.Suggest(demo.EventID, a, 10)
	if err != nil {
		t.Fatal(err)
	}
	var requests []profiles.MeetingRequest
	if err := eng.Store().View(func(tx *profiles.Tx) (err error) { requests, err = tx.Requests(demo.EventID); return err }); err != nil {
		t.Fatal(err)
	}
	for _, s := range suggestions {
		met := slices.ContainsFunc(requests, func(r profiles.MeetingRequest) bool {
			return (r.From == a && r.To == s.ParticipantID) || (r.From == s.ParticipantID && r.To == a)
		})
		if !met && len(s.Forward.AllTerms()) > 0 && len(s.Backward.AllTerms()) > 0 {
			return s
		}
	}
	t.Fatalf("none of %s's %d suggestions has matched terms both ways", a, len(suggestions))
	return matcher.Suggestion{}
}

func browserParticipantName(t *testing.T, eng *matchgrid.Engine, id string) string {
	t.Helper()
	var name string
	err := eng.Store().View(func(tx *profiles.Tx) error {
		p, err := tx.Participant(demo.EventID, id)
		if err == nil {
			name = p.Name()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// browserRequest returns the newest request from a to b in the store.
func browserRequest(t *testing.T, eng *matchgrid.Engine, a, b string) profiles.MeetingRequest {
	t.Helper()
	var found *profiles.MeetingRequest
	err := eng.Store().View(func(tx *profiles.Tx) error {
		all, err := tx.Requests(demo.EventID)
		for i, r := range all {
			if r.From == a && r.To == b && (found == nil || r.CreatedAt.After(found.CreatedAt)) {
				found = &all[i]
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == nil {
		t.Fatalf("the store has no request from %s to %s", a, b)
	}
	return *found
}

// checkRequestEntry checks one inbox or outbox entry: its state, the
// message and the other party's name.
func checkRequestEntry(p *webtest.User, sel, status, message, other string) {
	items := p.DataOf(sel)
	if len(items) != 1 {
		p.Fatalf("%d entries %s", len(items), sel)
	}
	if items[0]["status"] != status {
		p.Fatalf("%s has status %q, want %q", sel, items[0]["status"], status)
	}
	text := webtest.FoldSpace(p.Text(sel))
	if !strings.Contains(text, webtest.FoldSpace(message)) || !strings.Contains(text, other) {
		p.Fatalf("%s reads %q: want the message %q and %q", sel, text, message, other)
	}
}

// button returns a selector of the submit button marked (or inside an
// element marked) data-testid=testid, within scope.
func submitButton(scope, testid string) string {
	if scope != "" {
		scope += " "
	}
	m := `[data-testid=` + testid + `]`
	return fmt.Sprintf(`%[1]sbutton%[2]s, %[1]sinput%[2]s[type=submit], %[1]s%[2]s button, %[1]s%[2]s [type=submit]`, scope, m)
}

// meetingInAgenda returns the agenda entry of the meeting made of a request.
func meetingInAgenda(t *testing.T, eng *matchgrid.Engine, participant, requestID string) calendar.AgendaEntry {
	t.Helper()
	_, entries, err := eng.Agenda(demo.EventID, participant)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.MeetingID == "m-"+requestID {
			if e.Status != calendar.StatusConfirmed {
				t.Fatalf("meeting %s is %s", e.MeetingID, e.Status)
			}
			return e
		}
	}
	t.Fatalf("the published grid has no meeting for request %s (the scheduler could not place it?)", requestID)
	return calendar.AgendaEntry{}
}

// checkICS downloads an ICS file (with a session cookie, if given)
// and checks that it holds the meeting with its start time.
func checkICS(t *testing.T, address, session string, entry calendar.AgendaEntry) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, address, nil)
	if err != nil {
		t.Fatalf("calendar address %q: %v", address, err)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: session})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET %s: %s, %s", address, resp.Status, resp.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: not a calendar: %v", address, err)
	}
	for _, e := range cal.Events() {
		if e.Id() != entry.UID {
			continue
		}
		start, err := e.GetStartAt()
		if err != nil || !start.Equal(entry.Start) {
			t.Fatalf("GET %s: DTSTART of %s is %v (%v), want %v", address, entry.UID, start, err, entry.Start)
		}
		return
	}
	t.Fatalf("GET %s: no event with UID %s among %d", address, entry.UID, len(cal.Events()))
}

func browserQuery(t *testing.T, address string) url.Values {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func eventZone(t *testing.T, eng *matchgrid.Engine) *time.Location {
	t.Helper()
	var zone string
	if err := eng.Store().View(func(tx *profiles.Tx) error {
		e, err := tx.Event(demo.EventID)
		if err == nil {
			zone = e.TimeZone
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
