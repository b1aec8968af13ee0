package matcher

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// A ranking computed again from a kept first stage (after a write that
// left the model in place) is the ranking computed from scratch on the
// same snapshot.
func TestRankingFromKeptStageEqualsFresh(t *testing.T) {
	s, eventID, people := openDemoCopy(t, 80)
	warm, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer warm.Close()
	var sample []string
	for i := 0; i < len(people); i += 12 {
		sample = append(sample, people[i])
	}
	before := map[string][]Suggestion{}
	for _, p := range sample {
		if before[p], err = warm.Suggest(eventID, p, 10); err != nil {
			t.Fatal(err)
		}
	}
	// Each declines their best suggestion with no request between them
	// yet: their rankings are void, the model stays.
	s0, err := warm.snapshot(eventID)
	if err != nil {
		t.Fatal(err)
	}
	target := map[string]string{}
	for _, p := range sample {
		for _, sg := range before[p] {
			q := sg.ParticipantID
			if !s0.requested[[2]string{q, p}] && target[q] != p {
				target[p] = q
				break
			}
		}
	}
	err = s.Update(func(tx *profiles.Tx) error {
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
	snap, err := warm.snapshot(eventID)
	if err != nil {
		t.Fatal(err)
	}
	em := warm.eventModel(snap)
	var got []*Ranking
	for _, p := range sample {
		if em.stages.get(em.pool.idx[snap.people[p].OrganizationID]) == nil {
			t.Errorf("%s: first stage not kept across the write", p)
		}
		r, err := warm.Rank(eventID, p, 10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	em.stages = stageCache{} // nothing else ranks meanwhile
	for i, p := range sample {
		want, err := warm.computeRank(snap, p, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		// Scores are compared to 9 significant digits: BM25 sums a query's
		// terms in map order, which differs in the last bits from run to run.
		if got, want := *got[i], *want; !reflect.DeepEqual(rounded(got.Suggestions), rounded(want.Suggestions)) ||
			got.Considered != want.Considered || !reflect.DeepEqual(got.Dropped, want.Dropped) {
			t.Errorf("%s: from the kept stage %v, from scratch %v", p, ids(got.Suggestions), ids(want.Suggestions))
		}
		if slices.ContainsFunc(got[i].Suggestions, func(sg Suggestion) bool { return sg.ParticipantID == target[p] }) {
			t.Errorf("%s: still suggested %s, whom they declined", p, target[p])
		}
	}
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
		sc.put(r, &stage{orgs: []int{r}})
	}
	sc.get(0) // used again: now the most recent
	sc.put(keptStages, &stage{})
	sc.put(keptStages+1, &stage{})
	tests := []struct {
		r    int
		kept bool
	}{{0, true}, {1, false}, {2, false}, {3, true}, {keptStages - 1, true}, {keptStages, true}, {keptStages + 1, true}}
	for _, tc := range tests {
		if got := sc.get(tc.r) != nil; got != tc.kept {
			t.Errorf("requester %d kept %v, want %v", tc.r, got, tc.kept)
		}
	}
	if fs := sc.get(3); fs == nil || fs.orgs[0] != 3 {
		t.Errorf("requester 3's stage is %v", fs)
	}
}
