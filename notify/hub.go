package notify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Sink turns a notice into outbox items, inside the hub's transaction
// (profiles.Tx.Enqueue keeps them idempotent).
type Sink interface {
	Notice(tx *profiles.Tx, n *Notice) error
}

// Hub watches the store and hands notices to its sinks.
type Hub struct {
	store *profiles.Store
	sinks []Sink
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnError receives errors of turning a commit into notices; nil drops them.
	OnError func(error)

	mu         sync.Mutex
	pending    []profiles.Change
	pendingGen uint64 // the latest generation among pending
	wake       chan struct{}
}

// NewHub returns a hub over the store with the given sinks. Begin, then
// Run in a goroutine, starts it.
func NewHub(store *profiles.Store, sinks ...Sink) *Hub {
	return &Hub{store: store, sinks: sinks, wake: make(chan struct{}, 1)}
}

func (h *Hub) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Run watches the store until ctx ends. Commits are handled in order, in
// the hub's goroutine, never in the committing one. It first replays what
// was committed since the hub last ran (the store keeps the generation it
// reached), so a restart loses no notice; the very first run starts from
// the store as it is, without notifying its history.
func (h *Hub) Run(ctx context.Context) error {
	cancel := h.store.Watch(h.collect)
	defer cancel()
	if err := h.catchUp(); err != nil && h.OnError != nil {
		h.OnError(err)
	}
	for {
		select {
		case <-ctx.Done():
			h.flush() // what was committed before the stop still goes out
			return nil
		case <-h.wake:
			h.flush()
		}
	}
}

// Begin records, on a store no hub ran on yet, the store's current
// generation as notified, so that Run, started afterwards in a goroutine
// of its own, notifies everything committed after Begin returned (without
// it, what is committed before that goroutine gets to run is taken as
// history). Run does the same itself when Begin was not called.
func (h *Hub) Begin() error {
	from, err := h.notifiedGeneration()
	if err != nil || from != 0 {
		return err
	}
	return h.markFrom()
}

func (h *Hub) notifiedGeneration() (from uint64, err error) {
	err = h.store.View(func(tx *profiles.Tx) error { from = tx.NotifiedGeneration(); return nil })
	return from, err
}

// catchUp collects the changes committed after the recorded generation.
func (h *Hub) catchUp() error {
	from, err := h.notifiedGeneration()
	if err != nil {
		return err
	}
	if from == 0 {
		return h.markFrom()
	}
	err = h.store.ChangesSince(from, func(gen uint64, changes []profiles.Change) error {
		h.collect(gen, changes)
		return nil
	})
	if errors.Is(err, profiles.ErrChangesPruned) {
		return errors.Join(fmt.Errorf("notify: changes since generation %d are gone; notices of them are lost: %w", from, err), h.markFrom())
	}
	return err
}

// markFrom records the store's current generation as notified.
func (h *Hub) markFrom() error {
	g, err := h.store.Generation()
	if err != nil {
		return err
	}
	return h.store.Update(func(tx *profiles.Tx) error { return tx.SetNotifiedGeneration(g) })
}

// collect keeps the changes that can notify anything; it runs in the
// committing goroutine, so it only appends.
func (h *Hub) collect(gen uint64, changes []profiles.Change) {
	h.mu.Lock()
	h.pendingGen = max(h.pendingGen, gen)
	added := false
	for _, c := range changes {
		if !c.Deleted && (c.Entity == profiles.EntityRequest || c.Entity == profiles.EntityMeeting) {
			h.pending = append(h.pending, c)
			added = true
		}
	}
	h.mu.Unlock()
	if added {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// flush handles the changes collected so far.
func (h *Hub) flush() {
	h.mu.Lock()
	changes, gen := h.pending, h.pendingGen
	h.pending = nil
	h.mu.Unlock()
	if len(changes) == 0 {
		return
	}
	if err := h.handle(gen, changes); err != nil && h.OnError != nil {
		h.OnError(err)
	}
}

// Handle turns committed changes into notices and hands them to the sinks,
// all in one transaction. Run calls it; tests and catch-up may too.
func (h *Hub) Handle(changes []profiles.Change) error { return h.handle(0, changes) }

// handle is Handle that also records gen (when above the recorded one) as
// notified, in the same transaction as the outbox items.
func (h *Hub) handle(gen uint64, changes []profiles.Change) error {
	at := h.now()
	return h.store.Update(func(tx *profiles.Tx) error {
		if gen > tx.NotifiedGeneration() {
			if err := tx.SetNotifiedGeneration(gen); err != nil {
				return err
			}
		}
		notices, err := noticesOf(tx, changes, at)
		if err != nil {
			return err
		}
		for i, n := range notices {
			n.At = at.Add(time.Duration(i)) // distinct times keep the order of the commit's notices
			for _, s := range h.sinks {
				if err := s.Notice(tx, n); err != nil {
					return fmt.Errorf("notify %s %s: %w", n.Kind, n.Key, err)
				}
			}
		}
		return nil
	})
}

// noticesOf reads what the changes concern and makes their notices: one
// per changed request in a notifying state, one per event whose meetings
// changed.
func noticesOf(tx *profiles.Tx, changes []profiles.Change, at time.Time) ([]*Notice, error) {
	var notices []*Notice
	meetings := map[string][]profiles.Meeting{} // event -> changed meetings
	seen := map[profiles.Change]bool{}
	for _, c := range changes {
		if seen[c] {
			continue
		}
		seen[c] = true
		switch c.Entity {
		case profiles.EntityRequest:
			r, err := tx.Request(c.EventID, c.ID)
			if errors.Is(err, profiles.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if n := requestNotice(r, at); n != nil {
				notices = append(notices, n)
			}
		case profiles.EntityMeeting:
			m, err := tx.Meeting(c.EventID, c.ID)
			if errors.Is(err, profiles.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			meetings[c.EventID] = append(meetings[c.EventID], *m)
		}
	}
	for _, eventID := range slices.Sorted(maps.Keys(meetings)) {
		n, err := gridNotice(tx, eventID, meetings[eventID], at)
		if err != nil {
			return nil, err
		}
		notices = append(notices, n)
	}
	return notices, nil
}
