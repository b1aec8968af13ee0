/*
Package api is matchgrid's JSON API under /api/v1.

The JSON API lives under /api/v1 and describes itself in an OpenAPI 3.1
document at GET /api/v1/openapi.json (built from the same route table the
server registers, routes.go: one route per line with named fields). Who may call what ("self" is the
participant named in the path):

	GET    /events, /events/{event}                         anyone
	POST   /events; PUT, DELETE /events/{event}             organizer
	GET    /events/{event}/organizations[/{org}]            anyone (public profiles)
	POST   /events/{event}/organizations                    organizer
	PUT    /events/{event}/organizations/{org}              organizer, or a participant of that organization
	DELETE /events/{event}/organizations/{org}              organizer
	GET    /events/{event}/participants[/{participant}]     members; private fields only for self and organizer
	POST   /events/{event}/participants                     organizer
	PUT    /events/{event}/participants/{participant}       self (not organization, type, table) or organizer
	DELETE /events/{event}/participants/{participant}       organizer
	POST, DELETE /events/{event}/participants/{participant}/widget   self or organizer (issue, revoke a widget token)
	GET    /events/{event}/opportunities[/{opp}]            members
	POST   /events/{event}/opportunities                    organizer, or a participant for themselves
	PUT, DELETE /events/{event}/opportunities/{opp}         organizer, or the participant who published it
	GET    /events/{event}/search?q=&type=&kind=&country=&sector=&facets=   members
	GET    /events/{event}/participants/{participant}/suggestions?limit=&detail=brief|full  self or organizer
	GET    /events/{event}/participants/{participant}/requests              self or organizer
	POST   /events/{event}/participants/{participant}/requests              self (rate-limited)
	POST   /events/{event}/requests/{request}/accept|decline                the receiver (optional {"reply"})
	POST   /events/{event}/requests/{request}/cancel                        the sender; either side once accepted
	GET    /events/{event}/grid[?preview=true], /events/{event}/grid.csv    organizer
	POST   /events/{event}/grid/preview|publish|place-late                  organizer
	POST   /events/{event}/meetings/{meeting}/lock|unlock                   organizer
	GET    /events/{event}/stats                                            organizer
	GET    /events/{event}/participants/{participant}/agenda[.ics|.csv]     self or organizer

"Members" are the organizer and the participants of the event. A request
between others answers 404 to a participant, as if it did not exist.
Clients sign in with a Bearer token (the organizer's secret or a personal
link's secret) or the session cookie. Lists take limit (1..500, default
50) and offset and answer {"items": [...], "total": N}. Bodies are JSON
(415 otherwise); unknown fields are refused. Errors are RFC 9457 problem
details (application/problem+json) with a "field" naming the parameter or
body field at fault: 400 for a malformed request, 422 for an invalid value
or a reference to something that does not exist, 401/403 for who is
asking, 404, 409 for a clash with the stored state, 429 for too many sends.

Browser scripts on other origins may call the API as Config.CORSOrigins
allows (cors.go): listed origins with credentials, "*" for anonymous reads.

What an error means (status, field) comes from package httperr's one table
of typed errors and sentinels, shared with the pages.
*/
package api
