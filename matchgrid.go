package matchgrid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/matchgrid/matchgrid/profiles"
)

// StoreFile is the name of the bbolt file inside a data directory.
const StoreFile = "matchgrid.db"

// DefaultDataDir is the data directory the CLI uses when none is given.
const DefaultDataDir = "./matchgrid-data"

// Engine is an open data directory: the store, and the parts built on it.
// It is safe for concurrent use.
type Engine struct {
	dir      string
	store    *profiles.Store
	snapshot string // temporary copy the engine reads from, removed at Close
}

// Options tunes Open. The zero value is usable.
type Options struct {
	// ReadOnly opens the store without write access and without creating
	// the directory. When a running server holds the store, a read-only
	// engine reads a consistent snapshot taken through the server's control
	// socket instead (see Backup), so exports work during a live event.
	ReadOnly bool
}

// Open opens the data directory dir, creating it and its store when missing.
func Open(dir string, opts *Options) (*Engine, error) {
	if opts == nil {
		opts = &Options{}
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("matchgrid: data directory: %w", err)
		}
	} else if _, err := os.Stat(filepath.Join(dir, StoreFile)); err != nil {
		return nil, fmt.Errorf("matchgrid: data directory %s has no store: %w", dir, err)
	}
	store, err := profiles.Open(filepath.Join(dir, StoreFile), &profiles.Options{ReadOnly: opts.ReadOnly})
	if err != nil && opts.ReadOnly {
		return openSnapshot(dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("matchgrid: %w", err)
	}
	return &Engine{dir: dir, store: store}, nil
}

// openSnapshot opens a read-only engine on a copy of the store taken from
// the running server that holds it (openErr is why the store itself could
// not be opened).
func openSnapshot(dir string, openErr error) (*Engine, error) {
	tmp, err := os.CreateTemp("", "matchgrid-snapshot-*.db")
	if err != nil {
		return nil, fmt.Errorf("matchgrid: %w", err)
	}
	tmp.Close()
	if _, err := backupViaControl(context.Background(), dir, tmp.Name()); err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("matchgrid: %w (%w)", openErr, err)
	}
	store, err := profiles.Open(tmp.Name(), &profiles.Options{ReadOnly: true})
	if err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("matchgrid: snapshot: %w", err)
	}
	return &Engine{dir: dir, store: store, snapshot: tmp.Name()}, nil
}

// Close closes everything the engine opened.
func (e *Engine) Close() error {
	err := e.store.Close()
	if e.snapshot != "" {
		err = errors.Join(err, os.Remove(e.snapshot))
	}
	return err
}

// Dir returns the data directory.
func (e *Engine) Dir() string { return e.dir }

// Store returns the event store.
func (e *Engine) Store() *profiles.Store { return e.store }
