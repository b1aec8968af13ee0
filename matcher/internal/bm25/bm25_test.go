package bm25

import (
	"math"
	"testing"
)

// The slab index scores as BM25 computed term by term from the bags, and
// the slab documents read back the bags they were given.
func TestIndexScoresAsTheBags(t *testing.T) {
	docs := []Bag{
		{1: 2, 3: 1},
		{},
		{0: 1, 1: 1, 2: 4},
		{3: 3, 7: 1},
	}
	tests := []struct {
		name string
		q    Bag
		qtf  bool
	}{
		{"one term", Bag{1: 1}, false},
		{"several terms", Bag{0: 1, 1: 1, 3: 1}, false},
		{"query term frequencies", Bag{1: 2, 3: 3}, true},
		{"unknown and negative terms", Bag{9: 1, -1: 1, 5: 1}, false},
	}
	ix := New(docs)
	d := NewDocs()
	for _, b := range docs {
		d.Add(b)
	}
	var total float64
	for _, b := range docs {
		total += b.Length()
	}
	avg := total / float64(len(docs))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(docs))
			ix.Score(tt.q, tt.qtf, got)
			for doc, b := range docs {
				var want float64
				for term, qf := range tt.q {
					df := 0
					for _, o := range docs {
						if o[term] > 0 {
							df++
						}
					}
					if b[term] == 0 {
						continue
					}
					idf := math.Log(1 + (float64(len(docs))-float64(df)+0.5)/(float64(df)+0.5))
					norm := K1 * (1 - B + B*b.Length()/avg)
					part := idf * b[term] * (K1 + 1) / (b[term] + norm)
					if tt.qtf {
						want += qf * part
					} else {
						want += part
					}
					if got := ix.TermScores(tt.q, doc, d)[term]; math.Abs(got-part) > 1e-12 {
						t.Errorf("doc %d term %d: part %g, want %g", doc, term, got, part)
					}
				}
				if math.Abs(got[doc]-want) > 1e-12 {
					t.Errorf("doc %d: score %g, want %g", doc, got[doc], want)
				}
				back := Bag{}
				d.AddTo(doc, back)
				for term, f := range b {
					if back[term] != f || d.TF(doc, term) != f {
						t.Errorf("doc %d term %d: read back %g / %g, want %g", doc, term, back[term], d.TF(doc, term), f)
					}
				}
				if len(back) != len(b) {
					t.Errorf("doc %d: %d terms read back, want %d", doc, len(back), len(b))
				}
			}
		})
	}
	if ix.DF(1) != 2 || ix.DF(9) != 0 || ix.DF(-1) != 0 || ix.Docs() != 4 {
		t.Errorf("DF(1) %d, DF(9) %d, DF(-1) %d, Docs %d; want 2, 0, 0, 4", ix.DF(1), ix.DF(9), ix.DF(-1), ix.Docs())
	}
}
