package index

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// An index that fell behind the store (as after kill -9, before it recorded
// what it had applied) replays only the changes it missed and then agrees
// with the store, whatever those changes were; an index the change record
// cannot bring up to date is rebuilt.
func TestCatchUpReplaysMissedChanges(t *testing.T) {
	renameOrg := func(id, name string) func(tx *profiles.Tx) error {
		return func(tx *profiles.Tx) error {
			o, err := tx.Organization("ev", id)
			if err != nil {
				return err
			}
			o.Name = name
			return tx.UpdateOrganization(o)
		}
	}
	tests := []struct {
		name        string
		missed      []func(tx *profiles.Tx) error // commits the index does not see
		wantRebuilt bool
	}{
		{"nothing missed", nil, false},
		{"one update", []func(tx *profiles.Tx) error{renameOrg("medlab", "MedLab Paris")}, false},
		{"unindexed commits only", []func(tx *profiles.Tx) error{
			func(tx *profiles.Tx) error { return tx.CreateEvent(testEvent("other")) },
		}, false},
		{"updates, a new opportunity and deletes", []func(tx *profiles.Tx) error{
			renameOrg("medlab", "MedLab Lyon"),
			renameOrg("medlab", "MedLab Nice"),
			func(tx *profiles.Tx) error {
				return tx.CreateOpportunity(&profiles.Opportunity{ID: "o-new", EventID: "ev", ParticipantID: "p-klinik",
					OrganizationID: "klinik", Kind: profiles.KindOffer, ProfileType: profiles.TechnologyOffer,
					Title: "Kardiologische Studien", Language: "de"})
			},
			func(tx *profiles.Tx) error { return tx.DeleteParticipant("ev", "p-biotec") },
			func(tx *profiles.Tx) error { return tx.DeleteOrganization("ev", "biotec") },
		}, false},
		{"event deleted and created again", []func(tx *profiles.Tx) error{
			func(tx *profiles.Tx) error { return tx.DeleteEvent("ev") },
			func(tx *profiles.Tx) error {
				if err := tx.CreateEvent(testEvent("ev")); err != nil {
					return err
				}
				return tx.CreateOrganization(&profiles.Organization{ID: "fresh", EventID: "ev", Name: "Fresh Start",
					Kind: profiles.KindStartup, Country: "IT"})
			},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			seed(t, s, "ev")
			dir := filepath.Join(t.TempDir(), "index")
			closeIndex(t, openTestIndex(t, s, dir))
			for i, fn := range tt.missed {
				if err := s.Update(fn); err != nil {
					t.Fatalf("missed commit %d: %v", i, err)
				}
			}
			ix := openTestIndex(t, s, dir)
			if ix.Rebuilt() != tt.wantRebuilt {
				t.Errorf("rebuilt = %v, want %v", ix.Rebuilt(), tt.wantRebuilt)
			}
			if !tt.wantRebuilt && ix.Replayed() < len(tt.missed) {
				t.Errorf("replayed %d changes, want at least %d", ix.Replayed(), len(tt.missed))
			}
			assertAgrees(t, s, ix)
		})
	}
}

// An index ahead of its store (the store file was replaced by an older
// backup) cannot be caught up: it is rebuilt.
func TestIndexAheadOfStoreIsRebuilt(t *testing.T) {
	newer := openTestStore(t)
	seed(t, newer, "ev")
	for range 3 {
		if err := newer.Update(func(tx *profiles.Tx) error { return tx.UpdateEvent(testEvent("ev")) }); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "index")
	closeIndex(t, openTestIndex(t, newer, dir))
	older := openTestStore(t)
	seed(t, older, "ev")
	ix := openTestIndex(t, older, dir)
	if !ix.Rebuilt() {
		t.Error("an index ahead of the store was kept")
	}
	assertAgrees(t, older, ix)
}

func closeIndex(t *testing.T, ix *Index) {
	t.Helper()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
}

// assertAgrees checks that the index holds exactly the organizations and
// opportunities of the store, under their current names and titles.
func assertAgrees(t *testing.T, s *profiles.Store, ix *Index) {
	t.Helper()
	var want []string
	err := s.View(func(tx *profiles.Tx) error {
		events, err := tx.Events()
		if err != nil {
			return err
		}
		for _, ev := range events {
			orgs, err := tx.Organizations(ev.ID)
			if err != nil {
				return err
			}
			for _, o := range orgs {
				want = append(want, DocID(TypeOrganization, ev.ID, o.ID)+" "+o.Name)
			}
			opps, err := tx.Opportunities(ev.ID)
			if err != nil {
				return err
			}
			for _, o := range opps {
				want = append(want, DocID(TypeOpportunity, ev.ID, o.ID)+" "+o.Title)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := indexedDocs(t, ix, s)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("index and store disagree:\nindex %q\nstore %q", got, want)
	}
}

// indexedDocs lists every document of the index as "docID name", sorted:
// those of the store's events found by search, and a placeholder per
// document of any other event (DocCount counts them).
func indexedDocs(t *testing.T, ix *Index, s *profiles.Store) []string {
	t.Helper()
	var events []profiles.Event
	if err := s.View(func(tx *profiles.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range events {
		res, err := ix.Search(&Request{EventID: ev.ID, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, h.DocID+" "+h.Name)
		}
	}
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	for i := len(got); i < int(n); i++ {
		got = append(got, "document of no stored event")
	}
	slices.Sort(got)
	return got
}
