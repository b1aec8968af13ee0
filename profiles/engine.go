package profiles

// engine is what the store needs of a storage engine: ordered keys in
// nested buckets, read and write transactions, ranges, a generation
// counter and a change feed. bbolt (engine_bolt.go) and PostgreSQL
// (engine_pg.go) implement it; everything above it (table.go and the
// store_*.go methods) is written once against it.
type engine interface {
	// view runs fn in a read-only transaction that sees one consistent
	// state of the store.
	view(fn func(kv) error) error
	// update runs fn in a read-write transaction, committed when fn returns
	// nil and rolled back otherwise.
	update(fn func(kv) error) error
	// generation returns the last committed generation.
	generation() (uint64, error)
	// changesSince calls fn, in order, for every committed generation after
	// the given one; ErrChangesPruned when the log no longer reaches back.
	changesSince(after uint64, fn func(generation uint64, changes []Change) error) error
	// listen calls poke with the generation of every commit announced
	// (0 when unknown: once after each connection, to catch up), until stop
	// is called. An engine that no other process writes to never calls it.
	listen(poke func(generation uint64), onError func(error)) (stop func())
	// follows reports whether every commit is known to this process as it
	// happens: its own, and the other processes' through listen.
	follows() bool
	// describe names the engine and where its data is, for messages.
	describe() string
	close() error
}

// bucket is a path of nested bucket names, e.g. {"events", "ev1",
// "organizations"}. Names never hold a NUL byte.
type bucket []string

// keyRange selects the keys of a bucket that start with prefix, in key
// order, skipping the first offset of them and returning at most limit
// (all when limit < 0).
type keyRange struct {
	prefix []byte
	offset int
	limit  int
}

// everything is the range of all keys of a bucket.
var everything = keyRange{limit: -1}

// kv is one transaction of an engine. Values passed to callbacks or
// returned are only valid until the transaction ends: decode or copy them.
// A bucket that was never written reads as empty; writing creates it.
type kv interface {
	writable() bool
	get(b bucket, key []byte) ([]byte, error)
	// getMany reads several keys of one bucket; a missing key reads as nil.
	getMany(b bucket, keys [][]byte) ([][]byte, error)
	// lookup reads an index in one go: the IDs filed in bucket index under
	// prefix (its keys are prefix+ID), in key order, and the value of each
	// ID in bucket records (nil when missing).
	lookup(index bucket, prefix []byte, records bucket) (ids, values [][]byte, err error)
	put(b bucket, key, value []byte) error
	del(b bucket, key []byte) error
	// delIf deletes the keys of b whose value is at most max, compared as
	// bytes, and returns how many it deleted. A key written meanwhile by
	// another transaction is judged by its new value.
	delIf(b bucket, max []byte) (int, error)
	// scan calls fn for the keys (and values) of r in b, in key order.
	scan(b bucket, r keyRange, fn func(key, value []byte) error) error
	// count returns how many keys of b start with prefix.
	count(b bucket, prefix []byte) (int, error)
	// buckets lists the names of the buckets nested directly in b, in order.
	buckets(b bucket) ([]string, error)
	// dropBucket deletes b with every key and bucket in it.
	dropBucket(b bucket) error
	// lock serialises this write transaction with every other writer that
	// takes the same lock, until it ends.
	lock(name string) error
	// generation is the store's generation as this transaction sees it.
	generation() (uint64, error)
	// releaseMapped hands back to the system the pages of a memory-mapped
	// file that reading brought into the process (a no-op without one).
	releaseMapped() error
	// commitChanges raises the generation and logs the changes, in the
	// writing transaction; it returns the new generation.
	commitChanges(changes []Change) (uint64, error)
}
