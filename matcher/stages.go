package matcher

import (
	"container/list"
	"slices"
	"sync"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// stage is what a requester's rankings need of its feature rows: the
// organizations of its first stage (best first) with their rows, and for
// each the track-record project closest to the query. It is a fraction of
// the rows of the whole event, so the model keeps those of many
// requesters: a ranking computed again after a write (the requester's own
// request, a meeting) starts from it instead of scoring the event again.
type stage struct {
	orgs    []int
	pos     map[int]int // organization -> its place in orgs
	rows    []float64   // len(orgs) x numFeatures
	closest []string    // per place: closestProject's label ("" when none is close)
	// usual holds, for the features whose sentences are said only when
	// they set a candidate apart (distinctiveFeatures), the 90th
	// percentile of the stage's values.
	usual [numFeatures]float64
	shown *explained // the explanations of the organizations shown so far
}

// explained keeps the explanations (forward and backward) of the
// organizations a stage's rankings showed: they depend only on the model,
// the requester and the candidate organization, so a ranking computed
// again on the same stage (after a write that voided it) reuses them.
type explained struct {
	mu sync.Mutex
	m  map[shownKey]*[2]Direction
}

// shownKey is a shown organization and how well the requester answers
// its requests (0 when the ranking did not ask: see run.reciprocal).
type shownKey struct {
	org  int
	back float64
}

// explanation returns the explanations of organization c, computing them
// with build the first time (read-only: they are shared).
func (fs *stage) explanation(c shownKey, build func() [2]Direction) *[2]Direction {
	fs.shown.mu.Lock()
	d := fs.shown.m[c]
	fs.shown.mu.Unlock()
	if d != nil {
		return d
	}
	v := build()
	fs.shown.mu.Lock()
	defer fs.shown.mu.Unlock()
	if old := fs.shown.m[c]; old != nil {
		return old
	}
	fs.shown.m[c] = &v
	return &v
}

// row returns the feature row of organization c, one of the stage's.
func (fs *stage) row(c int) []float64 {
	i := fs.pos[c]
	return fs.rows[i*numFeatures : (i+1)*numFeatures]
}

// newFirstStage keeps what the rankings of requester r need of x (the
// rows of every organization) and proj (the relevance of every
// track-record project).
func (p *Pool) newFirstStage(x, proj []float64, k stageKey) *stage {
	orgs := p.firstStageOf(x, k.r, k.hide)
	fs := &stage{orgs: orgs, pos: make(map[int]int, len(orgs)), rows: make([]float64, 0, len(orgs)*numFeatures),
		closest: make([]string, len(orgs)), shown: &explained{m: map[shownKey]*[2]Direction{}}}
	bestAll := 0.0
	for _, v := range proj {
		bestAll = max(bestAll, v)
	}
	for i, c := range orgs {
		fs.pos[c] = i
		fs.rows = append(fs.rows, x[c*numFeatures:(c+1)*numFeatures]...)
		fs.closest[i] = p.closestProject(proj, bestAll, c)
	}
	for _, f := range distinctiveFeatures {
		fs.usual[f] = topTenth(fs.rows, f)
	}
	return fs
}

// distinctiveFeatures are the features whose sentences ("organizations
// like yours often work with a ...", "projects close to what you look
// for often include ...") an explanation says only for a candidate whose
// value is in the top tenth of its first stage: a kind or a country many
// candidates share says nothing about this one. On the demo (16
// participants' top 10) the country sentence showed on 108 of 160
// suggestions with a threshold on its contribution alone, 99 above the
// upper quartile, 46 in the top tenth.
var distinctiveFeatures = []int{fKind, fNearKind, fNearCountry}

// topTenth returns the 90th percentile of feature f over rows.
func topTenth(rows []float64, f int) float64 {
	vs := make([]float64, 0, len(rows)/numFeatures)
	for i := f; i < len(rows); i += numFeatures {
		vs = append(vs, rows[i])
	}
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	return vs[(len(vs)*9)/10]
}

// setsApart reports whether row's value of feature f is above the 90th
// percentile of the stage (distinctiveFeatures).
func (fs *stage) setsApart(row []float64, f int) bool { return row[f] > fs.usual[f] }

// closestProject names organization c's track-record project closest to
// the query, when it is among the close ones (at least 40% of the best
// project's relevance, bestAll).
func (p *Pool) closestProject(proj []float64, bestAll float64, c int) string {
	label, top := "", 0.0
	for _, pi := range p.projOf[c] {
		if v := proj[pi]; v > top {
			label, top = p.projLabel[pi], v
		}
	}
	if bestAll == 0 || top < 0.4*bestAll {
		return ""
	}
	return label
}

// keptStages is how many requesters' first stages a model keeps (about
// 200 KB each with 600 organizations).
const keptStages = 128

// stageKey names a first stage: requester r's, with or without its known
// partners (hidden ones take no places).
type stageKey struct {
	r    int
	hide bool
}

// stageCache keeps the first stages of the last keptStages requesters,
// least recently used first out.
type stageCache struct {
	mu    sync.Mutex
	order *list.List // of *stageEntry, most recent first
	byOrg map[stageKey]*list.Element
}

type stageEntry struct {
	k  stageKey
	fs *stage
}

func (sc *stageCache) get(k stageKey) *stage {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.byOrg[k]
	if !ok {
		return nil
	}
	sc.order.MoveToFront(e)
	return e.Value.(*stageEntry).fs
}

func (sc *stageCache) put(k stageKey, fs *stage) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.byOrg == nil {
		sc.order, sc.byOrg = list.New(), map[stageKey]*list.Element{}
	}
	if e, ok := sc.byOrg[k]; ok {
		sc.order.MoveToFront(e)
		return
	}
	sc.byOrg[k] = sc.order.PushFront(&stageEntry{k, fs})
	for sc.order.Len() > keptStages {
		last := sc.order.Back()
		sc.order.Remove(last)
		delete(sc.byOrg, last.Value.(*stageEntry).k)
	}
}

// firstStage returns the first stage named by k for query q (queryOf(k.r)),
// computing it once per model while it is among the last requesters, or
// rescoring the one carried over from the previous model (read-only: it
// may be shared).
func (em *eventModel) firstStage(k stageKey, q bm25.Bag) *stage {
	if fs := em.stages.get(k); fs != nil {
		return fs
	}
	fs := em.rescored(k, q)
	if fs == nil {
		x, proj := em.pool.featurize(q, k.r, em.side)
		fs = em.pool.newFirstStage(x, proj, k)
	}
	em.stages.put(k, fs)
	return fs
}

// all returns the stages kept, by requester.
func (sc *stageCache) all() map[stageKey]*stage {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	out := make(map[stageKey]*stage, len(sc.byOrg))
	for k, e := range sc.byOrg {
		out[k] = e.Value.(*stageEntry).fs
	}
	return out
}
