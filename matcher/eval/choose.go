package eval

import (
	"cmp"
	"math"
	"slices"
)

// The new-partner model can be fitted class-balanced (both classes count
// the same, then calibrated) or plain; which ranks new partners better
// depends on the data, so Fit chooses by a validation inside history:
// 2-fold cross-validation over the training queries (by query), scored
// by the nDCG@10 of each held-out query's partners among its candidates.
// Test projects never take part.

// cvFolds is the number of folds of the choice.
const cvFolds = 2

// chooseBalance reports whether the class-balanced new-partner model
// validates better than the plain one on samples (nDCG@10 under
// cross-validation by query), with both scores.
func chooseBalance(samples []Sample, lambda float64) (balanced bool, scores [2]float64, err error) {
	for i, bal := range []bool{false, true} {
		var sum float64
		var n int
		for fold := range cvFolds {
			var train, held []Sample
			for _, s := range samples {
				if s.Group%cvFolds == fold {
					held = append(held, s)
				} else {
					train = append(train, s)
				}
			}
			w, b, err := fitLogistic(train, lambda, bal)
			if err != nil {
				return false, scores, err
			}
			s, k := heldOutNDCG(held, w, b)
			sum += s
			n += k
		}
		scores[i] = sum / float64(max(n, 1))
	}
	return scores[1] > scores[0], scores, nil
}

// heldOutNDCG sums the nDCG@10 of each query of held (samples of one
// query are consecutive) under the linear score w.x + b, and counts the
// queries with a partner.
func heldOutNDCG(held []Sample, w []float64, b float64) (float64, int) {
	var sum float64
	var n int
	type scored struct{ s, label float64 }
	for i := 0; i < len(held); {
		j := i
		var list []scored
		var pos int
		for ; j < len(held) && held[j].Group == held[i].Group; j++ {
			z := b
			for f, v := range held[j].X {
				z += w[f] * v
			}
			list = append(list, scored{z, held[j].Label})
			if held[j].Label > 0 {
				pos++
			}
		}
		i = j
		if pos == 0 {
			continue
		}
		slices.SortStableFunc(list, func(a, b scored) int { return cmp.Compare(b.s, a.s) })
		var dcg, ideal float64
		for r := 0; r < 10 && r < len(list); r++ {
			if list[r].label > 0 {
				dcg += 1 / math.Log2(float64(r+2))
			}
			if r < pos {
				ideal += 1 / math.Log2(float64(r+2))
			}
		}
		sum += dcg / ideal
		n++
	}
	return sum, n
}
