package matcher

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// The cache layer: per event, the latest snapshot, the store's changes not
// yet applied to it, and the participants' rankings. It knows entities only
// by their IDs: what a snapshot holds and how a ranking is computed are
// snapshot.go's and pipeline.go's business.
//
// With a store that reports its changes (Store.Watch), a write costs the
// next reader the re-reading of what it changed (apply), and voids only the
// rankings it concerns: those of the participants it touched, of the
// organizations whose content changed, and those showing such an
// organization. Other rankings stay in use for up to Options.MaxStale
// (they may have been affected only at the margin: a partner's demand
// shifted, a new text nudged the index's statistics), then are computed
// again. Concurrent readers wait for one build of a snapshot or a ranking
// (singleflight), never build it twice. Without change reports the event
// is read whole whenever the store's generation moved, and every ranking
// is void.

// eventState is the cache of one event.
type eventState struct {
	snap     *snapshot
	gen      uint64            // without change reports: the generation snap reflects
	pending  []profiles.Change // reported since snap was built
	reread   bool              // read the event whole at the next use
	voidAll  uint64            // rankings computed on snapshots before this seq are void
	void     map[string]uint64 // per participant: the same, for their own ranking
	rankings map[rankingKey]*rankEntry
}

// rankingKey identifies one participant's ranking.
type rankingKey struct {
	participant string
	k           int
}

// rankEntry is a computed ranking: the snapshot it was computed on, when,
// and the organizations it shows.
type rankEntry struct {
	r    *Ranking
	seq  uint64
	at   time.Time
	orgs map[string]bool
}

// maxPendingChanges is how many reported changes an event may accumulate;
// past it (a large import) the event is read whole at its next use.
const maxPendingChanges = 5_000

// onChange is registered with the store: it notes the changes of events
// the matcher holds a snapshot of. It only appends under the lock, so a
// write never waits on the matcher.
func (m *Matcher) onChange(_ uint64, changes []profiles.Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range changes {
		st := m.events[c.EventID]
		if st == nil || st.reread {
			continue
		}
		if c.Entity == profiles.EntityEvent || len(st.pending) >= maxPendingChanges {
			st.reread, st.pending = true, nil
			continue
		}
		st.pending = append(st.pending, c)
	}
}

// state returns an event's cache, creating it; m.mu is held.
func (m *Matcher) state(eventID string) *eventState {
	st := m.events[eventID]
	if st == nil {
		if m.events == nil || len(m.events) >= maxCachedEvents {
			m.events = map[string]*eventState{}
		}
		st = &eventState{reread: true, void: map[string]uint64{}, rankings: map[rankingKey]*rankEntry{}}
		m.events[eventID] = st
	}
	return st
}

// maxCachedEvents bounds the events cached; past it, the cache starts over.
const maxCachedEvents = 64

// snapshot returns the event's current snapshot, bringing it up to date
// first when the store changed.
func (m *Matcher) snapshot(eventID string) (*snapshot, error) {
	var gen uint64
	if m.cancelWatch == nil {
		var err error
		if gen, err = m.store.Generation(); err != nil {
			return nil, fmt.Errorf("matcher: %w", err)
		}
	}
	m.mu.Lock()
	st := m.state(eventID)
	if st.snap != nil && !st.reread && len(st.pending) == 0 && (m.cancelWatch != nil || st.gen == gen) {
		s := st.snap
		m.mu.Unlock()
		return s, nil
	}
	m.mu.Unlock()
	v, err, _ := m.flights.Do("snapshot\x00"+eventID, func() (any, error) { return m.refresh(eventID) })
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	return v.(*snapshot), nil
}

