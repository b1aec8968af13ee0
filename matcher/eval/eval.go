package eval

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// ErrData means input data (CORDIS files, query files, training samples)
// cannot be used. It is matcher.ErrData.
var ErrData = matcher.ErrData

// Engine is what the evaluation needs of the served engine: the store the
// event is written to and the matcher that serves suggestions
// (*matchgrid.Engine has both).
type Engine interface {
	Store() *profiles.Store
	Matcher() (*matcher.Matcher, error)
}

// Metrics are the ranking metrics of one ranker on one task.
type Metrics struct {
	R10     float64 `json:"r10"`
	R50     float64 `json:"r50"`
	MRR     float64 `json:"mrr"`
	NDCG10  float64 `json:"ndcg10"`
	Queries int     `json:"queries"`
}

// TaskResult holds the metrics of the engine and of the two baselines on one task.
type TaskResult struct {
	Engine     Metrics `json:"engine"`
	BM25       Metrics `json:"bm25"`
	Popularity Metrics `json:"popularity"`
}

// SetResult is the outcome on one query set: tasks "A" and "B".
type SetResult struct {
	Name  string                 `json:"name"`
	Tasks map[string]*TaskResult `json:"tasks"`
}

// Result is the outcome of the CORDIS evaluation. Tasks are those of the
// first query set; Sets lists every set when there are several.
type Result struct {
	Tasks   map[string]*TaskResult `json:"tasks"`
	Sets    []SetResult            `json:"sets,omitempty"`
	EventID string                 `json:"event"`
	K       int                    `json:"k"`
	Weights *matcher.Weights       `json:"weights"`
}

// QuerySet is a list of test projects with the query text to use for
// each (instead of title, keywords and objective).
type QuerySet struct {
	Name     string
	Projects []string
	Text     map[string]string
}

// Options tune Run.
type Options struct {
	// Cutoff splits history (projects starting before it) from test projects.
	Cutoff time.Time
	// EventID names the event the run builds (default "cordis-eval").
	EventID string
	// K is how many suggestions each query asks for (default 50).
	K int
	// Weights, when set, are used instead of fitting on history.
	Weights *matcher.Weights
	// Sets, when set, are evaluated instead of every test query.
	Sets []QuerySet
	// PerQuery, when set, receives one JSON line per query and task.
	PerQuery io.Writer
	// KeepLast keeps the last query's request (and new-partners
	// participant) in the store, so that the kept data reproduces it.
	KeepLast bool
	// Seed breaks the baselines' ties.
	Seed uint64
	// Progress, when set, receives progress lines.
	Progress io.Writer
}

func (o *Options) logf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// PerQuery is one line of the per-query file.
type PerQuery struct {
	Task        string   `json:"task"`
	Project     string   `json:"project"`
	Set         string   `json:"set,omitempty"`
	Event       string   `json:"event"`
	Requester   string   `json:"requester"`
	Participant string   `json:"participant"`
	K           int      `json:"k"`
	Top         []string `json:"top"`
	TopOrgs     []string `json:"top_orgs"`
}

// Run evaluates the served matcher on CORDIS consortia. It fits the
// weights on history (unless given), writes the history event with the
// CORDIS importer into eng's store (every pool organization a participant,
// the weights as the event's own), then, for each test query, posts the
// query as the requester's request opportunity and asks Matcher.Suggest:
// task A for the requester's participant, task B for a participant of the
// same organization who hides known partners. BM25 and popularity rank
// the same pool in the same run.
func Run(eng Engine, projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, opts Options) (*Result, error) {
	if opts.Cutoff.IsZero() {
		return nil, fmt.Errorf("%w: a cutoff date is needed", ErrData)
	}
	opts.EventID = cmp.Or(opts.EventID, "cordis-eval")
	opts.K = cmp.Or(opts.K, 50)
	c, err := newConsortia(projects, parts)
	if err != nil {
		return nil, err
	}
	history, test := c.before(opts.Cutoff), c.between(opts.Cutoff, time.Time{})
	if len(history) == 0 || len(test) == 0 {
		return nil, fmt.Errorf("%w: %d history and %d test projects around %s", ErrData, len(history), len(test), opts.Cutoff.Format(time.DateOnly))
	}
	weights := opts.Weights
	if weights == nil {
		if weights, err = Fit(projects, parts, opts.Cutoff, opts.logf); err != nil {
			return nil, err
		}
	}
	w := newWorld(history)
	all := w.queries(test)
	sets, err := selectQueries(all, opts.Sets)
	if err != nil {
		return nil, err
	}
	m, err := eng.Matcher() // opens the index first, so that it follows the import
	if err != nil {
		return nil, err
	}
	if err := writeEvent(eng.Store(), projects, parts, weights, opts); err != nil {
		return nil, err
	}
	opts.logf("eval: %d organizations in the pool, %d of %d test projects are queries", len(w.pool), len(all), len(test))
	res := &Result{EventID: opts.EventID, K: opts.K, Weights: weights}
	start := time.Now()
	for si, set := range sets {
		r := &runner{eng: eng, m: m, w: w, opts: &opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x6d61746368)), name: set.name}
		tasks, err := r.run(set.queries, si == len(sets)-1)
		if err != nil {
			return nil, err
		}
		res.Sets = append(res.Sets, SetResult{Name: set.name, Tasks: tasks})
		opts.logf("eval: query set %q done (%d queries, %s)", set.name, len(set.queries), time.Since(start).Round(time.Second))
	}
	res.Tasks = res.Sets[0].Tasks
	if len(res.Sets) == 1 {
		res.Sets = nil
	}
	return res, nil
}

