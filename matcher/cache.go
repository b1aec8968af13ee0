package matcher

import (
	"container/list"
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
// rankings it concerns: those of the participants it touched (a request,
// a meeting, their profile), those of the participants of an organization
// whose content changed (its profile, its opportunities, its participants),
// and those showing such an organization or a participant that is gone.
// Other rankings were affected at most at the margin (a partner's demand
// shifted, a text nudged the index's statistics): they stay in use, and once
// older than Options.MaxStale the next reader still gets them while they
// are computed again in the background. Concurrent readers wait for one build of a snapshot or a ranking
// (singleflight), never build it twice. Without change reports the event
// is read whole whenever the store's generation moved, and every ranking
// is void.

// eventState is the cache of one event.
type eventState struct {
	snap     *snapshot
	reported uint64            // changes of the event reported so far (a count)
	pending  []profiles.Change // reported and not yet taken by a build
	reread   bool              // read the event whole at the next build
	voidAll  uint64            // rankings computed on snapshots before this seq are void
	void     map[string]uint64 // per participant: the same, for their own ranking
	rankings map[rankingKey]*rankEntry
}

// current reports whether snapshot s is up to date for a reader who saw
// `reported` changes reported and (without change reports) the store at
// generation gen; m.mu is held.
func (m *Matcher) current(s *snapshot, reported, gen uint64) bool {
	if s == nil {
		return false
	}
	if m.cancelWatch == nil {
		return s.gen >= gen
	}
	return s.covers >= reported
}

// rankingKey identifies one participant's ranking.
type rankingKey struct {
	participant string
	k           int
	hideKnown   bool
}

// rankEntry is a computed ranking: the snapshot it was computed on, when,
// and the participants and organizations it shows.
type rankEntry struct {
	r     *Ranking
	seq   uint64
	at    time.Time
	shows map[string]bool
	bytes int           // rankingBytes(r)
	elem  *list.Element // in the matcher's use order (cachebytes.go)
}

// maxPendingChanges is how many reported changes an event may accumulate;
// past it (a large import) the event is read whole at its next use.
const maxPendingChanges = 5_000

// onChange is registered with the store: it notes the changes of events
// the matcher holds a snapshot of. It only appends under the lock, so a
// write never waits on the matcher. Generations come one after another; a
// gap (a feed that fell too far behind skips ahead) means changes nobody
// reported, so every event is read whole at its next use.
func (m *Matcher) onChange(generation uint64, changes []profiles.Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lastGen != 0 && generation > m.lastGen+1 {
		for _, st := range m.events {
			st.reported++
			st.reread, st.pending = true, nil
		}
	}
	m.lastGen = max(m.lastGen, generation)
	for _, c := range changes {
		st := m.events[c.EventID]
		if st == nil {
			continue
		}
		st.reported++
		if st.reread {
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
			for _, old := range m.events {
				m.dropRankings(old)
			}
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
// first when the store changed. A reader gets a snapshot that holds every
// change reported before it asked (its own writes included): it joins a
// build in progress only if that build covers them.
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
	reported, s := st.reported, st.snap
	m.mu.Unlock()
	for !m.current(s, reported, gen) {
		v, err, _ := m.flights.Do("snapshot\x00"+eventID, func() (any, error) { return m.refresh(eventID) })
		if err != nil {
			return nil, fmt.Errorf("matcher: %w", err)
		}
		s = v.(*snapshot)
	}
	return s, nil
}

// refresh builds the event's next snapshot: from the last one and the
// changes reported since, or, the first time, after an event-wide change
// or without change reports, by reading the event whole.
func (m *Matcher) refresh(eventID string) (*snapshot, error) {
	m.mu.Lock()
	st := m.state(eventID)
	prev, changes, covers := st.snap, st.pending, st.reported
	whole := st.reread || prev == nil || m.cancelWatch == nil
	if prev != nil && !whole && len(changes) == 0 {
		// Brought up to date by a build that ended after the reader looked.
		m.mu.Unlock()
		return prev, nil
	}
	st.pending, st.reread = nil, false
	m.mu.Unlock()

	var next *snapshot
	var im *impact
	err := m.store.View(func(tx *profiles.Tx) error {
		var err error
		if m.cancelWatch == nil && prev != nil && prev.gen == tx.Generation() {
			next = prev // without change reports: nothing changed since prev
			return nil
		}
		if !whole {
			next, im, err = prev.apply(tx, changes)
			if !errors.Is(err, errReadWhole) {
				return err
			}
		}
		im = &impact{all: true}
		next, err = readSnapshot(tx, eventID)
		return err
	})
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		st.reread = true // and try again at the next use
		return nil, err
	}
	if next == prev {
		return prev, nil
	}
	next.covers = covers
	if prev != nil {
		next.seq = prev.seq + 1
	}
	st.snap = next
	m.voidRankings(st, next, prev, im)
	return next, nil
}

// voidRankings marks the rankings of st a change voids, from snapshot s
// on; m.mu is held.
func (m *Matcher) voidRankings(st *eventState, s, prev *snapshot, im *impact) {
	if im.all {
		st.voidAll = s.seq
		m.dropRankings(st)
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
	if len(im.orgs) == 0 && len(im.gone) == 0 {
		return
	}
	for key, e := range st.rankings {
		if shows(e, im.orgs) || shows(e, im.gone) {
			st.void[key.participant] = s.seq
		}
	}
}

// shows reports whether a ranking shows any of ids.
func shows(e *rankEntry, ids map[string]bool) bool {
	for id := range ids {
		if e.shows[id] {
			return true
		}
	}
	return false
}

// rank returns a participant's ranking on snapshot s: the cached one while
// it holds (see the comment at the top), else computed once however many
// readers ask at the same time. A ranking only older than MaxStale is
// still served while a fresh one is computed in the background.
func (m *Matcher) rank(s *snapshot, participantID string, k int, hideKnown bool) (*Ranking, error) {
	key := rankingKey{participantID, k, hideKnown}
	if e, fresh := m.cachedRank(s, key); e != nil {
		if !fresh {
			m.refreshLater(s, key)
		}
		return e.r, nil
	}
	return m.computeShared(s, key)
}

// computeShared computes a ranking on s and caches it; readers asking for
// the same one meanwhile wait for it.
func (m *Matcher) computeShared(s *snapshot, key rankingKey) (*Ranking, error) {
	flight := "rank\x00" + s.event.ID + "\x00" + key.participant + "\x00" + strconv.Itoa(key.k) + "\x00" + strconv.FormatBool(key.hideKnown) + "\x00" + strconv.FormatUint(s.seq, 10)
	v, err, _ := m.flights.Do(flight, func() (any, error) {
		if e, fresh := m.cachedRank(s, key); e != nil && fresh {
			return e.r, nil // computed by a flight that ended after this reader looked
		}
		r, err := m.computeRank(s, key.participant, key.k, key.hideKnown)
		if err != nil {
			return nil, err
		}
		e := &rankEntry{r: r, seq: s.seq, at: time.Now(), shows: map[string]bool{}}
		for _, sg := range r.Suggestions {
			e.shows[sg.OrganizationID], e.shows[sg.ParticipantID] = true, true
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		st := m.state(s.event.ID)
		if old := st.rankings[key]; old == nil || old.seq <= e.seq {
			m.keepRanking(s.event.ID, st, key, e)
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Ranking), nil
}

// refreshLater computes a ranking again in the background, one at a time
// per matcher (a reader that finds the refresher busy leaves it to a later
// reader), so refreshing never takes more than one core.
func (m *Matcher) refreshLater(s *snapshot, key rankingKey) {
	if !m.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.refreshing.Store(false)
		_, _ = m.computeShared(s, key) // a failure shows to the next reader who needs it
	}()
}

// cachedRank returns the cached ranking unless something since voided it,
// and whether it is fresh (of s or younger than MaxStale). With a negative
// MaxStale only fresh rankings are returned.
func (m *Matcher) cachedRank(s *snapshot, key rankingKey) (e *rankEntry, fresh bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state(s.event.ID)
	e = st.rankings[key]
	if e == nil || e.seq < st.voidAll || e.seq < st.void[key.participant] {
		return nil, false
	}
	fresh = e.seq >= s.seq || time.Since(e.at) < m.opts.MaxStale
	if !fresh && m.opts.MaxStale < 0 {
		return nil, false
	}
	m.touch(e)
	return e, fresh
}
