package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
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
		return auth.RequireMember
	case accessSelf:
		return auth.RequireSelfOrOrganizer
	case accessOrganizer:
		return auth.RequireOrganizer
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
	// body is a zero value of the request body type, nil for none;
	// example a body the server accepts (in the document, and tested).
	body         any
	bodyOptional bool
	example      string
	// status is the success status; resp a zero value of its body (nil
	// for none), media its type when not JSON.
	status int
	resp   any
	media  string
	// edit marks a participant's write of an opportunity or profile,
	// limited per participant (API.editLimit).
	edit bool
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
func (s *API) routes() []apiRoute {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	)
	ok, created, none := http.StatusOK, http.StatusCreated, http.StatusNoContent
	return []apiRoute{
		{method: get, path: "/openapi.json", access: accessAnyone, tag: "meta", summary: "This OpenAPI document", status: ok, resp: map[string]any{}},
		{method: get, path: "/events", access: accessAnyone, handler: s.listEvents, tag: "events", summary: "List events", query: pageParams, status: ok, resp: List[profiles.Event]{}},
		{method: post, path: "/events", access: accessOrganizer, handler: s.createEvent, tag: "events", summary: "Create an event", body: profiles.Event{}, example: `{"id":"expo-2027","name":"Expo 2027","time_zone":"Europe/Rome","meeting_minutes":20,"tables":4,"days":[{"date":"2027-05-01","sessions":[{"name":"Morning","start":"09:00","end":"12:00"}]}],"policy":{"auto_accept":false}}`, status: created, resp: EventView{}},
		{method: get, path: "/events/:event", access: accessAnyone, handler: s.getEvent, tag: "events", summary: "Read an event with its slots", status: ok, resp: EventView{}},
		{method: put, path: "/events/:event", access: accessOrganizer, handler: s.updateEvent, tag: "events", summary: "Replace an event", body: profiles.Event{}, example: `{"name":"Expo 2027, renamed","time_zone":"Europe/Rome","meeting_minutes":20,"tables":4,"days":[{"date":"2027-05-01","sessions":[{"name":"Morning","start":"09:00","end":"12:00"}]}],"policy":{"auto_accept":false}}`, status: ok, resp: EventView{}},
		{method: del, path: "/events/:event", access: accessOrganizer, handler: s.deleteEvent, tag: "events", summary: "Delete an event with everything in it", status: none},
		{method: get, path: "/events/:event/organizations", access: accessAnyone, handler: s.listOrganizations, tag: "organizations", summary: "List organizations (public profiles)", query: pageParams, status: ok, resp: List[profiles.Organization]{}},
		{method: post, path: "/events/:event/organizations", access: accessOrganizer, handler: s.createOrganization, tag: "organizations", summary: "Create an organization", body: profiles.Organization{}, example: `{"name":"Acme Diagnostics","kind":"sme","country":"IT","descriptions":{"en":"Rapid tests for sepsis."}}`, status: created, resp: profiles.Organization{}},
		{method: get, path: "/events/:event/organizations/:org", access: accessAnyone, handler: s.getOrganization, tag: "organizations", summary: "Read an organization's public profile", status: ok, resp: profiles.Organization{}},
		{method: put, path: "/events/:event/organizations/:org", access: accessMember, handler: s.updateOrganization, edit: true, tag: "organizations", summary: "Replace an organization's profile", who: "the organizer, or a participant representing the organization", body: profiles.Organization{}, example: `{"name":"Acme Diagnostics S.r.l.","kind":"sme","country":"IT","descriptions":{"en":"Rapid tests for sepsis."}}`, status: ok, resp: profiles.Organization{}},
		{method: del, path: "/events/:event/organizations/:org", access: accessOrganizer, handler: s.deleteOrganization, tag: "organizations", summary: "Delete an organization without participants", status: none},
		{method: get, path: "/events/:event/participants", access: accessMember, handler: s.listParticipants, tag: "participants", summary: "List participants", who: "members; private fields (e-mail, availability, blocked, limits) only for the organizer and for oneself", query: pageParams, status: ok, resp: List[ParticipantView]{}},
		{method: post, path: "/events/:event/participants", access: accessOrganizer, handler: s.createParticipant, tag: "participants", summary: "Register a participant", body: ParticipantInput{}, example: `{"organization_id":"org-empty","first_name":"Nina","last_name":"Neri","type":"delegate"}`, status: created, resp: ParticipantView{}},
		{method: get, path: "/events/:event/participants/:participant", access: accessMember, handler: s.getParticipant, tag: "participants", summary: "Read a participant", who: "members; private fields only for the organizer and for oneself", status: ok, resp: ParticipantView{}},
		{method: put, path: "/events/:event/participants/:participant", access: accessSelf, handler: s.updateParticipant, edit: true, tag: "participants", summary: "Replace a participant's profile", who: "the organizer, or the participant themselves (who may not change organization_id, type or own_table)", body: ParticipantInput{}, example: `{"organization_id":"org-a","first_name":"Alice","last_name":"Rossi","email":"alice@alpha.example","type":"delegate","time_zone":"Europe/London"}`, status: ok, resp: ParticipantView{}},
		{method: del, path: "/events/:event/participants/:participant", access: accessOrganizer, handler: s.deleteParticipant, tag: "participants", summary: "Delete a participant without meetings", status: none},
		{method: post, path: "/events/:event/participants/:participant/widget", access: accessSelf, handler: s.issueWidget, tag: "participants", summary: "Issue the participant's read-only suggestions widget address, replacing any earlier one", who: "the participant themselves, or the organizer", status: created, resp: WidgetView{}},
		{method: del, path: "/events/:event/participants/:participant/widget", access: accessSelf, handler: s.revokeWidget, tag: "participants", summary: "Revoke the participant's widget address", who: "the participant themselves, or the organizer", status: none},
		{method: get, path: "/events/:event/opportunities", access: accessMember, handler: s.listOpportunities, tag: "opportunities", summary: "List opportunities", query: append([]queryParam{{"participant", "string", "only this participant's opportunities"}}, pageParams...), status: ok, resp: List[profiles.Opportunity]{}},
		{method: post, path: "/events/:event/opportunities", access: accessMember, handler: s.createOpportunity, edit: true, tag: "opportunities", summary: "Publish an opportunity", who: "the organizer (for any participant), or a participant (for themselves)", body: profiles.Opportunity{}, example: `{"participant_id":"p-a","kind":"offer","title":"A sterile supply robot","language":"en"}`, status: created, resp: profiles.Opportunity{}},
		{method: get, path: "/events/:event/opportunities/:opp", access: accessMember, handler: s.getOpportunity, tag: "opportunities", summary: "Read an opportunity", status: ok, resp: profiles.Opportunity{}},
		{method: put, path: "/events/:event/opportunities/:opp", access: accessMember, handler: s.updateOpportunity, edit: true, tag: "opportunities", summary: "Replace an opportunity", who: "the organizer, or the participant who published it", body: profiles.Opportunity{}, example: `{"participant_id":"p-a","kind":"offer","title":"A sterile supply robot, version 2","language":"en"}`, status: ok, resp: profiles.Opportunity{}},
		{method: del, path: "/events/:event/opportunities/:opp", access: accessMember, handler: s.deleteOpportunity, tag: "opportunities", summary: "Delete an opportunity", who: "the organizer, or the participant who published it", status: none},
		{method: get, path: "/events/:event/search", access: accessMember, handler: s.search, tag: "marketplace", summary: "Search organizations and opportunities, with facets", query: searchParams, status: ok, resp: index.Result{}},
		{method: get, path: "/events/:event/participants/:participant/suggestions", access: accessSelf, handler: s.suggestions, tag: "marketplace", summary: "Suggested meeting partners, explained both ways", query: []queryParam{{"limit", "integer", "suggestions, 1 to 100 (default 10)"},
			{"detail", "string", "brief (default): scores, matched terms and notes; full: also each score's per-feature breakdown"}}, status: ok, resp: List[matcher.Suggestion]{}},
		{method: get, path: "/events/:event/participants/:participant/requests", access: accessSelf, handler: s.listRequests, tag: "requests", summary: "A participant's received and sent meeting requests", query: []queryParam{{"status", "string", "only requests in this state: " + joinComma(profiles.RequestStatuses)}}, status: ok, resp: RequestsView{}},
		{method: post, path: "/events/:event/participants/:participant/requests", access: accessSelf, handler: s.sendRequest, tag: "requests", summary: "Send a meeting request", who: "the participant themselves (rate-limited); the event's policy decides whether it is accepted at once, caps pending requests and sets the expiry", body: SendRequestInput{}, example: `{"to":"p-d","message":"Shall we meet about hospital logistics?"}`, status: created, resp: RequestView{}},
		{method: post, path: "/events/:event/requests/:request/accept", access: accessMember, handler: s.acceptRequest, tag: "requests", summary: "Accept a pending request", who: "the receiver only", body: AnswerInput{}, bodyOptional: true, example: `{"reply":"Gladly."}`, status: ok, resp: RequestView{}},
		{method: post, path: "/events/:event/requests/:request/decline", access: accessMember, handler: s.declineRequest, tag: "requests", summary: "Decline a pending request", who: "the receiver only", body: AnswerInput{}, bodyOptional: true, example: `{"reply":"Sorry, our agenda is full."}`, status: ok, resp: RequestView{}},
		{method: post, path: "/events/:event/requests/:request/cancel", access: accessMember, handler: s.cancelRequest, tag: "requests", summary: "Withdraw or cancel a request", who: "the sender for a pending request; either side for an accepted one (its meeting is cancelled too)", status: ok, resp: RequestView{}},
		{method: get, path: "/events/:event/grid", access: accessOrganizer, handler: s.getGrid, tag: "grid", summary: "The published grid, or the current preview", who: "the organizer; participants read their own agenda instead", query: []queryParam{{"preview", "boolean", "the current preview instead of the published grid"}}, status: ok, resp: matchgrid.GridView{}},
		{method: post, path: "/events/:event/grid/preview", access: accessOrganizer, handler: s.previewGrid, tag: "grid", summary: "Compute a grid without publishing it", body: ScheduleInput{}, bodyOptional: true, example: `{"budget_ms":50,"seed":1}`, status: ok, resp: ScheduleSummary{}},
		{method: post, path: "/events/:event/grid/publish", access: accessOrganizer, handler: s.publishGrid, tag: "grid", summary: "Publish the previewed grid exactly as previewed", status: ok, resp: ScheduleSummary{}},
		{method: post, path: "/events/:event/grid/place-late", access: accessOrganizer, handler: s.placeLate, tag: "grid", summary: "Place late accepted requests around the published meetings", body: ScheduleInput{}, bodyOptional: true, example: `{"budget_ms":50,"seed":1}`, status: ok, resp: ScheduleSummary{}},
		{method: post, path: "/events/:event/meetings/:meeting/lock", access: accessOrganizer, handler: s.lockMeeting, tag: "grid", summary: "Lock a meeting at its slot and table", status: ok, resp: profiles.Meeting{}},
		{method: post, path: "/events/:event/meetings/:meeting/unlock", access: accessOrganizer, handler: s.unlockMeeting, tag: "grid", summary: "Unlock a meeting", status: ok, resp: profiles.Meeting{}},
		{method: get, path: "/events/:event/grid.csv", access: accessOrganizer, handler: s.gridCSV, tag: "grid", summary: "The published grid as CSV (rows slots, columns tables)", status: ok, resp: "", media: "text/csv"},
		{method: get, path: "/events/:event/stats", access: accessOrganizer, handler: s.stats, tag: "grid", summary: "Dashboard figures", status: ok, resp: matchgrid.EventStats{}},
		{method: get, path: "/events/:event/participants/:participant/agenda", access: accessSelf, handler: s.agendaJSON, tag: "agenda", summary: "A participant's agenda", status: ok, resp: AgendaView{}},
		{method: get, path: "/events/:event/participants/:participant/agenda.ics", access: accessSelf, handler: s.agendaICS, tag: "agenda", summary: "A participant's agenda as iCalendar", status: ok, resp: "", media: "text/calendar"},
		{method: get, path: "/events/:event/participants/:participant/agenda.csv", access: accessSelf, handler: s.agendaCSV, tag: "agenda", summary: "A participant's agenda as CSV", status: ok, resp: "", media: "text/csv"},
		{method: get, path: "/events/:event/exports/:export", access: accessOrganizer, handler: s.export, tag: "exports", summary: "A spreadsheet: participants, opportunities, grid, agendas, funnel or mail-log", query: exportParams, status: ok, resp: "", media: "text/csv"},
		{method: get, path: "/events/:event/funnel", access: accessOrganizer, handler: s.funnel, tag: "exports", summary: "Pairs from suggestion to request, acceptance, meeting held and agreement", query: []queryParam{{"suggestions", "integer", "count the suggested stage from each participant's top n, 0 to 100 (default 0: left out, it ranks everyone)"}}, status: ok, resp: matchgrid.Funnel{}},
		{method: post, path: "/events/:event/participants/:participant/meetings/:meeting/report", access: accessSelf, handler: s.reportMeeting, tag: "agenda", summary: "Report a meeting held or a no-show, and the agreement it led to", who: "a side of the meeting, or the organizer for them; after the meeting's start", body: ReportInput{}, example: `{"attendance":"held","agreement":"license"}`, status: ok, resp: profiles.MeetingReport{}},
		{method: get, path: "/events/:event/participants/:participant/reports", access: accessSelf, handler: s.listReports, tag: "agenda", summary: "A participant's meeting reports", status: ok, resp: List[profiles.MeetingReport]{}},
		{method: post, path: "/events/:event/links/mail", access: accessOrganizer, handler: s.mailLinks, tag: "mail", summary: "Renew personal links and e-mail them (503 when e-mail is off)", body: MailLinksInput{}, bodyOptional: true, example: `{"participant_ids":["p-d"]}`, status: ok, resp: MailLinksView{}},
		{method: get, path: "/events/:event/mail", access: accessOrganizer, handler: s.mailLog, tag: "mail", summary: "The e-mail send log, newest first", status: ok, resp: List[profiles.OutboxItem]{}},
		{method: get, path: "/events/:event/webhooks", access: accessOrganizer, handler: s.listWebhooks, tag: "webhooks", summary: "List the event's webhooks", status: ok, resp: List[WebhookView]{}},
		{method: post, path: "/events/:event/webhooks", access: accessOrganizer, handler: s.createWebhook, tag: "webhooks", summary: "Register a webhook; the answer shows its signing secret once", body: WebhookInput{}, example: `{"url":"https://portal.example/hook"}`, status: created, resp: NewWebhookView{}},
		{method: del, path: "/events/:event/webhooks/:webhook", access: accessOrganizer, handler: s.deleteWebhook, tag: "webhooks", summary: "Delete a webhook (its delivery log stays)", status: none},
		{method: get, path: "/events/:event/webhooks/:webhook/deliveries", access: accessOrganizer, handler: s.deliveries, tag: "webhooks", summary: "A webhook's calls with their delivery status, newest first", status: ok, resp: List[profiles.OutboxItem]{}},
	}
}

// Register puts the JSON API on api (the /api/v1 group), with CORS for the
// origins of Config.CORSOrigins.
func (s *API) Register(api *gin.RouterGroup) {
	cors := newCORS(s.corsOrigins)
	api.Use(cors.handle)
	// Preflight requests match no API route; the CORS middleware answers them.
	api.OPTIONS("/*path", notFound)
	routes := s.routes()
	doc := openAPIDocument(routes)
	for _, rt := range routes {
		if rt.handler == nil { // the document itself
			rt.handler = serveOpenAPI(doc)
		}
		var handlers []gin.HandlerFunc
		if g := rt.access.gate(); g != nil {
			handlers = append(handlers, g)
		}
		if rt.edit && s.editLimit != nil {
			handlers = append(handlers, s.editLimit.PerParticipant(func(c *gin.Context) {
				httperr.Write(c, http.StatusTooManyRequests, "too many changes in a short time; wait a little", "")
			}))
		}
		handlers = append(handlers, rt.handler)
		api.Handle(rt.method, rt.path, handlers...)
	}
}
