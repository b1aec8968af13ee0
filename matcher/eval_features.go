package matcher

import (
	"cmp"
	"math"
	"slices"
)

// Pair features of the evaluation, for requester r, candidate c and the
// query text. Names are shared with the event matcher's features where the
// meaning is the same, so fitted weights carry over.
const (
	fText         = iota // BM25 of the query against c's profile text, over the query's best
	fTextLog             // log(1 + BM25)
	fShort               // BM25 of the query against c's titles, keywords and euroSciVoc, over the best
	fMLT                 // BM25 of r's top tf-idf profile terms against c's profile, over the best
	fPast                // log(1 + projects r and c shared)
	fFoF                 // log(1 + Adamic-Adar over common partners)
	fPop                 // log(1 + c's projects)
	fRecent              // log(1 + c's projects in the last year)
	fRecency             // exp(-years since c's last project)
	fCoord               // log(1 + projects c coordinated)
	fKind                // learned lift of the (kind r, kind c) pairing
	fCountry             // learned lift of the (country r, country c) pairing
	fSameCountry         // 1 when r and c are in the same country
	fTextPop             // fText * fPop: text relevance of active organizations
	fProjMax             // best BM25 of the query against one of c's past projects, over the best project
	fProjSum             // log(1 + sum over c's past projects of their squared relative BM25)
	fTextRank            // -log(1 + rank of c by fText)
	fPastRel             // best relative BM25 of the query against a project r and c shared
	fPastRecent          // log(1 + projects r and c shared in the last year)
	fPastText            // fText when r and c are past partners, else 0
	fProjKNN             // sum over c's past projects of (relative BM25)^5: a nearest-projects vote
	fProjKNN10           // the same with power 10, sharper
	fProjKNNLog          // log(0.001 + fProjKNN)
	fProjKNN10Log        // log(0.001 + fProjKNN10)
	fTextRaw             // raw BM25 of the query against c's profile text
	fBigram              // BM25 of the query's word pairs against c's profile word pairs, over the best
	fKNNNet              // nearest-project votes from projects with r or one of r's partners
	numEvalFeatures
)

// evalFeatureNames name the evaluation features (the keys of Weights).
var evalFeatureNames = [numEvalFeatures]string{
	"text", "text_log", "text_short", "profile_similarity", "past_partner", "partner_of_partner",
	"popularity", "recent_activity", "recency", "coordinations", "kind_pair", "country_pair",
	"same_country", "text_x_popularity", "project_best", "project_sum", "text_rank",
	"past_partner_relevance", "past_partner_recent", "past_partner_text",
	"project_knn", "project_knn_sharp", "project_knn_log", "project_knn_sharp_log", "text_raw", "text_bigram", "project_knn_network",
}

// mltTerms is how many of the requester's profile terms the profile-similarity feature uses.
const mltTerms = 40

