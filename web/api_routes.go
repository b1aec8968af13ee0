package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// access says who may call an API route. It picks the route's gate and
// is what the OpenAPI document tells of the route.
type access int

const (
	// accessAnyone: anonymous visitors too (public event data).
	accessAnyone access = iota
	// accessMember: the organizer and participants of :event; the handler
	// may narrow it further (the owner of an opportunity, say).
	accessMember
	// accessSelf: the organizer and the participant named by :participant.
	accessSelf
	// accessOrganizer: the organizer only.
	accessOrganizer
)

// gate returns the middleware that enforces a.
func (a access) gate() gin.HandlerFunc {
	switch a {
	case accessMember:
		return requireMember
	case accessSelf:
		return requireSelfOrOrganizer
	case accessOrganizer:
		return requireOrganizer
	}
	return nil
}

// apiRoute is one API operation: what apiRoutes registers and what the
// OpenAPI document describes, from the same record so they cannot drift.
type apiRoute struct {
	method, path string // gin path below /api/v1
	access       access
	handler      gin.HandlerFunc
	tag, summary string
	// who elaborates access for the document when the handler narrows it.
	who   string
	query []queryParam
	// body is a zero value of the request body type, nil for none.
	body         any
	bodyOptional bool
	// status is the success status; resp a zero value of its body (nil
	// for none), media its type when not JSON.
	status int
	resp   any
	media  string
}

// queryParam is a documented query parameter.
type queryParam struct {
	name, typ, doc string // typ: "string", "integer" or "boolean"
}

var (
	pageParams   = []queryParam{{"limit", "integer", "page size, 1 to 500 (default 50)"}, {"offset", "integer", "items to skip (default 0)"}}
	searchParams = []queryParam{
		{"q", "string", "free text, matched in the text's language when it is detected"},
		{"lang", "string", "ISO 639-1 language of q, when detection should not guess"},
		{"type", "string", "organization or opportunity; both when empty"},
		{"kind", "string", "organization kinds to keep, comma-separated (sme, university, ...)"},
		{"country", "string", "country codes to keep, comma-separated (IT, FR, ...)"},
		{"sector", "string", "sectors to keep, comma-separated"},
		{"facets", "string", "facets to count, comma-separated: " + joinComma(searchFacets)},
		{"limit", "integer", "hits per page, 1 to 100 (default 20)"},
		{"offset", "integer", "hits to skip (default 0)"},
	}
)

