package matcher

import (
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// TestDismissedIsExcludedOneWay: a participant "not interested" in another
// no longer gets them suggested; the other still may be suggested them.
func TestDismissedIsExcludedOneWay(t *testing.T) {
	s, _ := smallEvent(t)
	// Two per organization: anna and aldo of acme both show.
	m, err := New(s, &Options{Weights: &Weights{PerOrganization: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(suggested(t, m, "anna"), "cleo") || !slices.Contains(suggested(t, m, "cleo"), "anna") {
		t.Fatal("anna and cleo are not suggested to each other to begin with; the test would check nothing")
	}
	err = s.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant("ev", "anna")
		if err != nil {
			return err
		}
		p.Dismissed = []string{"cleo"}
		return tx.UpdateParticipant(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(suggested(t, m, "anna"), "cleo") {
		t.Error("anna dismissed cleo but cleo is still suggested to her")
	}
	if !slices.Contains(suggested(t, m, "cleo"), "anna") {
		t.Error("anna dismissed cleo, and anna is no longer suggested to cleo: dismissing is one-way")
	}
}
