package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

// fixtureOrganizations is the size of the demo cut the tests serve: the
// whole demo takes a minute to import under -race and every suggestion
// costs in proportion; the demo package tests the whole bundle.
const fixtureOrganizations = 80

// demoFixture is a cut of the demo event imported once per test binary,
// through the demo command's loader; tests copy its directory instead of
// importing their own.
var demoFixture struct {
	once   sync.Once
	dir    string // the imported data directory, never opened by a test
	loaded string // what loadDemo printed on the empty directory
	export string // `matchgrid export` of the fresh import
	err    error
}

// fixtureRoot holds the fixture; TestMain removes it.
var fixtureRoot string

// demoData returns a fresh data directory holding the demo event's cut, a
// copy of the fixture that the test may change.
func demoData(t *testing.T) string {
	t.Helper()
	src := importedDemo(t)
	dst := filepath.Join(t.TempDir(), "data")
	if err := copyTree(src, dst); err != nil {
		t.Fatalf("copy the demo fixture: %v", err)
	}
	return dst
}

// demoExport returns a fresh copy of the demo data directory and the
// export of the demo cut as first imported.
func demoExport(t *testing.T) (string, string) {
	t.Helper()
	dir := demoData(t)
	return dir, demoFixture.export
}

// importedDemo imports the demo into the fixture directory on first use.
func importedDemo(t *testing.T) string {
	t.Helper()
	demoFixture.once.Do(func() {
		demoFixture.dir = filepath.Join(fixtureRoot, "demo")
		demoFixture.err = importDemoInto(t, demoFixture.dir)
	})
	if demoFixture.err != nil {
		t.Fatalf("demo fixture: %v", demoFixture.err)
	}
	return demoFixture.dir
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
	demoFixture.loaded = out.String()
	var export, errOut bytes.Buffer
	if code := run(context.Background(), []string{"export", "--data", dir}, &export, &errOut); code != 0 {
		return fmt.Errorf("export of the fixture: exit %d: %s", code, strings.TrimSpace(errOut.String()))
	}
	demoFixture.export = export.String()
	return nil
}

// copyTree copies the regular files under src to dst, keeping the layout.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if !d.Type().IsRegular() {
			return nil // sockets and locks belong to a running server
		}
		return copyFile(path, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
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
