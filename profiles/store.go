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

// Store keeps every event and its entities in one bbolt file.
// It is safe for concurrent use: many readers, one writer at a time.
type Store struct {
	db    *bolt.DB
	watch watchers
}

// Options tunes Open. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock when another process has the
	// file open; 0 means 5 seconds. (bbolt itself would wait forever.)
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock and refuses writes.
	ReadOnly bool
}

// Open opens or creates the store file at path.
func Open(path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open store %s: another process holds the file (is a server running?): %w", path, err)
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db}
	if opts.ReadOnly {
		err = s.checkSchema()
	} else {
		err = s.init()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
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

func (s *Store) checkSchema() error {
	return s.db.View(func(tx *bolt.Tx) error {
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

// Close closes the file. Transactions still running are waited for.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the path of the store file.
func (s *Store) Path() string { return s.db.Path() }

// View runs fn in a read-only transaction. Values fn reads are copies and
// stay valid after it returns.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.wrap(s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) }))
}

// Update runs fn in a read-write transaction: if fn returns an error,
// nothing it wrote is kept. Every import and bulk change runs in one Update.
func (s *Store) Update(fn func(tx *Tx) error) error {
	var (
		changes    []Change
		generation uint64
	)
	err := s.db.Update(func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx}
		if err := fn(tx); err != nil {
			return err
		}
		if len(tx.changes) == 0 {
			return nil
		}
		changes = tx.changes
		var err error
		if generation, err = tx.bumpGeneration(); err != nil {
			return err
		}
		return tx.recordChanges(generation, changes)
	})
	if err != nil {
		return s.wrap(err)
	}
	s.notify(generation, changes)
	return nil
}

func (s *Store) wrap(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// Backup writes a consistent copy of the whole store to w from a read
// transaction, so it is safe while the store is in use (a hot backup).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.View(func(tx *Tx) error {
		var err error
		n, err = tx.tx.WriteTo(w)
		return err
	})
	return n, err
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
	tx      *bolt.Tx
	changes []Change // what this transaction wrote, for Store.Watch
}

// Writable reports whether the transaction can write.
func (tx *Tx) Writable() bool { return tx.tx.Writable() }

// eventBucket returns the bucket of an event, or ErrNotFound.
func (tx *Tx) eventBucket(eventID string) (*bolt.Bucket, error) {
	b := tx.tx.Bucket(bucketEvents).Bucket([]byte(eventID))
	if b == nil {
		return nil, fmt.Errorf("event %q: %w", eventID, ErrNotFound)
	}
	return b, nil
}
