package profiles

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Sessions live in the store (either engine) and end server-side: one by
// signing out, a participant's by a new personal link or their deletion,
// an event's with it, the organizer's by a new secret. Expired ones are
// refused.
func TestBrowserSessionsEnd(t *testing.T) {
	eachEngine(t, testBrowserSessionsEnd)
}

func testBrowserSessionsEnd(t *testing.T, open storeOpener) {
	now := time.Now()
	tests := []struct {
		name   string
		who    [2]string // event, participant; "" "" for the organizer
		end    func(tx *Tx, token string) error
		ended  bool
		others bool // whether the subject's other session ends too
	}{
		{"nothing happens", [2]string{"ev", "anna"}, func(*Tx, string) error { return nil }, false, false},
		{"sign out", [2]string{"ev", "anna"}, func(tx *Tx, token string) error { return tx.EndSession("ev", "anna", token) }, true, false},
		{"new personal link", [2]string{"ev", "anna"}, func(tx *Tx, _ string) error {
			p, err := tx.Participant("ev", "anna")
			if err != nil {
				return err
			}
			p.SecretHash = HashSecret("a-new-secret")
			return tx.UpdateParticipant(p)
		}, true, true},
		{"profile edit keeps the link", [2]string{"ev", "anna"}, func(tx *Tx, _ string) error {
			p, err := tx.Participant("ev", "anna")
			if err != nil {
				return err
			}
			p.JobTitle = "CTO"
			return tx.UpdateParticipant(p)
		}, false, false},
		{"participant deleted", [2]string{"ev", "marco"}, func(tx *Tx, _ string) error { return tx.DeleteParticipant("ev", "marco") }, true, true},
		{"event deleted", [2]string{"ev", "anna"}, func(tx *Tx, _ string) error { return tx.DeleteEvent("ev") }, true, true},
		{"new organizer secret", [2]string{"", ""}, func(tx *Tx, _ string) error { return tx.SetOrganizerSecret("a brand new organizer secret") }, true, true},
		{"same organizer hash again", [2]string{"", ""}, func(tx *Tx, _ string) error { return tx.SetOrganizerSecretHash(tx.OrganizerSecretHash()) }, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "ev")
			var first, second string
			err := s.Update(func(tx *Tx) (err error) {
				if err := tx.SetOrganizerSecret("the first organizer secret"); err != nil {
					return err
				}
				sess := BrowserSession{EventID: tt.who[0], ParticipantID: tt.who[1], Created: now, Expires: now.Add(time.Hour)}
				if first, err = tx.CreateSession(sess); err != nil {
					return err
				}
				second, err = tx.CreateSession(sess)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Update(func(tx *Tx) error { return tt.end(tx, first) }); err != nil {
				t.Fatal(err)
			}
			s.View(func(tx *Tx) error {
				_, err := tx.BrowserSession(tt.who[0], tt.who[1], first, now)
				if ended := errors.Is(err, ErrSessionEnded); ended != tt.ended {
					t.Errorf("session: %v, want ended %v", err, tt.ended)
				}
				_, err = tx.BrowserSession(tt.who[0], tt.who[1], second, now)
				if ended := errors.Is(err, ErrSessionEnded); ended != tt.others {
					t.Errorf("the other session: %v, want ended %v", err, tt.others)
				}
				if _, err := tx.BrowserSession(tt.who[0], tt.who[1], second, now.Add(2*time.Hour)); !errors.Is(err, ErrSessionEnded) {
					t.Errorf("an expired session: %v", err)
				}
				if _, err := tx.BrowserSession("ev", "luca", second, now); !errors.Is(err, ErrSessionEnded) {
					t.Errorf("a token works for another participant: %v", err)
				}
				return nil
			})
		})
	}
}

func TestOrganizerSecretHash(t *testing.T) {
	if _, err := HashOrganizerSecret("fifteen chars!!"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a 15-character secret: %v", err)
	}
	const secret = "sixteen chars!!!"
	h1, err := HashOrganizerSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashOrganizerSecret(secret)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || h1 == h2 {
		t.Errorf("hashes %q and %q: want salted Argon2id", h1, h2)
	}
	for _, tt := range []struct {
		hash, secret string
		want         bool
	}{
		{h1, secret, true},
		{h1, secret + "x", false},
		{h1, "", false},
		{HashSecret("legacy-secret"), "legacy-secret", true}, // stores written before Argon2id
		{HashSecret("legacy-secret"), "other", false},
		{"", "", false},
		{"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", "x", false}, // refuses to allocate
		{"$argon2id$garbage", "x", false},
	} {
		if got := CheckOrganizerSecret(tt.hash, tt.secret); got != tt.want {
			t.Errorf("CheckOrganizerSecret(%.30q, %q) = %v", tt.hash, tt.secret, got)
		}
	}
}
