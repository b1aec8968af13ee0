package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// A chosen organizer secret has at least 16 characters and is stored as
// an Argon2id hash; starting again with the same secret keeps the hash
// (and so the organizer's sessions), a different one replaces it.
func TestOrganizerSecretStrengthAndHash(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	code, _, errOut := runCLI(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--organizer-secret", "short-secret")
	if code != 2 || !strings.Contains(errOut, "at least 16") {
		t.Errorf("a 12-character secret: exit %d, %q", code, errOut)
	}
	store, err := profiles.Open(filepath.Join(t.TempDir(), "s.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	stored := func() (h string) {
		store.View(func(tx *profiles.Tx) error { h = tx.OrganizerSecretHash(); return nil })
		return h
	}
	const secret = "sixteen+ characters here"
	if _, err := setOrganizerSecret(store, secret); err != nil {
		t.Fatal(err)
	}
	first := stored()
	if !strings.HasPrefix(first, "$argon2id$") || !profiles.CheckOrganizerSecret(first, secret) {
		t.Fatalf("stored %q, want an Argon2id hash of the secret", first)
	}
	if _, err := setOrganizerSecret(store, secret); err != nil || stored() != first {
		t.Errorf("the same secret again replaced the hash (%v)", err)
	}
	if _, err := setOrganizerSecret(store, "another secret, long enough"); err != nil || stored() == first {
		t.Errorf("a new secret kept the old hash (%v)", err)
	}
}
