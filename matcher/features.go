package matcher

import (
	"cmp"
	"math"
	"slices"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// Pair features for a requester r (what r looks for: the query, its
// requests or else its profile) and a candidate organization c. The text
// features are on the query's own scale (score over the best score the
// query reaches in the event), so a fitted weight means the same in any event.
const (
	fText           = iota // BM25 of the query against c's profile and track record, over the best
	fTextLog               // log(1 + BM25)
	fShort                 // BM25 of the query against c's titles, keywords and sectors, over the best
	fMLT                   // BM25 of r's top tf-idf terms against c's text, over the best
	fPast                  // log(1 + projects r and c shared)
	fFoF                   // log(1 + Adamic-Adar over common past partners)
	fPop                   // log(1 + c's projects)
	fRecent                // log(1 + c's projects in the year before the event)
	fRecency               // exp(-years since c's last project)
	fCoord                 // log(1 + projects c coordinated)
	fKind                  // learned lift of the (kind r, kind c) pairing
	fCountry               // learned lift of the (country r, country c) pairing
	fSameCountry           // 1 when r and c are in the same country
	fTextPop               // fText * fPop
	fProjMax               // best BM25 of the query against one of c's projects, over the best project
	fProjSum               // log(1 + sum over c's projects of their squared relative BM25)
	fTextRank              // -log(1 + rank of c by fText)
	fPastRel               // best relative BM25 of the query against a project r and c shared
	fPastRecent            // log(1 + projects r and c shared in the last year)
	fPastText              // fText when r and c are past partners, else 0
	fKNN                   // sum over c's projects of (relative BM25)^5: nearest-project votes
	fKNNSharp              // the same with power 10
	fKNNLog                // log(0.001 + fKNN)
	fKNNSharpLog           // log(0.001 + fKNNSharp)
	fTextRaw               // raw BM25 of the query against c's text
	fKNNNet                // log(0.001 + votes of projects with r or one of r's partners)
	fOpp                   // BM25 of the query against c's opportunities (every kind), over the best
	fCodes                 // shared technology codes (hierarchical), NACE codes, sectors, keywords (profiles and track records)
	fSought                // c's kind is among the kinds r's requests seek
	fLanguage              // r and c share a language (0.5 unknown)
	fTextQTF               // BM25 with query term frequencies, over the best
	fKNNPartners           // log(0.001 + nearest-project votes of c's past partners)
	fTextPartners          // best fText among c's past partners
	fKNNRecent             // log(0.001 + nearest-project votes weighted by the projects' recency)
	fKNNRank               // -log(1 + rank of c by nearest-project votes)
	fDegree                // log(1 + c's distinct past partners)
	fTextKind              // fText * fKind
	fPartnerLike           // BM25 of the top terms of r's past partners against c's text, over the best
	fPartnerCountry        // share of r's past partners in c's country
	fPartnerKind           // share of r's past partners of c's kind
	fLikeYou               // best profile similarity to r among c's past partners (r left out)
	fLikeYouSum            // log(1 + sum of the profile similarities to r of c's past partners)
	fNearKind              // lift of c's kind among the members of the projects closest to the query (consortium.go)
	fNearCountry           // lift of c's country among the members of the projects closest to the query
	fFreshPart             // c's distinct past partners over its partner places
	fRecentLike            // partner_likeness with r's partners weighted by the recency of the shared projects
	fSameCity              // 1 when r and c are in the same city
	fSemText               // latent-space cosine of the query and c's texts, over the best (semantic.go)
	fSemTextRaw            // latent-space cosine of the query and c's texts
	fSemProjBest           // best latent-space cosine of the query and one of c's projects, over the best project
	fSemKNN                // log(0.001 + latent-space nearest-project votes)
	fSemProfile            // latent-space cosine of r's and c's texts
	numFeatures
)

// Feature names, the keys of Weights.Features.
const (
	FeatText          = "text"
	FeatProfile       = "profile_similarity"
	FeatPastPartner   = "past_partner"
	FeatPartnerOf     = "partner_of_partner"
	FeatKindPair      = "kind_pair"
	FeatSameCountry   = "same_country"
	FeatProjectBest   = "project_best"
	FeatProjectKNN    = "project_knn"
	FeatOpportunities = "opportunity_text"
	FeatCodes         = "codes"
	FeatPartnerSought = "partner_sought"
	FeatLanguage      = "shared_language"
	FeatSameCity      = "same_city"
	FeatSemantic      = "semantic"
)

// FeatureNames name the features, in the order of a feature row.
var FeatureNames = []string{
	FeatText, "text_log", "text_short", FeatProfile, FeatPastPartner, FeatPartnerOf,
	"popularity", "recent_activity", "recency", "coordinations", FeatKindPair, "country_pair",
	FeatSameCountry, "text_x_popularity", FeatProjectBest, "project_sum", "text_rank",
	"past_partner_relevance", "past_partner_recent", "past_partner_text",
	FeatProjectKNN, "project_knn_sharp", "project_knn_log", "project_knn_sharp_log", "text_raw", "project_knn_network",
	FeatOpportunities, FeatCodes, FeatPartnerSought, FeatLanguage,
	"text_qtf", "project_knn_partners", "text_partners", "project_knn_recent", "project_knn_rank", "degree", "text_x_kind",
	"partner_likeness", "partner_country", "partner_kind", "partners_like_you", "partners_like_you_sum",
	"near_kind", "near_country", "fresh_partners", "recent_partner_likeness", FeatSameCity,
	FeatSemantic, "semantic_raw", "semantic_project_best", "semantic_knn", "semantic_profile",
}

// HandFeatures are the features history consortia cannot fit (they carry
// no opportunities or languages); their weights are set by hand. Codes
// are fitted: the track records give organizations keywords and sectors.
var HandFeatures = map[string]float64{FeatOpportunities: 2, FeatPartnerSought: 0.5, FeatLanguage: 0.3}

// mltTerms is how many of the requester's terms profile similarity uses.
const mltTerms = 40

// firstStage is how many organizations, best by text relevance,
// nearest-project votes and relevance of shared projects, the fitted model
// ranks; the others are not suggested.
const firstStage = 600

// baseScore is the first stage's score of a feature row.
func baseScore(row []float64) float64 { return row[fText] + row[fKNN] + row[fPastRel] }

// eventSide is what an event adds to the pool for one ranking: the
// organizations' opportunities as a BM25 index (one document per
// organization) and the pair features that need the event (kinds sought,
// languages). Nil for pools of history alone.
type eventSide struct {
	opps    *bm25.Index
	oppDocs *bm25.Docs
	sought  func(r, c int) bool
	lang    func(r, c int) float64
}

// relMax is the best of s over everyone but r (at least a tiny positive number).
func relMax(s []float64, r int) float64 {
	m := 1e-9
	for i, v := range s {
		if i != r && v > m {
			m = v
		}
	}
	return m
}

// featurize returns the feature rows (n x numFeatures, row-major) of every
// organization for requester r and query q (r's own row is filled too),
// and the relevance of each track-record project to the query.
func (p *Pool) featurize(q bm25.Bag, r int, ev *eventSide) (x, proj []float64) {
	n := len(p.ids)
	text, short, mlt, opp := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	p.text.Score(q, false, text)
	qtf := make([]float64, n)
	p.text.Score(q, true, qtf)
	p.short.Score(q, false, short)
	p.text.Score(p.topTerms(r, mltTerms), false, mlt)
	if ev != nil && ev.opps != nil {
		ev.opps.Score(q, false, opp)
	}
	mt, ms, mm, mo := relMax(text, r), relMax(short, r), relMax(mlt, r), relMax(opp, r)
	proj = make([]float64, len(p.projOrg))
	p.projIdx.Score(q, false, proj)
	mp := 1e-9
	for _, v := range proj {
		mp = max(mp, v)
	}
	pmax, psum, knnNet, knn5, knn10 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	pastRel, pastRecent, knnRecent := make([]float64, n), make([]float64, n), make([]float64, n)
	yearAgo := p.at.AddDate(-1, 0, 0)
	for pi, members := range p.projOrg {
		rel := proj[pi] / mp
		withR := slices.Contains(members, int32(r))
		near := withR
		for _, c := range members {
			if p.nbr[r][c] > 0 {
				near = true
				break
			}
		}
		r5 := math.Pow(rel, 5)
		r10 := r5 * r5
		decay := math.Exp(-p.at.Sub(p.projStart[pi]).Hours() / (24 * 365))
		for _, c := range members {
			pmax[c] = max(pmax[c], rel)
			psum[c] += rel * rel
			knn5[c] += r5
			knn10[c] += r10
			knnRecent[c] += r5 * decay
			if near {
				knnNet[c] += r5
			}
			if withR {
				pastRel[c] = max(pastRel[c], rel)
				if !p.projStart[pi].Before(yearAgo) {
					pastRecent[c]++
				}
			}
		}
	}
	textRank := make([]float64, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(text[b], text[a]) })
	for rk, c := range order {
		textRank[c] = -math.Log1p(float64(rk))
	}
	knnRank := make([]float64, n)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(knn5[b], knn5[a]) })
	for rk, c := range order {
		knnRank[c] = -math.Log1p(float64(rk))
	}
	fof := make([]float64, n)
	for z := range p.nbr[r] {
		if d := float64(len(p.nbr[z])); d >= 2 {
			inc := 1 / math.Log(d)
			for c := range p.nbr[z] {
				fof[c] += inc
			}
		}
	}
	mq := relMax(qtf, r)
	like, ctryShare, kindShare := p.partnerProfile(r)
	ml := relMax(like, r)
	knnPart, textPart, likeYou, likeYouSum := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for c := range n {
		for z := range p.nbr[c] {
			knnPart[c] += knn5[z]
			textPart[c] = max(textPart[c], text[z]/mt)
			if int(z) != r {
				likeYou[c] = max(likeYou[c], mlt[z]/mm)
				likeYouSum[c] += mlt[z] / mm
			}
		}
	}
	codes := codesOf(p.orgs[r])
	x = make([]float64, n*numFeatures)
	for c := range n {
		row := x[c*numFeatures : (c+1)*numFeatures]
		row[fText] = text[c] / mt
		row[fTextLog] = math.Log1p(text[c])
		row[fShort] = short[c] / ms
		row[fMLT] = mlt[c] / mm
		row[fPast] = math.Log1p(float64(p.nbr[r][int32(c)]))
		row[fFoF] = math.Log1p(fof[c])
		row[fPop] = math.Log1p(p.nproj[c])
		row[fRecent] = math.Log1p(p.recent[c])
		if !p.last[c].IsZero() {
			row[fRecency] = math.Exp(-p.at.Sub(p.last[c]).Hours() / (24 * 365))
		}
		row[fCoord] = math.Log1p(p.ncoord[c])
		row[fKind] = p.kindPair(r, c)
		row[fCountry] = p.countryPair(p.country[r], p.country[c])
		if p.country[r] == p.country[c] {
			row[fSameCountry] = 1
		}
		row[fTextPop] = row[fText] * row[fPop]
		row[fProjMax] = pmax[c]
		row[fProjSum] = math.Log1p(psum[c])
		row[fTextRank] = textRank[c]
		row[fPastRel] = pastRel[c]
		row[fPastRecent] = math.Log1p(pastRecent[c])
		if row[fPast] > 0 {
			row[fPastText] = row[fText]
		}
		row[fKNN] = knn5[c]
		row[fKNNSharp] = knn10[c]
		row[fKNNLog] = math.Log(0.001 + knn5[c])
		row[fKNNSharpLog] = math.Log(0.001 + knn10[c])
		row[fTextRaw] = text[c]
		row[fKNNNet] = math.Log(0.001 + knnNet[c])
		row[fOpp] = opp[c] / mo
		row[fTextQTF] = qtf[c] / mq
		row[fKNNPartners] = math.Log(0.001 + knnPart[c])
		row[fTextPartners] = textPart[c]
		row[fKNNRecent] = math.Log(0.001 + knnRecent[c])
		row[fKNNRank] = knnRank[c]
		row[fDegree] = math.Log1p(float64(len(p.nbr[c])))
		row[fTextKind] = row[fText] * row[fKind]
		row[fPartnerLike] = like[c] / ml
		row[fPartnerCountry] = ctryShare[p.country[c]]
		if p.kind[c] >= 0 {
			row[fPartnerKind] = kindShare[p.kind[c]]
		}
		row[fLikeYou] = likeYou[c]
		row[fLikeYouSum] = math.Log1p(likeYouSum[c])
		row[fCodes] = codes(p.orgs[c])
		if ev != nil {
			if ev.sought(r, c) {
				row[fSought] = 1
			}
			row[fLanguage] = ev.lang(r, c)
		}
	}
	p.consortiumFeatures(x, proj, r)
	p.addSemantic(x, q, r)
	return x, proj
}

