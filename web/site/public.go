package site

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// eventSummary is an event as the lists show it.
type eventSummary struct {
	ID, Name, Venue, Description string
	First, Last                  string // dates of the first and last day
	Days                         int
}

func summarizeEvent(ev *profiles.Event) eventSummary {
	sum := eventSummary{ID: ev.ID, Name: ev.Name, Venue: ev.Venue, Description: ev.Description, Days: len(ev.Days)}
	if n := len(ev.Days); n > 0 {
		sum.First, sum.Last = ev.Days[0].Date, ev.Days[n-1].Date
	}
	return sum
}

// indexPage is GET /: the events of this server.
func (s *Site) indexPage(c *gin.Context) {
	var events []profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	list := make([]eventSummary, len(events))
	for i := range events {
		list[i] = summarizeEvent(&events[i])
	}
	s.render(c, http.StatusOK, "index", &pageView{Title: "title.events", Section: "events", Data: list})
}

// loginPage is GET /login: the organizer's sign-in form. POST /login
// (auth.go) checks the secret and comes back here with ?failed=1.
func (s *Site) loginPage(c *gin.Context) {
	next := auth.LocalPath(c.Query("next"), "/organizer")
	if auth.ViewerOf(c).IsOrganizer() {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	s.render(c, http.StatusOK, "login", &pageView{Title: "title.sign_in", Section: "login", Data: struct {
		Failed bool
		Next   string
	}{c.Query("failed") == "1", next}})
}

// eventDay is one day of an event with its sessions, for the event page.
type eventDay struct {
	Date     time.Time
	Sessions []profiles.Session
	Breaks   []profiles.Break
}

// filterOption is one value of a filter with how many items have it.
type filterOption struct {
	Value, Label string
	Count        int
	Selected     bool
}

// eventPageData is what the public event page shows.
type eventPageData struct {
	Days          []eventDay
	Slots         int
	Organizations []profiles.Organization
	Total         int // organizations matching the filters
	All           int // organizations of the event
	Kinds         []filterOption
	Countries     []filterOption
	Kind, Country string
	Pager         pager
	Member        bool // the auth.Viewer may open the marketplace
}

// orgsPerPage is the page size of the public organization list.
const orgsPerPage = 30

// eventPage is GET /e/:event: the event and its organizations' public
// profiles, filtered by kind and country.
func (s *Site) eventPage(c *gin.Context) {
	var (
		ev   *profiles.Event
		orgs []profiles.Organization
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if ev, err = tx.Event(c.Param("event")); err != nil {
			return err
		}
		orgs, err = tx.Organizations(ev.ID)
		return err
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	loc, _ := ev.Location() // a stored event validated its zone
	d := eventPageData{All: len(orgs), Kind: c.Query("kind"), Country: c.Query("country")}
	for _, day := range ev.Days {
		date, _ := time.ParseInLocation(time.DateOnly, day.Date, loc)
		d.Days = append(d.Days, eventDay{Date: date, Sessions: day.Sessions, Breaks: day.Breaks})
	}
	if slots, err := ev.Slots(); err == nil {
		d.Slots = len(slots)
	}
	v := auth.ViewerOf(c)
	d.Member = v.IsParticipantOf(ev.ID)
	kinds, countries := map[string]int{}, map[string]int{}
	var shown []profiles.Organization
	for _, o := range orgs {
		kinds[string(o.Kind)]++
		countries[o.Country]++
		if (d.Kind == "" || string(o.Kind) == d.Kind) && (d.Country == "" || o.Country == d.Country) {
			shown = append(shown, o)
		}
	}
	d.Kinds, d.Countries = filterOptions(kinds, d.Kind, s.labeller(c)), filterOptions(countries, d.Country, nil)
	d.Total = len(shown)
	page := positiveQuery(c, "page", 1)
	d.Pager = newPager(c.Request.URL, page, orgsPerPage, d.Total)
	d.Organizations = shown[d.Pager.from():d.Pager.to()]
	s.render(c, http.StatusOK, "event", &pageView{Title: ev.Name, Event: ev, Section: "event", Data: d})
}

// filterOptions sorts counted values: by count (most first), then value;
// label names a value (nil: the value itself).
func filterOptions(counts map[string]int, selected string, label func(string) string) []filterOption {
	opts := make([]filterOption, 0, len(counts))
	for v, n := range counts {
		l := v
		if label != nil {
			l = label(v)
		}
		opts = append(opts, filterOption{Value: v, Label: l, Count: n, Selected: v == selected})
	}
	slices.SortFunc(opts, func(a, b filterOption) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value))
	})
	return opts
}

