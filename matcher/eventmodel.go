package matcher

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
	"github.com/matchgrid/matchgrid/profiles"
)

// eventModel is what a snapshot's rankings share: the pool of the event's
// organizations (reused across snapshots while the organizations do not
// change) and the event side (opportunities, codes, languages).
type eventModel struct {
	pool  *Pool
	side  *eventSide
	needs map[int]textQuery // organization -> its requests as a query

	// The first stages of the last requesters (stages.go): a write that
	// leaves the model in place re-ranks from them.
	stages stageCache
	// carried are the first stages of the previous model that hold on
	// this one once their opportunity column is scored again
	// (eventside.go; read-only).
	carried map[stageKey]*stage
	// soughtKinds are the partner kinds each organization's requests seek.
	soughtKinds [][]profiles.OrgKind

	best sync.Map // organization -> bestAnswer of its requests
}

// textQuery is an analysed query as a model keeps it, one per
// organization with requests: its terms ascending with their counts, and
// the query's own word for the terms where it is not the pool's (surface).
type textQuery struct {
	terms []int32
	qf    []float32
	own   map[int32]string // nil when every word is the pool's
}

// keepQuery is the textQuery of bag b with the query's words w.
func (p *Pool) keepQuery(b bm25.Bag, w map[int32]string) textQuery {
	q := textQuery{terms: slices.Sorted(maps.Keys(b))}
	q.qf = make([]float32, len(q.terms))
	for i, t := range q.terms {
		q.qf[i] = float32(b[t])
		if w[t] != p.surface[t] {
			if q.own == nil {
				q.own = map[int32]string{}
			}
			q.own[t] = w[t]
		}
	}
	return q
}

// bag returns the query's bag (a new one).
func (q textQuery) bag() bm25.Bag {
	b := make(bm25.Bag, len(q.terms))
	for i, t := range q.terms {
		b[t] = float64(q.qf[i])
	}
	return b
}

// words returns the query's own word for each of its terms (a new map).
func (q textQuery) words(p *Pool) map[int32]string {
	w := make(map[int32]string, len(q.terms))
	for _, t := range q.terms {
		if o, ok := q.own[t]; ok {
			w[t] = o
		} else {
			w[t] = p.surface[t]
		}
	}
	return w
}

// modelCell holds a snapshot's model, built once on first use (again at
// the next use when reading the store failed).
type modelCell struct {
	mu sync.Mutex // held while the model is built
	em atomic.Pointer[eventModel]
	// inherited is the previous snapshot's pool when the organizations did
	// not change since.
	inherited *Pool
	// inheritedModel is the previous snapshot's whole model when neither
	// organizations nor opportunities changed since (a request, meeting or
	// participant write): it depends on nothing else.
	inheritedModel *eventModel
	// previous is the previous snapshot's model when only opportunities
	// changed since, those of the organizations in oppOrgs (set by
	// apply): the model is built from it (eventside.go).
	previous *eventModel
	oppOrgs  map[string]bool
}

// next returns the cell of the snapshot that follows; its pool is reused
// when the organizations did not change, its whole model when the
// opportunities did not change either.
func (c *modelCell) next(orgsChanged, oppsChanged bool) *modelCell {
	n := &modelCell{}
	if orgsChanged {
		return n
	}
	em := c.em.Load()
	if em == nil {
		em = c.inheritedModel
	}
	if em != nil {
		n.inherited = em.pool
	} else {
		n.inherited = c.inherited
	}
	if !oppsChanged {
		n.inheritedModel = em
	} else {
		n.previous = em
	}
	return n
}

// eventModel returns the snapshot's model, building it once (or taking the
// inherited one).
func (m *Matcher) eventModel(s *snapshot) (*eventModel, error) {
	if em := s.model.em.Load(); em != nil {
		return em, nil
	}
	s.model.mu.Lock()
	defer s.model.mu.Unlock()
	if em := s.model.em.Load(); em != nil {
		return em, nil
	}
	em := s.model.inheritedModel
	if em == nil {
		var err error
		if em, err = m.buildEventModel(s, s.model.inherited); err != nil {
			return nil, err
		}
	}
	s.model.em.Store(em)
	return em, nil
}

// eventTime is the event's first day, the "now" of recent activity.
func eventTime(ev *profiles.Event) time.Time {
	if len(ev.Days) > 0 {
		if t, err := time.Parse(time.DateOnly, ev.Days[0].Date); err == nil {
			return t
		}
	}
	return time.Time{}
}

func (m *Matcher) buildEventModel(s *snapshot, pool *Pool) (*eventModel, error) {
	if pool == nil {
		var err error
		if pool, err = m.poolOf(s); err != nil {
			return nil, err
		}
	}
	if prev := s.model.previous; prev != nil && prev.pool == pool && s.model.oppOrgs != nil {
		return m.eventSideAfter(s, prev, s.model.oppOrgs), nil
	}
	return m.eventSideOf(s, pool), nil
}

// poolOf returns the pool of a snapshot's organizations: the last one built
// for the event when they did not change, else a new one.
func (m *Matcher) poolOf(s *snapshot) (*Pool, error) {
	at := eventTime(s.event)
	fp := poolFingerprint(s, at)
	m.mu.Lock()
	c, ok := m.pools[s.event.ID]
	m.mu.Unlock()
	if ok && c.fingerprint == fp {
		return c.pool, nil
	}
	pool, err := m.readPool(s, at)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.pools == nil || len(m.pools) > 64 {
		m.pools = map[string]cachedPool{}
	}
	m.pools[s.event.ID] = cachedPool{fingerprint: fp, pool: pool}
	m.mu.Unlock()
	return pool, nil
}

