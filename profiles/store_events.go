package profiles

import (
	"encoding/json"
	"fmt"
)

// Event reads one event.
func (tx *Tx) Event(id string) (*Event, error) {
	raw, err := tx.kv.get(eventPath(id), keyEvent)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, fmt.Errorf("event %q: %w", id, ErrNotFound)
	}
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("event %q: corrupt record: %w", id, err)
	}
	return &e, nil
}

// Events returns every event in ID order.
func (tx *Tx) Events() ([]Event, error) {
	ids, err := tx.kv.buckets(bucket{string(bucketEvents)})
	if err != nil {
		return nil, err
	}
	events := make([]Event, 0, len(ids))
	for _, id := range ids {
		e, err := tx.Event(id)
		if err != nil {
			return nil, err
		}
		events = append(events, *e)
	}
	return events, nil
}

// CreateEvent stores a new event; ErrConflict if its ID is taken.
func (tx *Tx) CreateEvent(e *Event) error { return tx.putEvent(e, modeCreate) }

// UpdateEvent replaces a stored event; ErrNotFound if there is none.
func (tx *Tx) UpdateEvent(e *Event) error { return tx.putEvent(e, modeUpdate) }

// PutEvent creates or replaces an event.
func (tx *Tx) PutEvent(e *Event) error { return tx.putEvent(e, modeUpsert) }

func (tx *Tx) putEvent(e *Event, mode putMode) error {
	if err := e.Validate(); err != nil {
		return err
	}
	exists, err := tx.eventExists(e.ID)
	if err != nil {
		return err
	}
	switch {
	case exists && mode == modeCreate:
		return fmt.Errorf("event %q already exists: %w", e.ID, ErrConflict)
	case !exists && mode == modeUpdate:
		return fmt.Errorf("event %q: %w", e.ID, ErrNotFound)
	case !exists:
		// A new event starts empty; saying so lets an engine answer the
		// reads of what this transaction fills it with without asking.
		if err := tx.kv.dropBucket(eventPath(e.ID)); err != nil {
			return err
		}
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("event %q: encode: %w", e.ID, err)
	}
	if err := tx.kv.put(eventPath(e.ID), keyEvent, raw); err != nil {
		return fmt.Errorf("event %q: %w", e.ID, err)
	}
	tx.record(Change{EventID: e.ID, Entity: EntityEvent, ID: e.ID})
	return nil
}

// DeleteEvent removes an event with everything in it.
func (tx *Tx) DeleteEvent(id string) error {
	if err := tx.requireEvent(id); err != nil {
		return err
	}
	if err := tx.kv.dropBucket(eventPath(id)); err != nil {
		return err
	}
	delete(tx.events, id)
	tx.record(Change{EventID: id, Entity: EntityEvent, ID: id, Deleted: true})
	return tx.endEventSessions(id)
}
