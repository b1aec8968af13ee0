package browsertest_test

import (
	"os"
	"testing"

	"github.com/matchgrid/matchgrid/internal/datadirtest"
)

// TestMain lets the journeys share one import of the demo event.
func TestMain(m *testing.M) { os.Exit(datadirtest.Main(m)) }
