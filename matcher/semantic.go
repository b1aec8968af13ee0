package matcher

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// Latent semantic space of a pool (latent semantic analysis): a truncated
// singular value decomposition of the tf-idf matrix of the pool's texts
// (track-record projects, and the profiles of organizations without
// projects), so that texts on one topic in different words lie close. It
// gives the features that lexical BM25 lacks: how close in meaning a
// query is to an organization's texts and to its projects.
const (
	latentDims  = 128   // dimensions kept
	latentOver  = 12    // extra random directions of the randomized SVD
	latentTerms = 40000 // at most this many terms (the most frequent, in at least 2 texts)
	latentRows  = 5000  // at most this many texts fit the space (an even sample); every text is folded in
)

// latent holds the pool's latent space: per term its loadings (float32,
// columns x latentDims), per project and per organization a unit vector.
type latent struct {
	col   []int32   // term ID -> column, -1 when not in the space
	idf   []float32 // per column
	terms []float32 // column-major rows: terms[c*latentDims:(c+1)*latentDims]
	proj  []float32 // per project, unit length (zero when empty)
	org   []float32 // per organization, unit length (zero when empty)
}

// sparseRows is a CSR matrix: rows are texts, columns terms, values tf-idf
// with unit-length rows.
type sparseRows struct {
	start []int
	col   []int32
	val   []float64
	cols  int
}

// newLatent fits the latent space on the projects' and organizations'
// texts (bm25.Docs over the pool's vocabulary); organizations with
// projects are represented in the fit by their projects, and at most
// latentRows texts fit it.
func newLatent(projects, orgs *bm25.Docs, projOf [][]int32, vocab int) *latent {
	l := &latent{}
	var rows []func() ([]int32, []float32)
	for i := range projects.Len() {
		rows = append(rows, func() ([]int32, []float32) { return projects.Terms(i) })
	}
	for i := range orgs.Len() {
		if len(projOf[i]) == 0 {
			rows = append(rows, func() ([]int32, []float32) { return orgs.Terms(i) })
		}
	}
	if len(rows) > latentRows {
		// An even sample fits the space as well and bounds the pool
		// rebuild: the dense steps cost rows x dimensions².
		sample := make([]func() ([]int32, []float32), latentRows)
		for i := range sample {
			sample[i] = rows[i*len(rows)/latentRows]
		}
		rows = sample
	}
	df := make([]int32, vocab)
	for _, r := range rows {
		ts, _ := r()
		for _, t := range ts {
			df[t]++
		}
	}
	l.columns(df, len(rows))
	a := &sparseRows{start: []int{0}, cols: len(l.idf)}
	for _, r := range rows {
		ts, fs := r()
		l.addRow(a, ts, fs)
	}
	if a.cols == 0 || len(rows) == 0 {
		return nil
	}
	l.terms = a.rightVectors(min(latentDims, a.cols, len(rows)))
	l.proj = l.foldAll(projects)
	l.org = l.foldAll(orgs)
	return l
}

// columns picks the terms of the space (in at least 2 texts, the
// latentTerms most frequent) and their idf.
func (l *latent) columns(df []int32, n int) {
	var keep []int32
	for t, d := range df {
		if d >= 2 {
			keep = append(keep, int32(t))
		}
	}
	if len(keep) > latentTerms {
		slices.SortStableFunc(keep, func(a, b int32) int { return cmp.Compare(df[b], df[a]) })
		keep = keep[:latentTerms]
		slices.Sort(keep)
	}
	l.col = make([]int32, len(df))
	for i := range l.col {
		l.col[i] = -1
	}
	l.idf = make([]float32, len(keep))
	for c, t := range keep {
		l.col[t] = int32(c)
		l.idf[c] = float32(math.Log(float64(n+1) / float64(df[t]+1)))
	}
}

// weight is the tf-idf of a term count in column c.
func (l *latent) weight(c int32, tf float64) float64 { return math.Log1p(tf) * float64(l.idf[c]) }

