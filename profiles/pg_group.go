package profiles

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Group commit. Writers of one event are serialised (its advisory lock),
// so each would wait for the one before it to commit, and a commit waits
// for the WAL to reach the disk. Instead, the writers of this process that
// queue behind a writer (the leader) join its transaction: once the
// leader's own part is done, each member runs in turn on the leader's
// connection, inside a SAVEPOINT of its own, and the leader commits once
// for all of them.
//
//   - A member that fails rolls back to its savepoint and gets its own
//     error; the others go on.
//   - Nothing is acknowledged before the one COMMIT: when it fails, every
//     writer of the group gets the error.
//   - Generations are assigned at the commit, in the order the writers
//     ran, and Watch hears of them in that order, after the commit; a
//     member's Tx.Generation counts the writers before it.
//   - Only a writer that has sent nothing yet joins or waits in this
//     process (it holds no lock, so waiting closes no cycle that
//     PostgreSQL could not see); any other waits for the lock in
//     PostgreSQL.
//
// Writers queue by stripe (a hash of the first lock they take), so a group
// may hold writers of two events whose names share a stripe: each takes
// its own lock inside the group's transaction.

// maxGroup bounds a group's writers: each member's savepoint is a
// subtransaction, and PostgreSQL slows every snapshot once a transaction
// has more than 64 of them.
const maxGroup = 32

// pgStripe is where writers whose first lock hashes alike queue.
type pgStripe struct {
	mu  sync.Mutex
	cur *pgGroup // the group holding the stripe; nil when free
}

// pgGroup is one transaction shared by a leader and the members that
// joined it.
type pgGroup struct {
	stripe *pgStripe
	leader *pgTx
	// Under stripe.mu:
	open    bool    // members may still join
	joined  int     // writers so far, the leader included
	waiting []*pgTx // joined, not run yet
	// The leader's:
	back    chan struct{} // a member hands the connection back
	writers []*pgTx       // the writers whose part succeeded, in order
	changed int           // how many of them changed something
	over    bool          // committed or given up
	// The outcome: err is set before done is closed.
	free chan struct{} // closed when the stripe is free again
	done chan struct{}
	err  error
}

// pgMember is what a writer that joined a group knows of its part.
type pgMember struct {
	turn      chan bool // true: the connection is handed over; false: start again
	savepoint string
	carried   int // statements queued by the writers before, sent with this one's first
	flushes   int // round trips made before this one's turn
	handed    bool
	ok        bool
}

func (e *pgEngine) stripeOf(name string) *pgStripe {
	h := fnv.New32a()
	h.Write([]byte(name))
	return &e.stripes[h.Sum32()%uint32(len(e.stripes))]
}

// enter is called at the first lock of a write transaction: it leads a new
// group, joins the open one (and returns when its turn comes), or waits
// for the stripe to be free.
func (t *pgTx) enter(name string) {
	if t.conn != nil || t.batch != nil {
		return // it holds something already: it waits in PostgreSQL
	}
	s := t.e.stripeOf(name)
	s.mu.Lock()
	for {
		g := s.cur
		switch {
		case g == nil:
			g = &pgGroup{stripe: s, leader: t, open: true, joined: 1,
				back: make(chan struct{}), free: make(chan struct{}), done: make(chan struct{})}
			s.cur, t.group = g, g
			s.mu.Unlock()
			return
		case g.open && g.joined < maxGroup:
			g.joined++
			t.member = &pgMember{turn: make(chan bool, 1)}
			g.waiting = append(g.waiting, t)
			s.mu.Unlock()
			if <-t.member.turn {
				t.group = g
				return
			}
			t.member = nil // the leader gave up before this writer's turn
			s.mu.Lock()
		default:
			free := g.free
			s.mu.Unlock()
			<-free
			s.mu.Lock()
		}
	}
}

// next takes the next member off the queue; when there is none, the group
// closes.
func (g *pgGroup) next() *pgTx {
	g.stripe.mu.Lock()
	defer g.stripe.mu.Unlock()
	if len(g.waiting) == 0 {
		g.open = false
		return nil
	}
	m := g.waiting[0]
	g.waiting = g.waiting[1:]
	return m
}

// release frees the stripe and returns the members that never ran.
func (g *pgGroup) release() []*pgTx {
	g.stripe.mu.Lock()
	waiting := g.waiting
	g.waiting, g.open = nil, false
	g.stripe.cur = nil
	g.stripe.mu.Unlock()
	close(g.free)
	return waiting
}

// finish ends a writer's transaction after fn returned err, and returns
// what the writer is told.
func (g *pgGroup) finish(t *pgTx, err error) error {
	if t != g.leader {
		return t.finishMember(err)
	}
	switch {
	case g.over:
		return err
	case err != nil:
		g.giveUp(t)
		return err
	}
	if err := g.runMembers(t); err != nil {
		return err
	}
	return g.commit(t)
}

// giveUp rolls the leader's transaction back, before any member ran; the
// members waiting start again.
func (g *pgGroup) giveUp(t *pgTx) {
	t.rollback()
	g.over = true
	for _, m := range g.release() {
		m.member.turn <- false
	}
	g.err = fmt.Errorf("postgres: the group's leader gave up")
	close(g.done)
}

