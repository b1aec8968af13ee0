package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/matchgrid/matchgrid/profiles"
)

// Sentinel errors; returned errors wrap them with %w.
var (
	// ErrClosed means the index was used after Close.
	ErrClosed = errors.New("index closed")
	// ErrUnavailable means a rebuild after a failed update failed too; the
	// index is empty until Rebuild succeeds or the engine is reopened.
	ErrUnavailable = errors.New("index unavailable")
	// ErrInvalid means a search request is malformed.
	ErrInvalid = errors.New("invalid search")
)

// Store is what the index needs from the event store: read transactions,
// the generation counter, change notifications and the record of recent
// changes (to catch up after a crash). *profiles.Store has it.
type Store interface {
	View(fn func(tx *profiles.Tx) error) error
	Generation() (uint64, error)
	Watch(fn func(generation uint64, changes []profiles.Change)) (cancel func())
	ChangesSince(after uint64, fn func(generation uint64, changes []profiles.Change) error) error
}

// Options tunes Open. The zero value is usable.
type Options struct {
	// Progress, when set, is called while the index is rebuilt, and while it
	// follows a store transaction of more than a few hundred changes.
	Progress func(done, total int)
	// OnError, when set, receives errors of following the store (a failed
	// update leaves the index stale; it is rebuilt at the next open).
	OnError func(error)
}

// Index is a Bleve (scorch, BM25) index of the organizations and
// opportunities of every event in a store, kept in step with the store.
// It is safe for concurrent use.
type Index struct {
	mu      sync.RWMutex // writers: updates and rebuilds
	bi      bleve.Index
	dir     string
	store   Store
	opts    Options
	cancel  func()
	closed  bool
	rebuilt bool
	// replayed counts the changes Open replayed to catch up with the store.
	replayed int
	// unrecorded is the latest store generation applied without a Bleve
	// write of its own (nothing indexed changed); Close records it.
	unrecorded atomic.Uint64
	// queue holds the changes delivered and not yet indexed (queue.go).
	queue *queue

	dfMu    sync.Mutex
	dfCache map[string]uint64 // field + term -> document frequency, cleared on writes
}

// clearCaches forgets cached document frequencies after a write.
func (ix *Index) clearCaches() {
	ix.dfMu.Lock()
	ix.dfCache = nil
	ix.dfMu.Unlock()
}

