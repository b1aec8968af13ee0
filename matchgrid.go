package matchgrid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// StoreFile is the name of the bbolt file inside a data directory.
const StoreFile = "matchgrid.db"

// IndexDir is the name of the search index directory inside a data directory.
const IndexDir = "index"

// DefaultDataDir is the data directory the CLI uses when none is given.
const DefaultDataDir = "./matchgrid-data"

// Engine is an open data directory: the store, and the parts built on it.
// It is safe for concurrent use.
type Engine struct {
	dir      string
	store    *profiles.Store
	snapshot string // temporary copy the engine reads from, removed at Close
	opts     Options

	indexOnce sync.Once
	index     *index.Index
	matcher   *matcher.Matcher
	indexErr  error

	notes atomic.Pointer[notifications] // set by StartNotifications

	// background are the goroutines of StartNotifications; Close stops
	// them (stopBackground) and waits, so none writes after Close.
	background     sync.WaitGroup
	backgroundMu   sync.Mutex
	stopBackground []context.CancelFunc
}

// Options tunes Open. The zero value is usable.
type Options struct {
	// Store, when a postgres:// URL, keeps the store in that PostgreSQL
	// database (which several servers may share) instead of the bbolt file
	// in the data directory; the data directory still holds this process's
	// search index and control socket.
	Store string
	// ReadOnly opens the store without write access and without creating
	// the directory. When a running server holds the store, a read-only
	// engine reads a consistent snapshot taken through the server's control
	// socket instead (see Backup), so exports work during a live event.
	ReadOnly bool
	// IndexProgress, when set, is called while the search index is
	// rebuilt (at Open when it is missing or stale) and while it follows a
	// large write such as an import.
	IndexProgress func(done, total int)
	// IndexError, when set, receives errors of keeping the index in step
	// with the store. Such an error leaves the index behind the store, and
	// the next Open rebuilds it.
	IndexError func(error)
	// Matcher tunes the matcher (weights, per-event overrides).
	Matcher *matcher.Options
	// AllowPrivateWebhooks lets webhooks be registered for, and call,
	// loopback, private, link-local and metadata addresses (tests, a portal
	// on the server's own network). Off, such URLs are refused when
	// registered and such calls fail when made (see package webhook).
	AllowPrivateWebhooks bool
}

// Open opens the data directory dir, creating it and its store when missing.
func Open(dir string, opts *Options) (*Engine, error) {
	if opts == nil {
		opts = &Options{}
	}
	store, snapshot, err := openStore(dir, opts)
	if err != nil {
		return nil, err
	}
	e := &Engine{dir: dir, store: store, snapshot: snapshot, opts: *opts}
	// A writable engine opens (and if need be rebuilds) its index now and
	// keeps it in step with the store; a read-only one builds an in-memory
	// index when first asked.
	if !opts.ReadOnly {
		if err := e.openIndex(); err != nil {
			store.Close()
			return nil, err
		}
	}
	return e, nil
}

// openStore opens the bbolt file of dir, or the PostgreSQL database of
// opts.Store. A read-only engine on a bbolt file that a server holds reads
// a snapshot taken through the server (PostgreSQL needs none).
func openStore(dir string, opts *Options) (store *profiles.Store, snapshot string, err error) {
	postgres := profiles.IsPostgresURL(opts.Store)
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, "", fmt.Errorf("matchgrid: data directory: %w", err)
		}
	} else if _, err := os.Stat(filepath.Join(dir, StoreFile)); err != nil && !postgres {
		return nil, "", fmt.Errorf("matchgrid: data directory %s has no store: %w", dir, err)
	}
	popts := &profiles.Options{ReadOnly: opts.ReadOnly, FeedError: opts.IndexError}
	if postgres {
		if store, err = profiles.OpenPostgres(opts.Store, popts); err != nil {
			return nil, "", fmt.Errorf("matchgrid: %w", err)
		}
		return store, "", nil
	}
	if opts.Store != "" {
		return nil, "", fmt.Errorf("matchgrid: store %q: want a postgres:// URL (the bbolt file is always %s in the data directory): %w", opts.Store, StoreFile, profiles.ErrInvalid)
	}
	store, err = profiles.Open(filepath.Join(dir, StoreFile), popts)
	if err != nil && opts.ReadOnly {
		return openSnapshot(dir, err)
	}
	if err != nil {
		return nil, "", fmt.Errorf("matchgrid: %w", err)
	}
	return store, "", nil
}

// openIndex opens the index and the matcher once.
func (e *Engine) openIndex() error {
	e.indexOnce.Do(func() {
		dir := ""
		if !e.opts.ReadOnly {
			dir = filepath.Join(e.dir, IndexDir)
		}
		ix, err := index.Open(dir, e.store, &index.Options{Progress: e.opts.IndexProgress, OnError: e.opts.IndexError})
		if err != nil {
			e.indexErr = fmt.Errorf("matchgrid: %w", err)
			return
		}
		m, err := matcher.New(e.store, e.opts.Matcher)
		if err != nil {
			ix.Close()
			e.indexErr = fmt.Errorf("matchgrid: %w", err)
			return
		}
		e.index, e.matcher = ix, m
	})
	return e.indexErr
}

// openSnapshot opens, read-only, a copy of the store taken from the
// running server that holds it (openErr is why the store itself could not
// be opened); the copy is removed at Close.
func openSnapshot(dir string, openErr error) (*profiles.Store, string, error) {
	tmp, err := os.CreateTemp("", "matchgrid-snapshot-*.db")
	if err != nil {
		return nil, "", fmt.Errorf("matchgrid: %w", err)
	}
	tmp.Close()
	if _, err := backupViaControl(context.Background(), dir, tmp.Name()); err != nil {
		os.Remove(tmp.Name())
		return nil, "", fmt.Errorf("matchgrid: %w (%w)", openErr, err)
	}
	store, err := profiles.Open(tmp.Name(), &profiles.Options{ReadOnly: true})
	if err != nil {
		os.Remove(tmp.Name())
		return nil, "", fmt.Errorf("matchgrid: snapshot: %w", err)
	}
	return store, tmp.Name(), nil
}

// Close closes everything the engine opened.
func (e *Engine) Close() error {
	e.backgroundMu.Lock()
	for _, stop := range e.stopBackground {
		stop()
	}
	e.stopBackground = nil
	e.backgroundMu.Unlock()
	e.background.Wait()
	var err error
	if e.matcher != nil {
		e.matcher.Close()
	}
	if e.index != nil {
		err = e.index.Close()
	}
	err = errors.Join(err, e.store.Close())
	if e.snapshot != "" {
		err = errors.Join(err, os.Remove(e.snapshot))
	}
	return err
}

// Dir returns the data directory.
func (e *Engine) Dir() string { return e.dir }

// Store returns the event store.
func (e *Engine) Store() *profiles.Store { return e.store }

// Index returns the search index of organizations and opportunities,
// kept in step with the store. A read-only engine builds it in memory on
// the first call.
func (e *Engine) Index() (*index.Index, error) {
	if err := e.openIndex(); err != nil {
		return nil, err
	}
	return e.index, nil
}

// Matcher returns the partner matcher of the engine.
func (e *Engine) Matcher() (*matcher.Matcher, error) {
	if err := e.openIndex(); err != nil {
		return nil, err
	}
	return e.matcher, nil
}
