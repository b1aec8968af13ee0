package notify

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/pgtest"
	"github.com/matchgrid/matchgrid/profiles"
)

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {4, 8 * time.Minute}, {7, time.Hour}, {50, time.Hour}} {
		if got := Backoff(tc.n); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestArrangement(t *testing.T) {
	base := []profiles.Meeting{{ID: "m1", Slot: 1, Table: 2, Status: profiles.MeetingScheduled}, {ID: "m2", Slot: 3, Table: 0, Status: profiles.MeetingScheduled}}
	same := func(f func(ms []profiles.Meeting)) bool {
		ms := []profiles.Meeting{base[1], base[0]} // order does not matter
		f(ms)
		return Arrangement(ms) == Arrangement(base)
	}
	for _, tc := range []struct {
		name string
		edit func(ms []profiles.Meeting)
		same bool
	}{
		{"reordered", func([]profiles.Meeting) {}, true},
		{"locked", func(ms []profiles.Meeting) { ms[0].Locked = true }, true},
		{"held", func(ms []profiles.Meeting) { ms[0].Status = profiles.MeetingHeld }, true},
		{"moved", func(ms []profiles.Meeting) { ms[0].Slot++ }, false},
		{"other table", func(ms []profiles.Meeting) { ms[1].Table++ }, false},
		{"cancelled", func(ms []profiles.Meeting) { ms[1].Status = profiles.MeetingCancelled }, false},
	} {
		if got := same(tc.edit); got != tc.same {
			t.Errorf("%s: same arrangement = %v, want %v", tc.name, got, tc.same)
		}
	}
}

// recorder is a Sink that keeps the notices it is handed.
type recorder struct {
	mu   sync.Mutex
	keys []string
}

func (r *recorder) Notice(_ *profiles.Tx, n *Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, n.Key)
	return nil
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.keys)
}

// TestHubCatchesUpAfterRestart: what is committed while no hub runs is
// notified when the next one starts; the first run does not replay history
// and, begun, misses nothing committed before its goroutine runs.
func TestHubCatchesUpAfterRestart(t *testing.T) {
	t.Run("bbolt", func(t *testing.T) {
		s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		hubCatchesUp(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := profiles.OpenPostgres(pgtest.URL(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		hubCatchesUp(t, s)
	})
}

func hubCatchesUp(t *testing.T, s *profiles.Store) {
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	r1 := &profiles.MeetingRequest{ID: "r1", EventID: "ev", From: "a", To: "b", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	r2 := &profiles.MeetingRequest{ID: "r2", EventID: "ev", From: "b", To: "c", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	old := &profiles.MeetingRequest{ID: "r0", EventID: "ev", From: "a", To: "c", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	must := func(fn func(tx *profiles.Tx) error) {
		t.Helper()
		updateOrFail(t, s, fn)
	}
	must(func(tx *profiles.Tx) error {
		return errors.Join(createEventWith(tx, "a", "b", "c"), tx.CreateRequest(old))
	})
	run := func(rec *recorder) (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		h := NewHub(s, rec)
		h.OnError = func(err error) { t.Error(err) }
		if err := h.Begin(); err != nil { // from here on, every commit is notified
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { h.Run(ctx); close(done) }()
		return func() { cancel(); <-done }
	}
	wait := func(rec *recorder, n int) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); len(rec.seen()) < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d notices, want %d", len(rec.seen()), n)
			}
		}
	}
	first := &recorder{}
	stop := run(first)
	must(func(tx *profiles.Tx) error { return tx.CreateRequest(r1) })
	wait(first, 1)
	stop()
	must(func(tx *profiles.Tx) error { r1.Status = profiles.RequestAccepted; return tx.UpdateRequest(r1) })
	must(func(tx *profiles.Tx) error { return tx.CreateRequest(r2) })
	second := &recorder{}
	stop = run(second)
	wait(second, 2)
	stop()
	want := []string{"request.sent:ev:r1"}
	if got := first.seen(); !slices.Equal(got, want) {
		t.Errorf("first run saw %v, want %v (no history)", got, want)
	}
	want = []string{"request.accepted:ev:r1", "request.sent:ev:r2"}
	if got := second.seen(); !slices.Equal(got, want) {
		t.Errorf("after the restart: %v, want %v", got, want)
	}
}

// TestCommitDuringReplayNotifiedOnce: a commit that lands after Run
// registered its watcher and before its replay read the change log is
// seen by both, and notified once, also when the store announces it after
// the replay (CI caught a notice twice on PostgreSQL).
func TestCommitDuringReplayNotifiedOnce(t *testing.T) {
	open := map[string]func(t *testing.T) (*profiles.Store, error){
		"bbolt": func(t *testing.T) (*profiles.Store, error) {
			return profiles.Open(filepath.Join(t.TempDir(), "m.db"), nil)
		},
		"postgres": func(t *testing.T) (*profiles.Store, error) { return profiles.OpenPostgres(pgtest.URL(t), nil) },
	}
	for _, name := range []string{"bbolt", "postgres"} {
		t.Run(name, func(t *testing.T) {
			s, err := open[name](t)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
			must := func(fn func(tx *profiles.Tx) error) {
				t.Helper()
				updateOrFail(t, s, fn)
			}
			must(func(tx *profiles.Tx) error { return createEventWith(tx, "a", "b") })
			rec := &recorder{}
			h := NewHub(s, rec)
			if err := h.Begin(); err != nil {
				t.Fatal(err)
			}
			// Run's first steps, with the commit between them.
			cancel := s.Watch(h.announced)
			defer cancel()
			must(func(tx *profiles.Tx) error {
				return tx.CreateRequest(&profiles.MeetingRequest{ID: "r1", EventID: "ev", From: "a", To: "b",
					Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at})
			})
			through, err := h.catchUp()
			if err != nil {
				t.Fatal(err)
			}
			h.goLive(through)
			h.flush()
			// The store may announce a commit after the replay read it.
			h.announced(through, []profiles.Change{{EventID: "ev", Entity: profiles.EntityRequest, ID: "r1"}})
			h.flush()
			if got, want := rec.seen(), []string{"request.sent:ev:r1"}; !slices.Equal(got, want) {
				t.Errorf("notices %v, want %v", got, want)
			}
		})
	}
}

// updateOrFail runs fn in one transaction of s and fails the test on an error.
func updateOrFail(t *testing.T, s *profiles.Store, fn func(tx *profiles.Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// createEventWith creates event "ev" (one session) with a participant and
// an organization ("o" + ID) per ID.
func createEventWith(tx *profiles.Tx, ids ...string) error {
	errs := []error{tx.CreateEvent(&profiles.Event{ID: "ev", Name: "E", TimeZone: "UTC", MeetingMinutes: 30, Tables: 2,
		Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "D", Start: "09:00", End: "12:00"}}}}})}
	for _, id := range ids {
		errs = append(errs, tx.CreateOrganization(&profiles.Organization{ID: "o" + id, EventID: "ev", Name: "O" + id, Kind: profiles.KindSME, Country: "IT"}),
			tx.CreateParticipant(&profiles.Participant{ID: id, EventID: "ev", OrganizationID: "o" + id, FirstName: id, LastName: id, Type: profiles.TypeDelegate}))
	}
	return errors.Join(errs...)
}
