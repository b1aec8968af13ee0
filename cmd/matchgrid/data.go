package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/matchgrid/matchgrid"
)

// storeEnv is the environment variable that may name the store instead of --store.
const storeEnv = "MATCHGRID_STORE"

// dataFlags are the --data and --store flags every subcommand shares.
type dataFlags struct {
	dir   string // the data directory: bbolt file, search index, control socket
	store string // a postgres:// URL, or "" for the bbolt file in dir
	// allowPrivateWebhooks lets webhooks reach private addresses (serve's
	// and demo's --allow-private-webhooks).
	allowPrivateWebhooks bool
}

// dataFlag adds the --data and --store flags.
func dataFlag(fs *flag.FlagSet) *dataFlags {
	d := &dataFlags{}
	fs.StringVar(&d.dir, "data", matchgrid.DefaultDataDir, "data `directory` (holds the store file, or with --store only the search index)")
	fs.StringVar(&d.store, "store", os.Getenv(storeEnv), "keep the store in PostgreSQL at this postgres:// `URL` instead of the file in --data (default $"+storeEnv+")")
	return d
}

// String names the store, for messages.
func (d *dataFlags) String() string {
	if d.store != "" {
		return d.store
	}
	return d.dir
}

// open opens the data directory, reporting index rebuilds and index (and
// change feed) errors on stderr; readOnly opens it for reading only.
func (d *dataFlags) open(stderr io.Writer, readOnly bool) (*matchgrid.Engine, error) {
	opts := &matchgrid.Options{Store: d.store, ReadOnly: readOnly, AllowPrivateWebhooks: d.allowPrivateWebhooks}
	if !readOnly {
		opts.IndexProgress = progress(stderr, "indexing")
		opts.IndexError = func(err error) { fmt.Fprintf(stderr, "matchgrid: %v\n", err) }
	}
	eng, err := matchgrid.Open(d.dir, opts)
	if err != nil {
		return nil, err
	}
	if readOnly {
		return eng, nil // its index is built in memory when first asked for, not here
	}
	if ix, err := eng.Index(); err == nil && ix.Replayed() > 0 {
		fmt.Fprintf(stderr, "matchgrid: search index caught up with %d store changes it had missed\n", ix.Replayed())
	}
	return eng, nil
}

// openEngine opens a data directory for writing.
func openEngine(d *dataFlags, stderr io.Writer) (*matchgrid.Engine, error) {
	return d.open(stderr, false)
}

// parseFlags parses args, turning flag mistakes into a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{msg: err.Error()}
	}
	return nil
}

// progress prints "what: done/total" lines to w at most every half second,
// and always the last one.
func progress(w io.Writer, what string) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if done < total && time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		if total > 0 {
			fmt.Fprintf(w, "%s: %d/%d (%d%%)\n", what, done, total, done*100/total)
		} else {
			fmt.Fprintf(w, "%s: %d\n", what, done)
		}
	}
}
