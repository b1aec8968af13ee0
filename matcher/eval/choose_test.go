package eval

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestHeldOutNDCG(t *testing.T) {
	// Two queries of three candidates; the score is the one feature.
	held := []Sample{
		{X: []float64{3}, Label: 1, Group: 1}, {X: []float64{2}, Group: 1}, {X: []float64{1}, Group: 1},
		{X: []float64{3}, Group: 2}, {X: []float64{2}, Group: 2}, {X: []float64{1}, Label: 1, Group: 2},
		{X: []float64{1}, Group: 3}, // no partner: not counted
	}
	tests := []struct {
		name string
		w    float64
		want float64
	}{
		{"ascending", 1, (1 + 1/math.Log2(4)) / 2},
		{"descending", -1, (1/math.Log2(4) + 1) / 2},
		{"ignored", 0, (1 + 1/math.Log2(4)) / 2}, // ties keep the order given
	}
	for _, tc := range tests {
		sum, n := heldOutNDCG(held, []float64{tc.w}, 0)
		if n != 2 || math.Abs(sum/float64(n)-tc.want) > 1e-9 {
			t.Errorf("%s: nDCG %v over %d queries, want %v over 2", tc.name, sum/float64(n), n, tc.want)
		}
	}
}

// TestChoosePenaltyValidates: on data where one feature carries the
// signal, every penalty validates well above chance and the choice is one
// of them.
func TestChoosePenaltyValidates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var samples []Sample
	for g := range 200 {
		for i := range 30 {
			label := 0.0
			if i < 2 {
				label = 1
			}
			samples = append(samples, Sample{X: []float64{label*2 + rng.NormFloat64(), rng.NormFloat64()}, Label: label, Group: g})
		}
	}
	lambda, scores, err := choosePenalty(samples)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(penalties, lambda) || len(scores) != len(penalties) {
		t.Errorf("chose %v with scores %v, want one of %v with a score each", lambda, scores, penalties)
	}
	for i, s := range scores {
		if s < 0.5 {
			t.Errorf("penalty %v validates at nDCG %.3f, want >= 0.5 (chance is about 0.1)", penalties[i], s)
		}
	}
}
