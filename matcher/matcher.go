package matcher

import (
	"container/list"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/matchgrid/matchgrid/profiles"
)

// Store is what the matcher needs from the event store. *profiles.Store has it.
type Store interface {
	View(fn func(tx *profiles.Tx) error) error
	Generation() (uint64, error)
}

// Options tunes a Matcher. The zero value is usable.
type Options struct {
	// Weights override the defaults field by field (see Weights.Merge).
	Weights *Weights
	// EventWeights override the weights of single events, by event ID.
	EventWeights map[string]*Weights
	// MaxStale is how long a participant's ranking is served as it is after
	// writes that do not concern it directly; past it, it is computed again
	// in the background while still served (see cache.go; default 1
	// minute; negative: never served after such a write). Writes that
	// concern it void it at once.
	MaxStale time.Duration
	// CachedRankingBytes bounds the memory of the rankings kept, across
	// events, least recently used out first (default 192 MB).
	CachedRankingBytes int
}

// Matcher ranks meeting partners for the participants of an event. It is
// safe for concurrent use.
type Matcher struct {
	store    Store
	weights  *Weights
	opts     Options
	analysis *analysisCache

	mu           sync.Mutex
	pools        map[string]cachedPool  // event ID -> last pool built (eventmodel.go)
	events       map[string]*eventState // the cache, by event ID (cache.go)
	flights      singleflight.Group     // builds of snapshots and rankings in progress
	cancelWatch  func()                 // nil without change reports
	lastGen      uint64                 // the last generation reported
	refreshing   atomic.Bool            // a ranking is being refreshed in the background
	lru          *list.List             // cached rankings, most recently used first (cachebytes.go)
	rankingBytes int                    // what the cached rankings hold
}

// watcher is a store that reports committed changes. *profiles.Store is one.
type watcher interface {
	Watch(fn func(generation uint64, changes []profiles.Change)) (cancel func())
}

// cachedPool is an event's pool and the fingerprint of what it was built from.
type cachedPool struct {
	fingerprint uint64
	pool        *Pool
}

// New returns a matcher over store.
func New(store Store, opts *Options) (*Matcher, error) {
	m := &Matcher{store: store, analysis: newAnalysisCache()}
	if opts != nil {
		m.opts = *opts
	}
	if m.opts.MaxStale == 0 {
		m.opts.MaxStale = time.Minute
	}
	if m.opts.CachedRankingBytes <= 0 {
		m.opts.CachedRankingBytes = defaultCachedRankingBytes
	}
	m.weights = DefaultWeights().Merge(m.opts.Weights)
	if err := m.weights.Validate(); err != nil {
		return nil, err
	}
	for id, w := range m.opts.EventWeights {
		if err := m.weights.Merge(w).Validate(); err != nil {
			return nil, fmt.Errorf("weights of event %s: %w", id, err)
		}
	}
	if w, ok := store.(watcher); ok {
		m.cancelWatch = w.Watch(m.onChange)
	}
	return m, nil
}

// Close stops following the store's changes. The matcher stays usable (it
// then reads an event whole whenever the store changed).
func (m *Matcher) Close() {
	m.mu.Lock()
	cancel := m.cancelWatch
	m.cancelWatch = nil
	m.events, m.lru, m.rankingBytes = nil, nil, 0
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Weights returns the weights used for an event.
//
// Weights the event itself stores (profiles.Event.MatchWeights) apply on top
// of these when ranking.
func (m *Matcher) Weights(eventID string) *Weights {
	return m.weights.Merge(m.opts.EventWeights[eventID])
}

// Suggest returns up to k suggested partners for a participant, best first.
func (m *Matcher) Suggest(eventID, participantID string, k int) ([]Suggestion, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	r, err := m.rank(s, participantID, k, false)
	if err != nil {
		return nil, err
	}
	return r.Suggestions, nil
}

// SuggestOptions change what Suggest leaves out.
type SuggestOptions struct {
	// HideKnownPartners leaves out organizations that shared a past
	// project with the participant's (as the participant's own
	// HideKnownPartners setting does).
	HideKnownPartners bool
}

// SuggestWith is Suggest with options.
func (m *Matcher) SuggestWith(eventID, participantID string, k int, o SuggestOptions) ([]Suggestion, error) {
	r, err := m.RankWith(eventID, participantID, k, o)
	if err != nil {
		return nil, err
	}
	return r.Suggestions, nil
}

// RankWith is Rank with options.
func (m *Matcher) RankWith(eventID, participantID string, k int, o SuggestOptions) (*Ranking, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	return m.rank(s, participantID, k, o.HideKnownPartners)
}

// Rank is Suggest with the record of the chain: how many candidates were
// considered and how many each step set aside, by reason.
func (m *Matcher) Rank(eventID, participantID string, k int) (*Ranking, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	return m.rank(s, participantID, k, false)
}

// SuggestAll returns up to k suggestions for every participant of an
// event (participant ID -> suggestions), reading the event once and using
// every CPU.
func (m *Matcher) SuggestAll(eventID string, k int) (map[string][]Suggestion, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	ids := slicesSortedKeys(s.people)
	results := make([][]Suggestion, len(ids))
	errs := make([]error, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				var r *Ranking
				if r, errs[i] = m.rank(s, ids[i], k, false); r != nil {
					results[i] = r.Suggestions
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string][]Suggestion, len(ids))
	for i, id := range ids {
		out[id] = results[i]
	}
	return out, nil
}
