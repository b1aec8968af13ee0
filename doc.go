/*
Package matchgrid is the embedding entry point of the matchgrid B2B
matchmaking engine for brokerage events: open a data directory and get the
event store, the search index and the matcher (and, as it lands, the
scheduler) behind one Engine.

	eng, err := matchgrid.Open("./matchgrid-data", nil)
	if err != nil { ... }
	defer eng.Close()
	err = eng.Store().View(func(tx *profiles.Tx) error { ... })
	ix, err := eng.Index()     // full-text search, kept in step with the store
	m, err := eng.Matcher()    // partner suggestions with explanations
	sug, err := m.Suggest(eventID, participantID, 20)

The packages underneath are usable on their own: profiles (domain, store,
imports), index (Bleve search), matcher (suggestions, evaluation),
scheduler (meeting grids), web (HTTP API and pages).

Spreadsheets (WriteExport, WriteLinks) go out as CSV, CSV for Excel or
XLSX through package sheet, every cell neutralised against formula
injection. StartNotifications runs, until its context ends, the hub that
turns the store's changes into e-mails (package mail) and webhook calls
(package webhook), with retries and a send log in the store; Funnel
follows pairs from suggestion to the agreements participants report.

# Caveats

A data directory is used by one process at a time: the store file is
locked while open, and a second Open waits 5 seconds, then fails.

A writable Open also opens the search index in <dir>/index. An index
behind the store (after a crash) replays the store's recorded changes it
missed; one that is missing, unreadable or too far behind is rebuilt
(Options.IndexProgress reports the rebuild). A read-only engine builds an
in-memory index on the first call to Index or Matcher.
*/
package matchgrid
