package index

import (
	"sync"

	"github.com/matchgrid/matchgrid/profiles"
)

// The index follows the store's change feed from a goroutine of its own:
// the store's notification (apply) only queues the changes, so a writer
// never waits for Bleve, and commits that land while a batch is indexed
// are indexed together in the next one. A reader waits for the changes
// queued before it asked (wait), so a search after Update returns still
// sees that update.

// queue holds the changes delivered and not yet indexed.
type queue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	changes []profiles.Change
	queued  uint64 // the last generation queued
	done    uint64 // the last generation indexed (or given up on)
	closing bool
	stopped chan struct{} // closed when the follower has returned
}

func newQueue() *queue {
	q := &queue{stopped: make(chan struct{})}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push queues one commit's changes.
func (q *queue) push(generation uint64, changes []profiles.Change) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closing {
		return
	}
	q.changes = append(q.changes, changes...)
	q.queued = max(q.queued, generation)
	q.cond.Broadcast()
}

// take waits for queued changes and returns them all with the last
// generation they reach; ok is false once the queue is closed and empty.
func (q *queue) take() (generation uint64, changes []profiles.Change, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.changes) == 0 && !q.closing {
		q.cond.Wait()
	}
	if len(q.changes) == 0 {
		return 0, nil, false
	}
	changes, q.changes = q.changes, nil
	return q.queued, changes, true
}

// finished records that the changes up to generation are indexed.
func (q *queue) finished(generation uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.done = max(q.done, generation)
	q.cond.Broadcast()
}

// wait returns once every change queued before the call is indexed (the
// follower indexes what is queued even when the index closes).
func (q *queue) wait() {
	q.mu.Lock()
	defer q.mu.Unlock()
	target := q.queued
	for q.done < target {
		q.cond.Wait()
	}
}

// close stops the follower once it has indexed what is queued, and
// waits for it.
func (q *queue) close() {
	q.mu.Lock()
	q.closing = true
	q.cond.Broadcast()
	q.mu.Unlock()
	<-q.stopped
}

// follow indexes queued changes until the queue is closed; one goroutine
// per index runs it.
func (ix *Index) follow() {
	defer close(ix.queue.stopped)
	for {
		generation, changes, ok := ix.queue.take()
		if !ok {
			return
		}
		ix.index(generation, replayOrder(changes))
		ix.queue.finished(generation)
	}
}
