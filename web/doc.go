/*
Package web serves matchgrid over HTTP: a JSON API under /api/v1 and, as it
grows, the server-rendered pages for participants and organizers.

Today the API is read-only:

	GET /healthz
	GET /api/v1/events
	GET /api/v1/events/{id}
	GET /api/v1/events/{id}/organizations
	GET /api/v1/events/{id}/participants

Lists take limit (1..500, default 50) and offset and answer
{"items": [...], "total": N}. Errors are RFC 9457 problem details
(application/problem+json) naming the parameter at fault.

# Security

Every response carries a content security policy (own scripts and styles
only; frame-ancestors from Config.FrameAncestors, none by default),
nosniff and no-referrer (personal links carry secrets). Browser requests
that change state from another origin are refused (http.CrossOriginProtection,
extended by Config.TrustedOrigins); request bodies are capped at 8 MiB.

# Caveats

  - gin trusts no proxy here (SetTrustedProxies(nil)): behind a reverse
    proxy, pass its address in Config.TrustedProxies or client IPs in the
    logs are the proxy's.
  - Participants are listed as the marketplace shows them: no e-mail
    address and no secret hash ever leaves the server through this API.
*/
package web
