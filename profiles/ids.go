package profiles

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// idPattern is what an ID may look like: it becomes a bbolt key and a URL
// path segment, so it stays short and free of separators.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidID reports whether s can be used as the ID of an event or entity.
func ValidID(s string) bool { return idPattern.MatchString(s) }

func checkID(entity, id, field, value string) error {
	if !ValidID(value) {
		return fieldErr(entity, id, field, value, "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}

// NewID returns a random ID with the given prefix, e.g. "req-3f9a1c0e7b2d4a58".
func NewID(prefix string) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("profiles: crypto/rand failed: " + err.Error()) // rand.Read never fails on supported platforms
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

// Slug turns a name into an ID-safe lower-case string: accents are dropped
// and runs of other characters become single dashes.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= 96 {
			break
		}
	}
	return b.String()
}
