package profiles

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// listen follows the commits of other processes: a dedicated connection
// LISTENs on the store's channel and pokes on every NOTIFY (its payload is
// the generation; the store reads the change log from the last generation
// it delivered, so a lost notification costs nothing). After a broken
// connection it reconnects with backoff and pokes once, which catches up
// on what was committed while it was away.
func (e *pgEngine) listen(poke func(generation uint64), onError func(error)) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		backoff := 100 * time.Millisecond
		for ctx.Err() == nil {
			err := e.listenOnce(ctx, poke, func() { backoff = 100 * time.Millisecond })
			if ctx.Err() != nil {
				return
			}
			if onError != nil {
				onError(fmt.Errorf("store change feed: %w (reconnecting in %s)", err, backoff))
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 5*time.Second)
		}
	}()
	return func() { cancel(); <-done }
}

// listenOnce runs one LISTEN connection until it fails or ctx ends.
func (e *pgEngine) listenOnce(ctx context.Context, poke func(uint64), connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, e.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{e.channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	poke(0) // catch up on whatever was committed before (or while) connecting
	e.live.Store(true)
	defer e.live.Store(false)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		g, _ := strconv.ParseUint(n.Payload, 10, 64) // 0 (catch up anyway) if garbled
		poke(g)
	}
}
