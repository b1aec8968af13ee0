package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Sender delivers one outbox item. It returns the receiver's status code
// when there is one (HTTP), and an error when the item did not go out;
// a *PermanentError means retrying cannot help.
type Sender interface {
	Send(ctx context.Context, item *profiles.OutboxItem) (status int, err error)
}

// PermanentError is a delivery failure that no retry can fix (a refused
// address, a webhook that is gone).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// Dispatcher delivers the queued outbox items of one channel.
type Dispatcher struct {
	Store   *profiles.Store
	Channel profiles.Channel
	Sender  Sender
	// MaxAttempts before an item is failed; 0 means 8.
	MaxAttempts int
	// Backoff is the wait after the n-th failed attempt (n >= 1); nil
	// means Backoff.
	Backoff func(n int) time.Duration
	// Poll is how often Run looks for due items; 0 means 2 seconds.
	Poll time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnError receives errors of reading or writing the outbox.
	OnError func(error)

	wakeOnce sync.Once
	wake     chan struct{}
}

func (d *Dispatcher) wakeup() chan struct{} {
	d.wakeOnce.Do(func() { d.wake = make(chan struct{}, 1) })
	return d.wake
}

// Backoff doubles from one minute up to an hour: 1, 2, 4, ... 60 minutes.
func Backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 6)
	return min(d, time.Hour)
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Wake makes Run look for due items now rather than at its next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wakeup() <- struct{}{}:
	default:
	}
}

// Run delivers due items until ctx ends. Items a crash left "sending" are
// queued again first.
func (d *Dispatcher) Run(ctx context.Context) error {
	wake := d.wakeup()
	if err := d.requeueSending(); err != nil {
		return err
	}
	poll := d.Poll
	if poll == 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := d.Drain(ctx); err != nil && d.OnError != nil && ctx.Err() == nil {
			d.OnError(err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-wake:
		}
	}
}

// lease is how long a claimed item stays "sending" before a dispatcher
// starting up takes it for one a crashed process left behind.
const lease = 5 * time.Minute

// requeueSending queues again the items a stopped process was sending
// (their lease over; another server may be sending the others).
func (d *Dispatcher) requeueSending() error {
	now := d.now()
	return d.Store.Update(func(tx *profiles.Tx) error {
		events, err := tx.Events()
		if err != nil {
			return err
		}
		for _, ev := range events {
			items, err := tx.OutboxInState(ev.ID, d.Channel, profiles.OutboxSending)
			if err != nil {
				return err
			}
			for i := range items {
				if items[i].NextAttempt.After(now) {
					continue
				}
				items[i].Status = profiles.OutboxQueued
				if err := tx.UpdateOutboxItem(&items[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// claimBatch is how many due items one claim takes: one scan of the
// queue and one transaction for that many sends.
const claimBatch = 32

// Drain delivers every item that is due now, oldest first, and returns
// how many it attempted.
func (d *Dispatcher) Drain(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		batch, err := d.claim()
		if err != nil || len(batch) == 0 {
			return n, err
		}
		for _, item := range batch {
			n++
			status, sendErr := d.Sender.Send(ctx, item)
			if err := d.settle(item, status, sendErr); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// claim marks up to claimBatch of the oldest due queued items as sending,
// in one transaction, so that calls go out in the order of what they tell
// (a retry aside). It looks in a read transaction first: an idle poll
// writes nothing.
func (d *Dispatcher) claim() ([]*profiles.OutboxItem, error) {
	now := d.now()
	var due []profiles.OutboxItem
	if err := d.Store.View(func(tx *profiles.Tx) (err error) { due, err = d.dueItems(tx, now); return err }); err != nil || len(due) == 0 {
		return nil, err
	}
	var claimed []*profiles.OutboxItem
	err := d.Store.Update(func(tx *profiles.Tx) error {
		claimed = claimed[:0]
		for _, c := range due {
			it, err := tx.OutboxItem(c.EventID, c.ID)
			if err != nil || it.Status != profiles.OutboxQueued || it.NextAttempt.After(now) {
				continue // another dispatcher took it (or its event is gone)
			}
			it.Status = profiles.OutboxSending
			it.Attempts++
			it.NextAttempt = now.Add(lease) // until then no one takes it back
			if err := tx.UpdateOutboxItem(it); err != nil {
				return err
			}
			claimed = append(claimed, it)
		}
		return nil
	})
	if err != nil || len(claimed) > 0 {
		return claimed, err
	}
	return d.claim() // lost the race for all of them: look again
}

// dueItems returns up to claimBatch queued items of the channel that are
// due, those that have waited longest first.
func (d *Dispatcher) dueItems(tx *profiles.Tx, now time.Time) ([]profiles.OutboxItem, error) {
	events, err := tx.Events()
	if err != nil {
		return nil, err
	}
	var due []profiles.OutboxItem
	for _, ev := range events {
		items, err := tx.OutboxInState(ev.ID, d.Channel, profiles.OutboxQueued)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !it.NextAttempt.After(now) {
				due = append(due, it)
			}
		}
	}
	slices.SortStableFunc(due, func(a, b profiles.OutboxItem) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return due[:min(len(due), claimBatch)], nil
}

// settle records the outcome of one attempt.
func (d *Dispatcher) settle(item *profiles.OutboxItem, status int, sendErr error) error {
	now := d.now()
	item.LastStatus = status
	maxAttempts := d.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = 8
	}
	var permanent *PermanentError
	switch {
	case sendErr == nil:
		item.Status, item.LastError, item.DoneAt = profiles.OutboxSent, "", &now
	case errors.As(sendErr, &permanent) || item.Attempts >= maxAttempts:
		item.Status, item.LastError, item.DoneAt = profiles.OutboxFailed, truncate(sendErr.Error()), &now
	default:
		backoff := d.Backoff
		if backoff == nil {
			backoff = Backoff
		}
		item.Status, item.LastError = profiles.OutboxQueued, truncate(sendErr.Error())
		item.NextAttempt = now.Add(backoff(item.Attempts))
	}
	err := d.Store.Update(func(tx *profiles.Tx) error { return tx.UpdateOutboxItem(item) })
	if err != nil {
		return fmt.Errorf("settle outbox item %s: %w", item.ID, err)
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}
