package schedtest

import (
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

// B2BSPFiles returns the benchmark instances: the shared benchmark directory
// beside the repository if present, else the copies in scheduler/testdata;
// it skips the test when neither has any. Paths are found from this file's
// place, so every test package gets the same list.
func B2BSPFiles(t testing.TB) []string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(here), "..", "..", "..")
	for _, dir := range []string{filepath.Join(repo, "..", "shared", "bench", "b2bsp"), filepath.Join(repo, "scheduler", "testdata", "b2bsp")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.dzn"))
		if len(files) > 0 {
			sort.Strings(files)
			return files
		}
	}
	t.Skip("no b2bsp instances found")
	return nil
}
