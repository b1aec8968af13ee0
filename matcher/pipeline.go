package matcher

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// The ranking is a chain of steps in the manner of a scheduler's iterator
// chain: a source gathers candidate organizations from the index, filters
// drop participants who may not be suggested (and count why), scorers add
// directed scores with their reasons, and rankers adjust and cut the list.

// orgEvidence is the text evidence between the requester's organization
// and one candidate organization, in one direction.
type orgEvidence struct {
	need, profile           float64 // best BM25 scores
	needBest, profileBest   float64 // best score each query reaches against anyone in the event
	needTerms, profileTerms []string
}

// offerEvidence is how the requester's offers answer a candidate's
// requests: the text evidence of the direction candidate -> requester.
type offerEvidence struct {
	score, best float64
	terms       []string
}

// The text features are score / best, where best is the top score the
// same query reaches in the event: that is how they are computed when the
// weights are fitted (the evaluation divides by the best candidate's
// score), so a fitted weight means the same here. Raw BM25 scores of "more
// like this" queries vary with query length and corpus and cannot be used
// as they are. Every search below returns its hits best first, so best is
// its first hit's score and costs no extra search.

// scaled is score / best, 0 when nothing matched.
func scaled(score, best float64) float64 {
	if best <= 0 {
		return 0
	}
	return min(1, score/best)
}

// pairState is one candidate participant in the chain.
type pairState struct {
	participant *profiles.Participant
	org         *profiles.Organization
	fwd, bwd    Direction
	reciprocal  float64
	score       float64
	notes       []string
	tie         uint64
}

// run holds one participant's ranking.
type run struct {
	m       *Matcher
	s       *snapshot
	cache   *termCache
	w       *Weights
	me      *profiles.Participant
	myOrg   *profiles.Organization
	fwd     map[string]*orgEvidence   // candidate org -> evidence a -> b
	offers  map[string]*offerEvidence // candidate org -> how a's offers answer its requests
	dropped map[string]int            // filter name -> participants dropped
}

func (m *Matcher) suggest(s *snapshot, cache *termCache, participantID string, k int) ([]Suggestion, error) {
	res, err := m.rank(s, cache, participantID, k)
	if err != nil {
		return nil, err
	}
	return res.Suggestions, nil
}

// computeRank runs the chain for one participant (cache.go's rank keeps
// the result).
func (m *Matcher) computeRank(s *snapshot, cache *termCache, participantID string, k int) (*Ranking, error) {
	me := s.people[participantID]
	if me == nil {
		return nil, fmt.Errorf("matcher: participant %q in event %q: %w", participantID, s.event.ID, ErrNotFound)
	}
	r := &run{m: m, s: s, cache: cache, w: m.Weights(s.event.ID).Merge(&Weights{Features: s.event.MatchWeights}), me: me, myOrg: s.orgs[me.OrganizationID],
		fwd: map[string]*orgEvidence{}, offers: map[string]*offerEvidence{}, dropped: map[string]int{}}
	if r.myOrg == nil {
		return nil, fmt.Errorf("matcher: organization %q of participant %q: %w", me.OrganizationID, me.ID, ErrNotFound)
	}
	if err := m.sourced(r); err != nil {
		return nil, err
	}
	expanded := r.expand()
	considered := len(expanded)
	cands := r.rescoreCut(r.filter(expanded), k)
	for _, c := range cands {
		if err := r.score(c); err != nil {
			return nil, err
		}
	}
	cands = slices.DeleteFunc(cands, func(c *pairState) bool {
		if len(c.fwd.AllTerms()) == 0 || len(c.bwd.AllTerms()) == 0 {
			r.dropped["no text evidence both ways"]++
			return true
		}
		return false
	})
	r.capacity(cands)
	slices.SortFunc(cands, func(a, b *pairState) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.tie, b.tie))
	})
	cands = r.perOrganization(cands)
	if len(cands) > k {
		cands = cands[:k]
	}
	out := &Ranking{Considered: considered, Dropped: r.dropped, Suggestions: make([]Suggestion, 0, len(cands))}
	for _, c := range cands {
		out.Suggestions = append(out.Suggestions, Suggestion{ParticipantID: c.participant.ID, OrganizationID: c.org.ID, Name: c.participant.Name(),
			Organization: c.org.Name, Score: c.score, Reciprocal: c.reciprocal, Forward: c.fwd, Backward: c.bwd, Notes: c.notes})
	}
	return out, nil
}

