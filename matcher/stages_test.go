package matcher

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// A ranking computed again from a first stage kept across a write (one
// that left the model in place: a request) or carried over to the next
// model (an opportunity edit: its opportunity column scored again) is the
// ranking a fresh matcher computes on the same store.
func TestRankingsAfterWritesEqualFresh(t *testing.T) {
	tests := []struct {
		name string
		// write returns whom each participant declined and the
		// organizations whose opportunities it changed.
		write func(t *testing.T, s *profiles.Store, eventID string, sample []string, before map[string][]Suggestion) (declined map[string]string, changed map[string]bool)
		// carried: the stages of the sample are carried to a new model,
		// but for those of the organizations changed (else kept by the
		// same model).
		carried bool
	}{
		{"declined requests", declineBest, false},
		{"opportunities edited", editOpportunities, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, eventID, people := openDemoCopy(t, 30)
			warm, err := New(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer warm.Close()
			var sample []string
			for i := 0; i < len(people); i += 5 {
				sample = append(sample, people[i])
			}
			before := map[string][]Suggestion{}
			for _, p := range sample {
				if before[p], err = warm.Suggest(eventID, p, 10); err != nil {
					t.Fatal(err)
				}
			}
			declined, changed := tt.write(t, s, eventID, sample, before)
			snap, err := warm.snapshot(eventID)
			if err != nil {
				t.Fatal(err)
			}
			em, err := warm.eventModel(snap)
			if err != nil {
				t.Fatal(err)
			}
			reused := 0
			for _, p := range sample {
				org := snap.people[p].OrganizationID
				k := stageKey{em.pool.idx[org], snap.people[p].HideKnownPartners}
				kept, carried := em.stages.get(k) != nil, em.carried[k] != nil
				if want := !tt.carried; kept != want {
					t.Errorf("%s: stage kept by the model %v, want %v", p, kept, want)
				}
				if want := tt.carried && !changed[org]; carried != want {
					t.Errorf("%s: stage carried to the new model %v, want %v", p, carried, want)
				}
				if kept || carried {
					reused++
				}
			}
			if reused == 0 || tt.carried && reused == len(sample) {
				t.Errorf("%d of %d stages reused: the case tests too little", reused, len(sample))
			}
			fresh, err := New(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			for _, p := range sample {
				got, err := warm.Rank(eventID, p, 10)
				if err != nil {
					t.Fatal(err)
				}
				want, err := fresh.Rank(eventID, p, 10)
				if err != nil {
					t.Fatal(err)
				}
				// Scores are compared to 9 significant digits: BM25 sums a
				// query's terms in map order, which differs in the last bits.
				if !reflect.DeepEqual(rounded(got.Suggestions), rounded(want.Suggestions)) ||
					got.Considered != want.Considered || !reflect.DeepEqual(got.Dropped, want.Dropped) {
					t.Errorf("%s: after the write %v, fresh %v", p, ids(got.Suggestions), ids(want.Suggestions))
				}
				if q := declined[p]; q != "" && slices.ContainsFunc(got.Suggestions, func(sg Suggestion) bool { return sg.ParticipantID == q }) {
					t.Errorf("%s: still suggested %s, whom they declined", p, q)
				}
			}
		})
	}
}

// declineBest has each sampled participant decline their best suggestion
// with no request between them yet.
func declineBest(t *testing.T, s *profiles.Store, eventID string, sample []string, before map[string][]Suggestion) (map[string]string, map[string]bool) {
	requested := map[[2]string]bool{}
	if err := s.View(func(tx *profiles.Tx) error {
		reqs, err := tx.Requests(eventID)
		for _, r := range reqs {
			requested[[2]string{r.From, r.To}] = true
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	target := map[string]string{}
	for _, p := range sample {
		for _, sg := range before[p] {
			q := sg.ParticipantID
			if !requested[[2]string{q, p}] && target[q] != p {
				target[p] = q
				break
			}
		}
	}
	err := s.Update(func(tx *profiles.Tx) error {
		for p, q := range target {
			r := &profiles.MeetingRequest{ID: profiles.NewID("req"), EventID: eventID, From: p, To: q,
				Status: profiles.RequestDeclined, CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := tx.CreateRequest(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return target, nil
}

// editOpportunities rewrites the opportunities of the first sampled
// participant's organization and of the organization of everyone's best
// suggestion, so that their text moves in the others' rankings.
func editOpportunities(t *testing.T, s *profiles.Store, eventID string, sample []string, before map[string][]Suggestion) (map[string]string, map[string]bool) {
	orgs, edited := map[string]bool{}, map[string]bool{}
	err := s.Update(func(tx *profiles.Tx) error {
		first, err := tx.Participant(eventID, sample[0])
		if err != nil {
			return err
		}
		orgs[first.OrganizationID] = true
		for _, p := range sample[1:] {
			if sug := before[p]; len(sug) > 0 {
				orgs[sug[0].OrganizationID] = true
			}
		}
		opps, err := tx.Opportunities(eventID)
		if err != nil {
			return err
		}
		for i := range opps {
			if o := &opps[i]; orgs[o.OrganizationID] {
				o.Summary = "Clinical validation of sepsis diagnostics and antimicrobial resistance screening."
				if err := tx.UpdateOpportunity(o); err != nil {
					return err
				}
				edited[o.OrganizationID] = true
			}
		}
		if len(edited) == 0 {
			t.Fatal("no opportunity to edit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return nil, edited
}

// rounded returns a copy of sug with every score rounded to 9 significant
// digits.
func rounded(sug []Suggestion) []Suggestion {
	r := func(x float64) float64 {
		if x == 0 {
			return 0
		}
		scale := math.Pow(10, 9-math.Ceil(math.Log10(math.Abs(x))))
		return math.Round(x*scale) / scale
	}
	out := slices.Clone(sug)
	for i := range out {
		s := &out[i]
		s.Score, s.Reciprocal = r(s.Score), r(s.Reciprocal)
		for _, d := range []*Direction{&s.Forward, &s.Backward} {
			d.Score = r(d.Score)
			d.Features = slices.Clone(d.Features)
			for j := range d.Features {
				f := &d.Features[j]
				f.Value, f.Weight, f.Contribution = r(f.Value), r(f.Weight), r(f.Contribution)
			}
		}
	}
	return out
}

func ids(sug []Suggestion) []string {
	out := make([]string, len(sug))
	for i, s := range sug {
		out[i] = s.ParticipantID
	}
	return out
}

// The model keeps the first stages of the last keptStages requesters:
// the least recently used goes first.
func TestStageCacheKeepsTheLastRequesters(t *testing.T) {
	var sc stageCache
	for r := range keptStages {
		sc.put(stageKey{r: r}, &stage{orgs: []int{r}})
	}
	sc.get(stageKey{r: 0}) // used again: now the most recent
	sc.put(stageKey{r: keptStages}, &stage{})
	sc.put(stageKey{r: keptStages + 1}, &stage{})
	tests := []struct {
		r    int
		kept bool
	}{{0, true}, {1, false}, {2, false}, {3, true}, {keptStages - 1, true}, {keptStages, true}, {keptStages + 1, true}}
	for _, tc := range tests {
		if got := sc.get(stageKey{r: tc.r}) != nil; got != tc.kept {
			t.Errorf("requester %d kept %v, want %v", tc.r, got, tc.kept)
		}
	}
	if fs := sc.get(stageKey{r: 3}); fs == nil || fs.orgs[0] != 3 {
		t.Errorf("requester 3's stage is %v", fs)
	}
	if fs := sc.get(stageKey{r: 3, hide: true}); fs != nil {
		t.Errorf("requester 3's stage without known partners is the one with them: %v", fs)
	}
}
