package index

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Writes never wait for Bleve: while the index cannot be written (its
// lock held, as by a rebuild), store updates still commit and return;
// the index then indexes them together, and a search sees them all.
func TestWritesDoNotWaitForIndexing(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	ix := openTestIndex(t, s, filepath.Join(t.TempDir(), "index"))
	names := []string{"oncology", "cardiology", "neurology"}
	ix.mu.Lock()
	done := make(chan error)
	go func() {
		for _, word := range names {
			err := s.Update(func(tx *profiles.Tx) error {
				o, err := tx.Organization("ev", "medlab")
				if err != nil {
					return err
				}
				o.Descriptions["en"] += " " + word + " trials"
				return tx.UpdateOrganization(o)
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		ix.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a deadlock detector, not a speed limit
		ix.mu.Unlock()
		t.Fatal("store updates waited for the index")
	}
	for _, word := range names {
		res, err := ix.Search(&Request{EventID: "ev", Text: word, Lang: "en", Type: TypeOrganization})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(res), []string{"medlab"}) {
			t.Errorf("%s finds %v, want medlab", word, ids(res))
		}
	}
	g, _ := s.Generation()
	if ig, err := ix.Generation(); err != nil || ig != g {
		t.Errorf("index generation %d (%v), store %d", ig, err, g)
	}
}

// Close indexes what is queued before it closes: reopened, the index
// agrees with the store without replaying anything.
func TestCloseIndexesQueuedChanges(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTestIndex(t, s, dir)
	ix.mu.Lock()
	err := s.Update(func(tx *profiles.Tx) error {
		if err := tx.DeleteParticipant("ev", "p-klinik"); err != nil {
			return err
		}
		return tx.DeleteOrganization("ev", "klinik")
	})
	ix.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	closeIndex(t, ix)
	ix = openTestIndex(t, s, dir)
	if ix.Rebuilt() || ix.Replayed() != 0 {
		t.Errorf("reopened: rebuilt %v, replayed %d; want neither", ix.Rebuilt(), ix.Replayed())
	}
	assertAgrees(t, s, ix)
}
