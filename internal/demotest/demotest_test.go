package demotest_test

import (
	"testing"

	"github.com/matchgrid/matchgrid/internal/demotest"
)

// TestSampleKeepsOnlyWhatIsBetweenItsPeople checks the cut is a closed
// event: every person, opportunity and request refers to what it kept.
func TestSampleKeepsOnlyWhatIsBetweenItsPeople(t *testing.T) {
	for _, n := range []int{1, 40, 120} {
		b := demotest.Sample(t, n)
		if len(b.Organizations) != n {
			t.Fatalf("cut %d: %d organizations", n, len(b.Organizations))
		}
		orgs, people := map[string]bool{}, map[string]bool{}
		for _, o := range b.Organizations {
			orgs[o.ID] = true
		}
		for _, p := range b.Participants {
			if !orgs[p.OrganizationID] {
				t.Errorf("cut %d: %s of %s, an organization cut away", n, p.ID, p.OrganizationID)
			}
			people[p.ID] = true
		}
		if len(people) == 0 {
			t.Errorf("cut %d: no people", n)
		}
		for _, o := range b.Opportunities {
			if !people[o.ParticipantID] {
				t.Errorf("cut %d: opportunity %s of %s, cut away", n, o.ID, o.ParticipantID)
			}
		}
		for _, r := range b.Requests {
			if !people[r.From] || !people[r.To] {
				t.Errorf("cut %d: request %s from %s to %s leaves the cut", n, r.ID, r.From, r.To)
			}
		}
	}
}

// TestSamplesShareNothing: a test may change the cut it was given without
// changing the next test's.
func TestSamplesShareNothing(t *testing.T) {
	first := demotest.Sample(t, 2)
	name := first.Organizations[0].Name
	first.Organizations[0].Name = "changed"
	for lang := range first.Organizations[0].Descriptions {
		first.Organizations[0].Descriptions[lang] = "changed"
	}
	first.Participants[0].LastName = "changed"
	second := demotest.Sample(t, 2)
	if second.Organizations[0].Name != name || second.Participants[0].LastName == "changed" {
		t.Errorf("a change to one cut shows in the next: %q, %q", second.Organizations[0].Name, second.Participants[0].LastName)
	}
	for lang, d := range second.Organizations[0].Descriptions {
		if d == "changed" {
			t.Errorf("description %s of one cut changed with the other's", lang)
		}
	}
}
