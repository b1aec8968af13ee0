/*
Package webhook tells portals what happens in an event: a meeting request
sent, accepted, declined or cancelled, the grid published or changed. A
portal registers a URL per event (Register, through the organizer API);
each happening is POSTed to it as JSON, signed, retried with backoff
until the receiver answers 2xx, and logged with its delivery status in the
store's outbox (channel webhook).

# Signature

Every call carries

	X-Matchgrid-Event: request.accepted
	X-Matchgrid-Delivery: <delivery ID, the same on every retry>
	X-Matchgrid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

where the HMAC is keyed with the webhook's secret (shown once, at
registration) over "<t>.<body>". Verify checks it and the age of t, so a
captured call cannot be replayed later.

# Private addresses

A webhook URL must not lead to the server's own machine, a private or
link-local network or a cloud metadata service (server-side request
forgery): CheckURL refuses such a URL when it is registered (a literal
address, or a host name that resolves to one), and the calls' client
(NewClient) checks, in its dialer's Control hook, the very address each
connection goes to, so a name that resolves to a public address at
registration and to a private one later (DNS rebinding) fails too, for
good. Redirects are not followed and no proxy is used. A server started
with --allow-private-webhooks (matchgrid.Options.AllowPrivateWebhooks)
allows them, e.g. for a portal on its own network or for tests with
loopback receivers.

# Caveats

  - Deliveries are at least once: a receiver should drop a delivery ID it
    has already seen.
  - Answers 410 Gone fail the delivery at once; any other non-2xx answer
    or network error is retried (1 min, 2, 4, ... up to an hour, 8 tries).
*/
package webhook
