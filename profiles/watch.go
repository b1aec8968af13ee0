package profiles

import (
	"encoding/binary"
	"maps"
	"slices"
	"sync"
)

// Entity names a kind of stored entity in a Change.
type Entity string

// Entities that a Change can name.
const (
	EntityEvent        Entity = "event"
	EntityOrganization Entity = "organization"
	EntityParticipant  Entity = "participant"
	EntityOpportunity  Entity = "opportunity"
	EntityRequest      Entity = "meeting request"
	EntityMeeting      Entity = "meeting"
)

// Change is one entity written or deleted by a committed transaction.
// Deleting an event is one Change for the event (its contents go with it).
type Change struct {
	EventID string
	Entity  Entity
	ID      string // the entity's ID; the event ID for EntityEvent
	Deleted bool
}

// keyGeneration counts the committed transactions that changed something,
// so that derived data (the search index) can tell whether it is stale.
var keyGeneration = []byte("generation")

// watchers are the functions told of committed changes.
type watchers struct {
	mu   sync.Mutex // serialises notifications, so watchers see commits in order
	next int
	fns  map[int]func(generation uint64, changes []Change)
}

// Watch registers fn to be called after every committed Update that changed
// something, with the store's new generation and the changes. Calls are
// serialised and happen after the commit, outside any transaction, so fn
// may read the store (it sees at least the committed state). The returned
// function unregisters fn.
func (s *Store) Watch(fn func(generation uint64, changes []Change)) (cancel func()) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	if s.watch.fns == nil {
		s.watch.fns = map[int]func(uint64, []Change){}
	}
	id := s.watch.next
	s.watch.next++
	s.watch.fns[id] = fn
	return func() {
		s.watch.mu.Lock()
		defer s.watch.mu.Unlock()
		delete(s.watch.fns, id)
	}
}

func (s *Store) notify(generation uint64, changes []Change) {
	if len(changes) == 0 {
		return
	}
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(s.watch.fns)) {
		s.watch.fns[id](generation, changes)
	}
}

// Generation returns the number of committed transactions that changed the
// store. It only grows; derived data records the generation it reflects.
func (s *Store) Generation() (uint64, error) {
	var g uint64
	err := s.View(func(tx *Tx) error { g = tx.generation(); return nil })
	return g, err
}

// Generation returns the store's generation as this transaction sees it.
// A writer that computed something from an earlier read compares it to
// refuse to overwrite changes made in between.
func (tx *Tx) Generation() uint64 { return tx.generation() }

func (tx *Tx) generation() uint64 {
	v := tx.tx.Bucket(bucketMeta).Get(keyGeneration)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// record notes a change for the watchers.
func (tx *Tx) record(c Change) { tx.changes = append(tx.changes, c) }

// bumpGeneration raises the generation inside the writing transaction.
func (tx *Tx) bumpGeneration() (uint64, error) {
	g := tx.generation() + 1
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], g)
	return g, tx.tx.Bucket(bucketMeta).Put(keyGeneration, buf[:])
}
