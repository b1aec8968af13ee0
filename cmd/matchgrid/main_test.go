package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/matchgrid/matchgrid/internal/datadirtest"
	"github.com/matchgrid/matchgrid/internal/demotest"
)

// TestMain lets the test binary stand in for the matchgrid command: the
// crash test and the two-server test start it as a child process with its
// arguments in childArgsEnv (separated by \x1f), or in os.Args with
// envRunCLI set.
func TestMain(m *testing.M) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if args := os.Getenv(childArgsEnv); args != "" {
		code := run(ctx, strings.Split(args, "\x1f"), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	if os.Getenv(envRunCLI) == "1" {
		code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	stop()
	go demotest.Prepare() // the demo cut's fixture and samples start from it
	os.Exit(datadirtest.Main(m))
}
