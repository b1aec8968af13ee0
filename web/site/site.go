package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// The pages are html/template files embedded in the binary, one template
// set per page (layout + partials + page): parsed into one set, every page
// would define "content" and the last one parsed would win.
//
//go:embed templates/*.html
var templateFS embed.FS

// staticFS holds the one stylesheet and the one script of the pages.
//
//go:embed static
var staticFS embed.FS

// pageNames are the pages; templates/<name>.html defines its "title" and
// "content" blocks, rendered inside templates/layout.html.
var pageNames = []string{
	"index", "login", "error", "event", "organization",
	"me", "marketplace", "suggestions", "requests", "agenda",
	"organizer_events", "dashboard", "participants", "matchmaking", "grid", "mytime",
	"followup",
}

// Site is the server-rendered side: the pages of participants and
// organizers, over the same engine and sign-in as the API.
type Site struct {
	engine    *matchgrid.Engine
	store     *profiles.Store
	log       *slog.Logger
	sessions  *auth.Sessions
	sendLimit *auth.Limiter
	editLimit *auth.Limiter
	pages     map[string]pageSet // by language
	i18n      *translator
	static    staticURLs
	// matchmaking holds the organizer's matchmaking runs.
	matchmaking matchJobs
}

// Config is what the pages need besides the engine.
type Config struct {
	Log      *slog.Logger
	Sessions *auth.Sessions
	// SendLimit limits meeting requests per participant (shared with the API).
	SendLimit *auth.Limiter
	// EditLimit limits creating and editing opportunities and profiles per
	// participant (shared with the API); nil means no limit.
	EditLimit *auth.Limiter
}

// New parses the pages and returns the site of eng.
func New(eng *matchgrid.Engine, cfg Config) (*Site, error) {
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	pages := map[string]pageSet{}
	for _, l := range langs {
		if pages[l.String()], err = parsePages(tr.funcs(l.String())); err != nil {
			return nil, err
		}
	}
	return &Site{engine: eng, store: eng.Store(), log: cfg.Log, sessions: cfg.Sessions,
		sendLimit: cfg.SendLimit, editLimit: cfg.EditLimit, pages: pages, i18n: tr}, nil
}

// Register puts the pages, the sign-in routes and the static files on r.
func (s *Site) Register(r *gin.Engine) error {
	if err := s.staticRoutes(r); err != nil {
		return err
	}
	r.POST("/login", s.signIn)
	r.POST("/logout", s.signOut)
	r.GET("/e/:event/link", s.personalLink)
	r.GET("/", s.indexPage)
	r.GET("/lang/:lang", s.setLanguage)
	r.GET("/login", s.loginPage)
	r.GET("/e/:event", s.eventPage)
	r.GET("/e/:event/organizations/:org", s.organizationPage)
	r.GET("/e/:event/organizations/:org/logo", s.logo)
	r.GET("/e/:event/calendar/:file", s.calendarFeed)
	r.GET(WidgetRoute, s.widgetPage)

	me := r.Group("/e/:event/me", s.participantOnly)
	me.GET("", s.mePage)
	edits := func(c *gin.Context) { c.Next() }
	if s.editLimit != nil {
		edits = s.editLimit.PerParticipant(func(c *gin.Context) {
			s.errorPage(c, http.StatusTooManyRequests, s.tr(c, "error.too_many_changes", nil))
		})
	}
	me.POST("/profile", edits, s.updateMyProfile)
	me.POST("/organization", edits, s.updateMyOrganization)
	me.POST("/opportunities", edits, s.createMyOpportunity)
	me.POST("/opportunities/:opp", edits, s.updateMyOpportunity)
	me.POST("/opportunities/:opp/delete", s.deleteMyOpportunity)
	me.GET("/marketplace", s.marketplacePage)
	me.GET("/suggestions", s.suggestionsPage)
	me.GET("/requests", s.requestsPage)
	me.POST("/requests", s.sendMyRequest)
	me.POST("/requests/:request/:action", s.answerMyRequest)
	me.POST("/people/:participant/:action", s.markPerson)
	me.POST("/widget", s.issueWidget)
	me.POST("/logo", s.uploadLogo)
	me.POST("/widget/revoke", s.revokeWidget)
	me.GET("/agenda", s.agendaPage)
	me.GET("/time", s.myTimePage)
	me.POST("/time", s.saveMyTime)
	me.GET("/agenda.ics", s.myAgendaICS)
	me.GET("/agenda.csv", s.myAgendaCSV)
	me.POST("/meetings/:meeting/report", s.reportMyMeeting)

	r.GET("/organizer", s.organizerOnly, s.organizerEventsPage)
	org := r.Group("/organizer/e/:event", s.organizerOnly, s.eventExists)
	org.GET("", s.dashboardPage)
	org.GET("/participants", s.participantsPage)
	org.POST("/participants/import", s.importParticipants)
	org.POST("/links", s.exportLinks)
	org.POST("/matchmaking", s.runMatchmaking)
	org.GET("/matchmaking", s.matchmakingPage)
	org.GET("/grid", s.gridPage)
	org.POST("/grid/preview", s.submitPreview)
	org.POST("/grid/publish", s.submitPublish)
	org.POST("/grid/place-late", s.submitPlaceLate)
	org.POST("/meetings/:meeting/:action", s.submitLock)
	org.GET("/exports/grid.csv", s.exportGridCSV)
	org.GET("/exports/agendas.csv", s.exportAgendasCSV)
	org.GET("/exports/agendas.zip", s.exportAgendasZip)
	org.GET("/exports/sheet/:export", s.exportSheet)
	org.GET("/followup", s.followUpPage)
	org.POST("/webhooks", s.registerHook)
	org.POST("/webhooks/:webhook/delete", s.deleteHook)
	return nil
}

