package profiles

import "testing"

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) < 26 {
		t.Fatalf("secrets %q and %q: want distinct, 128-bit ones", a, b)
	}
	p := &Participant{SecretHash: HashSecret(a)}
	if !p.CheckSecret(a) || p.CheckSecret(b) || p.CheckSecret("") {
		t.Error("CheckSecret accepts the wrong secret or refuses the right one")
	}
	if (&Participant{}).CheckSecret("") {
		t.Error("a participant without a secret accepts the empty one")
	}
}