// runMembers runs, after the leader's own part, each member in turn.
func (g *pgGroup) runMembers(t *pgTx) error {
	g.writers = append(g.writers, t)
	if t.changes != nil {
		g.changed++
	}
	for i := 1; ; i++ {
		m := g.next()
		if m == nil {
			return nil
		}
		if i == 1 && t.batch != nil {
			// The leader's last writes go now, so that an error in them is
			// the leader's, not the first member's.
			if err := t.flush(); err != nil {
				g.stripe.mu.Lock()
				g.waiting = append([]*pgTx{m}, g.waiting...)
				g.stripe.mu.Unlock()
				g.giveUp(t)
				return fmt.Errorf("postgres: %w", err)
			}
		}
		p := m.member
		m.conn, m.batch, m.begun, m.pending = t.conn, t.batch, true, g.changed
		p.savepoint, p.flushes = fmt.Sprintf("mg_writer_%d", i), m.flushes
		if m.batch != nil {
			p.carried = m.batch.Len()
		}
		m.queue("SAVEPOINT " + p.savepoint)
		t.batch = nil
		p.turn <- true
		<-g.back
		t.batch, m.batch = m.batch, nil
		if p.ok {
			g.writers = append(g.writers, m)
			if m.changes != nil {
				g.changed++
			}
		}
	}
}

// commit commits the group's transaction (what is still queued goes with
// it), frees the stripe, tells the store's watchers in order and then the
// members.
func (g *pgGroup) commit(t *pgTx) error {
	err := t.commitWriters(g.writers)
	if err != nil {
		t.rollback()
	}
	g.over = true
	g.release()
	if err == nil && len(g.writers) > 1 && t.e.onCommit != nil {
		var cs []generationChanges
		for _, w := range g.writers {
			if w.changes != nil {
				cs = append(cs, generationChanges{w.gen, w.changes})
			}
		}
		t.e.onCommit(cs)
	}
	g.err = err
	close(g.done)
	return err
}

// commitWriters raises the generation once per writer that changed
// something, logs each one's changes under its generation, prunes the log,
// queues the NOTIFY (of the last generation: a follower reads the log up to
// it) and commits, in one round trip with the writes still queued. The
// generation row is locked from its update to the commit, which orders
// the commits of concurrent transactions.
func (t *pgTx) commitWriters(writers []*pgTx) error {
	var raws []string
	for _, w := range writers {
		if w.changes == nil {
			continue
		}
		raw, err := json.Marshal(w.changes)
		if err != nil {
			return fmt.Errorf("change log: %w", err)
		}
		raws = append(raws, string(raw))
	}
	var last int64
	if len(raws) > 0 {
		t.queue("UPDATE mg_generation SET value = value + $1 WHERE id = 1 RETURNING value", len(raws)).QueryRow(func(row pgx.Row) error { return row.Scan(&last) })
		t.queue(`INSERT INTO mg_changes (generation, changes)
			SELECT g.value - $1 + c.n, c.changes::jsonb FROM mg_generation g, unnest($2::text[]) WITH ORDINALITY AS c(changes, n) WHERE g.id = 1`,
			len(raws), raws)
		t.queue("DELETE FROM mg_changes WHERE generation <= (SELECT value FROM mg_generation WHERE id = 1) - $1", changeLogKeep)
		t.queue("SELECT pg_notify($1, value::text) FROM mg_generation WHERE id = 1", t.e.channel)
	}
	if err := t.commit(); err != nil {
		return err
	}
	g := uint64(last) - uint64(len(raws))
	for _, w := range writers {
		if w.changes != nil {
			g++
			w.gen = g
		}
	}
	return nil
}

// finishMember ends a member's part after fn returned err: rolled back to
// its savepoint when it failed, else released and, unless commitChanges
// did, the group's commit waited for.
func (t *pgTx) finishMember(err error) error {
	p := t.member
	if p.handed {
		return err // commitChanges did it all
	}
	if err != nil {
		t.rollbackPart()
		t.handBack(false)
		return err
	}
	if err := t.endPart(); err != nil {
		return err
	}
	<-t.group.done
	return t.group.err
}

// endPart releases the member's savepoint and sends its last writes, so
// that an error in them is its own, and hands the connection back.
func (t *pgTx) endPart() error {
	t.queue("RELEASE SAVEPOINT " + t.member.savepoint)
	if t.writes > 0 {
		if err := t.flush(); err != nil {
			t.rollbackPart()
			t.handBack(false)
			return fmt.Errorf("postgres: %w", err)
		}
	}
	t.handBack(true)
	return nil
}

// rollbackPart undoes what the member did: its queued statements are
// dropped (those of the writers before it stay) and, once something was
// sent, the transaction goes back to the savepoint at once (a failed
// statement leaves it refusing every other until then). Should that fail
// too, the transaction stays failed and so does the group's COMMIT.
func (t *pgTx) rollbackPart() {
	p := t.member
	t.writes = 0
	if t.flushes == p.flushes {
		if p.carried == 0 {
			t.batch = nil
		} else {
			t.batch.QueuedQueries = t.batch.QueuedQueries[:p.carried]
		}
		return
	}
	t.batch = nil
	// No arguments: the simple protocol, which prepares nothing.
	t.conn.Exec(t.ctx, "ROLLBACK TO SAVEPOINT "+p.savepoint+"; RELEASE SAVEPOINT "+p.savepoint)
}

func (t *pgTx) handBack(ok bool) {
	t.member.handed, t.member.ok = true, ok
	t.group.back <- struct{}{}
}
