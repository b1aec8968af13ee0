package profiles

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
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

// watchers are the functions told of committed changes, and the change
// feed that tells them of other processes' commits.
type watchers struct {
	mu        sync.Mutex // serialises notifications, so watchers see commits in order
	next      int
	fns       map[int]func(generation uint64, changes []Change)
	last      atomic.Uint64 // the last generation delivered (or current at open)
	stop      func()        // stops the feed; nil until the first Watch
	feedError func(error)
}

// Watch registers fn to be called after every committed Update that changed
// something, with the store's new generation and the changes: this
// process's commits as they happen, and on a shared store (PostgreSQL)
// other processes' commits as they are announced, in generation order.
// Calls are serialised and happen after the commit, outside any
// transaction, so fn may read the store (it sees at least the committed
// state). The returned function unregisters fn.
func (s *Store) Watch(fn func(generation uint64, changes []Change)) (cancel func()) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	if s.watch.fns == nil {
		s.watch.fns = map[int]func(uint64, []Change){}
	}
	if s.watch.stop == nil {
		s.watch.stop = s.eng.listen(s.catchUp, s.watch.feedError)
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

// stopFeed stops following other processes (at Close).
func (w *watchers) stopFeed() {
	w.mu.Lock()
	stop := w.stop
	w.stop = func() {}
	w.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// committed tells the watchers of this process's commit. Commits of other
// processes not yet delivered come first, from the change log.
func (s *Store) committed(generation uint64, changes []Change) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	switch {
	case generation <= s.watch.last.Load():
		// The feed has already delivered it.
	case generation == s.watch.last.Load()+1:
		s.deliver(generation, changes)
	default:
		s.catchUpLocked()
	}
}

// generationChanges is one committed generation and what it changed.
type generationChanges struct {
	generation uint64
	changes    []Change
}

// committedAll tells the watchers of several of this process's commits,
// in generation order (a PostgreSQL group commit).
func (s *Store) committedAll(cs []generationChanges) {
	for _, c := range cs {
		s.committed(c.generation, c.changes)
	}
}

// catchUp delivers every generation committed since the last one
// delivered, reading the change log; the feed calls it on each NOTIFY
// with the generation announced (0: unknown). This process's own commits
// come back too, and are already delivered.
func (s *Store) catchUp(announced uint64) {
	if announced != 0 && announced <= s.watch.last.Load() {
		return
	}
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	s.catchUpLocked()
}

func (s *Store) catchUpLocked() {
	err := s.eng.changesSince(s.watch.last.Load(), func(g uint64, cs []Change) error {
		s.deliver(g, cs)
		return nil
	})
	if errors.Is(err, ErrChangesPruned) {
		// Too far behind to replay: skip ahead; derived data notices the
		// gap by its generation when it is next opened.
		if g, gerr := s.eng.generation(); gerr == nil {
			s.watch.last.Store(g)
		}
	}
	if err != nil && s.watch.feedError != nil {
		s.watch.feedError(err)
	}
}

// deliver calls the watchers with one generation; s.watch.mu is held.
func (s *Store) deliver(generation uint64, changes []Change) {
	s.watch.last.Store(generation)
	if len(changes) == 0 {
		return
	}
	for _, id := range slices.Sorted(maps.Keys(s.watch.fns)) {
		s.watch.fns[id](generation, changes)
	}
}

// ChangesSince calls fn, in generation order, for every generation
// committed after the given one, with what it changed: what derived data
// recorded at generation `after` needs to catch up (after a restart, or
// after a lost connection). It fails with ErrChangesPruned when the log no
// longer reaches back that far (it keeps the last 10000 generations):
// rebuild instead.
func (s *Store) ChangesSince(after uint64, fn func(generation uint64, changes []Change) error) error {
	return s.eng.changesSince(after, fn)
}

// Generation returns the number of committed transactions that changed the
// store. It only grows; derived data records the generation it reflects.
//
// It is answered from memory when the store knows every commit: always for
// a bbolt file (one process), and for PostgreSQL while the change feed is
// connected (Watch starts it), where it is the last generation delivered
// to the watchers, so a cache keyed by it never runs ahead of the index.
// Otherwise it asks the database.
func (s *Store) Generation() (uint64, error) {
	if s.eng.follows() {
		return s.watch.last.Load(), nil
	}
	return s.eng.generation()
}

// Generation returns the store's generation as this transaction sees it.
// A writer that computed something from an earlier read compares it to
// refuse to overwrite changes made in between (after LockEvent, so that no
// other writer of the event commits in between).
func (tx *Tx) Generation() uint64 {
	g, err := tx.kv.generation()
	tx.keep(err)
	return g
}

// record notes a change for the watchers.
func (tx *Tx) record(c Change) { tx.changes = append(tx.changes, c) }
