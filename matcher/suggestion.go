package matcher

import (
	"math"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// suggestion builds the shown suggestion of a candidate, with its
// explanation both ways; best is the best suggestion's score.
func (r *run) suggestion(c *pairState, best float64) Suggestion {
	p := r.em.pool
	o := p.orgs[c.org]
	rel := 0.0
	if best > 0 {
		rel = c.score / best
	}
	sg := Suggestion{ParticipantID: c.participant.ID, OrganizationID: o.ID, Name: c.participant.Name(), Organization: o.Name,
		Score: c.score, Reciprocal: c.reciprocal, Fit: fitBand(rel), FitPercent: int(math.Round(100 * rel)),
		KnownPartner: p.shared(r.r, c.org), Notes: c.notes}
	sg.Known = knownSentence(sg.KnownPartner)
	d := r.first.explanation(shownKey{c.org, c.back}, func() [2]Direction { return [2]Direction{r.forward(c), r.backward(c)} })
	sg.Forward, sg.Backward = d[0], d[1]
	return sg
}

// matched returns the words of query q found in document doc of index ix,
// scored by their part in doc's BM25 score.
func matched(ix *bm25.Index, q bm25.Bag, doc int, d *bm25.Docs, words map[int32]string, source string) []scoredTerm {
	var out []scoredTerm
	for t, s := range ix.TermScores(q, doc, d) {
		if w := words[t]; w != "" {
			out = append(out, scoredTerm{term: t, word: w, source: source, score: s})
		}
	}
	return out
}

// forward explains how well candidate c fits what the requester looks for.
func (r *run) forward(c *pairState) Direction {
	p := r.em.pool
	row := r.row(c.org)
	w, _ := r.mdl.weightsOf(row)
	d := Direction{Score: c.prob}
	for i, name := range FeatureNames {
		d.Features = append(d.Features, Contribution{Feature: name, Value: row[i], Weight: w[i], Contribution: row[i] * w[i]})
	}
	_, hasNeeds := r.em.needs[r.r]
	var terms []scoredTerm
	if hasNeeds {
		terms = append(terms, matched(p.text, r.q, c.org, p.docs, r.qWords, "needs")...)
		if side := r.em.side; side.opps != nil {
			terms = append(terms, matched(side.opps, r.q, c.org, side.oppDocs, r.qWords, "needs")...)
		}
	}
	terms = append(terms, matched(p.text, p.profileQuery(r.r), c.org, p.docs, p.surface, "profile")...)
	d.Terms = p.topTermsBySource(terms, p.nameW[r.r], p.nameW[c.org])
	if ws := d.Terms["needs"]; len(ws) > 0 {
		d.say(Reason{Code: ReasonNeedsMatch, Words: ws})
	}
	if ws := d.Terms["profile"]; len(ws) > 0 {
		d.say(Reason{Code: ReasonSharedTopics, Words: ws})
	}
	if label := r.closestProject(c.org); label != "" {
		d.say(Reason{Code: ReasonCloseProject, Detail: label})
	}
	if closeInMeaning(row, w) {
		d.say(Reason{Code: ReasonCloseInMeaning})
	}
	if row[fOpp] >= 0.3 {
		d.say(Reason{Code: ReasonOpportunity})
	}
	if row[fSought] > 0 {
		d.say(Reason{Code: ReasonKindSought})
	}
	if row[fKind]*w[fKind] > 0.05 && r.first.setsApart(row, fKind) {
		d.say(Reason{Code: ReasonUsualKind, Detail: string(p.orgs[c.org].Kind)})
	}
	if row[fNearKind]*w[fNearKind] > 0.05 && r.first.setsApart(row, fNearKind) {
		d.say(Reason{Code: ReasonCloseKind, Detail: string(p.orgs[c.org].Kind)})
	}
	if row[fNearCountry]*w[fNearCountry] > 0.1 && r.first.setsApart(row, fNearCountry) {
		d.say(Reason{Code: ReasonCloseCountry})
	}
	if row[fPast] == 0 && row[fRecentLike] >= 0.5 && w[fRecentLike] > 0 {
		d.say(Reason{Code: ReasonRecentPartners})
	}
	if row[fPast] == 0 && row[fFreshPart] >= 0.8 && w[fFreshPart] > 0 {
		d.say(Reason{Code: ReasonNewPartners})
	}
	if row[fPast] == 0 && row[fFoF] > 0 {
		d.say(Reason{Code: ReasonCommonPartners})
	}
	if row[fSameCity] > 0 {
		d.say(Reason{Code: ReasonSameCity})
	} else if row[fSameCountry] > 0 {
		d.say(Reason{Code: ReasonSameCountry})
	}
	if len(d.Reasons) == 0 {
		d.say(Reason{Code: ReasonClosestOverall})
	}
	return d
}

// closestProject names the candidate's track-record project closest to the
// query, when it is among the close ones (stage.closest).
func (r *run) closestProject(c int) string { return r.first.closest[r.first.pos[c]] }

// backward explains how well the requester fits what candidate c looks
// for: c's requests against the requester's texts, or, when c posted no
// request, how close the two profiles are.
func (r *run) backward(c *pairState) Direction {
	p := r.em.pool
	// Features: the evidence this direction reads (organizer diagnostics).
	d := Direction{Features: []Contribution{
		{Feature: "answers_their_requests", Value: c.back, Weight: r.w.Reciprocal, Contribution: c.back * r.w.Reciprocal},
		{Feature: FeatProfile, Value: r.row(c.org)[fMLT]},
	}}
	names := []map[string]bool{p.nameW[r.r], p.nameW[c.org]}
	if q, ok := r.em.needs[c.org]; ok && len(q.terms) > 0 {
		d.Score = r.em.answers(c.org, r.r)
		bag, words := q.bag(), q.words(p)
		terms := matched(p.text, bag, r.r, p.docs, words, "needs")
		if side := r.em.side; side.opps != nil {
			terms = append(terms, matched(side.opps, bag, r.r, side.oppDocs, words, "needs")...)
		}
		d.Terms = p.topTermsBySource(terms, names...)
		if ws := d.Terms["needs"]; len(ws) > 0 {
			d.say(Reason{Code: ReasonAnswerTheirNeeds, Words: ws})
		}
		return d
	}
	d.Score = r.row(c.org)[fMLT]
	d.Terms = p.topTermsBySource(matched(p.text, p.profileQuery(c.org), r.r, p.docs, p.surface, "profile"), names...)
	if ws := d.Terms["profile"]; len(ws) > 0 {
		d.say(Reason{Code: ReasonTheirTopics, Words: ws})
	}
	return d
}
