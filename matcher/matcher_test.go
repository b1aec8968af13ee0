package matcher

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// demoFixture is the demo event in a store with its index, shared by the
// tests and benchmarks of this package (building it takes a few seconds).
type demoFixture struct {
	store   *profiles.Store
	index   *index.Index
	eventID string
	people  []string
	orgOf   map[string]string
}

var (
	demoOnce sync.Once
	demoFix  *demoFixture
	demoErr  error
	demoDir  string
)

// openDemo loads the demo event once per test binary.
func openDemo(tb testing.TB) *demoFixture {
	tb.Helper()
	demoOnce.Do(func() {
		dir, err := osMkdirTemp()
		if err != nil {
			demoErr = err
			return
		}
		demoDir = dir
		s, err := profiles.Open(filepath.Join(dir, "matchgrid.db"), nil)
		if err != nil {
			demoErr = err
			return
		}
		b, err := demo.Bundle()
		if err != nil {
			demoErr = err
			return
		}
		if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) }); err != nil {
			demoErr = err
			return
		}
		ix, err := index.Open(filepath.Join(dir, "index"), s, nil)
		if err != nil {
			demoErr = err
			return
		}
		f := &demoFixture{store: s, index: ix, eventID: b.Event.ID, orgOf: map[string]string{}}
		for _, p := range b.Participants {
			f.people = append(f.people, p.ID)
			f.orgOf[p.ID] = p.OrganizationID
		}
		demoFix = f
	})
	if demoErr != nil {
		tb.Fatalf("demo fixture: %v", demoErr)
	}
	return demoFix
}

func TestDemoSuggestionsExplainBothWays(t *testing.T) {
	f := openDemo(t)
	opts := &Options{}
	if raceBuild {
		// The same invariants on a smaller rescoring set.
		opts.Rescore, opts.Candidates = 8, 30
	}
	m, err := New(f.store, f.index, opts)
	if err != nil {
		t.Fatal(err)
	}
	all, err := m.SuggestAll(f.eventID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(f.people) {
		t.Fatalf("suggestions for %d participants, want %d", len(all), len(f.people))
	}
	var total int
	for _, p := range f.people {
		sug := all[p]
		if len(sug) == 0 {
			t.Errorf("participant %s has no suggestions", p)
			continue
		}
		perOrg := map[string]int{}
		for i, s := range sug {
			total++
			if s.OrganizationID == f.orgOf[p] {
				t.Errorf("%s: suggestion %s is from their own organization", p, s.ParticipantID)
			}
			if len(s.Forward.AllTerms()) == 0 || len(s.Backward.AllTerms()) == 0 {
				t.Errorf("%s -> %s: matched terms forward %v backward %v", p, s.ParticipantID, s.Forward.AllTerms(), s.Backward.AllTerms())
			}
			if len(s.Forward.Features) != len(FeatureNames) {
				t.Errorf("%s -> %s: %d feature contributions", p, s.ParticipantID, len(s.Forward.Features))
			}
			if i > 0 && s.Score > sug[i-1].Score {
				t.Errorf("%s: suggestions not sorted at %d", p, i)
			}
			perOrg[s.OrganizationID]++
			if perOrg[s.OrganizationID] > m.Weights(f.eventID).PerOrganization {
				t.Errorf("%s: %d suggestions from %s", p, perOrg[s.OrganizationID], s.OrganizationID)
			}
		}
	}
	t.Logf("%d participants, %d suggestions", len(f.people), total)
}
