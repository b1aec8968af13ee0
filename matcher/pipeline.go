package matcher

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
	"github.com/matchgrid/matchgrid/profiles"
)

// The ranking is a chain of steps: the first stage takes the best
// organizations of the whole event by text relevance, nearest track-record
// projects and relevance of shared projects; filters drop participants who
// may not be suggested (and count why); the fitted model scores the rest;
// the candidate's own requests lift the score when the requester answers
// them; capacity adjusts it; one organization takes at most
// PerOrganization places; the explanations are built for the shown ones.

// pairState is one candidate participant in the chain.
type pairState struct {
	participant *profiles.Participant
	org         int // pool index
	prob        float64
	back        float64 // how well the requester answers the candidate's requests
	reciprocal  float64
	score       float64
	notes       []string
	tie         uint64
}

// run holds one participant's ranking.
type run struct {
	s       *snapshot
	em      *eventModel
	w       *Weights
	mdl     *model
	me      *profiles.Participant
	myOrg   *profiles.Organization
	r       int // the requester's pool index
	q       bm25.Bag
	qWords  map[int32]string
	first   *stage // the first stage with its feature rows (stages.go)
	hide    bool   // hide known partners
	dropped map[string]int
}

func (m *Matcher) computeRank(s *snapshot, participantID string, k int, hide bool) (*Ranking, error) {
	me := s.people[participantID]
	if me == nil {
		return nil, fmt.Errorf("matcher: participant %q in event %q: %w", participantID, s.event.ID, ErrNotFound)
	}
	em, err := m.eventModel(s)
	if err != nil {
		return nil, err
	}
	w := m.eventWeights(s.event)
	r := &run{s: s, em: em, w: w, mdl: w.model(), me: me, myOrg: s.orgs[me.OrganizationID], hide: hide || me.HideKnownPartners,
		dropped: map[string]int{}}
	if r.myOrg == nil {
		return nil, fmt.Errorf("matcher: organization %q of participant %q: %w", me.OrganizationID, me.ID, ErrNotFound)
	}
	r.r = em.pool.idx[r.myOrg.ID]
	r.q, r.qWords = em.queryOf(r.r)
	r.first = em.firstStage(stageKey{r.r, r.hide}, r.q)
	cands := r.filter(r.expand(r.first.orgs))
	considered := len(cands)
	for _, c := range cands {
		c.prob = r.mdl.prob(r.row(c.org))
	}
	r.reciprocal(cands, k)
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
		out.Suggestions = append(out.Suggestions, r.suggestion(c, cands[0].score))
	}
	return out, nil
}

// row is the feature row of organization c, one of the first stage's.
func (r *run) row(c int) []float64 { return r.first.row(c) }

// expand turns first-stage organizations into their participants.
func (r *run) expand(orgs []int) []*pairState {
	var out []*pairState
	for _, c := range orgs {
		for _, pid := range r.s.peopleOf[r.em.pool.ids[c]] {
			out = append(out, &pairState{participant: r.s.people[pid], org: c, tie: tieKey(r.me.ID, pid)})
		}
	}
	return out
}

// filter applies the exclusions: own organization, corporate group,
// already met or requested, declined, blocked, the event's who-may-meet-whom
// rules, dismissed ("not interested"), and known partners when the
// participant hides them.
func (r *run) filter(cands []*pairState) []*pairState {
	p := r.em.pool
	filters := []struct {
		name string
		drop func(c *pairState) bool
	}{
		{"own organization", func(c *pairState) bool { return c.org == r.r }},
		{"no text evidence", func(c *pairState) bool {
			row := r.row(c.org)
			return baseScore(row) == 0 && row[fMLT] == 0 && row[fOpp] == 0
		}},
		{"same corporate group", func(c *pairState) bool {
			return !r.w.SameGroup && p.group[r.r] != "" && p.group[c.org] == p.group[r.r]
		}},
		{"already met", func(c *pairState) bool { return r.s.met[pairKey(r.me.ID, c.participant.ID)] }},
		{"declined", func(c *pairState) bool { return r.s.declined[pairKey(r.me.ID, c.participant.ID)] }},
		{"not interested", func(c *pairState) bool { return slices.Contains(r.me.Dismissed, c.participant.ID) }},
		{"blocked", func(c *pairState) bool {
			return slices.Contains(r.me.Blocked, c.participant.ID) || slices.Contains(c.participant.Blocked, r.me.ID)
		}},
		{"already requested", func(c *pairState) bool { return r.s.requested[[2]string{r.me.ID, c.participant.ID}] }},
		{"event meeting rules", func(c *pairState) bool { return !r.s.event.MayMeet(r.me.Type, c.participant.Type) }},
		{"known partner (hidden)", func(c *pairState) bool { return r.hide && p.nbr[r.r][int32(c.org)] > 0 }},
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

// reciprocal lifts candidates whose requests the requester answers, among
// the best 3k by the forward fit (their requests are searched against the
// whole event, so the cost is bounded).
func (r *run) reciprocal(cands []*pairState, k int) {
	for _, c := range cands {
		c.reciprocal, c.score = c.prob, c.prob
	}
	if r.w.Reciprocal == 0 {
		return
	}
	order := slices.Clone(cands)
	slices.SortFunc(order, func(a, b *pairState) int { return cmp.Compare(b.prob, a.prob) })
	done := map[int]float64{}
	for _, c := range order[:min(len(order), 3*k)] {
		back, ok := done[c.org]
		if !ok {
			back = r.em.answers(c.org, r.r)
			done[c.org] = back
		}
		c.back = back
		c.reciprocal = c.prob * (1 + r.w.Reciprocal*back)
		c.score = c.reciprocal
	}
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
	seen := map[int]int{}
	return slices.DeleteFunc(cands, func(c *pairState) bool {
		seen[c.org]++
		if seen[c.org] > limit {
			r.dropped["per-organization limit"]++
			return true
		}
		return false
	})
}

// sharedLanguage is 1 when two organizations share a language, 0 when
// both declare languages and share none, 0.5 when unknown.
func sharedLanguage(a, b *profiles.Organization) float64 {
	if len(a.Languages) == 0 || len(b.Languages) == 0 {
		return 0.5
	}
	for _, l := range a.Languages {
		if slices.Contains(b.Languages, l) {
			return 1
		}
	}
	return 0
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

// sigmoid maps a real number into (0, 1).
func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
