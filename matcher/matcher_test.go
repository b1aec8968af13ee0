package matcher

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/internal/demotest"
	"github.com/matchgrid/matchgrid/profiles"
)

// demoFixture is the demo event in a store with its index, shared by the
// tests and benchmarks of this package (building it takes a few seconds).
type demoFixture struct {
	store     *profiles.Store
	indexOnce sync.Once
	index     *index.Index // nil until searchIndex
	indexErr  error
	eventID   string
	people    []string
	orgOf     map[string]string
	dir       string
}

// searchIndex opens the fixture's Bleve index, once: only the benchmarks'
// baselines search it.
func (f *demoFixture) searchIndex(tb testing.TB) *index.Index {
	tb.Helper()
	f.indexOnce.Do(func() { f.index, f.indexErr = index.Open(filepath.Join(f.dir, "index"), f.store, nil) })
	if f.indexErr != nil {
		tb.Fatalf("demo index: %v", f.indexErr)
	}
	return f.index
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
		b, err := demoBundle()
		if err != nil {
			demoErr = err
			return
		}
		if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) }); err != nil {
			demoErr = err
			return
		}
		f := &demoFixture{store: s, eventID: b.Event.ID, orgOf: map[string]string{}, dir: dir}
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
	var f *demoFixture
	if !raceBuild {
		f = openDemo(t)
	} else {
		// The same assertions on a third of the demo: the race detector
		// makes the whole demo take minutes.
		s, eventID, people := openDemoCopy(t, 100)
		f = &demoFixture{store: s, eventID: eventID, people: people, orgOf: map[string]string{}}
		if err := s.View(func(tx *profiles.Tx) error {
			all, err := tx.Participants(eventID)
			for _, p := range all {
				f.orgOf[p.ID] = p.OrganizationID
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := New(f.store, nil)
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
			checkExplanation(t, p, &s)
			if i == 0 && (s.FitPercent != 100 || s.Fit != FitStrong) {
				t.Errorf("%s: the best suggestion's fit is %s %d%%, want strong 100%%", p, s.Fit, s.FitPercent)
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

// checkExplanation asserts the explanation rules: at most MaxTerms words
// per direction, none a number, a stop word, under 3 letters or a word of
// either organization's name; a mutual-fit band; and a sentence saying why.
func checkExplanation(t *testing.T, p string, s *Suggestion) {
	t.Helper()
	names := nameWords(s.Organization)
	for _, d := range []*Direction{&s.Forward, &s.Backward} {
		terms := d.AllTerms()
		if len(terms) > MaxTerms {
			t.Errorf("%s -> %s: %d terms %v", p, s.ParticipantID, len(terms), terms)
		}
		for _, w := range terms {
			if !showable(w) || names[w] || institutionalWords[w] {
				t.Errorf("%s -> %s: term %q must not be shown", p, s.ParticipantID, w)
			}
		}
	}
	if !slices.Contains([]string{FitStrong, FitGood, FitWorthLook}, s.Fit) {
		t.Errorf("%s -> %s: fit band %q", p, s.ParticipantID, s.Fit)
	}
	if len(s.Forward.Sentences) == 0 {
		t.Errorf("%s -> %s: no sentence says why", p, s.ParticipantID)
	}
}

// openDemoCopy loads the first orgs organizations of the demo event (0:
// all; demotest.Sample) into a store of the test's own (for tests that
// write, or that want a smaller event), without an index.
func openDemoCopy(t *testing.T, orgs int) (s *profiles.Store, eventID string, people []string) {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b, err := demoBundle()
	if err != nil {
		t.Fatal(err)
	}
	if orgs > 0 {
		b = demotest.Sample(t, orgs)
	}
	if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) }); err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Participants {
		people = append(people, p.ID)
	}
	return s, b.Event.ID, people
}

var demoBundle = sync.OnceValues(demo.Bundle) // decoded once per test binary; never changed