// querySet is a set's queries, resolved against the protocol.
type querySet struct {
	name    string
	queries []evalQuery
}

// selectQueries applies the query sets: each listed project must be a
// task-A query under the protocol.
func selectQueries(all []evalQuery, sets []QuerySet) ([]querySet, error) {
	if len(sets) == 0 {
		return []querySet{{name: "test", queries: all}}, nil
	}
	byID := map[string]evalQuery{}
	for _, q := range all {
		byID[q.project.p.ID] = q
	}
	var out []querySet
	for _, s := range sets {
		qs := querySet{name: s.Name}
		for _, id := range s.Projects {
			q, ok := byID[id]
			if !ok {
				return nil, fmt.Errorf("%w: %s: project %s is not a test query under the protocol (unknown, before the cutoff, or fewer than 3 pool members)", ErrData, s.Name, id)
			}
			q.text = s.Text[id]
			qs.queries = append(qs.queries, q)
		}
		out = append(out, qs)
	}
	return out, nil
}

// participantIDs are the IDs of an organization's participant and of its
// new-partners-only participant.
func participantIDs(org string) (string, string) { return org + "-p", org + "-new" }

// writeEvent writes the history event with the CORDIS importer.
func writeEvent(st *profiles.Store, projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, weights *matcher.Weights, opts Options) error {
	b, err := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{EventID: opts.EventID, Cutoff: opts.Cutoff})
	if err != nil {
		return err
	}
	b.Event.MatchWeights = weights.FlatWeights()
	for _, o := range b.Organizations {
		id, _ := participantIDs(o.ID)
		b.Participants = append(b.Participants, profiles.Participant{ID: id, EventID: b.Event.ID, OrganizationID: o.ID,
			FirstName: "Delegate", LastName: o.ID, Type: profiles.ParticipationTypes[0]})
	}
	opts.logf("eval: writing event %s (%d organizations)", b.Event.ID, len(b.Organizations))
	return st.Update(func(tx *profiles.Tx) error {
		return tx.ImportBundle(b, profiles.ImportOptions{Replace: true})
	})
}

// runner evaluates one query set.
type runner struct {
	eng  Engine
	m    *matcher.Matcher
	w    *world
	opts *Options
	rng  *rand.Rand
	name string
}

func (r *runner) run(qs []evalQuery, last bool) (map[string]*TaskResult, error) {
	acc := map[string]*[3]metricSum{"A": {}, "B": {}}
	n := len(r.w.pool)
	bm, pop := make([]float64, n), make([]float64, n)
	for qi, q := range qs {
		tops, err := r.ask(q, last && qi == len(qs)-1)
		if err != nil {
			return nil, err
		}
		clear(bm)
		r.w.text.Score(bagOf(r.w.voc, q.text, false), false, bm)
		copy(pop, r.w.nproj)
		tie := r.rng.Perm(n)
		for task, rel := range map[string][]int{"A": q.relA, "B": q.relB} {
			if len(rel) == 0 {
				continue
			}
			acc[task][0].add(tops[task], rel)
			acc[task][1].add(rank(bm, q.requester, tie), rel)
			acc[task][2].add(rank(pop, q.requester, tie), rel)
		}
		if (qi+1)%25 == 0 || qi+1 == len(qs) {
			r.opts.logf("eval: %s: %d/%d queries", r.name, qi+1, len(qs))
		}
	}
	out := map[string]*TaskResult{}
	for task, a := range acc {
		out[task] = &TaskResult{Engine: a[0].metrics(), BM25: a[1].metrics(), Popularity: a[2].metrics()}
	}
	return out, nil
}

