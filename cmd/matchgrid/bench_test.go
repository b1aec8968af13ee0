package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchB2BSPJSON(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	dir := b2bspSubset(t, "forum-13.original", "forum-13crafc.original", "forumt-14.original", "forumt-14crafd.original")
	err := runBench(context.Background(), []string{"b2bsp", dir, "--budget", "150ms", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("runBench: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4*2+2 {
		t.Fatalf("%d lines, want 10:\n%s", len(lines), out.String())
	}
	solvers := map[string]int{}
	for _, line := range lines {
		var l benchLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if !l.Valid {
			t.Errorf("invalid grid: %s", line)
		}
		solvers[l.Solver]++
		if l.Solver == "engine" && l.Placed != l.Meetings {
			t.Errorf("engine left meetings unplaced: %s", line)
		}
	}
	if solvers["engine"] != 5 || solvers["greedy"] != 5 {
		t.Errorf("solver lines %v", solvers)
	}
	// The documented line format, field by field and in order.
	if !strings.HasPrefix(lines[0], `{"instance":"forum-13.original","solver":"engine","meetings":154,"placed":154,"breaks":`) ||
		!strings.Contains(lines[0], `"idle":`) || !strings.Contains(lines[0], `"fairness":`) ||
		!strings.Contains(lines[0], `"seconds":`) || !strings.Contains(lines[0], `"valid":true,"lower_bound":`) ||
		!strings.Contains(lines[0], `"proven":`) {
		t.Errorf("first line %s", lines[0])
	}
}

func TestBenchB2BSPTable(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	dir := b2bspSubset(t, "forum-13crafb.original", "forum-14.original", "forumt-14crafc.original", "forumt-14crafe.original")
	if err := runBench(context.Background(), []string{"b2bsp", "--budget=100ms", dir}, &out, &errOut); err != nil {
		t.Fatalf("runBench: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"forumt-14crafe.original", "greedy", "total", "every meeting"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBenchSynthetic(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"synthetic", "--participants", "100", "--meetings", "500", "--days", "1", "--slots-per-day", "12", "--tables", "30", "--budget", "100ms", "--json"}
	if err := runBench(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("runBench: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out.String())
	}
	var engine benchLine
	if err := json.Unmarshal([]byte(lines[0]), &engine); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lines[0], `"lower_bound":`) || !strings.Contains(lines[0], `"proven":`) {
		t.Errorf("engine line lacks lower_bound or proven: %s", lines[0])
	}
	if !engine.Valid || engine.UpperBound == 0 || engine.Placed > engine.UpperBound {
		t.Errorf("engine line %+v", engine)
	}
}

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args    []string
		help    bool
		message string
	}{
		{[]string{}, false, "want b2bsp, synthetic, http or store"},
		{[]string{"--help"}, true, ""},
		{[]string{"b2bsp", "--help"}, true, ""},
		{[]string{"synthetic", "-h"}, true, ""},
		{[]string{"nope"}, false, `unknown benchmark "nope"`},
		{[]string{"b2bsp"}, false, "want one directory"},
		{[]string{"b2bsp", "dir", "--budget", "soon"}, false, "invalid value"},
		{[]string{"b2bsp", "dir", "--budget", "-1s"}, false, "must be positive"},
		{[]string{"synthetic", "--tables", "0"}, false, "Tables = 0"},
		{[]string{"synthetic", "extra"}, false, "unexpected argument"},
		{[]string{"synthetic", "--workers", "0"}, false, "--workers 0"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		err := runBench(context.Background(), tc.args, &out, &errOut)
		if tc.help {
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "Usage: matchgrid bench") {
				t.Errorf("%v: want help, got %v, %q", tc.args, err, errOut.String())
			}
			continue
		}
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%v: want usage error with %q, got %v", tc.args, tc.message, err)
		}
	}
}

func TestBenchIsRegistered(t *testing.T) {
	if _, ok := commands["bench"]; !ok {
		t.Fatal("bench is not registered")
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"bench", "b2bsp", "/nonexistent"}, &out, &errOut); code != 1 {
		t.Errorf("exit code %d for a missing directory, want 1 (%s)", code, errOut.String())
	}
}

// b2bspSubset copies the named instances of the b2bsp benchmark, and its
// README.md with their published optima, into a directory of the test's
// own. The JSON and table tests take half of the eight instances each, so
// that every instance is solved once.
func b2bspSubset(t *testing.T, names ...string) string {
	t.Helper()
	const src = "../../scheduler/testdata/b2bsp"
	dir := t.TempDir()
	for _, name := range append(names, "README") {
		file := name + ".dzn"
		if name == "README" {
			file = "README.md"
		}
		data, err := os.ReadFile(filepath.Join(src, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