// featurize fills x (len(pool) * numEvalFeatures, row-major) for one query.
// The requester's own row is filled too; callers skip it.
func (w *world) featurize(q, qbi bag, r int, x []float64) {
	n := len(w.pool)
	text := make([]float64, n)
	short := make([]float64, n)
	mlt := make([]float64, n)
	w.text.score(q, false, text)
	w.short.score(q, false, short)
	w.text.score(w.topTerms(r, mltTerms), false, mlt)
	maxOf := func(s []float64) float64 {
		m := 1e-9
		for i, v := range s {
			if i != r && v > m {
				m = v
			}
		}
		return m
	}
	bi := make([]float64, n)
	w.bigram.score(qbi, false, bi)
	mt, ms, mm, mb := maxOf(text), maxOf(short), maxOf(mlt), maxOf(bi)
	proj := make([]float64, len(w.projOrg))
	w.projIdx.score(q, false, proj)
	mp := 1e-9
	for _, v := range proj {
		mp = max(mp, v)
	}
	pmax := make([]float64, n)
	psum := make([]float64, n)
	knnNet := make([]float64, n)
	knn5 := make([]float64, n)
	knn10 := make([]float64, n)
	pastRel := make([]float64, n)
	pastRecent := make([]float64, n)
	yearAgo := w.at.AddDate(-1, 0, 0)
	for pi, members := range w.projOrg {
		rel := proj[pi] / mp
		withR := slices.Contains(members, int32(r))
		near := withR
		for _, c := range members {
			if w.nbr[r][c] > 0 {
				near = true
				break
			}
		}
		for _, c := range members {
			pmax[c] = max(pmax[c], rel)
			psum[c] += rel * rel
			knn5[c] += math.Pow(rel, 5)
			knn10[c] += math.Pow(rel, 10)
			if near {
				knnNet[c] += math.Pow(rel, 5)
			}
			if withR {
				pastRel[c] = max(pastRel[c], rel)
				if !w.projStart[pi].Before(yearAgo) {
					pastRecent[c]++
				}
			}
		}
	}
	textRank := make([]float64, n)
	{
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(text[b], text[a]) })
		for rk, c := range order {
			textRank[c] = -math.Log1p(float64(rk))
		}
	}
	fof := make([]float64, n)
	for z := range w.nbr[r] {
		d := float64(len(w.nbr[z]))
		if d < 2 {
			continue
		}
		inc := 1 / math.Log(d)
		for c := range w.nbr[z] {
			fof[c] += inc
		}
	}
	for c := range n {
		row := x[c*numEvalFeatures : (c+1)*numEvalFeatures]
		row[fText] = text[c] / mt
		row[fTextLog] = math.Log1p(text[c])
		row[fShort] = short[c] / ms
		row[fMLT] = mlt[c] / mm
		row[fPast] = math.Log1p(float64(w.nbr[r][int32(c)]))
		row[fFoF] = math.Log1p(fof[c])
		row[fPop] = math.Log1p(w.nproj[c])
		row[fRecent] = math.Log1p(w.recent[c])
		row[fRecency] = math.Exp(-w.at.Sub(w.last[c]).Hours() / (24 * 365))
		row[fCoord] = math.Log1p(w.ncoord[c])
		row[fKind] = w.kindLift[w.kind[r]][w.kind[c]]
		row[fCountry] = w.countryPair(w.country[r], w.country[c])
		row[fSameCountry] = 0
		if w.country[r] == w.country[c] {
			row[fSameCountry] = 1
		}
		row[fTextPop] = row[fText] * row[fPop]
		row[fProjMax] = pmax[c]
		row[fProjSum] = math.Log1p(psum[c])
		row[fTextRank] = textRank[c]
		row[fPastRel] = pastRel[c]
		row[fPastRecent] = math.Log1p(pastRecent[c])
		row[fProjKNN] = knn5[c]
		row[fProjKNN10] = knn10[c]
		row[fProjKNNLog] = math.Log(0.001 + knn5[c])
		row[fProjKNN10Log] = math.Log(0.001 + knn10[c])
		row[fTextRaw] = text[c]
		row[fBigram] = bi[c] / mb
		row[fKNNNet] = math.Log(0.001 + knnNet[c])
		row[fPastText] = 0
		if row[fPast] > 0 {
			row[fPastText] = row[fText]
		}
	}
}

// topTerms returns the k terms of org r's profile with the highest tf-idf, each once.
func (w *world) topTerms(r, k int) bag {
	type tw struct {
		t int32
		w float64
	}
	n := float64(len(w.docs))
	var all []tw
	for t, f := range w.docs[r] {
		all = append(all, tw{t, math.Log1p(f) * math.Log(n/float64(w.df[t]))})
	}
	slices.SortFunc(all, func(a, b tw) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.t, b.t)) })
	out := bag{}
	for i := 0; i < len(all) && i < k; i++ {
		out[all[i].t] = 1
	}
	return out
}

// rerankDepth is how many candidates the first stage passes to the fitted model.
const rerankDepth = 600

// baseScore is the first stage's score of a candidate row: text relevance,
// nearest-project votes and relevance of shared past projects.
func baseScore(row []float64) float64 {
	return row[fText] + row[fProjKNN] + row[fPastRel]
}

// candidates returns the first stage's best rerankDepth candidates for
// requester r, best first, from the featurized rows x.
func (w *world) candidates(x []float64, r int) []int {
	n := len(w.pool)
	base := make([]float64, n)
	out := make([]int, 0, n)
	for c := range n {
		base[c] = baseScore(x[c*numEvalFeatures : (c+1)*numEvalFeatures])
		if c != r {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(base[b], base[a]) })
	return out[:min(rerankDepth, len(out))]
}
