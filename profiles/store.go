package profiles

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// schemaVersion is written into the meta bucket; Open refuses a file with a
// newer version than it understands.
const schemaVersion = "1"

// Bucket layout:
//
//	meta/schema                      -> schemaVersion
//	events/<event-id>/event          -> Event JSON
//	events/<event-id>/<entity>/<id>  -> entity JSON (organizations, participants, ...)
//	events/<event-id>/index/<name>/<value>\x00<id> -> empty (secondary indexes)
var (
	bucketMeta   = []byte("meta")
	bucketEvents = []byte("events")
	bucketIndex  = []byte("index")
	keySchema    = []byte("schema")
	keyEvent     = []byte("event")
)

// Store keeps every event and its entities, in one bbolt file (Open) or
// in a PostgreSQL database that several processes share (OpenPostgres).
// It is safe for concurrent use.
type Store struct {
	eng   engine
	watch watchers
}

// Options tunes Open and OpenPostgres. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock when another process has the
	// file open (bbolt itself would wait forever), or for the first
	// connection to PostgreSQL; 0 means 5 seconds.
	Timeout time.Duration
	// ReadOnly opens the store without write access: a shared file lock,
	// read-only PostgreSQL transactions.
	ReadOnly bool
	// FeedError, when set, receives errors of following other processes'
	// commits (a lost PostgreSQL connection, a pruned change log).
	FeedError func(error)
}

const defaultTimeout = 5 * time.Second

// Open opens or creates the store file at path.
func Open(path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: cmp0(opts.Timeout, defaultTimeout), ReadOnly: opts.ReadOnly})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open store %s: another process holds the file (is a server running?): %w", path, err)
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	e := &boltEngine{db: db}
	if opts.ReadOnly {
		err = e.checkSchema()
	} else {
		err = e.init()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s, err := newStore(e, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenURL opens the store named by store: a postgres:// URL opens
// PostgreSQL, anything else is the path of a bbolt file.
func OpenURL(store string, opts *Options) (*Store, error) {
	if IsPostgresURL(store) {
		return OpenPostgres(store, opts)
	}
	return Open(store, opts)
}

func newStore(e engine, opts *Options) (*Store, error) {
	s := &Store{eng: e}
	s.watch.feedError = opts.FeedError
	if p, ok := e.(*pgEngine); ok {
		p.onCommit = s.committedAll
	}
	g, err := e.generation()
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", e.describe(), err)
	}
	s.watch.last.Store(g)
	return s, nil
}

func (e *boltEngine) init() error {
	return e.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketEvents); err != nil {
			return err
		}
		if v := meta.Get(keySchema); v != nil && string(v) != schemaVersion {
			return fmt.Errorf("schema version %s, this program understands %s", v, schemaVersion)
		}
		return meta.Put(keySchema, []byte(schemaVersion))
	})
}

func (e *boltEngine) checkSchema() error {
	return e.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketEvents) == nil {
			return errors.New("not a matchgrid store (no meta or events bucket)")
		}
		if v := meta.Get(keySchema); string(v) != schemaVersion {
			return fmt.Errorf("schema version %q, this program understands %s", v, schemaVersion)
		}
		return nil
	})
}

// Close closes the store. Transactions still running are waited for.
func (s *Store) Close() error {
	s.watch.stopFeed()
	return s.eng.close()
}

// Path returns the path of the store file, or the PostgreSQL URL without
// its password.
func (s *Store) Path() string {
	if b, ok := s.eng.(*boltEngine); ok {
		return b.db.Path()
	}
	return s.eng.(*pgEngine).url
}

// String names the engine and where the data is, for messages.
func (s *Store) String() string { return s.eng.describe() }

// Shared reports whether other processes may write to the store at the
// same time (PostgreSQL), so that derived data must follow their commits.
func (s *Store) Shared() bool {
	_, ok := s.eng.(*pgEngine)
	return ok
}

// View runs fn in a read-only transaction that sees one consistent state
// of the store. Values fn reads are copies and stay valid after it returns.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.eng.view(func(k kv) error { return (&Tx{kv: k}).run(fn) })
}

