package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

func TestGenDemoUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"--nope"}},
		{"stray argument", []string{"extra"}},
		{"negative size", []string{"--organizations", "-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := runGenDemo(context.Background(), tc.args, &bytes.Buffer{}, &stderr)
			var usage usageError
			if !errors.As(err, &usage) {
				t.Fatalf("got %v, want a usageError", err)
			}
		})
	}
}

func TestGenDemoMissingData(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "event.json.gz")
	err := runGenDemo(context.Background(), []string{"--cordis", filepath.Join(dir, "none"), "--out", out}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output file written despite the error: %v", err)
	}
}

func TestGenDemoWritesEventFile(t *testing.T) {
	t.Parallel()
	cordis := filepath.Join("..", "..", "..", "shared", "data", "cordis-health")
	if _, err := os.Stat(filepath.Join(cordis, "participations.csv")); err != nil {
		t.Skipf("CORDIS data not present: %v", err)
	}
	cordis = cordisCut(t, cordis, 3)
	out := filepath.Join(t.TempDir(), "event.json.gz")
	var stderr bytes.Buffer
	if err := runGenDemo(context.Background(), []string{"--cordis", cordis, "--out", out, "--organizations", "40", "--participants", "45", "--requests", "30"}, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "wrote "+out) {
		t.Errorf("no progress on stderr: %q", stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := profiles.DecodeExport(zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Events) != 1 {
		t.Fatalf("file holds %d events", len(exp.Events))
	}
	if b := exp.Events[0]; len(b.Organizations) != 40 || len(b.Participants) != 45 {
		t.Errorf("built %d organizations and %d participants, want the 40 and 45 asked for", len(b.Organizations), len(b.Participants))
	}
}

// cordisCut writes into a new directory every n-th project of the CORDIS
// data in dir, with its participations, and returns the directory: enough
// for a small demo event, a fraction of the time to read and profile.
func cordisCut(t *testing.T, dir string, n int) string {
	t.Helper()
	cut := t.TempDir()
	kept := map[string]bool{}
	copyRows(t, filepath.Join(dir, "projects.csv"), filepath.Join(cut, "projects.csv"), func(i int, row []string) bool {
		if i%n == 0 {
			kept[row[0]] = true
		}
		return kept[row[0]]
	})
	copyRows(t, filepath.Join(dir, "participations.csv"), filepath.Join(cut, "participations.csv"), func(_ int, row []string) bool {
		return kept[row[0]]
	})
	return cut
}

// copyRows copies the header of the CSV file src to dst, and the rows
// that keep (given each row's number from 0) returns true for; the
// first column is the project ID in both CORDIS files.
func copyRows(t *testing.T, src, dst string, keep func(int, []string) bool) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rows, err := csv.NewReader(in).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "projectID" {
		t.Fatalf("%s: first column %q, want projectID", src, rows[0][0])
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.Write(rows[0])
	for i, row := range rows[1:] {
		if keep(i, row) {
			w.Write(row)
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), out.Close()); err != nil {
		t.Fatal(err)
	}
}
