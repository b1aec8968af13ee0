package datadirtest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// templates are the directories built so far in this test binary, by name.
var templates struct {
	mu    sync.Mutex
	root  string // set by Main; empty: no sharing
	built map[string]*template
}

type template struct {
	once sync.Once
	dir  string
	err  error
}

// Main runs the tests with sharing on and removes the shared directories
// afterwards; it returns the exit code for os.Exit.
func Main(m *testing.M) int {
	root, err := os.MkdirTemp("", "matchgrid-datadirtest-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "datadirtest:", err)
		return 1
	}
	templates.mu.Lock()
	templates.root = root
	templates.mu.Unlock()
	code := m.Run()
	os.RemoveAll(root)
	return code
}

// Dir returns a new directory under t.TempDir() holding what build wrote
// into an empty directory. Under Main, build runs once per name for the
// whole test binary and Dir copies its result.
func Dir(t testing.TB, name string, build func(dir string) error) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	templates.mu.Lock()
	root := templates.root
	if root == "" {
		templates.mu.Unlock()
		if err := build(dst); err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		return dst
	}
	if templates.built == nil {
		templates.built = map[string]*template{}
	}
	tpl := templates.built[name]
	if tpl == nil {
		tpl = &template{dir: filepath.Join(root, name)}
		templates.built[name] = tpl
	}
	templates.mu.Unlock()
	tpl.once.Do(func() { tpl.err = build(tpl.dir) })
	if tpl.err != nil {
		t.Fatalf("build %s: %v", name, tpl.err)
	}
	if err := CopyTree(tpl.dir, dst); err != nil {
		t.Fatalf("copy %s: %v", name, err)
	}
	return dst
}

// CopyTree copies the directories and regular files under src to dst;
// sockets and other special files (a running server's) are left out.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o700)
		case d.Type().IsRegular():
			return copyFile(path, target)
		default:
			return nil
		}
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
