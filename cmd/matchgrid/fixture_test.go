package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/internal/datadirtest"
	"github.com/matchgrid/matchgrid/internal/demotest"
)

// fixtureOrganizations is the size of the demo cut the tests serve: the
// whole demo takes a minute to import under -race and every suggestion
// costs in proportion; the demo package tests the whole bundle.
const fixtureOrganizations = 40

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
	bundle := demotest.Sample(t, fixtureOrganizations)
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
