package browsertest_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// TestBrowserParticipantTools drives the participant's own tools in a real
// headless Chromium: an old personal link answers with a page, people are
// found by name, a request sent twice (from a stale tab) is refused in
// words, availability is saved, and suggestions are saved and dismissed.
func TestBrowserParticipantTools(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	webtest.ChromiumPath(t)
	srv := webtest.StartBrowserServer(t)
	ev := demo.EventID
	me := "/e/" + ev + "/me"
	const a = "p-0003"
	old := srv.Link(t, a)
	link := srv.Link(t, a) // replaces the first
	shots := webtest.NewShots(t)
	browser := webtest.StartBrowser(t)
	pa := webtest.NewUser(t, browser, "participant A", srv.Base, shots)

	// The replaced link from an old e-mail: a page that says what to do.
	pa.OpenExpect(old, 404)
	if text := pa.Text(`[data-testid=error]`); !strings.Contains(text, "replaced by a newer one") || pa.Count(`[data-testid=error-next]`) != 1 {
		pa.Fatalf("the old link's page says %q", text)
	}
	pa.Screenshot("invalid-link")
	pa.Open(link)

	// Find an organization by its name, and a person by their first name
	// and the start of their last name.
	org, person := demoOrgWithPerson(t, srv, a)
	for _, q := range []string{strings.ToLower(org.Name), person.FirstName + " " + person.LastName[:min(len(person.LastName), 4)]} {
		pa.Open(me + "/marketplace?type=organization&q=" + url.QueryEscape(q))
		if first := pa.DataOf(`[data-testid=result]`); len(first) == 0 || first[0]["id"] != org.ID {
			pa.Fatalf("searching %q: first results %v, want %s (%s)", q, first[:min(3, len(first))], org.ID, org.Name)
		}
	}
	pa.Screenshot("marketplace-name-search")

	// A stale tab still shows the request form for someone A has just asked.
	orgPage := "/e/" + ev + "/organizations/" + org.ID
	stale := pa.NewTab("participant A, second tab")
	stale.Open(orgPage)
	pa.Open(orgPage)
	form := `[data-testid=person][data-participant=` + webtest.CSSQuote(person.ID) + `] [data-testid=request-form]`
	pa.Submit(form + ` [type=submit]`)
	if flash := pa.Text(`[data-testid=flash]`); !strings.Contains(flash, "request was sent") {
		pa.Fatalf("after sending: %q", flash)
	}
	pa.Open(orgPage)
	if pa.Count(form) != 0 || !strings.Contains(pa.Text(`[data-testid=person][data-participant=`+webtest.CSSQuote(person.ID)+`] [data-testid=request-state]`), "Request sent") {
		pa.Fatalf("after sending, the profile still offers a request form instead of the request's state")
	}
	stale.Submit(form + ` [type=submit]`)
	if flash := stale.Text(`[data-testid=flash]`); !strings.Contains(flash, "You already asked "+person.Name()) {
		stale.Fatalf("a second request says %q, not that it was already sent", flash)
	}
	stale.Screenshot("duplicate-request")

	// My time: two slots off, at most five meetings.
	pa.Open(me + "/time")
	pa.Click(`#busy-0`)
	pa.Click(`#busy-1`)
	pa.SetValue(`#max_meetings`, "5")
	pa.Submit(`#time-form [type=submit]`)
	if flash := pa.Text(`[data-testid=flash]`); !strings.Contains(flash, "saved") {
		pa.Fatalf("saving my time: %q", flash)
	}
	if checked := webtest.Eval[int](pa, `document.querySelectorAll("input[name=busy]:checked").length`); checked != 2 {
		pa.Fatalf("%d slots ticked after saving, want 2", checked)
	}
	pa.Screenshot("my-time")
	readTx(t, srv.Eng, func(tx *profiles.Tx) error {
		p, err := tx.Participant(ev, a)
		if err == nil && (p.MaxMeetings != 5 || len(p.Unavailable) != 1) {
			t.Errorf("stored: max %d, unavailable %v", p.MaxMeetings, p.Unavailable)
		}
		return err
	})

	// Save one suggestion for later, dismiss another.
	pa.Open(me + "/suggestions")
	cards := pa.DataOf(`[data-testid=suggestion]`)
	if len(cards) < 2 {
		pa.Fatalf("%d suggestions, want two", len(cards))
	}
	keep, drop := cards[0]["participant"], cards[1]["participant"]
	card := func(id string) string {
		return `[data-testid=suggestion][data-participant=` + webtest.CSSQuote(id) + `]`
	}
	pa.Submit(card(keep) + ` [data-testid=save]`)
	if pa.Count(`[data-testid=saved-person][data-participant=`+webtest.CSSQuote(keep)+`]`) != 1 || pa.Count(card(keep)+` [data-testid=unsave]`) != 1 {
		pa.Fatalf("after saving %s, it is not listed as saved", keep)
	}
	pa.Submit(card(drop) + ` [data-testid=dismiss]`)
	if pa.Count(card(drop)) != 0 || pa.Count(`[data-testid=dismissed-person][data-participant=`+webtest.CSSQuote(drop)+`]`) != 1 {
		pa.Fatalf("after dismissing %s, it is still suggested or not listed as dismissed", drop)
	}
	pa.Screenshot("suggestions-saved-dismissed")
}
