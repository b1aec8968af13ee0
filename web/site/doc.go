/*
Package site is the server-rendered side of matchgrid: html/template pages
embedded in the binary (one template set per page: layout, partials, page),
one stylesheet and one script under /static with content-hashed addresses.

Participants sign in by opening their personal link (/e/{event}/link?key=),
which becomes a session cookie; their pages live under /e/{event}/me and
always act on their own ID, never one from the address. The organizer signs
in at /login; the organizer pages live under /organizer. Forms post, then
redirect with a one-time flash message (post/redirect/get). What a refused
change says, and with which status, comes from httperr's table, the same as
the API's. The suggestions widget (WidgetRoute) is the one page other sites
may frame; its address carries a participant's widget token (read-only,
revocable, issued on their profile page), never their personal link.

The interface speaks English and Italian from go-i18n message catalogs
(locales/): the browser's language by default, a switch on every page that
a cookie remembers (and, for a participant, their profile: their pages on
another browser and their e-mails follow it). Templates hold no words of their own: every text, label of a
stored code (organization kinds, stages, ...), chart title and flash
message comes from the catalogs, which the tests check (no literal text in
a template, no English on a page rendered in Italian). A value the store
refuses is named with its field, and the store's reason is said in the
page's language from locales/reasons/ (keyed by the English format of
profiles.FieldError; a test finds every format in the code and checks its
translation takes the same arguments). Pages that a browser opens answer with a page, also for
errors (an old personal link, a wrong address, a sign-in lockout), saying
what to do next. The organizer's matchmaking runs in the background with
its progress on its own page; its "suggestions per participant" is the
event's setting the suggestions pages honour. Meetings with an online
participant show their video-call link instead of (or, for the on-site
side, beside) a table, on the agenda and the grid, where video calls that
take no table have a column of their own. Organizations' logos show on
profiles, suggestion and marketplace cards and the grid. The organizer's
bulk actions act on the ticked participants or on every participant the
table's search and filters keep, on all pages.
*/
package site
