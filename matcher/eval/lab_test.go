package eval

import (
	"cmp"
	"encoding/gob"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/matcher"
)

// labQuery is one held-out query of the lab: its first stages (task A,
// task B with known partners hidden) as labelled samples, and how many
// partners each task has (the ideal of nDCG counts those outside the
// first stage too).
type labQuery struct {
	A, B        []Sample
	NRelA, NRel int
}

// labData is what the lab caches: the training samples of the inner
// splits and the held-out queries after the cutoff.
type labData struct {
	Fresh, Known []Sample
	History      int
	Queries      []labQuery
}

// labLoad computes (or reads from $MATCHGRID_LAB_CACHE) the lab's data.
func labLoad(t *testing.T) (*labData, time.Time) {
	projects, parts, cutoff := devData(t)
	name := "lab-" + cutoff.Format(time.DateOnly)
	if sp := os.Getenv("MATCHGRID_LAB_SPLITS"); sp != "" { // e.g. 0.3,0.4,0.5
		innerSplits = nil
		for _, f := range strings.Split(sp, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			innerSplits = append(innerSplits, v)
		}
		name += "-" + sp
	}
	path := filepath.Join(cmp.Or(os.Getenv("MATCHGRID_LAB_CACHE"), t.TempDir()), name+".gob")
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		var d labData
		if err := gob.NewDecoder(f).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return &d, cutoff
	}
	logf := func(f string, a ...any) { t.Logf(f, a...) }
	ts, err := trainingSamples(projects, parts, cutoff, logf)
	if err != nil {
		t.Fatal(err)
	}
	d := &labData{Fresh: ts.fresh, Known: ts.known, History: ts.history}
	w, qs, pool := devHeldOut(t, projects, parts, cutoff)
	for qi, q := range qs {
		org := orgID(w.pool[q.requester])
		st := pool.CandidateStages(org, q.text, "en", false, true)
		lq := labQuery{NRelA: len(q.relA), NRel: len(q.relB)}
		for task, rel := range [][]int{q.relA, q.relB} {
			is := map[string]bool{}
			for _, j := range rel {
				is[orgID(w.pool[j])] = true
			}
			for _, cd := range st[task] {
				s := Sample{X: slices.Clone(cd.Row), Group: qi}
				if is[cd.OrgID] {
					s.Label = 1
				}
				if task == 0 {
					lq.A = append(lq.A, s)
				} else {
					lq.B = append(lq.B, s)
				}
			}
		}
		d.Queries = append(d.Queries, lq)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := gob.NewEncoder(f).Encode(d); err != nil {
		t.Fatal(err)
	}
	return d, cutoff
}

// labNDCG is nDCG@10 and R@50 of one ranked sample list against n partners.
func labNDCG(list []Sample, score func(x []float64) float64, n int) (ndcg, r50 float64) {
	if n == 0 {
		return 0, 0
	}
	type sc struct{ s, l float64 }
	all := make([]sc, len(list))
	for i, s := range list {
		all[i] = sc{score(s.X), s.Label}
	}
	slices.SortStableFunc(all, func(a, b sc) int { return cmp.Compare(b.s, a.s) })
	var dcg, ideal, hits float64
	for i := 0; i < len(all) && i < 50; i++ {
		if all[i].l > 0 {
			hits++
			if i < 10 {
				dcg += 1 / math.Log2(float64(i+2))
			}
		}
	}
	for i := 0; i < n && i < 10; i++ {
		ideal += 1 / math.Log2(float64(i+2))
	}
	return dcg / ideal, hits / float64(n)
}

// labScore evaluates a scorer on the lab's held-out queries.
func labScore(d *labData, score func(x []float64) float64) string {
	var a, b, ar, br float64
	var na, nb int
	for _, q := range d.Queries {
		if q.NRelA > 0 {
			n, r := labNDCG(q.A, score, q.NRelA)
			a, ar, na = a+n, ar+r, na+1
		}
		if q.NRel > 0 {
			n, r := labNDCG(q.B, score, q.NRel)
			b, br, nb = b+n, br+r, nb+1
		}
	}
	return fmt.Sprintf("A nDCG@10 %.4f R@50 %.4f (%d) | B nDCG@10 %.4f R@50 %.4f (%d)", a/float64(na), ar/float64(na), na, b/float64(nb), br/float64(nb), nb)
}

// TestLab compares model variants on cached first stages (development
// only; MATCHGRID_CORDIS, MATCHGRID_CUTOFF, MATCHGRID_LAB_CACHE,
// MATCHGRID_LAB selects variants by name substring).
func TestLab(t *testing.T) {
	d, cutoff := labLoad(t)
	t.Logf("cutoff %s: %d fresh, %d known samples, %d queries", cutoff.Format(time.DateOnly), len(d.Fresh), len(d.Known), len(d.Queries))
	sel := os.Getenv("MATCHGRID_LAB")
	for _, v := range labVariants {
		if sel != "" && !slices.Contains(strings.Split(sel, ","), v.name) {
			continue
		}
		start := time.Now()
		ts := &training{fresh: d.Fresh, known: d.Known, cutoff: cutoff, history: d.History}
		score, err := v.fit(ts)
		if err != nil {
			t.Fatal(v.name, err)
		}
		t.Logf("%-20s %s  (%s)", v.name, labScore(d, score), time.Since(start).Round(time.Second))
	}
}

// labModel scores rows by the fresh model, or the known model (fitted
// with penalty lambda) for past partners.
func labModel(ts *training, lambda float64, fw []float64, fb float64) (func(x []float64) float64, error) {
	kw, kb, err := fitLogistic(ts.known, lambda, false)
	if err != nil {
		return nil, err
	}
	return func(x []float64) float64 {
		w, z := fw, fb
		if x[matcher.PastPartnerFeature] > 0 {
			w, z = kw, kb
		}
		for i, v := range x {
			z += w[i] * v
		}
		return 1 / (1 + math.Exp(-z))
	}, nil
}