// addRow appends a text as a unit-length tf-idf row.
func (l *latent) addRow(a *sparseRows, ts []int32, fs []float32) {
	at := len(a.val)
	var norm float64
	for j, t := range ts {
		if c := l.col[t]; c >= 0 {
			w := l.weight(c, float64(fs[j]))
			a.col, a.val = append(a.col, c), append(a.val, w)
			norm += w * w
		}
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for j := at; j < len(a.val); j++ {
			a.val[j] *= inv
		}
	}
	a.start = append(a.start, len(a.val))
}

// mul returns A X (X: cols x w).
func (a *sparseRows) mul(x *mat.Dense) *mat.Dense {
	_, w := x.Dims()
	out := mat.NewDense(len(a.start)-1, w, nil)
	raw, xr := out.RawMatrix(), x.RawMatrix()
	for i := range len(a.start) - 1 {
		o := raw.Data[i*raw.Stride : i*raw.Stride+w]
		for j := a.start[i]; j < a.start[i+1]; j++ {
			v, xs := a.val[j], xr.Data[int(a.col[j])*xr.Stride:]
			for k := range o {
				o[k] += v * xs[k]
			}
		}
	}
	return out
}

// mulT returns A' Y (Y: rows x w).
func (a *sparseRows) mulT(y *mat.Dense) *mat.Dense {
	_, w := y.Dims()
	out := mat.NewDense(a.cols, w, nil)
	raw, yr := out.RawMatrix(), y.RawMatrix()
	for i := range len(a.start) - 1 {
		ys := yr.Data[i*yr.Stride : i*yr.Stride+w]
		for j := a.start[i]; j < a.start[i+1]; j++ {
			v, o := a.val[j], raw.Data[int(a.col[j])*raw.Stride:]
			for k := range ys {
				o[k] += v * ys[k]
			}
		}
	}
	return out
}

// orth returns a basis of x's columns by Cholesky QR, orthonormal when
// repeated twice (x is tall and thin; a tiny ridge keeps a rank-deficient
// x factorable, its extra columns then come out near zero).
func orth(x *mat.Dense, times int) *mat.Dense {
	_, w := x.Dims()
	for range times {
		var g mat.SymDense
		g.SymOuterK(1, x.T())
		ridge := 1e-12 * max(mat.Trace(&g), 1e-300)
		for i := range w {
			g.SetSym(i, i, g.At(i, i)+ridge)
		}
		var ch mat.Cholesky
		if !ch.Factorize(&g) {
			return x
		}
		var r, rinv mat.TriDense
		ch.UTo(&r)
		if err := rinv.InverseTri(&r); err != nil {
			return x
		}
		var q mat.Dense
		q.Mul(x, &rinv)
		x = &q
	}
	return x
}

// rightVectors returns the k leading right singular vectors of A
// (columns x k, float32, row per column of A) by a randomized SVD with
// one power iteration and a fixed seed (the same texts give the same
// space).
func (a *sparseRows) rightVectors(k int) []float32 {
	w := min(k+latentOver, a.cols, len(a.start)-1)
	rng := rand.New(rand.NewPCG(1, 2))
	omega := mat.NewDense(a.cols, w, nil)
	raw := omega.RawMatrix()
	for i := range raw.Data {
		raw.Data[i] = rng.NormFloat64()
	}
	q := orth(a.mul(omega), 1)
	q = orth(a.mul(a.mulT(q)), 2)
	bt := a.mulT(q) // cols x w: B' with B = Q' A
	// B B' = Z S² Z'; the right singular vectors are B' Z S⁻¹.
	var g mat.SymDense
	g.SymOuterK(1, bt.T())
	var eig mat.EigenSym
	if !eig.Factorize(&g, true) {
		return nil
	}
	var z mat.Dense
	eig.VectorsTo(&z)
	vals := eig.Values(nil) // ascending
	var u mat.Dense
	u.Mul(bt, &z)
	for j, v := range vals {
		inv := 0.0
		if v > 1e-12*vals[len(vals)-1] {
			inv = 1 / math.Sqrt(v)
		}
		for c := range a.cols {
			u.Set(c, j, u.At(c, j)*inv)
		}
	}
	out := make([]float32, a.cols*latentDims)
	for c := range a.cols {
		for j := range min(k, w) {
			out[c*latentDims+j] = float32(u.At(c, w-1-j)) // largest first
		}
	}
	return out
}

