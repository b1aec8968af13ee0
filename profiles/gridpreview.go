package profiles

import (
	"encoding/json"
	"fmt"
	"time"
)

// GridPreview is an event's computed but unpublished meeting grid. It is
// kept in the store, on every engine, so that a preview made on one server
// can be looked at and published on another one sharing the store. The
// store does not read Data: the caller (matchgrid's grid) encodes in it the
// grid and everything it was computed from.
type GridPreview struct {
	// Generation is the store generation the grid was computed from.
	Generation uint64 `json:"generation"`
	// Made is when it was computed; it expires at Expires.
	Made    time.Time `json:"made"`
	Expires time.Time `json:"expires"`
	// Published is set once the grid is written (PublishGridPreview): the
	// preview is then no longer shown, and publishing it again is refused.
	Published bool `json:"published,omitempty"`
	// Data is the encoded grid; nil once published.
	Data []byte `json:"-"`
}

// MaxGridPreviewSize caps GridPreview.Data: a preview is a few hundred
// bytes per meeting and participant, so this is far above any brokerage
// event, and keeps one event's preview from filling the store.
const MaxGridPreviewSize = 32 << 20

// An event's preview is two keys in its bucket, so that the lock and the
// deletion of the event cover it:
//
//	events/<event-id>/grid-preview/meta -> GridPreview JSON (without Data)
//	events/<event-id>/grid-preview/data -> Data
//
// Writing a preview records no Change: it is no part of the event's data,
// and followers have nothing to rebuild from it.
var (
	keyPreviewMeta = []byte("meta")
	keyPreviewData = []byte("data")
)

func previewPath(eventID string) bucket { return eventPath(eventID, "grid-preview") }

// PutGridPreview stores p as the event's preview, replacing any earlier
// one. Data larger than MaxGridPreviewSize is refused with ErrInvalid; a
// missing event with ErrNotFound.
func (tx *Tx) PutGridPreview(eventID string, p *GridPreview) error {
	if err := tx.requireEvent(eventID); err != nil {
		return err
	}
	if len(p.Data) > MaxGridPreviewSize {
		return fmt.Errorf("grid preview of event %q: %d bytes, at most %d: %w", eventID, len(p.Data), MaxGridPreviewSize, ErrInvalid)
	}
	if !p.Expires.After(p.Made) {
		return fmt.Errorf("grid preview of event %q: expires %v, not after it was made (%v): %w", eventID, p.Expires, p.Made, ErrInvalid)
	}
	if err := tx.putPreviewMeta(eventID, p); err != nil {
		return err
	}
	if p.Data == nil {
		return tx.kv.del(previewPath(eventID), keyPreviewData)
	}
	return tx.kv.put(previewPath(eventID), keyPreviewData, p.Data)
}

func (tx *Tx) putPreviewMeta(eventID string, p *GridPreview) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("grid preview of event %q: %w", eventID, err)
	}
	return tx.kv.put(previewPath(eventID), keyPreviewMeta, raw)
}

// GridPreview returns the event's preview, published or not, or
// ErrNotFound when there is none or it expired by now. In a write
// transaction it locks the event first (LockEvent), so what it returns
// stays the preview until the transaction ends.
func (tx *Tx) GridPreview(eventID string, now time.Time) (*GridPreview, error) {
	if err := tx.LockEvent(eventID); err != nil {
		return nil, err
	}
	vals, err := tx.kv.getMany(previewPath(eventID), [][]byte{keyPreviewMeta, keyPreviewData})
	if err != nil {
		return nil, fmt.Errorf("grid preview of event %q: %w", eventID, err)
	}
	if vals[0] == nil {
		return nil, fmt.Errorf("grid preview of event %q: %w", eventID, ErrNotFound)
	}
	var p GridPreview
	if err := json.Unmarshal(vals[0], &p); err != nil {
		return nil, fmt.Errorf("grid preview of event %q: corrupt record: %w", eventID, err)
	}
	if !now.Before(p.Expires) {
		return nil, fmt.Errorf("grid preview of event %q expired at %s: %w", eventID, p.Expires.Format(time.RFC3339), ErrNotFound)
	}
	if vals[1] != nil {
		p.Data = append([]byte(nil), vals[1]...)
	}
	return &p, nil
}

// PublishGridPreview marks the event's preview published and drops its
// data, in the transaction that writes its grid.
func (tx *Tx) PublishGridPreview(eventID string, p *GridPreview) error {
	done := *p
	done.Published, done.Data = true, nil
	if err := tx.putPreviewMeta(eventID, &done); err != nil {
		return err
	}
	return tx.kv.del(previewPath(eventID), keyPreviewData)
}
