package eval

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// TestDevVariants compares model variants on the development data's test
// queries through the served feature code, without the store (a quick
// loop for development; the acceptance figure is "matchgrid eval cordis").
// It runs when MATCHGRID_CORDIS names the cordis-health directory;
// MATCHGRID_CUTOFF sets the cutoff (default 2024-01-01): choices are made
// on a validation split of history (data before 2024 with an earlier
// cutoff), never on the test projects.
func TestDevVariants(t *testing.T) {
	projects, parts, cutoff := devData(t)
	logf := func(f string, a ...any) { t.Logf(f, a...) }
	ts, err := trainingSamples(projects, parts, cutoff, logf)
	if err != nil {
		t.Fatal(err)
	}
	w, qs, pool := devHeldOut(t, projects, parts, cutoff)
	type query struct {
		cands      [2][]matcher.Candidate // tasks A and B (known partners hidden)
		relA, relB []int
	}
	var all []query
	for _, q := range qs {
		org := orgID(w.pool[q.requester])
		all = append(all, query{[2][]matcher.Candidate{pool.Candidates(org, q.text, "en", false), pool.Candidates(org, q.text, "en", true)}, q.relA, q.relB})
	}
	{
		wt, err := ts.fit(logf)
		if err != nil {
			t.Fatal(err)
		}
		var acc [2]metricSum
		for _, q := range all {
			for task, rel := range [][]int{q.relA, q.relB} {
				if len(rel) == 0 {
					continue
				}
				type sc struct {
					i int
					s float64
				}
				var ranked []sc
				for _, cd := range q.cands[task] {
					ranked = append(ranked, sc{w.idx[strings.TrimPrefix(cd.OrgID, "pic-")], wt.Score(cd.Row)})
				}
				slices.SortStableFunc(ranked, func(a, b sc) int { return cmp.Compare(b.s, a.s) })
				var ids []int
				for _, r := range ranked[:min(50, len(ranked))] {
					ids = append(ids, r.i)
				}
				acc[task].add(ids, rel)
			}
		}
		a, b := acc[0].metrics(), acc[1].metrics()
		t.Logf("without the store: A nDCG@10 %.4f R@50 %.4f | B nDCG@10 %.4f R@50 %.4f", a.NDCG10, a.R50, b.NDCG10, b.R50)
	}
}

// TestDevFirstStage reports how many of the new partners (task B) of the
// queries after MATCHGRID_CUTOFF the first stage of a requester who hides
// known partners holds at several depths, for the served first-stage
// order and for single signals and unions of their top lists, and where
// the partners the served first stage misses rank by each signal
// (development only: compile with a larger firstStage to see beyond it;
// choose on a validation split of history).
func TestDevFirstStage(t *testing.T) {
	projects, parts, cutoff := devData(t)
	w, qs, pool := devHeldOut(t, projects, parts, cutoff)
	f := func(name string) int { return slices.Index(matcher.FeatureNames, name) }
	sig := func(name string) func(r []float64) float64 {
		i := f(name)
		return func(r []float64) float64 { return r[i] }
	}
	signals := []struct {
		name  string
		score func(row []float64) float64
	}{
		{"served", nil}, // the first stage's own order
		{"text", sig("text")}, {"project_knn", sig("project_knn")}, {"profile_similarity", sig("profile_similarity")},
		{"text_partners", sig("text_partners")}, {"project_knn_partners", sig("project_knn_partners")},
		{"partner_likeness", sig("partner_likeness")}, {"partners_like_you", sig("partners_like_you")},
		{"partner_of_partner", sig("partner_of_partner")}, {"codes", sig("codes")}, {"popularity", sig("popularity")},
		{"project_best", sig("project_best")}, {"text_short", sig("text_short")},
		{"text+knn+0.1pop", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + 0.1*r[f("popularity")] }},
		{"text+knn+0.2pop", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + 0.2*r[f("popularity")] }},
		{"text+knn+0.05fof", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + 0.1*r[f("partner_of_partner")] }},
		{"text+knn+0.1pop+0.1fof", func(r []float64) float64 {
			return r[f("text")] + r[f("project_knn")] + 0.1*r[f("popularity")] + 0.1*r[f("partner_of_partner")]
		}},
		{"text+knn+0.1pop+0.05knnp", func(r []float64) float64 {
			return r[f("text")] + r[f("project_knn")] + 0.1*r[f("popularity")] + 0.05*r[f("project_knn_partners")]
		}},
	}
	depths := []int{50, 100, 300, 600, 1000}
	hits := make([][]int, len(signals)+3)
	for i := range hits {
		hits[i] = make([]int, len(depths))
	}
	missRank := make([][]int, len(signals))
	total, n := 0, 0
	for _, q := range qs {
		cands := pool.Candidates(orgID(w.pool[q.requester]), q.text, "en", true)
		n = max(n, len(cands))
		rel := map[string]bool{}
		for _, j := range q.relB {
			rel[orgID(w.pool[j])] = true
		}
		total += len(rel)
		ranks := make([]map[string]int, len(signals))
		for vi, v := range signals {
			s := slices.Clone(cands)
			if v.score != nil {
				slices.SortStableFunc(s, func(a, b matcher.Candidate) int { return cmp.Compare(v.score(b.Row), v.score(a.Row)) })
			}
			ranks[vi] = map[string]int{}
			for i, cd := range s {
				ranks[vi][cd.OrgID] = i
			}
		}
		unions := [][]int{{1, 2}, {1, 2, 3}, {1, 2, 3, 4, 6}} // text+knn, +profile, +partners' signals: union of equal shares
		for o := range rel {
			for di, d := range depths {
				for vi := range signals {
					if ranks[vi][o] < d {
						hits[vi][di]++
					}
				}
				for ui, u := range unions {
					if roundRobin(ranks, u, d)[o] {
						hits[len(signals)+ui][di]++
					}
				}
			}
			if ranks[0][o] >= 600 {
				for vi := range signals {
					missRank[vi] = append(missRank[vi], ranks[vi][o])
				}
			}
		}
	}
	t.Logf("%d queries, %d new partners, %d candidates at most", len(qs), total, n)
	names := []string{"union text|knn", "union text|knn|profile", "union text|knn|profile|partners"}
	for vi := range hits {
		name := ""
		if vi < len(signals) {
			name = signals[vi].name
		} else {
			name = names[vi-len(signals)]
		}
		line := fmt.Sprintf("%-32s", name)
		for di, d := range depths {
			line += fmt.Sprintf("  @%d %.3f", d, float64(hits[vi][di])/float64(max(total, 1)))
		}
		if vi < len(signals) && len(missRank[vi]) > 0 {
			r := slices.Sorted(slices.Values(missRank[vi]))
			under := 0
			for _, v := range r {
				if v < 600 {
					under++
				}
			}
			line += fmt.Sprintf("  | misses (%d): median rank %d, in top 600: %d", len(r), r[len(r)/2], under)
		}
		t.Log(line)
	}
}

