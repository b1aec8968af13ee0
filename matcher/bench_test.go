package matcher

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// Benchmarks of the matcher. Each reports a baseline measured in the same
// run: one plain BM25 index search per participant (the cost of the
// cheapest possible "suggestion"), against the full chain.

// poolFixture is an event of 6,000 organizations: the demo organizations
// replicated 20 times, one participant each, with their opportunities.
type poolFixture struct {
	store   *profiles.Store
	index   *index.Index
	eventID string
	people  []string
	heapMB  float64
	build   time.Duration
	dir     string
	kept    bool // in $MATCHER_BENCH_POOLS: not removed at the end
}

// openKeptPool opens a pool built by an earlier run.
func openKeptPool(dir string, start time.Time) (*poolFixture, error) {
	s, err := profiles.Open(filepath.Join(dir, "matchgrid.db"), nil)
	if err != nil {
		return nil, err
	}
	f := &poolFixture{store: s, eventID: "pool", dir: dir, kept: true}
	err = s.View(func(tx *profiles.Tx) error {
		people, err := tx.Participants(f.eventID)
		for _, p := range people {
			f.people = append(f.people, p.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.index, err = index.Open(filepath.Join(dir, "index"), s, nil); err != nil {
		return nil, err
	}
	f.build = time.Since(start)
	return f, nil
}

var (
	poolMu    sync.Mutex
	poolFixes = map[int]*poolFixture{}
)

// openPool builds a pool of n organizations once per test binary.
func openPool(b *testing.B, n int) *poolFixture {
	b.Helper()
	poolMu.Lock()
	defer poolMu.Unlock()
	if f := poolFixes[n]; f != nil {
		return f
	}
	f, err := buildPool(n)
	if err != nil {
		b.Fatal(err)
	}
	poolFixes[n] = f
	return f
}

// poolCacheEnv names a directory where the pools are kept between runs
// (built in DIR/pool-N the first time, opened from there after): the
// 20,000-organization pool takes many minutes to build on two cores.
const poolCacheEnv = "MATCHER_BENCH_POOLS"

func buildPool(n int) (*poolFixture, error) {
	start := time.Now()
	src, err := demo.Bundle()
	if err != nil {
		return nil, err
	}
	var dir string
	kept := os.Getenv(poolCacheEnv) != ""
	if kept {
		dir = filepath.Join(os.Getenv(poolCacheEnv), fmt.Sprintf("pool-%d", n))
		if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
			return openKeptPool(dir, start)
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		err = os.MkdirAll(dir, 0o755)
	} else {
		dir, err = os.MkdirTemp("", "matcher-pool-*")
	}
	if err != nil {
		return nil, err
	}
	s, err := profiles.Open(filepath.Join(dir, "matchgrid.db"), nil)
	if err != nil {
		return nil, err
	}
	ev := src.Event
	ev.ID = "pool"
	ev.MeetingRules = nil
	bundle := &profiles.Bundle{Event: ev}
	oppsOf := map[string][]profiles.Opportunity{}
	for _, o := range src.Opportunities {
		oppsOf[o.OrganizationID] = append(oppsOf[o.OrganizationID], o)
	}
	f := &poolFixture{store: s, eventID: ev.ID, dir: dir}
	for i := 0; len(bundle.Organizations) < n; i++ {
		for _, o := range src.Organizations {
			if len(bundle.Organizations) == n {
				break
			}
			o.ID = fmt.Sprintf("%s-%d", o.ID, i)
			o.EventID = ev.ID
			o.ExternalIDs = nil
			// Each copy has projects of its own: copies sharing every
			// project would all be past partners of each other, a graph
			// (and a memory footprint) no real event has.
			projects := make([]profiles.ProjectRef, len(o.Projects))
			for j, p := range o.Projects {
				p.ID = fmt.Sprintf("%s-%d", p.ID, i)
				projects[j] = p
			}
			o.Projects = projects
			bundle.Organizations = append(bundle.Organizations, o)
			pid := "p-" + o.ID
			bundle.Participants = append(bundle.Participants, profiles.Participant{ID: pid, EventID: ev.ID, OrganizationID: o.ID,
				LastName: "Delegate", FirstName: o.ID, Type: profiles.TypeDelegate})
			f.people = append(f.people, pid)
			for j, op := range oppsOf[src.Organizations[len(bundle.Organizations)%len(src.Organizations)].ID] {
				op.ID = fmt.Sprintf("%s-%d-%d", op.ID, i, j)
				op.EventID, op.OrganizationID, op.ParticipantID = ev.ID, o.ID, pid
				bundle.Opportunities = append(bundle.Opportunities, op)
			}
		}
	}
	if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(bundle, profiles.ImportOptions{}) }); err != nil {
		return nil, err
	}
	ix, err := index.Open(filepath.Join(dir, "index"), s, nil)
	if err != nil {
		return nil, err
	}
	f.index = ix
	f.build = time.Since(start)
	if kept {
		f.kept = true
		if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
			return nil, err
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f.heapMB = float64(ms.HeapInuse) / (1 << 20)
	return f, nil
}

// latency runs fn for b.N participants and reports p50 and p99 in ms.
func latency(b *testing.B, people []string, fn func(p string) error) {
	var d []time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if err := fn(people[(i*7919)%len(people)]); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	slices.Sort(d)
	pct := func(p float64) float64 {
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// baselineSearch is one BM25 search of the participant's profile text.
func baselineSearch(s *profiles.Store, ix *index.Index, eventID string) func(p string) error {
	return func(p string) error {
		var text string
		err := s.View(func(tx *profiles.Tx) error {
			pp, err := tx.Participant(eventID, p)
			if err != nil {
				return err
			}
			o, err := tx.Organization(eventID, pp.OrganizationID)
			if err != nil {
				return err
			}
			text = o.Description("en")
			return nil
		})
		if err != nil {
			return err
		}
		_, err = ix.Search(&index.Request{EventID: eventID, Text: text, Lang: "en", Type: index.TypeOrganization, Limit: 20})
		return err
	}
}

// BenchmarkSuggest6000 is the latency of one participant's 20 suggestions
// in a pool of 6,000 organizations (p50, p99), beside a plain BM25 search.
func BenchmarkSuggest6000(b *testing.B) {
	f := openPool(b, 6000)
	b.Run("baseline-bm25-search", func(b *testing.B) {
		latency(b, f.people, baselineSearch(f.store, f.index, f.eventID))
	})
	b.Run("matcher", func(b *testing.B) {
		m, err := New(f.store, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Suggest(f.eventID, f.people[0], 20); err != nil { // reads the event snapshot once
			b.Fatal(err)
		}
		latency(b, f.people, func(p string) error { _, err := m.Suggest(f.eventID, p, 20); return err })
		b.ReportMetric(f.heapMB, "pool-heap-MB")
		b.ReportMetric(f.build.Seconds(), "pool-build-s")
	})
}

// BenchmarkSuggestAllDemo is the batch time of suggestions for all 350
// participants of the demo event, beside a plain search per participant.
func BenchmarkSuggestAllDemo(b *testing.B) {
	f := openDemo(b)
	b.Run("baseline-bm25-search", func(b *testing.B) {
		search := baselineSearch(f.store, f.searchIndex(b), f.eventID)
		for b.Loop() {
			for _, p := range f.people {
				if err := search(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("matcher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := New(f.store, nil) // cold caches: the batch as an organizer runs it
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.SuggestAll(f.eventID, 20); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSuggestDemo measures one participant's suggestions in the demo
// event (300 organizations) with warm caches.
func BenchmarkSuggestDemo(b *testing.B) {
	f := openDemo(b)
	m, err := New(f.store, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	latency(b, f.people, func(p string) error { _, err := m.Suggest(f.eventID, p, 20); return err })
}
