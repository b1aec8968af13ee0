package matchgrid

import (
	"os"
	"testing"

	"github.com/matchgrid/matchgrid/internal/datadirtest"
)

// TestMain shares the slow data directories (the imported demo) between
// the tests of this binary: built once, copied per test.
func TestMain(m *testing.M) { os.Exit(datadirtest.Main(m)) }
