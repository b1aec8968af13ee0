/*
Package notify turns what happens in the store into messages that go out:
e-mails (package mail) and webhook calls (package webhook).

# Basics

A Hub watches the store's committed changes (profiles.Store.Watch), the
one place every happening passes through, whoever caused it (a page, the
API, the CLI, an import). From a changed meeting request it makes a Notice
of the request's state (sent, accepted, declined, cancelled); from changed
meetings, one Notice that the grid changed, with the meetings involved.
Each Sink turns notices into outbox items (profiles.OutboxItem) inside one
transaction of the hub; the store keeps one item per channel and
idempotency key, so a happening seen twice never sends twice.

A Dispatcher delivers the outbox items of one channel through a Sender:
it claims an item, sends it outside any transaction, and settles it as
sent, or queued again after a backoff (1 min, 2, 4, ... up to an hour), or
failed after the last attempt. A claim is a lease of five minutes: items
a crash left "sending" are queued again by the next dispatcher that
starts after their lease.

# Caveats

  - The store records the generation the hub reached; at start it replays
    the changes committed since (profiles.Store.ChangesSince), so what was
    committed while no hub ran (a CLI command with the server stopped, a
    crash) is notified at the next start. The very first start notifies
    nothing of the store's history, and a gap longer than the store's
    change log is reported and skipped. A commit both replayed and
    announced by the store's watcher (it lands while the hub starts) is
    notified once: announcements wait for the replay, and those it read
    are dropped.
  - A crash between handing a message to the SMTP server or the webhook
    receiver and recording it may send it once more at restart.
  - With several servers on one database, each runs its own hub and
    dispatchers: both hubs see every commit and the idempotency keys keep
    one item per happening; claiming is a transaction, so two dispatchers
    do not send the same item at once.
*/
package notify
