package matcher

import (
	"os"
	"testing"
)

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "matcher-test-*") }

func TestMain(m *testing.M) {
	code := m.Run()
	if demoFix != nil {
		if demoFix.index != nil {
			demoFix.index.Close()
		}
		demoFix.store.Close()
	}
	for _, f := range poolFixes {
		f.index.Close()
		f.store.Close()
		if !f.kept {
			os.RemoveAll(f.dir)
		}
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}
