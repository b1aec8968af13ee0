// Package bm25 is a small in-memory BM25 index over bags of term IDs, shared
// by the matcher's text model and the evaluation's baseline.
package bm25

import "math"

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

type posting struct {
	doc int32
	tf  float32
}

// Index is an inverted index of documents scored with BM25,
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)) as in Lucene.
type Index struct {
	postings map[int32][]posting
	docLen   []float64
	avgLen   float64
}

// New indexes docs; a document's number is its position.
func New(docs []Bag) *Index {
	ix := &Index{postings: map[int32][]posting{}, docLen: make([]float64, len(docs))}
	var total float64
	for d, b := range docs {
		for t, f := range b {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), tf: float32(f)})
		}
		ix.docLen[d] = b.Length()
		total += ix.docLen[d]
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

// Docs is the number of documents.
func (ix *Index) Docs() int { return len(ix.docLen) }

// DF is the number of documents holding term t.
func (ix *Index) DF(t int32) int { return len(ix.postings[t]) }

// IDF is term t's inverse document frequency.
func (ix *Index) IDF(t int32) float64 {
	n := float64(len(ix.docLen))
	df := float64(len(ix.postings[t]))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// Score adds the BM25 score of query q to out (indexed by document): each
// distinct query term once, or weighted by its query frequency when qtf is set.
func (ix *Index) Score(q Bag, qtf bool, out []float64) {
	for t, qf := range q {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		w := ix.IDF(t)
		if qtf {
			w *= qf
		}
		for _, p := range ps {
			out[p.doc] += w * ix.termScore(float64(p.tf), p.doc)
		}
	}
}

func (ix *Index) termScore(tf float64, doc int32) float64 {
	norm := K1 * (1 - B + B*ix.docLen[doc]/ix.avgLen)
	return tf * (K1 + 1) / (tf + norm)
}

// TermScores returns each query term's part of document doc's score (terms
// the document lacks are left out); doc's bag is d.
func (ix *Index) TermScores(q Bag, doc int, d Bag) map[int32]float64 {
	out := map[int32]float64{}
	for t := range q {
		if tf := d[t]; tf > 0 && ix.avgLen > 0 {
			out[t] = ix.IDF(t) * ix.termScore(tf, int32(doc))
		}
	}
	return out
}
