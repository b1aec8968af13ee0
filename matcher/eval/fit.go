package eval

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// innerSplits are the fractions of history whose later projects give the
// training labels: the pool is built from the projects before the split
// date (by the CORDIS importer's code, as the served event is), labels
// come from the consortia after it (still before the cutoff).
var innerSplits = []float64{0.5, 0.6, 0.7, 0.8, 0.9}

// Fit fits the matcher's weights on CORDIS history (projects before
// cutoff): at each inner split, the served matcher's own feature code
// (matcher.Pool.Candidates) ranks the first stage for each training query,
// and two calibrated logistic models are fitted on the query's partners and
// non-partners: one for organizations new to the requester, one for known
// partners. Both are plain logistic models (calibrated probabilities on
// the samples, so the two compare on one scale) with the L2 penalty that
// ranks new partners best under cross-validation by query within history
// (choose.go; task B is the headline). Features history cannot fit keep
// their hand-set weights.
func Fit(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, cutoff time.Time, progress func(format string, args ...any)) (*matcher.Weights, error) {
	ts, err := trainingSamples(projects, parts, cutoff, progress)
	if err != nil {
		return nil, err
	}
	return ts.fit(progress)
}

// training holds the samples of the inner splits, split by whether the
// candidate is a known partner of the requester.
type training struct {
	known, fresh []Sample
	cutoff       time.Time
	history      int
}

// trainingSamples builds the samples of every inner split of history.
func trainingSamples(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, cutoff time.Time, progress func(format string, args ...any)) (*training, error) {
	c, err := newConsortia(projects, parts)
	if err != nil {
		return nil, err
	}
	history := c.before(cutoff)
	if len(history) == 0 {
		return nil, fmt.Errorf("%w: no history before %s", ErrData, cutoff.Format(time.DateOnly))
	}
	ts := &training{cutoff: cutoff, history: len(history)}
	group := 0
	var last time.Time
	for _, frac := range innerSplits {
		at := history[int(frac*float64(len(history)))].p.StartDate
		inner := c.before(at)
		labels := c.between(at, cutoff)
		if len(inner) == 0 || len(labels) == 0 || at.Equal(last) {
			// Many projects start on one day: a split date met before
			// would repeat its samples and weigh that split twice.
			continue
		}
		last = at
		bundle, err := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{Cutoff: at})
		if err != nil {
			return nil, err
		}
		pool := matcher.NewPool(bundle.Organizations, at)
		w := newWorld(inner)
		qs := w.queries(labels)
		for _, q := range qs {
			group++
			rel := map[string]bool{}
			for _, j := range q.relA {
				rel[orgID(w.pool[j])] = true
			}
			ts.add(pool, orgID(w.pool[q.requester]), q.text, rel, group)
		}
		progress("fit: split %s: %d organizations, %d training queries", at.Format(time.DateOnly), len(bundle.Organizations), len(qs))
	}
	return ts, nil
}

// add adds the samples of one training query. The new-partner model
// learns from the first stage of a requester who hides known partners
// (where it ranks alone, as in task B); the known-partner model from the
// known partners in the first stage of one who does not.
func (ts *training) add(pool *matcher.Pool, requester, text string, rel map[string]bool, group int) {
	sample := func(c matcher.Candidate) Sample {
		s := Sample{X: slices.Clone(c.Row), Group: group}
		if rel[c.OrgID] {
			s.Label = 1
		}
		return s
	}
	stages := pool.CandidateStages(requester, text, "en", true, false)
	for _, c := range stages[0] {
		ts.fresh = append(ts.fresh, sample(c))
	}
	for _, c := range stages[1] {
		if c.Row[matcher.PastPartnerFeature] > 0 {
			ts.known = append(ts.known, sample(c))
		}
	}
}

// fit fits the two calibrated models, with the penalty that validates
// best in history.
func (ts *training) fit(progress func(format string, args ...any)) (*matcher.Weights, error) {
	out := &matcher.Weights{Features: map[string]float64{}, Known: map[string]float64{}, Reciprocal: 0.5, PerOrganization: 1, Capacity: 1, Lift: 0.15}
	lambda, cv, err := choosePenalty(ts.fresh)
	if err == nil {
		progress("fit: new-partner model validated in history (nDCG@10, %d-fold by query) at L2 penalties %v: %.4f; chose %g", cvFolds, penalties, cv, lambda)
	} else {
		lambda = penalties[0]
	}
	fw, fb, err := fitLogistic(ts.fresh, lambda, false)
	if errors.Is(err, ErrData) {
		// Too little history to learn from: text relevance and nearest
		// projects alone, said so in the weights' source.
		progress("fit: %v; ranking by text relevance and nearest projects alone", err)
		fw, fb = make([]float64, len(matcher.FeatureNames)), -4.0
		fw[slices.Index(matcher.FeatureNames, matcher.FeatText)] = 4
		fw[slices.Index(matcher.FeatureNames, matcher.FeatProjectKNN)] = 2
	} else if err != nil {
		return nil, fmt.Errorf("fit new partners: %w", err)
	}
	kw, kb, err := fitLogistic(ts.known, lambda, false)
	if errors.Is(err, ErrData) {
		kw, kb = fw, fb // too little history of known partners: one model for all
	} else if err != nil {
		return nil, fmt.Errorf("fit known partners: %w", err)
	}
	out.Bias, out.KnownBias = fb, kb
	for i, name := range matcher.FeatureNames {
		out.Features[name], out.Known[name] = fw[i], kw[i]
	}
	for name, v := range matcher.HandFeatures {
		out.Features[name], out.Known[name] = v, v
	}
	out.Source = fmt.Sprintf("fitted on CORDIS history before %s (%d projects; %d new-partner samples, %d known-partner samples; calibrated logistic models, L2 penalty %g chosen by validation in history); %v set by hand",
		ts.cutoff.Format(time.DateOnly), ts.history, len(ts.fresh), len(ts.known), lambda, slices.Sorted(maps.Keys(matcher.HandFeatures)))
	progress("fit: %s", out.Source)
	return out, nil
}

// orgID is the event organization ID of a CORDIS PIC (as the importer names it).
func orgID(pic string) string { return "pic-" + pic }
