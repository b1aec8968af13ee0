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
	return runServer(ctx, "demo", args, stdout, stderr, func(eng *matchgrid.Engine) error {
		return loadDemo(eng, stdout, stderr)
	})
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
