package profiles

import (
	"bytes"
	"fmt"
)

// An organization's logo is stored beside the event's entities, one PNG
// per organization, already decoded and re-encoded by the caller (the web
// layer): the store keeps bytes and checks only their size and signature.

// MaxLogoBytes caps a stored logo.
const MaxLogoBytes = 256 << 10

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// logoBucket is the nested bucket of an event's logos.
const logoBucket = "logos"

// SetLogo stores the PNG logo of an organization, replacing any other.
func (tx *Tx) SetLogo(eventID, orgID string, png []byte) error {
	if _, err := tx.Organization(eventID, orgID); err != nil {
		return err
	}
	if len(png) > MaxLogoBytes {
		return fieldErr("organization", orgID, "logo", fmt.Sprintf("%d bytes", len(png)), "must be at most %d bytes", MaxLogoBytes)
	}
	if !bytes.HasPrefix(png, pngSignature) {
		return fieldErr("organization", orgID, "logo", "not PNG", "must be a PNG image")
	}
	return tx.kv.put(eventPath(eventID, logoBucket), []byte(orgID), png)
}

// Logo returns the PNG logo of an organization; ErrNotFound when it has none.
func (tx *Tx) Logo(eventID, orgID string) ([]byte, error) {
	if err := tx.requireEvent(eventID); err != nil {
		return nil, err
	}
	v, err := tx.kv.get(eventPath(eventID, logoBucket), []byte(orgID))
	if err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("logo of organization %q in event %q: %w", orgID, eventID, ErrNotFound)
	}
	return append([]byte(nil), v...), nil
}

// DeleteLogo removes an organization's logo, if any.
func (tx *Tx) DeleteLogo(eventID, orgID string) error {
	if err := tx.requireEvent(eventID); err != nil {
		return err
	}
	return tx.kv.del(eventPath(eventID, logoBucket), []byte(orgID))
}
