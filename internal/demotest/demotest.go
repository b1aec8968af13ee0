package demotest

import (
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

// Sample returns the demo event cut down to its first n organizations,
// with their people, their opportunities, and the requests and meetings
// between two people kept.
func Sample(tb testing.TB, n int) *profiles.Bundle {
	tb.Helper()
	b, err := demo.Bundle()
	if err != nil {
		tb.Fatal(err)
	}
	if n > len(b.Organizations) {
		tb.Fatalf("a cut of %d organizations from a demo of %d", n, len(b.Organizations))
	}
	orgs := map[string]bool{}
	for _, o := range b.Organizations[:n] {
		orgs[o.ID] = true
	}
	b.Organizations = b.Organizations[:n]
	people := map[string]bool{}
	b.Participants = slices.DeleteFunc(b.Participants, func(p profiles.Participant) bool { return !orgs[p.OrganizationID] })
	for _, p := range b.Participants {
		people[p.ID] = true
	}
	b.Opportunities = slices.DeleteFunc(b.Opportunities, func(o profiles.Opportunity) bool { return !people[o.ParticipantID] })
	b.Requests = slices.DeleteFunc(b.Requests, func(r profiles.MeetingRequest) bool { return !people[r.From] || !people[r.To] })
	b.Meetings = slices.DeleteFunc(b.Meetings, func(m profiles.Meeting) bool { return !people[m.A] || !people[m.B] })
	return b
}