// Open opens the index in dir (a directory of its own), following store.
// An index behind the store (the process died before the index recorded
// what it had applied) catches up by replaying the store's changes since
// its recorded generation. A missing index, one that cannot be opened, or
// one the store's change record cannot bring up to date (too far behind,
// or ahead of the store) is rebuilt from the store. With
// dir "" the index lives in memory (for tests; it never merges segments).
func Open(dir string, store Store, opts *Options) (*Index, error) {
	ix := &Index{dir: dir, store: store, queue: newQueue()}
	if opts != nil {
		ix.opts = *opts
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Follow first: commits that land while the index is opened or rebuilt
	// are queued and indexed after.
	ix.cancel = store.Watch(ix.apply)
	if err := ix.open(); err != nil {
		ix.cancel()
		return nil, err
	}
	go ix.follow()
	return ix, nil
}

// open opens or rebuilds the Bleve index; ix.mu is held.
func (ix *Index) open() error {
	want, err := ix.store.Generation()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if ix.dir != "" {
		if _, err := os.Stat(ix.dir); err == nil {
			bi, err := bleve.OpenUsing(ix.dir, map[string]any{"bolt_timeout": "5s"})
			if err == nil {
				got, err := readGeneration(bi)
				if err == nil && got == want {
					ix.bi = bi
					return nil
				}
				if err == nil && got < want && ix.catchUp(bi, got) == nil {
					return nil
				}
				bi.Close()
			}
			if err := os.RemoveAll(ix.dir); err != nil {
				return fmt.Errorf("index: remove stale index: %w", err)
			}
		}
	}
	return ix.rebuild()
}

// create makes an empty Bleve index; ix.mu is held.
func (ix *Index) create() (bleve.Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	if ix.dir == "" {
		return bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	}
	return bleve.NewUsing(ix.dir, m, scorch.Name, scorch.Name, map[string]any{"bolt_timeout": "5s"})
}

// rebuild indexes the whole store into a new index; ix.mu is held.
func (ix *Index) rebuild() error {
	bi, err := ix.create()
	if err != nil {
		return fmt.Errorf("index: create %s: %w", ix.dir, err)
	}
	// The generation is read before the contents: a commit in between is
	// applied again by apply, which waits for ix.mu.
	gen, err := ix.store.Generation()
	if err != nil {
		bi.Close()
		return fmt.Errorf("index: rebuild: %w", err)
	}
	err = ix.store.View(func(tx *profiles.Tx) error {
		events, err := tx.Events()
		if err != nil {
			return err
		}
		type item struct {
			id  string
			doc document
		}
		var items []item
		for _, ev := range events {
			orgs, err := tx.Organizations(ev.ID)
			if err != nil {
				return err
			}
			people, err := tx.Participants(ev.ID)
			if err != nil {
				return err
			}
			peopleOf := map[string][]profiles.Participant{}
			for _, p := range people {
				peopleOf[p.OrganizationID] = append(peopleOf[p.OrganizationID], p)
			}
			byID := map[string]*profiles.Organization{}
			for i := range orgs {
				byID[orgs[i].ID] = &orgs[i]
				items = append(items, item{DocID(TypeOrganization, ev.ID, orgs[i].ID), organizationDocument(&orgs[i], peopleOf[orgs[i].ID])})
			}
			opps, err := tx.Opportunities(ev.ID)
			if err != nil {
				return err
			}
			for i := range opps {
				items = append(items, item{DocID(TypeOpportunity, ev.ID, opps[i].ID), opportunityDocument(&opps[i], byID[opps[i].OrganizationID])})
			}
		}
		const batchSize = 500
		b := bi.NewBatch()
		for i, it := range items {
			if err := b.Index(it.id, map[string]any(it.doc)); err != nil {
				return err
			}
			if b.Size() >= batchSize || i == len(items)-1 {
				if err := bi.Batch(b); err != nil {
					return err
				}
				b.Reset()
				if ix.opts.Progress != nil {
					ix.opts.Progress(i+1, len(items))
				}
			}
		}
		if len(items) == 0 && ix.opts.Progress != nil {
			ix.opts.Progress(0, 0)
		}
		return nil
	})
	if err == nil {
		err = writeGeneration(bi, gen)
	}
	if err != nil {
		bi.Close()
		return fmt.Errorf("index: rebuild: %w", err)
	}
	ix.bi = bi
	ix.rebuilt = true
	ix.clearCaches()
	return nil
}

// Rebuilt reports whether Open (or Rebuild) built the index from the store.
func (ix *Index) Rebuilt() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.rebuilt
}

// Replayed returns how many store changes Open replayed to bring an index
// that had fallen behind up to date (0 when it was current or rebuilt).
func (ix *Index) Replayed() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.replayed
}

// Rebuild drops the index and builds it again from the store.
func (ix *Index) Rebuild() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	return ix.rebuildInPlace()
}

// usable says why the index cannot answer, if it cannot; ix.mu is held.
func (ix *Index) usable() error {
	switch {
	case ix.closed:
		return ErrClosed
	case ix.bi == nil:
		return ErrUnavailable
	}
	return nil
}

// Generation returns the store generation the index reflects (once the
// changes delivered before the call are indexed).
func (ix *Index) Generation() (uint64, error) {
	ix.queue.wait()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return 0, err
	}
	g, err := readGeneration(ix.bi)
	return max(g, ix.unrecorded.Load()), err
}

// DocCount returns the number of documents in the index (once the
// changes delivered before the call are indexed).
func (ix *Index) DocCount() (uint64, error) {
	ix.queue.wait()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return 0, err
	}
	return ix.bi.DocCount()
}

// Close stops following the store and closes the index.
func (ix *Index) Close() error {
	// Unregister, then let the follower index what is queued, before
	// taking mu (the follower takes it).
	ix.cancel()
	ix.mu.RLock()
	closed := ix.closed
	ix.mu.RUnlock()
	if !closed {
		ix.queue.close()
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if ix.bi == nil { // a failed rebuild left nothing open
		return nil
	}
	var err error
	if g := ix.unrecorded.Load(); g > 0 {
		err = safeBleve(func() error { return writeGeneration(ix.bi, g) })
	}
	return errors.Join(err, ix.bi.Close())
}

func readGeneration(bi bleve.Index) (uint64, error) {
	v, err := bi.GetInternal([]byte(internalGeneration))
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("index: no recorded generation")
	}
	return binary.BigEndian.Uint64(v), nil
}

func writeGeneration(bi bleve.Index, g uint64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], g)
	return bi.SetInternal([]byte(internalGeneration), buf[:])
}
