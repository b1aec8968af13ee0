package auth

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/pgtest"
	"github.com/matchgrid/matchgrid/profiles"
)

// openStore opens the store at path (a file or a postgres:// URL), closed
// at cleanup unless closed before.
func openStore(t *testing.T, path string) *profiles.Store {
	t.Helper()
	s, err := profiles.OpenURL(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Wrong guesses counted through one store hold for another process on the
// same data: a second server on the same PostgreSQL database, or the same
// bbolt file after a restart. Another address is not limited by them.
func TestGuessLimitsHoldAcrossProcesses(t *testing.T) {
	tests := []struct {
		name string
		// open returns the store guessed at first, and a function giving
		// the store of the other process.
		open func(t *testing.T) (*profiles.Store, func() *profiles.Store)
	}{
		{"bbolt, after a restart", func(t *testing.T) (*profiles.Store, func() *profiles.Store) {
			path := filepath.Join(t.TempDir(), "matchgrid.db")
			a := openStore(t, path)
			return a, func() *profiles.Store {
				if err := a.Close(); err != nil {
					t.Fatal(err)
				}
				return openStore(t, path)
			}
		}},
		{"postgres, another server", func(t *testing.T) (*profiles.Store, func() *profiles.Store) {
			url := pgtest.URL(t)
			a := openStore(t, url)
			b := openStore(t, url)
			return a, func() *profiles.Store { return b }
		}},
	}
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	const guesser, other = "198.51.100.7", "203.0.113.9"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, second := tt.open(t)
			ga := NewGuesses(first)
			for i := range 10 {
				if ga.Wrong(guesser, "organizer", now) {
					t.Fatalf("wrong guess %d limited, want the burst of 10 allowed", i)
				}
			}
			if !ga.Wrong(guesser, "organizer", now) {
				t.Fatal("the 11th wrong guess was not limited")
			}
			gb := NewGuesses(second())
			if !gb.Wrong(guesser, "links/ev", now.Add(time.Second)) {
				t.Error("the other process let the limited address guess on")
			}
			if gb.Wrong(other, "organizer", now.Add(time.Second)) {
				t.Error("the other process limited an address that never guessed")
			}
			if gb.Wrong(guesser, "organizer", now.Add(6*time.Second)) {
				t.Error("no token refilled after the interval")
			}
		})
	}
}

// A limiter moved InStore holds across servers sharing a PostgreSQL store;
// on bbolt, which one process holds, it stays in memory and writes nothing.
func TestLimiterInStore(t *testing.T) {
	tests := []struct {
		name   string
		open   func(t *testing.T) (a, b *profiles.Store) // two servers' stores
		shared bool
	}{
		{"bbolt", func(t *testing.T) (*profiles.Store, *profiles.Store) {
			a := openStore(t, filepath.Join(t.TempDir(), "matchgrid.db"))
			return a, a
		}, false},
		{"postgres", func(t *testing.T) (*profiles.Store, *profiles.Store) {
			url := pgtest.URL(t)
			return openStore(t, url), openStore(t, url)
		}, true},
	}
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.open(t)
			la, lb := NewLimiter(3, time.Minute).InStore(a, "send"), NewLimiter(3, time.Minute).InStore(b, "send")
			for i := range 3 {
				if !la.Allow("ev/anna", now) {
					t.Fatalf("take %d on A refused, want a burst of 3", i)
				}
			}
			if got := lb.Allow("ev/anna", now); got == tt.shared {
				t.Errorf("B after A used the burst: allowed %v, want %v", got, !tt.shared)
			}
			if !lb.Allow("ev/marco", now) {
				t.Error("another participant refused on B")
			}
			var stored int
			if err := a.View(func(tx *profiles.Tx) (err error) { stored, err = tx.RateLimitCount(); return err }); err != nil {
				t.Fatal(err)
			}
			if (stored > 0) != tt.shared {
				t.Errorf("%d buckets in the store, want some only when shared", stored)
			}
		})
	}
}
