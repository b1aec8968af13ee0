package matcher

import (
	"math"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// This file holds the small in-memory text model the evaluation uses for
// organizations profiled from CORDIS projects: an English analyzer
// (lower case, stop words, snowball stems) and a BM25 scorer over term IDs.

// englishStop is a short English stop-word list (the same words bleve's
// English analyzer drops, plus a few that are noise in project abstracts).
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for if in into is it no not of on or such that the their
		then there these they this to was will with we our its from which has have been were can also
		than more other all both each most some any about over between through during within new use
		using used based aims aim project projects will would should may well well-being etc i e g`) {
		m[w] = true
	}
	return m
}()

// Tokens splits text into lower-case words of letters and digits, drops
// stop words and one-letter words, and stems the rest with the English
// snowball stemmer.
func Tokens(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) < 2 || englishStop[w] {
			continue
		}
		out = append(out, english.Stem(w, false))
	}
	return out
}

// vocab maps terms to dense IDs.
type vocab struct {
	ids   map[string]int32
	terms []string
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}} }

// id returns the term's ID, adding it when add is set; -1 when unknown.
func (v *vocab) id(term string, add bool) int32 {
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

// bag counts terms: term ID -> frequency.
type bag map[int32]float64

// bagOf analyses text into a bag, adding new terms to v when add is set.
func bagOf(v *vocab, text string, add bool) bag {
	b := bag{}
	for _, t := range Tokens(text) {
		if id := v.id(t, add); id >= 0 {
			b[id]++
		}
	}
	return b
}

func (b bag) length() float64 {
	var n float64
	for _, f := range b {
		n += f
	}
	return n
}

// posting is one document's frequency of a term.
type posting struct {
	doc int32
	tf  float32
}

// BM25 parameters of the baseline and of the engine's text feature.
const (
	BM25K1 = 1.2
	BM25B  = 0.75
)

// bm25Index is an inverted index of documents (bags) scored with BM25,
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)) as in Lucene.
type bm25Index struct {
	postings map[int32][]posting
	docLen   []float64
	avgLen   float64
}

func newBM25Index(docs []bag) *bm25Index {
	ix := &bm25Index{postings: map[int32][]posting{}, docLen: make([]float64, len(docs))}
	var total float64
	for d, b := range docs {
		for t, f := range b {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), tf: float32(f)})
		}
		ix.docLen[d] = b.length()
		total += ix.docLen[d]
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

func (ix *bm25Index) idf(t int32) float64 {
	n := float64(len(ix.docLen))
	df := float64(len(ix.postings[t]))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// score adds the BM25 score of query q (each distinct query term once,
// weighted by its query frequency when qtf is set) to out, indexed by doc.
func (ix *bm25Index) score(q bag, qtf bool, out []float64) {
	for t, qf := range q {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		w := ix.idf(t)
		if qtf {
			w *= qf
		}
		for _, p := range ps {
			tf := float64(p.tf)
			norm := BM25K1 * (1 - BM25B + BM25B*ix.docLen[p.doc]/ix.avgLen)
			out[p.doc] += w * tf * (BM25K1 + 1) / (tf + norm)
		}
	}
}

// bigramBagOf analyses text into a bag of adjacent stemmed word pairs ("a_b").
func bigramBagOf(v *vocab, text string, add bool) bag {
	b := bag{}
	toks := Tokens(text)
	for i := 1; i < len(toks); i++ {
		if id := v.id(toks[i-1]+"_"+toks[i], add); id >= 0 {
			b[id]++
		}
	}
	return b
}
