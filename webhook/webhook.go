package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

// Kinds a webhook can receive.
const (
	RequestSent      = "request.sent"
	RequestAccepted  = "request.accepted"
	RequestDeclined  = "request.declined"
	RequestCancelled = "request.cancelled"
	GridPublished    = "grid.published"
	GridChanged      = "grid.changed"
)

// Kinds lists every kind a webhook can receive.
var Kinds = []string{RequestSent, RequestAccepted, RequestDeclined, RequestCancelled, GridPublished, GridChanged}

// Register stores a new webhook for an event with a fresh secret (returned
// in the webhook, shown to the organizer once). kinds limits what it
// receives; empty means everything.
func Register(tx *profiles.Tx, eventID, url string, kinds []string, now time.Time) (*profiles.Webhook, error) {
	for _, k := range kinds {
		if !slices.Contains(Kinds, k) {
			return nil, profiles.NewFieldError("webhook", "", "kinds", k, "must be one of %s", strings.Join(Kinds, ", "))
		}
	}
	w := &profiles.Webhook{ID: profiles.NewID("wh"), EventID: eventID, URL: url, Secret: profiles.NewSecret(), Kinds: kinds, CreatedAt: now}
	if err := tx.CreateWebhook(w); err != nil {
		return nil, err
	}
	return w, nil
}

// Payload is the JSON body of a webhook call.
type Payload struct {
	ID        string    `json:"id"` // the delivery ID
	Type      string    `json:"type"`
	EventID   string    `json:"event_id"`
	CreatedAt time.Time `json:"created_at"`
	// Request is set for request.* calls.
	Request *profiles.MeetingRequest `json:"request,omitempty"`
	// Meetings are the meetings that changed, for grid.* calls.
	Meetings []profiles.Meeting `json:"meetings,omitempty"`
}

// Service queues webhook calls for notices (a notify.Sink) and makes them
// (a notify.Sender).
type Service struct {
	Store *profiles.Store
	// Client makes the calls; nil means NewClient(AllowPrivate).
	Client *http.Client
	// AllowPrivate lets calls reach loopback, private and link-local
	// addresses (tests, a portal on the server's own network); off, such
	// a call fails for good.
	AllowPrivate bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	once   sync.Once
	client *http.Client
}

// httpClient is Client, or the guarded client made once.
func (s *Service) httpClient() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	s.once.Do(func() { s.client = NewClient(s.AllowPrivate) })
	return s.client
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Notice queues a call to every webhook of the event that wants the kind.
func (s *Service) Notice(tx *profiles.Tx, n *notify.Notice) error {
	hooks, err := tx.Webhooks(n.EventID)
	if err != nil || len(hooks) == 0 {
		return err
	}
	for _, h := range hooks {
		kind, err := s.kindFor(tx, &h, n)
		if err != nil {
			return err
		}
		if kind == "" || (len(h.Kinds) > 0 && !slices.Contains(h.Kinds, kind)) {
			continue
		}
		key := n.Key + ":" + h.ID
		p := Payload{ID: profiles.OutboxID(profiles.ChannelWebhook, key), Type: kind, EventID: n.EventID, CreatedAt: n.At, Request: n.Request, Meetings: n.Meetings}
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		item := &profiles.OutboxItem{EventID: n.EventID, Channel: profiles.ChannelWebhook, Key: key, Kind: kind, Target: h.ID, Body: string(body)}
		if _, err := tx.Enqueue(item, n.At); err != nil {
			return err
		}
	}
	return nil
}

// kindFor names a notice for a webhook: a grid change is "published" the
// first time the webhook hears of the grid, "changed" after.
func (s *Service) kindFor(tx *profiles.Tx, h *profiles.Webhook, n *notify.Notice) (string, error) {
	if n.Kind != notify.GridUpdated {
		return string(n.Kind), nil
	}
	past, err := tx.OutboxOfTarget(n.EventID, h.ID)
	if err != nil {
		return "", err
	}
	for _, it := range past {
		if it.Kind == GridPublished || it.Kind == GridChanged {
			return GridChanged, nil
		}
	}
	return GridPublished, nil
}

// Send POSTs one queued call, signed with its webhook's secret.
func (s *Service) Send(ctx context.Context, item *profiles.OutboxItem) (int, error) {
	var hook *profiles.Webhook
	err := s.Store.View(func(tx *profiles.Tx) (err error) { hook, err = tx.Webhook(item.EventID, item.Target); return err })
	if errors.Is(err, profiles.ErrNotFound) {
		return 0, &notify.PermanentError{Err: fmt.Errorf("webhook %s was deleted", item.Target)}
	}
	if err != nil {
		return 0, err
	}
	body := []byte(item.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, &notify.PermanentError{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "matchgrid-webhook/1")
	req.Header.Set(HeaderEvent, item.Kind)
	req.Header.Set(HeaderDelivery, item.ID)
	req.Header.Set(HeaderSignature, Sign(hook.Secret, s.now(), body))
	resp, err := s.httpClient().Do(req)
	if errors.Is(err, ErrForbiddenAddress) {
		return 0, &notify.PermanentError{Err: err}
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, nil
	case resp.StatusCode == http.StatusGone:
		return resp.StatusCode, &notify.PermanentError{Err: fmt.Errorf("the receiver answered %s", resp.Status)}
	}
	return resp.StatusCode, fmt.Errorf("the receiver answered %s", resp.Status)
}