// refresh builds the event's next snapshot: from the last one and the
// changes reported since, or, the first time, after an event-wide change
// or without change reports, by reading the event whole.
func (m *Matcher) refresh(eventID string) (*snapshot, error) {
	var gen uint64
	m.mu.Lock()
	st := m.state(eventID)
	if st.snap != nil && !st.reread && len(st.pending) == 0 && m.cancelWatch != nil {
		// Brought up to date by a flight that ended after this reader looked.
		s := st.snap
		m.mu.Unlock()
		return s, nil
	}
	prev, changes, whole := st.snap, st.pending, st.reread || st.snap == nil || m.cancelWatch == nil
	st.pending, st.reread = nil, false
	m.mu.Unlock()

	var next *snapshot
	var im *impact
	err := m.store.View(func(tx *profiles.Tx) error {
		var err error
		if !whole {
			next, im, err = prev.apply(tx, changes)
			if !errors.Is(err, errReadWhole) {
				return err
			}
		}
		gen, im = tx.Generation(), &impact{all: true}
		next, err = readSnapshot(tx, eventID)
		return err
	})
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		st.reread = true // and try again at the next use
		return nil, err
	}
	if prev != nil {
		next.seq = prev.seq + 1
	}
	st.snap, st.gen = next, gen
	st.voidRankings(next, prev, im)
	return next, nil
}

// voidRankings marks the rankings a change voids, from snapshot s on.
func (st *eventState) voidRankings(s, prev *snapshot, im *impact) {
	if im.all {
		st.voidAll = s.seq
		clear(st.rankings)
		clear(st.void)
		return
	}
	for p := range im.people {
		st.void[p] = s.seq
	}
	for org := range im.orgs {
		for _, snap := range []*snapshot{prev, s} {
			for _, p := range snap.peopleOf[org] {
				st.void[p] = s.seq
			}
		}
	}
	if len(im.orgs) == 0 {
		return
	}
	for key, e := range st.rankings {
		for org := range im.orgs {
			if e.orgs[org] {
				st.void[key.participant] = s.seq
				break
			}
		}
	}
}

// rank returns a participant's ranking on snapshot s: the cached one while
// it holds (see the comment at the top), else computed once however many
// readers ask at the same time.
func (m *Matcher) rank(s *snapshot, cache *termCache, participantID string, k int) (*Ranking, error) {
	key := rankingKey{participantID, k}
	if e := m.cachedRank(s, key); e != nil {
		return e.r, nil
	}
	flight := "rank\x00" + s.event.ID + "\x00" + participantID + "\x00" + strconv.Itoa(k) + "\x00" + strconv.FormatUint(s.seq, 10)
	v, err, _ := m.flights.Do(flight, func() (any, error) {
		if e := m.cachedRank(s, key); e != nil {
			return e.r, nil // computed by a flight that ended after this reader looked
		}
		r, err := m.computeRank(s, cache, participantID, k)
		if err != nil {
			return nil, err
		}
		e := &rankEntry{r: r, seq: s.seq, at: time.Now(), orgs: map[string]bool{}}
		for _, sg := range r.Suggestions {
			e.orgs[sg.OrganizationID] = true
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		st := m.state(s.event.ID)
		if old := st.rankings[key]; old == nil || old.seq <= e.seq {
			if len(st.rankings) >= m.opts.CachedRankings {
				evictHalf(st.rankings)
			}
			st.rankings[key] = e
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Ranking), nil
}

// cachedRank returns the cached ranking if it holds for snapshot s, else nil.
func (m *Matcher) cachedRank(s *snapshot, key rankingKey) *rankEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state(s.event.ID)
	if e := st.rankings[key]; e != nil && st.holds(e, key.participant, s, m.opts.MaxStale) {
		return e
	}
	return nil
}

// holds reports whether a cached ranking may serve a reader of snapshot s:
// nothing since it was computed concerned it, and it is of s or younger
// than maxStale.
func (st *eventState) holds(e *rankEntry, participant string, s *snapshot, maxStale time.Duration) bool {
	if e.seq < st.voidAll || e.seq < st.void[participant] {
		return false
	}
	return e.seq >= s.seq || time.Since(e.at) < maxStale
}

// evictHalf drops about half of the cached rankings (in map order, that is
// at random).
func evictHalf(m map[rankingKey]*rankEntry) {
	n := len(m) / 2
	for k := range m {
		if n == 0 {
			return
		}
		delete(m, k)
		n--
	}
}
