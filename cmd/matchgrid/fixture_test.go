package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/internal/datadirtest"
	"github.com/matchgrid/matchgrid/profiles"
)

// fixtureOrganizations is the size of the demo cut the tests serve: the
// whole demo takes a minute to import under -race and every suggestion
// costs in proportion; the demo package tests the whole bundle.
const fixtureOrganizations = 80

// demoFixture holds what building the shared demo cut printed: the
// loader's first words and the export.
var demoFixture struct {
	mu     sync.Mutex
	loaded string // what loadDemo printed on the empty directory
	export string // `matchgrid export` of the fresh import
}

// demoData returns a fresh data directory holding the demo event's cut, a
// copy of the one imported for the whole test binary.
func demoData(t *testing.T) string {
	t.Helper()
	return datadirtest.Dir(t, "demo-cut", func(dir string) error { return importDemoInto(t, dir) })
}

// demoExport returns a fresh copy of the demo data directory and the
// export of the demo cut as first imported.
func demoExport(t *testing.T) (string, string) {
	t.Helper()
	dir := demoData(t)
	demoFixture.mu.Lock()
	defer demoFixture.mu.Unlock()
	return dir, demoFixture.export
}

// importDemoInto loads the demo cut with the demo command's own loader
// and records its output and the export.
func importDemoInto(t *testing.T, dir string) error {
	bundle := demoSample(t, fixtureOrganizations)
	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := loadDemoBundle(eng, bundle, &out, io.Discard); err != nil {
		eng.Close()
		return err
	}
	if err := eng.Close(); err != nil {
		return err
	}
	var export, errOut bytes.Buffer
	if code := run(context.Background(), []string{"export", "--data", dir}, &export, &errOut); code != 0 {
		return fmt.Errorf("export of the fixture: exit %d: %s", code, strings.TrimSpace(errOut.String()))
	}
	demoFixture.mu.Lock()
	defer demoFixture.mu.Unlock()
	demoFixture.loaded, demoFixture.export = out.String(), export.String()
	return nil
}

// demoSample returns the demo event cut down to its first n organizations,
// with their people, opportunities, requests and meetings.
func demoSample(t *testing.T, n int) *profiles.Bundle {
	t.Helper()
	b, err := demo.Bundle()
	if err != nil {
		t.Fatal(err)
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
