package matcher

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Metrics are the ranking metrics of one ranker on one task.
type Metrics struct {
	R10     float64 `json:"r10"`
	R50     float64 `json:"r50"`
	MRR     float64 `json:"mrr"`
	NDCG10  float64 `json:"ndcg10"`
	Queries int     `json:"queries"`
}

// TaskResult holds the metrics of the engine and of the two baselines on one task.
type TaskResult struct {
	Engine     Metrics `json:"engine"`
	BM25       Metrics `json:"bm25"`
	Popularity Metrics `json:"popularity"`
}

// EvalResult is the outcome of the CORDIS evaluation: tasks "A" and "B".
type EvalResult struct {
	Tasks map[string]*TaskResult `json:"tasks"`
}

// EvalOptions tunes EvaluateCORDIS.
type EvalOptions struct {
	// Cutoff splits history (projects starting before it) from test projects.
	Cutoff time.Time
	// Seed breaks ties; the same seed gives the same result.
	Seed uint64
	// Weights, when set, are used as they are instead of being fitted on
	// history (one model per task, keys "A" and "B").
	Weights map[string]*EvalModel
	// Diagnose prints each feature's own metrics to Progress.
	Diagnose bool
	// Progress, when set, receives progress lines.
	Progress io.Writer
}

// EvalModel is a fitted linear model over the evaluation features.
// With PastWeights set, candidates who are past partners of the requester
// are scored by PastWeights and PastBias instead (a calibrated model of
// their own).
type EvalModel struct {
	Weights     map[string]float64 `json:"weights"`
	Bias        float64            `json:"bias"`
	PastWeights map[string]float64 `json:"past_weights,omitempty"`
	PastBias    float64            `json:"past_bias,omitempty"`
}

func vectorOf(weights map[string]float64) []float64 {
	v := make([]float64, numEvalFeatures)
	for i, name := range evalFeatureNames {
		v[i] = weights[name]
	}
	return v
}

// scorer returns the model's scoring function over a feature row.
func (m *EvalModel) scorer() func(row []float64) float64 {
	w := vectorOf(m.Weights)
	if m.PastWeights == nil {
		return func(row []float64) float64 { return dot(w, row) }
	}
	pw := vectorOf(m.PastWeights)
	return func(row []float64) float64 {
		if row[fPast] > 0 {
			return m.PastBias + dot(pw, row)
		}
		return m.Bias + dot(w, row)
	}
}

func (o *EvalOptions) logf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// EvaluateCORDIS runs the evaluation protocol on CORDIS consortia: history
// before the cutoff, test projects from it on, tasks A (all other pool
// members of the test consortium are relevant) and B (only those who never
// shared a history project with the requester). The engine's models are
// fitted on history alone (an inner split by date) unless given.
func EvaluateCORDIS(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, opts EvalOptions) (*EvalResult, error) {
	if opts.Cutoff.IsZero() {
		return nil, fmt.Errorf("%w: a cutoff date is needed", ErrData)
	}
	c, err := newConsortia(projects, parts)
	if err != nil {
		return nil, err
	}
	history := c.before(opts.Cutoff)
	test := c.between(opts.Cutoff, time.Time{})
	if len(history) == 0 || len(test) == 0 {
		return nil, fmt.Errorf("%w: %d history and %d test projects around %s", ErrData, len(history), len(test), opts.Cutoff.Format(time.DateOnly))
	}
	models := opts.Weights
	if models == nil {
		if models, err = fitCORDIS(c, history, opts); err != nil {
			return nil, err
		}
	}
	opts.logf("eval: building the history world (%d projects)", len(history))
	w := newWorld(c, history, opts.Cutoff)
	qs := w.queries(test)
	opts.logf("eval: %d organizations in the pool, %d of %d test projects are queries", len(w.pool), len(qs), len(test))
	if opts.Diagnose && opts.Progress != nil {
		diagnose(w, qs, opts.Progress)
	}
	res := &EvalResult{Tasks: map[string]*TaskResult{"A": {}, "B": {}}}
	acc := map[string]*[3]metricSum{"A": {}, "B": {}}
	n := len(w.pool)
	x := make([]float64, n*numEvalFeatures)
	bm := make([]float64, n)
	pop := make([]float64, n)
	eng := make([]float64, n)
	wa, wb := models["A"].scorer(), models["B"].scorer()
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6d61746368))
	for qi, q := range qs {
		qb := bagOf(w.voc, queryText(q.project.p), false)
		clear(bm)
		w.text.score(qb, false, bm)
		w.featurize(qb, bigramBagOf(w.voc, queryText(q.project.p), false), q.requester, x)
		copy(pop, w.nproj)
		tie := rng.Perm(n)
		cands := w.candidates(x, q.requester)
		for task, rel := range map[string][]int{"A": q.relA, "B": q.relB} {
			if len(rel) == 0 {
				continue
			}
			wv := wa
			if task == "B" {
				wv = wb
			}
			// Two stages: the model re-ranks the first stage's candidates,
			// the rest follow in first-stage order.
			for c := range n {
				eng[c] = baseScore(x[c*numEvalFeatures:(c+1)*numEvalFeatures]) - 1e9
			}
			for _, c := range cands {
				eng[c] = wv(x[c*numEvalFeatures : (c+1)*numEvalFeatures])
			}
			acc[task][0].add(rank(eng, q.requester, tie), rel)
			acc[task][1].add(rank(bm, q.requester, tie), rel)
			acc[task][2].add(rank(pop, q.requester, tie), rel)
		}
		if (qi+1)%100 == 0 {
			opts.logf("eval: %d/%d queries", qi+1, len(qs))
		}
	}
	for task, a := range acc {
		t := res.Tasks[task]
		t.Engine, t.BM25, t.Popularity = a[0].metrics(), a[1].metrics(), a[2].metrics()
	}
	return res, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// rank returns the candidates (all but skip) best first; ties go by the tie permutation.
func rank(score []float64, skip int, tie []int) []int {
	out := make([]int, 0, len(score)-1)
	for i := range score {
		if i != skip {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(tie[a], tie[b]))
	})
	return out
}

// metricSum accumulates per-query metrics.
type metricSum struct {
	r10, r50, mrr, ndcg float64
	n                   int
}

func (m *metricSum) add(ranked []int, rel []int) {
	isRel := make(map[int]bool, len(rel))
	for _, r := range rel {
		isRel[r] = true
	}
	var hits10, hits50 int
	var dcg float64
	first := 0
	for i, c := range ranked {
		if !isRel[c] {
			continue
		}
		if first == 0 {
			first = i + 1
		}
		if i < 10 {
			hits10++
			dcg += 1 / math.Log2(float64(i+2))
		}
		if i < 50 {
			hits50++
		}
	}
	var idcg float64
	for i := 0; i < len(rel) && i < 10; i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	m.r10 += float64(hits10) / float64(len(rel))
	m.r50 += float64(hits50) / float64(len(rel))
	if first > 0 {
		m.mrr += 1 / float64(first)
	}
	m.ndcg += dcg / idcg
	m.n++
}

func (m *metricSum) metrics() Metrics {
	if m.n == 0 {
		return Metrics{}
	}
	n := float64(m.n)
	return Metrics{R10: m.r10 / n, R50: m.r50 / n, MRR: m.mrr / n, NDCG10: m.ndcg / n, Queries: m.n}
}
