package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
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

func (t *table[T]) bucketOf(tx *Tx, eventID string) (*bolt.Bucket, error) {
	eb, err := tx.eventBucket(eventID)
	if err != nil {
		return nil, err
	}
	if b := eb.Bucket([]byte(t.bucket)); b != nil {
		return b, nil
	}
	if !tx.Writable() {
		return nil, nil // no entity of this kind was ever written
	}
	return eb.CreateBucket([]byte(t.bucket))
}

// get reads one entity.
func (t *table[T]) get(tx *Tx, eventID, id string) (*T, error) {
	b, err := t.bucketOf(tx, eventID)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if b != nil {
		raw = b.Get([]byte(id))
	}
	if raw == nil {
		return nil, fmt.Errorf("%s %q in event %q: %w", t.entity, id, eventID, ErrNotFound)
	}
	return t.decode(raw, id)
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
	b, err := t.bucketOf(tx, eventID)
	if err != nil || b == nil {
		return false, err
	}
	return b.Get([]byte(id)) != nil, nil
}

// put writes v, keeping its secondary indexes in step. It returns the
// previous value (nil when there was none).
func (t *table[T]) put(tx *Tx, v *T, mode putMode) (*T, error) {
	eventID, id := t.event(v), t.id(v)
	b, err := t.bucketOf(tx, eventID)
	if err != nil {
		return nil, err
	}
	var old *T
	if raw := b.Get([]byte(id)); raw != nil {
		if mode == modeCreate {
			return nil, fmt.Errorf("%s %q in event %q already exists: %w", t.entity, id, eventID, ErrConflict)
		}
		if old, err = t.decode(raw, id); err != nil {
			return nil, err
		}
	} else if mode == modeUpdate {
		return nil, fmt.Errorf("%s %q in event %q: %w", t.entity, id, eventID, ErrNotFound)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s %q: encode: %w", t.entity, id, err)
	}
	if err := b.Put([]byte(id), raw); err != nil {
		return nil, fmt.Errorf("%s %q: %w", t.entity, id, err)
	}
	tx.record(Change{EventID: eventID, Entity: t.entity, ID: id})
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
	b, err := t.bucketOf(tx, eventID)
	if err != nil {
		return nil, err
	}
	if err := b.Delete([]byte(id)); err != nil {
		return nil, fmt.Errorf("%s %q: %w", t.entity, id, err)
	}
	tx.record(Change{EventID: eventID, Entity: t.entity, ID: id, Deleted: true})
	for _, ix := range t.indexes {
		if err := t.reindex(tx, eventID, ix.name, id, ix.keys(old), nil); err != nil {
			return nil, err
		}
	}
	return old, nil
}

// reindex replaces the index entries of id from before to after.
func (t *table[T]) reindex(tx *Tx, eventID, index, id string, before, after []string) error {
	eb, err := tx.eventBucket(eventID)
	if err != nil {
		return err
	}
	ib, err := eb.CreateBucketIfNotExists(bucketIndex)
	if err != nil {
		return err
	}
	b, err := ib.CreateBucketIfNotExists([]byte(index))
	if err != nil {
		return err
	}
	for _, k := range before {
		if err := b.Delete(indexKey(k, id)); err != nil {
			return err
		}
	}
	for _, k := range after {
		if err := b.Put(indexKey(k, id), nil); err != nil {
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
	items, _, err := t.page(tx, eventID, 0, -1)
	return items, err
}

// page returns the entities in ID order from offset, at most limit of them
// (all with limit < 0), and the total count. Only the page is decoded.
func (t *table[T]) page(tx *Tx, eventID string, offset, limit int) ([]T, int, error) {
	b, err := t.bucketOf(tx, eventID)
	if err != nil || b == nil {
		return nil, 0, err
	}
	var items []T
	total := 0
	err = b.ForEach(func(k, raw []byte) error {
		if total >= offset && (limit < 0 || len(items) < limit) {
			v, err := t.decode(raw, string(k))
			if err != nil {
				return err
			}
			items = append(items, *v)
		}
		total++
		return nil
	})
	return items, total, err
}

// lookup returns the entities filed under value in a secondary index, in ID order.
func (t *table[T]) lookup(tx *Tx, eventID, index, value string) ([]T, error) {
	eb, err := tx.eventBucket(eventID)
	if err != nil {
		return nil, err
	}
	var ids []string
	if ib := eb.Bucket(bucketIndex); ib != nil {
		if b := ib.Bucket([]byte(index)); b != nil {
			prefix := indexKey(value, "")
			c := b.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				ids = append(ids, string(k[len(prefix):]))
			}
		}
	}
	items := make([]T, 0, len(ids))
	for _, id := range ids {
		v, err := t.get(tx, eventID, id)
		if err != nil {
			return nil, fmt.Errorf("index %s is out of step: %w", index, err)
		}
		items = append(items, *v)
	}
	return items, nil
}
