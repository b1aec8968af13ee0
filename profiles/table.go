package profiles

import (
	"encoding/json"
	"fmt"
	"slices"
)

// table describes how one entity type is stored inside an event's bucket:
// its bucket name, its key and its secondary indexes. The generic functions
// below do the reading and writing, so that every entity behaves the same.
type table[T any] struct {
	bucket  string // bucket name inside the event bucket
	entity  Entity // kind, also used in error messages
	id      func(*T) string
	event   func(*T) string
	indexes []secondary[T]
	// silent tables record no Change: nothing derived (index, matcher)
	// depends on them and no one watches them (the outbox, webhooks), so
	// their writes neither wake watchers nor raise the generation.
	silent bool
}

// secondary is a secondary index: the values an entity is found under.
type secondary[T any] struct {
	name string
	keys func(*T) []string
}

// putMode says what a write expects to find.
type putMode int

const (
	modeCreate putMode = iota // the ID must be new (else ErrConflict)
	modeUpdate                // the ID must exist (else ErrNotFound)
	modeUpsert                // either
)

// path returns the bucket of the table in an event, or ErrNotFound when the
// event does not exist.
func (t *table[T]) path(tx *Tx, eventID string) (bucket, error) {
	if err := tx.requireEvent(eventID); err != nil {
		return nil, err
	}
	return eventPath(eventID, t.bucket), nil
}

// get reads one entity.
func (t *table[T]) get(tx *Tx, eventID, id string) (*T, error) {
	b, err := t.path(tx, eventID)
	if err != nil {
		return nil, err
	}
	raw, err := tx.kv.get(b, []byte(id))
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, t.notFound(eventID, id)
	}
	return t.decode(raw, id)
}

