package profiles

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// The organizer's secret may be chosen by a person, so it is held to a
// minimum length and stored as an Argon2id hash (salted, memory-hard); a
// participant's personal-link secret is always 128 random bits, for which
// a plain SHA-256 (HashSecret) suffices and can be looked up.

// MinOrganizerSecretLength is the fewest characters an organizer secret has.
const MinOrganizerSecretLength = 16

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 thread).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashOrganizerSecret returns the Argon2id hash of an organizer secret in
// the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash), or a
// *FieldError when the secret is shorter than MinOrganizerSecretLength.
func HashOrganizerSecret(secret string) (string, error) {
	if n := utf8.RuneCountInString(secret); n < MinOrganizerSecretLength {
		return "", fieldErr("settings", "meta", "organizer_secret", fmt.Sprintf("%d characters", n), "must be at least %d characters", MinOrganizerSecretLength)
	}
	salt := make([]byte, argonSaltLen)
	rand.Read(salt) // never fails (crypto/rand)
	key := argon2.IDKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64(salt), b64(key)), nil
}

// errBadHash is the error of a stored organizer secret hash that is neither
// an Argon2id PHC string nor a hex SHA-256 digest.
var errBadHash = errors.New("not an Argon2id hash or hex SHA-256 digest")

// CheckOrganizerSecret reports, in constant time, whether secret matches
// the stored hash: an Argon2id PHC string, or the hex SHA-256 that stores
// written before Argon2id hold (until the organizer sets a new secret).
func CheckOrganizerSecret(hash, secret string) bool {
	if !strings.HasPrefix(hash, "$argon2id$") {
		return hash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(HashSecret(secret))) == 1
	}
	p, err := parseArgon2id(hash)
	if err != nil {
		return false
	}
	key := argon2.IDKey([]byte(secret), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// argon2idHash is a parsed PHC string.
type argon2idHash struct {
	time, memory uint32
	threads      uint8
	salt, key    []byte
}

func parseArgon2id(s string) (argon2idHash, error) {
	var p argon2idHash
	parts := strings.Split(s, "$") // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, errBadHash
	}
	var err1, err2 error
	p.salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
	p.key, err2 = base64.RawStdEncoding.DecodeString(parts[5])
	// Bounds keep a corrupt record from asking for gigabytes.
	if err1 != nil || err2 != nil || len(p.key) < 16 || len(p.salt) < 8 || p.time < 1 || p.time > 10 ||
		p.memory < 8*1024 || p.memory > 1024*1024 || p.threads < 1 {
		return p, errBadHash
	}
	return p, nil
}

// validOrganizerHash reports whether hash is something CheckOrganizerSecret reads.
func validOrganizerHash(hash string) bool {
	if strings.HasPrefix(hash, "$argon2id$") {
		_, err := parseArgon2id(hash)
		return err == nil
	}
	return len(hash) == 64 && strings.Trim(hash, "0123456789abcdef") == ""
}
