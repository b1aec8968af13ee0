package profiles

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unsafe"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// boltEngine keeps the store in one bbolt file: buckets are bbolt buckets,
// the generation is meta/generation and the change log the bucket
// changes/<generation>. bbolt has one writer at a time, so lock is a no-op.
type boltEngine struct{ db *bolt.DB }

var (
	keyGeneration = []byte("generation")
	bucketChanges = []byte("changes")
)

func (e *boltEngine) view(fn func(kv) error) error {
	return e.wrap(e.db.View(func(tx *bolt.Tx) error { return fn(&boltTx{tx: tx}) }))
}

func (e *boltEngine) update(fn func(kv) error) error {
	return e.wrap(e.db.Update(func(tx *bolt.Tx) error { return fn(&boltTx{tx: tx}) }))
}

func (e *boltEngine) wrap(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

func (e *boltEngine) generation() (uint64, error) {
	var g uint64
	err := e.view(func(k kv) (err error) { g, err = k.generation(); return err })
	return g, err
}

func (e *boltEngine) changesSince(after uint64, fn func(uint64, []Change) error) error {
	return e.view(func(k kv) error {
		return readChangeLog(k, after, fn)
	})
}

// listen never pokes: the file lock keeps other processes out.
func (e *boltEngine) listen(func(uint64), func(error)) func() { return func() {} }

// follows: the file lock keeps other writers out, so every commit is this process's.
func (e *boltEngine) follows() bool { return true }

func (e *boltEngine) describe() string { return "bbolt file " + e.db.Path() }

func (e *boltEngine) close() error { return e.db.Close() }

// writeTo writes a consistent copy of the file (a hot backup).
func (e *boltEngine) writeTo(w io.Writer) (int64, error) {
	var n int64
	err := e.wrap(e.db.View(func(tx *bolt.Tx) (err error) { n, err = tx.WriteTo(w); return err }))
	return n, err
}

// boltTx is a kv over one bbolt transaction.
type boltTx struct{ tx *bolt.Tx }

func (t *boltTx) writable() bool { return t.tx.Writable() }

// find returns the bucket at path b, or nil when it does not exist.
func (t *boltTx) find(b bucket) *bolt.Bucket {
	var cur *bolt.Bucket
	for i, name := range b {
		if i == 0 {
			cur = t.tx.Bucket([]byte(name))
		} else {
			cur = cur.Bucket([]byte(name))
		}
		if cur == nil {
			return nil
		}
	}
	return cur
}

// create returns the bucket at path b, creating what is missing.
func (t *boltTx) create(b bucket) (*bolt.Bucket, error) {
	cur, err := t.tx.CreateBucketIfNotExists([]byte(b[0]))
	for _, name := range b[1:] {
		if err != nil {
			break
		}
		cur, err = cur.CreateBucketIfNotExists([]byte(name))
	}
	if err != nil {
		return nil, fmt.Errorf("bucket %v: %w", b, err)
	}
	return cur, nil
}

func (t *boltTx) get(b bucket, key []byte) ([]byte, error) {
	if bk := t.find(b); bk != nil {
		return bk.Get(key), nil
	}
	return nil, nil
}

func (t *boltTx) getMany(b bucket, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	if bk := t.find(b); bk != nil {
		for i, k := range keys {
			out[i] = bk.Get(k)
		}
	}
	return out, nil
}

func (t *boltTx) lookup(index bucket, prefix []byte, records bucket) (ids, values [][]byte, err error) {
	err = t.scan(index, keyRange{prefix: prefix, limit: -1}, func(k, _ []byte) error {
		ids = append(ids, bytes.Clone(k[len(prefix):]))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	values, err = t.getMany(records, ids)
	return ids, values, err
}

func (t *boltTx) put(b bucket, key, value []byte) error {
	bk, err := t.create(b)
	if err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	return bk.Put(key, value)
}

func (t *boltTx) del(b bucket, key []byte) error {
	if bk := t.find(b); bk != nil {
		return bk.Delete(key)
	}
	return nil
}

func (t *boltTx) delIf(b bucket, max []byte) (int, error) {
	var doomed [][]byte
	err := t.scan(b, everything, func(k, v []byte) error {
		if bytes.Compare(v, max) <= 0 {
			doomed = append(doomed, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed {
		if err := t.del(b, k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

func (t *boltTx) scan(b bucket, r keyRange, fn func(k, v []byte) error) error {
	bk := t.find(b)
	if bk == nil {
		return nil
	}
	c := bk.Cursor()
	seen, sent := 0, 0
	for k, v := c.Seek(r.prefix); k != nil && bytes.HasPrefix(k, r.prefix); k, v = c.Next() {
		if v == nil && bk.Bucket(k) != nil {
			continue // a nested bucket
		}
		if r.limit >= 0 && sent >= r.limit {
			break
		}
		seen++
		if seen <= r.offset {
			continue
		}
		sent++
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (t *boltTx) count(b bucket, prefix []byte) (int, error) {
	n := 0
	err := t.scan(b, keyRange{prefix: prefix, limit: -1}, func(_, _ []byte) error { n++; return nil })
	return n, err
}

func (t *boltTx) buckets(b bucket) ([]string, error) {
	bk := t.find(b)
	if bk == nil {
		return nil, nil
	}
	var names []string
	err := bk.ForEachBucket(func(k []byte) error { names = append(names, string(k)); return nil })
	return names, err
}

func (t *boltTx) dropBucket(b bucket) error {
	var err error
	if len(b) == 1 {
		err = t.tx.DeleteBucket([]byte(b[0]))
	} else if parent := t.find(b[:len(b)-1]); parent != nil {
		err = parent.DeleteBucket([]byte(b[len(b)-1]))
	}
	if errors.Is(err, berrors.ErrBucketNotFound) {
		return nil
	}
	return err
}

func (t *boltTx) lock(string) error { return nil }

func (t *boltTx) generation() (uint64, error) {
	v, _ := t.get(bucket{string(bucketMeta)}, keyGeneration)
	if len(v) != 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(v), nil
}

// releaseMapped drops the process's mapping of the file's pages: they
// stay in the system's page cache (bbolt maps the file read-only and
// writes through the file), and a later read maps back the ones it
// touches. The open read transaction keeps bbolt from remapping the file
// meanwhile; in a writing one it does nothing.
func (t *boltTx) releaseMapped() error {
	if t.tx.Writable() {
		return nil
	}
	info := t.tx.DB().Info()
	// The mapping is not Go memory: its address is reinterpreted, not
	// converted (the garbage collector never looks at it).
	base := *(*unsafe.Pointer)(unsafe.Pointer(&info.Data))
	return dropPages(unsafe.Slice((*byte)(base), t.tx.Size()))
}

func (t *boltTx) commitChanges(changes []Change) (uint64, error) {
	g, _ := t.generation()
	g++
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], g)
	if err := t.put(bucket{string(bucketMeta)}, keyGeneration, buf[:]); err != nil {
		return 0, err
	}
	return g, appendChangeLog(t, g, changes)
}

// The change log is kept in the kv itself by engines without one of their
// own (bbolt): changes/<generation, big-endian> -> JSON of the changes.
// The last changeLogKeep generations are kept.
const changeLogKeep = 10000

func appendChangeLog(k kv, g uint64, changes []Change) error {
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	if err := k.put(bucket{string(bucketChanges)}, genKey(g), raw); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	if g > changeLogKeep {
		return k.del(bucket{string(bucketChanges)}, genKey(g-changeLogKeep))
	}
	return nil
}

func readChangeLog(k kv, after uint64, fn func(uint64, []Change) error) error {
	cur, err := k.generation()
	if err != nil || cur <= after {
		return err
	}
	b := bucket{string(bucketChanges)}
	first, err := k.get(b, genKey(after+1))
	if err != nil {
		return err
	}
	if first == nil {
		return fmt.Errorf("changes since generation %d (store at %d): %w", after, cur, ErrChangesPruned)
	}
	for g := after + 1; g <= cur; g++ {
		raw, err := k.get(b, genKey(g))
		if err != nil {
			return err
		}
		var cs []Change
		if err := json.Unmarshal(raw, &cs); err != nil {
			return fmt.Errorf("change log generation %d: %w", g, err)
		}
		if err := fn(g, cs); err != nil {
			return err
		}
	}
	return nil
}

func genKey(g uint64) []byte {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], g)
	return buf[:]
}
