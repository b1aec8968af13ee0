package profiles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgEngine keeps the store in PostgreSQL (tables in migrations/): one
// row per key in mg_kv, the generation in mg_generation, the change log
// in mg_changes. Several processes may use one database at once:
//
//   - a write transaction locks, on first touch, the event it reads or
//     writes (a transaction-scoped advisory lock per event, and one per
//     other top-level bucket), so writers of one event are serialised and
//     those of different events run side by side;
//   - the generation row is updated last, just before the commit: its row
//     lock orders commits, so generations become visible in order;
//   - each commit sends NOTIFY with its generation; listen follows them.
type pgEngine struct {
	pool     *pgxpool.Pool
	url      string // without the password, for messages
	schema   string // current_schema(), which namespaces locks and the channel
	channel  string
	readOnly bool
	closed   atomic.Bool
	// live is set while the LISTEN connection is up and caught up.
	live atomic.Bool
	// stripes queue this process's writers in Go before PostgreSQL: the
	// first lock of a write transaction takes its stripe too, so that one
	// backend per process waits on an advisory lock instead of one per
	// writer (handing a lock over between backends is slow on a busy
	// machine). Only the first lock: a writer waiting on a stripe holds no
	// lock, so stripes never close a cycle that PostgreSQL could not see.
	stripes [256]sync.Mutex
}

// IsPostgresURL reports whether store names a PostgreSQL database
// (postgres:// or postgresql://) rather than a file.
func IsPostgresURL(store string) bool {
	return strings.HasPrefix(store, "postgres://") || strings.HasPrefix(store, "postgresql://")
}

// OpenPostgres opens the store in the PostgreSQL database at url (a
// postgres:// URL; search_path in it selects the schema), creating or
// migrating its tables. Options.ReadOnly refuses writes; Timeout bounds the
// first connection.
func OpenPostgres(url string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: postgres URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 16 // pgxpool's default is the number of CPUs: too few for a server
	}
	e := &pgEngine{url: redactURL(cfg), readOnly: opts.ReadOnly}
	ctx, cancel := context.WithTimeout(context.Background(), cmp0(opts.Timeout, defaultTimeout))
	defer cancel()
	if e.pool, err = pgxpool.NewWithConfig(context.Background(), cfg); err != nil {
		return nil, fmt.Errorf("open store %s: %w", e.url, err)
	}
	if err := e.pool.QueryRow(ctx, "SELECT current_schema()").Scan(&e.schema); err != nil {
		e.pool.Close()
		return nil, fmt.Errorf("open store %s: %w", e.url, err)
	}
	e.channel = "matchgrid_" + e.schema
	if err := migrate(ctx, e.pool, opts.ReadOnly); err != nil {
		e.pool.Close()
		return nil, fmt.Errorf("open store %s: %w", e.url, err)
	}
	s, err := newStore(e, opts)
	if err != nil {
		e.pool.Close()
		return nil, err
	}
	return s, nil
}

