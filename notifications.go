package matchgrid

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/mail"
	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/webhook"
)

// ErrMailOff means e-mail is not configured on this server (no SMTP
// server and no development mail directory).
var ErrMailOff = errors.New("e-mail is not configured")

// MailDir is the directory, inside the data directory, where the
// development mail mode writes .eml files.
const MailDir = "mail"

// MailOptions configure outgoing e-mail.
type MailOptions struct {
	// SMTPAddr is the SMTP server's host:port; empty with Dev writes files instead.
	SMTPAddr   string
	Username   string
	Password   string
	RequireTLS bool
	// From is the sender, e.g. "Meet in Italy <noreply@example.org>".
	From string
	// Dev writes each mail as an .eml file into the data directory's
	// mail/ folder instead of sending it.
	Dev bool
	// PublicURL is the server's address as participants reach it, for links.
	PublicURL string
}

// NotifyOptions configure StartNotifications.
type NotifyOptions struct {
	// Mail configures e-mail; nil sends none.
	Mail *MailOptions
	// OnError receives delivery and bookkeeping errors; nil drops them.
	OnError func(error)
	// Backoff overrides the wait before a retry (tests); nil means notify.Backoff.
	Backoff func(n int) time.Duration
	// Poll overrides how often the dispatchers look for due items.
	Poll time.Duration
}

// notifications are the running notification parts of an engine.
type notifications struct {
	mu       sync.Mutex
	mail     *mail.Service
	mailDisp *notify.Dispatcher
	hookDisp *notify.Dispatcher
}

// StartNotifications sends e-mails and webhook calls for what happens in
// the store (requests sent, accepted, declined, cancelled; the grid
// published or changed) until ctx ends. Every happening flows from the
// store's change notifications through one hub to both, whoever caused
// it. It returns once started; the work runs in goroutines.
func (e *Engine) StartNotifications(ctx context.Context, opts NotifyOptions) error {
	if e.opts.ReadOnly {
		return fmt.Errorf("matchgrid: notifications need a writable engine")
	}
	hooks := &webhook.Service{Store: e.store, AllowPrivate: e.opts.AllowPrivateWebhooks}
	sinks := []notify.Sink{hooks}
	n := &notifications{hookDisp: &notify.Dispatcher{Store: e.store, Channel: profiles.ChannelWebhook, Sender: hooks,
		Backoff: opts.Backoff, Poll: opts.Poll, OnError: opts.OnError}}
	if m := opts.Mail; m != nil {
		var t mail.Transport = &mail.SMTP{Addr: m.SMTPAddr, Username: m.Username, Password: m.Password, RequireTLS: m.RequireTLS}
		if m.Dev {
			t = &mail.Dir{Path: filepath.Join(e.dir, MailDir)}
		}
		from := m.From
		if from == "" {
			from = "matchgrid <noreply@localhost>"
		}
		n.mail = &mail.Service{From: from, Transport: t, PublicURL: m.PublicURL}
		n.mailDisp = &notify.Dispatcher{Store: e.store, Channel: profiles.ChannelMail, Sender: n.mail,
			Backoff: opts.Backoff, Poll: opts.Poll, OnError: opts.OnError}
		sinks = append(sinks, n.mail)
	}
	hub := notify.NewHub(e.store, sinks...)
	hub.OnError = opts.OnError
	if err := hub.Begin(); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	e.notes.Store(n)
	ctx = e.goBackground(ctx, opts.OnError, hub.Run, n.hookDisp.Run)
	if n.mailDisp != nil {
		e.goBackground(ctx, opts.OnError, n.mailDisp.Run)
	}
	return nil
}

// goBackground runs each fn until ctx ends or the engine closes, whichever
// comes first, and gives onError (when set) the error a loop stops with;
// it returns the context they run under.
func (e *Engine) goBackground(ctx context.Context, onError func(error), fns ...func(context.Context) error) context.Context {
	ctx, stop := context.WithCancel(ctx)
	e.backgroundMu.Lock()
	e.stopBackground = append(e.stopBackground, stop)
	e.backgroundMu.Unlock()
	for _, fn := range fns {
		e.background.Add(1)
		go func() {
			defer e.background.Done()
			if err := fn(ctx); err != nil && onError != nil {
				onError(err)
			}
		}()
	}
	return ctx
}

