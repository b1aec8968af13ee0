package matcher

import (
	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
	"github.com/matchgrid/matchgrid/profiles"
)

// After a write that changed only opportunities (the organizations and so
// the pool stand), the next model is built from the previous one: only the
// organizations whose opportunities changed are analysed again, and the
// first stages of requesters whose own requests did not change are carried
// over with their opportunity column scored again. Nothing else in a
// stage depends on opportunities: the first stage is chosen by text,
// track-record and shared-project relevance (baseScore), and the kinds a
// requester seeks come from its own requests.

// eventSideAfter builds the model that follows prev after the
// opportunities of the organizations in changed (IDs) changed.
func (m *Matcher) eventSideAfter(s *snapshot, prev *eventModel, changed map[string]bool) *eventModel {
	pool := prev.pool
	em := &eventModel{pool: pool, needs: make(map[int]textQuery, len(prev.needs)), carried: map[stageKey]*stage{}}
	n := len(pool.ids)
	oppDocs := make([]bm25.Bag, n)
	sought := make([][]profiles.OrgKind, n)
	var prevDocs *bm25.Docs
	if prev.side != nil {
		prevDocs = prev.side.oppDocs
	}
	for i, id := range pool.ids {
		if changed[id] || prevDocs == nil {
			m.orgSide(s, em, i, oppDocs, sought)
			continue
		}
		oppDocs[i], sought[i] = bm25.Bag{}, prev.soughtKinds[i]
		prevDocs.AddTo(i, oppDocs[i])
		if q, ok := prev.needs[i]; ok {
			em.needs[i] = q
		}
		if v, ok := prev.best.Load(i); ok {
			em.best.Store(i, v)
		}
	}
	em.finishSide(s, oppDocs, sought)
	for k, fs := range prev.stages.all() {
		if !changed[pool.ids[k.r]] {
			em.carried[k] = fs
		}
	}
	return em
}

// rescored returns requester r's stage carried over from the previous
// model, with the opportunity column scored on this model's opportunities
// (q: r's query, unchanged with r's requests); nil when none was carried.
func (em *eventModel) rescored(k stageKey, q bm25.Bag) *stage {
	old := em.carried[k]
	if old == nil {
		return nil
	}
	opp := make([]float64, len(em.pool.ids))
	if em.side.opps != nil {
		em.side.opps.Score(q, false, opp)
	}
	mo := relMax(opp, k.r)
	fs := *old
	fs.shown = &explained{m: map[shownKey]*[2]Direction{}} // they read the opportunity column
	fs.rows = make([]float64, len(old.rows))
	copy(fs.rows, old.rows)
	for i, c := range fs.orgs {
		fs.rows[i*numFeatures+fOpp] = opp[c] / mo
	}
	return &fs
}
