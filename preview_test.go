package matchgrid

import (
	"context"
	"errors"
	"testing"

	"github.com/matchgrid/matchgrid/internal/pgtest"
	"github.com/matchgrid/matchgrid/profiles"
)

// openEngine opens an engine on dir (and store, when not ""), closed at
// cleanup unless closed before.
func openEngine(t *testing.T, dir, store string) *Engine {
	t.Helper()
	eng, err := Open(dir, &Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

// A preview is kept in the store, not in the process that made it: on
// bbolt it outlives a restart, on PostgreSQL another server (engine) shows
// and publishes it, and after that neither can publish it again.
func TestPreviewLivesInTheStore(t *testing.T) {
	tests := []struct {
		name string
		// open returns the engine that previews, and a function giving the
		// one that publishes.
		open func(t *testing.T) (*Engine, func() *Engine)
	}{
		{"bbolt, after a restart", func(t *testing.T) (*Engine, func() *Engine) {
			dir := t.TempDir()
			a := openEngine(t, dir, "")
			fillSmall(t, a)
			return a, func() *Engine {
				if err := a.Close(); err != nil {
					t.Fatal(err)
				}
				return openEngine(t, dir, "")
			}
		}},
		{"postgres, another server", func(t *testing.T) (*Engine, func() *Engine) {
			url := pgtest.URL(t)
			a := openEngine(t, t.TempDir(), url)
			fillSmall(t, a)
			b := openEngine(t, t.TempDir(), url)
			return a, func() *Engine { return b }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, other := tt.open(t)
			rep, err := a.PreviewGrid(context.Background(), "ev", tiny)
			if err != nil {
				t.Fatal(err)
			}
			previewed := reportPlacements(rep)
			b := other()
			again, err := b.Preview("ev")
			if err != nil || !samePlacements(reportPlacements(again), previewed) {
				t.Fatalf("Preview on the other = %v, %v; want the grid previewed", again, err)
			}
			view, err := b.PreviewView("ev")
			if err != nil || !view.Preview || len(view.Meetings) != len(previewed) {
				t.Fatalf("PreviewView on the other = %+v, %v", view, err)
			}
			pub, err := b.PublishGrid("ev")
			if err != nil || !pub.Written {
				t.Fatalf("publish on the other = %+v, %v", pub, err)
			}
			if got := placements(t, b); !samePlacements(got, previewed) {
				t.Errorf("published grid %v differs from the preview %v", got, previewed)
			}
			if _, err := b.PreviewView("ev"); !errors.Is(err, profiles.ErrNotFound) {
				t.Errorf("PreviewView after publishing = %v, want ErrNotFound", err)
			}
			if _, err := b.PublishGrid("ev"); !errors.Is(err, profiles.ErrConflict) {
				t.Errorf("publishing again = %v, want ErrConflict", err)
			}
		})
	}
}
