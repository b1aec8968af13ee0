package eval

import (
	"slices"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// world is what the protocol and the baselines know of history: the pool
// of organizations (every member of a history project), who worked with
// whom, each organization's history text for BM25 and its number of
// projects for popularity.
type world struct {
	pool  []string       // org IDs, sorted
	idx   map[string]int // org ID -> pool index
	voc   *bm25.Vocab
	text  *bm25.Index
	nbr   []map[int]int
	nproj []float64
}

// newWorld builds the world from history projects.
func newWorld(history []*evalProject) *world {
	w := &world{idx: map[string]int{}, voc: bm25.NewVocab()}
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
	}
	docs := make([]bm25.Bag, n)
	w.nbr = make([]map[int]int, n)
	w.nproj = make([]float64, n)
	for i := range docs {
		docs[i], w.nbr[i] = bm25.Bag{}, map[int]int{}
	}
	for _, p := range history {
		full := bagOf(w.voc, projectText(p.p), true)
		for _, m := range p.members {
			i := w.idx[m.org]
			docs[i].Add(full)
			w.nproj[i]++
			for _, o := range p.members {
				if o.org != m.org {
					w.nbr[i][w.idx[o.org]]++
				}
			}
		}
	}
	w.text = bm25.New(docs)
	return w
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
			if m.role == cordisCoordinator {
				req = m
				break
			}
		}
		q := evalQuery{project: p, requester: w.idx[req.org], text: queryText(p.p)}
		for _, m := range in {
			if m.org == req.org {
				continue
			}
			j := w.idx[m.org]
			q.relA = append(q.relA, j)
			if w.nbr[q.requester][j] == 0 {
				q.relB = append(q.relB, j)
			}
		}
		out = append(out, q)
	}
	return out
}
