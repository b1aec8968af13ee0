package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["demo"] = command{summary: "load the demo event (if missing) and serve it", run: runDemo}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServer(ctx, "demo", args, stdout, stderr, func(eng *matchgrid.Engine, reset bool) ([]demoLink, string, error) {
		if err := loadDemo(eng, stdout, stderr); err != nil {
			return nil, "", err
		}
		return demoAccess(eng, demo.EventID, reset)
	})
}

// loadDemo imports the embedded demo event unless the store has it; the
// embedded file is only decoded (seconds) when it is to be imported.
func loadDemo(eng *matchgrid.Engine, stdout, stderr io.Writer) error {
	var there bool
	err := eng.Store().View(func(tx *profiles.Tx) (err error) {
		there, err = demoAlreadyIn(tx, demo.EventID, eng.Dir(), stdout)
		return err
	})
	if err != nil || there {
		return err
	}
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
		if there, err := demoAlreadyIn(tx, bundle.Event.ID, eng.Dir(), stdout); err != nil || there {
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

// demoAlreadyIn reports whether the store holds the event eventID, and
// says so on stdout when it does.
func demoAlreadyIn(tx *profiles.Tx, eventID, dir string, stdout io.Writer) (bool, error) {
	_, err := tx.Event(eventID)
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "matchgrid: demo event %s is already in %s\n", eventID, dir)
		return true, nil
	case errors.Is(err, profiles.ErrNotFound):
		return false, nil
	default:
		return false, err
	}
}

// demoLink is a participant's personal link, as a path.
type demoLink struct{ participant, name, path string }

// demoParticipants get a personal link that the demo prints at every
// start, so that whoever runs it can sign in as two participants and try
// a request from one to the other.
var demoParticipants = []string{"p-0001", "p-0002"}

// demoSecretsFile, in the data directory, keeps the demo's organizer
// secret and its participants' link secrets across restarts (readable by
// its owner only): a restart then prints the same links, and the sessions
// of those who signed in go on.
const demoSecretsFile = "demo-secrets.json"

// demoSecrets is the content of demoSecretsFile.
type demoSecrets struct {
	Organizer string            `json:"organizer"`
	Links     map[string]string `json:"links"` // secret by participant ID
}

// demoAccess returns the demo participants' personal links and the demo's
// organizer secret: the ones of the previous start while they still hold
// (the stored hashes match), else new ones, which it keeps. reset makes
// new ones.
func demoAccess(eng *matchgrid.Engine, eventID string, reset bool) ([]demoLink, string, error) {
	file := filepath.Join(eng.Dir(), demoSecretsFile)
	var kept demoSecrets
	if !reset {
		if b, err := os.ReadFile(file); err == nil {
			if err := json.Unmarshal(b, &kept); err != nil {
				return nil, "", fmt.Errorf("%s: %w", file, err)
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
	}
	if kept.Organizer == "" {
		kept.Organizer = profiles.NewSecret()
	}
	links, err := demoLinks(eng, eventID, &kept)
	if err != nil {
		return nil, "", err
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, "", err
	}
	return links, kept.Organizer, nil
}

// demoLinks gives each demo participant the personal link of kept.Links
// while it still opens their page, else a new one (recorded in kept).
func demoLinks(eng *matchgrid.Engine, eventID string, kept *demoSecrets) ([]demoLink, error) {
	if kept.Links == nil {
		kept.Links = map[string]string{}
	}
	var links []demoLink
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		for _, id := range demoParticipants {
			p, err := tx.Participant(eventID, id)
			if err != nil {
				return err
			}
			secret := kept.Links[id]
			if secret == "" || p.SecretHash != profiles.HashSecret(secret) {
				secret = profiles.NewSecret()
				p.SecretHash = profiles.HashSecret(secret)
				if err := tx.UpdateParticipant(p); err != nil {
					return err
				}
				kept.Links[id] = secret
			}
			links = append(links, demoLink{participant: id, name: p.Name(), path: "/e/" + url.PathEscape(eventID) + "/link?key=" + url.QueryEscape(secret)})
		}
		return nil
	})
	return links, err
}
