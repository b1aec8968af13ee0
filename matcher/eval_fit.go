package matcher

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// innerSplits are the fractions of history whose later projects give the
// training labels: features come from the projects before the split date,
// labels from the consortia after it (still before the cutoff).
var innerSplits = []float64{0.5, 0.6, 0.7, 0.8, 0.9}

// trainLambda is the L2 penalty of the fit (on standardised features).
const trainLambda = 1.0

// fitCORDIS fits the engine's models for tasks A and B on history alone:
// for each inner split date, the world before it gives the features and the
// history consortia after it the labels, under the same protocol as the test.
func fitCORDIS(c *consortia, history []*evalProject, opts EvalOptions) (map[string]*EvalModel, error) {
	groups := map[string][][]Sample{}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x666974))
	for _, frac := range innerSplits {
		at := history[int(frac*float64(len(history)))].p.StartDate
		inner := c.before(at)
		labels := c.between(at, opts.Cutoff)
		if len(inner) == 0 || len(labels) == 0 {
			continue
		}
		w := newWorld(c, inner, at)
		qs := w.queries(labels)
		opts.logf("fit: split %s: %d inner projects, %d training queries", at.Format(time.DateOnly), len(inner), len(qs))
		for task, g := range trainingGroups(w, qs, rng) {
			groups[task] = append(groups[task], g...)
		}
	}
	return fitGroups(groups, opts)
}

// trainingGroups builds one group of samples per query and task: the
// query's partners and uniformly sampled non-partners.
func trainingGroups(w *world, qs []evalQuery, rng *rand.Rand) map[string][][]Sample {
	groups := map[string][][]Sample{}
	n := len(w.pool)
	x := make([]float64, n*numEvalFeatures)
	for _, q := range qs {
		qb := bagOf(w.voc, queryText(q.project.p), false)
		w.featurize(qb, bigramBagOf(w.voc, queryText(q.project.p), false), q.requester, x)
		row := func(c int) []float64 { return slices.Clone(x[c*numEvalFeatures : (c+1)*numEvalFeatures]) }
		cands := w.candidates(x, q.requester)
		for _, task := range []string{"A", "B"} {
			rel := q.relA
			if task == "B" {
				rel = q.relB
			}
			var g []Sample
			var npos int
			for _, c := range cands {
				var label float64
				if slices.Contains(rel, c) {
					label = 1
					npos++
				}
				g = append(g, Sample{X: row(c), Label: label})
			}
			if npos == 0 {
				continue
			}
			groups[task] = append(groups[task], g)
		}
	}
	return groups
}

// fitGroups fits one model per task.
func fitGroups(groups map[string][][]Sample, opts EvalOptions) (map[string]*EvalModel, error) {
	models := map[string]*EvalModel{}
	for _, task := range []string{"A", "B"} {
		var flat []Sample
		for _, g := range groups[task] {
			flat = append(flat, g...)
		}
		m := &EvalModel{Weights: map[string]float64{}}
		if task == "A" {
			// Past partners and new partners are two populations: one
			// calibrated model each, compared on the same probability scale.
			var past, fresh []Sample
			for _, s := range flat {
				if s.X[fPast] > 0 {
					past = append(past, s)
				} else {
					fresh = append(fresh, s)
				}
			}
			pw, pb, perr := fitLogistic(past, trainLambda, false)
			fw, fb, ferr := fitLogistic(fresh, trainLambda, false)
			if perr == nil && ferr == nil {
				m.Bias, m.PastBias, m.PastWeights = fb, pb, map[string]float64{}
				for i, name := range evalFeatureNames {
					m.Weights[name] = fw[i]
					m.PastWeights[name] = pw[i]
				}
				models[task] = m
				opts.logf("fit: task A: %d queries; past partners (%d samples): %v; others (%d samples): %v",
					len(groups[task]), len(past), fmtWeights(pw), len(fresh), fmtWeights(fw))
				continue
			}
		}
		wv, _, err := FitLogistic(flat, trainLambda)
		if errors.Is(err, ErrData) {
			// Too little history to learn from: rank by text alone.
			opts.logf("fit: task %s: %v; falling back to text relevance alone", task, err)
			wv = make([]float64, numEvalFeatures)
			wv[fText] = 1
		} else if err != nil {
			return nil, fmt.Errorf("fit task %s: %w", task, err)
		}
		for i, name := range evalFeatureNames {
			m.Weights[name] = wv[i]
		}
		models[task] = m
		opts.logf("fit: task %s: %d queries, weights %v", task, len(groups[task]), fmtWeights(wv))
	}
	return models, nil
}

func fmtWeights(w []float64) string {
	s := ""
	for i, v := range w {
		s += fmt.Sprintf("%s=%.3g ", evalFeatureNames[i], v)
	}
	return s
}

// FitCORDISModels fits the engine's task models on the history of the
// CORDIS data (projects before opts.Cutoff), for storing or inspection.
func FitCORDISModels(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, opts EvalOptions) (map[string]*EvalModel, error) {
	c, err := newConsortia(projects, parts)
	if err != nil {
		return nil, err
	}
	history := c.before(opts.Cutoff)
	if len(history) == 0 {
		return nil, fmt.Errorf("%w: no history before %s", ErrData, opts.Cutoff.Format(time.DateOnly))
	}
	return fitCORDIS(c, history, opts)
}