func redactURL(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("postgres://%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

func (e *pgEngine) follows() bool { return e.live.Load() && !e.closed.Load() }

func (e *pgEngine) describe() string { return "PostgreSQL " + e.url }

func (e *pgEngine) close() error {
	e.closed.Store(true)
	e.pool.Close()
	return nil
}

func (e *pgEngine) wrap(err error) error {
	if err != nil && e.closed.Load() && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// run runs fn in a transaction on one pooled connection. Statements are
// pipelined: BEGIN, locks and writes wait in a batch and go with the next
// read, and the last writes go with COMMIT, so a transaction costs one
// round trip per read, plus the commit.
func (e *pgEngine) run(write bool, fn func(kv) error) error {
	if e.closed.Load() {
		return ErrClosed
	}
	ctx := context.Background()
	conn, err := e.pool.Acquire(ctx)
	if err != nil {
		return e.wrap(fmt.Errorf("postgres: %w", err))
	}
	defer conn.Release() // a connection left inside a transaction is closed, not reused
	begin := "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	if write {
		begin = "BEGIN ISOLATION LEVEL READ COMMITTED"
		if e.readOnly {
			begin += " READ ONLY"
		}
	}
	t := &pgTx{e: e, conn: conn, ctx: ctx, write: write, begin: begin}
	defer func() {
		if t.stripe != nil {
			t.stripe.Unlock() // after the commit or rollback
		}
	}()
	if err := fn(t); err != nil {
		t.rollback()
		return e.wrap(err)
	}
	if t.done || !t.begun {
		return nil
	}
	t.queue("COMMIT")
	if err := t.flush(); err != nil {
		return e.wrap(fmt.Errorf("postgres: commit: %w", err))
	}
	return nil
}

func (e *pgEngine) view(fn func(kv) error) error   { return e.run(false, fn) }
func (e *pgEngine) update(fn func(kv) error) error { return e.run(true, fn) }

func (e *pgEngine) generation() (uint64, error) {
	if e.closed.Load() {
		return 0, ErrClosed
	}
	var g int64
	err := e.pool.QueryRow(context.Background(), "SELECT value FROM mg_generation WHERE id = 1").Scan(&g)
	return uint64(g), e.wrap(err)
}

// changesSince reads the log in one read transaction, then calls fn
// outside it (fn may read the store: it gets a connection of its own).
func (e *pgEngine) changesSince(after uint64, fn func(uint64, []Change) error) error {
	type entry struct {
		g   uint64
		raw []byte
	}
	var log []entry
	var cur uint64
	err := e.view(func(k kv) error {
		t := k.(*pgTx)
		var err error
		if cur, err = t.generation(); err != nil || cur <= after {
			return err
		}
		t.queue("SELECT generation, changes FROM mg_changes WHERE generation > $1 AND generation <= $2 ORDER BY generation",
			int64(after), int64(cur)).Query(func(rows pgx.Rows) error {
			var g int64
			var raw []byte
			_, err := pgx.ForEachRow(rows, []any{&g, &raw}, func() error {
				log = append(log, entry{uint64(g), raw})
				raw = nil
				return nil
			})
			return err
		})
		return t.flush()
	})
	if err != nil || cur <= after {
		return err
	}
	if uint64(len(log)) != cur-after || log[0].g != after+1 {
		return fmt.Errorf("changes since generation %d (store at %d): %w", after, cur, ErrChangesPruned)
	}
	for _, en := range log {
		var cs []Change
		if err := json.Unmarshal(en.raw, &cs); err != nil {
			return fmt.Errorf("change log generation %d: %w", en.g, err)
		}
		if err := fn(en.g, cs); err != nil {
			return err
		}
	}
	return nil
}

// pgTx is a kv over one PostgreSQL transaction.
type pgTx struct {
	e      *pgEngine
	conn   *pgxpool.Conn
	ctx    context.Context
	write  bool
	begin  string     // the BEGIN statement, sent with the first round trip
	begun  bool       // BEGIN is queued or sent
	batch  *pgx.Batch // statements waiting for the next round trip
	done   bool       // committed by commitChanges
	locked map[string]bool
	stripe *sync.Mutex // held from the first lock to the end
	// seen caches what this transaction read or wrote, by bucket and key
	// (nil: no such key). It stays true for the whole transaction: a read
	// transaction reads one snapshot, and a write transaction holds the
	// lock of what it touches.
	seen map[string][]byte
	// fresh are buckets this transaction emptied (dropBucket): a key in
	// them that it did not write is not there, no need to ask.
	fresh [][]byte
}

// isFresh reports whether b is, or is nested in, a bucket emptied by this
// transaction.
func (t *pgTx) isFresh(b bucket) bool {
	bb := bucketBytes(b)
	for _, f := range t.fresh {
		if bytes.Equal(bb, f) || (len(bb) > len(f) && bytes.HasPrefix(bb, f) && bb[len(f)] == 0) {
			return true
		}
	}
	return false
}

func seenKey(b bucket, key []byte) string { return string(bucketBytes(b)) + "\x00\x00" + string(key) }

func (t *pgTx) remember(b bucket, key, value []byte) {
	if t.seen == nil {
		t.seen = map[string][]byte{}
	}
	t.seen[seenKey(b, key)] = value
}

// queue adds a statement to the next round trip.
func (t *pgTx) queue(sql string, args ...any) *pgx.QueuedQuery {
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	if !t.begun {
		t.batch.Queue(t.begin)
		t.begun = true
	}
	return t.batch.Queue(sql, args...)
}

// flush sends the queued statements in one round trip; their callbacks
// run as the results come.
func (t *pgTx) flush() error {
	if t.batch == nil {
		return nil
	}
	b := t.batch
	t.batch = nil
	return t.conn.SendBatch(t.ctx, b).Close()
}

// rollback ends a transaction that fn gave up on. Queued writes are
// simply dropped.
func (t *pgTx) rollback() {
	t.batch = nil
	if t.begun && !t.done && t.conn.Conn().PgConn().TxStatus() != 'I' {
		t.conn.Exec(t.ctx, "ROLLBACK")
	}
}

// read queues a statement that returns one row (or none) and sends it.
func (t *pgTx) readRow(what string, scan func(pgx.Row) error, sql string, args ...any) error {
	t.queue(sql, args...).QueryRow(scan)
	if err := t.flush(); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// bucketBytes encodes a bucket path as stored in mg_kv.bucket.
func bucketBytes(b bucket) []byte { return []byte(strings.Join(b, "\x00")) }

// lockFor takes, in a write transaction, the lock that covers bucket b:
// the event for anything inside events/<id>, else the top-level bucket.
func (t *pgTx) lockFor(b bucket) error {
	if !t.write || len(b) == 0 {
		return nil
	}
	name := b[0]
	if b[0] == string(bucketEvents) {
		if len(b) < 2 {
			return nil // listing the events locks nothing
		}
		name = eventLock(b[1])
	}
	return t.lock(name)
}

func eventLock(eventID string) string { return "event/" + eventID }

func (t *pgTx) lock(name string) error {
	if t.locked[name] {
		return nil
	}
	if t.stripe == nil {
		h := fnv.New32a()
		h.Write([]byte(name))
		t.stripe = &t.e.stripes[h.Sum32()%uint32(len(t.e.stripes))]
		t.stripe.Lock()
	}
	// Queued: it is taken before any statement that follows it.
	t.queue("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", t.e.schema+":"+name)
	if t.locked == nil {
		t.locked = map[string]bool{}
	}
	t.locked[name] = true
	return nil
}

func (t *pgTx) writable() bool { return t.write }

func (t *pgTx) get(b bucket, key []byte) ([]byte, error) {
	if err := t.lockFor(b); err != nil {
		return nil, err
	}
	if v, ok := t.seen[seenKey(b, key)]; ok {
		return v, nil
	}
	if t.isFresh(b) {
		return nil, nil
	}
	var v []byte
	err := t.readRow("get", func(row pgx.Row) error {
		if err := row.Scan(&v); !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return nil
	}, "SELECT value FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), key)
	if err == nil {
		t.remember(b, key, v)
	}
	return v, err
}

func (t *pgTx) getMany(b bucket, keys [][]byte) ([][]byte, error) {
	if err := t.lockFor(b); err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	if t.isFresh(b) {
		for i, k := range keys {
			out[i] = t.seen[seenKey(b, k)]
		}
		return out, nil
	}
	at := make(map[string][]int, len(keys))
	for i, k := range keys {
		at[string(k)] = append(at[string(k)], i)
	}
	t.queue("SELECT key, value FROM mg_kv WHERE bucket = $1 AND key = ANY($2)", bucketBytes(b), keys).Query(func(rows pgx.Rows) error {
		var k, v []byte
		_, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error {
			for _, i := range at[string(k)] {
				out[i] = v
			}
			k, v = nil, nil // the next row decodes into fresh slices
			return nil
		})
		return err
	})
	if err := t.flush(); err != nil {
		return nil, fmt.Errorf("postgres: get: %w", err)
	}
	return out, nil
}

func (t *pgTx) put(b bucket, key, value []byte) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	// Queued: the next read, or the commit, sends it.
	value = bytes.Clone(value)
	t.queue(`INSERT INTO mg_kv (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, bucketBytes(b), bytes.Clone(key), value)
	t.remember(b, key, value)
	return nil
}

func (t *pgTx) del(b bucket, key []byte) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	t.queue("DELETE FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), bytes.Clone(key))
	t.remember(b, key, nil)
	return nil
}

// successor returns the smallest key greater than every key starting with
// p, or nil when there is none (p empty or all 0xff).
func successor(p []byte) []byte {
	s := append([]byte(nil), p...)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xff {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}

// rangeWhere is the SQL condition and arguments of a prefix range.
func rangeWhere(b bucket, prefix []byte) (string, []any) {
	if prefix == nil {
		prefix = []byte{} // not NULL
	}
	where, args := "bucket = $1 AND key >= $2", []any{bucketBytes(b), prefix}
	if end := successor(prefix); end != nil {
		where += " AND key < $3"
		args = append(args, end)
	}
	return where, args
}

func (t *pgTx) scan(b bucket, r keyRange, fn func(k, v []byte) error) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	where, args := rangeWhere(b, r.prefix)
	var limit any // NULL: no limit
	if r.limit >= 0 {
		limit = r.limit
	}
	n := len(args)
	q := fmt.Sprintf("SELECT key, value FROM mg_kv WHERE %s ORDER BY key OFFSET $%d LIMIT $%d", where, n+1, n+2)
	var fnErr error
	t.queue(q, append(args, r.offset, limit)...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			raw := rows.RawValues()
			if fnErr = fn(raw[0], raw[1]); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if err := t.flush(); err != nil {
		if fnErr != nil {
			return fnErr
		}
		return fmt.Errorf("postgres: scan: %w", err)
	}
	return nil
}

func (t *pgTx) count(b bucket, prefix []byte) (int, error) {
	if err := t.lockFor(b); err != nil {
		return 0, err
	}
	where, args := rangeWhere(b, prefix)
	var n int
	err := t.readRow("count", func(row pgx.Row) error { return row.Scan(&n) }, "SELECT count(*) FROM mg_kv WHERE "+where, args...)
	return n, err
}

// buckets skips from one nested bucket to the next through the primary
// key, one probe per bucket, without reading the keys in between.
func (t *pgTx) buckets(b bucket) ([]string, error) {
	prefix := append(bucketBytes(b), 0)
	end := append(bucketBytes(b), 1)
	var names []string
	from := prefix
	for {
		var next []byte
		err := t.readRow("buckets", func(row pgx.Row) error {
			if err := row.Scan(&next); !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			return nil
		}, "SELECT bucket FROM mg_kv WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket LIMIT 1", from, end)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return names, nil
		}
		name, _, _ := strings.Cut(string(next[len(prefix):]), "\x00")
		names = append(names, name)
		from = append(append(append([]byte(nil), prefix...), name...), 1)
	}
}

func (t *pgTx) dropBucket(b bucket) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	own := bucketBytes(b)
	t.seen = nil // forget everything rather than find what was inside
	t.fresh = append(t.fresh, own)
	t.queue("DELETE FROM mg_kv WHERE bucket = $1 OR (bucket >= $2 AND bucket < $3)",
		own, append(own, 0), append(bucketBytes(b), 1))
	return nil
}

func (t *pgTx) generation() (uint64, error) {
	var g int64
	err := t.readRow("generation", func(row pgx.Row) error { return row.Scan(&g) }, "SELECT value FROM mg_generation WHERE id = 1")
	return uint64(g), err
}

// commitChanges raises the generation, logs the changes, prunes the log,
// queues the NOTIFY and commits, in one round trip with the writes still
// queued: it is the last call of a write transaction. The generation row
// is locked from its update to the commit, which orders concurrent
// commits.
func (t *pgTx) commitChanges(changes []Change) (uint64, error) {
	raw, err := json.Marshal(changes)
	if err != nil {
		return 0, fmt.Errorf("change log: %w", err)
	}
	var g int64
	t.queue("UPDATE mg_generation SET value = value + 1 WHERE id = 1 RETURNING value").QueryRow(func(row pgx.Row) error { return row.Scan(&g) })
	t.queue("INSERT INTO mg_changes (generation, changes) SELECT value, $1 FROM mg_generation WHERE id = 1", raw)
	t.queue("DELETE FROM mg_changes WHERE generation <= (SELECT value FROM mg_generation WHERE id = 1) - $1", changeLogKeep)
	t.queue("SELECT pg_notify($1, value::text) FROM mg_generation WHERE id = 1", t.e.channel)
	t.queue("COMMIT")
	if err := t.flush(); err != nil {
		return 0, fmt.Errorf("postgres: commit: %w", err)
	}
	if t.conn.Conn().PgConn().TxStatus() != 'I' {
		return 0, errors.New("postgres: commit did not end the transaction")
	}
	t.done = true
	return uint64(g), nil
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