// routes returns every API operation.
func (s *Server) routes() []apiRoute {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	)
	ok, created, none := http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []apiRoute{
		{get, "/openapi.json", accessAnyone, nil, "meta", "This OpenAPI document", "", nil, nil, false, ok, map[string]any{}, ""},

		{get, "/events", accessAnyone, s.listEvents, "events", "List events", "", pageParams, nil, false, ok, list[profiles.Event]{}, ""},
		{post, "/events", accessOrganizer, s.createEvent, "events", "Create an event", "", nil, profiles.Event{}, false, created, eventView{}, ""},
		{get, "/events/:event", accessAnyone, s.getEvent, "events", "Read an event with its slots", "", nil, nil, false, ok, eventView{}, ""},
		{put, "/events/:event", accessOrganizer, s.updateEvent, "events", "Replace an event", "", nil, profiles.Event{}, false, ok, eventView{}, ""},
		{del, "/events/:event", accessOrganizer, s.deleteEvent, "events", "Delete an event with everything in it", "", nil, nil, false, none, nil, ""},

		{get, "/events/:event/organizations", accessAnyone, s.listOrganizations, "organizations", "List organizations (public profiles)", "", pageParams, nil, false, ok, list[profiles.Organization]{}, ""},
		{post, "/events/:event/organizations", accessOrganizer, s.createOrganization, "organizations", "Create an organization", "", nil, profiles.Organization{}, false, created, profiles.Organization{}, ""},
		{get, "/events/:event/organizations/:org", accessAnyone, s.getOrganization, "organizations", "Read an organization's public profile", "", nil, nil, false, ok, profiles.Organization{}, ""},
		{put, "/events/:event/organizations/:org", accessMember, s.updateOrganization, "organizations", "Replace an organization's profile",
			"the organizer, or a participant representing the organization", nil, profiles.Organization{}, false, ok, profiles.Organization{}, ""},
		{del, "/events/:event/organizations/:org", accessOrganizer, s.deleteOrganization, "organizations", "Delete an organization without participants", "", nil, nil, false, none, nil, ""},

		{get, "/events/:event/participants", accessMember, s.listParticipants, "participants", "List participants",
			"members; private fields (e-mail, availability, blocked, limits) only for the organizer and for oneself", pageParams, nil, false, ok, list[participantView]{}, ""},
		{post, "/events/:event/participants", accessOrganizer, s.createParticipant, "participants", "Register a participant", "", nil, participantInput{}, false, created, participantView{}, ""},
		{get, "/events/:event/participants/:participant", accessMember, s.getParticipant, "participants", "Read a participant",
			"members; private fields only for the organizer and for oneself", nil, nil, false, ok, participantView{}, ""},
		{put, "/events/:event/participants/:participant", accessSelf, s.updateParticipant, "participants", "Replace a participant's profile",
			"the organizer, or the participant themselves (who may not change organization_id, type, max_meetings or own_table)", nil, participantInput{}, false, ok, participantView{}, ""},
		{del, "/events/:event/participants/:participant", accessOrganizer, s.deleteParticipant, "participants", "Delete a participant without meetings", "", nil, nil, false, none, nil, ""},

		{get, "/events/:event/opportunities", accessMember, s.listOpportunities, "opportunities", "List opportunities", "", append([]queryParam{{"participant", "string", "only this participant's opportunities"}}, pageParams...), nil, false, ok, list[profiles.Opportunity]{}, ""},
		{post, "/events/:event/opportunities", accessMember, s.createOpportunity, "opportunities", "Publish an opportunity",
			"the organizer (for any participant), or a participant (for themselves)", nil, profiles.Opportunity{}, false, created, profiles.Opportunity{}, ""},
		{get, "/events/:event/opportunities/:opp", accessMember, s.getOpportunity, "opportunities", "Read an opportunity", "", nil, nil, false, ok, profiles.Opportunity{}, ""},
		{put, "/events/:event/opportunities/:opp", accessMember, s.updateOpportunity, "opportunities", "Replace an opportunity",
			"the organizer, or the participant who published it", nil, profiles.Opportunity{}, false, ok, profiles.Opportunity{}, ""},
		{del, "/events/:event/opportunities/:opp", accessMember, s.deleteOpportunity, "opportunities", "Delete an opportunity",
			"the organizer, or the participant who published it", nil, nil, false, none, nil, ""},

		{get, "/events/:event/search", accessMember, s.search, "marketplace", "Search organizations and opportunities, with facets", "", searchParams, nil, false, ok, index.Result{}, ""},
		{get, "/events/:event/participants/:participant/suggestions", accessSelf, s.suggestions, "marketplace", "Suggested meeting partners, explained both ways", "",
			[]queryParam{{"limit", "integer", "suggestions, 1 to 100 (default 10)"},
				{"detail", "string", "brief (default): scores, matched terms and notes; full: also each score's per-feature breakdown"}}, nil, false, ok, list[matcher.Suggestion]{}, ""},

		{get, "/events/:event/participants/:participant/requests", accessSelf, s.listRequests, "requests", "A participant's received and sent meeting requests", "",
			[]queryParam{{"status", "string", "only requests in this state: " + joinComma(profiles.RequestStatuses)}}, nil, false, ok, requestsView{}, ""},
		{post, "/events/:event/participants/:participant/requests", accessSelf, s.sendRequest, "requests", "Send a meeting request",
			"the participant themselves (rate-limited); the event's policy decides whether it is accepted at once, caps pending requests and sets the expiry", nil, sendRequestInput{}, false, created, requestView{}, ""},
		{post, "/events/:event/requests/:request/accept", accessMember, s.acceptRequest, "requests", "Accept a pending request", "the receiver only", nil, nil, false, ok, requestView{}, ""},
		{post, "/events/:event/requests/:request/decline", accessMember, s.declineRequest, "requests", "Decline a pending request", "the receiver only", nil, nil, false, ok, requestView{}, ""},
		{post, "/events/:event/requests/:request/cancel", accessMember, s.cancelRequest, "requests", "Withdraw or cancel a request",
			"the sender for a pending request; either side for an accepted one (its meeting is cancelled too)", nil, nil, false, ok, requestView{}, ""},

		{get, "/events/:event/grid", accessOrganizer, s.getGrid, "grid", "The published grid, or the current preview",
			"the organizer; participants read their own agenda instead", []queryParam{{"preview", "boolean", "the current preview instead of the published grid"}}, nil, false, ok, matchgrid.GridView{}, ""},
		{post, "/events/:event/grid/preview", accessOrganizer, s.previewGrid, "grid", "Compute a grid without publishing it", "", nil, scheduleInput{}, true, ok, scheduleSummary{}, ""},
		{post, "/events/:event/grid/publish", accessOrganizer, s.publishGrid, "grid", "Publish the previewed grid exactly as previewed", "", nil, nil, false, ok, scheduleSummary{}, ""},
		{post, "/events/:event/grid/place-late", accessOrganizer, s.placeLate, "grid", "Place late accepted requests around the published meetings", "", nil, scheduleInput{}, true, ok, scheduleSummary{}, ""},
		{post, "/events/:event/meetings/:meeting/lock", accessOrganizer, s.lockMeeting, "grid", "Lock a meeting at its slot and table", "", nil, nil, false, ok, profiles.Meeting{}, ""},
		{post, "/events/:event/meetings/:meeting/unlock", accessOrganizer, s.unlockMeeting, "grid", "Unlock a meeting", "", nil, nil, false, ok, profiles.Meeting{}, ""},
		{get, "/events/:event/grid.csv", accessOrganizer, s.gridCSV, "grid", "The published grid as CSV (rows slots, columns tables)", "", nil, nil, false, ok, "", "text/csv"},
		{get, "/events/:event/stats", accessOrganizer, s.stats, "grid", "Dashboard figures", "", nil, nil, false, ok, matchgrid.EventStats{}, ""},

		{get, "/events/:event/participants/:participant/agenda", accessSelf, s.agendaJSON, "agenda", "A participant's agenda", "", nil, nil, false, ok, agendaView{}, ""},
		{get, "/events/:event/participants/:participant/agenda.ics", accessSelf, s.agendaICS, "agenda", "A participant's agenda as iCalendar", "", nil, nil, false, ok, "", "text/calendar"},
		{get, "/events/:event/participants/:participant/agenda.csv", accessSelf, s.agendaCSV, "agenda", "A participant's agenda as CSV", "", nil, nil, false, ok, "", "text/csv"},
	}
}

// apiRoutes registers the JSON API under /api/v1, with CORS for the
// origins of Config.CORSOrigins.
func (s *Server) apiRoutes(api *gin.RouterGroup) {
	cors := newCORS(s.cfg.CORSOrigins)
	api.Use(cors.handle)
	// Preflight requests match no API route; the CORS middleware answers them.
	api.OPTIONS("/*path", func(c *gin.Context) { problem(c, http.StatusNotFound, "no such endpoint", "") })
	routes := s.routes()
	doc := openAPIDocument(routes)
	for _, rt := range routes {
		if rt.handler == nil { // the document itself
			rt.handler = serveOpenAPI(doc)
		}
		handlers := []gin.HandlerFunc{rt.handler}
		if g := rt.access.gate(); g != nil {
			handlers = []gin.HandlerFunc{g, rt.handler}
		}
		api.Handle(rt.method, rt.path, handlers...)
	}
}