// roundRobin is the union of the top lists of the signals u (ranks by
// organization), taken in turn until it holds d organizations.
func roundRobin(ranks []map[string]int, u []int, d int) map[string]bool {
	lists := make([][]string, len(u))
	for i, vi := range u {
		lists[i] = make([]string, len(ranks[vi]))
		for o, r := range ranks[vi] {
			lists[i][r] = o
		}
	}
	out := map[string]bool{}
	for k := 0; len(out) < d && k < len(lists[0]); k++ {
		for _, l := range lists {
			if len(out) < d {
				out[l[k]] = true
			}
		}
	}
	return out
}

// devHeldOut builds what the development tests rank with: the world of
// history before cutoff, the held-out queries after it and the pool of
// the organizations as the CORDIS importer writes them.
func devHeldOut(t *testing.T, projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, cutoff time.Time) (*world, []evalQuery, *matcher.Pool) {
	t.Helper()
	c, err := newConsortia(projects, parts)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(c.before(cutoff))
	qs := w.queries(c.between(cutoff, day("2100-01-01")))
	bundle, err := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{Cutoff: cutoff})
	if err != nil {
		t.Fatal(err)
	}
	pool := matcher.NewPool(bundle.Organizations, cutoff)
	return w, qs, pool
}

// devData reads the CORDIS files of $MATCHGRID_CORDIS (or skips) and the
// cutoff of $MATCHGRID_CUTOFF (default 2024-01-01).
func devData(t *testing.T) ([]profiles.CORDISProject, []profiles.CORDISParticipation, time.Time) {
	t.Helper()
	dir := os.Getenv("MATCHGRID_CORDIS")
	if dir == "" || testing.Short() {
		t.Skip("set MATCHGRID_CORDIS to the cordis-health directory")
	}
	pf, err := os.Open(filepath.Join(dir, "projects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	projects, err := profiles.ReadCORDISProjects(pf, "projects.csv")
	if err != nil {
		t.Fatal(err)
	}
	qf, err := os.Open(filepath.Join(dir, "participations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer qf.Close()
	parts, err := profiles.ReadCORDISParticipations(qf, "participations.csv")
	if err != nil {
		t.Fatal(err)
	}
	return projects, parts, day(cmp.Or(os.Getenv("MATCHGRID_CUTOFF"), "2024-01-01"))
}
