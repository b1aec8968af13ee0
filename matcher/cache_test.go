package matcher

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// currentSnapshot returns the matcher's snapshot of event "ev".
func currentSnapshot(t *testing.T, m *Matcher) *snapshot {
	t.Helper()
	s, err := m.snapshot("ev")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSnapshotFollowsWrites applies writes of every kind and checks after
// each that the snapshot built from the previous one and the reported
// changes equals the event read whole, and that only writes of the event
// itself make the matcher read it whole.
func TestSnapshotFollowsWrites(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		change func(tx *profiles.Tx) error
		whole  bool // the event is read whole
	}{
		{"request sent", func(tx *profiles.Tx) error {
			_, err := tx.SendRequest("ev", "anna", "cleo", "hello", "", now)
			return err
		}, false},
		{"request accepted", func(tx *profiles.Tx) error {
			rs, err := tx.RequestsFrom("ev", "anna")
			if err != nil {
				return err
			}
			_, err = tx.RespondRequest("ev", rs[0].ID, "cleo", true, now)
			return err
		}, false},
		{"request declined", func(tx *profiles.Tx) error {
			r, err := tx.SendRequest("ev", "ugo", "aldo", "", "", now)
			if err != nil {
				return err
			}
			_, err = tx.RespondRequest("ev", r.ID, "aldo", false, now)
			return err
		}, false},
		{"meeting", func(tx *profiles.Tx) error {
			return tx.CreateMeeting(&profiles.Meeting{ID: "m1", EventID: "ev", A: "anna", B: "cleo", Slot: 1, Table: 1, Status: profiles.MeetingScheduled})
		}, false},
		{"opportunity edited", func(tx *profiles.Tx) error {
			o, err := tx.Opportunity("ev", "o2")
			if err != nil {
				return err
			}
			o.Title = "Sepsis studies in intensive care units"
			return tx.UpdateOpportunity(o)
		}, false},
		{"opportunity deleted", func(tx *profiles.Tx) error { return tx.DeleteOpportunity("ev", "o3") }, false},
		{"organization with projects", func(tx *profiles.Tx) error {
			for _, id := range []string{"uni", "clinic"} {
				o, err := tx.Organization("ev", id)
				if err != nil {
					return err
				}
				o.Projects = []profiles.ProjectRef{{ID: "p1", Acronym: "SEPSIS"}}
				if err := tx.UpdateOrganization(o); err != nil {
					return err
				}
			}
			return nil
		}, false},
		{"participant added", func(tx *profiles.Tx) error {
			return tx.CreateParticipant(&profiles.Participant{ID: "uma", EventID: "ev", OrganizationID: "uni", LastName: "Uma", Type: profiles.TypeDelegate, MaxMeetings: 2})
		}, false},
		{"participant deleted", func(tx *profiles.Tx) error { return tx.DeleteParticipant("ev", "vera") }, false},
		{"event changed", func(tx *profiles.Tx) error {
			e, err := tx.Event("ev")
			if err != nil {
				return err
			}
			e.Tables = 5
			return tx.UpdateEvent(e)
		}, true},
	}
	prev := currentSnapshot(t, m)
	for _, st := range steps {
		if err := s.Update(st.change); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got := currentSnapshot(t, m)
		var want *snapshot
		if err := s.View(func(tx *profiles.Tx) error { want, err = readSnapshot(tx, "ev"); return err }); err != nil {
			t.Fatal(err)
		}
		if got.seq != prev.seq+1 {
			t.Errorf("%s: snapshot %d after %d", st.name, got.seq, prev.seq)
		}
		if whole := got.event != prev.event; whole != st.whole {
			t.Errorf("%s: event read whole %v, want %v", st.name, whole, st.whole)
		}
		g, w := *got, *want
		g.seq, w.seq, g.covers, g.derived, w.derived = 0, 0, 0, nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: the followed snapshot differs from the event read whole", st.name)
		}
		prev = got
	}
}

