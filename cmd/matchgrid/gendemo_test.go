package main

import (
	"bytes"
	"compress/gzip"
	"context"
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
