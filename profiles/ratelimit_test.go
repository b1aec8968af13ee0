package profiles

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/matchgrid/matchgrid/internal/pgtest"
)

// Rate limits kept in the store: a burst, then one token per interval;
// several takes are all or none; concurrent takers never get more than
// the burst; buckets full again are pruned.
func TestRateLimits(t *testing.T) {
	eachEngine(t, testRateLimits)
}

func testRateLimits(t *testing.T, open storeOpener) {
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	three := RateLimit{Burst: 3, Interval: time.Second}
	ten := RateLimit{Burst: 10, Interval: time.Minute}
	take := func(t *testing.T, s *Store, at time.Time, takes ...RateTake) bool {
		t.Helper()
		var ok bool
		if err := s.Update(func(tx *Tx) (err error) { ok, err = tx.TakeTokens(at, takes...); return err }); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	tests := []struct {
		name string
		run  func(t *testing.T, s *Store)
	}{
		{"burst, then one per interval", func(t *testing.T, s *Store) {
			steps := []struct {
				at   time.Duration
				want bool
			}{{0, true}, {0, true}, {0, true}, {0, false}, {500 * time.Millisecond, false}, {time.Second, true}, {time.Second, false}, {10 * time.Second, true}}
			for i, st := range steps {
				if got := take(t, s, t0.Add(st.at), RateTake{three, "k"}); got != st.want {
					t.Errorf("take %d at +%v = %v, want %v", i, st.at, got, st.want)
				}
			}
		}},
		{"all or none", func(t *testing.T, s *Store) {
			for range 3 {
				take(t, s, t0, RateTake{three, "a"})
			}
			if take(t, s, t0, RateTake{three, "a"}, RateTake{three, "b"}) {
				t.Fatal("a take with an empty bucket succeeded")
			}
			for i := range 3 {
				if !take(t, s, t0, RateTake{three, "b"}) {
					t.Fatalf("b lost a token to a refused take: take %d refused", i)
				}
			}
		}},
		{"concurrent takers share one burst", func(t *testing.T, s *Store) {
			var won atomic.Int32
			var wg sync.WaitGroup
			for range 30 {
				wg.Go(func() {
					if take(t, s, t0, RateTake{ten, "shared"}) {
						won.Add(1)
					}
				})
			}
			wg.Wait()
			if won.Load() != 10 {
				t.Errorf("%d of 30 concurrent takes succeeded, want the burst of 10", won.Load())
			}
		}},
		{"pruned once full again", func(t *testing.T, s *Store) {
			for i := range 5 {
				take(t, s, t0, RateTake{three, fmt.Sprint("key", i)})
			}
			take(t, s, t0, RateTake{ten, "slow"})
			for _, st := range []struct {
				at          time.Duration
				gone, count int
			}{{0, 0, 6}, {time.Second, 5, 1}, {time.Minute, 1, 0}} {
				var gone, count int
				err := s.Update(func(tx *Tx) (err error) {
					if gone, err = tx.PruneRateLimits(t0.Add(st.at)); err != nil {
						return err
					}
					count, err = tx.RateLimitCount()
					return err
				})
				if err != nil || gone != st.gone || count != st.count {
					t.Errorf("prune at +%v: %d deleted, %d left, %v; want %d, %d", st.at, gone, count, err, st.gone, st.count)
				}
			}
		}},
		{"bad limits refused", func(t *testing.T, s *Store) {
			for _, tk := range []RateTake{{RateLimit{0, time.Second}, "k"}, {RateLimit{1, 0}, "k"}, {three, ""}} {
				err := s.Update(func(tx *Tx) error { _, err := tx.TakeTokens(t0, tk); return err })
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("TakeTokens(%+v) = %v, want ErrInvalid", tk, err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open(t)) })
	}
}

// On PostgreSQL a take locks its key, not every rate limit: while one
// server holds key x, the other takes from key y at once, and a take of
// key x waits and then finds x's last token gone.
func TestRateLimitsLockByKey(t *testing.T) {
	url := pgtest.URL(t)
	var servers [2]*Store
	for i := range servers {
		s, err := OpenPostgres(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		servers[i] = s
	}
	a, b := servers[0], servers[1]
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	one := RateLimit{Burst: 1, Interval: time.Hour}
	take := func(s *Store, key string, hold <-chan struct{}, holding chan<- struct{}) (bool, error) {
		var ok bool
		err := s.Update(func(tx *Tx) (err error) {
			if ok, err = tx.TakeTokens(t0, RateTake{one, key}); err != nil {
				return err
			}
			if holding != nil {
				close(holding)
				<-hold
			}
			return nil
		})
		return ok, err
	}
	hold, holding := make(chan struct{}), make(chan struct{})
	released := sync.OnceFunc(func() { close(hold) })
	defer released()
	type result struct {
		ok  bool
		err error
	}
	first := make(chan result, 1)
	go func() { ok, err := take(a, "x", hold, holding); first <- result{ok, err} }()
	<-holding

	other := make(chan result, 1)
	go func() { ok, err := take(b, "y", nil, nil); other <- result{ok, err} }()
	select {
	case r := <-other:
		if !r.ok || r.err != nil {
			t.Errorf("take of y while x is held: %v, %v; want a token", r.ok, r.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("a take of key y waited for the lock of key x")
	}

	same := make(chan result, 1)
	go func() { ok, err := take(b, "x", nil, nil); same <- result{ok, err} }()
	waitUntil(t, "the second take of x waits for its lock", func() bool {
		var n int
		err := b.View(func(tx *Tx) error {
			return tx.kv.(*pgTx).readRow("locks", func(row pgx.Row) error { return row.Scan(&n) },
				`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
				AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`, b.eng.(*pgEngine).schema+":ratelimit/x")
		})
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	released()
	if r := <-first; !r.ok || r.err != nil {
		t.Errorf("first take of x: %v, %v; want a token", r.ok, r.err)
	}
	if r := <-same; r.ok || r.err != nil {
		t.Errorf("second take of x: %v, %v; want none left", r.ok, r.err)
	}
}
