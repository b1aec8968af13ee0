package profiles

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/pgtest"
)

// TestChangesSince replays the change log from any generation, on both engines.
func TestChangesSince(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		for _, city := range []string{"Torino", "Milano"} {
			if err := s.Update(func(tx *Tx) error {
				o, err := tx.Organization("ev", "unito")
				if err != nil {
					return err
				}
				o.City = city
				return tx.UpdateOrganization(o)
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			after uint64
			want  string
		}{
			{0, "1 2 3 "},
			{1, "2 3 "},
			{3, ""},
		} {
			got := ""
			err := s.ChangesSince(c.after, func(g uint64, cs []Change) error {
				got += fmt.Sprint(g, " ")
				if g > 1 && (len(cs) != 1 || cs[0] != Change{EventID: "ev", Entity: EntityOrganization, ID: "unito"}) {
					t.Errorf("generation %d changes = %v", g, cs)
				}
				return nil
			})
			if err != nil || got != c.want {
				t.Errorf("ChangesSince(%d) = %q, %v; want %q", c.after, got, err, c.want)
			}
		}
	})
}

// TestSharedStoreFollowsTheOtherProcess opens one PostgreSQL schema twice,
// as two servers do: writers on both are serialised per event, generations
// are contiguous, and each store's watchers see the other's commits in
// generation order.
func TestSharedStoreFollowsTheOtherProcess(t *testing.T) {
	url := pgtest.URL(t)
	var stores [2]*Store
	for i := range stores {
		s, err := OpenPostgres(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	seed(t, stores[0], "ev")
	var mu sync.Mutex
	var seen []uint64
	cancel := stores[1].Watch(func(g uint64, _ []Change) { mu.Lock(); seen = append(seen, g); mu.Unlock() })
	defer cancel()

	const perStore = 15
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			for n := range perStore {
				err := s.Update(func(tx *Tx) error {
					return tx.CreateOrganization(&Organization{ID: fmt.Sprintf("org-%d-%02d", i, n), EventID: "ev", Name: "Org", Kind: KindSME, Country: "FR"})
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	want := uint64(1 + 2*perStore)
	deadline := time.Now().Add(10 * time.Second) // a hang bound, not a speed test
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= int(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != int(want) {
		t.Fatalf("the watcher saw %d generations, want %d: %v", len(seen), want, seen)
	}
	for i, g := range seen {
		if g != uint64(i+1) {
			t.Fatalf("the watcher saw generations %v, want 1..%d in order", seen, want)
		}
	}
	for _, s := range stores {
		if g, err := s.Generation(); err != nil || g != want {
			t.Errorf("generation = %d, %v; want %d", g, err, want)
		}
	}
	stores[0].View(func(tx *Tx) error {
		if orgs, _ := tx.Organizations("ev"); len(orgs) != 3+2*perStore {
			t.Errorf("%d organizations, want %d", len(orgs), 3+2*perStore)
		}
		return nil
	})
}

// TestPostgresBackupIsUnsupported: a PostgreSQL store has no file to copy.
func TestPostgresBackupIsUnsupported(t *testing.T) {
	s := openTestPostgres(t)
	if _, err := s.Backup(nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Backup = %v, want ErrUnsupported", err)
	}
}
