package eval

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	dir := os.Getenv("MATCHGRID_CORDIS")
	if dir == "" || testing.Short() {
		t.Skip("set MATCHGRID_CORDIS to the cordis-health directory")
	}
	pf, _ := os.Open(filepath.Join(dir, "projects.csv"))
	defer pf.Close()
	projects, err := profiles.ReadCORDISProjects(pf, "projects.csv")
	if err != nil {
		t.Fatal(err)
	}
	qf, _ := os.Open(filepath.Join(dir, "participations.csv"))
	defer qf.Close()
	parts, err := profiles.ReadCORDISParticipations(qf, "participations.csv")
	if err != nil {
		t.Fatal(err)
	}
	cutoff := day(cmp.Or(os.Getenv("MATCHGRID_CUTOFF"), "2024-01-01"))
	logf := func(f string, a ...any) { t.Logf(f, a...) }
	ts, err := trainingSamples(projects, parts, cutoff, logf)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newConsortia(projects, parts)
	w := newWorld(c.before(cutoff))
	qs := w.queries(c.between(cutoff, day("2100-01-01")))
	bundle, _ := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{Cutoff: cutoff})
	pool := matcher.NewPool(bundle.Organizations, cutoff)
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
