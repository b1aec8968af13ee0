// Package auth says who is asking, for the JSON API and the pages alike:
// the organizer (the data directory's organizer secret, stored as Argon2id),
// a participant (their personal-link secret) or an anonymous visitor.
// Secrets arrive as a Bearer token or, for browsers, as a signed session
// cookie naming a session record in the store (profiles.BrowserSession):
// signing out, a new personal link or a new organizer secret ends the
// record, on every server that shares the store.
//
// Wrong secrets are limited per client address and per target (Guesses,
// counted in the store so that the limits hold on every server sharing it);
// a right secret is checked first and never refused. Limiter (a token
// bucket per key) limits, per participant, meeting requests and changes
// to opportunities and profiles: in memory (golang.org/x/time/rate) on a
// store one process holds, in the store when servers share it (InStore).
// The Require gates answer problem documents; the pages have their own.
package auth
