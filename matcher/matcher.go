package matcher

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// Index is what the matcher needs from the search index. *index.Index has it.
type Index interface {
	Search(r *index.Request) (*index.Result, error)
	TopTerms(field, text string, k int) ([]index.Term, error)
	Analyze(field, text string) ([]index.Token, error)
}

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
	// Candidates is how many hits each candidate search keeps (default 100).
	Candidates int
	// Rescore is how many candidate organizations, best by the forward
	// score, get the costlier backward score (default 40, at least 2k).
	Rescore int
	// MaxStale is how long a participant's ranking is served as it is after
	// writes that do not concern it directly; past it, it is computed again
	// in the background while still served (see cache.go; default 1
	// minute; negative: never served after such a write). Writes that
	// concern it void it at once.
	MaxStale time.Duration
	// CachedRankings bounds the rankings kept per event (default 20,000).
	CachedRankings int
}

// Matcher ranks meeting partners for the participants of an event. It is
// safe for concurrent use.
type Matcher struct {
	store   Store
	index   Index
	weights *Weights
	opts    Options
	terms   *termCache

	mu          sync.Mutex
	events      map[string]*eventState // the cache, by event ID (cache.go)
	flights     singleflight.Group     // builds of snapshots and rankings in progress
	cancelWatch func()                 // nil without change reports
	lastGen     uint64                 // the last generation reported
	refreshing  atomic.Bool            // a ranking is being refreshed in the background
}

// watcher is a store that reports committed changes. *profiles.Store is one.
type watcher interface {
	Watch(fn func(generation uint64, changes []profiles.Change)) (cancel func())
}

// New returns a matcher over store and its index.
func New(store Store, ix Index, opts *Options) (*Matcher, error) {
	m := &Matcher{store: store, index: ix, terms: newTermCache()}
	if opts != nil {
		m.opts = *opts
	}
	if m.opts.Candidates <= 0 {
		m.opts.Candidates = 100
	}
	if m.opts.Rescore <= 0 {
		m.opts.Rescore = 40
	}
	if m.opts.MaxStale == 0 {
		m.opts.MaxStale = time.Minute
	}
	if m.opts.CachedRankings <= 0 {
		m.opts.CachedRankings = 20_000
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
	m.events = nil
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
	return m.suggest(s, m.terms, participantID, k)
}

// Rank is Suggest with the record of the chain: how many candidates were
// considered and how many each step set aside, by reason.
func (m *Matcher) Rank(eventID, participantID string, k int) (*Ranking, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	return m.rank(s, m.terms, participantID, k)
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
				results[i], errs[i] = m.suggest(s, m.terms, ids[i], k)
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
