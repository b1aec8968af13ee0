package demotest

import (
	"bytes"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

// whole is the demo event, decoded once per test binary (seconds under
// -race) and never modified: Sample copies what it keeps.
var whole = sync.OnceValues(demo.Bundle)

// Prepare decodes the demo ahead of the first Sample: a TestMain runs it
// in a goroutine of its own so that the decoding overlaps the first tests
// instead of holding up the ones that want a cut. An error shows at Sample.
func Prepare() { whole() }

// Sample returns the demo event cut down to its first n organizations,
// with their people, their opportunities, and the requests and meetings
// between two people kept. Every call returns a fresh copy, which the
// caller may modify.
func Sample(tb testing.TB, n int) *profiles.Bundle {
	tb.Helper()
	src, err := whole()
	if err != nil {
		tb.Fatal(err)
	}
	if n > len(src.Organizations) {
		tb.Fatalf("a cut of %d organizations from a demo of %d", n, len(src.Organizations))
	}
	cut := profiles.Bundle{Event: src.Event, Organizations: src.Organizations[:n]}
	orgs, people := map[string]bool{}, map[string]bool{}
	for _, o := range cut.Organizations {
		orgs[o.ID] = true
	}
	for _, p := range src.Participants {
		if orgs[p.OrganizationID] {
			cut.Participants = append(cut.Participants, p)
			people[p.ID] = true
		}
	}
	for _, o := range src.Opportunities {
		if people[o.ParticipantID] {
			cut.Opportunities = append(cut.Opportunities, o)
		}
	}
	for _, r := range src.Requests {
		if people[r.From] && people[r.To] {
			cut.Requests = append(cut.Requests, r)
		}
	}
	for _, m := range src.Meetings {
		if people[m.A] && people[m.B] {
			cut.Meetings = append(cut.Meetings, m)
		}
	}
	return deepCopy(tb, &cut)
}

// deepCopy returns a copy of b that shares no memory with it, by a round
// trip through the export format: the cut's maps and slices are the
// shared demo's.
func deepCopy(tb testing.TB, b *profiles.Bundle) *profiles.Bundle {
	tb.Helper()
	var buf bytes.Buffer
	if err := profiles.EncodeExport(&buf, &profiles.Export{Format: profiles.BundleFormat, Events: []profiles.Bundle{*b}}); err != nil {
		tb.Fatal(err)
	}
	exp, err := profiles.DecodeExport(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	return &exp.Events[0]
}
