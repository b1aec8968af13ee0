package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
//   - the writers of this process queued on one event share one
//     transaction and one commit (pg_group.go);
//   - the generation row is updated last, just before the commit: its row
//     lock orders commits, so generations become visible in order;
//   - each commit sends NOTIFY with its (last) generation; listen follows
//     them.
type pgEngine struct {
	pool     *pgxpool.Pool
	url      string // without the password, for messages
	schema   string // current_schema(), which namespaces locks and the channel
	channel  string
	readOnly bool
	closed   atomic.Bool
	// live is set while the LISTEN connection is up and caught up.
	live atomic.Bool
	// stripes queue this process's writers in Go before PostgreSQL, by
	// their first lock, and group their commits (pg_group.go).
	stripes [256]pgStripe
	// onCommit tells the store's watchers of a group's commits, in order.
	onCommit func([]generationChanges)
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

// run runs fn in a transaction on one pooled connection, acquired at
// the first round trip. Statements are pipelined: BEGIN, locks and writes
// wait in a batch and go with the next read, and the last writes go with
// COMMIT, so a transaction costs one round trip per read, plus the commit.
// A writer that queues behind another writer of the same event joins its
// transaction instead (pg_group.go).
func (e *pgEngine) run(write bool, fn func(kv) error) error {
	if e.closed.Load() {
		return ErrClosed
	}
	begin := "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	if write {
		begin = "BEGIN ISOLATION LEVEL READ COMMITTED"
		if e.readOnly {
			begin += " READ ONLY"
		}
	}
	t := &pgTx{e: e, ctx: context.Background(), write: write, begin: begin}
	defer t.release()
	err := t.call(fn)
	if t.group != nil {
		return e.wrap(t.group.finish(t, err))
	}
	if err != nil {
		t.rollback()
		return e.wrap(err)
	}
	if t.done || !t.begun {
		return nil
	}
	return e.wrap(t.commit())
}

// call runs fn; when it panics, the transaction ends (a group it leads or
// joined goes on without it) before the panic goes on.
func (t *pgTx) call(fn func(kv) error) error {
	defer func() {
		if r := recover(); r != nil {
			if t.group != nil {
				t.group.finish(t, fmt.Errorf("postgres: transaction panicked: %v", r))
			} else {
				t.rollback()
			}
			panic(r)
		}
	}()
	return fn(t)
}

// release gives the connection back to the pool (a connection left inside
// a transaction is closed, not reused). A group's member gives back
// nothing: the connection is its leader's.
func (t *pgTx) release() {
	if t.conn != nil && (t.group == nil || t.group.leader == t) {
		t.conn.Release()
	}
}

// commit queues COMMIT and sends it with what is still queued. A
// transaction that failed along the way answers COMMIT with ROLLBACK:
// that is an error too.
func (t *pgTx) commit() error {
	t.queue("COMMIT").Exec(func(ct pgconn.CommandTag) error {
		if ct.String() != "COMMIT" {
			return fmt.Errorf("the transaction was rolled back (%s)", ct)
		}
		return nil
	})
	if err := t.flush(); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	t.done = true
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
	conn   *pgxpool.Conn // acquired at the first round trip; a group's member borrows its leader's
	ctx    context.Context
	write  bool
	begin  string     // the BEGIN statement, sent with the first round trip
	begun  bool       // BEGIN is queued or sent
	batch  *pgx.Batch // statements waiting for the next round trip
	done   bool       // committed by commitChanges
	writes int        // writes queued since the last round trip
	locked map[string]bool
	cache  pgCache // what this transaction read or wrote (pg_cache.go)
	// flushes counts the round trips made.
	flushes int
	// The group commit this writer leads or joined (pg_group.go); member
	// is set for a member. changes are what it changed (nil: nothing), gen
	// the generation they got; pending counts the writers before it in
	// the group that changed something (Tx.Generation counts them).
	group   *pgGroup
	member  *pgMember
	changes []Change
	gen     uint64
	pending int
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
	if t.conn == nil {
		conn, err := t.e.pool.Acquire(t.ctx)
		if err != nil {
			t.batch = nil
			return err
		}
		t.conn = conn
	}
	b := t.batch
	t.batch, t.writes = nil, 0
	t.flushes++
	return t.conn.SendBatch(t.ctx, b).Close()
}

// rollback ends a transaction that fn gave up on. Queued writes are
// simply dropped.
func (t *pgTx) rollback() {
	t.batch, t.writes = nil, 0
	if t.conn != nil && !t.done && t.conn.Conn().PgConn().TxStatus() != 'I' {
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
// the event for anything inside events/<id>, else the top-level bucket
// (but the rate limits: their writers lock each key, TakeTokens).
func (t *pgTx) lockFor(b bucket) error {
	if !t.write || len(b) == 0 || b[0] == rateLimitsPath[0] {
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
	if len(t.locked) == 0 {
		t.enter(name)
	}
	// Queued: it is taken before any statement that follows it.
	t.queue("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", t.e.schema+":"+name)
	if t.locked == nil {
		t.locked = map[string]bool{}
	}
	t.locked[name] = true
	return nil
}

// generation counts, in a group, the writers before this one that changed
// something: they get their generations at the commit.
func (t *pgTx) generation() (uint64, error) {
	var g int64
	err := t.readRow("generation", func(row pgx.Row) error { return row.Scan(&g) }, "SELECT value FROM mg_generation WHERE id = 1")
	return uint64(g) + uint64(t.pending), err
}

// commitChanges is the last call of a write transaction: the changes are
// logged under a new generation at the commit, which it makes (or, in a
// group, waits for) before it returns the generation.
// releaseMapped: PostgreSQL's data is not mapped into the process.
func (t *pgTx) releaseMapped() error { return nil }

func (t *pgTx) commitChanges(changes []Change) (uint64, error) {
	if changes == nil {
		changes = []Change{}
	}
	t.changes = changes
	g := t.group
	switch {
	case g == nil:
		err := t.commitWriters([]*pgTx{t})
		return t.gen, err
	case t.member != nil:
		if err := t.endPart(); err != nil {
			return 0, err
		}
		<-g.done
		return t.gen, g.err
	}
	if err := g.runMembers(t); err != nil {
		return 0, err
	}
	err := g.commit(t)
	return t.gen, err
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
