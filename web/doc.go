/*
Package web serves matchgrid over HTTP. It composes three parts over one
router and one set of middleware (security headers, body cap, cross-origin
protection, request log):

  - package api: the JSON API under /api/v1, described by an OpenAPI document;
  - package site: the server-rendered pages of participants and organizers,
    with the sign-in routes (/login, /logout, personal links /e/{event}/link);
  - package auth: who is asking (Bearer secret or session cookie), shared by both;
  - package httperr: the one table that maps errors to HTTP statuses, by type.

# Security

Every response carries a content security policy (own scripts and styles
only; no framing, except the suggestions widget, which the origins in
Config.FrameAncestors may frame),
nosniff and no-referrer (personal links carry secrets). Browser requests
that change state from another origin are refused (http.CrossOriginProtection,
extended by Config.TrustedOrigins); request bodies are capped at 8 MiB.

# Caveats

  - gin trusts no proxy here (SetTrustedProxies(nil)): behind a reverse
    proxy, pass its address in Config.TrustedProxies or client IPs in the
    logs are the proxy's.
  - Participants see each other as the marketplace shows them: no e-mail
    address, availability or blocked list; no secret hash ever leaves the
    server.
  - A grid preview is kept in the store (a day at most), so any server
    sharing it can show and publish it; publishing fails with 409 once
    accepted requests, meetings or availability changed since, or when it
    was published already (preview again).
*/
package web