// pageSet is every page's parsed template set, by page name.
type pageSet map[string]*template.Template

// parsePages parses each page with the layout and the partials, with the
// template functions of one language (langFuncs) over the common ones.
func parsePages(langFuncs template.FuncMap) (pageSet, error) {
	set := pageSet{}
	for _, name := range append(pageNames, "widget") {
		files := []string{"templates/layout.html", "templates/partials.html", "templates/" + name + ".html"}
		if name == "widget" {
			files = []string{"templates/widget.html"} // a page of its own, without the site's frame
		}
		t, err := template.New(name).Funcs(templateFuncs).Funcs(langFuncs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		set[name] = t
	}
	return set, nil
}

// pageView is what every page template gets: the layout reads the common
// fields, the page its own Data.
type pageView struct {
	Title   string
	Viewer  auth.Viewer
	Event   *profiles.Event // the event the page belongs to, for the navigation
	Section string          // the navigation entry to mark as current
	Flash   *flash
	Data    any
	Static  staticURLs
	Nav     []navItem
	Refresh int        // seconds after which the page reloads itself (a run's progress); 0 never
	Lang    string     // the page's language (html lang)
	Langs   []langLink // the language switch
}

// navItem is one entry of the site navigation.
type navItem struct {
	Label, Href, Section string
	Current              bool
}

// navFor is the navigation a viewer gets: the participant area for a
// participant, the event's organizer pages for the organizer, the public
// pages for everyone else.
func navFor(v auth.Viewer, ev *profiles.Event, section string) []navItem {
	var items []navItem
	switch {
	case v.IsOrganizer():
		items = append(items, navItem{"nav.all_events", "/organizer", "organizer", false})
		if ev != nil {
			items = append(items,
				navItem{"nav.dashboard", organizerPath(ev.ID, ""), "dashboard", false},
				navItem{"nav.participants", organizerPath(ev.ID, "/participants"), "participants", false},
				navItem{"nav.grid", organizerPath(ev.ID, "/grid"), "grid", false},
				navItem{"nav.followup", organizerPath(ev.ID, "/followup"), "followup", false},
				navItem{"nav.public_page", eventPath(ev.ID, ""), "event", false})
		}
	case v.Role == auth.Participant:
		items = append(items,
			navItem{"nav.event", eventPath(v.Event, ""), "event", false},
			navItem{"nav.profile", eventPath(v.Event, "/me"), "me", false},
			navItem{"nav.marketplace", eventPath(v.Event, "/me/marketplace"), "marketplace", false},
			navItem{"nav.suggestions", eventPath(v.Event, "/me/suggestions"), "suggestions", false},
			navItem{"nav.requests", eventPath(v.Event, "/me/requests"), "requests", false},
			navItem{"nav.agenda", eventPath(v.Event, "/me/agenda"), "agenda", false},
			navItem{"nav.time", eventPath(v.Event, "/me/time"), "time", false})
	default:
		items = append(items, navItem{"nav.events", "/", "events", false}, navItem{"nav.sign_in", "/login", "login", false})
		if ev != nil {
			items = append(items[:1:1], navItem{"nav.event", eventPath(ev.ID, ""), "event", false}, items[1])
		}
	}
	for i := range items {
		items[i].Current = items[i].Section == section
	}
	return items
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Site) render(c *gin.Context, status int, name string, pv *pageView) {
	pv.Lang = s.lang(c)
	pv.Langs = langLinks(pv.Lang, c.Request.URL.RequestURI())
	t, ok := s.pages[pv.Lang][name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		httperr.Write(c, http.StatusInternalServerError, "internal error", "")
		return
	}
	pv.Viewer = auth.ViewerOf(c)
	pv.Static = s.static
	pv.Nav = navFor(pv.Viewer, pv.Event, pv.Section)
	if pv.Flash == nil {
		pv.Flash = takeFlash(c)
	}
	root := "layout"
	if name == "widget" {
		root = "widget"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, pv); err != nil {
		s.log.Error("rendering page", "page", name, "err", err)
		httperr.Write(c, http.StatusInternalServerError, "internal error", "")
		return
	}
	c.Header("Cache-Control", "no-store") // pages are personal
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage renders a page that says what went wrong and stops the chain.
func (s *Site) errorPage(c *gin.Context, status int, msg string) {
	s.errorPageNext(c, status, msg, nil)
}

// nextStep is the link an error page offers: what to do now.
type nextStep struct{ Label, Href string }

// errorPageNext is errorPage with a next step; without one the page links
// to the list of events.
func (s *Site) errorPageNext(c *gin.Context, status int, msg string, next *nextStep) {
	if next == nil {
		next = &nextStep{s.tr(c, "error.back_events", nil), "/"}
	}
	title := fmt.Sprintf("status.%d", status)
	s.render(c, status, "error", &pageView{Title: title, Data: struct {
		Status int
		Text   string
		Detail string
		Next   *nextStep
	}{status, s.tr(c, title, nil), msg, next}})
	c.Abort()
}

// NotFound answers an address that matches no page: a page that says so
// and, under /e/{event}/, links to that event's page.
func (s *Site) NotFound(c *gin.Context) {
	var next *nextStep
	if rest, ok := strings.CutPrefix(c.Request.URL.Path, "/e/"); ok {
		eventID, _, _ := strings.Cut(rest, "/")
		if ev, err := s.loadEvent(eventID); err == nil {
			next = &nextStep{s.tr(c, "error.go_to", map[string]any{"Name": ev.Name}), eventPath(ev.ID, "")}
		}
	}
	s.errorPageNext(c, http.StatusNotFound, s.tr(c, "error.no_page", nil), next)
}

// tooManyAttempts answers a client locked out of signing in for a while.
func (s *Site) tooManyAttempts(c *gin.Context) {
	c.Header("Retry-After", "60")
	s.errorPage(c, http.StatusTooManyRequests, s.tr(c, "error.too_many", nil))
}

// storeErrorPage answers err with an error page, its status from
// httperr's table (the API's); internal errors are logged, not shown.
func (s *Site) storeErrorPage(c *gin.Context, err error) {
	class := httperr.Classify(err)
	if !class.Public {
		s.log.Error("page", "path", c.Request.URL.Path, "err", err)
		s.errorPage(c, class.Status, s.tr(c, "error.internal", nil))
		return
	}
	s.errorPage(c, class.Status, s.userMessage(c, err))
}

// userMessage is what a form's author is told when the store refuses a
// change: the validation message, or a generic one for internal errors.
func (s *Site) userMessage(c *gin.Context, err error) string {
	var fe *profiles.FieldError
	switch {
	case errors.As(err, &fe):
		return s.i18n.fieldMessage(s.lang(c), fe)
	case httperr.Classify(err).Public:
		return err.Error()
	}
	return s.tr(c, "error.retry", nil)
}

// participantOnly guards the participant area of :event: only a participant
// of that event gets in (the pages then act on their own ID, never one from
// the URL). Anonymous visitors are told to open their personal link, the
// organizer is sent to the event's organizer pages, anyone else gets 403.
func (s *Site) participantOnly(c *gin.Context) {
	v := auth.ViewerOf(c)
	eventID := c.Param("event")
	switch {
	case v.IsParticipantOf(eventID):
		c.Next()
	case v.IsOrganizer():
		c.Redirect(http.StatusSeeOther, "/organizer/e/"+url.PathEscape(eventID))
		c.Abort()
	case v.Role == auth.Anonymous:
		s.errorPage(c, http.StatusUnauthorized, s.tr(c, "error.participant_only", nil))
	default:
		s.errorPage(c, http.StatusForbidden, s.tr(c, "error.other_event", nil))
	}
}

// organizerOnly guards the organizer area: anonymous visitors are sent to
// the sign-in page (and back here after it), participants get 403.
func (s *Site) organizerOnly(c *gin.Context) {
	switch auth.ViewerOf(c).Role {
	case auth.Organizer:
		c.Next()
	case auth.Anonymous:
		next := c.Request.URL.Path
		if c.Request.Method != http.MethodGet {
			next = "/organizer" // a form resent after sign-in would surprise
		} else if q := c.Request.URL.RawQuery; q != "" {
			next += "?" + q
		}
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		c.Abort()
	default:
		s.errorPage(c, http.StatusForbidden, s.tr(c, "error.organizer_only", nil))
	}
}

// eventExists answers 404 for organizer pages of an unknown event.
func (s *Site) eventExists(c *gin.Context) {
	if _, err := s.loadEvent(c.Param("event")); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	c.Next()
}

// loadEvent reads one event.
func (s *Site) loadEvent(id string) (*profiles.Event, error) {
	var ev *profiles.Event
	err := s.store.View(func(tx *profiles.Tx) (err error) { ev, err = tx.Event(id); return err })
	return ev, err
}

// eventPath is the path of an event's page plus rest.
func eventPath(eventID, rest string) string { return "/e/" + url.PathEscape(eventID) + rest }

// organizerPath is the path of an event's organizer page plus rest.
func organizerPath(eventID, rest string) string {
	return "/organizer/e/" + url.PathEscape(eventID) + rest
}

// flash is a one-time message shown on the page a form redirects to
// (post/redirect/get), carried in a short-lived cookie.
type flash struct {
	Kind    string `json:"k"` // "ok" or "error"
	Message string `json:"m"`
}

const flashCookie = "mg_flash"

// redirectWith redirects to path with a flash message for the next page.
func (s *Site) redirectWith(c *gin.Context, path, kind, msg string) {
	b, _ := json.Marshal(flash{Kind: kind, Message: msg}) // two strings always marshal
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.sessions.Secure(c.Request), SameSite: http.SameSiteLaxMode,
	})
	c.Redirect(http.StatusSeeOther, path)
}