// partnerProfile describes whom r works with: the BM25 of its past
// partners' top terms (partnerTerms of each, the heaviest overall) against
// every organization, and the shares of its partners per country and per
// organization kind.
func (p *Pool) partnerProfile(r int) (like []float64, country map[string]float64, kind map[int]float64) {
	like = make([]float64, len(p.ids))
	country, kind = map[string]float64{}, map[int]float64{}
	if len(p.nbr[r]) == 0 {
		return like, country, kind
	}
	q := bm25.Bag{}
	var total float64
	for z, n := range p.nbr[r] {
		for _, t := range p.partnerTopTerms(int(z)) {
			q[t] += float64(n)
		}
		country[p.country[z]] += float64(n)
		kind[p.kind[z]] += float64(n)
		total += float64(n)
	}
	for k := range country {
		country[k] /= total
	}
	for k := range kind {
		kind[k] /= total
	}
	p.text.Score(heaviest(q, mltTerms), false, like)
	return like, country, kind
}

// partnerTerms is how many top terms of each past partner the partner profile takes.
const partnerTerms = 20

// partnerTopTerms returns organization z's partnerTerms top terms,
// computed once per pool (concurrent readers may both compute them; they
// agree).
func (p *Pool) partnerTopTerms(z int) []int32 {
	if ts := p.topOf[z].Load(); ts != nil {
		return *ts
	}
	var ts []int32
	for t := range p.topTerms(z, partnerTerms) {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	p.topOf[z].Store(&ts)
	return ts
}

// heaviest keeps the k heaviest terms of a bag, each with weight 1.
func heaviest(q bm25.Bag, k int) bm25.Bag {
	type tw struct {
		t int32
		w float64
	}
	all := make([]tw, 0, len(q))
	for t, w := range q {
		all = append(all, tw{t, w})
	}
	slices.SortFunc(all, func(a, b tw) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.t, b.t)) })
	out := bm25.Bag{}
	for _, e := range all[:min(k, len(all))] {
		out[e.t] = 1
	}
	return out
}