// source searches the index for organizations that fit the requester:
// their requests against others' offers, their offers against others'
// requests, and their profile against other profiles.
func (r *run) source() error {
	need, err := r.cache.needTerms(r.m.index, r.s, r.myOrg.ID)
	if err != nil {
		return err
	}
	prof, err := r.cache.profileTerms(r.m.index, r.myOrg)
	if err != nil {
		return err
	}
	exclude := map[string][]string{index.FieldOrganization: {r.myOrg.ID}}
	if len(need.terms) > 0 {
		res, err := r.m.index.Search(&index.Request{EventID: r.s.event.ID, Terms: need.terms, Type: index.TypeOpportunity,
			Filters: map[string][]string{index.FieldOppKind: {string(profiles.KindOffer), string(profiles.KindPartnership)}},
			Exclude: exclude, Limit: r.m.opts.Candidates})
		if err != nil {
			return err
		}
		best := topScore(res.Hits)
		for _, h := range res.Hits {
			r.evidence(h.OrgID).needBest = best
		}
		for _, h := range res.Hits {
			e := r.evidence(h.OrgID)
			if h.Score > e.need {
				e.need = h.Score
			}
			e.needTerms = mergeWords(e.needTerms, need.wordsOf(h.MatchedTerms()))
		}
	}
	if len(prof.terms) > 0 {
		res, err := r.m.index.Search(&index.Request{EventID: r.s.event.ID, Terms: prof.terms, Type: index.TypeOrganization,
			Exclude: exclude, Limit: r.m.opts.Candidates})
		if err != nil {
			return err
		}
		best := topScore(res.Hits)
		for _, h := range res.Hits {
			e := r.evidence(h.OrgID)
			e.profile, e.profileBest = h.Score, best
			e.profileTerms = prof.wordsOf(h.MatchedTerms())
		}
	}
	// Others whose requests our offers answer: the evidence of their side.
	offers, err := r.cache.offerTerms(r.m.index, r.s, r.myOrg.ID)
	if err != nil {
		return err
	}
	if len(offers.terms) > 0 {
		res, err := r.m.index.Search(&index.Request{EventID: r.s.event.ID, Terms: offers.terms, Type: index.TypeOpportunity,
			Filters: map[string][]string{index.FieldOppKind: {string(profiles.KindRequest), string(profiles.KindPartnership)}},
			Exclude: exclude, Limit: r.m.opts.Candidates})
		if err != nil {
			return err
		}
		best := topScore(res.Hits)
		for _, h := range res.Hits {
			r.evidence(h.OrgID)
			o := r.offers[h.OrgID]
			if o == nil {
				o = &offerEvidence{best: best}
				r.offers[h.OrgID] = o
			}
			o.score = max(o.score, h.Score)
			o.terms = mergeWords(o.terms, offers.wordsOf(h.MatchedTerms()))
		}
	}
	return nil
}

// topScore is the score of the best hit (hits come best first, but the max
// costs nothing and does not rely on it).
func topScore(hits []index.Hit) float64 {
	best := 0.0
	for _, h := range hits {
		best = max(best, h.Score)
	}
	return best
}

func (r *run) evidence(org string) *orgEvidence {
	e := r.fwd[org]
	if e == nil {
		e = &orgEvidence{}
		r.fwd[org] = e
	}
	return e
}

// expand turns candidate organizations into their participants.
func (r *run) expand() []*pairState {
	var out []*pairState
	for _, org := range slicesSortedKeys(r.fwd) {
		o := r.s.orgs[org]
		if o == nil {
			r.dropped["organization not in store"]++
			continue
		}
		for _, pid := range r.s.peopleOf[org] {
			out = append(out, &pairState{participant: r.s.people[pid], org: o, tie: tieKey(r.me.ID, pid)})
		}
	}
	return out
}

