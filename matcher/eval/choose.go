package eval

import (
	"cmp"
	"math"
	"slices"
)

// The new-partner model can be fitted plain (every sample counts the
// same), class-balanced (both classes count the same) or per query (each
// training query counts the same, whatever its number of partners, as
// each query counts the same in the metrics); the two last are then
// calibrated. Which ranks new partners better depends on the data, so Fit
// chooses by a validation inside history: 2-fold cross-validation over the
// training queries (by query), scored by the nDCG@10 of each held-out
// query's partners among its candidates. Test projects never take part.

// cvFolds is the number of folds of the choice.
const cvFolds = 2

// weighting is how the samples of a fit count.
type weighting int

const (
	plain weighting = iota
	balanced
	perQuery
	numWeightings
)

var weightingNames = [numWeightings]string{"plain", "class-balanced", "per query"}

func (w weighting) String() string { return weightingNames[w] }

// weigh returns the samples as the weighting counts them, and whether the
// classes are balanced in the fit.
func (w weighting) weigh(samples []Sample) ([]Sample, bool) {
	if w != perQuery {
		return samples, w == balanced
	}
	pos := map[int]float64{}
	for _, s := range samples {
		pos[s.Group] += s.Label
	}
	out := make([]Sample, len(samples))
	for i, s := range samples {
		s.Weight = 1 / max(pos[s.Group], 1)
		out[i] = s
	}
	return out, false
}

// chooseWeighting returns the weighting of the new-partner model that
// validates best on samples (nDCG@10 under cross-validation by query),
// with every weighting's score.
func chooseWeighting(samples []Sample, lambda float64) (best weighting, scores [numWeightings]float64, err error) {
	for wt := range numWeightings {
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
			ws, bal := wt.weigh(train)
			w, b, err := fitLogistic(ws, lambda, bal)
			if err != nil {
				return plain, scores, err
			}
			s, k := heldOutNDCG(held, w, b)
			sum += s
			n += k
		}
		scores[wt] = sum / float64(max(n, 1))
		if scores[wt] > scores[best] {
			best = wt
		}
	}
	return best, scores, nil
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
