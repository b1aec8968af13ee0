/*
Package matchgrid is the embedding entry point of the matchgrid B2B
matchmaking engine for brokerage events: open a data directory and get the
event store (and, as they land, the search index, the matcher and the
scheduler) behind one Engine.

	eng, err := matchgrid.Open("./matchgrid-data", nil)
	if err != nil { ... }
	defer eng.Close()
	err = eng.Store().View(func(tx *profiles.Tx) error { ... })

The packages underneath are usable on their own: profiles (domain, store,
imports), scheduler (meeting grids), web (HTTP API and pages).

# Caveats

A data directory is used by one process at a time: the store file is
locked while open, and a second Open waits 5 seconds, then fails.
*/
package matchgrid