// getEach reads several entities of an event in one read of the engine;
// a missing one is nil.
func (t *table[T]) getEach(tx *Tx, eventID string, ids ...string) ([]*T, error) {
	b, err := t.path(tx, eventID)
	if err != nil {
		return nil, err
	}
	keys := make([][]byte, len(ids))
	for i, id := range ids {
		keys[i] = []byte(id)
	}
	raws, err := tx.kv.getMany(b, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(ids))
	for i, raw := range raws {
		if raw != nil {
			if out[i], err = t.decode(raw, ids[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// notFound is the error of get for a missing entity.
func (t *table[T]) notFound(eventID, id string) error {
	return fmt.Errorf("%s %q in event %q: %w", t.entity, id, eventID, ErrNotFound)
}

func (t *table[T]) decode(raw []byte, id string) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("%s %q: corrupt record: %w", t.entity, id, err)
	}
	return v, nil
}

// exists reports whether an entity with the ID is stored.
func (t *table[T]) exists(tx *Tx, eventID, id string) (bool, error) {
	b, err := t.path(tx, eventID)
	if err != nil {
		return false, err
	}
	raw, err := tx.kv.get(b, []byte(id))
	return raw != nil, err
}

// put writes v, keeping its secondary indexes in step. It returns the
// previous value (nil when there was none).
func (t *table[T]) put(tx *Tx, v *T, mode putMode) (*T, error) {
	eventID, id := t.event(v), t.id(v)
	b, err := t.path(tx, eventID)
	if err != nil {
		return nil, err
	}
	var old *T
	raw, err := tx.kv.get(b, []byte(id))
	if err != nil {
		return nil, err
	}
	if raw != nil {
		if mode == modeCreate {
			return nil, fmt.Errorf("%s %q in event %q already exists: %w", t.entity, id, eventID, ErrConflict)
		}
		if old, err = t.decode(raw, id); err != nil {
			return nil, err
		}
	} else if mode == modeUpdate {
		return nil, fmt.Errorf("%s %q in event %q: %w", t.entity, id, eventID, ErrNotFound)
	}
	if raw, err = json.Marshal(v); err != nil {
		return nil, fmt.Errorf("%s %q: encode: %w", t.entity, id, err)
	}
	if err := tx.kv.put(b, []byte(id), raw); err != nil {
		return nil, fmt.Errorf("%s %q: %w", t.entity, id, err)
	}
	if !t.silent {
		tx.record(Change{EventID: eventID, Entity: t.entity, ID: id})
	}
	for _, ix := range t.indexes {
		var before []string
		if old != nil {
			before = ix.keys(old)
		}
		if err := t.reindex(tx, eventID, ix.name, id, before, ix.keys(v)); err != nil {
			return nil, err
		}
	}
	return old, nil
}

// delete removes an entity and its index entries, returning what was stored.
func (t *table[T]) delete(tx *Tx, eventID, id string) (*T, error) {
	old, err := t.get(tx, eventID, id)
	if err != nil {
		return nil, err
	}
	if err := tx.kv.del(eventPath(eventID, t.bucket), []byte(id)); err != nil {
		return nil, fmt.Errorf("%s %q: %w", t.entity, id, err)
	}
	if !t.silent {
		tx.record(Change{EventID: eventID, Entity: t.entity, ID: id, Deleted: true})
	}
	for _, ix := range t.indexes {
		if err := t.reindex(tx, eventID, ix.name, id, ix.keys(old), nil); err != nil {
			return nil, err
		}
	}
	return old, nil
}

// reindex replaces the index entries of id from before to after, touching
// only the entries that differ.
func (t *table[T]) reindex(tx *Tx, eventID, index, id string, before, after []string) error {
	b := eventPath(eventID, string(bucketIndex), index)
	for _, k := range before {
		if slices.Contains(after, k) {
			continue
		}
		if err := tx.kv.del(b, indexKey(k, id)); err != nil {
			return err
		}
	}
	for _, k := range after {
		if slices.Contains(before, k) {
			continue
		}
		if err := tx.kv.put(b, indexKey(k, id), nil); err != nil {
			return err
		}
	}
	return nil
}

// indexKey joins an index value and an entity ID; IDs never hold a NUL byte.
func indexKey(value, id string) []byte {
	return append(append([]byte(value), 0), id...)
}

// all returns every entity of the event in ID order.
func (t *table[T]) all(tx *Tx, eventID string) ([]T, error) {
	b, err := t.path(tx, eventID)
	if err != nil {
		return nil, err
	}
	return t.scan(tx, b, everything)
}

// each calls fn with the entities of an event one at a time, in ID order,
// without holding them all.
func (t *table[T]) each(tx *Tx, eventID string, fn func(*T) error) error {
	b, err := t.path(tx, eventID)
	if err != nil {
		return err
	}
	return tx.kv.scan(b, everything, func(k, raw []byte) error {
		v, err := t.decode(raw, string(k))
		if err != nil {
			return err
		}
		return fn(v)
	})
}

func (t *table[T]) scan(tx *Tx, b bucket, r keyRange) ([]T, error) {
	var items []T
	err := tx.kv.scan(b, r, func(k, raw []byte) error {
		v, err := t.decode(raw, string(k))
		if err != nil {
			return err
		}
		items = append(items, *v)
		return nil
	})
	return items, err
}

// page returns the entities in ID order from offset, at most limit of them
// (all with limit < 0), and the total count. Only the page is read.
func (t *table[T]) page(tx *Tx, eventID string, offset, limit int) ([]T, int, error) {
	b, err := t.path(tx, eventID)
	if err != nil {
		return nil, 0, err
	}
	total, err := tx.kv.count(b, nil)
	if err != nil {
		return nil, 0, err
	}
	items, err := t.scan(tx, b, keyRange{offset: offset, limit: limit})
	return items, total, err
}

// lookup returns the entities filed under value in a secondary index, in
// ID order: one read of the engine for the index and the records.
func (t *table[T]) lookup(tx *Tx, eventID, index, value string) ([]T, error) {
	if err := tx.requireEvent(eventID); err != nil {
		return nil, err
	}
	ids, raws, err := tx.kv.lookup(eventPath(eventID, string(bucketIndex), index), indexKey(value, ""), eventPath(eventID, t.bucket))
	if err != nil {
		return nil, err
	}
	items := make([]T, 0, len(ids))
	for i, raw := range raws {
		if raw == nil {
			return nil, fmt.Errorf("index %s is out of step: %s %q in event %q: %w", index, t.entity, ids[i], eventID, ErrNotFound)
		}
		v, err := t.decode(raw, string(ids[i]))
		if err != nil {
			return nil, err
		}
		items = append(items, *v)
	}
	return items, nil
}
