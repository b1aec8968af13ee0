package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/matchgrid/matchgrid"
)

// dataFlag adds the --data flag every subcommand shares.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", matchgrid.DefaultDataDir, "data `directory` (holds the store file)")
}

// openEngine opens a data directory for writing, reporting index rebuilds
// and index errors on stderr.
func openEngine(dir string, stderr io.Writer) (*matchgrid.Engine, error) {
	eng, err := matchgrid.Open(dir, &matchgrid.Options{
		IndexProgress: progress(stderr, "indexing"),
		IndexError:    func(err error) { fmt.Fprintf(stderr, "matchgrid: %v\n", err) },
	})
	if err != nil {
		return nil, err
	}
	if ix, err := eng.Index(); err == nil && ix.Replayed() > 0 {
		fmt.Fprintf(stderr, "matchgrid: search index caught up with %d store changes it had missed\n", ix.Replayed())
	}
	return eng, nil
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