// MailLinks issues new personal links (like IssueLinks) and queues an
// e-mail with each, in the participant's language, in one transaction:
// either the links change and the mails are queued, or neither. It
// returns the links and how many mails were queued (participants without
// an address are logged as skipped). ErrMailOff when e-mail is off.
func (e *Engine) MailLinks(eventID string, participantIDs []string) ([]PersonalLink, int, error) {
	n := e.notes.Load()
	if n == nil || n.mail == nil {
		return nil, 0, ErrMailOff
	}
	var (
		links  []PersonalLink
		queued int
	)
	err := e.store.Update(func(tx *profiles.Tx) error {
		var err error
		if links, err = issueLinks(tx, eventID, participantIDs); err != nil {
			return err
		}
		ml := make([]mail.Link, len(links))
		for i, l := range links {
			ml[i] = mail.Link{ParticipantID: l.ParticipantID, Path: l.Path}
		}
		queued, err = n.mail.QueueLinks(tx, eventID, ml)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	n.mailDisp.Wake()
	return links, queued, nil
}

// MailLog returns an event's e-mails, newest first: what was sent, queued,
// failed or skipped, with attempts and the last error.
func (e *Engine) MailLog(eventID string) ([]profiles.OutboxItem, error) {
	return e.outbox(eventID, func(tx *profiles.Tx) ([]profiles.OutboxItem, error) { return tx.Outbox(eventID, profiles.ChannelMail) })
}

// RegisterWebhook registers a portal's URL for an event's happenings
// (kinds: a subset of webhook.Kinds, empty for all). The returned webhook
// carries the signing secret; show it once. A URL that leads to this
// machine, a private network or a metadata service is refused (a
// *profiles.FieldError) unless the engine allows private webhooks.
func (e *Engine) RegisterWebhook(eventID, url string, kinds []string) (*profiles.Webhook, error) {
	if err := webhook.CheckURL(context.Background(), url, e.opts.AllowPrivateWebhooks); err != nil {
		return nil, err
	}
	var w *profiles.Webhook
	err := e.store.Update(func(tx *profiles.Tx) (err error) {
		w, err = webhook.Register(tx, eventID, url, kinds, time.Now())
		return err
	})
	return w, err
}

// Webhooks lists an event's webhooks.
func (e *Engine) Webhooks(eventID string) ([]profiles.Webhook, error) {
	var hooks []profiles.Webhook
	err := e.store.View(func(tx *profiles.Tx) error {
		if _, err := tx.Event(eventID); err != nil {
			return err
		}
		var err error
		hooks, err = tx.Webhooks(eventID)
		return err
	})
	return hooks, err
}

// DeleteWebhook removes a webhook; its queued calls fail, its log stays.
func (e *Engine) DeleteWebhook(eventID, id string) error {
	return e.store.Update(func(tx *profiles.Tx) error { return tx.DeleteWebhook(eventID, id) })
}

// Deliveries returns the calls made or queued for one webhook, newest first.
func (e *Engine) Deliveries(eventID, webhookID string) ([]profiles.OutboxItem, error) {
	return e.outbox(eventID, func(tx *profiles.Tx) ([]profiles.OutboxItem, error) {
		if _, err := tx.Webhook(eventID, webhookID); err != nil {
			return nil, err
		}
		return tx.OutboxOfTarget(eventID, webhookID)
	})
}

func (e *Engine) outbox(eventID string, read func(tx *profiles.Tx) ([]profiles.OutboxItem, error)) ([]profiles.OutboxItem, error) {
	var items []profiles.OutboxItem
	err := e.store.View(func(tx *profiles.Tx) error {
		if _, err := tx.Event(eventID); err != nil {
			return err
		}
		var err error
		items, err = read(tx)
		return err
	})
	return items, err
}