// positiveQuery reads a positive whole-number query parameter, def when absent
// or bad (a page number out of range just shows the last page).
func positiveQuery(c *gin.Context, name string, def int) int {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 {
		return def
	}
	return n
}

// pager pages a list; its links keep the other query parameters.
type pager struct {
	Page, Pages, Size, Total int
	Prev, Next               string // links, "" when there is none
}

func newPager(u *url.URL, page, size, total int) pager {
	p := pager{Size: size, Total: total, Pages: max(1, (total+size-1)/size)}
	p.Page = min(max(page, 1), p.Pages)
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	return p
}

func (p pager) from() int { return min((p.Page-1)*p.Size, p.Total) }
func (p pager) to() int   { return min(p.Page*p.Size, p.Total) }

// personCard is a participant as other participants see them.
type personCard struct {
	ID, Name, JobTitle string
	Type               profiles.ParticipationType
	Languages          []string
	// State is the viewer's open request with this person, if any.
	State *requestState
}

func personCardOf(p *profiles.Participant) personCard {
	return personCard{ID: p.ID, Name: p.Name(), JobTitle: p.JobTitle, Type: p.Type, Languages: p.Languages}
}

// descriptionText is one language's profile text.
type descriptionText struct{ Lang, Text string }

// organizationPageData is a public profile, with what members see more.
type organizationPageData struct {
	Org          profiles.Organization
	HasLogo      bool
	Descriptions []descriptionText
	// Members only (participants of the event and the organizer):
	Member        bool
	People        []personCard
	Opportunities []profiles.Opportunity
	// CanRequest: the auth.Viewer is a participant of another organization.
	CanRequest bool
	Back       string
}

// organizationPage is GET /e/:event/organizations/:org: an organization's
// public profile. Anonymous visitors see the organization; participants
// of the event and the organizer also see its people and opportunities,
// and participants get a form to ask each person for a meeting.
func (s *Site) organizationPage(c *gin.Context) {
	v := auth.ViewerOf(c)
	eventID := c.Param("event")
	d := organizationPageData{Member: v.IsOrganizer() || v.IsParticipantOf(eventID)}
	var ev *profiles.Event
	err := s.store.View(func(tx *profiles.Tx) error {
		var err error
		if ev, err = tx.Event(eventID); err != nil {
			return err
		}
		org, err := tx.Organization(eventID, c.Param("org"))
		if err != nil {
			return err
		}
		d.Org, d.HasLogo = *org, hasLogo(tx, eventID, org.ID)
		if !d.Member {
			return nil
		}
		people, err := tx.ParticipantsOfOrganization(eventID, org.ID)
		if err != nil {
			return err
		}
		open := openSet{}
		if v.IsParticipantOf(eventID) {
			me, err := tx.Participant(eventID, v.Participant)
			if err != nil {
				return err
			}
			d.CanRequest = me.OrganizationID != org.ID
			if open, err = openRequests(tx, eventID, me.ID); err != nil {
				return err
			}
		}
		for i := range people {
			pc := personCardOf(&people[i])
			pc.State = open.with(pc.ID)
			d.People = append(d.People, pc)
		}
		d.Opportunities, err = tx.OpportunitiesOfOrganization(eventID, org.ID)
		return err
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	for lang, text := range d.Org.Descriptions {
		d.Descriptions = append(d.Descriptions, descriptionText{lang, text})
	}
	slices.SortFunc(d.Descriptions, func(a, b descriptionText) int {
		return cmp.Or(boolRank(b.Lang == "en")-boolRank(a.Lang == "en"), cmp.Compare(a.Lang, b.Lang))
	})
	d.Back = c.Request.URL.Path
	s.render(c, http.StatusOK, "organization", &pageView{Title: d.Org.Name, Event: ev, Section: "event", Data: d})
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