// Update runs fn in a read-write transaction: if fn returns an error,
// nothing it wrote is kept. Every import and bulk change runs in one Update.
func (s *Store) Update(fn func(tx *Tx) error) error {
	var (
		changes    []Change
		generation uint64
	)
	err := s.eng.update(func(k kv) error {
		tx := &Tx{kv: k}
		if err := tx.run(fn); err != nil {
			return err
		}
		if len(tx.changes) == 0 {
			return nil
		}
		changes = tx.changes
		var err error
		generation, err = k.commitChanges(changes)
		return err
	})
	if err != nil {
		return err
	}
	s.committed(generation, changes)
	return nil
}

// Backup writes a consistent copy of the whole store file to w from a read
// transaction, so it is safe while the store is in use (a hot backup). A
// PostgreSQL store has no file: ErrUnsupported (use pg_dump, or export
// the events as JSON bundles).
func (s *Store) Backup(w io.Writer) (int64, error) {
	b, ok := s.eng.(*boltEngine)
	if !ok {
		return 0, fmt.Errorf("backup of %s: back it up with pg_dump, or export each event as a JSON bundle: %w", s, ErrUnsupported)
	}
	return b.writeTo(w)
}

// BackupFile writes a hot backup to path, replacing it only once the copy is
// complete (it writes to a temporary file next to it first).
func (s *Store) BackupFile(path string) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := s.Backup(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// Tx is a transaction on the store, handed to the functions of View and
// Update. It must not be used after that function returns.
type Tx struct {
	kv      kv
	changes []Change        // what this transaction wrote, for Store.Watch
	events  map[string]bool // events known to exist in this transaction
	err     error           // the first engine error of a method that cannot return one
}

// ReleaseMapped lets the system take back the memory that reading brought
// into the process, in a read transaction: a bbolt file is mapped into
// memory, and every page read (a whole event read by the matcher: hundreds
// of MB of track records) stays resident in the process until the system
// needs it. The data stays in the page cache; reads map back what they
// touch, the transaction's slices stay valid. With PostgreSQL, or in a
// writing transaction, it does nothing.
func (tx *Tx) ReleaseMapped() error { return tx.kv.releaseMapped() }

// run calls fn; an engine error that a method could not return wins.
func (tx *Tx) run(fn func(tx *Tx) error) error {
	err := fn(tx)
	if tx.err != nil {
		return tx.err
	}
	return err
}

// keep remembers an engine error for run to return.
func (tx *Tx) keep(err error) {
	if err != nil && tx.err == nil {
		tx.err = err
	}
}

// Writable reports whether the transaction can write.
func (tx *Tx) Writable() bool { return tx.kv.writable() }

// LockEvent serialises this write transaction with every other writer of
// the event, in this process or another sharing the database, until it
// ends (on PostgreSQL a transaction-scoped advisory lock; bbolt has one
// writer at a time anyway). Take it before reading what a decision rests
// on, e.g. the generation a grid was computed from.
func (tx *Tx) LockEvent(eventID string) error {
	if !tx.Writable() {
		return nil
	}
	return tx.kv.lock(eventLock(eventID))
}

// eventPath is the bucket of an event; entity buckets are nested in it.
func eventPath(eventID string, nested ...string) bucket {
	return append(bucket{string(bucketEvents), eventID}, nested...)
}

// requireEvent returns ErrNotFound unless the event exists.
func (tx *Tx) requireEvent(eventID string) error {
	ok, err := tx.eventExists(eventID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("event %q: %w", eventID, ErrNotFound)
	}
	return nil
}

// eventExists reports whether the event is stored; its record is the
// "event" key of its bucket.
func (tx *Tx) eventExists(eventID string) (bool, error) {
	if tx.events[eventID] {
		return true, nil
	}
	raw, err := tx.kv.get(eventPath(eventID), keyEvent)
	if err != nil || raw == nil {
		return false, err
	}
	if tx.events == nil {
		tx.events = map[string]bool{}
	}
	tx.events[eventID] = true
	return true, nil
}