// ask posts a query as the requester's request, asks the matcher for
// both tasks and removes the request again (unless keep).
func (r *runner) ask(q evalQuery, keep bool) (map[string][]int, error) {
	org := orgID(r.w.pool[q.requester])
	pA, pB := participantIDs(org)
	ev := r.opts.EventID
	opp := requestOf(ev, "q-"+q.project.p.ID, pA, org, q)
	err := r.eng.Store().Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant(ev, pA)
		if err != nil {
			return err
		}
		b := *p
		b.ID, b.FirstName, b.HideKnownPartners = pB, "New-partners delegate", true
		if err := tx.CreateParticipant(&b); err != nil {
			return err
		}
		return tx.CreateOpportunity(opp)
	})
	if err != nil {
		return nil, fmt.Errorf("eval: posting the query of %s: %w", q.project.p.ID, err)
	}
	tops := map[string][]int{}
	for task, pid := range map[string]string{"A": pA, "B": pB} {
		sug, err := r.m.Suggest(ev, pid, r.opts.K)
		if err != nil {
			return nil, err
		}
		line := PerQuery{Task: task, Project: q.project.p.ID, Event: ev, Requester: org, Participant: pid, K: r.opts.K, Top: []string{}, TopOrgs: []string{}}
		if r.name != "test" {
			line.Set = r.name
		}
		for i, s := range sug {
			if j, ok := r.w.idx[strings.TrimPrefix(s.OrganizationID, "pic-")]; ok && !slices.Contains(tops[task], j) {
				tops[task] = append(tops[task], j)
			}
			if i < 10 {
				line.Top = append(line.Top, s.ParticipantID)
				line.TopOrgs = append(line.TopOrgs, s.OrganizationID)
			}
		}
		if r.opts.PerQuery != nil && (task == "A" || len(q.relB) > 0) {
			if err := json.NewEncoder(r.opts.PerQuery).Encode(line); err != nil {
				return nil, err
			}
		}
	}
	if keep {
		return tops, nil
	}
	err = r.eng.Store().Update(func(tx *profiles.Tx) error {
		if err := tx.DeleteOpportunity(ev, opp.ID); err != nil {
			return err
		}
		return tx.DeleteParticipant(ev, pB)
	})
	return tops, err
}

// requestOf turns a query into a request opportunity: the project's title
// and keywords with its objective, or a given text cut into a title (its
// first words) and a description (the rest).
func requestOf(eventID, id, participant, org string, q evalQuery) *profiles.Opportunity {
	o := &profiles.Opportunity{ID: id, EventID: eventID, ParticipantID: participant, OrganizationID: org, Kind: profiles.KindRequest,
		Language: index.Detect(q.text, "en")}
	if q.text == queryText(q.project.p) {
		o.Title, o.Keywords, o.Description = q.project.p.Title, q.project.p.Keywords, q.project.p.Objective
		return o
	}
	words := strings.Fields(q.text)
	cut := min(len(words), 12)
	o.Title, o.Description = strings.Join(words[:cut], " "), strings.Join(words[cut:], " ")
	return o
}

// rank returns the candidates (all but skip) best first; ties go by the tie permutation.
func rank(score []float64, skip int, tie []int) []int {
	out := make([]int, 0, len(score)-1)
	for i := range score {
		if i != skip {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(tie[a], tie[b]))
	})
	return out
}

// metricSum accumulates per-query metrics.
type metricSum struct {
	r10, r50, mrr, ndcg float64
	n                   int
}

// add adds one query: ranked is the ranking (possibly cut short), rel the relevant ones.
func (m *metricSum) add(ranked []int, rel []int) {
	isRel := make(map[int]bool, len(rel))
	for _, r := range rel {
		isRel[r] = true
	}
	var hits10, hits50 int
	var dcg float64
	first := 0
	for i, c := range ranked {
		if !isRel[c] {
			continue
		}
		if first == 0 {
			first = i + 1
		}
		if i < 10 {
			hits10++
			dcg += 1 / math.Log2(float64(i+2))
		}
		if i < 50 {
			hits50++
		}
	}
	var idcg float64
	for i := 0; i < len(rel) && i < 10; i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	m.r10 += float64(hits10) / float64(len(rel))
	m.r50 += float64(hits50) / float64(len(rel))
	if first > 0 {
		m.mrr += 1 / float64(first)
	}
	m.ndcg += dcg / idcg
	m.n++
}

func (m *metricSum) metrics() Metrics {
	if m.n == 0 {
		return Metrics{}
	}
	n := float64(m.n)
	return Metrics{R10: m.r10 / n, R50: m.r50 / n, MRR: m.mrr / n, NDCG10: m.ndcg / n, Queries: m.n}
}