// TestOrgDerivedFollowsChanges checks that data derived per organization
// is handed on to the next snapshot unless a write concerned the
// organization.
func TestOrgDerivedFollowsChanges(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	builds := map[string]int{}
	derive := func(org string) {
		currentSnapshot(t, m).orgDerived("test", org, func() any { builds[org]++; return org })
	}
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		change func(tx *profiles.Tx) error
		want   map[string]int // builds so far, per organization
	}{
		{"first use", nil, map[string]int{"acme": 1, "clinic": 1}},
		{"a request", func(tx *profiles.Tx) error { _, err := tx.SendRequest("ev", "anna", "cleo", "", "", now); return err },
			map[string]int{"acme": 1, "clinic": 1}},
		{"the clinic's opportunity", func(tx *profiles.Tx) error { return tx.DeleteOpportunity("ev", "o2") },
			map[string]int{"acme": 1, "clinic": 2}},
		{"an acme participant", func(tx *profiles.Tx) error {
			p, err := tx.Participant("ev", "aldo")
			if err != nil {
				return err
			}
			p.JobTitle = "CTO"
			return tx.UpdateParticipant(p)
		}, map[string]int{"acme": 2, "clinic": 2}},
	}
	for _, st := range steps {
		if st.change != nil {
			if err := s.Update(st.change); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		derive("acme")
		derive("clinic")
		if !reflect.DeepEqual(builds, st.want) {
			t.Errorf("after %s: builds %v, want %v", st.name, builds, st.want)
		}
	}
}

