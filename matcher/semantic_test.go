package matcher

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// TestRightVectors checks the randomized SVD against gonum's exact one on
// a sparse matrix of rank 6 with a decaying spectrum: the leading right
// vectors agree (up to sign) and are orthonormal.
func TestRightVectors(t *testing.T) {
	const rows, cols, rank = 300, 500, 6
	rng := rand.New(rand.NewPCG(3, 4))
	dense := mat.NewDense(rows, cols, nil)
	for r := range rank {
		scale := math.Pow(0.5, float64(r))
		for i := range rows {
			if rng.IntN(3) > 0 {
				continue
			}
			for j := r * 60; j < r*60+120; j++ {
				dense.Set(i, j, dense.At(i, j)+scale*(1+rng.Float64()))
			}
		}
	}
	a := &sparseRows{start: []int{0}, cols: cols}
	for i := range rows {
		for j := range cols {
			if v := dense.At(i, j); v != 0 {
				a.col, a.val = append(a.col, int32(j)), append(a.val, v)
			}
		}
		a.start = append(a.start, len(a.val))
	}
	got := a.rightVectors(latentDims)
	var svd mat.SVD
	if !svd.Factorize(dense, mat.SVDThin) {
		t.Fatal("exact SVD failed")
	}
	var v mat.Dense
	svd.VTo(&v)
	for k := range rank {
		var dot, norm float64
		for c := range cols {
			g := float64(got[c*latentDims+k])
			dot += g * v.At(c, k)
			norm += g * g
		}
		if math.Abs(math.Abs(dot)-1) > 1e-3 || math.Abs(norm-1) > 1e-3 {
			t.Errorf("right vector %d: |<got, exact>| = %.5f, |got|² = %.5f, want 1 and 1", k, math.Abs(dot), norm)
		}
	}
}

// TestLatentFold checks that a project folds into a unit vector and that
// a query with the project's own words is closest to it.
func TestLatentFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	docs := bm25.NewDocs()
	var bags []bm25.Bag
	for i := range 200 {
		b := bm25.Bag{}
		for range 20 {
			b[int32(100*(i%4)+rng.IntN(100))]++
		}
		docs.Add(b)
		bags = append(bags, b)
	}
	l := newLatent(docs, bm25.NewDocs(), nil, 400)
	if l == nil {
		t.Fatal("no latent space")
	}
	for _, pi := range []int{0, 7, 150} {
		cos := cosines(l.query(bags[pi]), l.proj)
		if math.Abs(cos[pi]-1) > 1e-4 {
			t.Errorf("project %d: cosine with its own words %.5f, want 1", pi, cos[pi])
		}
		for j, c := range cos {
			if j != pi && c >= cos[pi] {
				t.Errorf("project %d: project %d as close (%.4f >= %.4f)", pi, j, c, cos[pi])
			}
		}
	}
}

// TestCloseInMeaning: the semantic reason is said only when the meaning,
// not the shared words, carries a suggestion the model counts it for.
func TestCloseInMeaning(t *testing.T) {
	w := make([]float64, numFeatures)
	w[fSemText] = 1
	tests := []struct {
		name       string
		sem, text  float64
		semWeight  float64
		wantReason bool
	}{
		{"close in meaning, few shared words", 0.9, 0.3, 1, true},
		{"close in meaning and in words", 0.9, 0.8, 1, false},
		{"not among the closest in meaning", 0.6, 0.3, 1, false},
		{"the model does not count meaning", 0.9, 0.3, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := make([]float64, numFeatures)
			row[fSemText], row[fText] = tt.sem, tt.text
			w[fSemText] = tt.semWeight
			if got := closeInMeaning(row, w); got != tt.wantReason {
				t.Errorf("closeInMeaning = %v, want %v", got, tt.wantReason)
			}
		})
	}
}
