package matcher

import (
	"math"
	"strings"
	"sync"

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
	b := p.consortiumBase()
	mp := 1e-9
	for _, v := range proj {
		mp = max(mp, v)
	}
	nearKind, nearCtry := make([]float64, len(b.kind)), make([]float64, len(b.ctry))
	var wNear float64
	for pi, members := range p.projOrg {
		if len(members) == 0 || proj[pi] == 0 {
			continue
		}
		w := math.Pow(proj[pi]/mp, 5)
		share := 1 / float64(len(members))
		for _, m := range members {
			if k := p.kind[m]; k >= 0 {
				nearKind[k] += w * share
			}
			nearCtry[b.ci[m]] += w * share
		}
		wNear += w
	}
	lift := func(near, base float64) float64 {
		if wNear == 0 || b.projects == 0 {
			return 0
		}
		return math.Log((near/wNear + shareSmoothing) / (base/b.projects + shareSmoothing))
	}
	recentLike := p.recentPartnerLikeness(r)
	ml := relMax(recentLike, r)
	for c := range len(p.ids) {
		row := x[c*numFeatures : (c+1)*numFeatures]
		if k := p.kind[c]; k >= 0 {
			row[fNearKind] = lift(nearKind[k], b.kind[k])
		}
		row[fNearCountry] = lift(nearCtry[b.ci[c]], b.ctry[b.ci[c]])
		row[fFreshPart] = b.fresh[c]
		row[fRecentLike] = recentLike[c] / ml
		if sameCity(p.orgs[r], p.orgs[c]) {
			row[fSameCity] = 1
		}
	}
}

// consortiumStatic is what the consortium features take from the pool
// alone, computed on first use: the share of project places per kind and
// per country (numbered: ci per organization), the number of projects
// with members, and fresh_partners per organization.
type consortiumStatic struct {
	once       sync.Once
	kind, ctry []float64
	ci         []int32
	projects   float64
	fresh      []float64
}

// consortiumBase returns the pool's consortiumStatic.
func (p *Pool) consortiumBase() *consortiumStatic {
	b := &p.cons
	b.once.Do(func() {
		var nctry int
		nctry, b.ci = p.countryIndex()
		b.kind, b.ctry = make([]float64, len(profiles.OrgKinds)), make([]float64, nctry)
		for _, members := range p.projOrg {
			if len(members) == 0 {
				continue
			}
			share := 1 / float64(len(members))
			for _, m := range members {
				if k := p.kind[m]; k >= 0 {
					b.kind[k] += share
				}
				b.ctry[b.ci[m]] += share
			}
			b.projects++
		}
		b.fresh = make([]float64, len(p.ids))
		for c := range p.ids {
			places := 0
			for _, pi := range p.projOf[c] {
				places += len(p.projOrg[pi]) - 1
			}
			if places > 0 {
				b.fresh[c] = float64(len(p.nbr[c])) / float64(places)
			}
		}
	})
	return b
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
