// Package auth says who is asking, for the JSON API and the pages alike:
// the organizer (the data directory's organizer secret), a participant
// (their personal-link secret) or an anonymous visitor. Secrets arrive as a
// Bearer token or, for browsers, as a signed session cookie bound to the
// secret it was issued for, so that a new personal link ends old sessions.
// The Require gates answer problem documents; the pages have their own.
package auth
