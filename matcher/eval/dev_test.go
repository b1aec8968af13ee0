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
// score and variants of it (development only: compile with a larger
// firstStage to see beyond it; choose on a validation split of history).
func TestDevFirstStage(t *testing.T) {
	projects, parts, cutoff := devData(t)
	w, qs, pool := devHeldOut(t, projects, parts, cutoff)
	f := func(name string) int { return slices.Index(matcher.FeatureNames, name) }
	variants := []struct {
		name  string
		score func(row []float64) float64
	}{
		{"text+knn", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] }},
		{"+profile", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + 0.5*r[f("profile_similarity")] }},
		{"+codes", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + r[f("codes")] }},
		{"+partners", func(r []float64) float64 { return r[f("text")] + r[f("project_knn")] + 0.5*r[f("text_partners")] }},
		{"qtf+knn", func(r []float64) float64 { return r[f("text_qtf")] + r[f("project_knn")] }},
	}
	depths := []int{300, 600, 1000}
	hits := make([][]int, len(variants))
	for i := range hits {
		hits[i] = make([]int, len(depths))
	}
	total := 0
	for _, q := range qs {
		cands := pool.Candidates(orgID(w.pool[q.requester]), q.text, "en", true)
		rel := map[string]bool{}
		for _, j := range q.relB {
			rel[orgID(w.pool[j])] = true
		}
		total += len(rel)
		for vi, v := range variants {
			s := slices.Clone(cands)
			slices.SortStableFunc(s, func(a, b matcher.Candidate) int { return cmp.Compare(v.score(b.Row), v.score(a.Row)) })
			for di, d := range depths {
				for _, cd := range s[:min(d, len(s))] {
					if rel[cd.OrgID] {
						hits[vi][di]++
					}
				}
			}
		}
	}
	for vi, v := range variants {
		line := v.name
		for di, d := range depths {
			line += fmt.Sprintf("  @%d %.3f", d, float64(hits[vi][di])/float64(max(total, 1)))
		}
		t.Log(line)
	}
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