// firstStageOf returns the organizations the fitted model ranks for
// requester r: the best firstStage by baseScore, best first, r left out.
// When r hides its known partners they are left out too, so that the
// places go to organizations r may be shown.
func (p *Pool) firstStageOf(x []float64, r int, hideKnown bool) []int {
	n := len(p.ids)
	base := make([]float64, n)
	out := make([]int, 0, n)
	for c := range n {
		base[c] = baseScore(x[c*numFeatures : (c+1)*numFeatures])
		if c != r && (!hideKnown || p.nbr[r][int32(c)] == 0) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(base[b], base[a]) })
	return out[:min(firstStage, len(out))]
}

// Candidate is one organization of a first stage with its feature row.
type Candidate struct {
	OrgID string
	Row   []float64 // in the order of FeatureNames
}

// Candidates returns the first stage for a requester organization and a
// query text (language "" to detect it), with feature rows computed by the
// code that serves suggestions; hideKnown leaves the requester's known
// partners out of it, as for a participant who hides them. The evaluation
// fits weights on them.
func (p *Pool) Candidates(requesterOrg, query, lang string, hideKnown bool) []Candidate {
	return p.CandidateStages(requesterOrg, query, lang, hideKnown)[0]
}

// CandidateStages is Candidates for each of hideKnown, from one
// computation of the feature rows.
func (p *Pool) CandidateStages(requesterOrg, query, lang string, hideKnown ...bool) [][]Candidate {
	out := make([][]Candidate, len(hideKnown))
	r, ok := p.idx[requesterOrg]
	if !ok {
		return out
	}
	q, _ := p.query(nil, query, lang)
	x, _ := p.featurize(q, r, nil)
	for i, hide := range hideKnown {
		for _, c := range p.firstStageOf(x, r, hide) {
			out[i] = append(out[i], Candidate{OrgID: p.ids[c], Row: x[c*numFeatures : (c+1)*numFeatures]})
		}
	}
	return out
}

// PastPartnerFeature is the index of past_partner in a feature row.
const PastPartnerFeature = fPast
