package matcher

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// protocolData: two history projects and three test projects.
func protocolData() ([]profiles.CORDISProject, []profiles.CORDISParticipation) {
	projects := []profiles.CORDISProject{
		{ID: "p1", Title: "Sepsis diagnostics", Objective: "rapid sepsis diagnostics in blood", StartDate: day("2022-01-01")},
		{ID: "p2", Title: "Cancer imaging", Objective: "imaging of tumours with AI", StartDate: day("2023-01-01")},
		{ID: "p3", Title: "Sepsis imaging", Objective: "imaging sepsis", StartDate: day("2024-02-01")},
		{ID: "p4", Title: "Sepsis again", Objective: "sepsis blood", StartDate: day("2024-03-01")},
		{ID: "p5", Title: "Too few", Objective: "nothing", StartDate: day("2024-04-01")},
	}
	row := func(p, org, role string, order int) profiles.CORDISParticipation {
		return profiles.CORDISParticipation{ProjectID: p, OrgID: org, Name: "ORG " + org, ActivityType: "REC", Role: role, Order: order, Country: "IT"}
	}
	parts := []profiles.CORDISParticipation{
		row("p1", "A", "coordinator", 1), row("p1", "B", "participant", 2), row("p1", "C", "participant", 3),
		row("p2", "D", "coordinator", 1), row("p2", "E", "participant", 2), row("p2", "F", "associatedPartner", 3),
		row("p2", "T", "thirdParty", 4),
		// p3: coordinator X is not in the pool; B is the first pool member by order.
		row("p3", "X", "coordinator", 1), row("p3", "B", "participant", 2), row("p3", "D", "participant", 3),
		row("p3", "E", "participant", 4), row("p3", "E", "associatedPartner", 5), row("p3", "G", "participant", 6),
		// p4: every other member is a past partner of A: no task B query.
		row("p4", "A", "coordinator", 1), row("p4", "B", "participant", 2), row("p4", "C", "participant", 3), row("p4", "Z", "participant", 4),
		// p5: two pool members only (T was a third party, not a member).
		row("p5", "A", "coordinator", 1), row("p5", "D", "participant", 2), row("p5", "T", "participant", 3),
	}
	return projects, parts
}

func TestProtocolQueries(t *testing.T) {
	projects, parts := protocolData()
	c, err := newConsortia(projects, parts)
	if err != nil {
		t.Fatal(err)
	}
	cutoff := day("2024-01-01")
	w := newWorld(c, c.before(cutoff), cutoff)
	if want := []string{"A", "B", "C", "D", "E", "F"}; !slices.Equal(w.pool, want) {
		t.Fatalf("pool %v, want %v", w.pool, want)
	}
	qs := w.queries(c.between(cutoff, time.Time{}))
	if len(qs) != 2 {
		t.Fatalf("%d queries, want 2", len(qs))
	}
	name := func(list []int) []string {
		var out []string
		for _, i := range list {
			out = append(out, w.pool[i])
		}
		return out
	}
	cases := []struct {
		requester    string
		relA, relB   []string
		projectTitle string
	}{
		{"B", []string{"D", "E"}, []string{"D", "E"}, "Sepsis imaging"},
		{"A", []string{"B", "C"}, nil, "Sepsis again"},
	}
	for i, want := range cases {
		q := qs[i]
		if w.pool[q.requester] != want.requester || q.project.p.Title != want.projectTitle {
			t.Errorf("query %d: requester %s of %q", i, w.pool[q.requester], q.project.p.Title)
		}
		if !slices.Equal(name(q.relA), want.relA) || !slices.Equal(name(q.relB), want.relB) {
			t.Errorf("query %d: relevant A %v B %v, want %v %v", i, name(q.relA), name(q.relB), want.relA, want.relB)
		}
	}
	// Text of the pool comes from history only: "tumours" is in p2, "again" only in a test project.
	if w.voc.id("again", false) >= 0 {
		t.Error("test project text leaked into the history vocabulary")
	}
}

func TestMetrics(t *testing.T) {
	var m metricSum
	m.add([]int{5, 1, 2, 3}, []int{1, 3})
	got := m.metrics()
	want := Metrics{R10: 1, R50: 1, MRR: 0.5, NDCG10: (1/math.Log2(3) + 1/math.Log2(5)) / (1 + 1/math.Log2(3)), Queries: 1}
	if math.Abs(got.NDCG10-want.NDCG10) > 1e-12 || got.R10 != want.R10 || got.MRR != want.MRR || got.Queries != 1 {
		t.Errorf("metrics %+v, want %+v", got, want)
	}
	var none metricSum
	none.add([]int{4, 5}, []int{1})
	if g := none.metrics(); g.R10 != 0 || g.MRR != 0 || g.NDCG10 != 0 {
		t.Errorf("no hit: %+v", g)
	}
}

func TestFitLogisticLearnsTheSignal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var samples []Sample
	for range 2000 {
		x := []float64{rng.Float64(), rng.Float64()}
		label := 0.0
		if x[0]+0.1*rng.NormFloat64() > 0.7 {
			label = 1
		}
		samples = append(samples, Sample{X: x, Label: label})
	}
	w, _, err := FitLogistic(samples, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if w[0] < 5 || math.Abs(w[1]) > 1 {
		t.Errorf("weights %v: want a large weight on x0, little on x1", w)
	}
	if _, _, err := FitLogistic(samples[:1], 1); err == nil {
		t.Error("one class only: no error")
	}
}

func TestEvaluateSmall(t *testing.T) {
	projects, parts := protocolData()
	_, err := EvaluateCORDIS(projects, parts, EvalOptions{Cutoff: day("2026-01-01")})
	if err == nil {
		t.Error("no test projects: no error")
	}
}

// TestEvaluateCORDIS runs the full evaluation on the CORDIS development
// data when MATCHGRID_CORDIS names its directory (it takes a few seconds
// and needs the shared data), and checks the acceptance ratios.
func TestEvaluateCORDIS(t *testing.T) {
	dir := os.Getenv("MATCHGRID_CORDIS")
	if dir == "" || testing.Short() {
		t.Skip("set MATCHGRID_CORDIS to the cordis-health directory to run the evaluation")
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
	res, err := EvaluateCORDIS(projects, parts, EvalOptions{Cutoff: day("2024-01-01"), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for task, ratio := range map[string]float64{"A": 1.3, "B": 1.5} {
		r := res.Tasks[task]
		t.Logf("task %s: engine %+v bm25 %+v popularity %+v", task, r.Engine, r.BM25, r.Popularity)
		if r.Engine.NDCG10 < ratio*r.BM25.NDCG10 {
			t.Errorf("task %s: engine nDCG@10 %.4f < %.1f x BM25 %.4f", task, r.Engine.NDCG10, ratio, r.BM25.NDCG10)
		}
		if r.Engine.R50 <= r.BM25.R50 {
			t.Errorf("task %s: engine R@50 %.4f <= BM25 %.4f", task, r.Engine.R50, r.BM25.R50)
		}
	}
}
