package profiles

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/matchgrid/matchgrid/internal/pgtest"
)

// Many writers of one event at once: every acknowledged send is stored,
// and the watchers hear of each commit once, generations strictly rising.
// On PostgreSQL the sends queued behind one another commit in groups.
func TestGroupCommit(t *testing.T) {
	eachEngine(t, testConcurrentSends)
	t.Run("joined", testJoinedGroup)
}

func testConcurrentSends(t *testing.T, open storeOpener) {
	s := open(t)
	const people, clients, perClient = 24, 6, 12
	ids := crowd(t, s, "ev", people)
	var mu sync.Mutex
	var gens []uint64
	sentIn := map[string]uint64{} // request ID -> generation
	cancel := s.Watch(func(g uint64, cs []Change) {
		mu.Lock()
		defer mu.Unlock()
		gens = append(gens, g)
		for _, c := range cs {
			if c.Entity == EntityRequest {
				sentIn[c.ID] = g
			}
		}
	})
	defer cancel()
	// Client c sends from people c, c+clients, ... to everyone after them:
	// every pair once, so no send is refused.
	var wg sync.WaitGroup
	acked := make([][]string, clients)
	for c := range clients {
		wg.Go(func() {
			for n := 0; n < perClient; n++ {
				from := (c + n*clients) % people
				to := (from + 1 + n) % people
				if to < from {
					from, to = to, from
				}
				var r *MeetingRequest
				err := s.Update(func(tx *Tx) (err error) {
					r, err = tx.SendRequest("ev", ids[from], ids[to], "Shall we meet?", "", time.Now())
					return err
				})
				var open *OpenRequestError
				if errors.As(err, &open) {
					continue // two clients drew the same pair
				}
				if err != nil {
					t.Errorf("send %s -> %s: %v", ids[from], ids[to], err)
					return
				}
				acked[c] = append(acked[c], r.ID)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if !slices.IsSorted(gens) || len(slices.Compact(slices.Clone(gens))) != len(gens) {
		t.Errorf("generations delivered %v, want strictly rising", gens)
	}
	total := 0
	err := s.View(func(tx *Tx) error {
		for _, ids := range acked {
			for _, id := range ids {
				total++
				if _, err := tx.Request("ev", id); err != nil {
					return fmt.Errorf("acknowledged request %s: %w", id, err)
				}
				if sentIn[id] == 0 {
					t.Errorf("request %s: no watcher heard of it", id)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < clients*perClient/2 {
		t.Errorf("%d sends acknowledged of %d", total, clients*perClient)
	}
}

// crowd writes an event without a cap on pending requests and n
// participants of n organizations, and returns the participants' IDs.
func crowd(t testing.TB, s *Store, eventID string, n int) []string {
	t.Helper()
	ev := testEvent(eventID)
	ev.Policy = RequestPolicy{}
	var ids []string
	err := s.Update(func(tx *Tx) error {
		if err := tx.CreateEvent(ev); err != nil {
			return err
		}
		for i := range n {
			org, id := fmt.Sprintf("org%02d", i), fmt.Sprintf("p%02d", i)
			if err := tx.CreateOrganization(&Organization{ID: org, EventID: eventID, Name: "Org " + org, Kind: KindSME, Country: "IT"}); err != nil {
				return err
			}
			if err := tx.CreateParticipant(&Participant{ID: id, EventID: eventID, OrganizationID: org, FirstName: "P", LastName: id, Type: TypeDelegate}); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("crowd: %v", err)
	}
	return ids
}

var errTestBoom = errors.New("boom")

// groupWriter is one writer of a forced group: it creates the
// organization id, then fails with fail (nil: it does not).
type groupWriter struct {
	id   string
	fail error
}

// testJoinedGroup forces writers into one group: they queue behind a
// leader that holds the event's lock, then the leader goes on and commits
// for them all.
func testJoinedGroup(t *testing.T) {
	tests := []struct {
		name    string
		leader  groupWriter
		members []groupWriter
		// stored: the organizations the group leaves behind.
		stored []string
	}{
		{"all commit", groupWriter{"lead", nil}, []groupWriter{{"m1", nil}, {"m2", nil}, {"m3", nil}, {"m4", nil}},
			[]string{"lead", "m1", "m2", "m3", "m4"}},
		{"a member fails", groupWriter{"lead", nil}, []groupWriter{{"m1", nil}, {"m2", errTestBoom}, {"m3", nil}},
			[]string{"lead", "m1", "m3"}},
		{"a member's statement fails in PostgreSQL", groupWriter{"lead", nil}, []groupWriter{{"m1", nil}, {"refused-now", nil}, {"m3", nil}},
			[]string{"lead", "m1", "m3"}},
		{"the leader fails before the members ran", groupWriter{"lead", errTestBoom}, []groupWriter{{"m1", nil}, {"m2", nil}},
			[]string{"m1", "m2"}},
		{"the leader's statement fails", groupWriter{"refused-now", nil}, []groupWriter{{"m1", nil}, {"m2", nil}},
			[]string{"m1", "m2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openRefusingPostgres(t)
			seed(t, s, "ev")
			var mu sync.Mutex
			gens := map[string]uint64{} // organization -> generation it was committed in
			var order []uint64
			defer s.Watch(func(g uint64, cs []Change) {
				mu.Lock()
				defer mu.Unlock()
				order = append(order, g)
				for _, c := range cs {
					gens[c.ID] = g
				}
			})()
			saw := map[string]uint64{} // writer -> tx.Generation() after its write
			errs := runGroup(t, s, "ev", append([]groupWriter{tt.leader}, tt.members...), saw)
			for i, w := range append([]groupWriter{tt.leader}, tt.members...) {
				switch {
				case w.fail != nil && !errors.Is(errs[i], w.fail):
					t.Errorf("%s: %v, want %v", w.id, errs[i], w.fail)
				case w.id == "refused-now" && !isPgError(errs[i]):
					t.Errorf("%s: %v, want PostgreSQL's error", w.id, errs[i])
				case w.fail == nil && w.id != "refused-now" && errs[i] != nil:
					t.Errorf("%s: %v", w.id, errs[i])
				}
			}
			checkOrganizations(t, s, "ev", []string{"lead", "m1", "m2", "m3", "m4", "refused-now"}, tt.stored)
			mu.Lock()
			defer mu.Unlock()
			if !slices.IsSorted(order) || len(slices.Compact(slices.Clone(order))) != len(order) {
				t.Errorf("generations delivered %v, want strictly rising", order)
			}
			for _, id := range tt.stored {
				// Each writer saw the generations of the writers before it
				// in the group: its own is the next one.
				if gens[id] == 0 || saw[id] != gens[id]-1 {
					t.Errorf("%s: committed in generation %d, saw %d before it", id, gens[id], saw[id])
				}
			}
		})
	}
}

// runGroup runs writers[0] as the leader and the others as members of its
// group, and returns each one's error.
func runGroup(t *testing.T, s *Store, eventID string, writers []groupWriter, saw map[string]uint64) []error {
	t.Helper()
	var mu sync.Mutex
	write := func(tx *Tx, w groupWriter) error {
		err := tx.CreateOrganization(&Organization{ID: w.id, EventID: eventID, Name: "Org " + w.id, Kind: KindSME, Country: "IT"})
		if err != nil {
			return err
		}
		g := tx.Generation() // sends the write: a statement refused fails here
		mu.Lock()
		saw[w.id] = g
		mu.Unlock()
		return w.fail
	}
	errs := make([]error, len(writers))
	locked, goOn := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		errs[0] = s.Update(func(tx *Tx) error {
			if err := tx.LockEvent(eventID); err != nil {
				return err
			}
			close(locked)
			<-goOn
			return write(tx, writers[0])
		})
	})
	<-locked
	for i, w := range writers[1:] {
		wg.Go(func() { errs[i+1] = s.Update(func(tx *Tx) error { return write(tx, w) }) })
	}
	waitUntil(t, "the members queue in the leader's group", func() bool {
		st := s.eng.(*pgEngine).stripeOf(eventLock(eventID))
		st.mu.Lock()
		defer st.mu.Unlock()
		return st.cur != nil && len(st.cur.waiting) == len(writers)-1
	})
	close(goOn)
	wg.Wait()
	return errs
}

// If the group's COMMIT fails, no writer of the group is acknowledged and
// nothing of theirs is stored; the event takes writes again afterwards.
func TestGroupCommitLeaderFails(t *testing.T) {
	s, _ := openRefusingPostgres(t)
	seed(t, s, "ev")
	writers := []groupWriter{{"refused-at-commit", nil}, {"m1", nil}, {"m2", nil}, {"m3", nil}}
	errs := runGroup(t, s, "ev", writers, map[string]uint64{})
	for i, err := range errs {
		if !isPgError(err) {
			t.Errorf("%s: %v, want the commit's error", writers[i].id, err)
		}
	}
	checkOrganizations(t, s, "ev", []string{"refused-at-commit", "m1", "m2", "m3"}, nil)
	err := s.Update(func(tx *Tx) error {
		return tx.CreateOrganization(&Organization{ID: "after", EventID: "ev", Name: "After", Kind: KindSME, Country: "IT"})
	})
	if err != nil {
		t.Fatalf("a write after the failed group: %v", err)
	}
	checkOrganizations(t, s, "ev", []string{"after"}, []string{"after"})
}

// openRefusingPostgres opens a store in a fresh schema whose mg_kv refuses
// the key "refused-now" at once and the key "refused-at-commit" at the
// commit (a deferred constraint trigger): real failures of a statement
// and of a COMMIT.
func openRefusingPostgres(t *testing.T) (*Store, string) {
	t.Helper()
	url := pgtest.URL(t)
	s, err := OpenPostgres(url, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
		CREATE FUNCTION mg_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN RAISE EXCEPTION 'test: key % refused', convert_from(NEW.key, 'UTF8'); END $$;
		CREATE TRIGGER mg_test_refuse_now BEFORE INSERT OR UPDATE ON mg_kv FOR EACH ROW
			WHEN (NEW.key = convert_to('refused-now', 'UTF8')) EXECUTE FUNCTION mg_test_refuse();
		CREATE CONSTRAINT TRIGGER mg_test_refuse_at_commit AFTER INSERT OR UPDATE ON mg_kv
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
			WHEN (NEW.key = convert_to('refused-at-commit', 'UTF8')) EXECUTE FUNCTION mg_test_refuse();`)
	if err != nil {
		t.Fatalf("refusing triggers: %v", err)
	}
	return s, url
}

func isPgError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe)
}

// checkOrganizations fails unless, of the organizations ids, exactly want
// are stored.
func checkOrganizations(t *testing.T, s *Store, eventID string, ids, want []string) {
	t.Helper()
	err := s.View(func(tx *Tx) error {
		for _, id := range ids {
			_, err := tx.Organization(eventID, id)
			if got := err == nil; got != slices.Contains(want, id) {
				t.Errorf("organization %s stored: %v (%v), want %v", id, got, err, !got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitUntil polls cond until it holds, failing the test after a while.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}
