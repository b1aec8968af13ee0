package auth

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// storeBuckets takes tokens of rate limits kept in a store
// (profiles.TakeTokens), and prunes the buckets that are full again, at
// most once per pruneEvery in this process, so that the store keeps only
// the limits in use.
type storeBuckets struct {
	store     *profiles.Store
	mu        sync.Mutex
	lastPrune time.Time
}

// pruneEvery is how often a process prunes the store's full buckets.
const pruneEvery = time.Minute

func newStoreBuckets(store *profiles.Store) *storeBuckets { return &storeBuckets{store: store} }

// errLimited rolls back the transaction of a refused take: it wrote
// nothing worth a commit (on bbolt a commit is a disk sync).
var errLimited = errors.New("limited")

// take takes one token for each take, all or none, and reports whether it
// did; a store error refuses. A due prune runs first in a transaction of
// its own: in the take's, its deletes would hold rows that other takers
// wait on, and a failed prune is housekeeping, no reason to refuse.
func (b *storeBuckets) take(now time.Time, takes ...profiles.RateTake) (bool, error) {
	if b.pruneDue(now) {
		err := b.store.Update(func(tx *profiles.Tx) error { _, err := tx.PruneRateLimits(now); return err })
		if err != nil {
			slog.Warn("auth: pruning the rate limits", "err", err)
		}
	}
	var ok bool
	err := b.store.Update(func(tx *profiles.Tx) error {
		var err error
		ok, err = tx.TakeTokens(now, takes...)
		if err == nil && !ok {
			err = errLimited
		}
		return err
	})
	if err != nil && !errors.Is(err, errLimited) {
		return false, err
	}
	return ok, nil
}

// pruneDue reports whether this call should prune.
func (b *storeBuckets) pruneDue(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastPrune) < pruneEvery {
		return false
	}
	b.lastPrune = now
	return true
}
