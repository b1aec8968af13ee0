package matcher

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

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
}

// Matcher ranks meeting partners for the participants of an event. It is
// safe for concurrent use.
type Matcher struct {
	store    Store
	weights  *Weights
	opts     Options
	analysis *analysisCache

	mu        sync.Mutex
	snapshots map[string]cachedSnapshot // event ID -> last snapshot read
	pools     map[string]cachedPool     // event ID -> last pool built
}

// cachedPool is an event's pool and the fingerprint of what it was built from.
type cachedPool struct {
	fingerprint uint64
	pool        *Pool
}

// cachedSnapshot is an event snapshot and the store generation it reflects.
type cachedSnapshot struct {
	generation uint64
	s          *snapshot
}

// New returns a matcher over store.
func New(store Store, opts *Options) (*Matcher, error) {
	m := &Matcher{store: store, analysis: newAnalysisCache()}
	if opts != nil {
		m.opts = *opts
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
	return m, nil
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
	r, err := m.rankingFor(s, participantID, k, false)
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
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	r, err := m.rankingFor(s, participantID, k, o.HideKnownPartners)
	if err != nil {
		return nil, err
	}
	return r.Suggestions, nil
}

// Rank is Suggest with the record of the chain: how many candidates were
// considered and how many each step set aside, by reason.
func (m *Matcher) Rank(eventID, participantID string, k int) (*Ranking, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	return m.rankingFor(s, participantID, k, false)
}

// RankWith is Rank with options.
func (m *Matcher) RankWith(eventID, participantID string, k int, o SuggestOptions) (*Ranking, error) {
	s, err := m.snapshot(eventID)
	if err != nil {
		return nil, err
	}
	return m.rankingFor(s, participantID, k, o.HideKnownPartners)
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
				if r, errs[i] = m.rankingFor(s, ids[i], k, false); r != nil {
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

// snapshot returns the event's state, read again only when the store changed.
func (m *Matcher) snapshot(eventID string) (*snapshot, error) {
	gen, err := m.store.Generation()
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	m.mu.Lock()
	c, ok := m.snapshots[eventID]
	m.mu.Unlock()
	if ok && c.generation == gen {
		return c.s, nil
	}
	var s *snapshot
	err = m.store.View(func(tx *profiles.Tx) error {
		var err error
		s, err = readSnapshot(tx, eventID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	m.mu.Lock()
	if m.snapshots == nil || len(m.snapshots) > 64 {
		m.snapshots = map[string]cachedSnapshot{}
	}
	m.snapshots[eventID] = cachedSnapshot{generation: gen, s: s}
	m.mu.Unlock()
	return s, nil
}