// fold maps a bag of term counts into the space, unit length (zero when
// no term is in the space).
func (l *latent) fold(ts []int32, fs []float32, out []float32) {
	var acc [latentDims]float32
	for j, t := range ts {
		if int(t) >= len(l.col) {
			continue
		}
		if c := l.col[t]; c >= 0 {
			w := float32(l.weight(c, float64(fs[j])))
			v := (*[latentDims]float32)(l.terms[int(c)*latentDims:])
			for d := 0; d < latentDims; d += 4 {
				acc[d] += w * v[d]
				acc[d+1] += w * v[d+1]
				acc[d+2] += w * v[d+2]
				acc[d+3] += w * v[d+3]
			}
		}
	}
	var norm float64
	for _, v := range acc {
		norm += float64(v) * float64(v)
	}
	if norm == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(norm))
	for d, v := range acc {
		out[d] = v * inv
	}
}

// foldAll folds every document of d.
func (l *latent) foldAll(d *bm25.Docs) []float32 {
	out := make([]float32, d.Len()*latentDims)
	for i := range d.Len() {
		ts, fs := d.Terms(i)
		l.fold(ts, fs, out[i*latentDims:(i+1)*latentDims])
	}
	return out
}

// query folds a query bag into the space.
func (l *latent) query(q bm25.Bag) []float32 {
	ts := make([]int32, 0, len(q))
	for t := range q {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	fs := make([]float32, len(ts))
	for i, t := range ts {
		fs[i] = float32(q[t])
	}
	out := make([]float32, latentDims)
	l.fold(ts, fs, out)
	return out
}

// cosines returns the dot product of v with each unit vector of vs.
func cosines(v, vs []float32) []float64 {
	out := make([]float64, len(vs)/latentDims)
	for i := range out {
		var s float32
		for d, x := range vs[i*latentDims : (i+1)*latentDims] {
			s += x * v[d]
		}
		out[i] = float64(s)
	}
	return out
}

// addSemantic fills the semantic columns of the feature rows x for
// requester r and query q: the query's closeness in meaning to each
// organization's texts (raw and over the best), to its closest project,
// the nearest-project votes in the latent space, and the closeness of r's
// and each organization's texts.
func (p *Pool) addSemantic(x []float64, q bm25.Bag, r int) {
	l := p.sem
	if l == nil {
		return
	}
	n := len(p.ids)
	qv := l.query(q)
	org := cosines(qv, l.org)
	proj := cosines(qv, l.proj)
	prof := cosines(l.org[r*latentDims:(r+1)*latentDims], l.org)
	mo, mp := relMax(org, r), 1e-9
	for _, v := range proj {
		mp = max(mp, v)
	}
	best, votes := make([]float64, n), make([]float64, n)
	for pi, members := range p.projOrg {
		rel := max(0, proj[pi]) / mp
		v := math.Pow(rel, 5)
		for _, c := range members {
			best[c] = max(best[c], proj[pi])
			votes[c] += v
		}
	}
	for c := range n {
		row := x[c*numFeatures : (c+1)*numFeatures]
		row[fSemText] = org[c] / mo
		row[fSemTextRaw] = org[c]
		row[fSemProjBest] = best[c] / mp
		row[fSemKNN] = math.Log(0.001 + votes[c])
		row[fSemProfile] = prof[c]
	}
}

// closeInMeaning reports whether a feature row's semantic closeness
// carries the suggestion, to say so: the candidate's texts are among the
// closest in meaning to the query (at least 85% of the best), the fitted
// model counts that closeness, and the texts share fewer of the query's
// words (under half the best text relevance).
func closeInMeaning(row, w []float64) bool {
	return row[fSemText] >= 0.85 && w[fSemText]+w[fSemProjBest] > 0 && row[fText] < 0.5
}