// readPool builds the pool of a snapshot's organizations, reading their
// texts (which the snapshot does not keep) from the store one at a time.
// The store may have moved on since the snapshot: an organization created
// since is left out, one deleted since has no texts, and one changed since
// is read as it is now (the next snapshot, which holds the change, builds
// its pool again).
func (m *Matcher) readPool(s *snapshot, at time.Time) (*Pool, error) {
	ids := slicesSortedKeys(s.orgs)
	var pool *Pool
	err := m.store.View(func(tx *profiles.Tx) error {
		var err error
		pool, err = newPool(func(yield func(whole, kept *profiles.Organization) error) error {
			i := 0
			read := 0
			defer releaseMapped(tx, 0)
			err := tx.EachOrganization(s.event.ID, func(o *profiles.Organization) error {
				read++
				releaseMapped(tx, read)
				for ; i < len(ids) && ids[i] < o.ID; i++ {
					if err := yield(s.orgs[ids[i]], s.orgs[ids[i]]); err != nil {
						return err
					}
				}
				if i < len(ids) && ids[i] == o.ID {
					i++
					return yield(o, s.orgs[o.ID])
				}
				return nil
			})
			for ; err == nil && i < len(ids); i++ {
				err = yield(s.orgs[ids[i]], s.orgs[ids[i]])
			}
			return err
		}, at, m.analysis)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: reading the organizations of event %q: %w", s.event.ID, err)
	}
	return pool, nil
}

// eventSideOf builds the event side of a snapshot's model over pool.
func (m *Matcher) eventSideOf(s *snapshot, pool *Pool) *eventModel {
	em := &eventModel{pool: pool, needs: map[int]textQuery{}}
	oppDocs := make([]bm25.Bag, len(pool.ids))
	sought := make([][]profiles.OrgKind, len(pool.ids))
	for i := range pool.ids {
		m.orgSide(s, em, i, oppDocs, sought)
	}
	em.finishSide(s, oppDocs, sought)
	return em
}

// orgSide fills organization i's part of the event side: its
// opportunities as one document, its requests as a query, the kinds of
// partner they seek.
func (m *Matcher) orgSide(s *snapshot, em *eventModel, i int, oppDocs []bm25.Bag, sought [][]profiles.OrgKind) {
	pool := em.pool
	oppDocs[i] = bm25.Bag{}
	var need []string
	var needLang string
	for _, o := range s.oppsOf[pool.ids[i]] {
		lang := o.Language
		if lang == "" {
			lang = index.Detect(o.Text(), "en")
		}
		b, _ := pool.query(m.analysis, o.Text(), lang)
		oppDocs[i].Add(b)
		if o.Kind != profiles.KindOffer {
			need = append(need, o.Text())
			needLang = lang
			sought[i] = append(sought[i], o.PartnerSought.Kinds...)
		}
	}
	if len(need) > 0 {
		b, w := pool.query(m.analysis, strings.Join(need, "\n"), needLang)
		em.needs[i] = pool.keepQuery(b, w)
	}
}

// finishSide sets the pair features and the opportunity index of the
// event side from its per-organization parts.
func (em *eventModel) finishSide(s *snapshot, oppDocs []bm25.Bag, sought [][]profiles.OrgKind) {
	pool := em.pool
	em.soughtKinds = sought
	em.side = &eventSide{
		sought: func(r, c int) bool { return slices.Contains(sought[r], pool.orgs[c].Kind) },
		lang:   func(r, c int) float64 { return sharedLanguage(pool.orgs[r], pool.orgs[c]) },
	}
	for _, id := range pool.ids {
		if len(s.oppsOf[id]) > 0 {
			docs := bm25.NewDocs()
			for _, b := range oppDocs {
				docs.Add(b)
			}
			docs.Clip()
			em.side.opps, em.side.oppDocs = bm25.NewFrom(docs), docs
			return
		}
	}
}

// queryOf is what organization r looks for: its requests, or else the top
// terms of its own texts.
func (em *eventModel) queryOf(r int) (bm25.Bag, map[int32]string) {
	if q, ok := em.needs[r]; ok && len(q.terms) > 0 {
		return q.bag(), q.words(em.pool)
	}
	q := em.pool.profileQuery(r)
	w := map[int32]string{}
	for t := range q {
		w[t] = em.pool.surface[t]
	}
	return q, w
}

// answers is how well organization me answers c's requests: the BM25 of
// c's requests against me's texts, over the best any organization reaches
// (0 when c has no requests). The best is computed once per model and
// requesting organization; me's own score is one document's.
func (em *eventModel) answers(c, me int) float64 {
	q, ok := em.needs[c]
	if !ok || len(q.terms) == 0 {
		return 0
	}
	bag := q.bag()
	best := em.bestAnswer(c, bag)
	if best <= 1e-9 {
		return 0
	}
	var mine float64
	for _, s := range em.pool.text.TermScores(bag, me, em.pool.docs) {
		mine += s
	}
	return math.Min(1, mine/best)
}

// bestAnswer is the best BM25 any organization but c reaches against c's
// requests q, cached on the model.
func (em *eventModel) bestAnswer(c int, q bm25.Bag) float64 {
	if v, ok := em.best.Load(c); ok {
		return v.(float64)
	}
	scores := make([]float64, len(em.pool.ids))
	em.pool.text.Score(q, false, scores)
	best := relMax(scores, c)
	em.best.Store(c, best)
	return best
}
