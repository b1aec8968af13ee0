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
may frame.
*/
package site
