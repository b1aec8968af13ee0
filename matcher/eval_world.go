package matcher

import (
	"math"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// world is everything known at a point in time T from the projects that
// started before it: the pool of organizations, their profile text, the
// co-membership graph and the pairing statistics the features read.
type world struct {
	at          time.Time
	pool        []string       // org IDs, sorted
	idx         map[string]int // org ID -> pool index
	kind        []int          // kind category per pool org
	country     []string
	voc         *vocab
	docs        []bag // profile text per pool org
	text        *bm25Index
	short       *bm25Index  // titles, keywords and euroSciVoc only
	bigram      *bm25Index  // word pairs of the profile text
	projIdx     *bm25Index  // one document per history project
	projOrg     [][]int32   // pool indexes of each history project's members
	projStart   []time.Time // start date of each history project
	df          []int32     // document frequency per term over docs
	nbr         []map[int32]int32
	nproj       []float64 // history projects per org
	ncoord      []float64
	recent      []float64 // projects in the last year before T
	last        []time.Time
	kindLift    [][]float64
	countryLift map[[2]string]float64
	countryOut  map[string]float64 // pairs with this country as requester
	countryIn   map[string]float64 // pairs with this country as member
	pairs       float64
}

// Kind categories of the evaluation: the organization kind profiles.CORDISKind derives.
func kindCategory(info orgInfo) int {
	k := profiles.CORDISKind(info.activity, info.sme, info.name, false)
	return slices.Index(profiles.OrgKinds, k)
}

// newWorld builds the world from history projects (all starting before at).
func newWorld(c *consortia, history []*evalProject, at time.Time) *world {
	w := &world{at: at, idx: map[string]int{}, voc: newVocab(), countryLift: map[[2]string]float64{},
		countryOut: map[string]float64{}, countryIn: map[string]float64{}}
	for _, p := range history {
		for _, m := range p.members {
			if _, ok := w.idx[m.org]; !ok {
				w.idx[m.org] = -1
				w.pool = append(w.pool, m.org)
			}
		}
	}
	slices.Sort(w.pool)
	n := len(w.pool)
	for i, o := range w.pool {
		w.idx[o] = i
		info := c.orgs[o]
		w.kind = append(w.kind, kindCategory(info))
		w.country = append(w.country, info.country)
	}
	w.docs = make([]bag, n)
	shortDocs := make([]bag, n)
	biDocs := make([]bag, n)
	w.nbr = make([]map[int32]int32, n)
	w.nproj = make([]float64, n)
	w.ncoord = make([]float64, n)
	w.recent = make([]float64, n)
	w.last = make([]time.Time, n)
	nk := len(profiles.OrgKinds)
	kindPairs := make([][]float64, nk)
	for i := range kindPairs {
		kindPairs[i] = make([]float64, nk)
	}
	yearAgo := at.AddDate(-1, 0, 0)
	projDocs := make([]bag, 0, len(history))
	for _, p := range history {
		full := bagOf(w.voc, projectText(p.p), true)
		projDocs = append(projDocs, full)
		bi := bigramBagOf(w.voc, projectText(p.p), true)
		var members []int32
		for _, m := range p.members {
			members = append(members, int32(w.idx[m.org]))
		}
		w.projOrg = append(w.projOrg, members)
		w.projStart = append(w.projStart, p.p.StartDate)
		shortText := p.p.Title + "\n"
		for _, k := range p.p.Keywords {
			shortText += k + ", "
		}
		for _, v := range p.p.EuroSciVoc {
			shortText += v + " "
		}
		short := bagOf(w.voc, shortText, true)
		for _, m := range p.members {
			i := w.idx[m.org]
			if w.docs[i] == nil {
				w.docs[i], shortDocs[i], biDocs[i], w.nbr[i] = bag{}, bag{}, bag{}, map[int32]int32{}
			}
			for t, f := range full {
				w.docs[i][t] += f
			}
			for t, f := range bi {
				biDocs[i][t] += f
			}
			for t, f := range short {
				shortDocs[i][t] += f
			}
			w.nproj[i]++
			if m.role == profiles.CORDISCoordinator {
				w.ncoord[i]++
			}
			if !p.p.StartDate.Before(yearAgo) {
				w.recent[i]++
			}
			if p.p.StartDate.After(w.last[i]) {
				w.last[i] = p.p.StartDate
			}
			for _, o := range p.members {
				if o.org != m.org {
					w.nbr[i][int32(w.idx[o.org])]++
				}
			}
		}
		// Pairings: the project's lead (requester by the protocol's rule) with each other member.
		lead := w.idx[p.members[leadOf(p.members)].org]
		for _, m := range p.members {
			j := w.idx[m.org]
			if j == lead {
				continue
			}
			kindPairs[w.kind[lead]][w.kind[j]]++
			cp := [2]string{w.country[lead], w.country[j]}
			w.countryLift[cp]++
			w.countryOut[cp[0]]++
			w.countryIn[cp[1]]++
			w.pairs++
		}
	}
	w.text = newBM25Index(w.docs)
	w.short = newBM25Index(shortDocs)
	w.projIdx = newBM25Index(projDocs)
	w.bigram = newBM25Index(biDocs)
	w.df = make([]int32, len(w.voc.terms))
	for _, d := range w.docs {
		for t := range d {
			w.df[t]++
		}
	}
	// Kind lift: observed pairs over pairs expected from the margins, smoothed.
	var rows, cols = make([]float64, nk), make([]float64, nk)
	var total float64
	for a := range nk {
		for b := range nk {
			rows[a] += kindPairs[a][b]
			cols[b] += kindPairs[a][b]
			total += kindPairs[a][b]
		}
	}
	w.kindLift = make([][]float64, nk)
	for a := range nk {
		w.kindLift[a] = make([]float64, nk)
		for b := range nk {
			exp := 0.0
			if total > 0 {
				exp = rows[a] * cols[b] / total
			}
			w.kindLift[a][b] = math.Log((kindPairs[a][b] + 1) / (exp + 1))
		}
	}
	for cp, obs := range w.countryLift {
		exp := w.countryOut[cp[0]] * w.countryIn[cp[1]] / w.pairs
		w.countryLift[cp] = math.Log((obs + 1) / (exp + 1))
	}
	return w
}

// leadOf returns the index in members of the coordinator, else the first member.
func leadOf(members []evalMember) int {
	for i, m := range members {
		if m.role == profiles.CORDISCoordinator {
			return i
		}
	}
	return 0
}

// country lift of a pair; unseen pairs score as expected from the margins (0 when unknown).
func (w *world) countryPair(a, b string) float64 {
	if v, ok := w.countryLift[[2]string{a, b}]; ok {
		return v
	}
	if w.pairs == 0 {
		return 0
	}
	exp := w.countryOut[a] * w.countryIn[b] / w.pairs
	return math.Log(1 / (exp + 1))
}

// queries turns test projects into queries against this world's pool,
// following the protocol: at least 3 members in the pool, requester the
// coordinator if in the pool else the first pool member by order.
func (w *world) queries(test []*evalProject) []evalQuery {
	var out []evalQuery
	for _, p := range test {
		var in []evalMember
		for _, m := range p.members {
			if _, ok := w.idx[m.org]; ok {
				in = append(in, m)
			}
		}
		if len(in) < 3 {
			continue
		}
		req := in[0]
		for _, m := range in {
			if m.role == profiles.CORDISCoordinator {
				req = m
				break
			}
		}
		q := evalQuery{project: p, requester: w.idx[req.org]}
		for _, m := range in {
			if m.org == req.org {
				continue
			}
			j := w.idx[m.org]
			q.relA = append(q.relA, j)
			if w.nbr[q.requester][int32(j)] == 0 {
				q.relB = append(q.relB, j)
			}
		}
		out = append(out, q)
	}
	return out
}
