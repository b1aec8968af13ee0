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
	// Until Run has replayed the change log, commits the store announces
	// wait in early; afterwards those up to replayed are dropped: the
	// replay read them (the store may announce a commit after another
	// reader already sees it), and a notice must go out once.
	live     bool
	early    []generationBatch
	replayed uint64
}

// generationBatch is one committed generation and what it changed.
type generationBatch struct {
	gen     uint64
	changes []profiles.Change
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
	cancel := h.store.Watch(h.announced)
	defer cancel()
	through, err := h.catchUp()
	if err != nil && h.OnError != nil {
		h.OnError(err)
	}
	h.goLive(through)
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
	_, err = h.markFrom()
	return err
}

func (h *Hub) notifiedGeneration() (from uint64, err error) {
	err = h.store.View(func(tx *profiles.Tx) error { from = tx.NotifiedGeneration(); return nil })
	return from, err
}

// catchUp collects the changes committed after the recorded generation,
// and returns the generation it read through.
func (h *Hub) catchUp() (through uint64, err error) {
	from, err := h.notifiedGeneration()
	if err != nil {
		return 0, err
	}
	if from == 0 {
		return h.markFrom()
	}
	through = from
	err = h.store.ChangesSince(from, func(gen uint64, changes []profiles.Change) error {
		h.collect(gen, changes)
		through = max(through, gen)
		return nil
	})
	if errors.Is(err, profiles.ErrChangesPruned) {
		g, merr := h.markFrom()
		return g, errors.Join(fmt.Errorf("notify: changes since generation %d are gone; notices of them are lost: %w", from, err), merr)
	}
	return through, err
}

// goLive collects the commits announced during the replay that it did not
// read (those after through), and from then on every announced commit.
func (h *Hub) goLive(through uint64) {
	h.mu.Lock()
	added := false
	for _, b := range h.early {
		if b.gen > through {
			added = h.addLocked(b.gen, b.changes) || added
		}
	}
	h.early, h.live, h.replayed = nil, true, through
	h.mu.Unlock()
	if added {
		h.wakeUp()
	}
}

// markFrom records the store's current generation as notified, and
// returns it.
func (h *Hub) markFrom() (uint64, error) {
	g, err := h.store.Generation()
	if err != nil {
		return 0, err
	}
	return g, h.store.Update(func(tx *profiles.Tx) error { return tx.SetNotifiedGeneration(g) })
}

// announced is the store's watcher (which announces in generation
// order): it collects a commit, keeps it for goLive while Run is still
// replaying the change log, or drops it when the replay read it.
func (h *Hub) announced(gen uint64, changes []profiles.Change) {
	h.mu.Lock()
	if !h.live {
		h.early = append(h.early, generationBatch{gen, changes})
		h.mu.Unlock()
		return
	}
	if gen <= h.replayed { // announced late; the replay had it
		h.mu.Unlock()
		return
	}
	added := h.addLocked(gen, changes)
	h.mu.Unlock()
	if added {
		h.wakeUp()
	}
}

// collect keeps the changes that can notify anything; it runs in the
// committing goroutine, so it only appends.
func (h *Hub) collect(gen uint64, changes []profiles.Change) {
	h.mu.Lock()
	added := h.addLocked(gen, changes)
	h.mu.Unlock()
	if added {
		h.wakeUp()
	}
}

// addLocked appends the changes that can notify to pending (h.mu held),
// and reports whether there were any.
func (h *Hub) addLocked(gen uint64, changes []profiles.Change) bool {
	h.pendingGen = max(h.pendingGen, gen)
	added := false
	for _, c := range changes {
		if !c.Deleted && (c.Entity == profiles.EntityRequest || c.Entity == profiles.EntityMeeting) {
			h.pending = append(h.pending, c)
			added = true
		}
	}
	return added
}

// wakeUp tells Run that changes are pending.
func (h *Hub) wakeUp() {
	select {
	case h.wake <- struct{}{}:
	default:
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