// ranked returns the ranking the matcher serves for participant p (k 10).
func ranked(t *testing.T, m *Matcher, p string) *Ranking {
	t.Helper()
	r, err := m.Rank("ev", p, 10)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWritesVoidOnlyTheRankingsTheyConcern checks which cached rankings a
// write voids: a request those of its two participants; an opportunity
// edit those of its organization's participants and those showing it; and
// that the others are computed again once older than MaxStale.
func TestWritesVoidOnlyTheRankingsTheyConcern(t *testing.T) {
	everyone := []string{"anna", "aldo", "ugo", "cleo", "vera"}
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		maxStale time.Duration
		change   func(tx *profiles.Tx) error
		voided   []string
	}{
		{"request", time.Hour, func(tx *profiles.Tx) error {
			_, err := tx.SendRequest("ev", "ugo", "aldo", "", "", now)
			return err
		}, []string{"ugo", "aldo"}},
		{"opportunity of the clinic", time.Hour, func(tx *profiles.Tx) error {
			o, err := tx.Opportunity("ev", "o2")
			if err != nil {
				return err
			}
			o.Summary = "Sepsis trials"
			return tx.UpdateOpportunity(o)
		}, []string{"cleo", "anna", "aldo", "ugo"}}, // cleo's own; the others show the clinic
		{"request, no staleness allowed", -1, func(tx *profiles.Tx) error {
			_, err := tx.SendRequest("ev", "ugo", "aldo", "", "", now)
			return err
		}, everyone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := smallEvent(t)
			m, err := New(s, &Options{MaxStale: tt.maxStale})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			before := map[string]*Ranking{}
			for _, p := range everyone {
				before[p] = ranked(t, m, p)
				if again := ranked(t, m, p); again != before[p] {
					t.Fatalf("%s: ranking computed twice without a write", p)
				}
			}
			if err := s.Update(tt.change); err != nil {
				t.Fatal(err)
			}
			for _, p := range everyone {
				recomputed := ranked(t, m, p) != before[p]
				if want := contains(tt.voided, p); recomputed != want {
					t.Errorf("%s: ranking computed again %v, want %v", p, recomputed, want)
				}
			}
		})
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestGoneParticipantsLeaveEveryRanking deletes a participant: every
// cached ranking that showed them is computed again at once.
func TestGoneParticipantsLeaveEveryRanking(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, &Options{MaxStale: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	showed := 0
	for _, p := range []string{"anna", "aldo", "cleo"} {
		for _, sg := range ranked(t, m, p).Suggestions {
			if sg.ParticipantID == "ugo" {
				showed++
			}
		}
	}
	if showed == 0 {
		t.Fatal("nobody is suggested ugo: the test shows nothing")
	}
	if err := s.Update(func(tx *profiles.Tx) error { return tx.DeleteParticipant("ev", "ugo") }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"anna", "aldo", "cleo"} {
		for _, sg := range ranked(t, m, p).Suggestions {
			if sg.ParticipantID == "ugo" {
				t.Errorf("%s is still suggested the deleted ugo", p)
			}
		}
	}
}

// TestStaleRankingsAreRefreshedInTheBackground checks that a ranking a
// write concerned only at the margin is served as it is, and replaced by a
// fresh one computed in the background once older than MaxStale.
func TestStaleRankingsAreRefreshedInTheBackground(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, &Options{MaxStale: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	before := ranked(t, m, "anna")
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	if err := s.Update(func(tx *profiles.Tx) error { _, err := tx.SendRequest("ev", "ugo", "cleo", "", "", now); return err }); err != nil {
		t.Fatal(err)
	}
	if ranked(t, m, "anna") != before {
		t.Fatal("a stale ranking was computed again while the reader waited")
	}
	deadline := time.Now().Add(time.Minute) // a bound on a hang, not a speed limit
	for ranked(t, m, "anna") == before {
		if time.Now().After(deadline) {
			t.Fatal("the stale ranking was never refreshed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConcurrentReadersComputeOnce has many readers ask for the same
// rankings at once after a write: each is computed once, and every reader
// gets that one.
func TestConcurrentReadersComputeOnce(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for round := range 3 {
		if round > 0 {
			if err := s.Update(func(tx *profiles.Tx) error {
				e, err := tx.Event("ev")
				if err != nil {
					return err
				}
				e.Tables++
				return tx.UpdateEvent(e)
			}); err != nil {
				t.Fatal(err)
			}
		}
		const readers = 16
		got := make([]*Ranking, readers)
		snaps := make([]*snapshot, readers)
		var wg sync.WaitGroup
		for i := range readers {
			wg.Go(func() {
				snaps[i], _ = m.snapshot("ev")
				got[i], _ = m.Rank("ev", "anna", 10)
			})
		}
		wg.Wait()
		for i := range readers {
			if got[i] == nil || got[i] != got[0] || snaps[i] != snaps[0] {
				t.Fatalf("round %d: reader %d got its own snapshot (%v, seq %d/%d) or ranking (%v)", round, i, snaps[i] != snaps[0], snaps[i].seq, snaps[0].seq, got[i] != got[0])
			}
		}
	}
}

// pollingStore is a store that does not report its changes.
type pollingStore struct{ s *profiles.Store }

func (p pollingStore) View(fn func(tx *profiles.Tx) error) error { return p.s.View(fn) }
func (p pollingStore) Generation() (uint64, error)               { return p.s.Generation() }

// TestStoreWithoutChangeReports checks the fallback: the event is read
// whole after every write, and every ranking is computed again.
func TestStoreWithoutChangeReports(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(pollingStore{s}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := ranked(t, m, "anna")
	if ranked(t, m, "anna") != before {
		t.Fatal("ranking computed twice without a write")
	}
	if err := s.Update(func(tx *profiles.Tx) error { return tx.DeleteParticipant("ev", "vera") }); err != nil {
		t.Fatal(err)
	}
	if ranked(t, m, "anna") == before {
		t.Error("ranking kept after a write, without change reports")
	}
	if _, ok := currentSnapshot(t, m).people["vera"]; ok {
		t.Error("deleted participant still in the snapshot")
	}
}

// TestReportGapRereadsWhole checks that a gap in the reported generations
// (a change feed that skipped ahead) makes the matcher read events whole.
func TestReportGapRereadsWhole(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	first := currentSnapshot(t, m)
	gen, err := s.Generation()
	if err != nil {
		t.Fatal(err)
	}
	m.onChange(gen+1, []profiles.Change{{EventID: "ev", Entity: profiles.EntityRequest, ID: "r-none"}})
	if next := currentSnapshot(t, m); next.seq != first.seq+1 || next.event != first.event {
		t.Fatal("reported change not applied piecewise")
	}
	second := currentSnapshot(t, m)
	m.onChange(gen+5, []profiles.Change{{EventID: "other", Entity: profiles.EntityRequest, ID: "r-none"}})
	if next := currentSnapshot(t, m); next.event == second.event {
		t.Error("after a gap in the reported generations the event was not read whole")
	}
}