// filter applies the exclusions: own organization, already met or
// requested, declined, blocked, dismissed ("not interested"), and the event's who-may-meet-whom rules.
func (r *run) filter(cands []*pairState) []*pairState {
	filters := []struct {
		name string
		drop func(c *pairState) bool
	}{
		{"own organization", func(c *pairState) bool { return c.org.ID == r.myOrg.ID }},
		{"already met", func(c *pairState) bool { return r.s.met[pairKey(r.me.ID, c.participant.ID)] }},
		{"declined", func(c *pairState) bool { return r.s.declined[pairKey(r.me.ID, c.participant.ID)] }},
		{"blocked", func(c *pairState) bool {
			return slices.Contains(r.me.Blocked, c.participant.ID) || slices.Contains(c.participant.Blocked, r.me.ID)
		}},
		{"not interested", func(c *pairState) bool { return slices.Contains(r.me.Dismissed, c.participant.ID) }},
		{"already requested", func(c *pairState) bool { return r.s.requested[[2]string{r.me.ID, c.participant.ID}] }},
		{"event meeting rules", func(c *pairState) bool { return !r.s.event.MayMeet(r.me.Type, c.participant.Type) }},
	}
	return slices.DeleteFunc(cands, func(c *pairState) bool {
		for _, f := range filters {
			if f.drop(c) {
				r.dropped[f.name]++
				return true
			}
		}
		return false
	})
}

// rescoreCut scores the forward direction of every candidate and keeps the
// participants of the best Options.Rescore organizations (at least 2k), by
// forward score plus how well the requester's offers answer their requests.
func (r *run) rescoreCut(cands []*pairState, k int) []*pairState {
	pre := map[string]float64{}
	for _, c := range cands {
		if _, ok := pre[c.org.ID]; ok {
			continue
		}
		e := r.fwd[c.org.ID]
		d := r.direction(r.me, r.myOrg, c.participant, c.org, e)
		pre[c.org.ID] = d.Score
		if o := r.offers[c.org.ID]; o != nil {
			pre[c.org.ID] += scaled(o.score, o.best)
		}
	}
	orgs := slicesSortedKeys(pre)
	slices.SortStableFunc(orgs, func(a, b string) int { return cmp.Compare(pre[b], pre[a]) })
	keep := max(r.m.opts.Rescore, 2*k)
	if len(orgs) <= keep {
		return cands
	}
	kept := map[string]bool{}
	for _, o := range orgs[:keep] {
		kept[o] = true
	}
	return slices.DeleteFunc(cands, func(c *pairState) bool {
		if !kept[c.org.ID] {
			r.dropped["below the rescoring cut"]++
			return true
		}
		return false
	})
}

// score computes both directed scores and their harmonic mean.
func (r *run) score(c *pairState) error {
	fe := r.fwd[c.org.ID]
	c.fwd = r.direction(r.me, r.myOrg, c.participant, c.org, fe)
	c.bwd = r.direction(c.participant, c.org, r.me, r.myOrg, r.backward(c.org))
	if c.fwd.Score > 0 && c.bwd.Score > 0 {
		c.reciprocal = 2 * c.fwd.Score * c.bwd.Score / (c.fwd.Score + c.bwd.Score)
	}
	c.score = c.reciprocal
	return nil
}

// backward is the text evidence b -> a (a fits b), read off the
// requester's own searches: b's requests against a's offers is the relation
// the offers search measured from a's side, and profile similarity is
// symmetric. So no search runs per candidate, and each relation keeps the
// scale of the one query that measured it.
func (r *run) backward(b *profiles.Organization) *orgEvidence {
	e := &orgEvidence{}
	if o := r.offers[b.ID]; o != nil {
		e.need, e.needBest, e.needTerms = o.score, o.best, o.terms
	}
	if f := r.fwd[b.ID]; f != nil {
		e.profile, e.profileBest, e.profileTerms = f.profile, f.profileBest, f.profileTerms
	}
	return e
}

