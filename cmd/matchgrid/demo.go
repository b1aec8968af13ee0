package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["demo"] = command{summary: "load the demo event (if missing) and serve it", run: runDemo}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServer(ctx, "demo", args, stdout, stderr, func(eng *matchgrid.Engine) ([]demoLink, error) {
		if err := loadDemo(eng, stdout, stderr); err != nil {
			return nil, err
		}
		return issueDemoLinks(eng, demo.EventID)
	})
}

// loadDemo imports the embedded demo event unless the store has it.
func loadDemo(eng *matchgrid.Engine, stdout, stderr io.Writer) error {
	bundle, err := demo.Bundle()
	if err != nil {
		return fmt.Errorf("demo event: %w", err)
	}
	return loadDemoBundle(eng, bundle, stdout, stderr)
}

// loadDemoBundle imports bundle (the demo event or a cut of it) unless the
// store has an event of its ID.
func loadDemoBundle(eng *matchgrid.Engine, bundle *profiles.Bundle, stdout, stderr io.Writer) error {
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

// demoLink is a participant's personal link, as a path.
type demoLink struct{ participant, name, path string }

// demoParticipants get a fresh personal link at every demo start, so that
// whoever runs the demo can sign in as two participants and try a request
// from one to the other.
var demoParticipants = []string{"p-0001", "p-0002"}

// issueDemoLinks gives the demo participants new personal-link secrets.
func issueDemoLinks(eng *matchgrid.Engine, eventID string) ([]demoLink, error) {
	var links []demoLink
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		for _, id := range demoParticipants {
			p, err := tx.Participant(eventID, id)
			if err != nil {
				return err
			}
			secret := profiles.NewSecret()
			p.SecretHash = profiles.HashSecret(secret)
			if err := tx.UpdateParticipant(p); err != nil {
				return err
			}
			links = append(links, demoLink{participant: id, name: p.Name(), path: "/e/" + url.PathEscape(eventID) + "/link?key=" + url.QueryEscape(secret)})
		}
		return nil
	})
	return links, err
}
