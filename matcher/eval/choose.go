package eval

import (
	"cmp"
	"math"
	"slices"
)

// The feature rows overlap (text relevance in several forms,
// nearest-project votes in several powers), so how strongly the models'
// weights are held back (the L2 penalty) decides much of how well they
// rank; the best penalty depends on the data, so Fit chooses it by a
// validation inside history: 2-fold cross-validation over the training
// queries (by query), scored by the nDCG@10 of each held-out query's
// partners among its candidates. Test projects never take part.

// cvFolds is the number of folds of the choice.
const cvFolds = 2

// penalties are the L2 penalties (on standardised features) Fit chooses
// among; a weak penalty (1) ranked worse on every validation split tried.
var penalties = []float64{1000, 3000, 10000, 30000}

// choosePenalty returns the penalty of the plain logistic new-partner
// model that validates best on samples (nDCG@10 under cross-validation by
// query), with the score of each of penalties.
func choosePenalty(samples []Sample) (float64, []float64, error) {
	scores := make([]float64, len(penalties))
	best := 0
	for i, lambda := range penalties {
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
			w, b, err := fitLogistic(train, lambda, false)
			if err != nil {
				return 0, nil, err
			}
			s, k := heldOutNDCG(held, w, b)
			sum += s
			n += k
		}
		scores[i] = sum / float64(max(n, 1))
		if scores[i] > scores[best] {
			best = i
		}
	}
	return penalties[best], scores, nil
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
