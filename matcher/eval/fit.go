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

// trainLambda is the L2 penalty of the fit (on standardised features).
const trainLambda = 1.0

// Fit fits the matcher's weights on CORDIS history (projects before
// cutoff): at each inner split, the served matcher's own feature code
// (matcher.Pool.Candidates) ranks the first stage for each training query,
// and two calibrated logistic models are fitted on the query's partners and
// non-partners: one for organizations new to the requester, one for known
// partners. The new-partner model is fitted class-balanced and then
// calibrated (it ranks the few new partners better; task B is the
// headline), the known-partner model is fitted calibrated. Features
// history cannot fit keep their hand-set weights.
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
	for _, frac := range innerSplits {
		at := history[int(frac*float64(len(history)))].p.StartDate
		inner := c.before(at)
		labels := c.between(at, cutoff)
		if len(inner) == 0 || len(labels) == 0 {
			continue
		}
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

// fit fits the two calibrated models.
func (ts *training) fit(progress func(format string, args ...any)) (*matcher.Weights, error) {
	out := &matcher.Weights{Features: map[string]float64{}, Known: map[string]float64{}, Reciprocal: 0.5, PerOrganization: 1, Capacity: 1, Lift: 0.15}
	balanced, cv, err := chooseBalance(ts.fresh, trainLambda)
	if err == nil {
		progress("fit: new-partner model validated in history (nDCG@10, %d-fold by query): plain %.4f, class-balanced %.4f", cvFolds, cv[0], cv[1])
	}
	fit := fitCalibrated
	how := "class-balanced, calibrated"
	if !balanced {
		fit = func(s []Sample, l float64) ([]float64, float64, error) { return fitLogistic(s, l, false) }
		how = "plain calibrated"
	}
	fw, fb, err := fit(ts.fresh, trainLambda)
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
	kw, kb, err := fitLogistic(ts.known, trainLambda, false)
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
	out.Source = fmt.Sprintf("fitted on CORDIS history before %s (%d projects; %d new-partner samples, %s model chosen by validation in history; %d known-partner samples); %v set by hand",
		ts.cutoff.Format(time.DateOnly), ts.history, len(ts.fresh), how, len(ts.known), slices.Sorted(maps.Keys(matcher.HandFeatures)))
	progress("fit: %s", out.Source)
	return out, nil
}

// orgID is the event organization ID of a CORDIS PIC (as the importer names it).
func orgID(pic string) string { return "pic-" + pic }

// fitCalibrated fits a class-balanced logistic model (both classes count
// the same, which ranks the few partners better) and then calibrates its
// score into a probability on the samples as they are (Platt scaling), so
// that two models compare on one scale.
func fitCalibrated(samples []Sample, lambda float64) ([]float64, float64, error) {
	w, b, err := fitLogistic(samples, lambda, true)
	if err != nil {
		return nil, 0, err
	}
	platt := make([]Sample, len(samples))
	for i, s := range samples {
		z := b
		for j, v := range s.X {
			z += w[j] * v
		}
		platt[i] = Sample{X: []float64{z}, Label: s.Label}
	}
	a, c, err := fitLogistic(platt, 1e-6, false)
	if err != nil {
		return nil, 0, err
	}
	for j := range w {
		w[j] *= a[0]
	}
	return w, a[0]*b + c, nil
}
