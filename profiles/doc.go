/*
Package profiles holds matchgrid's domain model and its storage: events,
organizations, participants, opportunities, meeting requests and meetings,
kept in one bbolt file (Open) or in a PostgreSQL database that several
servers share (OpenPostgres), with the importers and exporters that fill it
(JSON bundle, registration CSV, CORDIS).

# Basics

Open a store, then read in View and write in Update. Everything is scoped by
event: an organization, participant, opportunity, request or meeting lives
inside exactly one event and is addressed by (event ID, ID).

	s, err := profiles.Open("matchgrid.db", nil)
	...
	err = s.Update(func(tx *profiles.Tx) error {
		return tx.CreateOrganization(&profiles.Organization{ID: "acme", EventID: "ev", ...})
	})

Each entity has Create (the ID must be new, else ErrConflict), Update (it
must exist, else ErrNotFound), Put (either), a getter, a lister in ID order
and Delete, plus the lookups a product needs: ParticipantsOfOrganization,
OpportunitiesOfParticipant, RequestsFrom, RequestsTo, MeetingsOfParticipant,
MeetingsInSlot, ParticipantBySecret. The lookups use secondary indexes that
the store keeps in step on every write.

# Engines

The store methods are written once, over a small engine interface
(engine.go): ordered keys in nested buckets, read and write transactions,
prefix ranges, a generation counter and a change log. boltEngine keeps them
in the bbolt file; pgEngine in the table mg_kv (one row per key; the
migrations in migrations/ are embedded and applied at open). table.go is
the generic layer every entity uses: records as JSON under their ID,
secondary indexes kept in step.

On PostgreSQL a write transaction locks each event it touches (a
transaction-scoped advisory lock, at first touch), so writers of an event
are serialised across processes; statements are pipelined (writes travel
with the next read or with COMMIT), and a transaction asks for each key
once (pg_cache.go: it remembers what it read and wrote, index lookups
included, which read the index and its records in one query). Writers of
this process that queue behind another writer of the same event join its
transaction (group commit, pg_group.go): each runs in turn in a savepoint
of its own, so a failing one is rolled back alone and gets its own error,
and one COMMIT (one wait for the WAL) serves them all; if that COMMIT
fails, every one of them gets the error. Every commit raises the
generation once per writer that changed something and logs its changes;
Watch delivers this process's commits and, through LISTEN/NOTIFY and the
log, other processes' ones, in generation order. ChangesSince replays the
log from a generation (derived data catching up after a restart).

# Transactions

One Update is one transaction: either all of it is written or none.
Every import (ImportBundle, ImportParticipantsCSV, ImportOpportunitiesCSV,
CORDIS) runs inside the caller's Update, so a file with one bad row, or
several files imported together, change nothing when any of them fails.

# Errors

Errors wrap the sentinels ErrNotFound, ErrConflict, ErrInvalid and
ErrClosed; test them with errors.Is. Validation failures are *FieldError
(entity, field, value, reason); a bad value in an input file is a *LineError
(file, line, column, value) wrapping the cause.

# Texts

Every text field has a cap in characters and a line rule (TextCap, text.go):
names, titles and codes are one line without control characters; long
texts (descriptions, summaries, messages) may hold line breaks and tabs.

# Sessions

Browser sessions (BrowserSession) are records in the store, so that ending
one holds on every server sharing it: EndSession signs one out; a new
personal link, a new organizer secret (SetOrganizerSecret, Argon2id, at
least MinOrganizerSecretLength characters), or deleting a participant or
an event ends theirs.

An event's grid preview (GridPreview: the latest one, at most
MaxGridPreviewSize, until it expires) is kept in the store too, under the
event (whose lock and deletion cover it), so that any server can publish
it; publishing marks it published and drops its data. Rate limits
(RateLimit, TakeTokens) are token buckets in the store, one small record
per bucket that is not full, so that a limit reached through one server
holds on all of them; on PostgreSQL a taker locks only the keys it takes
from. PruneRateLimits deletes the full ones with a conditional delete
that locks its rows in key order, the order takers write in, so the two
never deadlock; run it in a transaction of its own. Neither records a
Change.

# Meetings and calendars

A meeting's UID never changes and the store raises its Sequence whenever
its slot, table or status change, so agendas exported as iCalendar update
entries in calendar apps instead of duplicating them.

# Follow-up

Participants file a MeetingReport on each meeting after it (held or
no-show, and the EEN agreement type it led to), which settles the
meeting's status. The outbox (OutboxItem) holds e-mails and webhook calls
to deliver, one per channel and idempotency key (Enqueue), and is the log
the organizer reads; Webhook records a portal's registered URL.

Importers read rows from any RowReader (ImportParticipants,
ImportOpportunities): CSV here, XLSX through package sheet; the
participants and opportunities exports write the same columns to a
RowWriter.

# Caveats

  - bbolt allows one writer at a time: a long Update blocks other writers
    (not readers); on PostgreSQL it blocks the writers of the same event,
    and those of this process that joined its group wait for its commit.
    So an Update's function must not wait for another goroutine's Update
    of the same event (nor for a lock that goroutine holds around it).
    Keep imports of very large files to one Update anyway: atomicity is
    the point.
  - A second process opening the same file waits for Options.Timeout (5 s by
    default) and then fails: the file is locked by the first.
  - The file never shrinks after deletes; compact it with bbolt's tools.
  - A PostgreSQL store has no file to copy: Backup fails with
    ErrUnsupported (use pg_dump, or export the events).
  - Values from a View are copies: safe to keep after the transaction.
  - Event times are wall-clock times in the event's time zone (IANA name);
    Slots derives the meeting slots from days, sessions and breaks.
*/
package profiles
