package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

func (e *pgEngine) describe() string { return "PostgreSQL " + e.url }

func (e *pgEngine) close() error {
	e.closed.Store(true)
	e.pool.Close()
	return nil
}

func (e *pgEngine) begin(ctx context.Context, write bool) (pgx.Tx, error) {
	if e.closed.Load() {
		return nil, ErrClosed
	}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	if write {
		opts = pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
		if e.readOnly {
			opts.AccessMode = pgx.ReadOnly
		}
	}
	tx, err := e.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, e.wrap(err)
	}
	return tx, nil
}

func (e *pgEngine) wrap(err error) error {
	if err != nil && e.closed.Load() && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

func (e *pgEngine) run(write bool, fn func(kv) error) error {
	ctx := context.Background()
	tx, err := e.begin(ctx, write)
	if err != nil {
		return err
	}
	t := &pgTx{e: e, tx: tx, ctx: ctx, write: write}
	if err := fn(t); err != nil {
		tx.Rollback(ctx)
		return e.wrap(err)
	}
	if err := tx.Commit(ctx); err != nil {
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

func (e *pgEngine) changesSince(after uint64, fn func(uint64, []Change) error) error {
	return e.view(func(k kv) error {
		t := k.(*pgTx)
		cur, err := t.generation()
		if err != nil || cur <= after {
			return err
		}
		rows, err := t.tx.Query(t.ctx, "SELECT generation, changes FROM mg_changes WHERE generation > $1 ORDER BY generation", int64(after))
		if err != nil {
			return fmt.Errorf("postgres: change log: %w", err)
		}
		next := after + 1
		var g int64
		var raw []byte
		_, err = pgx.ForEachRow(rows, []any{&g, &raw}, func() error {
			if uint64(g) != next {
				return fmt.Errorf("changes since generation %d (store at %d): %w", after, cur, ErrChangesPruned)
			}
			next++
			var cs []Change
			if err := json.Unmarshal(raw, &cs); err != nil {
				return fmt.Errorf("change log generation %d: %w", g, err)
			}
			return fn(uint64(g), cs)
		})
		if err == nil && next <= cur {
			err = fmt.Errorf("changes since generation %d (store at %d): %w", after, cur, ErrChangesPruned)
		}
		return err
	})
}

// pgTx is a kv over one PostgreSQL transaction.
type pgTx struct {
	e      *pgEngine
	tx     pgx.Tx
	ctx    context.Context
	write  bool
	locked map[string]bool
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
	if _, err := t.tx.Exec(t.ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", t.e.schema+":"+name); err != nil {
		return fmt.Errorf("postgres: lock %s: %w", name, err)
	}
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
	var v []byte
	err := t.tx.QueryRow(t.ctx, "SELECT value FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get: %w", err)
	}
	return v, nil
}

func (t *pgTx) getMany(b bucket, keys [][]byte) ([][]byte, error) {
	if err := t.lockFor(b); err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	at := make(map[string][]int, len(keys))
	for i, k := range keys {
		at[string(k)] = append(at[string(k)], i)
	}
	rows, err := t.tx.Query(t.ctx, "SELECT key, value FROM mg_kv WHERE bucket = $1 AND key = ANY($2)", bucketBytes(b), keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: get: %w", err)
	}
	var k, v []byte
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
		for _, i := range at[string(k)] {
			out[i] = v
		}
		k, v = nil, nil // the next row decodes into fresh slices
		return nil
	})
	if err != nil {
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
	_, err := t.tx.Exec(t.ctx, `INSERT INTO mg_kv (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, bucketBytes(b), key, value)
	if err != nil {
		return fmt.Errorf("postgres: put: %w", err)
	}
	return nil
}

func (t *pgTx) del(b bucket, key []byte) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	if _, err := t.tx.Exec(t.ctx, "DELETE FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), key); err != nil {
		return fmt.Errorf("postgres: delete: %w", err)
	}
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
	q := "SELECT key, value FROM mg_kv WHERE " + where + " ORDER BY key"
	if r.offset > 0 {
		q += " OFFSET " + strconv.Itoa(r.offset)
	}
	if r.limit >= 0 {
		q += " LIMIT " + strconv.Itoa(r.limit)
	}
	rows, err := t.tx.Query(t.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgres: scan: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		raw := rows.RawValues()
		if err := fn(raw[0], raw[1]); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
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
	if err := t.tx.QueryRow(t.ctx, "SELECT count(*) FROM mg_kv WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count: %w", err)
	}
	return n, nil
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
		err := t.tx.QueryRow(t.ctx, "SELECT bucket FROM mg_kv WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket LIMIT 1", from, end).Scan(&next)
		if errors.Is(err, pgx.ErrNoRows) {
			return names, nil
		}
		if err != nil {
			return nil, fmt.Errorf("postgres: buckets: %w", err)
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
	_, err := t.tx.Exec(t.ctx, "DELETE FROM mg_kv WHERE bucket = $1 OR (bucket >= $2 AND bucket < $3)",
		own, append(own, 0), append(bucketBytes(b), 1))
	if err != nil {
		return fmt.Errorf("postgres: drop bucket: %w", err)
	}
	return nil
}

func (t *pgTx) generation() (uint64, error) {
	var g int64
	if err := t.tx.QueryRow(t.ctx, "SELECT value FROM mg_generation WHERE id = 1").Scan(&g); err != nil {
		return 0, fmt.Errorf("postgres: generation: %w", err)
	}
	return uint64(g), nil
}

// commitChanges raises the generation, logs the changes, prunes the log
// and queues the NOTIFY, in one round trip. The generation row stays
// locked until the commit, which orders concurrent commits.
func (t *pgTx) commitChanges(changes []Change) (uint64, error) {
	raw, err := json.Marshal(changes)
	if err != nil {
		return 0, fmt.Errorf("change log: %w", err)
	}
	batch := &pgx.Batch{}
	var g int64
	batch.Queue("UPDATE mg_generation SET value = value + 1 WHERE id = 1 RETURNING value").QueryRow(func(row pgx.Row) error { return row.Scan(&g) })
	batch.Queue("INSERT INTO mg_changes (generation, changes) SELECT value, $1 FROM mg_generation WHERE id = 1", raw)
	batch.Queue("DELETE FROM mg_changes WHERE generation <= (SELECT value FROM mg_generation WHERE id = 1) - $1", changeLogKeep)
	batch.Queue("SELECT pg_notify($1, value::text) FROM mg_generation WHERE id = 1", t.e.channel)
	if err := t.tx.SendBatch(t.ctx, batch).Close(); err != nil {
		return 0, fmt.Errorf("postgres: commit generation: %w", err)
	}
	return uint64(g), nil
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