// takeFlash reads and clears the flash message, if any.
func takeFlash(c *gin.Context) *flash {
	v, err := c.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(b, &f) != nil || f.Message == "" || (f.Kind != "ok" && f.Kind != "error") {
		return nil
	}
	return &f
}

// staticURLs are the addresses of the stylesheet and the script, with a
// content hash so that browsers may cache them for long.
type staticURLs struct{ CSS, JS string }

// staticFiles are the files under /static; nothing else is served there.
var staticFiles = map[string]string{"style.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}

func (s *Site) staticRoutes(r *gin.Engine) error {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return err
	}
	version := map[string]string{}
	for name := range staticFiles {
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			return fmt.Errorf("web: static %s: %w", name, err)
		}
		sum := sha256.Sum256(b)
		version[name] = hex.EncodeToString(sum[:6])
	}
	s.static = staticURLs{CSS: "/static/style.css?v=" + version["style.css"], JS: "/static/app.js?v=" + version["app.js"]}
	r.GET("/static/:file", func(c *gin.Context) {
		name := c.Param("file")
		ct, ok := staticFiles[name]
		if !ok {
			httperr.Write(c, http.StatusNotFound, "no such file", "")
			return
		}
		b, _ := fs.ReadFile(sub, name) // read at start, so present
		if c.Query("v") == version[name] {
			c.Header("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Header("Cache-Control", "no-cache")
		}
		c.Data(http.StatusOK, ct, b)
	})
	return nil
}

// backTo returns the form's "back" field when it is a page of eventID,
// else def: after a request sent from the marketplace, the participant
// lands on the marketplace again.
func backTo(c *gin.Context, eventID, def string) string {
	back := auth.LocalPath(c.PostForm("back"), def)
	if !strings.HasPrefix(back, eventPath(eventID, "/")) {
		return def
	}
	return back
}
