package browsertest_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// TestBrowserEveryPage opens every page of the site in a real headless
// Chromium, in English and in Italian (switched with the language switch),
// checks each with axe-core (WCAG 2.1 A and AA: no violation) and keeps
// its screenshots at 1400 px and 390 px; then a portal on another origin
// shows the participant's widget in an iframe.
func TestBrowserEveryPage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	webtest.ChromiumPath(t)
	axe := webtest.LoadAxe(t)
	portal := startPortal(t) // another origin, allowed to frame the widget
	srv := webtest.StartBrowserServerWith(t, web.Config{FrameAncestors: []string{portal.origin}})
	ev := demo.EventID
	const a = "p-0004"
	shots := webtest.NewShots(t)
	browser := webtest.StartBrowser(t)
	anon := webtest.NewUser(t, browser, "visitor", srv.Base, shots)
	pa := webtest.NewUser(t, browser, "participant", srv.Base, shots)
	po := webtest.NewUser(t, browser, "organizer", srv.Base, shots)
	pa.Open(srv.Link(t, a))
	po.Open("/login")
	po.SetValue(`input[name=secret]`, srv.OrganizerSecret)
	po.Submit(`#login-form [type=submit]`)
	org, _ := demoOrgWithPerson(t, srv, a)

	pages := []struct {
		who        *webtest.User
		name, path string
		status     int
	}{
		{anon, "events", "/", 200},
		{anon, "sign-in", "/login", 200},
		{anon, "event", "/e/" + ev, 200},
		{anon, "not-found", "/e/" + ev + "/no-such-page", 404},
		{pa, "profile", "/e/" + ev + "/me", 200},
		{pa, "marketplace", "/e/" + ev + "/me/marketplace?q=cancer", 200},
		{pa, "suggestions", "/e/" + ev + "/me/suggestions", 200},
		{pa, "requests", "/e/" + ev + "/me/requests", 200},
		{pa, "agenda", "/e/" + ev + "/me/agenda", 200},
		{pa, "my-time", "/e/" + ev + "/me/time", 200},
		{pa, "organization", "/e/" + ev + "/organizations/" + org.ID, 200},
		{po, "organizer-events", "/organizer", 200},
		{po, "dashboard", "/organizer/e/" + ev, 200},
		{po, "participants", "/organizer/e/" + ev + "/participants", 200},
		{po, "matchmaking-before", "/organizer/e/" + ev + "/matchmaking", 200},
		{po, "grid", "/organizer/e/" + ev + "/grid", 200},
		{po, "follow-up", "/organizer/e/" + ev + "/followup", 200},
	}
	start := time.Now()
	for _, lang := range []string{"en", "it"} {
		for _, u := range []*webtest.User{anon, pa, po} {
			// The switch on the page, as a person would use it.
			u.Open("/e/" + ev)
			u.Submit(`[data-testid=lang-switch] a[data-lang=` + lang + `]`)
			if got := webtest.Eval[string](u, `document.documentElement.lang`); got != lang {
				u.Fatalf("after switching to %s the page is in %q", lang, got)
			}
		}
		for _, pg := range pages {
			if pg.status == 200 {
				pg.who.Open(pg.path)
			} else {
				pg.who.OpenExpect(pg.path, pg.status)
			}
			if got := webtest.Eval[string](pg.who, `document.documentElement.lang`); got != lang {
				pg.who.Fatalf("%s is in %q, want %s (the choice is remembered)", pg.name, got, lang)
			}
			axe.Check(pg.who, pg.name+" ("+lang+")")
			if lang == "en" { // the layout is the same in Italian
				pg.who.Screenshot(pg.name)
			}
		}
		if lang == "it" && !strings.Contains(pa.Text(`nav.site-nav`), "Il mio tempo") {
			pa.Fatalf("the Italian navigation reads %q", pa.Text(`nav.site-nav`))
		}
		if lang == "it" { // the organizer's pages speak Italian too
			po.Open("/organizer/e/" + ev + "/grid")
			if h := po.Text(`main h1`); h != "Griglia degli incontri" {
				po.Fatalf("the Italian grid page's heading reads %q", h)
			}
		}
		// Matchmaking runs in the background; its page shows the progress,
		// then the summary (run once: the Italian pass reads its summary).
		if lang == "en" {
			po.Open("/organizer/e/" + ev + "/participants")
			po.Submit(`#matchmaking-form [type=submit]`)
		}
		po.Open("/organizer/e/" + ev + "/matchmaking")
		for i := 0; i < 600 && webtest.Eval[string](po, `document.querySelector("[data-testid=mm-state]").dataset.state`) != "done"; i++ {
			time.Sleep(200 * time.Millisecond)
			po.Open("/organizer/e/" + ev + "/matchmaking")
		}
		axe.Check(po, "matchmaking ("+lang+")")
		if lang == "en" {
			po.Screenshot("matchmaking")
		}
	}
	t.Logf("every page in both languages: %s", time.Since(start).Round(time.Second))

	// On a phone: a one-row header whose menu opens, results before the
	// folded filters.
	pa.SetWidth(390)
	pa.Open("/e/" + ev + "/me/marketplace?q=cancer")
	if h := webtest.Eval[float64](pa, `document.querySelector(".site-header").getBoundingClientRect().height`); h >= 80 {
		pa.Fatalf("the header is %.0f px high on a phone, want under 80", h)
	}
	if webtest.Eval[bool](pa, `document.querySelector("[data-testid=result]").getBoundingClientRect().top > document.querySelector("[data-testid=facets]").getBoundingClientRect().top`) {
		pa.Fatalf("on a phone the filters come before the results")
	}
	if webtest.Eval[bool](pa, `document.querySelector(".facets-fold").open`) {
		pa.Fatalf("on a phone the filters are not folded")
	}
	pa.Click(`[data-testid=menu-toggle]`)
	if !webtest.Eval[bool](pa, `document.querySelector("nav.site-nav").getBoundingClientRect().height > 0`) {
		pa.Fatalf("the phone menu does not open")
	}
	pa.SetWidth(webtest.ScreenWidths[0])

	// The widget: the participant creates its address, a portal on another
	// origin shows it in an iframe.
	pa.Open("/e/" + ev + "/me")
	pa.Submit(`[data-testid=widget-issue]`)
	widget := webtest.Eval[string](pa, `document.querySelector("[data-testid=widget-url]").value`)
	if widget == "" || strings.Contains(widget, "key=") {
		pa.Fatalf("widget address %q", widget)
	}
	portal.widget = widget
	visitor := webtest.NewUser(t, browser, "portal visitor", srv.Base, shots)
	visitor.OpenURL(portal.origin + "/")
	visitor.WaitVisible(`iframe`)
	if frames := visitor.FrameURLs(); len(frames) != 1 || frames[0] != widget {
		visitor.Fatalf("the portal's frame shows %v, want the widget %s", frames, widget)
	}
	visitor.Screenshot("portal-with-widget")
	visitor.OpenURL(widget) // the widget on its own, as the frame loads it
	if n := visitor.Count(`[data-testid=widget-suggestion]`); n == 0 {
		visitor.Fatalf("the widget lists no suggestion")
	}
	axe.Check(visitor, "widget")
}

// portal is a web page on another origin (another loopback port) that frames
// the widget.
type portal struct {
	origin string
	widget string // set before the page is opened
}

func startPortal(t *testing.T) *portal {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{origin: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner portal</title></head>` +
			`<body><h1>Our members' portal</h1><iframe src="` + p.widget + `" title="Suggested partners" width="380" height="600"></iframe></body></html>`))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return p
}
