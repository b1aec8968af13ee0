package auth

import (
	"crypto/sha256"
	"sync"

	"github.com/matchgrid/matchgrid/profiles"
)

// organizerCheck verifies organizer secrets against the stored Argon2id
// hash. Argon2id is slow on purpose (tens of milliseconds, 19 MiB), too
// slow for every API call of an organizer's script: a secret once verified
// is remembered (by its SHA-256) for as long as the stored hash stays the
// same. Only right secrets are remembered, so the memory stays tiny; and
// one Argon2id runs at a time, so wrong guesses cannot exhaust memory.
type organizerCheck struct {
	mu   sync.Mutex
	hash string            // the stored hash the entries were verified against
	good map[[32]byte]bool // SHA-256 of secrets verified right
	slow sync.Mutex        // one Argon2id at a time
}

// check reports whether secret matches hash (the stored organizer hash).
func (o *organizerCheck) check(hash, secret string) bool {
	if hash == "" {
		return false
	}
	sum := sha256.Sum256([]byte(secret))
	o.mu.Lock()
	if o.hash != hash {
		o.hash, o.good = hash, map[[32]byte]bool{}
	}
	known := o.good[sum]
	o.mu.Unlock()
	if known {
		return true
	}
	o.slow.Lock()
	ok := profiles.CheckOrganizerSecret(hash, secret)
	o.slow.Unlock()
	if ok {
		o.mu.Lock()
		if o.hash == hash {
			o.good[sum] = true
		}
		o.mu.Unlock()
	}
	return ok
}