// direction computes s(a->b) with its explanation.
func (r *run) direction(a *profiles.Participant, ao *profiles.Organization, b *profiles.Participant, bo *profiles.Organization, e *orgEvidence) Direction {
	if e == nil {
		e = &orgEvidence{}
	}
	values := map[string]float64{
		FeatNeedText:       scaled(e.need, e.needBest),
		FeatProfileText:    scaled(e.profile, e.profileBest),
		FeatCodes:          codeOverlap(ao, bo, r.s),
		FeatKindPair:       r.w.KindLift[string(ao.Kind)][string(bo.Kind)],
		FeatPastPartner:    math.Log1p(float64(r.s.partners[ao.ID][bo.ID])),
		FeatPartnerPartner: math.Log1p(r.s.adamicAdar(ao.ID, bo.ID)),
		FeatPopularity:     math.Log1p(float64(len(bo.Projects))),
	}
	if slices.Contains(r.s.sought(ao.ID), bo.Kind) {
		values[FeatPartnerSought] = 1
	}
	if ao.Country == bo.Country {
		values[FeatSameCountry] = 1
	}
	values[FeatLanguage] = sharedLanguage(a, ao, b, bo)
	d := Direction{}
	z := r.w.Bias
	for _, name := range FeatureNames {
		v, w := values[name], r.w.Features[name]
		d.Features = append(d.Features, Contribution{Feature: name, Value: v, Weight: w, Contribution: v * w})
		z += v * w
	}
	d.Score = 1 / (1 + math.Exp(-z))
	d.Terms = map[string][]string{}
	if len(e.needTerms) > 0 {
		d.Terms["needs"] = e.needTerms
	}
	if len(e.profileTerms) > 0 {
		d.Terms["profile"] = e.profileTerms
	}
	return d
}

// capacity lowers partners whose inbound requests exceed their free slots
// and lifts under-requested ones, so that suggestions turn into meetings.
func (r *run) capacity(cands []*pairState) {
	if r.w.Capacity == 0 && r.w.Lift == 0 {
		return
	}
	for _, c := range cands {
		free := max(r.s.free[c.participant.ID], 0)
		demand := r.s.inbound[c.participant.ID]
		switch {
		case demand >= free:
			f := 1 / (1 + r.w.Capacity*float64(demand-free+1)/float64(max(free, 1)))
			c.score *= f
			c.notes = append(c.notes, fmt.Sprintf("capacity: %d requests received for %d free slots, score x%.2f", demand, free, f))
		case demand*2 < free:
			f := 1 + r.w.Lift
			c.score *= f
			c.notes = append(c.notes, fmt.Sprintf("capacity: under-requested (%d requests, %d free slots), score x%.2f", demand, free, f))
		}
	}
}

// perOrganization keeps at most Weights.PerOrganization suggestions per organization.
func (r *run) perOrganization(cands []*pairState) []*pairState {
	limit := r.w.PerOrganization
	if limit <= 0 {
		return cands
	}
	seen := map[string]int{}
	return slices.DeleteFunc(cands, func(c *pairState) bool {
		seen[c.org.ID]++
		if seen[c.org.ID] > limit {
			r.dropped["per-organization limit"]++
			return true
		}
		return false
	})
}

// codeOverlap scores shared technology codes (by depth of the shared
// prefix), NACE codes, sectors and keywords, in [0, 1].
func codeOverlap(a, b *profiles.Organization, s *snapshot) float64 {
	var best float64
	for _, x := range a.TechCodes {
		for _, y := range b.TechCodes {
			n := 0
			for n < len(x) && n < len(y) && x[n] == y[n] {
				n++
			}
			best = max(best, float64(n)/float64(max(len(x), len(y))))
		}
	}
	jac := func(x, y []string) float64 {
		if len(x) == 0 || len(y) == 0 {
			return 0
		}
		set := map[string]bool{}
		for _, v := range x {
			set[v] = true
		}
		inter := 0
		for _, v := range y {
			if set[v] {
				inter++
			}
		}
		return float64(inter) / float64(len(x)+len(y)-inter)
	}
	return (best + jac(a.NACECodes, b.NACECodes) + jac(a.Sectors, b.Sectors) + jac(a.Keywords, b.Keywords)) / 4
}

// sharedLanguage is 1 when the two sides share a language, 0 when both
// declare languages and share none, 0.5 when unknown.
func sharedLanguage(a *profiles.Participant, ao *profiles.Organization, b *profiles.Participant, bo *profiles.Organization) float64 {
	la, lb := a.Languages, b.Languages
	if len(la) == 0 {
		la = ao.Languages
	}
	if len(lb) == 0 {
		lb = bo.Languages
	}
	if len(la) == 0 || len(lb) == 0 {
		return 0.5
	}
	for _, l := range la {
		if slices.Contains(lb, l) {
			return 1
		}
	}
	return 0
}

func mergeWords(a, b []string) []string {
	for _, w := range b {
		if !slices.Contains(a, w) {
			a = append(a, w)
		}
	}
	return a
}

// tieKey orders equal scores by a fixed hash of the pair (a fixed seed).
func tieKey(a, b string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(a + "\x00" + b))
	return h.Sum64()
}

func slicesSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
