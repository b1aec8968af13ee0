package matcher

import (
	"math"
	"strings"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
	"github.com/matchgrid/matchgrid/profiles"
)

// shareSmoothing keeps the lifts of rare kinds and countries finite.
const shareSmoothing = 0.01

// consortiumFeatures fills the features about who the consortia of
// projects close to the query take in and whom the requester has worked
// with lately, for requester r given proj, the relevance of every
// track-record project to the query:
//   - near_kind and near_country: how much more often c's kind and
//     country appear among the members of the projects closest to the
//     query (weighted by (relative relevance)^5, as nearest-project votes)
//     than among all projects' members (log lift; each project's members
//     share one vote);
//   - fresh_partners: c's distinct past partners over its partner places
//     (1 when every project brought new partners, low for a closed club);
//   - same_city: 1 when r and c are in the same city (of one country);
//   - recent_partner_likeness: like partner_likeness, with r's partners'
//     terms weighted by how recent the projects shared with them are.
func (p *Pool) consortiumFeatures(x, proj []float64, r int) {
	n := len(p.ids)
	mp := 1e-9
	for _, v := range proj {
		mp = max(mp, v)
	}
	nk := len(profiles.OrgKinds)
	nearKind, baseKind := make([]float64, nk), make([]float64, nk)
	ctry, ci := p.countryIndex()
	nearCtry, baseCtry := make([]float64, ctry), make([]float64, ctry)
	var wNear, wBase float64
	for pi, members := range p.projOrg {
		if len(members) == 0 {
			continue
		}
		w := math.Pow(proj[pi]/mp, 5)
		share := 1 / float64(len(members))
		for _, m := range members {
			if k := p.kind[m]; k >= 0 {
				nearKind[k] += w * share
				baseKind[k] += share
			}
			nearCtry[ci[m]] += w * share
			baseCtry[ci[m]] += share
		}
		wNear += w
		wBase++
	}
	lift := func(near, base float64) float64 {
		if wNear == 0 || wBase == 0 {
			return 0
		}
		return math.Log((near/wNear + shareSmoothing) / (base/wBase + shareSmoothing))
	}
	recentLike := p.recentPartnerLikeness(r)
	ml := relMax(recentLike, r)
	for c := range n {
		row := x[c*numFeatures : (c+1)*numFeatures]
		if k := p.kind[c]; k >= 0 {
			row[fNearKind] = lift(nearKind[k], baseKind[k])
		}
		row[fNearCountry] = lift(nearCtry[ci[c]], baseCtry[ci[c]])
		places := 0
		for _, pi := range p.projOf[c] {
			places += len(p.projOrg[pi]) - 1
		}
		if places > 0 {
			row[fFreshPart] = float64(len(p.nbr[c])) / float64(places)
		}
		row[fRecentLike] = recentLike[c] / ml
		if sameCity(p.orgs[r], p.orgs[c]) {
			row[fSameCity] = 1
		}
	}
}

// recentPartnerLikeness is the BM25 of the top terms of r's past
// partners against every organization, each partner's terms weighted by
// exp(-years since the start of each project it shared with r).
func (p *Pool) recentPartnerLikeness(r int) []float64 {
	like := make([]float64, len(p.ids))
	q := bm25.Bag{}
	for _, pi := range p.projOf[r] {
		decay := math.Exp(-p.at.Sub(p.projStart[pi]).Hours() / (24 * 365))
		for _, z := range p.projOrg[pi] {
			if int(z) == r {
				continue
			}
			for _, t := range p.partnerTopTerms(int(z)) {
				q[t] += decay
			}
		}
	}
	if len(q) == 0 {
		return like
	}
	p.text.Score(heaviest(q, mltTerms), false, like)
	return like
}

// sameCity reports whether two organizations name the same city of the same country.
func sameCity(a, b *profiles.Organization) bool {
	ca, cb := strings.TrimSpace(a.City), strings.TrimSpace(b.City)
	return ca != "" && a.Country == b.Country && strings.EqualFold(ca, cb)
}

// countryIndex numbers the pool's countries: how many there are and the
// number of each organization's.
func (p *Pool) countryIndex() (int, []int32) {
	num := map[string]int32{}
	ci := make([]int32, len(p.ids))
	for c, k := range p.country {
		v, ok := num[k]
		if !ok {
			v = int32(len(num))
			num[k] = v
		}
		ci[c] = v
	}
	return len(num), ci
}
