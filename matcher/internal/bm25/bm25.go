// Package bm25 is a small in-memory BM25 index over bags of term IDs, shared
// by the matcher's text model and the evaluation's baseline.
package bm25

import (
	"math"
	"slices"
)

// Parameters of BM25 (Lucene's defaults).
const (
	K1 = 1.2
	B  = 0.75
)

// Vocab maps terms to dense IDs.
type Vocab struct {
	ids   map[string]int32
	terms []string
}

// NewVocab returns an empty vocabulary.
func NewVocab() *Vocab { return &Vocab{ids: map[string]int32{}} }

// ID returns the term's ID, adding it when add is set; -1 when unknown.
func (v *Vocab) ID(term string, add bool) int32 {
	if id, ok := v.ids[term]; ok {
		return id
	}
	if !add {
		return -1
	}
	id := int32(len(v.terms))
	v.ids[term] = id
	v.terms = append(v.terms, term)
	return id
}

// Len is the number of terms.
func (v *Vocab) Len() int { return len(v.terms) }

// Term returns the term of an ID.
func (v *Vocab) Term(id int32) string { return v.terms[id] }

// Bag counts terms: term ID -> frequency.
type Bag map[int32]float64

// Length is the number of term occurrences.
func (b Bag) Length() float64 {
	var n float64
	for _, f := range b {
		n += f
	}
	return n
}

// Add adds o's counts to b.
func (b Bag) Add(o Bag) {
	for t, f := range o {
		b[t] += f
	}
}

// Docs holds documents as bags in one slab: per document its term IDs
// ascending and their counts, 8 bytes a term (a Bag map takes several
// times that). Documents are added in order and never changed.
type Docs struct {
	start []uint32 // document i is terms[start[i]:start[i+1]]
	terms []int32
	tf    []float32
}

// NewDocs returns an empty store.
func NewDocs() *Docs { return &Docs{start: []uint32{0}} }

// Add appends b as the next document.
func (d *Docs) Add(b Bag) {
	at := len(d.terms)
	for t := range b {
		d.terms = append(d.terms, t)
	}
	slices.Sort(d.terms[at:])
	for _, t := range d.terms[at:] {
		d.tf = append(d.tf, float32(b[t]))
	}
	d.start = append(d.start, uint32(len(d.terms)))
}

// Clip gives back the slab's spare capacity once every document is in.
func (d *Docs) Clip() {
	d.terms, d.tf, d.start = slices.Clip(d.terms), slices.Clip(d.tf), slices.Clip(d.start)
}

// Len is the number of documents.
func (d *Docs) Len() int { return len(d.start) - 1 }

// Terms returns document i's term IDs (ascending) and their counts
// (read-only).
func (d *Docs) Terms(i int) ([]int32, []float32) {
	lo, hi := d.start[i], d.start[i+1]
	return d.terms[lo:hi], d.tf[lo:hi]
}

// TF is the count of term t in document i (0 when absent).
func (d *Docs) TF(i int, t int32) float64 {
	ts, fs := d.Terms(i)
	if j, ok := slices.BinarySearch(ts, t); ok {
		return float64(fs[j])
	}
	return 0
}

// AddTo adds document i's counts to b.
func (d *Docs) AddTo(i int, b Bag) {
	ts, fs := d.Terms(i)
	for j, t := range ts {
		b[t] += float64(fs[j])
	}
}

// Index is an inverted index of documents scored with BM25,
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)) as in Lucene. Its postings are
// one slab: term t's are doc[start[t]:start[t+1]] with their counts, in
// document order.
type Index struct {
	start  []uint32
	doc    []int32
	tf     []float32
	docLen []float64
	avgLen float64
}

// New indexes docs; a document's number is its position.
func New(docs []Bag) *Index {
	d := NewDocs()
	for _, b := range docs {
		d.Add(b)
	}
	return NewFrom(d)
}

// NewFrom indexes the documents of d; a document's number is its position.
func NewFrom(d *Docs) *Index {
	n := d.Len()
	var vocab int32
	for _, t := range d.terms {
		vocab = max(vocab, t+1)
	}
	ix := &Index{start: make([]uint32, vocab+1), doc: make([]int32, len(d.terms)), tf: make([]float32, len(d.terms)),
		docLen: make([]float64, n)}
	for _, t := range d.terms {
		ix.start[t+1]++
	}
	for t := range vocab {
		ix.start[t+1] += ix.start[t]
	}
	fill := slices.Clone(ix.start[:vocab])
	var total float64
	for doc := range n {
		ts, fs := d.Terms(doc)
		for j, t := range ts {
			at := fill[t]
			ix.doc[at], ix.tf[at] = int32(doc), fs[j]
			fill[t]++
			ix.docLen[doc] += float64(fs[j])
		}
		total += ix.docLen[doc]
	}
	if n > 0 {
		ix.avgLen = total / float64(n)
	}
	return ix
}

// postings returns the span of term t's postings.
func (ix *Index) postings(t int32) (lo, hi uint32) {
	if t < 0 || int(t) >= len(ix.start)-1 {
		return 0, 0
	}
	return ix.start[t], ix.start[t+1]
}

// Docs is the number of documents.
func (ix *Index) Docs() int { return len(ix.docLen) }

// DF is the number of documents holding term t.
func (ix *Index) DF(t int32) int {
	lo, hi := ix.postings(t)
	return int(hi - lo)
}

// IDF is term t's inverse document frequency.
func (ix *Index) IDF(t int32) float64 {
	n := float64(len(ix.docLen))
	df := float64(ix.DF(t))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// Score adds the BM25 score of query q to out (indexed by document): each
// distinct query term once, or weighted by its query frequency when qtf is set.
func (ix *Index) Score(q Bag, qtf bool, out []float64) {
	for t, qf := range q {
		lo, hi := ix.postings(t)
		if lo == hi {
			continue
		}
		w := ix.IDF(t)
		if qtf {
			w *= qf
		}
		for i := lo; i < hi; i++ {
			d := ix.doc[i]
			out[d] += w * ix.termScore(float64(ix.tf[i]), d)
		}
	}
}

func (ix *Index) termScore(tf float64, doc int32) float64 {
	norm := K1 * (1 - B + B*ix.docLen[doc]/ix.avgLen)
	return tf * (K1 + 1) / (tf + norm)
}

// TermScores returns each query term's part of document doc's score (terms
// the document lacks are left out); the documents are d.
func (ix *Index) TermScores(q Bag, doc int, d *Docs) map[int32]float64 {
	out := map[int32]float64{}
	for t := range q {
		if tf := d.TF(doc, t); tf > 0 && ix.avgLen > 0 {
			out[t] = ix.IDF(t) * ix.termScore(tf, int32(doc))
		}
	}
	return out
}
