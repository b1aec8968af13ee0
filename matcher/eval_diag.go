package matcher

import (
	"fmt"
	"io"
	"math/rand/v2"
)

// diagnose prints, for each feature alone, the nDCG@10 it reaches on the
// queries of world w (a tool to see which signals carry weight).
func diagnose(w *world, qs []evalQuery, out io.Writer) {
	n := len(w.pool)
	x := make([]float64, n*numEvalFeatures)
	acc := make([][2]metricSum, numEvalFeatures)
	score := make([]float64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	var pastRel, allRel float64
	for _, q := range qs {
		qb := bagOf(w.voc, queryText(q.project.p), false)
		w.featurize(qb, bigramBagOf(w.voc, queryText(q.project.p), false), q.requester, x)
		tie := rng.Perm(n)
		for f := range numEvalFeatures {
			for c := range n {
				score[c] = x[c*numEvalFeatures+f]
			}
			r := rank(score, q.requester, tie)
			acc[f][0].add(r, q.relA)
			if len(q.relB) > 0 {
				acc[f][1].add(r, q.relB)
			}
		}
		allRel += float64(len(q.relA))
		pastRel += float64(len(q.relA) - len(q.relB))
	}
	if allRel == 0 {
		return
	}
	fmt.Fprintf(out, "diag: %.1f%% of task A's relevant are past partners\n", 100*pastRel/allRel)
	for f := range numEvalFeatures {
		a, b := acc[f][0].metrics(), acc[f][1].metrics()
		fmt.Fprintf(out, "diag: %-20s A ndcg10=%.4f r50=%.4f  B ndcg10=%.4f r50=%.4f\n", evalFeatureNames[f], a.NDCG10, a.R50, b.NDCG10, b.R50)
	}
}
