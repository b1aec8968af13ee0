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
