package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"time"
)

// Channel is how an outbox item goes out.
type Channel string

// Outbox channels.
const (
	ChannelMail    Channel = "mail"    // an e-mail to a participant
	ChannelWebhook Channel = "webhook" // a JSON POST to a portal's webhook
)

// OutboxStatus is where an outbox item is in its delivery.
type OutboxStatus string

// Outbox states. An item starts queued; a sender claims it (sending) and
// settles it as sent, queued again for a retry, failed after the last
// attempt, or skipped when it cannot go out at all (no e-mail address).
const (
	OutboxQueued  OutboxStatus = "queued"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
	OutboxSkipped OutboxStatus = "skipped"
)

// OutboxStatuses lists every outbox state.
var OutboxStatuses = []OutboxStatus{OutboxQueued, OutboxSending, OutboxSent, OutboxFailed, OutboxSkipped}

// OutboxItem is one message to deliver: an e-mail or a webhook call. The
// outbox is also the log the organizer reads (what went out, when, how
// many attempts, the last error). Key is the idempotency key of what
// caused it (event, recipient, kind and the version of the subject): the
// store keeps one item per channel and key, so one happening never sends
// two messages, however often it is noticed.
type OutboxItem struct {
	ID            string       `json:"id"` // OutboxID(channel, key)
	EventID       string       `json:"event_id"`
	Channel       Channel      `json:"channel"`
	Key           string       `json:"key"`
	Kind          string       `json:"kind"`   // e.g. "request_received", "request.accepted"
	Target        string       `json:"target"` // e-mail address, or webhook ID
	ParticipantID string       `json:"participant_id,omitempty"`
	Lang          string       `json:"lang,omitempty"`
	Subject       string       `json:"subject,omitempty"`
	Body          string       `json:"body"` // mail text, or the webhook's JSON payload
	Status        OutboxStatus `json:"status"`
	Attempts      int          `json:"attempts"`
	NextAttempt   time.Time    `json:"next_attempt"`
	LastError     string       `json:"last_error,omitempty"`
	LastStatus    int          `json:"last_status,omitempty"` // the webhook receiver's HTTP status
	CreatedAt     time.Time    `json:"created_at"`
	DoneAt        *time.Time   `json:"done_at,omitempty"`
}

// OutboxID is the ID of the outbox item of a channel and idempotency key.
func OutboxID(ch Channel, key string) string {
	sum := sha256.Sum256([]byte(string(ch) + "\x00" + key))
	return "ob-" + hex.EncodeToString(sum[:12])
}

// Validate checks the item's own fields.
func (o *OutboxItem) Validate() error {
	const ent = "outbox item"
	if err := checkID(ent, o.ID, "event_id", o.EventID); err != nil {
		return err
	}
	if o.Channel != ChannelMail && o.Channel != ChannelWebhook {
		return fieldErr(ent, o.ID, "channel", o.Channel, "must be mail or webhook")
	}
	if o.Key == "" || len(o.Key) > 512 {
		return fieldErr(ent, o.ID, "key", o.Key, "must be 1-512 bytes")
	}
	if o.ID != OutboxID(o.Channel, o.Key) {
		return fieldErr(ent, o.ID, "id", o.ID, "must be OutboxID(channel, key)")
	}
	if !slices.Contains(OutboxStatuses, o.Status) {
		return fieldErr(ent, o.ID, "status", o.Status, "must be one of %v", OutboxStatuses)
	}
	if o.Target == "" {
		return fieldErr(ent, o.ID, "target", o.Target, "must be set")
	}
	if len(o.Body) > 1<<20 {
		return fieldErr(ent, o.ID, "body", len(o.Body), "must be at most 1 MiB")
	}
	return nil
}

// Webhook is a URL a portal registered to be told of an event's
// happenings (requests sent, accepted, declined, cancelled; the grid
// published or changed). Each call is signed with HMAC-SHA256 under Secret.
type Webhook struct {
	ID      string `json:"id"`
	EventID string `json:"event_id"`
	URL     string `json:"url"`
	// Secret signs the calls; the store keeps it because signing needs it.
	Secret string `json:"secret"`
	// Kinds limits the calls to these kinds; empty means every kind.
	Kinds     []string  `json:"kinds,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the webhook's own fields.
func (w *Webhook) Validate() error {
	const ent = "webhook"
	if err := checkID(ent, w.ID, "id", w.ID); err != nil {
		return err
	}
	if err := checkID(ent, w.ID, "event_id", w.EventID); err != nil {
		return err
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(w.URL) > 2048 {
		return fieldErr(ent, w.ID, "url", w.URL, "must be an absolute http or https URL of at most 2048 bytes")
	}
	if len(w.Secret) < 16 || len(w.Secret) > 256 {
		return fieldErr(ent, w.ID, "secret", "…", "must be 16-256 bytes")
	}
	if len(w.Kinds) > 32 {
		return fieldErr(ent, w.ID, "kinds", len(w.Kinds), "at most 32 kinds")
	}
	return nil
}
