package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["demo"] = command{summary: "load the demo event (if missing) and serve it", run: runDemo}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "demo [--data DIR] [--addr 127.0.0.1:8080]", stderr)
	data := dataFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eng, err := openEngine(*data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	if err := loadDemo(eng, stdout, stderr); err != nil {
		return err
	}
	return serve(ctx, eng, *addr, stdout, stderr)
}

// loadDemo imports the embedded demo event unless the store has it.
func loadDemo(eng *matchgrid.Engine, stdout, stderr io.Writer) error {
	bundle, err := demo.Bundle()
	if err != nil {
		return fmt.Errorf("demo event: %w", err)
	}
	return eng.Store().Update(func(tx *profiles.Tx) error {
		if _, err := tx.Event(bundle.Event.ID); err == nil {
			fmt.Fprintf(stdout, "matchgrid: demo event %s is already in %s\n", bundle.Event.ID, eng.Dir())
			return nil
		} else if !errors.Is(err, profiles.ErrNotFound) {
			return err
		}
		if err := tx.ImportBundle(bundle, profiles.ImportOptions{Progress: progress(stderr, "loading demo event")}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "matchgrid: loaded demo event %s: %d organizations, %d participants, %d opportunities, %d requests (%s)\n",
			bundle.Event.ID, len(bundle.Organizations), len(bundle.Participants), len(bundle.Opportunities), len(bundle.Requests), bundle.Event.Source)
		return nil
	})
}
