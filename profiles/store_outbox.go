package profiles

import (
	"errors"
	"slices"
	"time"
)

// Entities of the outbox and the webhooks, as errors name them (their
// writes record no Change: see table.silent).
const (
	EntityOutbox  Entity = "outbox item"
	EntityWebhook Entity = "webhook"
)

var outbox = &table[OutboxItem]{
	bucket: "outbox",
	entity: EntityOutbox,
	id:     func(o *OutboxItem) string { return o.ID },
	event:  func(o *OutboxItem) string { return o.EventID },
	silent: true,
	indexes: []secondary[OutboxItem]{
		{name: "outbox_by_state", keys: func(o *OutboxItem) []string { return []string{string(o.Channel) + ":" + string(o.Status)} }},
		{name: "outbox_by_target", keys: func(o *OutboxItem) []string { return []string{o.Target} }},
	},
}

var webhooks = &table[Webhook]{
	bucket: "webhooks",
	entity: EntityWebhook,
	id:     func(w *Webhook) string { return w.ID },
	event:  func(w *Webhook) string { return w.EventID },
	silent: true,
}

// Enqueue stores a new outbox item (ID, status queued and times set here)
// unless one with the same channel and key exists: then it writes nothing
// and returns false. This is what keeps one happening to one message.
func (tx *Tx) Enqueue(o *OutboxItem, now time.Time) (bool, error) {
	o.ID = OutboxID(o.Channel, o.Key)
	o.Status, o.Attempts, o.CreatedAt, o.NextAttempt = OutboxQueued, 0, now, now
	if o.Target == "" && o.Channel == ChannelMail {
		o.Target, o.Status, o.LastError = "(no address)", OutboxSkipped, "the participant has no e-mail address"
	}
	if err := o.Validate(); err != nil {
		return false, err
	}
	if _, err := tx.Event(o.EventID); err != nil {
		return false, err
	}
	_, err := outbox.put(tx, o, modeCreate)
	if errors.Is(err, ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// OutboxItem reads one outbox item.
func (tx *Tx) OutboxItem(eventID, id string) (*OutboxItem, error) {
	return outbox.get(tx, eventID, id)
}

// Outbox returns an event's outbox items of one channel, newest first.
func (tx *Tx) Outbox(eventID string, ch Channel) ([]OutboxItem, error) {
	all, err := outbox.all(tx, eventID)
	if err != nil {
		return nil, err
	}
	items := slices.DeleteFunc(all, func(o OutboxItem) bool { return o.Channel != ch })
	slices.SortStableFunc(items, func(a, b OutboxItem) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return items, nil
}

// OutboxOfTarget returns the items sent to one address or webhook, newest first.
func (tx *Tx) OutboxOfTarget(eventID, target string) ([]OutboxItem, error) {
	items, err := outbox.lookup(tx, eventID, "outbox_by_target", target)
	slices.SortStableFunc(items, func(a, b OutboxItem) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return items, err
}

// OutboxInState returns an event's items of a channel in one state, in ID order.
func (tx *Tx) OutboxInState(eventID string, ch Channel, st OutboxStatus) ([]OutboxItem, error) {
	return outbox.lookup(tx, eventID, "outbox_by_state", string(ch)+":"+string(st))
}

// UpdateOutboxItem replaces a stored item (a sender settling an attempt).
func (tx *Tx) UpdateOutboxItem(o *OutboxItem) error {
	if err := o.Validate(); err != nil {
		return err
	}
	_, err := outbox.put(tx, o, modeUpdate)
	return err
}

// Webhook reads one webhook.
func (tx *Tx) Webhook(eventID, id string) (*Webhook, error) { return webhooks.get(tx, eventID, id) }

// Webhooks returns the webhooks of an event in ID order.
func (tx *Tx) Webhooks(eventID string) ([]Webhook, error) { return webhooks.all(tx, eventID) }

// CreateWebhook stores a new webhook; ErrConflict if its ID is taken.
func (tx *Tx) CreateWebhook(w *Webhook) error {
	if err := w.Validate(); err != nil {
		return err
	}
	if _, err := tx.Event(w.EventID); err != nil {
		return err
	}
	_, err := webhooks.put(tx, w, modeCreate)
	return err
}

// DeleteWebhook removes a webhook; its delivery log stays.
func (tx *Tx) DeleteWebhook(eventID, id string) error {
	_, err := webhooks.delete(tx, eventID, id)
	return err
}
