package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/matcher"
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
	w := newWorld(c.before(cutoff))
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
	if w.voc.ID("again", false) >= 0 {
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

func TestReadQueries(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		err      string // part of the error, "" for none
	}{
		{"ok", "projectID,query\np1,sepsis in blood\np2,\"imaging, AI\"\n", []string{"p1", "p2"}, ""},
		{"bad header", "id,text\np1,x\n", nil, "header"},
		{"empty query", "projectID,query\np1,\n", nil, "line 2: field query"},
		{"empty id", "projectID,query\n,x\n", nil, "line 2: field projectID"},
		{"duplicate", "projectID,query\np1,a\np1,b\n", nil, "line 3: project p1 is listed twice"},
		{"no rows", "projectID,query\n", nil, "no queries"},
		{"three fields", "projectID,query\np1,a,b\n", nil, "fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set, err := ReadQueries(strings.NewReader(tc.in), "q.csv")
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrData) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want ErrData with %q", err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(set.Projects, tc.want) {
				t.Fatalf("projects %v, %v; want %v", set.Projects, err, tc.want)
			}
		})
	}
}

func FuzzReadQueries(f *testing.F) {
	f.Add("projectID,query\np1,sepsis\n")
	f.Add("projectID,query\n\"p,1\",\"a\"\"b\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		set, err := ReadQueries(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v is not ErrData", err)
			}
			return
		}
		for _, id := range set.Projects {
			if id == "" || set.Text[id] == "" || len(set.Text[id]) > maxQueryText {
				t.Fatalf("accepted project %q with query %q", id, set.Text[id])
			}
		}
	})
}

// TestRunSmall runs the evaluation end to end on a real engine: the
// history event is written by the CORDIS importer, every query is posted
// as a request and answered by Matcher.Suggest, and the per-query lines
// name what the matcher returned.
func TestRunSmall(t *testing.T) {
	projects, parts := protocolData()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var lines bytes.Buffer
	res, err := Run(eng, projects, parts, Options{Cutoff: day("2024-01-01"), Weights: matcher.DefaultWeights(), K: 20, PerQuery: &lines, KeepLast: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tasks["A"].Engine.Queries != 2 || res.Tasks["B"].Engine.Queries != 1 {
		t.Errorf("queries A %d B %d, want 2 and 1", res.Tasks["A"].Engine.Queries, res.Tasks["B"].Engine.Queries)
	}
	dec := json.NewDecoder(&lines)
	var last PerQuery
	n := 0
	for dec.More() {
		if err := dec.Decode(&last); err != nil {
			t.Fatal(err)
		}
		n++
		if last.Event != "cordis-eval" || last.K != 20 || len(last.Top) != len(last.TopOrgs) {
			t.Errorf("per-query line %+v", last)
		}
		if slices.Contains(last.TopOrgs, last.Requester) {
			t.Errorf("%s: the requester is suggested to itself", last.Project)
		}
	}
	if n != 3 {
		t.Errorf("%d per-query lines, want 3 (A, A, B)", n)
	}
	// KeepLast: the last query's request is still there and gives the same top.
	m, err := eng.Matcher()
	if err != nil {
		t.Fatal(err)
	}
	sug, err := m.Suggest(last.Event, last.Participant, last.K)
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, s := range sug[:min(10, len(sug))] {
		top = append(top, s.ParticipantID)
	}
	if !slices.Equal(top, last.Top) {
		t.Errorf("kept data suggests %v, the run recorded %v", top, last.Top)
	}
	// An unknown project in a query set is an error naming it.
	_, err = Run(eng, projects, parts, Options{Cutoff: day("2024-01-01"), Weights: matcher.DefaultWeights(),
		Sets: []QuerySet{{Name: "q.csv", Projects: []string{"p5"}, Text: map[string]string{"p5": "x"}}}})
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "p5") {
		t.Errorf("p5 (too few pool members): error %v", err)
	}
}
