package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzSessionCookie feeds the cookie decoder arbitrary values: it never
// panics, accepts only values its own key signed (a value signed with
// another key, or changed in any byte, is refused) and what it accepts
// says exactly what was signed.
func FuzzSessionCookie(f *testing.F) {
	key := bytes.Repeat([]byte{7}, 32)
	sg, other := signer{key: key}, signer{key: bytes.Repeat([]byte{8}, 32)}
	now := time.Unix(1_900_000_000, 0)
	valid := sg.encode(session{Role: Participant, Event: "ev", Participant: "p-a", Token: "TOKEN", Expires: now.Unix() + 60})
	f.Add(valid)
	f.Add(sg.encode(session{Role: Organizer, Token: "T", Expires: now.Unix() - 1})) // expired
	f.Add(other.encode(session{Role: Organizer, Token: "T", Expires: now.Unix() + 60}))
	f.Add(strings.Replace(valid, ".", "..", 1))
	f.Add("." + strings.SplitN(valid, ".", 2)[1])
	f.Add("e30." + sg.mac("e30")) // "{}": signed, but no expiry
	f.Add("")
	f.Fuzz(func(t *testing.T, value string) {
		s, err := sg.decode(value, now)
		if _, oerr := other.decode(value, now); oerr == nil && err == nil {
			t.Fatalf("%q decodes under two keys", value)
		}
		if err != nil {
			return
		}
		payload, mac, _ := strings.Cut(value, ".")
		if mac != sg.mac(payload) {
			t.Fatalf("accepted %q without its MAC", value)
		}
		if s.Expires <= now.Unix() {
			t.Fatalf("accepted an expired session %+v", s)
		}
		again, err := sg.decode(sg.encode(s), now)
		if err != nil || again != s {
			t.Fatalf("re-encoding %+v gives %+v, %v", s, again, err)
		}
	})
}
