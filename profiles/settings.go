package profiles

import (
	"encoding/binary"
	"fmt"
)

// Deployment-wide settings live in the meta bucket beside the schema
// version: they belong to the data directory, not to one event.
var (
	keyOrganizerSecret = []byte("organizer_secret_hash")
	keySessionKey      = []byte("session_key")
	metaPath           = bucket{string(bucketMeta)}
)

// SessionKeySize is the length in bytes of the key that signs session cookies.
const SessionKeySize = 32

// OrganizerSecretHash returns the stored hash of the organizer's secret
// (see HashOrganizerSecret and CheckOrganizerSecret), or "" when none has
// been set yet.
func (tx *Tx) OrganizerSecretHash() string {
	v, err := tx.kv.get(metaPath, keyOrganizerSecret)
	tx.keep(err)
	return string(v)
}

// SetOrganizerSecret replaces the organizer's secret: it must have at
// least MinOrganizerSecretLength characters and is stored as its Argon2id
// hash. Every organizer session ends.
func (tx *Tx) SetOrganizerSecret(secret string) error {
	hash, err := HashOrganizerSecret(secret)
	if err != nil {
		return err
	}
	return tx.SetOrganizerSecretHash(hash)
}

// SetOrganizerSecretHash replaces the organizer's secret by its hash (an
// Argon2id PHC string from HashOrganizerSecret, or a hex SHA-256 as older
// stores hold). When it changes, every organizer session ends.
func (tx *Tx) SetOrganizerSecretHash(hash string) error {
	if !validOrganizerHash(hash) {
		return fieldErr("settings", "meta", "organizer_secret_hash", hash, "%v", errBadHash)
	}
	if tx.OrganizerSecretHash() == hash {
		return nil
	}
	if err := tx.kv.put(metaPath, keyOrganizerSecret, []byte(hash)); err != nil {
		return fmt.Errorf("store organizer secret: %w", err)
	}
	return tx.EndSessions("", "")
}

// SessionKey returns the key that signs session cookies, or nil when none
// has been set yet. The returned slice is a copy.
func (tx *Tx) SessionKey() []byte {
	v, err := tx.kv.get(metaPath, keySessionKey)
	tx.keep(err)
	if v == nil {
		return nil
	}
	return append([]byte(nil), v...)
}

// SetSessionKey stores the key that signs session cookies; it must be
// SessionKeySize bytes. Replacing it signs everyone out.
func (tx *Tx) SetSessionKey(key []byte) error {
	if len(key) != SessionKeySize {
		return fieldErr("settings", "meta", "session_key", fmt.Sprintf("%d bytes", len(key)), "must be %d bytes", SessionKeySize)
	}
	if err := tx.kv.put(metaPath, keySessionKey, key); err != nil {
		return fmt.Errorf("store session key: %w", err)
	}
	return nil
}

var keyNotified = []byte("notified_generation")

// NotifiedGeneration returns the store generation up to which notifications
// (e-mail, webhooks) were derived, 0 when they never ran.
func (tx *Tx) NotifiedGeneration() uint64 {
	v, err := tx.kv.get(metaPath, keyNotified)
	tx.keep(err)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// SetNotifiedGeneration records the generation up to which notifications
// were derived, so that a restart replays only the changes after it.
func (tx *Tx) SetNotifiedGeneration(g uint64) error {
	return tx.kv.put(metaPath, keyNotified, binary.BigEndian.AppendUint64(nil, g))
}