// labPlain fits logistic models with penalty lambda, the known-partner
// one with penalty known.
func labPlain(lambda, known float64) func(ts *training) (func(x []float64) float64, error) {
	return func(ts *training) (func(x []float64) float64, error) {
		w, b, err := fitLogistic(ts.fresh, lambda, false)
		if err != nil {
			return nil, err
		}
		return labModel(ts, known, w, b)
	}
}

// labVariants are the models the lab compares.
var labVariants = []struct {
	name string
	fit  func(ts *training) (func(x []float64) float64, error)
}{
	{"served", func(ts *training) (func(x []float64) float64, error) {
		w, err := ts.fit(func(f string, a ...any) { fmt.Printf(f+"\n", a...) })
		if err != nil {
			return nil, err
		}
		return w.Score, nil
	}},
	{"served-nosem", labWithout([]string{"semantic"}, labServed)},
	{"plain-l1", labPlain(1, 1)},
	{"plain-l3000", labPlain(3000, 1)},
	{"plain-l10000", labPlain(10000, 1)},
	{"both-l3000", labPlain(3000, 3000)},
	{"both-l10000", labPlain(10000, 10000)},
	{"both-l30000", labPlain(30000, 30000)},
}

// labView is the lab's data as a first stage of depth organizations (the
// cache's stages are in first-stage order) without the features of drop.
func labView(d *labData, depth int, drop ...string) *labData {
	cols := []int{}
	for _, name := range drop {
		cols = append(cols, slices.Index(matcher.FeatureNames, name))
	}
	strip := func(in []Sample, cut bool) []Sample {
		out := make([]Sample, 0, len(in))
		kept := 0
		for i, s := range in {
			if i == 0 || s.Group != in[i-1].Group {
				kept = 0
			}
			kept++
			if cut && kept > depth {
				continue
			}
			x := slices.Clone(s.X)
			for _, c := range cols {
				x[c] = 0
			}
			out = append(out, Sample{X: x, Label: s.Label, Group: s.Group})
		}
		return out
	}
	v := &labData{Fresh: strip(d.Fresh, true), Known: strip(d.Known, false), History: d.History}
	for _, q := range d.Queries {
		v.Queries = append(v.Queries, labQuery{A: strip(q.A, true), B: strip(q.B, true), NRelA: q.NRelA, NRel: q.NRel})
	}
	return v
}

// labNew are the features of consortium.go, which the view variants leave out or keep.
var labNew = []string{"near_kind", "near_country", "fresh_partners", "recent_partner_likeness", "same_city"}

// TestLabViews compares the served fit on first stages of several depths,
// with and without the features of labNew (development only, as TestLab).
func TestLabViews(t *testing.T) {
	d, cutoff := labLoad(t)
	t.Logf("cutoff %s: %d fresh, %d known samples, %d queries", cutoff.Format(time.DateOnly), len(d.Fresh), len(d.Known), len(d.Queries))
	without := func(keep string) []string {
		var out []string
		for _, f := range labNew {
			if f != keep {
				out = append(out, f)
			}
		}
		return out
	}
	views := []struct {
		name  string
		depth int
		drop  []string
	}{
		{"main-600", 600, labNew},
		{"new-600", 600, nil},
		{"main-1000", 1000, labNew},
		{"new-1000", 1000, nil},
		{"kind+city-600", 600, []string{"near_country", "fresh_partners", "recent_partner_likeness"}},
	}
	for _, f := range labNew {
		views = append(views, struct {
			name  string
			depth int
			drop  []string
		}{"only-" + f + "-600", 600, without(f)})
	}
	sel := os.Getenv("MATCHGRID_LAB")
	for _, v := range views {
		if sel != "" && !slices.Contains(strings.Split(sel, ","), v.name) {
			continue
		}
		start := time.Now()
		dv := labView(d, v.depth, v.drop...)
		ts := &training{fresh: dv.Fresh, known: dv.Known, cutoff: cutoff, history: dv.History}
		w, err := ts.fit(func(string, ...any) {})
		if err != nil {
			t.Fatal(v.name, err)
		}
		t.Logf("%-40s %s  (%s)", v.name, labScore(dv, w.Score), time.Since(start).Round(time.Second))
	}
}

// labServed fits the served models.
func labServed(ts *training) (func(x []float64) float64, error) {
	w, err := ts.fit(func(f string, a ...any) {})
	if err != nil {
		return nil, err
	}
	return w.Score, nil
}

// labWithout fits a variant with the features whose names start with
// prefix set to zero (in training and in scoring).
func labWithout(prefixes []string, fit func(ts *training) (func(x []float64) float64, error)) func(ts *training) (func(x []float64) float64, error) {
	var cols []int
	for i, n := range matcher.FeatureNames {
		for _, prefix := range prefixes {
			if strings.HasPrefix(n, prefix) {
				cols = append(cols, i)
			}
		}
	}
	mask := func(x []float64) []float64 {
		x = slices.Clone(x)
		for _, c := range cols {
			x[c] = 0
		}
		return x
	}
	masked := func(in []Sample) []Sample {
		out := make([]Sample, len(in))
		for i, s := range in {
			s.X = mask(s.X)
			out[i] = s
		}
		return out
	}
	return func(ts *training) (func(x []float64) float64, error) {
		m := *ts
		m.fresh, m.known = masked(ts.fresh), masked(ts.known)
		score, err := fit(&m)
		if err != nil {
			return nil, err
		}
		return func(x []float64) float64 { return score(mask(x)) }, nil
	}
}
