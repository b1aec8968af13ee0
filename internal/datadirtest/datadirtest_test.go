package datadirtest_test

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/matchgrid/matchgrid/internal/datadirtest"
)

func TestMain(m *testing.M) { os.Exit(datadirtest.Main(m)) }

func TestDirBuildsOnceAndCopies(t *testing.T) {
	var builds atomic.Int32
	build := func(dir string) error {
		builds.Add(1)
		if err := os.MkdirAll(filepath.Join(dir, "index"), 0o700); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "index", "seg"), []byte("built"), 0o600)
	}
	first := datadirtest.Dir(t, "tree", build)
	second := datadirtest.Dir(t, "tree", build)
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times, want once", n)
	}
	if first == second {
		t.Fatalf("two tests share the directory %s", first)
	}
	if err := os.WriteFile(filepath.Join(first, "index", "seg"), []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(second, "index", "seg"))
	if err != nil || string(got) != "built" {
		t.Fatalf("the second copy reads %q, %v; want what the build wrote", got, err)
	}
	other := datadirtest.Dir(t, "other", build)
	if n := builds.Load(); n != 2 || other == first {
		t.Fatalf("a second name built %d times in all, want 2", n)
	}
}
